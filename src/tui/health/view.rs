//! How Health trends is drawn: the chart, the explanation and the KPI table, or the
//! portfolio's bands and movers.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, Widget};

use crate::health::KpiStatus;
use crate::health::overall::whole;
use crate::tui::screen::View;
use crate::tui::text::{clean, count, money, score, tenth, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::table::{Grid, fit_line, title};
use crate::tui::widgets::{chart, explain};

use super::HealthScreen;

/// Category, KPI (fills), value, status, the three ranges, which way is better.
const KPI_COLUMNS: [Column; 8] = [
    Column::fixed(22, 10),
    Column::fill(14, 10),
    Column::fixed(8, 6),
    Column::fixed(8, 8),
    Column::fixed(11, 7),
    Column::fixed(11, 7),
    Column::fixed(11, 7),
    Column::fixed(6, 6),
];

/// Customer (fills), the score before and now, the change.
const MOVER_COLUMNS: [Column; 4] = [
    Column::fill(12, 8),
    Column::fixed(6, 6),
    Column::fixed(6, 6),
    Column::fixed(6, 6),
];

fn range(r: (Option<f64>, Option<f64>)) -> String {
    match r {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => "—".into(),
    }
}

impl HealthScreen {
    /// The customer view or the portfolio; the customer's score in its band's colour by its
    /// workspace's thresholds.
    pub(super) fn draw(&self, layout: &crate::tui::layout::Layout, buf: &mut Buffer, view: &View) {
        let (area, theme, thresholds) = (layout.body, view.theme, view.thresholds);
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
        // the name gives way to the rest of the title on a narrow panel
        let room = usize::from(chart_area.width).saturating_sub(2 + 17 + 15);
        let block = Block::default().title(title(
            "Health by month",
            format!("{} · v portfolio ", truncate(&name, room.min(30))),
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
            Some(e) => explain::lines(
                e,
                thresholds.get(&t.workspace_id).copied().unwrap_or_default(),
                explain_area.width.saturating_sub(2),
                explain::Detail::Cut,
                theme,
            ),
            None => vec![Line::styled("no health data", theme.dim)],
        };
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(title("Why this score", String::new(), theme)),
            )
            .render(explain_area, buf);
        let skip = (self.scroll as usize).min(t.kpis.len().saturating_sub(1));
        let w = columns::fit(&KPI_COLUMNS, kpi_area.width.saturating_sub(2));
        let cell =
            |text: &str, i: usize| Cell::from(truncate(text, usize::from(w[i])).into_owned());
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
                    cell(&clean(&k.category), 0),
                    cell(&clean(&k.name), 1),
                    Cell::from(Line::from(k.value.map_or("—".into(), tenth)).right_aligned()),
                    Cell::from(Span::styled(explain::status(k.status), style)),
                    cell(&range(k.healthy), 4),
                    cell(&range(k.risk), 5),
                    cell(&range(k.critical), 6),
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
            widths: columns::constraints(&w),
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
            .title(fit_line(
                title("Accounts by band", "· v customer view ".into(), theme),
                usize::from(bands_area.width.saturating_sub(2)),
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
        let counts = [
            ("red", b.red, theme.red),
            ("yellow", b.yellow, theme.yellow),
            ("green", b.green, theme.green),
            ("none", b.unscored, theme.dim),
        ];
        let data: Vec<Bar> = counts.iter().map(|&(l, n, s)| bar(l, n, s)).collect();
        BarChart::default()
            .data(BarGroup::default().bars(&data))
            .bar_width(width)
            .bar_gap(1)
            .render(bars, buf);
        // ratatui draws no value on a bar of 0, and a band with nobody in it read as a
        // missing number: write the 0 where the value goes, on the row above the labels
        // (bars of `width` from the left edge, a gap of 1), in the band's colour
        if bars.height >= 2 {
            let y = bars.bottom() - 2;
            for (i, &(_, n, style)) in counts.iter().enumerate() {
                let x = bars.x + i as u16 * (width + 1) + (width - 1) / 2;
                if n == 0 && x < bars.right() {
                    buf.set_string(x, y, "0", style);
                }
            }
        }
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
                    "total {}",
                    money(Some(b.red_arr_cents + b.yellow_arr_cents))
                ),
                theme.dim,
            ),
            Line::styled(
                match p.thresholds {
                    Some(t) => format!(
                        "bands: red <{} ≤ yellow <{} ≤ green",
                        t.red_below, t.green_from
                    ),
                    None => "bands: each workspace's thresholds".to_owned(),
                },
                theme.dim,
            ),
        ])
        .render(text, buf);
        let month = p
            .movers
            .first()
            .map(|m| m.month.clone())
            .unwrap_or_default();
        let w = columns::fit(&MOVER_COLUMNS, movers_area.width.saturating_sub(2));
        let rows: Vec<Row> = p
            .movers
            .iter()
            .map(|m| {
                // the change is between the scores as shown, so the row adds up (16.5 → 20.0
                // reads 17 → 20, +3)
                let d = whole(m.to) - whole(m.from);
                let style = if d < 0 { theme.red } else { theme.green };
                Row::new(vec![
                    Cell::from(truncate(&clean(&m.name), usize::from(w[0])).into_owned()),
                    Cell::from(Line::from(score(m.from)).right_aligned()),
                    Cell::from(Line::from(score(m.to)).right_aligned()),
                    Cell::from(Line::from(Span::styled(format!("{d:+}"), style)).right_aligned()),
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
            widths: columns::constraints(&w),
            rows,
            selected: Some(self.mover),
            focused: true,
            empty: "  no two months of health to compare",
        }
        .render(movers_area, buf, theme);
    }
}
