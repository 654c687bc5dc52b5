//! A window onto a list far larger than memory: only the rows on screen are held, and moving
//! past either edge asks the database for the next window by keyset (an `Anchor` at a row
//! already shown). Pure state: it says which page to fetch; the app sends the request and
//! hands back the rows.

use crate::store::read::Anchor;
use crate::store::read::customers::{Cursor, Row};
use crate::store::read::{browse, calls, deals, sessions};

/// A row that knows its position in the ordering.
pub trait Keyed {
    fn cursor(&self) -> &Cursor;
}

macro_rules! keyed {
    ($($t:ty),+) => {$(
        impl Keyed for $t {
            fn cursor(&self) -> &Cursor {
                &self.cursor
            }
        }
    )+};
}
keyed!(
    Row,
    deals::DealRow,
    calls::CallRow,
    sessions::SessionRow,
    sessions::PendingApproval,
    browse::BrowseRow
);

/// How a window is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Start,
    End,
    PageDown,
    PageUp,
    StepDown,
    StepUp,
    /// The same window again (resize, refresh).
    Reload,
}

#[derive(Debug, Clone)]
pub struct Paged<R> {
    pub rows: Vec<R>,
    pub selected: usize,
    /// Ordinal (0-based) of `rows[0]` in the whole list, when known.
    pub offset: Option<i64>,
    pub at_start: bool,
    pub at_end: bool,
    /// Rows that fit on screen: the page size.
    pub height: usize,
    /// Something was loaded at least once.
    pub loaded: bool,
    /// The anchor the current window was read from (Reload reads it again).
    origin: Anchor<Cursor>,
    /// The move whose rows are awaited, and the anchor it asked for.
    in_flight: Option<(Move, Anchor<Cursor>)>,
    /// Moves made while a page was on its way, applied when it arrives.
    queued: Vec<Move>,
}

impl<R: Keyed + Clone> Default for Paged<R> {
    fn default() -> Self {
        Paged::new()
    }
}

impl<R: Keyed + Clone> Paged<R> {
    pub fn new() -> Self {
        Paged {
            rows: Vec::new(),
            selected: 0,
            offset: Some(0),
            at_start: true,
            at_end: true,
            height: 10,
            loaded: false,
            origin: Anchor::Start,
            in_flight: None,
            queued: Vec::new(),
        }
    }

    pub fn selected_row(&self) -> Option<&R> {
        self.rows.get(self.selected)
    }

    /// 1-based position of the selection in the whole list; 0 when there is nothing to
    /// select (the selection index is 0 then too, which would read as the first row).
    pub fn position(&self) -> Option<i64> {
        if self.rows.is_empty() {
            return Some(0);
        }
        self.offset.map(|o| o + self.selected as i64 + 1)
    }

    pub fn is_loading(&self) -> bool {
        self.in_flight.is_some()
    }

    /// Sets the page size; true if it changed (the window should be reloaded).
    pub fn set_height(&mut self, height: usize) -> bool {
        let height = height.max(1);
        let changed = height != self.height;
        self.height = height;
        changed
    }

    /// The selection moves within the window if it can; otherwise the move to request.
    pub fn step(&mut self, m: Move) -> Option<Move> {
        if !self.loaded {
            return Some(m);
        }
        let last = self.rows.len().saturating_sub(1);
        match m {
            Move::StepDown if self.selected < last => self.selected += 1,
            Move::StepDown if self.at_end => {}
            Move::StepUp if self.selected > 0 => self.selected -= 1,
            Move::StepUp if self.at_start => {}
            Move::PageDown if self.at_end => self.selected = last,
            Move::PageUp if self.at_start => self.selected = 0,
            Move::Start if self.at_start => self.selected = 0,
            Move::End if self.at_end => self.selected = last,
            other => return Some(other),
        }
        None
    }

    /// The page to fetch for `m` (limit one more than fits, to learn whether more exist), or
    /// None if a page is already on its way (`m` then waits its turn).
    pub fn request(&mut self, m: Move) -> Option<(Anchor<Cursor>, usize)> {
        if matches!(m, Move::Start | Move::End) {
            // a new ordering or filter: whatever was queued no longer applies
            self.queued.clear();
        } else if self.in_flight.is_some() {
            self.queued.push(m);
            return None;
        }
        let first = self.rows.first().map(|r| r.cursor().clone());
        let last = self.rows.last().map(|r| r.cursor().clone());
        let anchor = match (m, first, last) {
            (Move::Start, _, _) => Anchor::Start,
            (Move::End, _, _) => Anchor::End,
            (Move::Reload, _, _) => self.origin.clone(),
            (Move::PageDown, _, Some(l)) => Anchor::After(l),
            (Move::PageUp, Some(f), _) => Anchor::Before(f),
            (Move::StepDown, Some(f), _) => Anchor::After(f),
            (Move::StepUp, _, Some(l)) => Anchor::Before(l),
            _ => Anchor::Start,
        };
        self.in_flight = Some((m, anchor.clone()));
        Some((anchor, self.height + 1))
    }

    /// A window from `anchor`, a row found elsewhere (by the search): where it sits in the
    /// whole list is not known (its position shows as `?` until the list is read from an
    /// end again). Returns the page to fetch.
    pub fn jump(&mut self, anchor: Anchor<Cursor>) -> (Anchor<Cursor>, usize) {
        self.queued.clear();
        self.rows.clear();
        self.selected = 0;
        self.offset = None;
        self.at_start = false;
        self.at_end = false;
        self.in_flight = Some((Move::Reload, anchor.clone()));
        (anchor, self.height + 1)
    }

    /// Takes the rows of the awaited page. `total` (if known) places a window read from the
    /// end. Returns the next queued move to request, if any.
    pub fn apply(&mut self, mut rows: Vec<R>, total: Option<i64>) -> Option<Move> {
        let (m, anchor) = self.in_flight.take()?;
        self.loaded = true;
        let h = self.height;
        let n = rows.len();
        let backwards = matches!(anchor, Anchor::End | Anchor::Before(_));
        let from_row = matches!(anchor, Anchor::After(_) | Anchor::Before(_));
        if n == 0 && from_row && !self.rows.is_empty() {
            // nothing beyond the window: it was the edge
            if backwards {
                self.at_start = true;
            } else {
                self.at_end = true;
            }
            return self.next_queued();
        }
        if backwards {
            if n > h {
                rows.drain(..n - h);
            }
            if m == Move::PageUp && n <= h {
                // fewer than a page before the window: show the start, filled up with the
                // rows that were on screen
                let old = std::mem::take(&mut self.rows);
                rows.extend(old);
                rows.truncate(h);
                self.rows = rows;
                self.at_start = true;
                self.at_end = self.at_end && self.rows.len() < h;
                self.offset = Some(0);
                self.origin = Anchor::Start;
                self.clamp();
                return self.next_queued();
            }
            self.at_start = n <= h;
            self.at_end = matches!(anchor, Anchor::End);
        } else {
            rows.truncate(h);
            self.at_end = n <= h;
            self.at_start = matches!(anchor, Anchor::Start);
        }
        let old_len = self.rows.len() as i64;
        self.offset = match m {
            Move::Start => Some(0),
            Move::End => total.map(|t| (t - rows.len() as i64).max(0)),
            Move::PageDown => self.offset.map(|o| o + old_len),
            Move::PageUp => self.offset.map(|o| (o - rows.len() as i64).max(0)),
            Move::StepDown => self.offset.map(|o| o + 1),
            Move::StepUp => self.offset.map(|o| (o - 1).max(0)),
            Move::Reload => self.offset,
        };
        if self.at_start {
            self.offset = Some(0);
        }
        self.rows = rows;
        self.origin = anchor;
        match m {
            Move::Start | Move::StepUp => self.selected = 0,
            Move::End | Move::StepDown => self.selected = self.rows.len().saturating_sub(1),
            _ => {}
        }
        self.clamp();
        self.next_queued()
    }

    /// Where a window read from the end starts, once the count is known.
    pub fn place(&mut self, total: i64) {
        if self.offset.is_none() && self.at_end {
            self.offset = Some((total - self.rows.len() as i64).max(0));
        }
    }

    /// Forgets the awaited page (its request failed).
    pub fn fail(&mut self) {
        self.in_flight = None;
        self.queued.clear();
    }

    fn next_queued(&mut self) -> Option<Move> {
        if self.queued.is_empty() {
            None
        } else {
            Some(self.queued.remove(0))
        }
    }

    fn clamp(&mut self) {
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Selects the `i`th visible row (a mouse click).
    pub fn select(&mut self, i: usize) {
        if i < self.rows.len() {
            self.selected = i;
        }
    }
}
