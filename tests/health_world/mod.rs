//! Building health inputs through the store's one write path, for tests/health*.rs.
#![allow(dead_code)]

use chrono::{Days, NaiveDate};
use cscx::store::rows::Row;
use cscx::store::{Store, WriteTx};
use rusqlite::types::Value;

/// The date every health test runs on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).expect("date")
}

pub fn days_ago(n: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(n)).expect("date")
}

/// A timestamp at noon UTC on `day`.
pub fn noon(day: NaiveDate) -> String {
    format!("{}T12:00:00Z", day.format("%Y-%m-%d"))
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}

pub fn r(x: f64) -> Value {
    Value::Real(x)
}

pub fn i(x: i64) -> Value {
    Value::Integer(x)
}

pub fn row(pairs: &[(&str, Value)]) -> Row {
    pairs
        .iter()
        .map(|(c, v)| ((*c).to_owned(), v.clone()))
        .collect()
}

pub fn id_of(key: &Row) -> String {
    match key.first() {
        Some((_, Value::Text(s))) => s.clone(),
        other => panic!("no text id in {other:?}"),
    }
}

pub type Band = (Option<f64>, Option<f64>);

pub fn insert_range(
    w: &mut WriteTx<'_>,
    name: &str,
    higher_is_better: bool,
    critical: Band,
    risk: Band,
    healthy: Band,
) -> cscx::store::Result<String> {
    let opt = |v: Option<f64>| v.map_or(Value::Null, Value::Real);
    let key = w.insert_row(
        "kpi_reference_ranges",
        row(&[
            ("kpi_name", t(name)),
            ("higher_is_better", i(i64::from(higher_is_better))),
            ("critical_min", opt(critical.0)),
            ("critical_max", opt(critical.1)),
            ("risk_min", opt(risk.0)),
            ("risk_max", opt(risk.1)),
            ("healthy_min", opt(healthy.0)),
            ("healthy_max", opt(healthy.1)),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_kpi(
    w: &mut WriteTx<'_>,
    customer: &str,
    name: &str,
    category: &str,
    weight: Option<f64>,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "kpis",
        row(&[
            ("customer_id", t(customer)),
            ("kpi_parameter", t(name)),
            ("category", t(category)),
            ("weight", weight.map_or(Value::Null, Value::Real)),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_value(
    w: &mut WriteTx<'_>,
    customer: &str,
    kpi: &str,
    year: i64,
    month: i64,
    value: Option<f64>,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "kpi_time_series",
        row(&[
            ("kpi_id", t(kpi)),
            ("customer_id", t(customer)),
            ("year", i(year)),
            ("month", i(month)),
            ("value", value.map_or(Value::Null, Value::Real)),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_message(
    w: &mut WriteTx<'_>,
    session: &str,
    day: NaiveDate,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "agent_messages",
        row(&[
            ("session_id", t(session)),
            ("role", t("agent")),
            ("content", t("hello")),
            ("created_at", t(&noon(day))),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_call(
    w: &mut WriteTx<'_>,
    workspace: &str,
    user: &str,
    customer: &str,
    status: &str,
    day: NaiveDate,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "calls",
        row(&[
            ("workspace_id", t(workspace)),
            ("user_id", t(user)),
            ("customer_id", t(customer)),
            ("prospect_name", t("Bill")),
            ("call_type", t("outbound")),
            ("status", t(status)),
            ("completed_at", t(&noon(day))),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_meeting(
    w: &mut WriteTx<'_>,
    customer: &str,
    status: &str,
    day: NaiveDate,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "meetings",
        row(&[
            ("customer_id", t(customer)),
            ("title", t("QBR")),
            ("status", t(status)),
            ("scheduled_at", t(&noon(day))),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_module(w: &mut WriteTx<'_>, title: &str) -> cscx::store::Result<String> {
    let key = w.insert_row("training_modules", row(&[("title", t(title))]))?;
    Ok(id_of(&key))
}

pub fn insert_progress(
    w: &mut WriteTx<'_>,
    customer: &str,
    stakeholder: Option<&str>,
    module: &str,
    progress: i64,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "training_progress",
        row(&[
            ("customer_id", t(customer)),
            ("stakeholder_id", stakeholder.map_or(Value::Null, t)),
            ("module_id", t(module)),
            ("progress", i(progress)),
        ]),
    )?;
    Ok(id_of(&key))
}

pub fn insert_adoption_score(
    w: &mut WriteTx<'_>,
    customer: &str,
    day: NaiveDate,
    value: f64,
) -> cscx::store::Result<()> {
    w.insert_row(
        "customer_scores",
        row(&[
            ("customer_id", t(customer)),
            ("score_dt", t(&day.format("%Y-%m-%d").to_string())),
            ("score_type", t("adoption")),
            ("score_value", r(value)),
        ]),
    )?;
    Ok(())
}

pub fn insert_telemetry(
    w: &mut WriteTx<'_>,
    customer: &str,
    day: NaiveDate,
) -> cscx::store::Result<String> {
    let key = w.insert_row(
        "telemetry_metrics",
        row(&[
            ("customer_id", t(customer)),
            ("metric_name", t("active_users")),
            ("metric_value", r(12.0)),
            ("captured_at", t(&noon(day))),
        ]),
    )?;
    Ok(id_of(&key))
}

/// The stored `customers.health_score`.
pub fn stored_score(s: &Store, customer: &str) -> Option<i64> {
    crate::common::sql(s)
        .query_row(
            "SELECT health_score FROM customers WHERE id = ?1",
            [customer],
            |r| r.get(0),
        )
        .expect("customer")
}

/// The stored monthly overall scores of `customer`: ("2026-10", overall).
pub fn stored_trends(s: &Store, customer: &str) -> Vec<(String, Option<f64>)> {
    crate::common::sql(s)
        .prepare(
            "SELECT printf('%04d-%02d', year, month), overall_health_score FROM health_trends
             WHERE customer_id = ?1 ORDER BY year, month",
        )
        .expect("prepare")
        .query_map([customer], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// The customers whose stored health differs from a full recompute as of today.
pub fn drift(s: &Store) -> Vec<cscx::store::health_sync::Drift> {
    cscx::store::health_sync::drift(&s.reader(false).expect("reader"), None, s.today())
        .expect("drift")
}

/// Builds docs/health.md's worked example (Acme) for `customer` in `session`'s customer.
pub struct Acme {
    pub customer: String,
    pub workspace: String,
    pub user: String,
    pub session: String,
}

pub fn build_acme(s: &mut Store, a: &Acme) {
    let (c, ws, user, session) = (&a.customer, &a.workspace, &a.user, &a.session);
    s.write(|w| {
        let s = Some;
        insert_range(
            w,
            "NPS",
            true,
            (s(-100.0), s(0.0)),
            (s(0.0), s(30.0)),
            (s(30.0), s(100.0)),
        )?;
        insert_range(
            w,
            "Weekly active users %",
            true,
            (s(0.0), s(40.0)),
            (s(40.0), s(60.0)),
            (s(60.0), s(100.0)),
        )?;
        insert_range(
            w,
            "Feature adoption %",
            true,
            (s(0.0), s(20.0)),
            (s(20.0), s(50.0)),
            (s(50.0), s(100.0)),
        )?;
        insert_range(
            w,
            "Ticket resolution hours",
            false,
            (s(72.0), s(240.0)),
            (s(24.0), s(72.0)),
            (s(0.0), s(24.0)),
        )?;
        let nps = insert_kpi(w, c, "NPS", "Relationship Strength", None)?;
        insert_value(w, c, &nps, 2026, 10, Some(24.0))?;
        insert_value(w, c, &nps, 2026, 11, Some(51.0))?;
        let wau = insert_kpi(
            w,
            c,
            "Weekly active users %",
            "Adoption & Engagement",
            Some(2.0),
        )?;
        insert_value(w, c, &wau, 2026, 9, Some(56.0))?;
        insert_value(w, c, &wau, 2026, 11, Some(50.0))?;
        let features = insert_kpi(
            w,
            c,
            "Feature adoption %",
            "Adoption & Engagement",
            Some(1.0),
        )?;
        insert_value(w, c, &features, 2026, 10, Some(29.0))?;
        let tickets = insert_kpi(
            w,
            c,
            "Ticket resolution hours",
            "Support & Experience",
            None,
        )?;
        insert_value(w, c, &tickets, 2026, 11, Some(30.0))?;
        let renewal = insert_kpi(w, c, "Renewal forecast", "Business Outcomes", None)?;
        insert_value(w, c, &renewal, 2026, 11, Some(0.9))?;

        for day in ["2026-11-20", "2026-11-20", "2026-11-03"] {
            insert_message(w, session, date(day))?;
        }
        insert_call(w, ws, user, c, "completed", date("2026-11-10"))?;
        insert_call(w, ws, user, c, "completed", date("2026-10-21"))?; // 31 days old
        insert_call(w, ws, user, c, "no-show", date("2026-11-12"))?; // did not happen
        insert_meeting(w, c, "completed", date("2026-10-23"))?; // 29 days old
        insert_meeting(w, c, "cancelled", date("2026-11-14"))?; // did not happen

        let m1 = insert_module(w, "Basics")?;
        let m2 = insert_module(w, "Advanced")?;
        insert_progress(w, c, None, &m1, 100)?;
        insert_progress(w, c, None, &m2, 40)?;
        insert_adoption_score(w, c, date("2026-09-15"), 58.0)?;
        insert_adoption_score(w, c, date("2026-11-01"), 62.0)?;
        insert_telemetry(w, c, date("2026-06-01"))?;
        for day in [
            "2026-10-10",
            "2026-10-15",
            "2026-10-20",
            "2026-10-25",
            "2026-10-28",
            "2026-11-01",
            "2026-11-03",
            "2026-11-05",
            "2026-11-07",
            "2026-11-09",
            "2026-11-11",
            "2026-11-13",
            "2026-11-15",
            "2026-11-17",
            "2026-11-19",
        ] {
            insert_telemetry(w, c, date(day))?;
        }
        // a second metric on a day already counted: telemetry counts days, not rows
        insert_telemetry(w, c, date("2026-11-19"))?;
        Ok(())
    })
    .expect("acme");
}
