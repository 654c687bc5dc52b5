//! How the account 360 is drawn: one scrollable page, two columns when the screen is wide
//! enough.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use crate::health::{Explanation, Thresholds};
use crate::store::read::account::Account;
use crate::tui::deals::deal_name;
use crate::tui::screen::View;

use super::AccountScreen;
use crate::tui::text::{clean, counted, date, label, minute, money, truncate, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::widgets::explain;

impl AccountScreen {
    /// The page; the score in its band's colour by the account's workspace's thresholds.
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, view: &View) {
        let (theme, thresholds) = (view.theme, view.thresholds);
        Clear.render(area, buf);
        let Some((acc, exp)) = &self.data else {
            let text = if self.loaded {
                "This customer no longer exists (or is outside the workspace). esc to go back."
            } else {
                "loading…"
            };
            Paragraph::new(text)
                .style(theme.dim)
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.border),
                )
                .render(area, buf);
            return;
        };
        let h = &acc.header;
        let title = Line::from(vec![
            Span::styled(format!(" {} ", truncate(&clean(&h.name), 40)), theme.title),
            Span::styled("· account 360 · esc back, j/k scroll ", theme.dim),
        ]);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(title);
        let inner = block.inner(area);
        block.render(area, buf);
        let columns = columns(inner, acc, exp, theme, thresholds);
        let scroll = self.scroll.min(max_scroll(inner, &columns));
        for (rect, lines) in columns {
            Paragraph::new(lines).scroll((scroll, 0)).render(rect, buf);
        }
    }

    /// How far the page scrolls in `area` (the body the 360 is drawn in): until its longest
    /// column's last line is at the bottom, and no further.
    pub fn max_scroll(
        &self,
        area: Rect,
        theme: &Theme,
        thresholds: &HashMap<String, Thresholds>,
    ) -> u16 {
        let Some((acc, exp)) = &self.data else {
            return 0;
        };
        let inner = Block::default().borders(Borders::ALL).inner(area);
        max_scroll(inner, &columns(inner, acc, exp, theme, thresholds))
    }

    /// The lines one page of scrolling moves in `area`.
    pub fn page(area: Rect) -> u16 {
        area.height.saturating_sub(3).max(1)
    }
}

/// The page's columns laid out in `inner`: each rect with its lines (one column on a
/// narrow screen). Every line is made to fit the width it gets: one-line facts are cut with
/// an ellipsis, prose wraps at word boundaries.
fn columns(
    inner: Rect,
    acc: &Account,
    exp: &Option<Explanation>,
    theme: &Theme,
    thresholds: &HashMap<String, Thresholds>,
) -> Vec<(Rect, Vec<Line<'static>>)> {
    let wide = inner.width >= 110;
    let (left_area, right_area) = if wide {
        let [l, r] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
            .spacing(2)
            .areas(inner);
        (l, Some(r))
    } else {
        (inner, None)
    };
    let mut left = Page::new(left_area.width, theme);
    let mut right = Page::new(right_area.map_or(inner.width, |r| r.width), theme);
    let bands = thresholds
        .get(&acc.header.workspace_id)
        .copied()
        .unwrap_or_default();
    left.header(acc, exp.as_ref(), bands);
    right.activity(acc, wide);
    match right_area {
        Some(r) => vec![(left_area, left.lines), (r, right.lines)],
        None => {
            let mut all = left.lines;
            all.extend(right.lines);
            vec![(inner, all)]
        }
    }
}

fn max_scroll(inner: Rect, columns: &[(Rect, Vec<Line<'static>>)]) -> u16 {
    let longest = columns.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    u16::try_from(longest)
        .unwrap_or(u16::MAX)
        .saturating_sub(inner.height)
}

/// A column at least this wide shows the time of calls and meetings, not only the day.
const WIDE_COLUMN: usize = 70;

/// One column of the page: lines of at most `width` columns.
struct Page<'t> {
    width: usize,
    lines: Vec<Line<'static>>,
    theme: &'t Theme,
}

impl<'t> Page<'t> {
    fn new(width: u16, theme: &'t Theme) -> Page<'t> {
        Page {
            width: usize::from(width),
            lines: Vec::new(),
            theme,
        }
    }

    fn heading(&mut self, text: String) {
        let style = self.theme.header.add_modifier(Modifier::BOLD);
        self.lines.push(Line::styled(
            truncate(&text, self.width).into_owned(),
            style,
        ));
    }

    /// A one-line fact, cut to the width.
    fn item(&mut self, text: &str, style: Style) {
        self.lines
            .push(Line::styled(truncate(text, self.width).into_owned(), style));
    }

    /// Free text, wrapped at word boundaries, every line after `indent`.
    fn prose(&mut self, text: &str, indent: &str, style: Style) {
        let room = self.width.saturating_sub(width(indent));
        for l in wrap(text, room, "") {
            self.lines.push(Line::styled(format!("{indent}{l}"), style));
        }
    }

    /// A fact followed by free text: the first line starts at the edge, the rest indented.
    fn entry(&mut self, text: &str, style: Style) {
        for l in wrap(text, self.width, "    ") {
            self.lines.push(Line::styled(l, style));
        }
    }

    fn none_if(&mut self, empty: bool) {
        if empty {
            self.item("none", self.theme.dim);
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::default());
    }

    /// Left column: who the customer is, why the score, stakeholders, contracts.
    fn header(&mut self, acc: &Account, exp: Option<&Explanation>, bands: Thresholds) {
        let (h, theme) = (&acc.header, self.theme);
        self.item(
            &format!(
                // stage and status share words ("active"): the status says what it is
                "{} · {} · status {} · renews {}",
                money(h.arr_cents),
                label(&h.stage),
                label(&h.status),
                h.renewal_date.as_deref().unwrap_or("—")
            ),
            theme.text,
        );
        self.item(
            &format!(
                "CSM {} · tier {} · {}",
                clean(h.csm.as_deref().unwrap_or("—")),
                clean(h.tier.as_deref().unwrap_or("—")),
                counted(h.open_approvals, "open approval", "open approvals")
            ),
            theme.dim,
        );
        self.item(
            &format!(
                "{} · {} · workspace {}",
                clean(h.industry.as_deref().unwrap_or("—")),
                clean(h.region.as_deref().unwrap_or("—")),
                clean(&h.workspace),
            ),
            theme.dim,
        );
        self.blank();
        self.heading("Health — why this score".into());
        match exp {
            Some(e) => {
                let lines =
                    explain::lines(e, bands, self.width as u16, explain::Detail::Wrap, theme);
                self.lines.extend(lines);
            }
            None => self.item("no health data", theme.dim),
        }
        self.blank();
        self.heading(format!("Stakeholders ({})", acc.stakeholders.len()));
        self.none_if(acc.stakeholders.is_empty());
        for p in &acc.stakeholders {
            // the email last: it is what a narrow column cuts
            self.item(
                &format!(
                    "{}{} · {}{} · {}",
                    if p.is_primary { "★ " } else { "  " },
                    clean(&p.name),
                    clean(p.role.as_deref().unwrap_or("—")),
                    p.sentiment
                        .as_deref()
                        .map(|s| format!(" · {s}"))
                        .unwrap_or_default(),
                    clean(p.email.as_deref().unwrap_or("—")),
                ),
                theme.text,
            );
        }
        self.blank();
        self.heading(format!(
            "Contracts and entitlements ({})",
            acc.contracts.len()
        ));
        self.none_if(acc.contracts.is_empty());
        for c in &acc.contracts {
            self.item(
                &format!(
                    "{} · {} · {} → {} · {}",
                    c.status,
                    money(c.arr_cents),
                    c.start_date.as_deref().unwrap_or("—"),
                    c.end_date.as_deref().unwrap_or("—"),
                    clean(c.name.as_deref().unwrap_or("contract")),
                ),
                theme.text,
            );
            for (name, qty, unit) in &c.entitlements {
                self.item(
                    &format!(
                        "    {} {}{}",
                        clean(name),
                        qty.map(|q| q.to_string()).unwrap_or_default(),
                        unit.as_deref()
                            .map(|u| format!(" {}", clean(u)))
                            .unwrap_or_default(),
                    ),
                    theme.dim,
                );
            }
        }
    }

    /// Right column: calls and meetings, approvals, insights, deals.
    fn activity(&mut self, acc: &Account, wide: bool) {
        let theme = self.theme;
        if !wide {
            self.blank();
        }
        self.heading(format!(
            "Recent calls and meetings ({})",
            acc.interactions.len()
        ));
        self.none_if(acc.interactions.is_empty());
        for i in acc.interactions.iter().take(12) {
            // who or what, then how it went: the title gives way so the status stays in
            // view; in a half-width column the day is enough and leaves room for the name
            let when = match i.when.as_deref() {
                Some(t) if self.width >= WIDE_COLUMN => minute(t),
                Some(t) => date(t).to_owned(),
                None => "—".into(),
            };
            let head = format!("{when} {:<7} ", i.kind);
            let tail = format!(" · {}", i.status);
            let room = self.width.saturating_sub(width(&head) + width(&tail));
            let title = clean(&i.title);
            self.item(
                &format!("{head}{}{tail}", truncate(&title, room.max(8))),
                theme.text,
            );
            if let Some(d) = i.detail.as_deref().filter(|d| !d.is_empty()) {
                self.prose(&clean(d), "    ", theme.dim);
            }
        }
        self.blank();
        self.heading(format!("Open approvals ({})", acc.approvals.len()));
        self.none_if(acc.approvals.is_empty());
        for a in &acc.approvals {
            self.entry(
                &format!(
                    "{} {} · {}",
                    minute(&a.created_at),
                    clean(&a.agent_id),
                    clean(&a.action)
                ),
                theme.text,
            );
            // what the agent proposes, in its words: what is being approved
            if let Some(d) = a.details.as_deref().filter(|d| !d.trim().is_empty()) {
                self.prose(&clean(d), "    ", theme.dim);
            }
        }
        self.blank();
        self.heading(format!("Insights ({})", acc.insights.len()));
        self.none_if(acc.insights.is_empty());
        for i in acc.insights.iter().take(10) {
            self.entry(
                &format!(
                    "[{} · {} · {}] {}",
                    label(&i.kind),
                    i.importance,
                    label(&i.status),
                    clean(&i.content)
                ),
                theme.text,
            );
        }
        self.blank();
        self.heading(format!("Open tasks ({})", acc.tasks.len()));
        self.none_if(acc.tasks.is_empty());
        for t in &acc.tasks {
            let mut text = format!(
                "{} · {} · {}",
                t.due.as_deref().unwrap_or("no date"),
                clean(&t.title),
                clean(t.owner.as_deref().unwrap_or("nobody"))
            );
            if let Some(p) = &t.playbook {
                text.push_str(&format!(" · {}", clean(p)));
            }
            self.item(&text, theme.text);
        }
        self.blank();
        self.heading(format!("Playbooks ({})", acc.playbooks.len()));
        self.none_if(acc.playbooks.is_empty());
        for p in &acc.playbooks {
            let style = if p.status == "in-progress" {
                theme.accent
            } else {
                theme.text
            };
            self.item(
                &format!(
                    "{} · {} · step {}/{} · started {}",
                    clean(&p.name),
                    p.status,
                    p.steps_done,
                    p.steps_total,
                    p.started_at
                        .as_deref()
                        .map_or("—", |d| d.get(..10).unwrap_or(d))
                ),
                style,
            );
            if let Some(why) = &p.why {
                self.prose(&format!("why: {}", clean(why)), "    ", theme.dim);
            }
            if let Some(r) = &p.report {
                let days = r.duration_secs.map_or_else(
                    || "—".to_owned(),
                    |s| format!("{:.1} days", s as f64 / 86_400.0),
                );
                let mut text = format!(
                    "report: {}/{} steps in {days}",
                    r.steps_completed, r.total_steps
                );
                if let Some(who) = &r.responsible {
                    text.push_str(&format!(" · responsible {}", clean(who)));
                }
                if let Some(outcome) = &r.outcome {
                    text.push_str(&format!(" · {}", clean(outcome)));
                }
                self.prose(&text, "    ", theme.dim);
            }
        }
        self.blank();
        self.heading(format!("Deals ({})", acc.deals.len()));
        self.none_if(acc.deals.is_empty());
        for d in &acc.deals {
            self.item(
                &format!(
                    "{} · {} · {} · closes {}",
                    deal_name(d.name.as_deref(), &acc.header.name),
                    label(&d.stage),
                    money(d.amount_cents),
                    d.close_dt.as_deref().unwrap_or("—")
                ),
                theme.text,
            );
        }
        self.blank();
        self.heading(format!("Timeline ({})", acc.timeline.len()));
        self.none_if(acc.timeline.is_empty());
        for e in &acc.timeline {
            let when = e.when.get(..16).unwrap_or(&e.when).replace('T', " ");
            let who = e.who.as_deref().unwrap_or("cscx");
            self.entry(
                &format!("{when} · {} · {}", clean(who), clean(&e.what)),
                theme.text,
            );
        }
    }
}
