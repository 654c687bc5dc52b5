//! The table every list is drawn with: the window of a `Paged` list (never more rows than
//! fit), its column widths worked out by `columns::fit`, the selection, and a line for an
//! empty or loading list. What a row shows in each column is the row's own (`ToCells`, in
//! the manner of bottom's `DataToCell`), so a screen writes only its columns' text.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use crate::tui::paged::Paged;
use crate::tui::text::truncate;
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::table::Grid;

/// A row's text in column `column` of a table, `width` wide. `C` is what the row needs
/// besides itself (the theme, thresholds, sparklines...).
pub trait ToCells<C> {
    fn cell(&self, column: usize, width: u16, cx: &C) -> Cell<'static>;
}

pub struct PagedTable<'a, R> {
    pub list: &'a Paged<R>,
    pub columns: &'a [Column],
    pub header: Vec<Cell<'a>>,
    pub title: Line<'a>,
    pub focused: bool,
    /// Said when the list is loaded and empty ("  loading…" before).
    pub empty: &'a str,
}

impl<R> PagedTable<'_, R> {
    pub fn render<C>(self, area: Rect, buf: &mut Buffer, theme: &Theme, cx: &C)
    where
        R: ToCells<C>,
    {
        let w = columns::fit(self.columns, area.width.saturating_sub(2));
        let rows = self
            .list
            .rows
            .iter()
            .map(|r| {
                Row::new(w.iter().enumerate().map(|(i, width)| r.cell(i, *width, cx)))
                    .style(theme.text)
            })
            .collect();
        Grid {
            title: self.title,
            header: self.header,
            widths: columns::constraints(&w),
            rows,
            selected: Some(self.list.selected),
            focused: self.focused,
            empty: if self.list.loaded {
                self.empty
            } else {
                "  loading…"
            },
        }
        .render(area, buf, theme);
    }
}

/// `text` cut to `width` columns, with `…` where it was cut.
pub fn cut(text: &str, width: u16) -> Cell<'static> {
    Cell::from(truncate(text, usize::from(width)).into_owned())
}

/// A number (or anything short) flush right.
pub fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).right_aligned())
}

/// A header row from column names.
pub fn header<'a>(names: &[&'a str]) -> Vec<Cell<'a>> {
    names.iter().map(|n| Cell::from(*n)).collect()
}
