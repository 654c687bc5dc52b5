//! A bordered table of the rows on screen. The caller hands over only the window (a page the
//! database returned), never a whole table: ratatui's `Table` builds every row it is given.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, StatefulWidget, Table, TableState, Widget};

use crate::tui::theme::Theme;

pub struct Grid<'a> {
    pub title: Line<'a>,
    pub header: Vec<Cell<'a>>,
    pub widths: Vec<Constraint>,
    pub rows: Vec<Row<'a>>,
    pub selected: Option<usize>,
    pub focused: bool,
    /// Shown when there are no rows.
    pub empty: &'a str,
}

impl Grid<'_> {
    pub fn render(self, area: Rect, buf: &mut Buffer, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if self.focused {
                theme.border_focus
            } else {
                theme.border
            })
            .title(self.title);
        if self.rows.is_empty() {
            let inner = block.inner(area);
            block.render(area, buf);
            Line::styled(self.empty, theme.dim).render(inner, buf);
            return;
        }
        let table = Table::new(self.rows, self.widths)
            .header(Row::new(self.header).style(theme.header))
            .block(block)
            .column_spacing(1)
            .row_highlight_style(if self.focused {
                theme.selected
            } else {
                Style::new()
            });
        let mut state = TableState::default().with_selected(self.selected);
        StatefulWidget::render(table, area, buf, &mut state);
    }
}

/// A block title: bold name, then dim details.
pub fn title<'a>(name: &'a str, details: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {name} "), theme.title),
        Span::styled(details, theme.dim),
    ])
}

/// A 0-100 series as a sparkline of block characters; gaps for missing months.
pub fn sparkline(values: &[Option<f64>]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| match v {
            Some(v) => BARS[((v.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize],
            None => ' ',
        })
        .collect()
}

/// ▲ ▼ or · for the change between the last two known values.
pub fn trend(values: &[Option<f64>]) -> &'static str {
    let known: Vec<f64> = values.iter().flatten().copied().collect();
    match known.as_slice() {
        [.., a, b] if b - a >= 1.0 => "▲",
        [.., a, b] if a - b >= 1.0 => "▼",
        [_, _, ..] => "·",
        _ => " ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_and_trends() {
        assert_eq!(
            sparkline(&[Some(0.0), None, Some(100.0), Some(50.0)]),
            "▁ █▅"
        );
        assert_eq!(trend(&[Some(50.0), Some(60.0)]), "▲");
        assert_eq!(trend(&[Some(60.0), None, Some(50.0)]), "▼");
        assert_eq!(trend(&[Some(60.0), Some(60.4)]), "·");
        assert_eq!(trend(&[Some(60.0)]), " ");
    }
}
