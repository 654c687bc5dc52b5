//! How Agent sessions is drawn: sessions over the approvals queue, the focused thread.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Widget};

use crate::store::read::sessions::Message;
use crate::store::read::sessions::{PendingApproval, SessionRow};
use crate::tui::text::{clean, clean_lines, date, label, minute, truncate, wrap};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::Column;
use crate::tui::widgets::paged_table::{PagedTable, ToCells, cut, header, right};
use crate::tui::widgets::table::{fit_line, position_of, title};
use std::collections::BTreeSet;

use super::{Focus, SessionsScreen};

/// Started, customer (fills), agent, status, messages, pending approvals.
const SESSION_COLUMNS: [Column; 6] = [
    Column::fixed(16, 10),
    Column::fill(10, 8),
    Column::fixed(10, 5),
    Column::fixed(9, 5),
    Column::fixed(4, 4),
    Column::fixed(4, 4),
];

/// The mark, asked, customer, action (fills).
const APPROVAL_COLUMNS: [Column; 4] = [
    Column::fixed(1, 1),
    Column::fixed(16, 10),
    Column::fixed(18, 10),
    Column::fill(10, 6),
];

impl SessionsScreen {
    pub(super) fn draw(
        &self,
        layout: &crate::tui::layout::Layout,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let (sessions_area, approvals_area, thread_area) = layout.sessions();
        let scope = if self.this_customer {
            "this customer"
        } else {
            "all customers"
        };
        PagedTable {
            list: &self.list,
            columns: &SESSION_COLUMNS,
            header: header(&["Started", "Customer", "Agent", "Status", "Msgs", "Appr"]),
            title: title(
                "Sessions",
                format!(
                    "{} · {scope} · v toggles ",
                    position_of(self.list.position(), self.total)
                ),
                theme,
            ),
            focused: self.focus == Focus::Sessions,
            empty: "  no sessions",
        }
        .render(sessions_area, buf, theme, &());

        PagedTable {
            list: &self.approvals,
            columns: &APPROVAL_COLUMNS,
            header: header(&["", "Asked", "Customer", "Action"]),
            title: title(
                "Pending approvals",
                format!(
                    "{} · oldest first{} ",
                    position_of(self.approvals.position(), self.pending),
                    match self.marked.len() {
                        0 => String::new(),
                        n => format!(" · {n} marked"),
                    }
                ),
                theme,
            ),
            focused: self.focus == Focus::Approvals,
            empty: "  nothing waits for approval",
        }
        .render(approvals_area, buf, theme, &(theme, &self.marked));
        // the selected approval's details on the queue's bottom border: what it proposes, in
        // the agent's words, before anyone approves it (the Action column has no room)
        if let Some(d) = self
            .approvals
            .selected_row()
            .and_then(|a| a.details.as_deref())
            .map(str::trim)
            .filter(|d| !d.is_empty())
            && approvals_area.height > 2
        {
            let room = usize::from(approvals_area.width.saturating_sub(4));
            let text = truncate(&format!(" {} ", clean(d)), room).into_owned();
            Line::styled(text, theme.text).render(
                Rect::new(
                    approvals_area.x + 2,
                    approvals_area.y + approvals_area.height - 1,
                    approvals_area.width.saturating_sub(4),
                    1,
                ),
                buf,
            );
        }

        let mut lines = Vec::new();
        if let Some((_, messages)) = &self.thread {
            for m in messages {
                lines.extend(message_lines(m, thread_area.width.saturating_sub(2), theme));
            }
            if messages.is_empty() {
                lines.push(Line::styled("no messages", theme.dim));
            }
            if let Some((session, pending)) = &self.pending_here
                && *session == *self.thread.as_ref().map_or("", |(s, _)| s.as_str())
            {
                let room = usize::from(thread_area.width.saturating_sub(2));
                let lead = "» waits for your decision: ";
                for a in pending {
                    let text = match a
                        .details
                        .as_deref()
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                    {
                        Some(d) => format!("{lead}{} — {}", clean(&a.action), clean(d)),
                        None => format!("{lead}{}", clean(&a.action)),
                    };
                    for (k, l) in wrap(&text, room, "  ").into_iter().enumerate() {
                        // the lead keeps its colour on the first line
                        match l.strip_prefix(lead).filter(|_| k == 0) {
                            Some(rest) => lines.push(Line::from(vec![
                                Span::styled(lead, theme.yellow),
                                Span::styled(rest.to_owned(), theme.text),
                            ])),
                            None => lines.push(Line::styled(l, theme.text)),
                        }
                    }
                }
            }
        }
        Paragraph::new(lines)
            .scroll((self.scroll, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(if self.focus == Focus::Thread {
                        theme.border_focus
                    } else {
                        theme.border
                    })
                    .title(title("Thread", "· l to focus, j/k scroll ".into(), theme)),
            )
            .render(thread_area, buf);
    }
}

/// A stored timestamp as `2026-11-21 14:03`, or only the date in a narrower column.
fn when(ts: &str, width: u16) -> String {
    if width >= 16 {
        minute(ts)
    } else {
        date(ts).to_owned()
    }
}

/// A message: who and when, then its text wrapped under it (indented, at word boundaries).
fn message_lines<'a>(m: &Message, width: u16, theme: &Theme) -> Vec<Line<'a>> {
    let room = usize::from(width).saturating_sub(2);
    let style = match m.role.as_str() {
        "user" => theme.role_user,
        "system" => theme.role_system,
        _ => theme.role_agent,
    };
    let who = match (&m.role[..], &m.agent_id) {
        ("agent", Some(a)) => format!("agent {}", clean(a)),
        (r, _) => r.to_owned(),
    };
    let mut head = vec![Span::styled(who, style.add_modifier(Modifier::BOLD))];
    if m.requires_approval {
        head.push(Span::styled(" · needs approval", theme.yellow));
    }
    if m.thinking {
        head.push(Span::styled(
            " · thinking",
            theme.dim.add_modifier(Modifier::ITALIC),
        ));
    }
    // the time last: in a narrow pane it is what gives way
    head.push(Span::styled(
        format!(" · {}", minute(&m.created_at)),
        theme.dim,
    ));
    let mut out = vec![fit_line(Line::from(head), usize::from(width))];
    let body = if m.thinking {
        theme.dim.add_modifier(Modifier::ITALIC)
    } else {
        theme.text
    };
    for l in clean_lines(&m.content) {
        for w in wrap(&l, room, "") {
            out.push(Line::styled(format!("  {w}"), body));
        }
    }
    if !m.tool_calls.is_empty() {
        let names: Vec<String> = m.tool_calls.iter().map(|t| clean(t).into_owned()).collect();
        // one line, however many tools: cut to the pane
        out.push(Line::styled(
            truncate(&format!("  ⚙ {}", names.join(", ")), usize::from(width)).into_owned(),
            theme.accent,
        ));
    }
    out.push(Line::default());
    out
}

impl ToCells<()> for SessionRow {
    fn cell(&self, column: usize, width: u16, _: &()) -> Cell<'static> {
        match column {
            0 => cut(&when(&self.created_at, width), width),
            1 => cut(&clean(&self.customer_name), width),
            2 => cut(&clean(&self.active_agent), width),
            3 => cut(&self.status, width),
            4 => right(self.messages.to_string()),
            _ => right(match self.pending_approvals {
                0 => "·".to_owned(),
                n => n.to_string(),
            }),
        }
    }
}

/// An approval in the queue, with the ones marked for a bulk decision.
impl ToCells<(&Theme, &BTreeSet<String>)> for PendingApproval {
    fn cell(
        &self,
        column: usize,
        width: u16,
        (theme, marked): &(&Theme, &BTreeSet<String>),
    ) -> Cell<'static> {
        match column {
            0 => {
                let mark = if marked.contains(&self.id) {
                    "●"
                } else {
                    " "
                };
                Cell::from(Span::styled(mark, theme.accent))
            }
            1 => cut(&when(&self.created_at, width), width),
            2 => cut(&clean(&self.customer_name), width),
            _ => cut(
                &match self
                    .details
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                {
                    Some(d) => format!("{} — {}", label(&clean(&self.action)), clean(d)),
                    None => label(&clean(&self.action)),
                },
                width,
            ),
        }
    }
}
