//! Calls: the log, newest first, filtered by type, status, outcome, who logged it and a date
//! range (each key cycles its filter); outcome counts and loss reasons at a glance. A call is
//! logged, edited or deleted from here.

mod call_view;
mod jobs;
mod view;

pub use call_view::CallView;

use chrono::NaiveDate;
use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, execute};

use crate::store::enums::{CallOutcome, CallStatus, CallType};
use rusqlite::types::Value;

use crate::store::read::Anchor;
use crate::store::read::calls::{CallRow, Filter, Stats};
use crate::store::read::customers::Cursor;
use crate::store::read::search::{Found, Hit};
use crate::store::read::view::View as ReadView;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::forms::confirm::{Confirm, Question};
use crate::tui::forms::kinds;
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::paged::{Move, Paged};
use crate::tui::screen::{Cx, Effect, RowRef, Screen, View, list_move};
use crate::tui::screens;
use crate::tui::scroll::scrolled;
use crate::tui::text::clean;
use crate::tui::worker::Load;

/// Periods `p` cycles through: all, then the last 7, 30, 90 days (by the call's date).
const RANGES: [Option<i64>; 4] = [None, Some(7), Some(30), Some(90)];

#[derive(Default)]
pub struct CallsScreen {
    call_type: Option<CallType>,
    status: Option<CallStatus>,
    outcome: Option<CallOutcome>,
    /// Index into `owners`.
    owner: Option<usize>,
    owners: Option<Vec<(String, String)>>,
    range: usize,
    /// The range's first day, fixed when chosen.
    from: Option<NaiveDate>,
    list: Paged<CallRow>,
    stats: Option<Stats>,
    /// A call just logged: the list puts its cursor on it when its page is read.
    select_when_read: Option<String>,
    /// The call opened with `enter`, over the log.
    open: Option<CallView>,
    /// The call `select_when_read` names is opened too (a search result).
    open_when_read: bool,
}

/// The next value of an optional enumeration: none, each value, none again.
fn cycle<T: Copy + PartialEq>(current: Option<T>, all: &[T]) -> Option<T> {
    match current {
        None => all.first().copied(),
        Some(v) => all
            .iter()
            .position(|x| *x == v)
            .and_then(|i| all.get(i + 1).copied()),
    }
}

impl CallsScreen {
    pub fn new(_options: &Options) -> CallsScreen {
        CallsScreen::default()
    }

    pub fn list(&self) -> &Paged<CallRow> {
        &self.list
    }

    /// The call open for reading, over the log.
    pub fn open_call(&self) -> Option<&CallView> {
        self.open.as_ref()
    }

    /// The filtered calls' counts, once read.
    pub fn stats(&self) -> Option<&Stats> {
        self.stats.as_ref()
    }

    fn filter(&self, options: &Options) -> Filter {
        Filter {
            workspace_id: options.workspace_id.clone(),
            call_type: self.call_type,
            status: self.status,
            outcome: self.outcome,
            owner_id: self
                .owner
                .and_then(|i| self.owners.as_ref().and_then(|o| o.get(i)))
                .map(|(id, _)| id.clone()),
            from: self.from.map(|d| d.format("%Y-%m-%d").to_string()),
            to: None,
        }
    }

    fn cycle_owner(&mut self) {
        let n = self.owners.as_ref().map_or(0, Vec::len);
        self.owner = match self.owner {
            None if n > 0 => Some(0),
            Some(i) if i + 1 < n => Some(i + 1),
            _ => None,
        };
    }

    fn cycle_range(&mut self, today: NaiveDate) {
        self.range = (self.range + 1) % RANGES.len();
        self.from = RANGES[self.range].map(|days| today - chrono::Duration::days(days - 1));
    }

    /// Clears every filter; true if one was set.
    fn clear(&mut self) -> bool {
        let had = self.call_type.is_some()
            || self.status.is_some()
            || self.outcome.is_some()
            || self.owner.is_some()
            || self.from.is_some();
        self.call_type = None;
        self.status = None;
        self.outcome = None;
        self.owner = None;
        self.range = 0;
        self.from = None;
        had
    }

    fn filter_text(&self) -> String {
        let owner = self
            .owner
            .and_then(|i| self.owners.as_ref().and_then(|o| o.get(i)))
            .map(|(_, n)| clean(n).into_owned());
        format!(
            "t type:{} s status:{} o outcome:{} w who:{} p since:{}",
            self.call_type.map_or("all", |v| v.as_str()),
            self.status.map_or("all", |v| v.as_str()),
            self.outcome.map_or("all", |v| v.as_str()),
            owner.as_deref().unwrap_or("all"),
            self.from.map_or("all".into(), |d| d.to_string()),
        )
    }

    fn go(&mut self, m: Move, cx: &mut Cx) {
        if let Some(m) = self.list.step(m)
            && let Some((anchor, limit)) = self.list.request(m)
        {
            let filter = self.filter(cx.options);
            cx.send(Job::Page {
                filter,
                anchor,
                limit,
            });
        }
    }

    fn refilter(&mut self, cx: &mut Cx) {
        self.list = Paged::default();
        self.set_height(&cx.layout.clone(), cx);
        self.go(Move::Start, cx);
        let filter = self.filter(cx.options);
        cx.send(Job::Stats { filter });
    }

    fn entry(&mut self, action: Action, cx: &mut Cx) {
        let selected = self.list.selected_row().cloned();
        match (action, selected) {
            (Action::New, _) => cx.open_call(None),
            (Action::Edit, Some(row)) => {
                let clock = cx.options.clock;
                cx.edit(|id| kinds::edit_call(id, &clock), Load::Call, row.id);
            }
            (Action::Delete, Some(row)) => {
                if cx.acting_user().is_some() {
                    let label = format!(
                        "{}{} on {}",
                        row.prospect_name,
                        row.customer_name
                            .as_deref()
                            .map(|c| format!(" ({c})"))
                            .unwrap_or_default(),
                        crate::tui::text::date(&row.when)
                    );
                    cx.effect(Effect::Ask(Confirm::new(
                        format!("Delete the call with {label}? (u undoes it)"),
                        Question::DeleteCall { id: row.id, label },
                    )));
                }
            }
            _ => cx.say("no call selected", true),
        }
    }
}

impl Screen for CallsScreen {
    fn title(&self) -> &'static str {
        "Calls"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Calls]
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        if let Some(view) = &mut self.open {
            match action {
                Action::Back | Action::Open => self.open = None,
                other => {
                    let body = cx.layout.body;
                    let max = view.max_scroll(body, cx.theme);
                    if let Some(to) = scrolled(view.scroll, other, CallView::page(body), max) {
                        view.scroll = to;
                    }
                }
            }
            return;
        }
        if action == Action::Open {
            if let Some(row) = self.list.selected_row().cloned() {
                let call_id = row.id.clone();
                self.open = Some(CallView::new(row));
                cx.send(Job::Call { call_id });
            }
            return;
        }
        if let Some(m) = list_move(action) {
            return self.go(m, cx);
        }
        match action {
            Action::New | Action::Edit | Action::Delete => return self.entry(action, cx),
            Action::CallsType => self.call_type = cycle(self.call_type, CallType::ALL),
            Action::CallsStatus => self.status = cycle(self.status, CallStatus::ALL),
            Action::CallsOutcome => self.outcome = cycle(self.outcome, CallOutcome::ALL),
            Action::CallsOwner => self.cycle_owner(),
            Action::CallsRange => self.cycle_range(cx.options.clock.today()),
            Action::ClearFilters | Action::Back => {
                if !self.clear() {
                    return;
                }
            }
            _ => return,
        }
        self.refilter(cx);
    }

    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx) {
        let screens::Answer::Calls(answer) = answer else {
            return;
        };
        match answer {
            Answer::Page(rows) => {
                // the count, if known, places a window read from the end (`G`)
                let total = self.stats.as_ref().map(|s| s.total);
                if let Some(m) = self.list.apply(rows, total) {
                    self.go(m, cx);
                }
                // a call just logged or found: the cursor on it
                if let Some(id) = self.select_when_read.take() {
                    match self.list.rows.iter().position(|r| r.id == id) {
                        Some(i) => {
                            self.list.select(i);
                            if std::mem::take(&mut self.open_when_read)
                                && let Some(row) = self.list.rows.get(i).cloned()
                            {
                                let call_id = row.id.clone();
                                self.open = Some(CallView::new(row));
                                cx.send(Job::Call { call_id });
                            }
                        }
                        // not read yet (another page is on its way)
                        None if self.list.is_loading() => self.select_when_read = Some(id),
                        None => {}
                    }
                }
            }
            Answer::Call(id, record) => {
                if let Some(view) = &mut self.open
                    && view.row.id == id
                {
                    view.record = Some(*record);
                }
            }
            Answer::Stats(s) => {
                let total = s.total;
                self.stats = Some(s);
                self.list.place(total);
            }
            Answer::Owners(o) => self.owners = Some(o),
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        if kind == screens::Kind::Calls(Kind::Page) {
            self.list.fail();
        }
    }

    fn enter(&mut self, cx: &mut Cx) {
        if self.owners.is_none() && !cx.is_waiting(Kind::Owners) {
            cx.send(Job::Owners);
        }
        if !self.list.loaded && !self.list.is_loading() {
            self.refilter(cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        self.stats = None;
        self.owners = None;
        if self.list.loaded {
            self.go(Move::Reload, cx);
            let filter = self.filter(cx.options);
            cx.send(Job::Stats { filter });
        }
    }

    /// A call found by the search: the log without filters, from that call, with the call
    /// open over it.
    fn show(&mut self, hit: &Hit, cx: &mut Cx) -> bool {
        let (Found::Call, Some(when)) = (hit.kind, hit.when.clone()) else {
            return false;
        };
        self.clear();
        self.open = None;
        self.select_when_read = Some(hit.id.clone());
        self.open_when_read = true;
        self.list = Paged::default();
        self.list.set_height(cx.layout.call_rows());
        // the log is newest first by (date, id): a cursor just past this call's id keeps
        // the call itself as the first row after it (ids are fixed-length, so no other id
        // of that date sorts between)
        let cursor = Cursor {
            key: Value::Text(when),
            id: format!("{}\u{10FFFF}", hit.id),
        };
        let (anchor, limit) = self.list.jump(Anchor::After(cursor));
        let filter = self.filter(cx.options);
        cx.send(Job::Page {
            filter: filter.clone(),
            anchor,
            limit,
        });
        cx.send(Job::Stats { filter });
        true
    }

    fn call_logged(&mut self, call_id: &str, cx: &mut Cx) {
        // newest first: a call logged now is on the first page
        self.select_when_read = Some(call_id.to_owned());
        if self.list.loaded
            && let Some((anchor, limit)) = self.list.request(Move::Start)
        {
            let filter = self.filter(cx.options);
            cx.send(Job::Page {
                filter,
                anchor,
                limit,
            });
        }
    }

    fn set_height(&mut self, layout: &Layout, cx: &mut Cx) {
        if self.list.set_height(layout.call_rows()) && self.list.loaded {
            self.go(Move::Reload, cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view.theme);
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        table_row_at(layout.calls().1, p)
    }

    fn click(&mut self, i: usize, _cx: &mut Cx) {
        self.list.select(i);
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.list
            .selected_row()
            .map(|c| RowRef::new("calls", c.id.clone()))
    }

    fn view(&self, options: &Options) -> Option<ReadView> {
        Some(ReadView::Calls(self.filter(options)))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
