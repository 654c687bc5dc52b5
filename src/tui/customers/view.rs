//! How the book is drawn: the table of the rows on screen, each score in its band's colour
//! by its own workspace's thresholds.

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Widget};

use crate::health::Thresholds;
use crate::store::read::change;
use crate::store::read::customers::Row as Customer;
use crate::store::read::customers::Sort;
use crate::tui::layout::{Layout, TABLE_CHROME};
use crate::tui::screen::View;
use crate::tui::text::{clean, count, label, money};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::Column;
use crate::tui::widgets::paged_table::{PagedTable, ToCells, cut, right};
use crate::tui::widgets::table::{fit_line, position_of, sparkline, title};
use crate::tui::worker::MONTHS;

use super::CustomersScreen;

/// Rows of the book that fit on screen.
pub(super) fn rows(layout: &Layout) -> usize {
    layout.body.height.saturating_sub(TABLE_CHROME) as usize
}

impl CustomersScreen {
    pub(super) fn draw(&self, area: Rect, buf: &mut Buffer, view: &View) {
        let (theme, thresholds, loading) = (view.theme, view.thresholds, view.loading);
        let header: Vec<Cell> = COLUMNS
            .iter()
            .map(|(sort, name)| {
                if *sort == self.query.sort {
                    let arrow = if self.query.descending { "▼" } else { "▲" };
                    Cell::from(format!("{name}{arrow}"))
                } else {
                    Cell::from(*name)
                }
            })
            .collect();
        let mut details = position_of(self.list.position(), self.matching);
        if !self.query.search.is_empty()
            && let Some(all) = self.all
        {
            details.push_str(&format!(" (of {})", count(all)));
        }
        if self.query.csm_id.is_some() {
            details.push_str(" · mine");
        }
        if loading {
            details.push_str(" · loading…");
        }
        // a space before the border, like every other title
        details.push(' ');
        let mut title_line = title("Customers", details, theme);
        if self.typing || !self.query.search.is_empty() {
            title_line.spans.push(Span::styled(" filter: ", theme.dim));
            title_line.spans.push(Span::styled(
                clean(&self.query.search).into_owned(),
                theme.accent,
            ));
            if self.typing {
                title_line.spans.push(Span::styled("▏", theme.accent));
            }
            title_line.spans.push(Span::raw(" "));
        }
        PagedTable {
            list: &self.list,
            columns: &WIDTHS,
            header,
            title: title_line,
            focused: true,
            empty: "  no customer matches",
        }
        .render(
            area,
            buf,
            theme,
            &Book {
                theme,
                thresholds,
                sparklines: &self.sparklines,
            },
        );
        // what the trend marks mean, on the bottom border (the help says it too)
        if area.height > 2 && area.width > 4 {
            let bottom = Rect::new(area.x + 2, area.bottom() - 1, area.width - 4, 1);
            fit_line(
                Line::from(Span::styled(TREND_LEGEND, theme.dim)),
                usize::from(bottom.width),
            )
            .right_aligned()
            .render(bottom, buf);
        }
    }
}

/// The Health column's trend marks (`change::arrow`), under the table.
pub const TREND_LEGEND: &str = " ▲▼ since last month   · same   blank: no score last month ";

/// What each column of `COLUMNS` wants: the name fills; the health column holds the score,
/// the trend and a 12-month sparkline (fewer months on a narrow screen).
const WIDTHS: [Column; 7] = [
    Column::fill(16, 10),
    Column::fixed(9, 7),
    Column::fixed(11, 10),
    Column::fixed(18, 9),
    Column::fixed(14, 8),
    Column::fixed(11, 10),
    Column::fixed(5, 4),
];

/// Column headers and the sort each one is.
pub const COLUMNS: [(Sort, &str); 7] = [
    (Sort::Name, "Name"),
    (Sort::Arr, "ARR"),
    (Sort::Stage, "Stage"),
    (Sort::Health, "Health"),
    (Sort::Csm, "CSM"),
    (Sort::Renewal, "Renewal"),
    (Sort::OpenApprovals, "Appr"),
];

/// Money, health and approvals read best largest first; names, stages, CSMs and renewal
/// dates in their natural order.
pub(super) fn default_descending(sort: Sort) -> bool {
    matches!(sort, Sort::Arr | Sort::OpenApprovals)
}

/// Last month's score in a row of monthly scores ending with this month (`read::change`):
/// the arrow compares the score shown with it.
fn last_month(monthly: &[Option<f64>]) -> Option<f64> {
    monthly.len().checked_sub(2).and_then(|i| monthly[i])
}

/// What a customer's row needs besides itself.
struct Book<'a> {
    theme: &'a Theme,
    thresholds: &'a HashMap<String, Thresholds>,
    sparklines: &'a HashMap<String, Vec<Option<f64>>>,
}

impl ToCells<Book<'_>> for Customer {
    fn cell(&self, column: usize, width: u16, book: &Book) -> Cell<'static> {
        let theme = book.theme;
        match column {
            0 => cut(&clean(&self.name), width),
            1 => right(money(self.arr_cents)),
            2 => cut(&label(&self.stage), width),
            3 => {
                // the score, the trend arrow and as many of the latest months as the column
                // holds, right-aligned so that a month is the same column on every row
                let months = usize::from(width.saturating_sub(6)).min(MONTHS);
                let spark = book
                    .sparklines
                    .get(&self.id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[]);
                let recent = &spark[spark.len().saturating_sub(months)..];
                let th = book
                    .thresholds
                    .get(&self.workspace_id)
                    .copied()
                    .unwrap_or_default();
                let band = self.health_score.map(|s| th.band(s as f64));
                Cell::from(Line::from(vec![
                    Span::styled(
                        self.health_score
                            .map_or("  —".into(), |s| format!("{s:>3}")),
                        theme.band(band),
                    ),
                    Span::styled(
                        format!(
                            " {} ",
                            change::arrow(change::change(self.health_score, last_month(spark)))
                        ),
                        theme.dim,
                    ),
                    Span::styled(format!("{:>months$}", sparkline(recent)), theme.band(band)),
                ]))
            }
            4 => cut(&clean(self.csm_name.as_deref().unwrap_or("—")), width),
            5 => Cell::from(self.renewal_date.clone().unwrap_or_else(|| "—".into())),
            _ => right(match self.open_approvals {
                0 => "·".to_owned(),
                n => n.to_string(),
            }),
        }
    }
}
