//! Customers: the book as a paged table — name, ARR, stage, health (band colour, trend arrow,
//! 12-month sparkline), CSM, next renewal, open approvals — sortable by any column, filtered
//! as you type, with "N of M".

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use crate::health::Thresholds;
use crate::store::read::change;
use crate::store::read::customers::{Query, Row as Customer, Sort};
use crate::tui::action::Action;
use crate::tui::paged::Paged;
use crate::tui::text::{clean, count, label, money, truncate};
use crate::tui::theme::Theme;
use crate::tui::widgets::columns::{self, Column};
use crate::tui::widgets::table::{Grid, position_of, sparkline, title};
use crate::tui::worker::MONTHS;

pub struct CustomersTab {
    pub query: Query,
    pub list: Paged<Customer>,
    /// 12-month overall scores of the rows on screen.
    pub sparklines: HashMap<String, Vec<Option<f64>>>,
    /// The filter prompt has the keyboard.
    pub typing: bool,
    /// Customers matching the filter (the M of "N of M").
    pub matching: Option<i64>,
    /// Customers without the filter.
    pub all: Option<i64>,
    /// Counts already computed, per query (the count of a million rows is not free).
    pub counts: HashMap<CountKey, i64>,
}

/// What a count depends on: the filters, not the order.
pub type CountKey = (String, Option<String>, Option<String>);

pub fn count_key(q: &Query) -> CountKey {
    (
        q.search.trim().to_owned(),
        q.workspace_id.clone(),
        q.csm_id.clone(),
    )
}

impl CustomersTab {
    pub fn new(query: Query) -> CustomersTab {
        CustomersTab {
            query,
            list: Paged::new(),
            sparklines: HashMap::new(),
            typing: false,
            matching: None,
            all: None,
            counts: HashMap::new(),
        }
    }

    pub fn selected_id(&self) -> Option<String> {
        self.list.selected_row().map(|r| r.id.clone())
    }

    /// The count of `q`, if computed before (sort order does not change a count).
    pub fn cached_count(&self, q: &Query) -> Option<i64> {
        self.counts.get(&count_key(q)).copied()
    }

    pub fn sort(&mut self, action: Action) {
        let i = Sort::ALL
            .iter()
            .position(|s| *s == self.query.sort)
            .unwrap_or(0);
        let n = Sort::ALL.len();
        match action {
            Action::SortNext => {
                self.query.sort = Sort::ALL[(i + 1) % n];
                self.query.descending = default_descending(self.query.sort);
            }
            Action::SortPrev => {
                self.query.sort = Sort::ALL[(i + n - 1) % n];
                self.query.descending = default_descending(self.query.sort);
            }
            _ => self.query.descending = !self.query.descending,
        }
    }

    /// Draws the table; each score in its band's colour by its own workspace's thresholds
    /// (`thresholds`, by workspace id; the defaults for one not in it).
    pub fn render(
        &self,
        area: Rect,
        buf: &mut Buffer,
        theme: &Theme,
        thresholds: &HashMap<String, Thresholds>,
        loading: bool,
    ) {
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
        let w = columns::fit(&WIDTHS, area.width.saturating_sub(2));
        let cell = |text: &str, i: usize| truncate(text, usize::from(w[i])).into_owned();
        // the score, the trend arrow and as many of the latest months as the column holds,
        // right-aligned so that a month is the same column on every row
        let months = usize::from(w[3].saturating_sub(6)).min(MONTHS);
        let rows: Vec<Row> = self
            .list
            .rows
            .iter()
            .map(|c| {
                let spark = self.sparklines.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
                let recent = &spark[spark.len().saturating_sub(months)..];
                let th = thresholds.get(&c.workspace_id).copied().unwrap_or_default();
                let band = c.health_score.map(|s| th.band(s as f64));
                let health = Line::from(vec![
                    Span::styled(
                        c.health_score.map_or("  —".into(), |s| format!("{s:>3}")),
                        theme.band(band),
                    ),
                    Span::styled(
                        format!(
                            " {} ",
                            change::arrow(change::change(c.health_score, last_month(spark)))
                        ),
                        theme.dim,
                    ),
                    Span::styled(format!("{:>months$}", sparkline(recent)), theme.band(band)),
                ]);
                Row::new(vec![
                    Cell::from(cell(&clean(&c.name), 0)),
                    Cell::from(Line::from(money(c.arr_cents)).right_aligned()),
                    Cell::from(cell(&label(&c.stage), 2)),
                    Cell::from(health),
                    Cell::from(cell(&clean(c.csm_name.as_deref().unwrap_or("—")), 4)),
                    Cell::from(c.renewal_date.clone().unwrap_or_else(|| "—".into())),
                    Cell::from(
                        Line::from(match c.open_approvals {
                            0 => "·".to_owned(),
                            n => n.to_string(),
                        })
                        .right_aligned(),
                    ),
                ])
                .style(theme.text)
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
        Grid {
            title: title_line,
            header,
            widths: columns::constraints(&w),
            rows,
            selected: Some(self.list.selected),
            focused: true,
            empty: if self.list.loaded {
                "  no customer matches"
            } else {
                "  loading…"
            },
        }
        .render(area, buf, theme);
    }
}

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
fn default_descending(sort: Sort) -> bool {
    matches!(sort, Sort::Arr | Sort::OpenApprovals)
}

/// Last month's score in a row of monthly scores ending with this month (`read::change`):
/// the arrow compares the score shown with it.
fn last_month(monthly: &[Option<f64>]) -> Option<f64> {
    monthly.len().checked_sub(2).and_then(|i| monthly[i])
}
