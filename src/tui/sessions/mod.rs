//! Agent sessions: sessions (all, or `v` the selected customer's), the pending approvals of
//! every account, and the thread of the focused session — roles styled, thinking marked,
//! tool calls one compact line. h/l move between the three panes; approvals are decided in
//! the queue or a thread.

mod jobs;
mod view;

use std::collections::BTreeSet;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, execute};

use crate::store::approvals::Decision;
use crate::store::read::pickers::Candidate;
use crate::store::read::records::SessionApproval;
use crate::store::read::search::{Found, Hit};
use crate::store::read::sessions::{Message, PendingApproval, SessionRow};
use crate::store::read::view::View as ReadView;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::forms::confirm::{Confirm, Question};
use crate::tui::forms::kinds;
use crate::tui::forms::picker::{Picker, Purpose, Source};
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::overlays::AfterWrite;
use crate::tui::paged::{Move, Paged};
use crate::tui::screen::{Cx, Effect, RowRef, Screen, View, list_move, scroll};
use crate::tui::screens;
use crate::tui::writes::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Sessions,
    Approvals,
    Thread,
}

impl Focus {
    pub fn next(self) -> Focus {
        match self {
            Focus::Sessions => Focus::Approvals,
            Focus::Approvals => Focus::Thread,
            Focus::Thread => Focus::Sessions,
        }
    }

    pub fn prev(self) -> Focus {
        match self {
            Focus::Sessions => Focus::Thread,
            Focus::Approvals => Focus::Sessions,
            Focus::Thread => Focus::Approvals,
        }
    }
}

#[derive(Default)]
pub struct SessionsScreen {
    focus: Focus,
    /// Only the sessions of the customer selected in the Customers tab.
    this_customer: bool,
    list: Paged<SessionRow>,
    /// Sessions in the list (all, or the customer's): the M of "N of M".
    total: Option<i64>,
    approvals: Paged<PendingApproval>,
    pending: Option<i64>,
    thread: Option<(String, Vec<Message>)>,
    scroll: u16,
    /// Approvals marked for a bulk decision (ids).
    marked: BTreeSet<String>,
    /// The pending approvals of the session whose thread is shown.
    pending_here: Option<(String, Vec<SessionApproval>)>,
    /// A session opened from elsewhere (a message the search found): its thread stays
    /// shown, whatever the list selects, until the focus moves.
    pinned: Option<String>,
    /// The customer the list was last read for (None: every session): what it shows.
    listed_for: Option<String>,
}

impl SessionsScreen {
    pub fn new(_options: &Options) -> SessionsScreen {
        SessionsScreen::default()
    }

    pub fn list(&self) -> &Paged<SessionRow> {
        &self.list
    }

    /// The approvals queue.
    pub fn approvals(&self) -> &Paged<PendingApproval> {
        &self.approvals
    }

    /// Approvals waiting across the accounts, once counted.
    /// How many sessions the list holds, once counted.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    pub fn pending(&self) -> Option<i64> {
        self.pending
    }

    /// Approvals marked for a bulk decision (ids).
    pub fn marked(&self) -> &BTreeSet<String> {
        &self.marked
    }

    /// The thread shown: its session and messages.
    pub fn thread(&self) -> Option<&(String, Vec<Message>)> {
        self.thread.as_ref()
    }

    /// The session whose thread is shown.
    pub fn thread_id(&self) -> Option<&str> {
        self.thread.as_ref().map(|(id, _)| id.as_str())
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The session whose thread is shown: the selected approval's when the queue has focus.
    fn focused_session(&self) -> Option<String> {
        if let Some(id) = &self.pinned {
            return Some(id.clone());
        }
        match self.focus {
            Focus::Approvals => self.approvals.selected_row().map(|a| a.session_id.clone()),
            _ => self.list.selected_row().map(|s| s.id.clone()),
        }
        .or_else(|| self.thread.as_ref().map(|(id, _)| id.clone()))
    }

    fn customer(&self, cx: &Cx) -> Option<String> {
        if self.this_customer {
            cx.customer.clone()
        } else {
            None
        }
    }

    fn go(&mut self, m: Move, cx: &mut Cx) {
        if let Some(m) = self.list.step(m)
            && let Some((anchor, limit)) = self.list.request(m)
        {
            let customer_id = self.customer(cx);
            self.listed_for = customer_id.clone();
            cx.send(Job::Page {
                customer_id,
                anchor,
                limit,
            });
        }
        self.load_thread(cx);
    }

    /// Counts the sessions the list shows now (after a new scope or a write).
    fn count(&mut self, cx: &mut Cx) {
        self.total = None;
        let customer_id = self.customer(cx);
        cx.send(Job::Count { customer_id });
    }

    fn go_approvals(&mut self, m: Move, cx: &mut Cx) {
        if let Some(m) = self.approvals.step(m)
            && let Some((anchor, limit)) = self.approvals.request(m)
        {
            cx.send(Job::Approvals { anchor, limit });
        }
        self.load_thread(cx);
    }

    fn load_thread(&mut self, cx: &mut Cx) {
        if let Some(id) = self.focused_session()
            && self.thread.as_ref().map(|(s, _)| s) != Some(&id)
        {
            self.scroll = 0;
            cx.send(Job::Thread {
                session_id: id.clone(),
            });
            cx.send(Job::Pending { session_id: id });
        }
    }

    /// The thread's pending approvals `rows`, each with what it is (customer, action,
    /// details).
    fn thread_items(&self, rows: &[SessionApproval]) -> Vec<(String, String)> {
        let session = self.pending_here.as_ref().map(|(s, _)| s.as_str());
        let customer = self
            .list
            .rows
            .iter()
            .find(|s| Some(s.id.as_str()) == session)
            .map(|s| s.customer_name.clone())
            .or_else(|| {
                self.approvals
                    .rows
                    .iter()
                    .find(|a| Some(a.session_id.as_str()) == session)
                    .map(|a| a.customer_name.clone())
            })
            .unwrap_or_default();
        rows.iter()
            .map(|a| {
                (
                    a.id.clone(),
                    described(&customer, &a.action, a.details.as_deref()),
                )
            })
            .collect()
    }

    fn entry(&mut self, action: Action, cx: &mut Cx) {
        match (self.focus, action) {
            (Focus::Approvals, Action::Mark) => {
                if let Some(id) = self.approvals.selected_row().map(|a| a.id.clone()) {
                    if !self.marked.remove(&id) {
                        self.marked.insert(id);
                    }
                    self.update(Action::Down, cx);
                }
            }
            (Focus::Approvals, decision) => {
                let ids: Vec<String> = if self.marked.is_empty() {
                    self.approvals
                        .selected_row()
                        .map(|a| a.id.clone())
                        .into_iter()
                        .collect()
                } else {
                    self.marked.iter().cloned().collect()
                };
                let items = ids
                    .into_iter()
                    .map(|id| {
                        let what = self.approvals.rows.iter().find(|a| a.id == id).map_or_else(
                            || "(not on screen)".to_owned(),
                            |a| described(&a.customer_name, &a.action, a.details.as_deref()),
                        );
                        (id, what)
                    })
                    .collect();
                decide(cx, decision, items);
            }
            (Focus::Thread, Action::Approve | Action::Reject) => {
                let pending = match (&self.pending_here, &self.thread) {
                    (Some((s, rows)), Some((t, _))) if s == t => rows.clone(),
                    _ => Vec::new(),
                };
                match pending.as_slice() {
                    [] => cx.say("nothing in this session waits for a decision", true),
                    [one] => {
                        let items = self.thread_items(std::slice::from_ref(one));
                        decide(cx, action, items);
                    }
                    many => {
                        let decision = if action == Action::Approve {
                            Decision::Approve
                        } else {
                            Decision::Reject
                        };
                        let mut items: Vec<Candidate> = many
                            .iter()
                            .map(|a| Candidate::fixed(&a.id, &a.action, &a.agent_id))
                            .collect();
                        items.push(Candidate::fixed("*", &format!("all {}", many.len()), ""));
                        let all = self.thread_items(many);
                        cx.effect(Effect::Picker(Picker::new(
                            format!(
                                "{} which?",
                                if decision == Decision::Approve {
                                    "Approve"
                                } else {
                                    "Reject"
                                }
                            ),
                            Purpose::Decide { decision, all },
                            Source::Fixed,
                            items,
                        )));
                    }
                }
            }
            (_, Action::Approve | Action::Reject | Action::Mark) => cx.say(
                "decide in the approvals queue or a thread (l moves to them)",
                true,
            ),
            _ => {}
        }
    }
}

/// Approve (one at once, several after asking) or reject (a comment first).
/// An approval as a person reads it: `Acme Corp: Offer a renewal discount — 10% for a
/// 2-year renewal`.
fn described(customer: &str, action: &str, details: Option<&str>) -> String {
    let mut s = format!("{customer}: {action}");
    if let Some(d) = details.map(str::trim).filter(|d| !d.is_empty()) {
        s.push_str(" — ");
        s.push_str(d);
    }
    s
}

/// Approve (one at once, several after asking, naming each) or reject (a comment first, in
/// a form that names what is rejected). `items`: id and what it is.
pub fn decide(cx: &mut Cx, action: Action, items: Vec<(String, String)>) {
    if items.is_empty() {
        return cx.say("nothing waits for approval", true);
    }
    if cx.acting_user().is_none() {
        return;
    }
    let list: Vec<String> = items.iter().map(|(_, what)| format!("• {what}")).collect();
    let what = match items.as_slice() {
        [(_, one)] => one.clone(),
        _ => String::new(),
    };
    let ids: Vec<String> = items.into_iter().map(|(id, _)| id).collect();
    match action {
        Action::Approve if ids.len() > 1 => {
            cx.effect(Effect::Ask(Confirm::new(
                format!("Approve {} approvals?\n{}", ids.len(), list.join("\n")),
                Question::Approve { ids },
            )));
        }
        Action::Approve => cx.effect(Effect::Submit(
            Box::new(Write::Decide {
                ids,
                decision: Decision::Approve,
                comment: None,
            }),
            AfterWrite::Decided,
        )),
        Action::Reject => {
            let id = cx.form_id();
            cx.effect(Effect::Form(Box::new(kinds::reject(id, ids, &what)), None));
        }
        _ => {}
    }
}

impl Screen for SessionsScreen {
    fn title(&self) -> &'static str {
        "Agent sessions"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.focus == Focus::Sessions {
            vec![Context::Sessions]
        } else {
            vec![Context::Approvals, Context::Sessions]
        }
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        if matches!(action, Action::Approve | Action::Reject | Action::Mark) {
            return self.entry(action, cx);
        }
        match (self.focus, action) {
            (_, Action::Right) => {
                self.pinned = None;
                self.focus = self.focus.next();
            }
            (_, Action::Left) => {
                self.pinned = None;
                self.focus = self.focus.prev();
            }
            (_, Action::ToggleView) => {
                self.this_customer = !self.this_customer;
                self.list = Paged::default();
                self.set_height(&cx.layout.clone(), cx);
                self.go(Move::Start, cx);
                self.count(cx);
                return;
            }
            (Focus::Thread, a) => return scroll(&mut self.scroll, a),
            (Focus::Sessions, a) => {
                if let Some(m) = list_move(a) {
                    return self.go(m, cx);
                }
            }
            (Focus::Approvals, a) => {
                if let Some(m) = list_move(a) {
                    return self.go_approvals(m, cx);
                }
            }
        }
        if action == Action::Open {
            let id = match self.focus {
                Focus::Approvals => self.approvals.selected_row().map(|a| a.customer_id.clone()),
                _ => self.list.selected_row().map(|s| s.customer_id.clone()),
            };
            if let Some(id) = id {
                cx.open_account(id);
            }
            return;
        }
        self.load_thread(cx);
    }

    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx) {
        let screens::Answer::Sessions(answer) = answer else {
            return;
        };
        match answer {
            Answer::Page(rows) => {
                // the count, if known, places a window read from the end (`G`)
                if let Some(m) = self.list.apply(rows, self.total) {
                    self.go(m, cx);
                }
                self.load_thread(cx);
            }
            Answer::Count(n) => {
                self.total = Some(n);
                self.list.place(n);
            }
            Answer::Thread(id, messages) => self.thread = Some((id, messages)),
            Answer::Approvals { rows, pending } => {
                self.pending = Some(pending);
                if let Some(m) = self.approvals.apply(rows, Some(pending)) {
                    self.go_approvals(m, cx);
                }
                self.approvals.place(pending);
                self.load_thread(cx);
            }
            Answer::Pending(id, rows) => self.pending_here = Some((id, rows)),
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        match kind {
            screens::Kind::Sessions(Kind::Page) => self.list.fail(),
            screens::Kind::Sessions(Kind::Approvals) => self.approvals.fail(),
            _ => {}
        }
    }

    fn enter(&mut self, cx: &mut Cx) {
        if !self.list.loaded && !self.list.is_loading() {
            self.go(Move::Start, cx);
            self.count(cx);
        }
        if !self.approvals.loaded && !self.approvals.is_loading() {
            self.go_approvals(Move::Start, cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        self.thread = None;
        self.pending_here = None;
        if self.list.loaded {
            self.go(Move::Reload, cx);
            self.count(cx);
            self.go_approvals(Move::Reload, cx);
        }
    }

    fn set_height(&mut self, layout: &Layout, cx: &mut Cx) {
        let (sessions, approvals) = layout.session_rows();
        if self.list.set_height(sessions) && self.list.loaded {
            self.go(Move::Reload, cx);
        }
        if self.approvals.set_height(approvals) && self.approvals.loaded {
            self.go_approvals(Move::Reload, cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view.theme);
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        table_row_at(layout.sessions().0, p)
    }

    fn click(&mut self, i: usize, cx: &mut Cx) {
        self.focus = Focus::Sessions;
        self.list.select(i);
        self.load_thread(cx);
    }

    /// A message found by the search: its session's thread, with the focus on it.
    fn show(&mut self, hit: &Hit, cx: &mut Cx) -> bool {
        let (Found::Message, Some(session)) = (hit.kind, hit.session_id.clone()) else {
            return false;
        };
        self.focus = Focus::Thread;
        self.pinned = Some(session);
        self.thread = None;
        self.pending_here = None;
        self.load_thread(cx);
        true
    }

    fn written(&mut self, after: &AfterWrite) {
        if *after == AfterWrite::Decided {
            self.marked.clear();
        }
    }

    fn selected_row(&self) -> Option<RowRef> {
        match self.focus {
            Focus::Approvals => self
                .approvals
                .selected_row()
                .map(|a| RowRef::new("approvals", a.id.clone())),
            _ => self
                .focused_session()
                .map(|id| RowRef::new("agent_sessions", id)),
        }
    }

    fn view(&self, _options: &Options) -> Option<ReadView> {
        // the list as last asked for: every session, or the followed customer's
        (self.focus == Focus::Sessions).then(|| ReadView::Sessions(self.listed_for.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
