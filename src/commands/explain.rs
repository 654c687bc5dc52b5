//! `cscx explain CUSTOMER`: why a customer's health score is what it is.
//!
//! Prints the explanation saved with the customer's latest recompute (`--json`: the same as
//! JSON): components with their weights, values and contributions (which add up to the
//! score), the KPI categories, each KPI, the KPIs that crossed a band since last month, the
//! previous score and notes.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::cli::ExplainArgs;
use crate::health::{Band, Explanation, KpiStatus};
use crate::store;

pub fn run(ctx: &Context, args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store("explain")?;
    // a customer the actor may not see is not found, as one that does not exist
    let reader = store.reader(false)?;
    let (id, _) = store::read::lookup::customer(&reader, &args.customer)?;
    let explanation = store::read::health::explanation(&reader, &id)
        .with_context(|| format!("explaining {}", args.customer))?;
    let text = if args.json {
        crate::sanitize::json_escaped(&serde_json::to_string_pretty(&explanation)?).into_owned()
            + "\n"
    } else {
        let executions = store::playbooks::executions(&reader, &id)
            .with_context(|| format!("listing the playbooks of {}", args.customer))?;
        render(&explanation) + &render_playbooks(&executions)
    };
    super::stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Text from the database, safe for a terminal: control characters (escape sequences
/// included) are shown escaped instead of being interpreted.
pub(super) fn clean(text: &str) -> String {
    crate::sanitize::escaped(text).into_owned()
}

fn band_name(b: Band) -> &'static str {
    match b {
        Band::Red => "red",
        Band::Yellow => "yellow",
        Band::Green => "green",
    }
}

fn status_name(s: Option<KpiStatus>) -> &'static str {
    match s {
        Some(KpiStatus::Healthy) => "healthy",
        Some(KpiStatus::Risk) => "risk",
        Some(KpiStatus::Critical) => "critical",
        None => "—",
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or("—".to_owned(), |v| format!("{v:.1}"))
}

/// The customer's playbook executions, newest first: playbook, status, steps, start, and for
/// one a trigger opened, the rule and the values at that moment (docs/playbooks.md). Empty
/// when there is none.
pub fn render_playbooks(executions: &[store::playbooks::Execution]) -> String {
    let mut s = String::new();
    if executions.is_empty() {
        return s;
    }
    let _ = writeln!(s, "playbooks:");
    for e in executions {
        let total = e
            .data
            .get("steps_total")
            .and_then(serde_json::Value::as_i64);
        let steps = match total {
            Some(t) => format!("{}/{t} steps", e.current_step),
            None => format!("step {}", e.current_step),
        };
        let _ = writeln!(
            s,
            "  {} ({}): {}, {steps}, started {}{}",
            clean(e.playbook_name.as_deref().unwrap_or(&e.playbook_id)),
            clean(&e.playbook_id),
            clean(&e.status),
            clean(e.started_at.as_deref().unwrap_or("—")),
            e.completed_at
                .as_deref()
                .map(|c| format!(", ended {}", clean(c)))
                .unwrap_or_default()
        );
        if let Some(rule) = e.data.get("rule").filter(|r| r.is_object()) {
            let _ = writeln!(s, "    fired on {}", clean(&rule.to_string()));
            if let Some(values) = e.data.get("values") {
                let _ = writeln!(s, "    values then {}", clean(&values.to_string()));
            }
        } else if let Some(trigger) = e.data.get("trigger").and_then(serde_json::Value::as_str) {
            let _ = writeln!(s, "    opened {} (no rule recorded)", clean(trigger));
        }
    }
    s
}

/// The explanation as text for a terminal. Contributions are printed to one decimal, as they
/// are computed, so the column adds up to the score printed under it.
pub fn render(e: &Explanation) -> String {
    let mut s = String::new();
    let name = clean(&e.customer_name);
    let _ = match (e.score, e.band) {
        (Some(score), Some(band)) => writeln!(
            s,
            "{name}: health {} ({}), score {score:.1} as of {}",
            crate::health::overall::whole(score),
            band_name(band),
            e.as_of
        ),
        _ => writeln!(s, "{name}: no health score as of {}", e.as_of),
    };
    let _ = writeln!(
        s,
        "bands: red below {}, green from {}",
        e.thresholds.red_below, e.thresholds.green_from
    );
    if let Some(p) = &e.previous {
        let change = e
            .score
            .map(|now| format!(", {:+.1} since", now - p.score))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "previous: {:.1} at the end of {}{change}",
            p.score, p.as_of
        );
    }

    let _ = writeln!(
        s,
        "\n{:<26} {:>6} {:>9} {:>6} {:>12}",
        "component", "weight", "effective", "value", "contribution"
    );
    for c in &e.components {
        let _ = writeln!(
            s,
            "{:<26} {:>6.2} {:>9.3} {:>6} {:>12.1}",
            clean(&c.label),
            c.weight,
            c.effective_weight,
            num(c.value),
            c.contribution
        );
    }
    let _ = writeln!(
        s,
        "{:<26} {:>6} {:>9} {:>6} {:>12}",
        "", "", "", "", "-----"
    );
    let _ = writeln!(
        s,
        "{:<26} {:>6} {:>9} {:>6} {:>12}",
        "score",
        "",
        "",
        "",
        num(e.score)
    );
    for c in &e.components {
        let _ = writeln!(s, "  {}: {}", clean(&c.label), clean(&c.detail));
    }

    if !e.categories.is_empty() {
        let _ = writeln!(
            s,
            "\n{:<26} {:>6} {:>9} {:>6} {:>12}",
            "KPI category", "weight", "effective", "score", "valid/total"
        );
        for c in &e.categories {
            let _ = writeln!(
                s,
                "{:<26} {:>6.2} {:>9.3} {:>6} {:>12}",
                clean(&c.name),
                c.weight,
                c.effective_weight,
                num(c.score),
                format!("{}/{}", c.valid_kpis, c.total_kpis)
            );
        }
    }
    if !e.kpis.is_empty() {
        let _ = writeln!(s, "\nKPIs");
        for k in &e.kpis {
            let value = match (&k.value, &k.month) {
                (Some(v), Some(m)) => format!("{v} in {m}"),
                _ => "no value".to_owned(),
            };
            let why = k
                .note
                .as_deref()
                .map(|n| format!(" ({})", clean(n)))
                .unwrap_or_default();
            let verdict = match (k.status, k.score) {
                (Some(_), Some(score)) => format!("{} {score:.1}", status_name(k.status)),
                _ => "not scored".to_owned(),
            };
            let _ = writeln!(
                s,
                "  {} [{}]: {value}, {verdict}{why}",
                clean(&k.kpi),
                clean(&k.category),
            );
        }
    }
    if !e.crossings.is_empty() {
        let _ = writeln!(s, "\nCrossed a band since last month");
        for c in &e.crossings {
            let _ = writeln!(
                s,
                "  {}: {} → {} ({} → {})",
                clean(&c.kpi),
                status_name(c.from),
                status_name(c.to),
                num(c.previous_value),
                num(c.value)
            );
        }
    }
    if !e.notes.is_empty() {
        let _ = writeln!(s, "\nNotes");
        for n in &e.notes {
            let _ = writeln!(s, "  - {}", clean(n));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let shown = clean("Acme\u{1b}[2J\r\nCorp");
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.starts_with("Acme\\u{1b}[2J"));
    }
}
