//! Calls: the log, newest first, filtered by type, status, outcome, who logged it and a date
//! range (each key cycles its filter); outcome counts and loss reasons at a glance.

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Widget};

use crate::store::enums::{CallOutcome, CallStatus, CallType};
use crate::store::read::calls::{CallRow, Filter, Stats};
use crate::tui::app::Options;
use crate::tui::paged::Paged;
use crate::tui::text::{clean, count, counted, date, duration, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::table::{Grid, position_of, title};

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

/// Periods `p` cycles through: all, then the last 7, 30, 90 days (by the call's date).
const RANGES: [Option<i64>; 4] = [None, Some(7), Some(30), Some(90)];

#[derive(Default)]
pub struct CallsTab {
    pub call_type: Option<CallType>,
    pub status: Option<CallStatus>,
    pub outcome: Option<CallOutcome>,
    /// Index into `owners`.
    pub owner: Option<usize>,
    pub owners: Option<Vec<(String, String)>>,
    pub range: usize,
    /// The range's first day, fixed when chosen.
    pub from: Option<NaiveDate>,
    pub list: Paged<CallRow>,
    pub stats: Option<Stats>,
    /// A call just logged: the list puts its cursor on it when its page is read.
    pub select_when_read: Option<String>,
    /// The call opened with `enter`, over the log.
    pub open: Option<super::call_view::CallView>,
}

/// The next value of an optional enumeration: none, each value, none again.
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(v) => all
            .iter()
            .position(|x| *x == v)
            .and_then(|i| all.get(i + 1).copied()),
    }
}

impl CallsTab {
    pub fn filter(&self, options: &Options) -> Filter {
        Filter {
            workspace_id: options.workspace_id.clone(),
            call_type: self.call_type,
            status: self.status,
            outcome: self.outcome,
            owner_id: self
                .owner
                .and_then(|i| self.owners.as_ref().and_then(|o| o.get(i)))
                .map(|(id, _)| id.clone()),
            from: self.from.map(|d| d.format("%Y-%m-%d").to_string()),
            to: None,
        }
    }

    pub fn cycle_type(&mut self) -> bool {
        self.call_type = cycle(self.call_type, CallType::ALL);
        true
    }

    pub fn cycle_status(&mut self) -> bool {
        self.status = cycle(self.status, CallStatus::ALL);
        true
    }

    pub fn cycle_outcome(&mut self) -> bool {
        self.outcome = cycle(self.outcome, CallOutcome::ALL);
        true
    }

    pub fn cycle_owner(&mut self) -> bool {
        let n = self.owners.as_ref().map_or(0, Vec::len);
        self.owner = match self.owner {
            None if n > 0 => Some(0),
            Some(i) if i + 1 < n => Some(i + 1),
            _ => None,
        };
        true
    }

    pub fn cycle_range(&mut self, today: NaiveDate) -> bool {
        self.range = (self.range + 1) % RANGES.len();
        self.from = RANGES[self.range].map(|days| today - chrono::Duration::days(days - 1));
        true
    }

    pub fn clear(&mut self) -> bool {
        let had = self.call_type.is_some()
            || self.status.is_some()
            || self.outcome.is_some()
            || self.owner.is_some()
            || self.from.is_some();
        self.call_type = None;
        self.status = None;
        self.outcome = None;
        self.owner = None;
        self.range = 0;
        self.from = None;
        had
    }

    fn filter_text(&self) -> String {
        let owner = self
            .owner
            .and_then(|i| self.owners.as_ref().and_then(|o| o.get(i)))
            .map(|(_, n)| clean(n).into_owned());
        format!(
            "t type:{} s status:{} o outcome:{} w who:{} p since:{}",
            self.call_type.map_or("all", |v| v.as_str()),
            self.status.map_or("all", |v| v.as_str()),
            self.outcome.map_or("all", |v| v.as_str()),
            owner.as_deref().unwrap_or("all"),
            self.from.map_or("all".into(), |d| d.to_string()),
        )
    }

    pub fn render(&self, layout: &crate::tui::layout::Layout, buf: &mut Buffer, theme: &Theme) {
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
