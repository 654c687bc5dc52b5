//! Builds a database for `cscx bench health` when `cscx generate` is not at hand. Ignored by
//! `cargo test` (it is a fixture builder, not a test):
//!
//! ```text
//! HEALTH_BENCH_DB=/tmp/health-bench.db HEALTH_BENCH_CUSTOMERS=100000 \
//!   cargo test --release --test health_bench_db -- --ignored --nocapture
//! cscx --db /tmp/health-bench.db bench health
//! ```
//!
//! Shaped like `cscx generate`'s data: per customer 12 KPIs over 18 months, two agent
//! sessions with 15 messages, 6 calls, 5 meetings, 3 training modules, 6 adoption scores and
//! 40 telemetry rows, spread over the last 18 months. Rows are inserted customer by customer
//! with raw prepared statements (like generate), then health is recomputed from scratch in
//! the same transaction, and that time is printed.

use std::time::Instant;

use chrono::{Days, NaiveDate};
use cscx::store::{self, bulk, health_sync, ids};
use rusqlite::params;

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const CATEGORIES: [&str; 5] = [
    "Relationship Strength",
    "Adoption & Engagement",
    "Support & Experience",
    "Product Value",
    "Business Outcomes",
];

#[test]
#[ignore = "builds a benchmark database; run on purpose"]
fn build_bench_db() {
    let path = std::env::var("HEALTH_BENCH_DB").unwrap_or_else(|_| "/tmp/health-bench.db".into());
    let customers: u64 = std::env::var("HEALTH_BENCH_CUSTOMERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let _ = std::fs::remove_file(&path);
    let mut s = store::open(std::path::Path::new(&path)).expect("open");
    let today = s.today();
    let day = |n: u64| -> NaiveDate { today.checked_sub_days(Days::new(n)).expect("date") };
    let ts = |d: NaiveDate, h: u64| format!("{}T{:02}:00:00Z", d.format("%Y-%m-%d"), 8 + h % 10);
    let started = Instant::now();
    s.write(|w| {
        w.set_row_logging(false);
        let load = bulk::BulkLoad::begin(w.conn(), bulk::BulkOptions::all())?;
        let c = w.conn();
        let mut rng = Rng(7);
        let workspace = ids::new_id();
        c.execute("INSERT INTO workspaces (id, name) VALUES (?1, 'Bench')", [&workspace])?;
        let user = ids::new_id();
        c.execute(
            "INSERT INTO users (id, email, name) VALUES (?1, 'bench@example.test', 'Bench')",
            [&user],
        )?;
        c.execute(
            "INSERT INTO workspace_configs (id, workspace_id) VALUES (?1, ?2)",
            [ids::new_id(), workspace.clone()],
        )?;
        // 15 KPI definitions, three per category, alternating direction
        let mut names = Vec::new();
        for k in 0..15u64 {
            let name = format!("KPI {k:02}");
            if k % 2 == 0 {
                c.execute(
                    "INSERT INTO kpi_reference_ranges (id, kpi_name, higher_is_better, critical_min,
                       critical_max, risk_min, risk_max, healthy_min, healthy_max)
                     VALUES (?1, ?2, 1, 0, 40, 40, 70, 70, 100)",
                    params![ids::new_id(), name],
                )?;
            } else {
                c.execute(
                    "INSERT INTO kpi_reference_ranges (id, kpi_name, higher_is_better, critical_min,
                       critical_max, risk_min, risk_max, healthy_min, healthy_max)
                     VALUES (?1, ?2, 0, 60, 100, 30, 60, 0, 30)",
                    params![ids::new_id(), name],
                )?;
            }
            names.push((name, CATEGORIES[(k % 5) as usize]));
        }
        let modules: Vec<String> = (0..6)
            .map(|m| {
                let id = ids::new_id();
                c.execute(
                    "INSERT INTO training_modules (id, title) VALUES (?1, ?2)",
                    params![id, format!("Module {m}")],
                )
                .map(|_| id)
            })
            .collect::<Result<_, _>>()?;

        let mut customer = c.prepare("INSERT INTO customers (id, workspace_id, name, csm_id) VALUES (?1, ?2, ?3, ?4)")?;
        let mut kpi = c.prepare("INSERT INTO kpis (id, customer_id, category, kpi_parameter, weight) VALUES (?1, ?2, ?3, ?4, ?5)")?;
        let mut value = c.prepare("INSERT INTO kpi_time_series (id, kpi_id, customer_id, workspace_id, year, month, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
        let mut session = c.prepare("INSERT INTO agent_sessions (id, customer_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)")?;
        let mut message = c.prepare("INSERT INTO agent_messages (id, session_id, role, content, created_at) VALUES (?1, ?2, 'agent', 'Status update', ?3)")?;
        let mut call = c.prepare("INSERT INTO calls (id, workspace_id, user_id, customer_id, prospect_name, call_type, status, completed_at) VALUES (?1, ?2, ?3, ?4, 'Pat', 'outbound', ?5, ?6)")?;
        let mut meeting = c.prepare("INSERT INTO meetings (id, customer_id, title, status, scheduled_at) VALUES (?1, ?2, 'Sync', ?3, ?4)")?;
        let mut progress = c.prepare("INSERT INTO training_progress (id, customer_id, module_id, progress) VALUES (?1, ?2, ?3, ?4)")?;
        let mut score = c.prepare("INSERT INTO customer_scores (customer_id, score_dt, score_type, workspace_id, score_value) VALUES (?1, ?2, 'adoption', ?3, ?4)")?;
        let mut telemetry = c.prepare("INSERT INTO telemetry_metrics (id, workspace_id, customer_id, metric_name, metric_value, captured_at) VALUES (?1, ?2, ?3, 'active_users', ?4, ?5)")?;

        let this_month = cscx::health::YearMonth::of(today);
        for n in 0..customers {
            let id = ids::new_id();
            customer.execute(params![id, workspace, format!("Customer {n:06}"), user])?;
            let level = rng.below(100) as f64;
            for k in 0..12usize {
                let (name, category) = &names[(k + n as usize) % names.len()];
                let kid = ids::new_id();
                kpi.execute(params![kid, id, category, name, (k % 3 + 1) as f64])?;
                let mut m = this_month;
                for _ in 0..18 {
                    let v = (level + rng.below(30) as f64 - 15.0).clamp(0.0, 100.0);
                    value.execute(params![ids::new_id(), kid, id, workspace, m.year(), m.month(), v])?;
                    m = m.prev();
                }
            }
            for _ in 0..2 {
                let sid = ids::new_id();
                session.execute(params![sid, id, user, ts(day(500), 0)])?;
                for _ in 0..8 {
                    message.execute(params![ids::new_id(), sid, ts(day(rng.below(540)), rng.next())])?;
                }
            }
            for _ in 0..6 {
                let status = if rng.below(5) == 0 { "no-show" } else { "completed" };
                call.execute(params![ids::new_id(), workspace, user, id, status, ts(day(rng.below(540)), rng.next())])?;
            }
            for _ in 0..5 {
                let status = if rng.below(6) == 0 { "cancelled" } else { "completed" };
                meeting.execute(params![ids::new_id(), id, status, ts(day(rng.below(540)), rng.next())])?;
            }
            for m in 0..3usize {
                progress.execute(params![ids::new_id(), id, modules[(m + n as usize) % modules.len()], rng.below(101) as i64])?;
            }
            for k in 0..6u64 {
                score.execute(params![id, day(k * 90 + rng.below(30)).format("%Y-%m-%d").to_string(), workspace, rng.below(101) as f64])?;
            }
            for _ in 0..40 {
                telemetry.execute(params![ids::new_id(), workspace, id, rng.below(500) as f64, ts(day(rng.below(540)), rng.next())])?;
            }
        }
        drop((customer, kpi, value, session, message, call, meeting, progress, score, telemetry));
        load.finish(w.conn())?;
        eprintln!("{customers} customers inserted in {:.1} s", started.elapsed().as_secs_f64());
        let t = Instant::now();
        let moved = health_sync::recompute(w, None)?;
        eprintln!(
            "health from scratch: {} customers in {:.1} s ({:.0}/s), {} scores",
            customers,
            t.elapsed().as_secs_f64(),
            customers as f64 / t.elapsed().as_secs_f64(),
            moved.len()
        );
        Ok(())
    })
    .expect("build");
    eprintln!("built {path} in {:.1} s", started.elapsed().as_secs_f64());
}
