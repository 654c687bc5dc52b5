//! Drawing forms, pickers and questions over the screen. Each field is one row — label, value,
//! and the reason it is not acceptable beside it — and a notes field a few rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::confirm::Confirm;
use super::input::{Input, cursor_line};
use super::picker::Picker;
use super::{Form, Phase};
use crate::tui::keymap::Keymap;
use crate::tui::text::{clean, truncate, width};
use crate::tui::theme::Theme;

const LABEL: u16 = 13;
/// Rows a notes field shows.
const NOTE_ROWS: u16 = 4;

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn rows_of(input: &Input) -> u16 {
    match input {
        Input::Text(t) if t.multiline => NOTE_ROWS,
        _ => 1,
    }
}

/// The first key bound to `action`, as text.
pub fn key_of(keymap: &Keymap, action: crate::tui::action::Action) -> String {
    keymap
        .keys_for(action)
        .first()
        .map_or("—".to_owned(), |k| k.to_string())
}

pub fn form(form: &Form, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
    let needed: u16 = form.slots.iter().map(|s| rows_of(&s.input)).sum::<u16>() + 4;
    let popup = centered(area, area.width.saturating_sub(4).min(104), needed);
    Clear.render(popup, buf);
    use crate::tui::action::Action;
    let keys = format!(
        " {} save · {} next · {} cancel ",
        key_of(keymap, Action::Save),
        key_of(keymap, Action::FormNext),
        key_of(keymap, Action::Cancel)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Line::from(vec![Span::styled(
            format!(
                " {} ",
                truncate(&clean(&form.title), popup.width.saturating_sub(4) as usize)
            ),
            theme.title,
        )]))
        .title_bottom(Line::styled(keys, theme.dim).right_aligned());
    let inner = block.inner(popup);
    block.render(popup, buf);
    if inner.height < 2 || inner.width < LABEL + 10 {
        return;
    }
    // the value gets two fifths, the reason beside it the rest: reasons are the longer text
    let value_w = ((inner.width - LABEL - 2) * 2 / 5).clamp(12, 36);
    let error_x = inner.x + 2 + LABEL + value_w + 1;
    let error_w = inner.right().saturating_sub(error_x) as usize;
    // the footer takes the last row; fields scroll so the focused one is visible
    let body_h = inner.height.saturating_sub(2);
    let tops: Vec<u16> = form
        .slots
        .iter()
        .scan(0u16, |y, s| {
            let top = *y;
            *y += rows_of(&s.input);
            Some(top)
        })
        .collect();
    let focus_bottom = form
        .slots
        .get(form.focus)
        .map_or(0, |s| tops[form.focus] + rows_of(&s.input));
    let offset = focus_bottom.saturating_sub(body_h);
    for (i, slot) in form.slots.iter().enumerate() {
        let rows = rows_of(&slot.input);
        let Some(top) = tops[i].checked_sub(offset) else {
            continue;
        };
        if top + rows > body_h {
            break;
        }
        let y = inner.y + top;
        let focused = i == form.focus && form.phase == Phase::Editing;
        let marker = if focused { "›" } else { " " };
        Line::from(vec![
            Span::styled(format!("{marker} "), theme.key),
            Span::styled(
                format!(
                    "{:<w$}",
                    truncate(&slot.label, LABEL as usize - 1),
                    w = LABEL as usize
                ),
                if focused { theme.header } else { theme.text },
            ),
        ])
        .render(Rect::new(inner.x, y, 2 + LABEL, 1), buf);
        // notes take the whole width while no reason stands beside them: what a CSM writes
        // there is sentences, not a value
        let value_w = match &slot.input {
            Input::Text(t) if t.multiline && slot.message().is_none() => {
                inner.width.saturating_sub(2 + LABEL + 1).max(value_w)
            }
            _ => value_w,
        };
        let value_area = Rect::new(inner.x + 2 + LABEL, y, value_w, rows);
        let field_style = if focused {
            theme.selected
        } else {
            Style::new()
        };
        buf.set_style(value_area, field_style.remove_modifier(Modifier::BOLD));
        match &slot.input {
            Input::Text(t) if t.multiline => {
                let (lines, (row, col)) = t.visual_lines(value_w.saturating_sub(1) as usize);
                // focused, the lines around the cursor; unfocused, the start of the notes, like
                // a one-line field, with `…` after the last line shown when more follow
                let first = if focused {
                    row.saturating_sub(rows as usize - 1)
                } else {
                    0
                };
                let more = !focused && lines.len() > rows as usize;
                if t.text.is_empty() && !focused {
                    Line::styled(slot.hint, theme.dim).render(value_area, buf);
                }
                for (k, text) in lines.iter().skip(first).take(rows as usize).enumerate() {
                    let line_area = Rect::new(value_area.x, y + k as u16, value_w, 1);
                    if focused && first + k == row {
                        cursor_line(
                            text,
                            col,
                            theme.text,
                            Style::new().add_modifier(Modifier::REVERSED),
                        )
                        .render(line_area, buf);
                    } else if more && k + 1 == rows as usize {
                        // a visual line is at most value_w - 1 wide: the `…` fits after it
                        Line::styled(format!("{}…", clean(text).trim_end()), theme.text)
                            .render(line_area, buf);
                    } else {
                        Line::styled(clean(text).into_owned(), theme.text).render(line_area, buf);
                    }
                }
            }
            input => input
                .line(focused, value_w as usize, slot.hint, theme)
                .render(value_area, buf),
        }
        if let Some(message) = slot.message()
            && error_w > 2
        {
            Line::styled(
                truncate(&format!("✗ {message}"), error_w).into_owned(),
                theme.error,
            )
            .render(Rect::new(error_x, y, error_w as u16, 1), buf);
        }
    }
    // footer: the focused field's full message or what to type there
    let footer = Rect::new(inner.x, inner.bottom() - 1, inner.width, 1);
    let line = match (form.phase, form.focused()) {
        (Phase::Loading, _) => Line::styled("loading…", theme.dim),
        (Phase::Saving, _) => Line::styled("saving…", theme.dim),
        (_, Some(s)) => match s.message() {
            Some(m) => Line::styled(
                clean(&format!("{}: {m}", s.label)).into_owned(),
                theme.error,
            ),
            None if !s.hint.is_empty() => Line::styled(s.hint, theme.dim),
            // (hints are ours; labels and messages may carry data: cleaned above)
            None => Line::default(),
        },
        _ => Line::default(),
    };
    line.render(footer, buf);
}

pub fn picker(p: &Picker, area: Rect, buf: &mut Buffer, theme: &Theme) {
    let popup = centered(
        area,
        area.width.saturating_sub(8).min(76),
        area.height.min(16),
    );
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(format!(" {} ", clean(&p.title)), theme.title));
    let inner = block.inner(popup);
    block.render(popup, buf);
    if inner.height < 2 {
        return;
    }
    let query = Line::from(vec![
        Span::styled("› ", theme.key),
        Span::styled(clean(&p.query.text).into_owned(), theme.accent),
        Span::styled("▏", theme.accent),
    ]);
    query.render(Rect::new(inner.x, inner.y, inner.width, 1), buf);
    let list = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    if p.ranked.is_empty() {
        let text = if p.loading { "loading…" } else { "no match" };
        Line::styled(text, theme.dim).render(list, buf);
        return;
    }
    let h = list.height as usize;
    let first = p.selected.saturating_sub(h.saturating_sub(1));
    for (k, &i) in p.ranked.iter().skip(first).take(h).enumerate() {
        let Some(c) = p.items.get(i) else { continue };
        let selected = first + k == p.selected;
        let row = Rect::new(list.x, list.y + k as u16, list.width, 1);
        let label = truncate(&clean(&c.label), (list.width as usize * 3 / 5).max(10)).into_owned();
        let rest = (list.width as usize).saturating_sub(width(&label) + 3);
        let line = Line::from(vec![
            Span::styled(label, theme.text),
            Span::styled(
                format!("  {}", truncate(&clean(&c.detail), rest)),
                theme.dim,
            ),
        ]);
        if selected {
            buf.set_style(row, theme.selected);
        }
        line.render(row, buf);
    }
}

pub fn confirm(c: &Confirm, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
    let w = area.width.saturating_sub(8).min(70);
    // a question may list what it is about, a line each
    let text_rows: u16 = c
        .text
        .split('\n')
        .map(|l| (width(l) as u16 / w.saturating_sub(4).max(1)) + 1)
        .sum();
    let choices = c.choices();
    let popup = centered(area, w, text_rows + choices.len() as u16 + 3);
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focus)
        .title(Span::styled(" Sure? ", theme.title));
    let mut lines: Vec<Line> = c
        .text
        .split('\n')
        .map(|l| Line::styled(clean(l).into_owned(), theme.text))
        .collect();
    lines.push(Line::default());
    for (action, what) in choices {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>5}  ", key_of(keymap, action)), theme.key),
            Span::styled(what, theme.text),
        ]));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(popup, buf);
}
