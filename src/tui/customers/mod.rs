//! Customers: the book as a paged table — name, ARR, stage, health (band colour, trend arrow,
//! 12-month sparkline), CSM, next renewal, open approvals — sortable by any column, filtered
//! as you type, with "N of M". The other screens follow its selection.

mod jobs;
mod view;

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, execute};

use crate::store::read::customers::{Query, Row as Customer, Sort};
use crate::store::read::view::View as ReadView;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::paged::{Move, Paged};
use crate::tui::screen::{Cx, RowRef, Screen, View, list_move};
use crate::tui::screens;

pub struct CustomersScreen {
    query: Query,
    list: Paged<Customer>,
    /// 12-month overall scores of the rows on screen.
    sparklines: HashMap<String, Vec<Option<f64>>>,
    /// The filter prompt has the keyboard.
    typing: bool,
    /// Customers matching the filter (the M of "N of M").
    matching: Option<i64>,
    /// Customers without the filter.
    all: Option<i64>,
    /// Counts already computed, per query (the count of a million rows is not free).
    counts: HashMap<CountKey, i64>,
}

/// What a count depends on: the filters, not the order.
type CountKey = (String, Option<String>, Option<String>);

fn count_key(q: &Query) -> CountKey {
    (
        q.search.trim().to_owned(),
        q.workspace_id.clone(),
        q.csm_id.clone(),
    )
}

impl CustomersScreen {
    pub fn new(options: &Options) -> CustomersScreen {
        CustomersScreen {
            query: Query {
                workspace_id: options.workspace_id.clone(),
                csm_id: options.csm_id.clone(),
                ..Query::default()
            },
            list: Paged::new(),
            sparklines: HashMap::new(),
            typing: false,
            matching: None,
            all: None,
            counts: HashMap::new(),
        }
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn list(&self) -> &Paged<Customer> {
        &self.list
    }

    /// Customers matching the filter, once counted.
    pub fn matching(&self) -> Option<i64> {
        self.matching
    }

    /// The filter prompt has the keyboard.
    pub fn is_typing(&self) -> bool {
        self.typing
    }

    /// The 12-month scores drawn for a customer on screen.
    pub fn sparkline(&self, customer_id: &str) -> Option<&Vec<Option<f64>>> {
        self.sparklines.get(customer_id)
    }

    pub fn selected_id(&self) -> Option<String> {
        self.list.selected_row().map(|r| r.id.clone())
    }

    /// The count of `q`, if computed before (sort order does not change a count).
    fn cached_count(&self, q: &Query) -> Option<i64> {
        self.counts.get(&count_key(q)).copied()
    }

    fn sort(&mut self, action: Action) {
        let i = Sort::ALL
            .iter()
            .position(|s| *s == self.query.sort)
            .unwrap_or(0);
        let n = Sort::ALL.len();
        match action {
            Action::SortNext => {
                self.query.sort = Sort::ALL[(i + 1) % n];
                self.query.descending = view::default_descending(self.query.sort);
            }
            Action::SortPrev => {
                self.query.sort = Sort::ALL[(i + n - 1) % n];
                self.query.descending = view::default_descending(self.query.sort);
            }
            _ => self.query.descending = !self.query.descending,
        }
    }

    fn go(&mut self, m: Move, cx: &mut Cx) {
        if let Some(m) = self.list.step(m)
            && let Some((anchor, limit)) = self.list.request(m)
        {
            let query = self.query.clone();
            cx.send(Job::Page {
                query,
                anchor,
                limit,
            });
        }
    }

    /// The first page of a new ordering or filter, whatever the window shows now.
    fn restart(&mut self, cx: &mut Cx) {
        if let Some((anchor, limit)) = self.list.request(Move::Start) {
            let query = self.query.clone();
            cx.send(Job::Page {
                query,
                anchor,
                limit,
            });
        }
    }

    fn count(&mut self, all: bool, cx: &mut Cx) {
        let query = self.query.clone();
        if let Some(n) = self.cached_count(&query) {
            // an older count on its way counts another filter: it must not land on this one
            cx.forget(Kind::Count);
            self.matching = Some(n);
            self.list.place(n);
            return;
        }
        cx.send(Job::Count { query, all });
    }

    /// Filter as you type: every keystroke asks for the first page of the new filter; the
    /// worker runs only the latest, and the count follows.
    fn refilter(&mut self, cx: &mut Cx) {
        self.matching = None;
        self.restart(cx);
        self.count(false, cx);
    }

    fn entry(&mut self, action: Action, cx: &mut Cx) {
        let Some(row) = self.list.selected_row().cloned() else {
            return cx.say("no customer selected", true);
        };
        let preset = (row.id.clone(), row.name.clone(), row.workspace_id.clone());
        match action {
            Action::Edit => cx.edit_account(row.id, &row.name),
            Action::New => cx.open_call(Some(preset)),
            Action::LogMeeting => cx.open_meeting(Some(preset)),
            _ => {}
        }
    }
}

impl Screen for CustomersScreen {
    fn title(&self) -> &'static str {
        "Customers"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.typing {
            vec![Context::Filter]
        } else {
            vec![Context::Customers]
        }
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        if !self.typing {
            return false;
        }
        self.query.search.push_str(text);
        self.refilter(cx);
        true
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        if self.typing {
            let before = self.query.search.clone();
            match action {
                Action::Input(ch) => self.query.search.push(ch),
                Action::FilterDelete => {
                    self.query.search.pop();
                }
                Action::FilterClear => self.query.search.clear(),
                Action::FilterAccept => self.typing = false,
                Action::Back => {
                    self.typing = false;
                    self.query.search.clear();
                }
                _ => {}
            }
            if self.query.search != before {
                self.refilter(cx);
            }
            return;
        }
        if let Some(m) = list_move(action) {
            return self.go(m, cx);
        }
        match action {
            Action::Filter => self.typing = true,
            Action::Back if !self.query.search.is_empty() => {
                self.query.search.clear();
                self.refilter(cx);
            }
            Action::SortNext | Action::SortPrev | Action::SortReverse => {
                self.sort(action);
                self.restart(cx);
            }
            Action::Open => {
                if let Some(id) = self.selected_id() {
                    cx.open_account(id);
                }
            }
            Action::Edit | Action::New | Action::LogMeeting => self.entry(action, cx),
            _ => {}
        }
    }

    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx) {
        let screens::Answer::Customers(answer) = answer else {
            return;
        };
        match answer {
            Answer::Page { rows, sparklines } => {
                self.sparklines = sparklines;
                if let Some(m) = self.list.apply(rows, self.matching) {
                    self.go(m, cx);
                }
            }
            Answer::Count { matching, all } => {
                self.counts.insert(count_key(&self.query), matching);
                self.matching = Some(matching);
                if let Some(all) = all {
                    self.all = Some(all);
                }
                self.list.place(matching);
            }
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        if kind == screens::Kind::Customers(Kind::Page) {
            self.list.fail();
        }
    }

    /// The book is read from the start, before any tab is shown.
    fn enter(&mut self, cx: &mut Cx) {
        if !self.list.loaded && !self.list.is_loading() {
            self.go(Move::Start, cx);
            self.count(true, cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        self.counts.clear();
        self.matching = None;
        self.go(Move::Reload, cx);
        self.count(true, cx);
    }

    fn set_height(&mut self, layout: &Layout, cx: &mut Cx) {
        if self.list.set_height(view::rows(layout)) && self.list.loaded {
            self.go(Move::Reload, cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout.body, buf, view);
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        table_row_at(layout.body, p)
    }

    fn click(&mut self, i: usize, _cx: &mut Cx) {
        self.list.select(i);
    }

    fn selected_customer(&self) -> Option<String> {
        self.selected_id()
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.selected_id().map(|id| RowRef::new("customers", id))
    }

    fn view(&self, _options: &Options) -> Option<ReadView> {
        Some(ReadView::Customers(self.query.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
