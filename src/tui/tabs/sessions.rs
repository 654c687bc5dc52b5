//! Agent sessions: sessions (all, or `v` the selected customer's), the pending approvals of
//! every account, and the thread of the focused session — roles styled, thinking marked,
//! tool calls one compact line. h/l move between the three panes.

use ratatui::buffer::Buffer;
use ratatui::layout::Constraint;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Widget, Wrap};

use std::collections::BTreeSet;

use crate::store::read::records::SessionApproval;
use crate::store::read::sessions::{Message, PendingApproval, SessionRow};
use crate::tui::paged::Paged;
use crate::tui::text::{clean, clean_lines, count, minute, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Grid, title};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Sessions,
    Approvals,
    Thread,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Sessions => Focus::Approvals,
            Focus::Approvals => Focus::Thread,
            Focus::Thread => Focus::Sessions,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Sessions => Focus::Thread,
            Focus::Approvals => Focus::Sessions,
            Focus::Thread => Focus::Approvals,
        }
    }
}

#[derive(Default)]
pub struct SessionsTab {
    pub focus: Focus,
    /// Only the sessions of the customer selected in the Customers tab.
    pub this_customer: bool,
    pub list: Paged<SessionRow>,
    pub approvals: Paged<PendingApproval>,
    pub pending: Option<i64>,
    pub thread: Option<(String, Vec<Message>)>,
    pub scroll: u16,
    /// Approvals marked for a bulk decision (ids).
    pub marked: BTreeSet<String>,
    /// The pending approvals of the session whose thread is shown.
    pub pending_here: Option<(String, Vec<SessionApproval>)>,
}

impl SessionsTab {
    /// The session whose thread is shown: the selected approval's when the queue has focus.
    pub fn focused_session(&self) -> Option<String> {
        match self.focus {
            Focus::Approvals => self.approvals.selected_row().map(|a| a.session_id.clone()),
            _ => self.list.selected_row().map(|s| s.id.clone()),
        }
        .or_else(|| self.thread.as_ref().map(|(id, _)| id.clone()))
    }

    pub fn render(&self, layout: &crate::tui::layout::Layout, buf: &mut Buffer, theme: &Theme) {
        let (sessions_area, approvals_area, thread_area) = layout.sessions();
        let rows: Vec<Row> = self
            .list
            .rows
            .iter()
            .map(|s| {
                Row::new(vec![
                    Cell::from(minute(&s.created_at)),
                    Cell::from(truncate(&clean(&s.customer_name), 20).into_owned()),
                    Cell::from(truncate(&clean(&s.active_agent), 12).into_owned()),
                    Cell::from(s.status.clone()),
                    Cell::from(Line::from(s.messages.to_string()).right_aligned()),
                    Cell::from(
                        Line::from(match s.pending_approvals {
                            0 => "·".to_owned(),
                            n => n.to_string(),
                        })
                        .right_aligned(),
                    ),
                ])
                .style(theme.text)
            })
            .collect();
        let scope = if self.this_customer {
            "this customer"
        } else {
            "all customers"
        };
        Grid {
            title: title(
                "Sessions",
                format!(
                    "{} · {scope} · v toggles ",
                    self.list.position().map_or("?".into(), count)
                ),
                theme,
            ),
            header: ["Started", "Customer", "Agent", "Status", "Msgs", "Appr"]
                .into_iter()
                .map(Cell::from)
                .collect(),
            widths: vec![
                Constraint::Length(16),
                Constraint::Min(10),
                Constraint::Length(12),
                Constraint::Length(9),
                Constraint::Length(4),
                Constraint::Length(4),
            ],
            rows,
            selected: Some(self.list.selected),
            focused: self.focus == Focus::Sessions,
            empty: if self.list.loaded {
                "  no sessions"
            } else {
                "  loading…"
            },
        }
        .render(sessions_area, buf, theme);

        let rows: Vec<Row> = self
            .approvals
            .rows
            .iter()
            .map(|a| {
                let mark = if self.marked.contains(&a.id) {
                    "●"
                } else {
                    " "
                };
                Row::new(vec![
                    Cell::from(Span::styled(mark, theme.accent)),
                    Cell::from(minute(&a.created_at)),
                    Cell::from(truncate(&clean(&a.customer_name), 18).into_owned()),
                    Cell::from(clean(&a.action).into_owned()),
                ])
                .style(theme.text)
            })
            .collect();
        Grid {
            title: title(
                "Pending approvals",
                format!(
                    "{} of {} · oldest first{} ",
                    self.approvals.position().map_or("?".into(), count),
                    self.pending.map_or("…".into(), count),
                    match self.marked.len() {
                        0 => String::new(),
                        n => format!(" · {n} marked"),
                    }
                ),
                theme,
            ),
            header: ["", "Asked", "Customer", "Action"]
                .into_iter()
                .map(Cell::from)
                .collect(),
            widths: vec![
                Constraint::Length(1),
                Constraint::Length(16),
                Constraint::Length(18),
                Constraint::Min(10),
            ],
            rows,
            selected: Some(self.approvals.selected),
            focused: self.focus == Focus::Approvals,
            empty: if self.approvals.loaded {
                "  nothing waits for approval"
            } else {
                "  loading…"
            },
        }
        .render(approvals_area, buf, theme);

        let mut lines = Vec::new();
        if let Some((_, messages)) = &self.thread {
            for m in messages {
                lines.extend(message_lines(m, theme));
            }
            if messages.is_empty() {
                lines.push(Line::styled("no messages", theme.dim));
            }
            if let Some((session, pending)) = &self.pending_here
                && *session == *self.thread.as_ref().map_or("", |(s, _)| s.as_str())
            {
                for a in pending {
                    lines.push(Line::from(vec![
                        Span::styled("» waits for your decision: ", theme.yellow),
                        Span::styled(clean(&a.action).into_owned(), theme.text),
                    ]));
                }
            }
        }
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
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

fn message_lines<'a>(m: &Message, theme: &Theme) -> Vec<Line<'a>> {
    let style = match m.role.as_str() {
        "user" => theme.role_user,
        "system" => theme.role_system,
        _ => theme.role_agent,
    };
    let who = match (&m.role[..], &m.agent_id) {
        ("agent", Some(a)) => format!("agent {}", clean(a)),
        (r, _) => r.to_owned(),
    };
    let mut head = vec![
        Span::styled(who, style.add_modifier(Modifier::BOLD)),
        Span::styled(format!(" · {}", minute(&m.created_at)), theme.dim),
    ];
    if m.thinking {
        head.push(Span::styled(
            " · thinking",
            theme.dim.add_modifier(Modifier::ITALIC),
        ));
    }
    if m.requires_approval {
        head.push(Span::styled(" · needs approval", theme.yellow));
    }
    let mut out = vec![Line::from(head)];
    let body = if m.thinking {
        theme.dim.add_modifier(Modifier::ITALIC)
    } else {
        theme.text
    };
    for l in clean_lines(&m.content) {
        out.push(Line::styled(format!("  {l}"), body));
    }
    if !m.tool_calls.is_empty() {
        let names: Vec<String> = m.tool_calls.iter().map(|t| clean(t).into_owned()).collect();
        out.push(Line::styled(
            format!("  ⚙ {}", names.join(", ")),
            theme.accent,
        ));
    }
    out.push(Line::default());
    out
}
