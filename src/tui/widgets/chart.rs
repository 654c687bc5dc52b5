//! The health chart: overall and category scores by month (ratatui `Chart`), 0-100.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Widget};

use crate::store::read::trends::Month;
use crate::tui::text::{clean, truncate};
use crate::tui::theme::Theme;

pub fn render(months: &[Month], block: Block<'_>, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let mut series: Vec<(String, Vec<(f64, f64)>)> = vec![(
        "overall".into(),
        months
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.overall.map(|v| (i as f64, v)))
            .collect(),
    )];
    if let Some(first) = months.last() {
        for (name, _) in &first.categories {
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
            series.push((truncate(&clean(name), 14).into_owned(), points));
        }
    }
    let datasets: Vec<Dataset> = series
        .iter()
        .enumerate()
        .map(|(i, (name, points))| {
            let color = theme.series[i.min(theme.series.len() - 1)];
            let mut style = Style::new().fg(color);
            if theme.kind == crate::tui::theme::ThemeKind::Mono {
                style = Style::new();
            }
            Dataset::default()
                .name(name.clone())
                .marker(if i == 0 { Marker::Braille } else { Marker::Dot })
                .graph_type(GraphType::Line)
                .style(style)
                .data(points)
        })
        .collect();
    let labels_x: Vec<Span> = match (months.first(), months.last()) {
        (Some(a), Some(b)) if months.len() > 1 => {
            vec![Span::raw(a.label()), Span::raw(b.label())]
        }
        (Some(a), _) => vec![Span::raw(a.label())],
        _ => vec![],
    };
    let chart = Chart::new(datasets)
        .block(block.borders(Borders::ALL).border_style(theme.border))
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
        .hidden_legend_constraints((
            ratatui::layout::Constraint::Percentage(60),
            ratatui::layout::Constraint::Percentage(60),
        ));
    chart.render(area, buf);
}
