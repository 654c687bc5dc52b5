//! The health chart: overall and category scores by month (ratatui `Chart`), 0-100.
//!
//! The legend is drawn beside the plot, never over it: ratatui's own legend sits inside the
//! plotting area and hid the lines and labels under it. When the panel is too narrow for
//! both, the plot keeps the room and the legend is left out.

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
    let (plot, legend) = if with_legend {
        let [plot, legend] =
            Layout::horizontal([Constraint::Min(MIN_PLOT), Constraint::Length(legend_width)])
                .areas(inner);
        (plot, Some(legend))
    } else {
        (inner, None)
    };
    if let Some(legend) = legend {
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
    }
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
