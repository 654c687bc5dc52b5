//! The health chart: overall and category scores by month (ratatui `Chart`), 0-100.
//!
//! The legend is drawn beside the plot, never over it: ratatui's own legend sits inside the
//! plotting area and hid the lines and labels under it. When the panel is too narrow for
//! both (80 columns), the legend goes under the plot in a compact form — each series' marker
//! and the first word of its name, flowed over as few lines as it takes — so that every line
//! can still be told from the others. It used to be left out there.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Widget};

use crate::store::read::trends::Month;
use crate::tui::text::{clean, truncate, width};
use crate::tui::theme::{Theme, ThemeKind};

/// Columns the plot keeps before a legend is given room beside it (at 80 columns the plot
/// keeps the whole panel: six lines squeezed into a third of it say nothing).
const MIN_PLOT: u16 = 30;
/// Longest series name in the legend.
const NAME: usize = 14;
/// Rows the plot keeps (axis and labels included) before a legend under it is given room.
const MIN_PLOT_ROWS: u16 = 5;

/// The legend in as few lines as fit `width`: `━ overall ━ Relationship ━ Adoption …`, each
/// series' marker in its colour and the first word of its name (the whole name, cut, where
/// first words are alike). None if even the shortest names do not fit.
fn compact<'a>(all: &[Series], room: u16, theme: &Theme) -> Option<Vec<Line<'a>>> {
    let room = usize::from(room);
    let first_words: Vec<String> = all
        .iter()
        .map(|s| {
            s.name
                .split(|c: char| c.is_whitespace() || c == '&' || c == '/')
                .find(|w| !w.is_empty())
                .unwrap_or(&s.name)
                .to_owned()
        })
        .collect();
    let distinct = first_words
        .iter()
        .enumerate()
        .all(|(i, w)| !first_words[..i].contains(w));
    for longest in [12, 8, 5] {
        let names: Vec<String> = all
            .iter()
            .zip(&first_words)
            .map(|(s, w)| {
                let name = if distinct {
                    w.as_str()
                } else {
                    s.name.as_str()
                };
                truncate(name, longest).into_owned()
            })
            .collect();
        if names.iter().any(|n| 2 + width(n) > room) {
            continue;
        }
        let mut lines: Vec<Line> = Vec::new();
        let mut used = 0;
        let mut spans: Vec<Span> = Vec::new();
        for (s, name) in all.iter().zip(names) {
            let item = 2 + width(&name);
            let gap = usize::from(!spans.is_empty());
            if used + gap + item > room {
                lines.push(Line::from(std::mem::take(&mut spans)));
                used = 0;
            } else if gap == 1 {
                spans.push(Span::raw(" "));
                used += 1;
            }
            spans.push(Span::styled("━ ", s.style));
            spans.push(Span::styled(name, theme.text));
            used += item;
        }
        if !spans.is_empty() {
            lines.push(Line::from(spans));
        }
        if lines.len() <= 3 {
            return Some(lines);
        }
    }
    None
}

struct Series {
    name: String,
    style: Style,
    points: Vec<(f64, f64)>,
}

fn series(months: &[Month], theme: &Theme) -> Vec<Series> {
    let style = |i: usize| match theme.kind {
        ThemeKind::Mono => Style::new(),
        _ => Style::new().fg(theme.series[i.min(theme.series.len() - 1)]),
    };
    let mut out = vec![Series {
        name: "overall".into(),
        style: style(0),
        points: months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.overall.map(|v| (i as f64, v)))
            .collect(),
    }];
    if let Some(last) = months.last() {
        for (k, (name, _)) in last.categories.iter().enumerate() {
            let points = months
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    m.categories
                        .iter()
                        .find(|(n, _)| n == name)
                        .and_then(|(_, v)| *v)
                        .map(|v| (i as f64, v))
                })
                .collect();
            out.push(Series {
                name: truncate(&clean(name), NAME).into_owned(),
                style: style(k + 1),
                points,
            });
        }
    }
    out
}

pub fn render(months: &[Month], block: Block<'_>, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let block = block.borders(Borders::ALL).border_style(theme.border);
    let inner = block.inner(area);
    block.render(area, buf);
    let all = series(months, theme);
    let legend_width = all.iter().map(|s| width(&s.name)).max().unwrap_or(0) as u16 + 3;
    let with_legend = inner.width >= MIN_PLOT + legend_width && inner.height as usize >= all.len();
    let plot = if with_legend {
        let [plot, legend] =
            Layout::horizontal([Constraint::Min(MIN_PLOT), Constraint::Length(legend_width)])
                .areas(inner);
        let lines: Vec<Line> = all
            .iter()
            .map(|s| {
                Line::from(vec![
                    Span::styled(" ━ ", s.style),
                    Span::styled(s.name.clone(), theme.text),
                ])
            })
            .collect();
        Paragraph::new(lines).render(legend, buf);
        plot
    } else {
        // under the plot, as many lines as the short names take, if the plot keeps its room
        let most = inner.height.saturating_sub(MIN_PLOT_ROWS);
        match compact(&all, inner.width, theme) {
            Some(lines) if lines.len() as u16 <= most => {
                let [plot, legend] = Layout::vertical([
                    Constraint::Min(MIN_PLOT_ROWS),
                    Constraint::Length(lines.len() as u16),
                ])
                .areas(inner);
                Paragraph::new(lines).render(legend, buf);
                plot
            }
            _ => inner,
        }
    };
    // categories first, the overall line last: drawn over them, it stays readable
    let datasets: Vec<Dataset> = all
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| {
            Dataset::default()
                .marker(if i == 0 { Marker::Braille } else { Marker::Dot })
                .graph_type(GraphType::Line)
                .style(s.style)
                .data(&s.points)
        })
        .collect();
    let labels_x: Vec<Span> = match (months.first(), months.last()) {
        (Some(a), Some(b)) if months.len() > 1 => {
            vec![Span::raw(a.label()), Span::raw(b.label())]
        }
        (Some(a), _) => vec![Span::raw(a.label())],
        _ => vec![],
    };
    Chart::new(datasets)
        .x_axis(
            Axis::default()
                .bounds([0.0, (months.len().max(2) - 1) as f64])
                .labels(labels_x)
                .style(theme.dim),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels(vec![Span::raw("0"), Span::raw("50"), Span::raw("100")])
                .style(theme.dim),
        )
        .legend_position(None)
        .render(plot, buf);
}
