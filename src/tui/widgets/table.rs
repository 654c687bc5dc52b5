//! A bordered table of the rows on screen. The caller hands over only the window (a page the
//! database returned), never a whole table: ratatui's `Table` builds every row it is given.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, StatefulWidget, Table, TableState, Widget};

use crate::tui::text::{count, truncate};
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
            .title(fit_line(
                self.title,
                usize::from(area.width.saturating_sub(2)),
            ));
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

/// "3 of 40": the selection's position in a list and the list's length, as every list's
/// title says it. An empty list is "0 of 0"; "?" is a position not known yet (a window read
/// from the end before its count came), "…" a count on its way.
pub fn position_of(position: Option<i64>, total: Option<i64>) -> String {
    let position = match (position, total) {
        (_, Some(0)) => "0".to_owned(),
        (Some(p), _) => count(p),
        (None, _) => "?".to_owned(),
    };
    format!("{position} of {}", total.map_or("…".to_owned(), count))
}

/// A block title: bold name, then dim details.
pub fn title<'a>(name: &'a str, details: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {name} "), theme.title),
        Span::styled(details, theme.dim),
    ])
}

/// `line` cut to `max` columns, with `…` where it was cut (a title longer than its box
/// would otherwise be clipped mid-word by the border).
pub fn fit_line(line: Line<'_>, max: usize) -> Line<'_> {
    if line.width() <= max {
        return line;
    }
    let mut used = 0;
    let mut spans = Vec::new();
    for span in line.spans {
        let w = span.width();
        if used + w < max {
            used += w;
            spans.push(span);
            continue;
        }
        let cut = truncate(&span.content, max - used).into_owned();
        spans.push(Span::styled(cut, span.style));
        break;
    }
    Line::from(spans)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_title_is_cut_with_an_ellipsis() {
        let line = Line::from(vec![
            Span::raw(" Deals "),
            Span::raw("prospecting · 1 of 4 "),
        ]);
        assert_eq!(fit_line(line.clone(), 40).width(), line.width());
        let cut = fit_line(line, 12);
        assert_eq!(cut.width(), 12);
        assert_eq!(cut.to_string(), " Deals pros…");
    }

    #[test]
    fn positions_read_n_of_m() {
        assert_eq!(position_of(Some(3), Some(1_200)), "3 of 1,200");
        assert_eq!(position_of(Some(0), Some(0)), "0 of 0");
        // a stale position over a list that is now empty
        assert_eq!(position_of(Some(1), Some(0)), "0 of 0");
        assert_eq!(position_of(None, Some(7)), "? of 7");
        assert_eq!(position_of(Some(1), None), "1 of …");
    }

    #[test]
    fn sparklines_and_trends() {
        assert_eq!(
            sparkline(&[Some(0.0), None, Some(100.0), Some(50.0)]),
            "▁ █▅"
        );
    }
}
