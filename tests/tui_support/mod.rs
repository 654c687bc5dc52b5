//! A small fixed book for the dashboard tests, written through the store's one write path:
//! 40 customers with a year of monthly health, KPIs against reference ranges, contracts,
//! stakeholders, deals with notes and actions, calls, meetings, insights, agent sessions with
//! threads and pending approvals — and one customer whose name and notes carry escape
//! sequences and control bytes. Every value is fixed (timestamps too), so snapshots are stable.
#![allow(dead_code)]

use rusqlite::types::Value;

use cscx::store::write::id_key;
use cscx::store::{Store, WriteTx};

/// The name with terminal escape sequences in it.
pub const HOSTILE: &str = "Evil\x1b[2J\x1b[H\x07Corp\u{9b}31m\r\n\u{202E}gnp.exe";

const NAMES: [&str; 40] = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Industries",
    "Wayne Enterprises",
    "Wonka Foods",
    "Soylent",
    "Hooli",
    "Pied Piper",
    "Vandelay Imports",
    "Cyberdyne",
    "Tyrell Corp",
    "Massive Dynamic",
    "Aperture Labs",
    "Black Mesa",
    "Oscorp",
    "Dunder Mifflin",
    "Prestige Worldwide",
    "Gringotts",
    "Monsters Inc",
    "Nakatomi Trading",
    "Oceanic Air",
    "Virtucon",
    "Zorg Industries",
    "Blue Sun",
    "Weyland-Yutani",
    "Sirius Cybernetics",
    "Spacely Sprockets",
    "Cogswell Cogs",
    "Bluth Company",
    "Sterling Cooper",
    "Los Pollos",
    "Krusty Krab",
    "Duff Brewery",
    "Planet Express",
    "Rekall",
    "Omni Consumer",
    "Zürich Réassurance",
    HOSTILE,
];

const STAGES: [&str; 7] = [
    "prospect",
    "onboarding",
    "active",
    "expansion",
    "renewal",
    "at_risk",
    "churned",
];
const CATEGORIES: [(&str, &str); 5] = [
    ("Relationship Strength", "relationship_strength_score"),
    ("Adoption & Engagement", "product_usage_score"),
    ("Support & Experience", "support_score"),
    ("Product Value", "customer_sentiment_score"),
    ("Business Outcomes", "business_outcomes_score"),
];

fn t(s: &str) -> Value {
    Value::Text(s.to_owned())
}
fn i(n: i64) -> Value {
    Value::Integer(n)
}
fn r(x: f64) -> Value {
    Value::Real(x)
}

fn row(pairs: Vec<(&str, Value)>) -> Vec<(String, Value)> {
    pairs.into_iter().map(|(c, v)| (c.to_owned(), v)).collect()
}

/// Deterministic pseudo-random numbers (no dependency on rand's algorithms across versions).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

fn insert(w: &mut WriteTx, table: &str, pairs: Vec<(&str, Value)>) -> String {
    let key = w
        .insert_row(table, row(pairs))
        .unwrap_or_else(|e| panic!("{table}: {e}"));
    match key.first() {
        Some((_, Value::Text(id))) => id.clone(),
        Some((_, Value::Integer(n))) => n.to_string(),
        _ => String::new(),
    }
}

/// Ids worth knowing in tests.
pub struct Book {
    pub workspace: String,
    pub dana: String,
    pub customers: Vec<String>,
    pub hostile: String,
}

pub fn build(store: &mut Store) -> Book {
    // the book's "now" is the end of May 2026: health is scored as of that day, so the
    // snapshots do not change with the real date
    store.set_today(chrono::NaiveDate::from_ymd_opt(2026, 5, 31));
    store
        .write(|w| {
            let ws = insert(w, "workspaces", vec![("name", t("Acme CS"))]);
            insert(w, "workspace_configs", vec![("workspace_id", t(&ws))]);
            let dana = insert(
                w,
                "users",
                vec![("email", t("dana@acme.test")), ("name", t("Dana Scully"))],
            );
            let fox = insert(
                w,
                "users",
                vec![("email", t("fox@acme.test")), ("name", t("Fox Mulder"))],
            );
            let abe = insert(
                w,
                "users",
                vec![("email", t("abe@acme.test")), ("name", t("Abe Zed"))],
            );
            let csms = [&dana, &fox, &abe];
            // Dana runs the workspace (the tests act as her); Fox and Abe are its CSMs
            for (user, role) in [(&dana, "admin"), (&fox, "csm"), (&abe, "csm")] {
                insert(
                    w,
                    "workspace_members",
                    vec![
                        ("workspace_id", t(&ws)),
                        ("user_id", t(user)),
                        ("role", t(role)),
                    ],
                );
            }
            let reasons: Vec<String> = ["Price", "Timing", "Competitor", "No budget"]
                .iter()
                .map(|n| {
                    insert(
                        w,
                        "loss_reasons",
                        vec![("workspace_id", t(&ws)), ("name", t(n))],
                    )
                })
                .collect();
            for (name, unit, hib, crit, risk, healthy) in [
                (
                    "Weekly active users",
                    "%",
                    1,
                    (0.0, 40.0),
                    (40.0, 70.0),
                    (70.0, 100.0),
                ),
                (
                    "Ticket backlog",
                    "tickets",
                    0,
                    (50.0, 1000.0),
                    (20.0, 50.0),
                    (0.0, 20.0),
                ),
                (
                    "NPS",
                    "points",
                    1,
                    (-100.0, 0.0),
                    (0.0, 30.0),
                    (30.0, 100.0),
                ),
            ] {
                insert(
                    w,
                    "kpi_reference_ranges",
                    vec![
                        ("kpi_name", t(name)),
                        ("unit", t(unit)),
                        ("higher_is_better", i(hib)),
                        ("critical_min", r(crit.0)),
                        ("critical_max", r(crit.1)),
                        ("risk_min", r(risk.0)),
                        ("risk_max", r(risk.1)),
                        ("healthy_min", r(healthy.0)),
                        ("healthy_max", r(healthy.1)),
                    ],
                );
            }
            let mut rng = Lcg(7);
            let mut customers = Vec::new();
            let mut hostile = String::new();
            for (n, name) in NAMES.iter().enumerate() {
                let csm = csms[n % 3];
                let c = insert(
                    w,
                    "customers",
                    vec![
                        ("workspace_id", t(&ws)),
                        ("name", t(name)),
                        ("arr_cents", i(((rng.next(500) + 5) * 1_000_000) as i64)),
                        ("stage", t(STAGES[n % STAGES.len()])),
                        ("csm_id", if n % 10 == 9 { Value::Null } else { t(csm) }),
                        (
                            "industry",
                            t(["Software", "Retail", "Health", "Finance"][n % 4]),
                        ),
                        ("region", t(["EU", "US", "UK"][n % 3])),
                        ("created_at", t("2025-06-01T09:00:00Z")),
                    ],
                );
                // a year of monthly health, drifting
                let mut score = 30.0 + rng.next(60) as f64;
                for m in 0..12 {
                    score = (score + rng.next(15) as f64 - 7.0).clamp(5.0, 98.0);
                    let (year, month) = if m < 7 { (2025, m + 6) } else { (2026, m - 6) };
                    let mut cols = vec![
                        ("customer_id", t(&c)),
                        ("workspace_id", t(&ws)),
                        ("year", i(year)),
                        ("month", i(month)),
                        ("overall_health_score", r(score)),
                        ("total_kpis", i(3)),
                        ("valid_kpis", i(3)),
                        ("created_at", t("2026-05-31T00:00:00Z")),
                        ("updated_at", t("2026-05-31T00:00:00Z")),
                    ];
                    for (k, (_, col)) in CATEGORIES.iter().enumerate() {
                        cols.push((col, r((score + k as f64 * 3.0 - 6.0).clamp(0.0, 100.0))));
                    }
                    insert(w, "health_trends", cols);
                }
                w.update_row(
                    "customers",
                    &id_key(&c),
                    row(vec![("health_score", i(score.round() as i64))]),
                )
                .unwrap_or_else(|e| panic!("health: {e}"));
                for (k, (kpi, cat)) in [
                    ("Weekly active users", "Adoption & Engagement"),
                    ("Ticket backlog", "Support & Experience"),
                    ("NPS", "Relationship Strength"),
                ]
                .iter()
                .enumerate()
                {
                    let kid = insert(
                        w,
                        "kpis",
                        vec![
                            ("customer_id", t(&c)),
                            ("category", t(cat)),
                            ("kpi_parameter", t(kpi)),
                        ],
                    );
                    let value = rng.next(100) as f64;
                    let status = match (k, value) {
                        (1, v) if v < 20.0 => "healthy",
                        (1, v) if v < 50.0 => "risk",
                        (1, _) => "critical",
                        (_, v) if v >= 70.0 => "healthy",
                        (_, v) if v >= 40.0 => "risk",
                        _ => "critical",
                    };
                    insert(
                        w,
                        "kpi_time_series",
                        vec![
                            ("kpi_id", t(&kid)),
                            ("customer_id", t(&c)),
                            ("workspace_id", t(&ws)),
                            ("year", i(2026)),
                            ("month", i(5)),
                            ("value", r(value)),
                            ("health_status", t(status)),
                            ("health_score", r(value)),
                            ("created_at", t("2026-05-31T00:00:00Z")),
                            ("updated_at", t("2026-05-31T00:00:00Z")),
                        ],
                    );
                }
                let contract = insert(
                    w,
                    "contracts",
                    vec![
                        ("customer_id", t(&c)),
                        ("file_name", t("MSA 2025")),
                        ("arr_cents", i(12_000_000)),
                        ("start_date", t("2025-07-01")),
                        (
                            "end_date",
                            t(&format!("2026-{:02}-{:02}", 6 + n % 6, 1 + n % 27)),
                        ),
                        ("status", t("active")),
                    ],
                );
                insert(
                    w,
                    "entitlements",
                    vec![
                        ("contract_id", t(&contract)),
                        ("name", t("Seats")),
                        ("quantity", i(50 + n as i64)),
                        ("unit", t("users")),
                    ],
                );
                insert(
                    w,
                    "stakeholders",
                    vec![
                        ("customer_id", t(&c)),
                        ("name", t("Pat Primary")),
                        ("role", t("VP Operations")),
                        ("email", t("pat@example.test")),
                        ("is_primary", i(1)),
                        ("sentiment", t("positive")),
                    ],
                );
                insert(
                    w,
                    "stakeholders",
                    vec![
                        ("customer_id", t(&c)),
                        ("name", t("Sam Second")),
                        ("role", t("Admin")),
                        ("sentiment", t(["neutral", "negative"][n % 2])),
                    ],
                );
                let deal_stages = [
                    "prospecting",
                    "qualification",
                    "proposal",
                    "negotiation",
                    "closed_won",
                    "closed_lost",
                ];
                let deal = insert(
                    w,
                    "deals",
                    vec![
                        ("workspace_id", t(&ws)),
                        ("customer_id", t(&c)),
                        (
                            "name",
                            t(&format!(
                                "{} expansion",
                                name.split_whitespace().next().unwrap_or("Deal")
                            )),
                        ),
                        ("amount_cents", i(((rng.next(90) + 10) * 100_000) as i64)),
                        ("stage", t(deal_stages[n % 6])),
                        ("close_dt", t(&format!("2026-{:02}-15", 6 + n % 6))),
                        ("is_actionable", i((n % 3 == 0) as i64)),
                    ],
                );
                insert(
                    w,
                    "deal_notes",
                    vec![
                        ("deal_id", t(&deal)),
                        ("user_id", t(csm)),
                        (
                            "note_txt",
                            t("Champion wants a pilot first.\nLegal review pending."),
                        ),
                        ("created_at", t("2026-05-20T10:00:00Z")),
                    ],
                );
                insert(
                    w,
                    "deal_actions",
                    vec![
                        ("deal_id", t(&deal)),
                        ("action_txt", t("Send pilot proposal")),
                        ("owner_user_id", t(csm)),
                        ("due_dt", t("2026-06-10")),
                        ("status", t("open")),
                    ],
                );
                for k in 0..3 {
                    let outcome = ["won", "lost", "tbd"][(n + k) % 3];
                    let mut cols = vec![
                        ("workspace_id", t(&ws)),
                        ("user_id", t(csms[(n + k) % 3])),
                        ("customer_id", t(&c)),
                        ("prospect_name", t("Pat Primary")),
                        ("call_type", t(["inbound", "outbound"][k % 2])),
                        (
                            "status",
                            t(["completed", "no-show", "rescheduled"][(n * k) % 3]),
                        ),
                        ("outcome", t(outcome)),
                        (
                            "notes",
                            t(if name == &HOSTILE {
                                "\x1b]0;pwned\x07 title change"
                            } else {
                                "Discussed renewal timeline"
                            }),
                        ),
                        ("call_duration", i(600 + 300 * k as i64)),
                        (
                            "created_at",
                            t(&format!(
                                "2026-05-{:02}T{:02}:00:00Z",
                                1 + (n + 7 * k) % 28,
                                9 + k
                            )),
                        ),
                        (
                            "completed_at",
                            t(&format!(
                                "2026-05-{:02}T{:02}:30:00Z",
                                1 + (n + 7 * k) % 28,
                                9 + k
                            )),
                        ),
                    ];
                    if outcome == "lost" {
                        cols.push(("loss_reason_id", t(&reasons[(n + k) % reasons.len()])));
                    }
                    insert(w, "calls", cols);
                }
                insert(
                    w,
                    "meetings",
                    vec![
                        ("customer_id", t(&c)),
                        ("title", t("Quarterly business review")),
                        ("scheduled_at", t("2026-05-12T15:00:00Z")),
                        ("status", t("completed")),
                        ("duration", i(45)),
                    ],
                );
                insert(
                    w,
                    "insights",
                    vec![
                        ("customer_id", t(&c)),
                        ("workspace_id", t(&ws)),
                        ("type", t(["risk", "opportunity", "concern"][n % 3])),
                        ("content", t("Usage dropped after the reorg")),
                        ("importance", t("high")),
                        ("created_at", t("2026-05-13T10:00:00Z")),
                    ],
                );
                if n % 4 == 0 {
                    let s = insert(
                        w,
                        "agent_sessions",
                        vec![
                            ("customer_id", t(&c)),
                            ("user_id", t(csm)),
                            ("active_agent", t("renewal")),
                            (
                                "created_at",
                                t(&format!("2026-05-{:02}T08:00:00Z", 1 + n % 28)),
                            ),
                        ],
                    );
                    insert(
                        w,
                        "agent_messages",
                        vec![
                            ("session_id", t(&s)),
                            ("role", t("user")),
                            (
                                "content",
                                t(&format!("Prepare the renewal brief for {name}")),
                            ),
                            ("created_at", t("2026-05-20T08:00:00Z")),
                        ],
                    );
                    insert(
                        w,
                        "agent_messages",
                        vec![
                            ("session_id", t(&s)),
                            ("role", t("agent")),
                            ("agent_id", t("renewal-bot")),
                            ("thinking", i(1)),
                            ("content", t("Checking contracts and usage…")),
                            ("created_at", t("2026-05-20T08:00:05Z")),
                        ],
                    );
                    insert(
                        w,
                        "agent_messages",
                        vec![
                            ("session_id", t(&s)),
                            ("role", t("agent")),
                            ("agent_id", t("renewal-bot")),
                            (
                                "content",
                                t("Usage is down 12% since March.\nI drafted a discount offer."),
                            ),
                            (
                                "tool_calls",
                                t(r#"[{"name":"crm.lookup"},{"name":"usage.report"}]"#),
                            ),
                            ("requires_approval", i(1)),
                            ("created_at", t("2026-05-20T08:01:00Z")),
                        ],
                    );
                    insert(
                        w,
                        "approvals",
                        vec![
                            ("session_id", t(&s)),
                            ("agent_id", t("renewal-bot")),
                            ("action", t("Offer a 10% renewal discount")),
                            (
                                "created_at",
                                t(&format!("2026-05-{:02}T08:02:00Z", 1 + n % 28)),
                            ),
                        ],
                    );
                }
                if name == &HOSTILE {
                    hostile = c.clone();
                }
                customers.push(c);
            }
            Ok(Book {
                workspace: ws,
                dana,
                customers,
                hostile,
            })
        })
        .expect("the test book")
        .value
}
