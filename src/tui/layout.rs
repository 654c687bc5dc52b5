//! Where everything goes on a screen of a given size: one pure function of the size, used by
//! drawing and by mouse clicks alike, so a click lands on what was drawn there.

use ratatui::layout::{Constraint, Layout as Split, Position, Rect};

#[derive(Debug, Clone, Copy)]
pub struct Layout {
    pub tabs: Rect,
    pub body: Rect,
    pub status: Rect,
}

/// A title's longest word (the first of equals): what names the tab when the bar is short of
/// room ("Health trends" → "Health", "Agent sessions" → "sessions").
fn short_title(title: &str) -> String {
    let word = title.split(' ').fold("", |best, w| {
        if w.chars().count() > best.chars().count() {
            w
        } else {
            best
        }
    });
    // a title's word stands for the whole title: "5 Sessions", not "5 sessions"
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Lines a bordered table spends on its borders and header.
pub const TABLE_CHROME: u16 = 3;

impl Layout {
    pub fn new(area: Rect) -> Layout {
        let [tabs, body, status] = Split::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        Layout { tabs, body, status }
    }

    /// The tab bar's labels ("1 Customers", numbered in order) and their columns. When the
    /// labels do not fit the bar (eight tabs at 80 columns), the gaps between them shrink
    /// first, then each title keeps only its longest word ("2 Health", "5 sessions"): the
    /// numbers stay, so the keys that pick a tab are always shown.
    ///
    /// `reserve` columns at the right are kept free if any form of the labels leaves them
    /// (who I am: with eight tabs, shorter titles are worth the identity of the person
    /// acting), else the labels take the whole bar.
    pub fn tab_labels(&self, titles: &[&str], reserve: u16) -> Vec<(String, Rect)> {
        let bar = usize::from(self.tabs.width.saturating_sub(1));
        let full: Vec<String> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {t}", i + 1))
            .collect();
        let short: Vec<String> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{} {}", i + 1, short_title(t)))
            .collect();
        let fits = |labels: &[String], gap: usize, room: usize| {
            labels.iter().map(|l| l.chars().count()).sum::<usize>()
                + gap * labels.len().saturating_sub(1)
                <= room
        };
        let choose = |room: usize| {
            if fits(&full, 3, room) {
                Some((full.clone(), 3))
            } else if fits(&full, 1, room) {
                Some((full.clone(), 1))
            } else if fits(&short, 1, room) {
                Some((short.clone(), 1))
            } else {
                None
            }
        };
        let (labels, gap) = choose(bar.saturating_sub(usize::from(reserve)))
            .or_else(|| choose(bar))
            .unwrap_or((short.clone(), 1));
        let mut x = self.tabs.x + 1;
        labels
            .into_iter()
            .map(|label| {
                let w = label.chars().count() as u16;
                let r = Rect::new(x, self.tabs.y, w, 1).intersection(self.tabs);
                x += w + gap;
                (label, r)
            })
            .collect()
    }

    pub fn tab_at(&self, titles: &[&str], reserve: u16, p: Position) -> Option<usize> {
        self.tab_labels(titles, reserve)
            .iter()
            .position(|(_, r)| r.contains(p))
    }

    // ---- per tab ------------------------------------------------------------------------------

    /// Deals: the pipeline strip on top, the stage's deals left, the deal's notes right.
    pub fn deals(&self) -> (Rect, Rect, Rect) {
        let [strip, rest] =
            Split::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(self.body);
        let [list, detail] =
            Split::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(rest);
        (strip, list, detail)
    }

    pub fn deal_rows(&self) -> usize {
        self.deals().1.height.saturating_sub(TABLE_CHROME) as usize
    }

    /// Calls: outcome counts and loss reasons on top, the log below.
    pub fn calls(&self) -> (Rect, Rect) {
        let [stats, list] =
            Split::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(self.body);
        (stats, list)
    }

    pub fn call_rows(&self) -> usize {
        self.calls().1.height.saturating_sub(TABLE_CHROME) as usize
    }

    /// Sessions: sessions over approvals on the left, the thread on the right. The lists get
    /// the wider half: at 120 columns the session list then shows the start time and a
    /// readable customer name; the thread wraps.
    pub fn sessions(&self) -> (Rect, Rect, Rect) {
        let [left, thread] =
            Split::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(self.body);
        let [sessions, approvals] =
            Split::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(left);
        (sessions, approvals, thread)
    }

    pub fn session_rows(&self) -> (usize, usize) {
        let (s, a, _) = self.sessions();
        (
            s.height.saturating_sub(TABLE_CHROME) as usize,
            a.height.saturating_sub(TABLE_CHROME) as usize,
        )
    }

    /// Health: chart and explanation on top, KPI table below (customer view).
    pub fn health(&self) -> (Rect, Rect, Rect) {
        let [top, kpis] =
            Split::vertical([Constraint::Percentage(55), Constraint::Min(4)]).areas(self.body);
        let [chart, explain] =
            Split::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
        (chart, explain, kpis)
    }

    /// Health, portfolio view: bands and ARR at risk left, movers right.
    pub fn portfolio(&self) -> (Rect, Rect) {
        let [bands, movers] =
            Split::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(self.body);
        (bands, movers)
    }
}

/// The data row of a bordered table with a header drawn in `table` under `p`, if any.
pub fn table_row_at(table: Rect, p: Position) -> Option<usize> {
    let first = table.y + 2; // top border, header
    let inner = Rect::new(
        table.x + 1,
        first,
        table.width.saturating_sub(2),
        table.height.saturating_sub(TABLE_CHROME),
    );
    inner.contains(p).then(|| (p.y - first) as usize)
}

#[cfg(test)]
mod tab_bar_tests {
    use super::*;

    const EIGHT: &[&str] = &[
        "Customers",
        "Health trends",
        "Deals",
        "Calls",
        "Agent sessions",
        "Today",
        "Tables",
        "Journeys",
    ];

    fn labels(width: u16, titles: &[&str]) -> Vec<String> {
        Layout::new(Rect::new(0, 0, width, 24))
            .tab_labels(titles, 0)
            .into_iter()
            .map(|(l, r)| {
                assert!(r.x + r.width <= width, "{l} runs past the bar");
                l
            })
            .collect()
    }

    #[test]
    fn wide_bars_keep_the_titles_and_the_gaps() {
        let l = labels(120, EIGHT);
        assert_eq!(l[1], "2 Health trends");
        let rects = Layout::new(Rect::new(0, 0, 120, 24)).tab_labels(EIGHT, 0);
        assert_eq!(rects[1].1.x - (rects[0].1.x + rects[0].1.width), 3);
    }

    #[test]
    fn eight_tabs_fit_80_columns_by_their_longest_words() {
        let l = labels(80, EIGHT);
        assert_eq!(
            l,
            [
                "1 Customers",
                "2 Health",
                "3 Deals",
                "4 Calls",
                "5 Sessions",
                "6 Today",
                "7 Tables",
                "8 Journeys"
            ]
        );
        // seven fit whole with narrow gaps
        let l = labels(
            80,
            &EIGHT[..6]
                .iter()
                .chain(["Journeys"].iter())
                .copied()
                .collect::<Vec<_>>(),
        );
        assert_eq!(l[4], "5 Agent sessions");
    }
}
