//! How Journeys is drawn: a line about the analysis, the variants table, the selected
//! variant's whole path, then the bottlenecks and explanations beside the customer's place on
//! the happy path.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout as Split, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::mine::progress;
use crate::store::mine::duration;
use crate::tui::layout::Layout;
use crate::tui::screen::View;
use crate::tui::text::{clean, minute, truncate, width, wrap};
use crate::tui::widgets::table::title;

use super::JourneysScreen;

/// `text` cut or padded to exactly `w` columns.
fn cell(text: &str, w: usize) -> String {
    let cut = truncate(text, w);
    let pad = w.saturating_sub(width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

fn path(activities: &[String]) -> String {
    clean(&activities.join(" → ")).into_owned()
}

impl JourneysScreen {
    pub(super) fn draw(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let body = layout.body;
        let Some(l) = &self.loaded else {
            let text = if view.loading { "loading…" } else { "" };
            Paragraph::new(text).style(theme.dim).render(body, buf);
            return;
        };
        let Some(a) = &l.analysis else {
            Paragraph::new(vec![
                Line::styled("No customer journey has been mined yet.", theme.text),
                Line::styled(
                    "Run `cscx mine` (journeys from stages, calls, meetings, approvals, playbooks), then ctrl-r.",
                    theme.dim,
                ),
            ])
            .render(body, buf);
            return;
        };
        let [head, table, chosen, bottom] = Split::vertical([
            Constraint::Length(1),
            Constraint::Percentage(50),
            Constraint::Length(2),
            Constraint::Min(5),
        ])
        .areas(body);
        let w = usize::from(head.width);
        let about = format!(
            " {} cases · {} variants · success: {} · mined {}",
            a.cases,
            a.variants,
            a.success.as_deref().unwrap_or("—"),
            a.finished_at.as_deref().map(minute).unwrap_or_default()
        );
        Line::styled(truncate(&about, w).into_owned(), theme.dim).render(head, buf);

        // ---- variants ---------------------------------------------------------------------
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(title(
                "Variants by frequency",
                format!("{} of {} · * happy path ", l.variants.len(), a.variants),
                theme,
            ));
        let inner = block.inner(table);
        block.render(table, buf);
        let iw = usize::from(inner.width);
        let (mark_w, cases_w, share_w, mean_w) = (1, 6, 4, 7);
        let path_w = iw.saturating_sub(mark_w + cases_w + share_w + mean_w + 4);
        let mut lines = vec![Line::styled(
            format!(
                "{} {} {} {} {}",
                cell("", mark_w),
                cell("cases", cases_w),
                cell("%", share_w),
                cell("mean", mean_w),
                cell("path", path_w)
            ),
            theme.header,
        )];
        let height = usize::from(inner.height).saturating_sub(1);
        let first = self.selected.saturating_sub(height.saturating_sub(1));
        for (i, v) in l.variants.iter().enumerate().skip(first).take(height) {
            let style = if i == self.selected {
                theme.selected
            } else {
                theme.text
            };
            let share = if a.cases > 0 {
                format!("{:.0}", 100.0 * v.frequency as f64 / a.cases as f64)
            } else {
                String::new()
            };
            let mean = v.avg_cycle_seconds.map(duration).unwrap_or_default();
            lines.push(Line::from(vec![
                Span::styled(
                    cell(if v.happy { "*" } else { "" }, mark_w),
                    style.patch(theme.green),
                ),
                Span::styled(" ", style),
                Span::styled(format!("{:>cases_w$}", v.frequency), style),
                Span::styled(" ", style),
                Span::styled(format!("{share:>share_w$}"), style),
                Span::styled(" ", style),
                Span::styled(format!("{mean:>mean_w$}"), style),
                Span::styled(" ", style),
                Span::styled(cell(&path(&v.activities), path_w), style),
            ]));
        }
        Paragraph::new(lines).render(inner, buf);

        // ---- the selected variant, whole --------------------------------------------------
        if let Some(v) = l.variants.get(self.selected) {
            let cw = usize::from(chosen.width).saturating_sub(1);
            let text: Vec<Line> = wrap(&path(&v.activities), cw, "  ")
                .into_iter()
                .take(2)
                .map(|s| Line::styled(format!(" {s}"), theme.dim))
                .collect();
            Paragraph::new(text).render(chosen, buf);
        }

        // ---- why, and where the customer is -----------------------------------------------
        let [why, here] =
            Split::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(bottom);
        self.draw_why(why, buf, view);
        self.draw_here(here, buf, view);
    }

    fn draw_why(&self, area: Rect, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let Some(l) = &self.loaded else { return };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title("Bottlenecks and why", String::new(), theme));
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let mut lines = Vec::new();
        for e in &l.explanations {
            let style = if e.scope == "bottleneck" {
                theme.yellow
            } else {
                theme.text
            };
            for (k, s) in wrap(&clean(&e.summary), w, "  ").into_iter().enumerate() {
                lines.push(Line::styled(s, if k == 0 { style } else { theme.dim }));
            }
        }
        if lines.is_empty() {
            lines.push(Line::styled("nothing to explain", theme.dim));
        }
        Paragraph::new(lines).render(inner, buf);
    }

    fn draw_here(&self, area: Rect, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let Some(l) = &self.loaded else { return };
        let name = l
            .journey
            .as_ref()
            .map_or("The customer".to_owned(), |j| clean(&j.name).into_owned());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(title(&name, "on the happy path ".into(), theme));
        let inner = block.inner(area);
        block.render(area, buf);
        let w = usize::from(inner.width);
        let Some(j) = &l.journey else {
            let text = match &l.customer {
                Some(_) => "this customer has no mined journey yet (cscx mine)",
                None => "select a customer (Customers, tab 1) to see where they are",
            };
            let lines: Vec<Line> = wrap(text, w, "")
                .into_iter()
                .map(|s| Line::styled(s, theme.dim))
                .collect();
            Paragraph::new(lines).render(inner, buf);
            return;
        };
        let done = progress(&l.happy, &j.activities);
        let next = done.iter().position(|d| !d);
        let mut lines = vec![Line::styled(
            truncate(
                &format!(
                    "{} steps so far, {} · {} took this way",
                    j.activities.len(),
                    j.cycle_seconds.map(duration).unwrap_or_default(),
                    j.same_way
                ),
                w,
            )
            .into_owned(),
            theme.dim,
        )];
        if l.happy.is_empty() {
            lines.push(Line::styled("no happy path: no case succeeded", theme.dim));
        }
        for (i, (step, ok)) in l.happy.iter().zip(&done).enumerate() {
            let (mark, style) = match (ok, Some(i) == next) {
                (true, _) => ("[x]", theme.green),
                (false, true) => ("[>]", theme.yellow),
                (false, false) => ("[ ]", theme.dim),
            };
            lines.push(Line::styled(
                truncate(&format!("{mark} {}", clean(step)), w).into_owned(),
                style,
            ));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}
