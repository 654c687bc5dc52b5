//! "Why is this 62?": the explanation of a health score as lines — score and change, each
//! component with weight, value and contribution, categories, KPIs that crossed a band.

use ratatui::text::{Line, Span};

use crate::health::{Explanation, KpiStatus};
use crate::tui::text::{clean, truncate};
use crate::tui::theme::Theme;

fn status(s: Option<KpiStatus>) -> &'static str {
    match s {
        Some(KpiStatus::Healthy) => "healthy",
        Some(KpiStatus::Risk) => "risk",
        Some(KpiStatus::Critical) => "critical",
        None => "—",
    }
}

fn num(v: Option<f64>) -> String {
    v.map_or("—".into(), |v| format!("{v:.0}"))
}

pub fn lines<'a>(e: &Explanation, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let w = width as usize;
    let mut out = Vec::new();
    let band = theme.band(e.band);
    let mut head = vec![
        Span::styled("Score ", theme.dim),
        Span::styled(
            num(e.score),
            band.add_modifier(ratatui::style::Modifier::BOLD),
        ),
    ];
    if let (Some(p), Some(s)) = (&e.previous, e.score) {
        let d = s - p.score;
        let arrow = if d >= 1.0 {
            "▲"
        } else if d <= -1.0 {
            "▼"
        } else {
            "·"
        };
        head.push(Span::styled(
            format!("  {arrow} {d:+.0} since {} ({:.0})", p.as_of, p.score),
            theme.dim,
        ));
    }
    head.push(Span::styled(
        format!(
            "  bands: red <{} ≤ yellow <{} ≤ green",
            e.thresholds.red_below, e.thresholds.green_from
        ),
        theme.dim,
    ));
    out.push(Line::from(head));
    if !e.components.is_empty() {
        out.push(Line::styled(
            format!(
                "{:<24} {:>6} {:>6} {:>7}",
                "component", "weight", "value", "points"
            ),
            theme.header,
        ));
        for c in &e.components {
            let label = clean(&c.label);
            out.push(Line::from(vec![
                Span::styled(format!("{:<24} ", truncate(&label, 24)), theme.text),
                Span::styled(
                    format!(
                        "{:>5.0}% {:>6} {:>7.1}",
                        c.effective_weight * 100.0,
                        num(c.value),
                        c.contribution
                    ),
                    theme.text,
                ),
            ]));
            if !c.detail.is_empty() {
                out.push(Line::styled(
                    format!("  {}", truncate(&clean(&c.detail), w.saturating_sub(2))),
                    theme.dim,
                ));
            }
        }
    }
    let has_component_per_category = e
        .components
        .iter()
        .zip(&e.categories)
        .all(|(c, k)| c.label == k.name);
    if !e.categories.is_empty() && !has_component_per_category {
        out.push(Line::styled("KPI categories", theme.header));
        for c in &e.categories {
            out.push(Line::styled(
                format!(
                    "  {:<24} {:>5.0}% {:>6}  {}/{} KPIs",
                    truncate(&clean(&c.name), 24),
                    c.effective_weight * 100.0,
                    num(c.score),
                    c.valid_kpis,
                    c.total_kpis
                ),
                theme.text,
            ));
        }
    }
    if !e.crossings.is_empty() {
        out.push(Line::styled("KPIs that crossed a band", theme.header));
        for x in &e.crossings {
            let worse = matches!(
                (x.from, x.to),
                (Some(KpiStatus::Healthy), _) | (Some(KpiStatus::Risk), Some(KpiStatus::Critical))
            );
            out.push(Line::styled(
                format!(
                    "  {} {}: {} → {} ({} → {})",
                    if worse { "▼" } else { "▲" },
                    truncate(&clean(&x.kpi), 28),
                    status(x.from),
                    status(x.to),
                    num(x.previous_value),
                    num(x.value)
                ),
                if worse { theme.red } else { theme.green },
            ));
        }
    }
    for n in &e.notes {
        out.push(Line::styled(truncate(&clean(n), w).into_owned(), theme.dim));
    }
    out
}
