//! One call, read in full: `enter` on the call log. Every field the call has — who was
//! called and how to reach them, who logged it, type, status, outcome and loss reason,
//! duration, when it was scheduled and completed — and the whole of its notes, wrapped
//! (the list's Notes column shows a few characters). Scrolls like the 360; esc closes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::store::read::calls::CallRow;
use crate::store::read::records::CallRecord;
use crate::tui::text::{clean, duration, label, minute, wrap};
use crate::tui::theme::Theme;

pub struct CallView {
    /// The list's row: shown at once, while the whole record is read.
    pub row: CallRow,
    pub record: Option<CallRecord>,
    pub scroll: u16,
}

impl CallView {
    pub fn new(row: CallRow) -> CallView {
        CallView {
            row,
            record: None,
            scroll: 0,
        }
    }

    /// The popup over `area` (the body).
    pub fn area(area: Rect) -> Rect {
        let w = area.width.saturating_sub(4).min(100);
        let h = area.height.saturating_sub(2);
        Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h)
    }

    /// The lines one page of scrolling moves.
    pub fn page(area: Rect) -> u16 {
        CallView::area(area).height.saturating_sub(2).max(1)
    }

    pub fn max_scroll(&self, area: Rect, theme: &Theme) -> u16 {
        let inner = CallView::area(area).width.saturating_sub(2);
        u16::try_from(self.lines(usize::from(inner), theme).len())
            .unwrap_or(u16::MAX)
            .saturating_sub(CallView::page(area))
    }

    fn lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let r = &self.row;
        let text = |v: &str| clean(v).into_owned();
        let opt = |v: Option<&str>| v.map_or("—".to_owned(), text);
        let call = self.record.as_ref().map(|c| &c.call);
        let when =
            |v: Option<String>| v.map_or("—".to_owned(), |t| format!("{} UTC", minute(&t)));
        let mut facts: Vec<(&str, String)> = vec![
            ("Customer", opt(r.customer_name.as_deref())),
            ("With", text(&r.prospect_name)),
        ];
        if let Some(c) = call {
            facts.push(("Email", opt(c.prospect_email.as_deref())));
            facts.push(("Phone", opt(c.prospect_phone.as_deref())));
        }
        facts.extend([
            ("Logged by", text(&r.owner)),
            ("Type", label(&r.call_type)),
            ("Status", label(&r.status)),
            (
                "Outcome",
                match (&r.outcome, &r.loss_reason) {
                    (Some(o), Some(why)) => format!("{o}: {}", clean(why)),
                    (Some(o), None) => o.clone(),
                    _ => "—".into(),
                },
            ),
            ("Duration", duration(r.duration)),
        ]);
        match call {
            Some(c) => {
                facts.push((
                    "Scheduled",
                    when(c.scheduled_at.as_ref().map(|t| t.to_string())),
                ));
                facts.push((
                    "Completed",
                    when(c.completed_at.as_ref().map(|t| t.to_string())),
                ));
            }
            None => facts.push(("Date", minute(&r.when))),
        }
        let mut out: Vec<Line<'static>> = facts
            .into_iter()
            .map(|(k, v)| {
                Line::from(vec![
                    Span::styled(format!("{k:<11}"), theme.dim),
                    Span::styled(v, theme.text),
                ])
            })
            .collect();
        out.push(Line::default());
        out.push(Line::styled("Notes", theme.title));
        let notes = call
            .and_then(|c| c.notes.as_deref())
            .or(r.notes.as_deref())
            .unwrap_or("—");
        for paragraph in notes.split('\n') {
            for l in wrap(&text(paragraph), width, "") {
                out.push(Line::styled(l, theme.text));
            }
        }
        out
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let popup = CallView::area(area);
        Clear.render(popup, buf);
        let lines = self.lines(usize::from(popup.width.saturating_sub(2)), theme);
        let max = self.max_scroll(area, theme);
        Paragraph::new(lines)
            .scroll((self.scroll.min(max), 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border_focus)
                    .title(Span::styled(
                        format!(
                            " Call with {} · esc close, j/k scroll ",
                            clean(&self.row.prospect_name)
                        ),
                        theme.title,
                    )),
            )
            .render(popup, buf);
    }
}
