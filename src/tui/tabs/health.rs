//! Health trends: for the selected customer, a chart of overall and category scores by month,
//! the explanation of the current score and the KPIs against their reference ranges; or
//! (`v`) the portfolio: accounts by band, ARR at risk, biggest movers this month.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, Widget, Wrap,
};

use crate::health::KpiStatus;
use crate::tui::text::{clean, count, money, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::{chart, explain, table::Grid, table::title};
use crate::tui::worker::{Portfolio, Trends};

#[derive(Default)]
pub struct HealthTab {
    pub trends: Option<Trends>,
    pub portfolio: Option<Portfolio>,
    pub portfolio_view: bool,
    /// Scroll of the KPI table.
    pub scroll: u16,
    /// Selected mover.
    pub mover: usize,
}

fn range(r: (Option<f64>, Option<f64>)) -> String {
    match r {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "—".into(),
    }
}

impl HealthTab {
    pub fn customer_id(&self) -> Option<&str> {
        self.trends.as_ref().map(|t| t.customer_id.as_str())
    }

    pub fn render(
        &self,
        area: Rect,
        layout: &crate::tui::layout::Layout,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        if self.portfolio_view {
            return self.render_portfolio(layout, buf, theme);
        }
        let Some(t) = &self.trends else {
            Paragraph::new("loading… (select a customer in the Customers tab; v: portfolio view)")
                .style(theme.dim)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border),
                )
                .render(area, buf);
            return;
        };
        let (chart_area, explain_area, kpi_area) = layout.health();
        let name = t
            .explanation
            .as_ref()
            .map(|e| clean(&e.customer_name).into_owned())
            .unwrap_or_default();
        let block = Block::default().title(title(
            "Health by month",
            format!("{} · v portfolio ", truncate(&name, 30)),
            theme,
        ));
        if t.months.is_empty() {
            Paragraph::new("no monthly health trend stored")
                .style(theme.dim)
                .block(block.borders(Borders::ALL).border_style(theme.border))
                .render(chart_area, buf);
        } else {
            chart::render(&t.months, block, chart_area, buf, theme);
        }
        let lines = match &t.explanation {
            Some(e) => explain::lines(e, explain_area.width.saturating_sub(2), theme),
            None => vec![Line::styled("no health data", theme.dim)],
        };
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(title("Why this score", String::new(), theme)),
            )
            .render(explain_area, buf);
        let skip = (self.scroll as usize).min(t.kpis.len().saturating_sub(1));
        let rows: Vec<Row> = t
            .kpis
            .iter()
            .skip(skip)
            .map(|k| {
                let style = match k.status {
                    Some(KpiStatus::Healthy) => theme.green,
                    Some(KpiStatus::Risk) => theme.yellow,
                    Some(KpiStatus::Critical) => theme.red,
                    None => theme.dim,
                };
                Row::new(vec![
                    Cell::from(truncate(&clean(&k.category), 22).into_owned()),
                    Cell::from(truncate(&clean(&k.name), 28).into_owned()),
                    Cell::from(
                        Line::from(k.value.map_or("—".into(), |v| format!("{v:.1}")))
                            .right_aligned(),
                    ),
                    Cell::from(Span::styled(
                        match k.status {
                            Some(KpiStatus::Healthy) => "healthy",
                            Some(KpiStatus::Risk) => "risk",
                            Some(KpiStatus::Critical) => "critical",
                            None => "—",
                        },
                        style,
                    )),
                    Cell::from(range(k.healthy)),
                    Cell::from(range(k.risk)),
                    Cell::from(range(k.critical)),
                    Cell::from(if k.higher_is_better { "↑" } else { "↓" }),
                ])
                .style(theme.text)
            })
            .collect();
        Grid {
            title: title(
                "KPIs vs reference ranges",
                format!("{} · j/k scroll ", t.kpis.len()),
                theme,
            ),
            header: [
                "Category", "KPI", "Value", "Status", "Healthy", "Risk", "Critical", "Better",
            ]
            .into_iter()
            .map(Cell::from)
            .collect(),
            widths: vec![
                Constraint::Length(22),
                Constraint::Min(14),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(11),
                Constraint::Length(11),
                Constraint::Length(11),
                Constraint::Length(6),
            ],
            rows,
            selected: None,
            focused: false,
            empty: "  no KPIs for this customer",
        }
        .render(kpi_area, buf, theme);
    }

    fn render_portfolio(
        &self,
        layout: &crate::tui::layout::Layout,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let (bands_area, movers_area) = layout.portfolio();
        let Some(p) = &self.portfolio else {
            Paragraph::new("loading the portfolio…")
                .style(theme.dim)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border),
                )
                .render(layout.body, buf);
            return;
        };
        let b = &p.bands;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title(
                "Accounts by band",
                "· v customer view ".into(),
                theme,
            ));
        let inner = block.inner(bands_area);
        block.render(bands_area, buf);
        let [bars, text] =
            Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(inner);
        let bar = |label: &'static str, value: i64, style: Style| {
            Bar::default()
                .label(Line::from(label))
                .value(value.max(0) as u64)
                .text_value(count(value))
                .style(style)
                .value_style(style.reversed())
        };
        let width = (bars.width.saturating_sub(4) / 4).clamp(3, 12);
        BarChart::default()
            .data(BarGroup::default().bars(&[
                bar("red", b.red, theme.red),
                bar("yellow", b.yellow, theme.yellow),
                bar("green", b.green, theme.green),
                bar("none", b.unscored, theme.dim),
            ]))
            .bar_width(width)
            .bar_gap(1)
            .render(bars, buf);
        Paragraph::new(vec![
            Line::styled("ARR at risk", theme.header),
            Line::from(vec![
                Span::styled(format!("red {}", money(Some(b.red_arr_cents))), theme.red),
                Span::styled("  ·  ", theme.dim),
                Span::styled(
                    format!("yellow {}", money(Some(b.yellow_arr_cents))),
                    theme.yellow,
                ),
            ]),
            Line::styled(
                format!(
                    "total {} · red <{} ≤ yellow <{} ≤ green",
                    money(Some(b.red_arr_cents + b.yellow_arr_cents)),
                    p.thresholds.red_below,
                    p.thresholds.green_from
                ),
                theme.dim,
            ),
        ])
        .render(text, buf);
        let month = p
            .movers
            .first()
            .map(|m| m.month.clone())
            .unwrap_or_default();
        let rows: Vec<Row> = p
            .movers
            .iter()
            .map(|m| {
                let d = m.to - m.from;
                let style = if d < 0.0 { theme.red } else { theme.green };
                Row::new(vec![
                    Cell::from(truncate(&clean(&m.name), 30).into_owned()),
                    Cell::from(Line::from(format!("{:.0}", m.from)).right_aligned()),
                    Cell::from(Line::from(format!("{:.0}", m.to)).right_aligned()),
                    Cell::from(Line::from(Span::styled(format!("{d:+.0}"), style)).right_aligned()),
                ])
                .style(theme.text)
            })
            .collect();
        Grid {
            title: title(
                "Biggest movers",
                format!("{month} vs the month before · enter opens "),
                theme,
            ),
            header: ["Customer", "Before", "Now", "Change"]
                .into_iter()
                .map(Cell::from)
                .collect(),
            widths: vec![
                Constraint::Min(12),
                Constraint::Length(6),
                Constraint::Length(6),
                Constraint::Length(6),
            ],
            rows,
            selected: Some(self.mover),
            focused: true,
            empty: "  no two months of health to compare",
        }
        .render(movers_area, buf, theme);
    }
}
