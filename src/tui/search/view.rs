//! Drawing the search: the prompt, then the hits grouped by kind, each a line saying what it
//! is and a line of the text around its match with the match highlighted. Every piece of
//! text from the database is neutralised (`text::clean`) as it becomes a span.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::{SearchScreen, hint, too_short};
use crate::store::read::search::Hit;
use crate::tui::screen::View;
use crate::tui::text::{clean, clean_lines, truncate, width, wrap};
use crate::tui::theme::Theme;

/// The popup over `body`.
pub fn area(body: Rect) -> Rect {
    let w = body.width.saturating_sub(4).min(120);
    let h = body.height.saturating_sub(1);
    Rect::new(body.x + (body.width - w) / 2, body.y, w, h)
}

/// A hit's snippet as spans at most `max` columns wide: each part neutralised, the matches
/// highlighted.
pub fn snippet_spans(parts: &[(String, bool)], max: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mark = theme
        .accent
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let mut spans = Vec::new();
    let mut used = 0;
    for (text, matched) in parts {
        if used >= max {
            break;
        }
        let text = clean(text);
        let room = max - used;
        let shown = truncate(&text, room).into_owned();
        used += width(&shown);
        spans.push(Span::styled(
            shown,
            if *matched { mark } else { theme.text },
        ));
    }
    spans
}

fn hit_lines(hit: &Hit, inner: usize, theme: &Theme, selected: bool) -> [Line<'static>; 2] {
    let mut what = clean(&hit.title).into_owned();
    if let Some(c) = &hit.customer_name {
        what.push_str(" · ");
        what.push_str(&clean(c));
    }
    if let Some(when) = &hit.when {
        what.push_str(" · ");
        what.push_str(crate::tui::text::date(when));
    }
    let marker = if selected { "▶ " } else { "  " };
    let head = Line::from(vec![
        Span::styled(marker, theme.key),
        Span::styled(
            truncate(&what, inner.saturating_sub(2)).into_owned(),
            theme.text,
        ),
    ]);
    let mut body = vec![Span::raw("    ")];
    body.extend(snippet_spans(&hit.snippet, inner.saturating_sub(4), theme));
    let mut lines = [head, Line::from(body)];
    if selected {
        for l in &mut lines {
            l.style = theme.selected;
        }
    }
    lines
}

/// How far an article can scroll in the popup over `body` (its last line at the bottom).
pub fn article_max_scroll(read: Option<&Option<super::Article>>, body: Rect) -> u16 {
    let popup = area(body);
    let width = usize::from(popup.width.saturating_sub(2)).max(1);
    let lines = match read {
        Some(Some((_, category, content))) => {
            let head = if category.is_some() { 2 } else { 0 };
            head + clean_lines(content)
                .iter()
                .map(|l| wrap(l, width, "").len())
                .sum::<usize>()
        }
        _ => 1,
    };
    u16::try_from(lines)
        .unwrap_or(u16::MAX)
        .saturating_sub(popup.height.saturating_sub(2))
}

impl SearchScreen {
    /// The lines of the results and the line the selected hit starts on.
    fn result_lines(&self, inner: usize, theme: &Theme) -> (Vec<Line<'static>>, usize) {
        let mut lines = Vec::new();
        let mut at = 0;
        let Some((_, results)) = &self.results else {
            return (lines, 0);
        };
        let mut i = 0;
        for (kind, hits, more) in &results.groups {
            let count = match (hits.len(), *more) {
                (0, _) => " · none among the newest with these letters: type more".to_owned(),
                (n, true) => format!(" {n}+"),
                (n, false) => format!(" {n}"),
            };
            lines.push(Line::from(vec![
                Span::styled(kind.title(), theme.header),
                Span::styled(count, theme.dim),
            ]));
            for hit in hits {
                if i == self.selected {
                    at = lines.len();
                }
                lines.extend(hit_lines(hit, inner, theme, i == self.selected));
                i += 1;
            }
        }
        (lines, at)
    }

    pub(super) fn draw(&self, body: Rect, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let popup = area(body);
        Clear.render(popup, buf);
        if let Some((_, read, scroll)) = &self.article {
            return self.draw_article(popup, read.as_ref(), *scroll, buf, theme);
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(Span::styled(
                " Search everything · enter open, esc close ",
                theme.title,
            ));
        let inner = block.inner(popup);
        block.render(popup, buf);
        if inner.height < 3 {
            return;
        }
        let w = usize::from(inner.width);
        let query = clean(&self.query);
        let shown = if width(&query) + 9 > w {
            // the end of a long query, where the typing is
            let keep: String = query.chars().rev().take(w.saturating_sub(10)).collect();
            format!("…{}", keep.chars().rev().collect::<String>())
        } else {
            query.into_owned()
        };
        Line::from(vec![
            Span::styled("Search: ", theme.key),
            Span::styled(shown, theme.text),
            Span::styled("▏", theme.key),
        ])
        .render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
        let state = if self.query.trim().is_empty() || too_short(&self.query) {
            hint()
        } else {
            match (&self.results, self.searching) {
                (_, true) => "searching…".to_owned(),
                (Some((_, r)), false) if r.is_empty() => "nothing found".to_owned(),
                (Some((_, r)), false) => {
                    format!("{} found · ↑↓ choose, enter open", r.len())
                }
                (None, false) => String::new(),
            }
        };
        Line::styled(truncate(&state, w).into_owned(), theme.dim)
            .render(Rect::new(inner.x, inner.y + 1, inner.width, 1), buf);
        let list = Rect::new(inner.x, inner.y + 2, inner.width, inner.height - 2);
        let (lines, at) = self.result_lines(w, theme);
        // keep the selected hit (two lines) in view
        let h = usize::from(list.height);
        let top = (at + 2).saturating_sub(h);
        Paragraph::new(lines)
            .scroll((u16::try_from(top).unwrap_or(u16::MAX), 0))
            .render(list, buf);
    }

    fn draw_article(
        &self,
        popup: Rect,
        read: Option<&Option<super::Article>>,
        scroll: u16,
        buf: &mut Buffer,
        theme: &Theme,
    ) {
        let inner_w = usize::from(popup.width.saturating_sub(2));
        let (title, lines): (String, Vec<Line>) = match read {
            None => ("Article".into(), vec![Line::styled("loading…", theme.dim)]),
            Some(None) => (
                "Article".into(),
                vec![Line::styled("this article is gone", theme.error)],
            ),
            Some(Some((title, category, content))) => {
                let mut lines = Vec::new();
                if let Some(c) = category {
                    lines.push(Line::styled(format!("Category: {}", clean(c)), theme.dim));
                    lines.push(Line::raw(""));
                }
                for l in clean_lines(content) {
                    for w in wrap(&l, inner_w.max(1), "") {
                        lines.push(Line::styled(w, theme.text));
                    }
                }
                (clean(title).into_owned(), lines)
            }
        };
        let max = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_sub(popup.height.saturating_sub(2));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max), 0))
            .style(Style::default())
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border_focus)
                    .title(Span::styled(
                        format!(
                            " {} · esc back to the results, j/k scroll ",
                            truncate(&title, inner_w.saturating_sub(40))
                        ),
                        theme.title,
                    )),
            )
            .render(popup, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snippet_is_neutralised_and_its_match_highlighted() {
        let theme = Theme::new(crate::tui::theme::ThemeKind::Dark);
        let parts = vec![
            (
                "Evil\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{202e} ".to_owned(),
                false,
            ),
            ("renewal".to_owned(), true),
            (" next\nline".to_owned(), false),
        ];
        let spans = snippet_spans(&parts, 200, &theme);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(
            !text.chars().any(crate::sanitize::is_unsafe),
            "an escape reached the screen: {text:?}"
        );
        assert!(text.contains("Evil␛]52"), "{text}");
        assert!(text.contains(" next line"), "{text}");
        let marked: Vec<&str> = spans
            .iter()
            .filter(|s| s.style.add_modifier.contains(Modifier::UNDERLINED))
            .map(|s| s.content.as_ref())
            .collect();
        assert_eq!(marked, vec!["renewal"]);
        // cut to the room there is
        let spans = snippet_spans(&parts, 8, &theme);
        let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
        assert!(width(&text) <= 8, "{text}");
    }
}
