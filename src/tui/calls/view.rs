//! How Calls is drawn: outcome counts and loss reasons on top, the log below.

use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Widget};

use crate::store::enums::CallOutcome;
use crate::store::read::calls::CallRow;
use crate::tui::text::{clean, count, counted, date, duration, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::Column;
use crate::tui::widgets::paged_table::{PagedTable, ToCells, cut, header, right};
use crate::tui::widgets::table::{position_of, title};

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
        let of = self.stats.as_ref().map(|s| s.total);
        PagedTable {
            list: &self.list,
            columns: &COLUMNS,
            header: header(&[
                "Date",
                "Customer",
                "With",
                "Logged by",
                "Type",
                "Status",
                "Outcome",
                "Dur",
                "Notes",
            ]),
            title: title(
                "Call log",
                format!("{} · newest first ", position_of(self.list.position(), of)),
                theme,
            ),
            focused: true,
            empty: "  no call matches",
        }
        .render(list_area, buf, theme, theme);
        if let Some(view) = &self.open {
            view.render(layout.body, buf, theme);
        }
    }
}

impl ToCells<Theme> for CallRow {
    fn cell(&self, column: usize, width: u16, theme: &Theme) -> Cell<'static> {
        match column {
            0 => Cell::from(date(&self.when).to_owned()),
            1 => cut(&clean(self.customer_name.as_deref().unwrap_or("—")), width),
            2 => cut(&clean(&self.prospect_name), width),
            3 => cut(&clean(&self.owner), width),
            4 => cut(&self.call_type, width),
            5 => cut(&self.status, width),
            6 => {
                let style = match self.outcome.as_deref() {
                    Some("won") => theme.green,
                    Some("lost") => theme.red,
                    _ => theme.text,
                };
                let text = match (&self.outcome, &self.loss_reason) {
                    (Some(o), Some(r)) => format!("{o}: {}", clean(r)),
                    (Some(o), None) => o.clone(),
                    _ => "—".into(),
                };
                Cell::from(Span::styled(
                    truncate(&text, usize::from(width)).into_owned(),
                    style,
                ))
            }
            7 => right(duration(self.duration)),
            _ => cut(&clean(self.notes.as_deref().unwrap_or("")), width),
        }
    }
}
