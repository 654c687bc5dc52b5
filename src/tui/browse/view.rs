//! How the browser is drawn: the table picker, a table's window of rows (as many columns as
//! fit, scrolled so the column under the cursor shows), or one row with every column, long
//! values wrapped. Every value passes through `clean` first: nothing from the data reaches
//! the terminal as an escape sequence.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Widget};

use crate::store::read::browse::{Op, Shape};
use crate::tui::layout::{Layout, TABLE_CHROME};
use crate::tui::screen::View;
use crate::tui::text::{clean, clean_lines, truncate, width, wrap};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::{Grid, fit_line, position_of, title};

use super::{BrowseScreen, Detail, Mode};
use crate::tui::forms::picker::Picker;

/// A column is never drawn wider than this (a 36-character id shows its start).
const MAX_COLUMN: usize = 24;
const MIN_COLUMN: usize = 4;

/// Rows of a table that fit on screen: the page size.
pub(super) fn rows(layout: &Layout) -> usize {
    layout.body.height.saturating_sub(TABLE_CHROME) as usize
}

/// The first column to draw so that `focus` fits in `avail` columns, from `widths`.
fn first_column(widths: &[usize], focus: usize, avail: usize) -> usize {
    let mut first = focus.min(widths.len().saturating_sub(1));
    let mut used = widths.get(first).copied().unwrap_or(0);
    while first > 0 && used + 1 + widths[first - 1] <= avail {
        first -= 1;
        used += 1 + widths[first];
    }
    first
}

impl BrowseScreen {
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, view: &View) {
        match &self.mode {
            Mode::Tables(p) => self.draw_picker(p, area, buf, view.theme),
            Mode::Row(d) => {
                if let Some(shape) = &self.shape {
                    self.draw_row(shape, d, area, buf, view);
                }
            }
            Mode::List | Mode::Typing(_) => match &self.shape {
                Some(shape) => self.draw_list(shape, area, buf, view),
                None => {
                    let text = if view.loading {
                        "loading…"
                    } else {
                        "no table chosen: t chooses one"
                    };
                    Paragraph::new(text).style(view.theme.dim).render(area, buf);
                }
            },
        }
    }

    /// "sorted by name ↑ · name contains "ac" · 3 of 40"
    fn details(&self) -> String {
        let q = &self.query;
        let arrow = if q.descending { "↓" } else { "↑" };
        let mut parts = vec![format!(
            "by {} {arrow}",
            q.sort.as_deref().unwrap_or("rowid")
        )];
        let typing = matches!(self.mode, Mode::Typing(_));
        match (&q.filter, &self.mode) {
            (Some(f), _) => {
                let op = if f.op == Op::Contains {
                    "contains"
                } else {
                    "="
                };
                let cursor = if typing { "▏" } else { "" };
                parts.push(format!("{} {op} \"{}{cursor}\"", f.column, clean(&f.text)));
            }
            (None, Mode::Typing(op)) => {
                let name = self
                    .shape
                    .as_ref()
                    .and_then(|s| s.columns.get(self.column))
                    .map_or("", |c| c.name.as_str());
                let op = if *op == Op::Contains { "contains" } else { "=" };
                parts.push(format!("{name} {op} \"▏\""));
            }
            _ => {}
        }
        parts.push(position_of(self.list.position(), self.count));
        format!("{} ", parts.join(" · "))
    }

    fn draw_list(&self, shape: &Shape, area: Rect, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let avail = usize::from(area.width.saturating_sub(2));
        let texts: Vec<Vec<String>> = self
            .list
            .rows
            .iter()
            .map(|r| {
                r.values
                    .iter()
                    .map(|v| clean(&v.text()).into_owned())
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = shape
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let widest = texts
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|t| width(t))
                    .max()
                    .unwrap_or(0);
                widest.max(width(&c.name)).clamp(MIN_COLUMN, MAX_COLUMN)
            })
            .collect();
        let first = first_column(&widths, self.column, avail);
        let mut shown = Vec::new();
        let mut used = 0;
        for (i, w) in widths.iter().enumerate().skip(first) {
            let gap = usize::from(!shown.is_empty());
            if used + gap + w > avail {
                // the last column takes what is left, if that is enough to read its start
                let left = avail.saturating_sub(used + gap);
                if left >= MIN_COLUMN {
                    shown.push((i, left));
                }
                break;
            }
            used += gap + w;
            shown.push((i, *w));
        }
        let header: Vec<Cell> = shown
            .iter()
            .map(|&(i, w)| {
                let c = &shape.columns[i];
                let mark = if c.reference.is_some() { "→" } else { "" };
                // the cursor shows without colour too (NO_COLOR, a monochrome terminal)
                let cursor = if i == self.column { "▸" } else { "" };
                let name = truncate(&format!("{cursor}{}{mark}", c.name), w).into_owned();
                let style = if i == self.column {
                    theme.accent
                } else {
                    theme.header
                };
                Cell::from(Span::styled(name, style))
            })
            .collect();
        let rows: Vec<Row> = texts
            .iter()
            .map(|r| {
                Row::new(shown.iter().map(|&(i, w)| {
                    Cell::from(truncate(r.get(i).map_or("", String::as_str), w).into_owned())
                }))
                .style(theme.text)
            })
            .collect();
        let empty = if self.list.loaded {
            "  no rows (that you may see)"
        } else {
            "  loading…"
        };
        Grid {
            title: title(&shape.table, self.details(), theme),
            header,
            widths: shown
                .iter()
                .map(|&(_, w)| Constraint::Length(w as u16))
                .collect(),
            rows,
            selected: Some(self.list.selected),
            focused: true,
            empty,
        }
        .render(area, buf, theme);
    }

    fn draw_row(&self, shape: &Shape, d: &Detail, area: Rect, buf: &mut Buffer, view: &View) {
        let theme = view.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(fit_line(
                title(
                    &shape.table,
                    format!("rowid {} · enter on → follows it ", d.rowid),
                    theme,
                ),
                usize::from(area.width.saturating_sub(2)),
            ));
        let inner = block.inner(area);
        block.render(area, buf);
        let Some(values) = &d.values else {
            let text = if d.loaded {
                "this row is not there, or not yours to see"
            } else {
                "loading…"
            };
            Paragraph::new(text).style(theme.dim).render(inner, buf);
            return;
        };
        let name_w = shape
            .columns
            .iter()
            .map(|c| width(&c.name))
            .max()
            .unwrap_or(0)
            .min(MAX_COLUMN);
        let value_w = usize::from(inner.width).saturating_sub(name_w + 2).max(8);
        let mut lines: Vec<Line> = Vec::new();
        let mut selected = (0, 0);
        for (i, (c, v)) in shape.columns.iter().zip(values).enumerate() {
            let start = lines.len();
            let mut text: Vec<String> = clean_lines(&v.text())
                .iter()
                .flat_map(|l| wrap(l, value_w, ""))
                .collect();
            if text.is_empty() {
                text.push(String::new());
            }
            let name_style = if i == d.field {
                theme.selected
            } else {
                theme.header
            };
            for (j, t) in text.into_iter().enumerate() {
                let name = if j == 0 {
                    truncate(&c.name, name_w).into_owned()
                } else {
                    String::new()
                };
                let pad = " ".repeat(name_w.saturating_sub(width(&name)) + 2);
                let mut spans = vec![
                    Span::styled(name, if j == 0 { name_style } else { theme.text }),
                    Span::raw(pad),
                    Span::styled(t, theme.text),
                ];
                if j == 0
                    && let Some((parent, _)) = &c.reference
                {
                    spans.push(Span::styled(format!("  → {parent}"), theme.dim));
                }
                lines.push(Line::from(spans));
            }
            if i == d.field {
                selected = (start, lines.len());
            }
        }
        let height = usize::from(inner.height);
        // the selected field's last line at the bottom, if it is below the first screen
        let offset = selected.1.saturating_sub(height).min(selected.0);
        Paragraph::new(
            lines
                .into_iter()
                .skip(offset)
                .take(height)
                .collect::<Vec<_>>(),
        )
        .render(inner, buf);
    }

    fn draw_picker(&self, p: &Picker, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let details = format!("{} tables ", self.tables.len());
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border_focus)
            .title(title("Browse a table", details, theme));
        let inner = block.inner(area);
        block.render(area, buf);
        let mut lines = vec![Line::from(vec![
            Span::styled("table: ", theme.header),
            Span::styled(format!("{}▏", clean(&p.query.text)), theme.text),
        ])];
        let height = usize::from(inner.height).saturating_sub(1);
        let first = p.selected.saturating_sub(height.saturating_sub(1));
        if self.tables.is_empty() {
            lines.push(Line::styled("loading…", theme.dim));
        } else if p.ranked.is_empty() {
            lines.push(Line::styled("no table matches", theme.dim));
        }
        for (pos, &i) in p.ranked.iter().enumerate().skip(first).take(height) {
            let name = p.items.get(i).map_or("", |c| c.label.as_str());
            let style = if pos == p.selected {
                theme.selected
            } else {
                theme.text
            };
            lines.push(Line::styled(format!("  {name}"), style));
        }
        Paragraph::new(lines).render(inner, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::first_column;

    #[test]
    fn the_column_under_the_cursor_is_always_drawn() {
        let w = [10, 10, 10, 10];
        assert_eq!(first_column(&w, 0, 25), 0);
        assert_eq!(first_column(&w, 1, 25), 0, "0 and 1 fit in 21");
        assert_eq!(first_column(&w, 2, 25), 1);
        assert_eq!(first_column(&w, 3, 5), 3, "too narrow: the column alone");
    }
}
