//! How Today is drawn: what is due on the left; renewals and score drops on the right.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::store::tasks::Source;
use crate::tui::layout::Layout;
use crate::tui::screen::View;
use crate::tui::text::{clean, money, truncate, width};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::title;

use super::{Pane, QueueScreen};

/// `text` cut or padded to exactly `w` columns.
fn cell(text: &str, w: usize) -> String {
    let cut = truncate(text, w);
    let pad = w.saturating_sub(width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// The first row to show so that `selected` is on screen in `height` rows.
fn offset(selected: usize, height: usize) -> usize {
    selected.saturating_sub(height.saturating_sub(1))
}

impl QueueScreen {
    pub(super) fn draw(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let [left, right] =
            Split::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                .areas(layout.body);
        let [renewals, drops] =
            Split::vertical([Constraint::Percentage(55), Constraint::Min(4)]).areas(right);
        let Some(q) = &self.queue else {
            let text = if view.loading { "loading…" } else { "" };
            Paragraph::new(text).style(theme.dim).render(left, buf);
            return;
        };
        // ---- due --------------------------------------------------------------------------
        let details = format!(
            "{} of {} · {} approval{} waiting (tab 5) ",
            q.due.len(),
            q.due_total,
            q.approvals,
            if q.approvals == 1 { "" } else { "s" }
        );
        let name = match q.ahead {
            0 => "Due today and overdue",
            7 => "Due this week and overdue",
            _ => "Due in 30 days and overdue",
        };
        let inner = self.pane_block(name, details, Pane::Due, left, buf, theme);
        let w = usize::from(inner.width);
        // the owner by first name: a team's names are told apart by it, and the title gets
        // the room
        let (when_w, who_w) = (9, 8);
        let from_w = 12.min(w / 7);
        let customer_w = 15.min(w / 6);
        let title_w = w.saturating_sub(when_w + customer_w + from_w + who_w + 4);
        let mut lines = vec![Line::styled(
            format!(
                "{} {} {} {} {}",
                cell("due", when_w),
                cell("customer", customer_w),
                cell("to do", title_w),
                cell("from", from_w),
                cell("owner", who_w)
            ),
            theme.header,
        )];
        if q.due.is_empty() {
            lines.push(Line::styled("nothing overdue or due", theme.dim));
        }
        let height = usize::from(inner.height).saturating_sub(1);
        let first = offset(self.selected(Pane::Due), height);
        for (i, item) in q.due.iter().enumerate().skip(first).take(height) {
            let late = item.overdue_days(q.today);
            let (when, when_style) = match late {
                Some(d) if d > 0 => (format!("{d}d late"), theme.red),
                Some(0) => ("today".to_owned(), theme.yellow),
                Some(d) => (format!("in {}d", -d), theme.text),
                None => (
                    item.priority.clone().unwrap_or_else(|| "now".into()),
                    theme.yellow,
                ),
            };
            let from = match (&item.playbook, item.source) {
                (Some(p), Source::Task) => p.clone(),
                (Some(p), _) => p.clone(),
                (None, s) => s.label().to_owned(),
            };
            let row_style = self.row_style(Pane::Due, i, theme);
            lines.push(Line::from(vec![
                Span::styled(cell(&when, when_w), row_style.patch(when_style)),
                Span::styled(" ", row_style),
                Span::styled(cell(&clean(&item.customer_name), customer_w), row_style),
                Span::styled(" ", row_style),
                Span::styled(cell(&clean(&item.title), title_w), row_style),
                Span::styled(" ", row_style),
                Span::styled(cell(&clean(&from), from_w), row_style.patch(theme.dim)),
                Span::styled(" ", row_style),
                Span::styled(
                    cell(
                        &clean(
                            item.owner_name
                                .as_deref()
                                .and_then(|n| n.split_whitespace().next())
                                .unwrap_or("—"),
                        ),
                        who_w,
                    ),
                    row_style,
                ),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);

        // ---- renewals ---------------------------------------------------------------------
        let details = format!("{} in 90 days ", q.renewals_total);
        let inner = self.pane_block("Renewals", details, Pane::Renewals, renewals, buf, theme);
        let w = usize::from(inner.width);
        let (in_w, arr_w, health_w) = (5, 7, 6);
        let name_w = w.saturating_sub(in_w + arr_w + health_w + 3);
        let mut lines = vec![Line::styled(
            format!(
                "{} {} {} {}",
                cell("in", in_w),
                cell("customer", name_w),
                cell("ARR", arr_w),
                cell("health", health_w)
            ),
            theme.header,
        )];
        if q.renewals.is_empty() {
            lines.push(Line::styled("no renewal in the next 90 days", theme.dim));
        }
        let height = usize::from(inner.height).saturating_sub(1);
        let first = offset(self.selected(Pane::Renewals), height);
        for (i, r) in q.renewals.iter().enumerate().skip(first).take(height) {
            let row_style = self.row_style(Pane::Renewals, i, theme);
            let window = match r.window() {
                30 => theme.red,
                60 => theme.yellow,
                _ => theme.text,
            };
            let health = r
                .health_score
                .map_or_else(|| "—".to_owned(), |h| format!("{h:.0}"));
            lines.push(Line::from(vec![
                Span::styled(cell(&format!("{}d", r.days), in_w), row_style.patch(window)),
                Span::styled(" ", row_style),
                Span::styled(cell(&clean(&r.name), name_w), row_style),
                Span::styled(" ", row_style),
                Span::styled(cell(&money(r.arr_cents), arr_w), row_style),
                Span::styled(" ", row_style),
                Span::styled(cell(&health, health_w), row_style),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);

        // ---- drops ------------------------------------------------------------------------
        let inner = self.pane_block(
            "Score drops",
            "since last week ".to_owned(),
            Pane::Drops,
            drops,
            buf,
            theme,
        );
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        if q.drops.is_empty() {
            lines.push(Line::styled("no score fell", theme.dim));
        }
        let height = usize::from(inner.height) / 2;
        let first = offset(self.selected(Pane::Drops), height.max(1));
        for (i, d) in q.drops.iter().enumerate().skip(first).take(height.max(1)) {
            let row_style = self.row_style(Pane::Drops, i, theme);
            let moved = format!(" {:.0} → {:.0} ", d.from, d.to);
            let name_w = w.saturating_sub(width(&moved));
            lines.push(Line::from(vec![
                Span::styled(cell(&clean(&d.name), name_w), row_style),
                Span::styled(moved, row_style.patch(theme.red)),
            ]));
            lines.push(Line::styled(
                truncate(&format!("  {} (since {})", clean(&d.reason), d.since), w).into_owned(),
                theme.dim,
            ));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    fn row_style(&self, pane: Pane, i: usize, theme: &Theme) -> Style {
        if self.pane == pane && self.selected(pane) == i {
            theme.selected
        } else {
            theme.text
        }
    }

    fn pane_block(
        &self,
        name: &'static str,
        details: String,
        pane: Pane,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
    ) -> Rect {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.pane == pane {
                theme.border_focus
            } else {
                theme.border
            })
            .title(title(name, details, theme));
        let inner = block.inner(area);
        block.render(area, buf);
        inner
    }
}
