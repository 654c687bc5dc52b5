//! The account 360: everything about one customer on one scrollable page — header, health
//! explanation, stakeholders, contracts and entitlements, recent calls and meetings,
//! insights, open approvals, deals. Two columns when the screen is wide enough.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use crate::health::Explanation;
use crate::store::read::account::Account;
use crate::tui::text::{clean, label, minute, money, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::explain;

pub struct AccountView {
    pub customer_id: String,
    pub data: Option<(Account, Option<Explanation>)>,
    pub loaded: bool,
    pub scroll: u16,
}

impl AccountView {
    pub fn new(customer_id: String) -> AccountView {
        AccountView {
            customer_id,
            data: None,
            loaded: false,
            scroll: 0,
        }
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme) {
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
        let wide = inner.width >= 110;
        let (left, right) = self.sections(acc, exp.as_ref(), inner.width, wide, theme);
        if wide {
            let [l, r] =
                Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .spacing(2)
                    .areas(inner);
            for (lines, rect) in [(left, l), (right, r)] {
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .scroll((self.scroll, 0))
                    .render(rect, buf);
            }
        } else {
            let mut all = left;
            all.extend(right);
            Paragraph::new(all)
                .wrap(Wrap { trim: false })
                .scroll((self.scroll, 0))
                .render(inner, buf);
        }
    }

    /// The page's lines, split into a left and a right column.
    fn sections<'a>(
        &self,
        acc: &Account,
        exp: Option<&Explanation>,
        width: u16,
        wide: bool,
        theme: &Theme,
    ) -> (Vec<Line<'a>>, Vec<Line<'a>>) {
        let col = if wide { width / 2 } else { width } as usize;
        let h = &acc.header;
        let heading = |t: String| Line::styled(t, theme.header.add_modifier(Modifier::BOLD));
        let item = |s: String| Line::styled(truncate(&s, col).into_owned(), theme.text);
        let dim = |s: String| Line::styled(truncate(&s, col).into_owned(), theme.dim);
        let mut left = vec![
            Line::from(vec![
                Span::styled(format!("{} · ", money(h.arr_cents)), theme.text),
                Span::styled(format!("{} · {} · ", label(&h.stage), h.status), theme.text),
                Span::styled(
                    format!("renews {}", h.renewal_date.as_deref().unwrap_or("—")),
                    theme.text,
                ),
            ]),
            dim(format!(
                "CSM {} · {} · {} · {} · tier {} · workspace {}",
                clean(h.csm.as_deref().unwrap_or("—")),
                clean(h.industry.as_deref().unwrap_or("—")),
                clean(h.region.as_deref().unwrap_or("—")),
                format_args!("{} open approvals", h.open_approvals),
                clean(h.tier.as_deref().unwrap_or("—")),
                clean(&h.workspace),
            )),
            Line::default(),
            heading("Health — why this score".into()),
        ];
        match exp {
            Some(e) => left.extend(explain::lines(e, col as u16, theme)),
            None => left.push(dim("no health data".into())),
        }
        left.push(Line::default());
        left.push(heading(format!(
            "Stakeholders ({})",
            acc.stakeholders.len()
        )));
        if acc.stakeholders.is_empty() {
            left.push(dim("none".into()));
        }
        for p in &acc.stakeholders {
            left.push(item(format!(
                "{}{} · {} · {}{}",
                if p.is_primary { "★ " } else { "  " },
                clean(&p.name),
                clean(p.role.as_deref().unwrap_or("—")),
                clean(p.email.as_deref().unwrap_or("—")),
                p.sentiment
                    .as_deref()
                    .map(|s| format!(" · {s}"))
                    .unwrap_or_default(),
            )));
        }
        left.push(Line::default());
        left.push(heading(format!(
            "Contracts and entitlements ({})",
            acc.contracts.len()
        )));
        if acc.contracts.is_empty() {
            left.push(dim("none".into()));
        }
        for c in &acc.contracts {
            left.push(item(format!(
                "{} · {} · {} · {} → {}",
                clean(c.name.as_deref().unwrap_or("contract")),
                c.status,
                money(c.arr_cents),
                c.start_date.as_deref().unwrap_or("—"),
                c.end_date.as_deref().unwrap_or("—"),
            )));
            for (name, qty, unit) in &c.entitlements {
                left.push(dim(format!(
                    "    {} {}{}",
                    clean(name),
                    qty.map(|q| q.to_string()).unwrap_or_default(),
                    unit.as_deref()
                        .map(|u| format!(" {}", clean(u)))
                        .unwrap_or_default(),
                )));
            }
        }

        let mut right = Vec::new();
        if !wide {
            right.push(Line::default());
        }
        right.push(heading(format!(
            "Recent calls and meetings ({})",
            acc.interactions.len()
        )));
        if acc.interactions.is_empty() {
            right.push(dim("none".into()));
        }
        for i in acc.interactions.iter().take(12) {
            right.push(item(format!(
                "{} {:<7} {} · {}",
                i.when.as_deref().map(minute).unwrap_or_else(|| "—".into()),
                i.kind,
                clean(&i.title),
                i.status,
            )));
            if let Some(d) = i.detail.as_deref().filter(|d| !d.is_empty()) {
                right.push(dim(format!("    {}", clean(d))));
            }
        }
        right.push(Line::default());
        right.push(heading(format!("Open approvals ({})", acc.approvals.len())));
        if acc.approvals.is_empty() {
            right.push(dim("none".into()));
        }
        for a in &acc.approvals {
            right.push(item(format!(
                "{} {} · {}",
                minute(&a.created_at),
                clean(&a.agent_id),
                clean(&a.action)
            )));
        }
        right.push(Line::default());
        right.push(heading(format!("Insights ({})", acc.insights.len())));
        if acc.insights.is_empty() {
            right.push(dim("none".into()));
        }
        for i in acc.insights.iter().take(10) {
            right.push(item(format!(
                "[{} · {} · {}] {}",
                label(&i.kind),
                i.importance,
                label(&i.status),
                clean(&i.content)
            )));
        }
        right.push(Line::default());
        right.push(heading(format!("Deals ({})", acc.deals.len())));
        if acc.deals.is_empty() {
            right.push(dim("none".into()));
        }
        for d in &acc.deals {
            right.push(item(format!(
                "{} · {} · {} · closes {}",
                clean(d.name.as_deref().unwrap_or("deal")),
                label(&d.stage),
                money(d.amount_cents),
                d.close_dt.as_deref().unwrap_or("—")
            )));
        }
        (left, right)
    }
}
