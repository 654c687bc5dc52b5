//! How Calls is drawn: outcome counts and loss reasons on top, the log below.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Widget};

use crate::store::enums::CallOutcome;
use crate::tui::text::{clean, count, counted, date, duration, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::table::{Grid, position_of, title};

use super::CallsScreen;

/// Date, customer, who was called, who logged it, type, status, outcome, duration, notes
/// (which fill whatever is left).
const COLUMNS: [Column; 9] = [
    Column::fixed(10, 10),
    Column::fixed(18, 10),
    Column::fixed(16, 8),
    Column::fixed(14, 8),
    Column::fixed(8, 7),
    Column::fixed(11, 7),
    Column::fixed(16, 6),
    // `12m 30s`
    Column::fixed(7, 4),
    Column::fill(10, 0),
];

impl CallsScreen {
    pub(super) fn draw(
        &self,
        layout: &crate::tui::layout::Layout,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let (stats_area, list_area) = layout.calls();
        let mut lines = Vec::new();
        match &self.stats {
            Some(s) => {
                let mut spans = vec![Span::styled(
                    format!("{}  ", counted(s.total, "call", "calls")),
                    theme.text,
                )];
                for (o, n) in &s.outcomes {
                    let (name, style) = match o {
                        Some(CallOutcome::Won) => ("won", theme.green),
                        Some(CallOutcome::Lost) => ("lost", theme.red),
                        Some(CallOutcome::Tbd) => ("tbd", theme.yellow),
                        None => ("no outcome", theme.dim),
                    };
                    spans.push(Span::styled(format!("{name} {}  ", count(*n)), style));
                }
                lines.push(Line::from(spans));
                let mut spans = vec![Span::styled("lost because: ", theme.dim)];
                if s.loss_reasons.is_empty() {
                    spans.push(Span::styled("—", theme.dim));
                }
                // whole reasons only: the ones that do not fit are left out, and an ellipsis
                // says so
                let mut room = usize::from(stats_area.width.saturating_sub(2)).saturating_sub(14);
                for (reason, n) in &s.loss_reasons {
                    let text = format!("{} {}  ", clean(reason), count(*n));
                    if width(text.trim_end()) + 1 > room {
                        spans.push(Span::styled("…", theme.dim));
                        break;
                    }
                    room -= width(&text).min(room);
                    spans.push(Span::styled(text, theme.text));
                }
                lines.push(Line::from(spans));
            }
            None => lines.push(Line::styled("counting…", theme.dim)),
        }
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border)
                    .title(title(
                        "Outcomes",
                        format!("· {} ", self.filter_text()),
                        theme,
                    )),
            )
            .render(stats_area, buf);
        let w = columns::fit(&COLUMNS, list_area.width.saturating_sub(2));
        let cell = |text: &str, i: usize| truncate(text, usize::from(w[i])).into_owned();
        let rows: Vec<Row> = self
            .list
            .rows
            .iter()
            .map(|c| {
                let outcome_style = match c.outcome.as_deref() {
                    Some("won") => theme.green,
                    Some("lost") => theme.red,
                    _ => theme.text,
                };
                Row::new(vec![
                    Cell::from(date(&c.when).to_owned()),
                    Cell::from(cell(&clean(c.customer_name.as_deref().unwrap_or("—")), 1)),
                    Cell::from(cell(&clean(&c.prospect_name), 2)),
                    Cell::from(cell(&clean(&c.owner), 3)),
                    Cell::from(cell(&c.call_type, 4)),
                    Cell::from(cell(&c.status, 5)),
                    Cell::from(Span::styled(
                        cell(
                            &match (&c.outcome, &c.loss_reason) {
                                (Some(o), Some(r)) => format!("{o}: {}", clean(r)),
                                (Some(o), None) => o.clone(),
                                _ => "—".into(),
                            },
                            6,
                        ),
                        outcome_style,
                    )),
                    Cell::from(Line::from(duration(c.duration)).right_aligned()),
                    Cell::from(cell(&clean(c.notes.as_deref().unwrap_or("")), 8)),
                ])
                .style(theme.text)
            })
            .collect();
        let of = self.stats.as_ref().map(|s| s.total);
        Grid {
            title: title(
                "Call log",
                format!("{} · newest first ", position_of(self.list.position(), of)),
                theme,
            ),
            header: [
                "Date",
                "Customer",
                "With",
                "Logged by",
                "Type",
                "Status",
                "Outcome",
                "Dur",
                "Notes",
            ]
            .into_iter()
            .map(Cell::from)
            .collect(),
            widths: columns::constraints(&w),
            rows,
            selected: Some(self.list.selected),
            focused: true,
            empty: if self.list.loaded {
                "  no call matches"
            } else {
                "  loading…"
            },
        }
        .render(list_area, buf, theme);
        if let Some(view) = &self.open {
            view.render(layout.body, buf, theme);
        }
    }
}
