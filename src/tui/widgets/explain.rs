//! "Why is this 62?": the explanation of a health score as lines — score and change, each
//! component with weight, value and contribution, categories, KPIs that crossed a band.

use ratatui::text::{Line, Span};

use crate::health::overall::whole;
use crate::health::{Explanation, KpiStatus, Thresholds};
use crate::tui::text::{self, clean, truncate};
use crate::tui::theme::Theme;

/// A KPI's band by name, "—" when it has none.
pub fn status(s: Option<KpiStatus>) -> &'static str {
    s.map_or("—", KpiStatus::as_str)
}

fn num(v: Option<f64>) -> String {
    v.map_or("—".into(), text::score)
}

/// A weight (0-1) as a whole percentage, half up. Not `text::score`: a weight is not kept in
/// tenths, and rounding 38.46 to 38.5 first would show 39.
fn percent(weight: f64) -> String {
    (weight * 100.0).round().to_string()
}

/// How a component's detail sentence is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Cut to one line: the health tab's panel has a fixed height and no scroll.
    Cut,
    /// In full, wrapped at word boundaries: the account 360 scrolls.
    Wrap,
}

/// The columns after a component's label: ` weight  value  points`.
const NUMBERS: usize = 22;
/// The widest a component or category label gets.
const LABEL: usize = 24;

/// The explanation as lines of at most `width` columns each: nothing is left for the
/// paragraph to wrap, so nothing breaks mid-word or spills out of its panel. The score is in
/// its band's colour by `thresholds`, the workspace's as configured now (the explanation
/// keeps the ones of its recompute, which a later configuration may have changed), so it
/// agrees with the customer list.
pub fn lines<'a>(
    e: &Explanation,
    thresholds: Thresholds,
    width: u16,
    detail: Detail,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let w = width as usize;
    let mut out = Vec::new();
    let band = theme.band(e.score.map(|s| thresholds.band(whole(s) as f64)));
    let score = num(e.score);
    let mut change = String::new();
    if let (Some(p), Some(s)) = (&e.previous, e.score) {
        // between the scores as shown: "62 ▲ +1 since … (61)" always adds up
        let d = whole(s) - whole(p.score);
        let arrow = match d {
            1.. => "▲",
            ..=-1 => "▼",
            0 => "·",
        };
        change = format!(
            "  {arrow} {d:+} since {} ({})",
            p.as_of,
            text::score(p.score)
        );
    }
    let change = truncate(&change, w.saturating_sub(6 + text::width(&score))).into_owned();
    let bands = format!(
        "bands: red <{} ≤ yellow <{} ≤ green",
        thresholds.red_below, thresholds.green_from
    );
    let used = 6 + text::width(&score) + text::width(&change);
    let bands_beside = used + 2 + text::width(&bands) <= w;
    let mut head = vec![
        Span::styled("Score ", theme.dim),
        Span::styled(score, band.add_modifier(ratatui::style::Modifier::BOLD)),
        Span::styled(change, theme.dim),
    ];
    if bands_beside {
        head.push(Span::styled(format!("  {bands}"), theme.dim));
    }
    out.push(Line::from(head));
    if !bands_beside {
        // on its own line; without its label if that is what it takes to fit
        let short = bands.trim_start_matches("bands: ");
        let shown = if text::width(&bands) <= w {
            &bands
        } else {
            short
        };
        out.push(Line::styled(truncate(shown, w).into_owned(), theme.dim));
    }
    // labels give way first on a narrow panel, the numbers keep their columns
    let label_w = w.saturating_sub(NUMBERS).min(LABEL);
    let fit = |s: String| truncate(&s, w).into_owned();
    if !e.components.is_empty() {
        out.push(Line::styled(
            fit(format!(
                "{:<label_w$} {:>6} {:>6} {:>7}",
                "component", "weight", "value", "points"
            )),
            theme.header,
        ));
        for c in &e.components {
            let label = clean(&c.label);
            out.push(Line::styled(
                fit(format!(
                    "{:<label_w$} {:>5}% {:>6} {:>7}",
                    truncate(&label, label_w),
                    percent(c.effective_weight),
                    num(c.value),
                    text::tenth(c.contribution)
                )),
                theme.text,
            ));
            if c.detail.is_empty() {
                continue;
            }
            let sentence = clean(&c.detail);
            let shown = match detail {
                Detail::Cut => vec![truncate(&sentence, w.saturating_sub(2)).into_owned()],
                Detail::Wrap => text::wrap(&sentence, w.saturating_sub(2), ""),
            };
            for l in shown {
                out.push(Line::styled(format!("  {l}"), theme.dim));
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
        // `  ` before the name, ` weight  score  n/m KPIs` after it
        let name_w = w.saturating_sub(26).min(LABEL);
        for c in &e.categories {
            out.push(Line::styled(
                fit(format!(
                    "  {:<name_w$} {:>5}% {:>6}  {}/{} KPIs",
                    truncate(&clean(&c.name), name_w),
                    percent(c.effective_weight),
                    num(c.score),
                    c.valid_kpis,
                    c.total_kpis
                )),
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
                fit(format!(
                    "  {} {}: {} → {} ({} → {})",
                    if worse { "▼" } else { "▲" },
                    truncate(&clean(&x.kpi), 28),
                    status(x.from),
                    status(x.to),
                    num(x.previous_value),
                    num(x.value)
                )),
                if worse { theme.red } else { theme.green },
            ));
        }
    }
    // notes are sentences: always in full
    for n in &e.notes {
        for l in text::wrap(&clean(n), w, "  ") {
            out.push(Line::styled(l, theme.dim));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::{Component, Previous};
    use crate::tui::theme::ThemeKind;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn scores_and_changes_round_half_up_as_the_customer_list_does() {
        let e = Explanation {
            score: Some(16.5),
            previous: Some(Previous {
                score: 12.5,
                as_of: "2026-04".into(),
            }),
            components: vec![Component {
                key: "kpi".into(),
                label: "KPIs".into(),
                weight: 0.6,
                effective_weight: 0.125,
                value: Some(40.5),
                contribution: 5.06,
                detail: String::new(),
            }],
            ..Explanation::default()
        };
        let shown = text(&lines(
            &e,
            Thresholds::default(),
            80,
            Detail::Wrap,
            &Theme::new(ThemeKind::Dark),
        ));
        // {:.0} said "Score 16 ▲ +4 since 2026-04 (12)": neither 16 nor 12 is what the list
        // shows for these scores
        assert!(
            shown.contains("Score 17  ▲ +4 since 2026-04 (13)"),
            "{shown}"
        );
        assert!(shown.contains("   13%     41     5.1"), "{shown}");
        let e = Explanation {
            components: vec![Component {
                effective_weight: 0.25 / 0.65,
                ..e.components[0].clone()
            }],
            ..e
        };
        let shown = text(&lines(
            &e,
            Thresholds::default(),
            80,
            Detail::Wrap,
            &Theme::new(ThemeKind::Dark),
        ));
        assert!(shown.contains("   38%"), "38.46% is 38%:\n{shown}");
    }
}
