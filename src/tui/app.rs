//! The dashboard's state and the one place it changes: `update(Action)` for what the user
//! does, `apply(Response)` for what the database answers. Neither touches the terminal or
//! the database: requests for data collect in an outbox the event loop (or a test) drains.

use std::collections::HashMap;
use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::clock::Clock;
use super::entry::AfterWrite;
use super::forms::confirm::Confirm;
use super::forms::input::Input;
use super::forms::picker::Picker;
use super::forms::{Form, Phase};
use super::keymap::{Context, Keymap};
use super::paged::Move;
use super::tabs::{Tab, account::AccountView, calls::CallsTab, customers::CustomersTab};
use super::tabs::{deals::DealsTab, health::HealthTab, sessions::SessionsTab};
use super::theme::Theme;
use super::worker::{Data, Job, Kind, Request, Response};
use super::writes::Undoable;
use crate::health::Thresholds;
use crate::store::Catalog;
use crate::store::read::customers::Query;

/// Below this the dashboard says so instead of drawing.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// What the app is started with.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub workspace_id: Option<String>,
    /// `--mine`: only customers whose CSM is this user.
    pub csm_id: Option<String>,
    pub mouse: bool,
    /// Who is acting (`--user`); None: the dashboard is read-only and says so.
    pub user_id: Option<String>,
    /// Their name, for the status line.
    pub user_name: Option<String>,
    /// Who I am and my role, shown at the right of the tab bar ("Dana Scully · csm,
    /// Northwind CS"); None when nobody is acting.
    pub identity: Option<String>,
    /// "now" and the time zone for reading `today 14:00` (fixed in tests).
    pub clock: Clock,
}

impl Options {
    /// The options of a dashboard acting as the store's actor: its workspace, its user (and,
    /// with `mine`, only the customers they are CSM of).
    pub fn for_store(store: &crate::store::Store, mine: bool) -> Options {
        let actor = store.actor();
        let user_name = actor.user_id.as_deref().and_then(|u| {
            let reader = store.reader(false).ok()?;
            crate::store::read::records::name(&reader, "users", u)
                .ok()
                .flatten()
        });
        let identity = user_name.as_ref().map(|name| {
            let roles = store
                .access()
                .map(|a| {
                    if a.owner {
                        return "owner of this file".to_owned();
                    }
                    a.memberships
                        .iter()
                        .map(|m| format!("{} in {}", m.role, m.workspace_name))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let mine = if mine { " · mine" } else { "" };
            format!("{name} · {roles}{mine}")
        });
        Options {
            workspace_id: actor.workspace_id.clone(),
            csm_id: if mine { actor.user_id.clone() } else { None },
            mouse: false,
            user_id: actor.user_id.clone(),
            user_name,
            identity,
            clock: Clock::Local,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub tab: Tab,
    pub theme: Theme,
    pub keymap: Keymap,
    pub options: Options,
    pub customers: CustomersTab,
    pub health: HealthTab,
    pub deals: DealsTab,
    pub calls: CallsTab,
    pub sessions: SessionsTab,
    /// The account 360, over whatever tab is showing.
    pub account: Option<AccountView>,
    /// Each workspace's band thresholds, by id: scores are coloured by their own
    /// workspace's, not the defaults. Read once at start and again after every write.
    pub thresholds: HashMap<String, Thresholds>,
    /// The help popup and its scroll offset.
    pub help: Option<u16>,
    pub status: Option<Status>,
    pub size: Rect,
    pub quit: bool,
    /// The schema, for checking form fields by their columns' rules.
    pub catalog: Arc<Catalog>,
    /// Open forms, the one on top has the keyboard (a new loss reason opens over a call).
    pub forms: Vec<Form>,
    /// A list to choose from, over the forms.
    pub picker: Option<Picker>,
    /// A question, over everything.
    pub confirm: Option<Confirm>,
    /// This session's edits, newest last: what `u` takes back.
    pub undo: Vec<Undoable>,
    /// What to do when the write on the worker answers.
    pub(crate) writing: Option<AfterWrite>,
    next_form: u64,
    seq: u64,
    in_flight: HashMap<Kind, u64>,
    outbox: Vec<Request>,
    /// Ticks since the oldest request in flight was sent (for the "loading" hint).
    waiting_ticks: u32,
    /// The database's `PRAGMA data_version` when last asked: a new one means another process
    /// committed, and what is on screen is read again.
    data_version: Option<i64>,
}

impl App {
    pub fn new(theme: Theme, keymap: Keymap, options: Options, size: Rect) -> App {
        let query = Query {
            workspace_id: options.workspace_id.clone(),
            csm_id: options.csm_id.clone(),
            ..Query::default()
        };
        let mut app = App {
            tab: Tab::Customers,
            theme,
            keymap,
            options,
            customers: CustomersTab::new(query),
            health: HealthTab::default(),
            deals: DealsTab::default(),
            calls: CallsTab::default(),
            sessions: SessionsTab::default(),
            account: None,
            thresholds: HashMap::new(),
            help: None,
            status: None,
            size,
            quit: false,
            catalog: Arc::new(Catalog::default()),
            forms: Vec::new(),
            picker: None,
            confirm: None,
            undo: Vec::new(),
            writing: None,
            next_form: 0,
            seq: 0,
            in_flight: HashMap::new(),
            outbox: Vec::new(),
            waiting_ticks: 0,
            data_version: None,
        };
        app.set_heights();
        // first: the worker answers oldest first, so the first rows are coloured right
        app.send(Job::Thresholds);
        app.customers_move(Move::Start);
        app.count_customers(true);
        app
    }

    // ---- requests ---------------------------------------------------------------------------

    /// A fresh id for a form (answers for a closed form are then told apart).
    pub(crate) fn form_id(&mut self) -> u64 {
        self.next_form += 1;
        self.next_form
    }

    pub(crate) fn send(&mut self, job: Job) {
        self.seq += 1;
        self.in_flight.insert(job.kind(), self.seq);
        self.outbox.push(Request { seq: self.seq, job });
    }

    /// Requests made since the last call, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        std::mem::take(&mut self.outbox)
    }

    /// Nothing asked of the database is still unanswered.
    pub fn is_settled(&self) -> bool {
        self.in_flight.is_empty() && self.outbox.is_empty()
    }

    /// The band thresholds scores of `workspace_id` are coloured by (the defaults until the
    /// workspaces' are read, or for a workspace created since).
    pub fn thresholds_of(&self, workspace_id: &str) -> Thresholds {
        self.thresholds
            .get(workspace_id)
            .copied()
            .unwrap_or_default()
    }

    pub fn is_waiting(&self, kind: Kind) -> bool {
        self.in_flight.contains_key(&kind)
    }

    fn customers_move(&mut self, m: Move) {
        if let Some(m) = self.customers.list.step(m)
            && let Some((anchor, limit)) = self.customers.list.request(m)
        {
            let query = self.customers.query.clone();
            self.send(Job::CustomerPage {
                query,
                anchor,
                limit,
            });
        }
        self.after_customer_selection();
    }

    /// The first page of a new ordering or filter, whatever the window shows now.
    fn customers_restart(&mut self) {
        if let Some((anchor, limit)) = self.customers.list.request(Move::Start) {
            let query = self.customers.query.clone();
            self.send(Job::CustomerPage {
                query,
                anchor,
                limit,
            });
        }
    }

    fn count_customers(&mut self, all: bool) {
        let query = self.customers.query.clone();
        if let Some(n) = self.customers.cached_count(&query) {
            // an older count on its way counts another filter: it must not land on this one
            self.in_flight.remove(&Kind::CustomerCount);
            self.customers.matching = Some(n);
            self.customers.list.place(n);
            return;
        }
        self.send(Job::CustomerCount { query, all });
    }

    /// The Health tab follows the selected customer.
    fn after_customer_selection(&mut self) {
        if self.tab == Tab::Health {
            self.load_health();
        }
    }

    fn load_health(&mut self) {
        if self.health.portfolio_view {
            if self.health.portfolio.is_none() && !self.is_waiting(Kind::Portfolio) {
                self.send(Job::Portfolio);
            }
        } else if let Some(id) = self.customers.selected_id()
            && self.health.customer_id() != Some(id.as_str())
        {
            self.health.trends = None;
            self.send(Job::Trends { customer_id: id });
        }
    }

    fn deals_move(&mut self, m: Move) {
        if let Some(m) = self.deals.list.step(m)
            && let Some((anchor, limit)) = self.deals.list.request(m)
        {
            let stage = self.deals.stage();
            self.send(Job::Deals {
                stage,
                anchor,
                limit,
            });
        }
        self.load_deal_detail();
    }

    fn load_deal_detail(&mut self) {
        if let Some(id) = self.deals.list.selected_row().map(|d| d.id.clone())
            && self.deals.detail.as_ref().map(|(d, _)| d) != Some(&id)
        {
            self.send(Job::Deal { deal_id: id });
        }
    }

    fn calls_move(&mut self, m: Move) {
        if let Some(m) = self.calls.list.step(m)
            && let Some((anchor, limit)) = self.calls.list.request(m)
        {
            let filter = self.calls.filter(&self.options);
            self.send(Job::Calls {
                filter,
                anchor,
                limit,
            });
        }
    }

    /// The first page of the call log, wherever its window is now.
    pub(crate) fn calls_restart(&mut self) {
        if let Some((anchor, limit)) = self.calls.list.request(Move::Start) {
            let filter = self.calls.filter(&self.options);
            self.send(Job::Calls {
                filter,
                anchor,
                limit,
            });
        }
    }

    fn calls_refilter(&mut self) {
        self.calls.list = Default::default();
        self.set_heights();
        self.calls_move(Move::Start);
        let filter = self.calls.filter(&self.options);
        self.send(Job::CallStats { filter });
    }

    fn sessions_move(&mut self, m: Move) {
        if let Some(m) = self.sessions.list.step(m)
            && let Some((anchor, limit)) = self.sessions.list.request(m)
        {
            let customer_id = self.sessions_customer();
            self.send(Job::Sessions {
                customer_id,
                anchor,
                limit,
            });
        }
        self.load_thread();
    }

    /// Counts the sessions the list shows now (after a new scope or a write).
    fn count_sessions(&mut self) {
        self.sessions.total = None;
        let customer_id = self.sessions_customer();
        self.send(Job::SessionCount { customer_id });
    }

    fn sessions_customer(&self) -> Option<String> {
        if self.sessions.this_customer {
            self.customers.selected_id()
        } else {
            None
        }
    }

    fn approvals_move(&mut self, m: Move) {
        if let Some(m) = self.sessions.approvals.step(m)
            && let Some((anchor, limit)) = self.sessions.approvals.request(m)
        {
            self.send(Job::Approvals { anchor, limit });
        }
        self.load_thread();
    }

    fn load_thread(&mut self) {
        if let Some(id) = self.sessions.focused_session()
            && self.sessions.thread.as_ref().map(|(s, _)| s) != Some(&id)
        {
            self.sessions.scroll = 0;
            self.send(Job::Thread {
                session_id: id.clone(),
            });
            self.send(Job::SessionPending { session_id: id });
        }
    }

    /// Loads what a tab shows the first time it is visited.
    fn enter_tab(&mut self, tab: Tab) {
        self.tab = tab;
        self.set_heights();
        match tab {
            Tab::Customers => {}
            Tab::Health => self.load_health(),
            Tab::Deals => {
                if self.deals.pipeline.is_none() && !self.is_waiting(Kind::Pipeline) {
                    self.send(Job::Pipeline);
                }
                if !self.deals.list.loaded && !self.deals.list.is_loading() {
                    self.deals_move(Move::Start);
                }
            }
            Tab::Calls => {
                if self.calls.owners.is_none() && !self.is_waiting(Kind::CallOwners) {
                    self.send(Job::CallOwners);
                }
                if !self.calls.list.loaded && !self.calls.list.is_loading() {
                    self.calls_refilter();
                }
            }
            Tab::Sessions => {
                if !self.sessions.list.loaded && !self.sessions.list.is_loading() {
                    self.sessions_move(Move::Start);
                    self.count_sessions();
                }
                if !self.sessions.approvals.loaded && !self.sessions.approvals.is_loading() {
                    self.approvals_move(Move::Start);
                }
            }
        }
    }

    /// Page sizes follow the screen; a list whose size changed reads its window again.
    fn set_heights(&mut self) {
        let layout = super::layout::Layout::new(self.size);
        if self.customers.list.set_height(layout.customer_rows()) && self.customers.list.loaded {
            self.customers_move(Move::Reload);
        }
        if self.deals.list.set_height(layout.deal_rows()) && self.deals.list.loaded {
            self.deals_move(Move::Reload);
        }
        if self.calls.list.set_height(layout.call_rows()) && self.calls.list.loaded {
            self.calls_move(Move::Reload);
        }
        let (sessions, approvals) = layout.session_rows();
        if self.sessions.list.set_height(sessions) && self.sessions.list.loaded {
            self.sessions_move(Move::Reload);
        }
        if self.sessions.approvals.set_height(approvals) && self.sessions.approvals.loaded {
            self.approvals_move(Move::Reload);
        }
    }

    // ---- input ------------------------------------------------------------------------------

    /// The contexts a key is looked up in, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            return vec![Context::List, Context::Global];
        }
        if self.confirm.is_some() {
            return vec![Context::Confirm];
        }
        if self.picker.is_some() {
            return vec![Context::Picker];
        }
        if let Some(form) = self.forms.last() {
            let field = match form.focused().map(|s| &s.input) {
                Some(Input::Text(_)) => Context::FormText,
                Some(Input::Choice { .. }) => Context::FormChoice,
                _ => Context::FormReference,
            };
            return vec![field, Context::Form];
        }
        if self.customers_filter_typing() {
            return vec![Context::Filter];
        }
        let mut c = Vec::new();
        if self.account.is_some() {
            c.push(Context::Account);
        } else {
            match self.tab {
                Tab::Customers => c.push(Context::Customers),
                Tab::Health => c.push(Context::Health),
                Tab::Calls => c.push(Context::Calls),
                Tab::Sessions => {
                    use super::tabs::sessions::Focus;
                    if self.sessions.focus != Focus::Sessions {
                        c.push(Context::Approvals);
                    }
                    c.push(Context::Sessions);
                }
                Tab::Deals => c.push(Context::Deals),
            }
        }
        c.extend([Context::List, Context::Global]);
        c
    }

    /// The terminal is below the minimum size: the screen only says so.
    pub fn too_small(&self) -> bool {
        self.size.width < MIN_WIDTH || self.size.height < MIN_HEIGHT
    }

    /// An open form holds changes that quitting would lose.
    pub fn unsaved(&self) -> bool {
        self.forms.iter().any(|f| f.dirty)
    }

    /// A key press; true if the screen should be drawn again.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        if self.too_small() {
            // nothing on screen can take a key (a `q` went into the form hidden behind the
            // message): only quit counts, and only when it loses no typing; with unsaved
            // changes the message says to enlarge the terminal instead
            if self.keymap.resolve(&key, &[Context::Global]) == Some(Action::Quit)
                && !self.unsaved()
            {
                self.quit = true;
            }
            return false;
        }
        let contexts = self.contexts();
        let action = self.keymap.resolve(&key, &contexts).or_else(|| {
            // typed characters go into the filter, a form's field or a picker's query
            match (contexts.first(), key.code) {
                (
                    Some(
                        Context::Filter
                        | Context::FormText
                        | Context::FormChoice
                        | Context::FormReference
                        | Context::Picker,
                    ),
                    crossterm::event::KeyCode::Char(ch),
                ) if !key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
                {
                    Some(Action::Input(ch))
                }
                _ => None,
            }
        });
        match action {
            Some(a) => {
                self.update(a);
                true
            }
            None => false,
        }
    }

    pub fn on_mouse(&mut self, m: MouseEvent) -> bool {
        // below the minimum size nothing is drawn to click or scroll
        if !self.options.mouse || self.too_small() {
            return false;
        }
        let layout = super::layout::Layout::new(self.size);
        match m.kind {
            MouseEventKind::ScrollDown => self.update(Action::Down),
            MouseEventKind::ScrollUp => self.update(Action::Up),
            MouseEventKind::Down(MouseButton::Left) => {
                let at = Position::new(m.column, m.row);
                if let Some(tab) = layout.tab_at(at) {
                    self.update(Action::GoTab(tab));
                } else if self.account.is_none()
                    && self.help.is_none()
                    && self.forms.is_empty()
                    && self.picker.is_none()
                    && self.confirm.is_none()
                    && let Some(i) = layout.row_at(self.tab, at)
                {
                    self.click_row(i);
                } else {
                    return false;
                }
            }
            _ => return false,
        }
        true
    }

    fn click_row(&mut self, i: usize) {
        match self.tab {
            Tab::Customers => {
                self.customers.list.select(i);
                self.after_customer_selection();
            }
            Tab::Deals => {
                self.deals.list.select(i);
                self.load_deal_detail();
            }
            Tab::Calls => self.calls.list.select(i),
            Tab::Sessions => {
                self.sessions.focus = super::tabs::sessions::Focus::Sessions;
                self.sessions.list.select(i);
                self.load_thread();
            }
            Tab::Health => {
                if self.health.portfolio_view {
                    self.health.mover = i;
                }
            }
        }
    }

    pub fn on_resize(&mut self, width: u16, height: u16) {
        self.size = Rect::new(0, 0, width, height);
        self.set_heights();
    }

    /// A tick of the clock; true if something time-dependent must be redrawn. Each tick
    /// also asks whether another process has committed (`PRAGMA data_version`, a few
    /// microseconds): another cscx's edits, an import, show within a second.
    pub fn on_tick(&mut self) -> bool {
        if !self.is_waiting(Kind::DataVersion) {
            self.send(Job::DataVersion);
        }
        // the version check is not something the user waits for
        if self.in_flight.keys().all(|k| *k == Kind::DataVersion) {
            let was = self.waiting_ticks;
            self.waiting_ticks = 0;
            was > 0
        } else {
            self.waiting_ticks += 1;
            // the loading hint appears after a moment, then stays until the answer
            self.waiting_ticks == 2
        }
    }

    pub fn show_loading(&self) -> bool {
        self.waiting_ticks >= 2
    }

    // ---- update -----------------------------------------------------------------------------

    pub fn update(&mut self, action: Action) {
        if action != Action::Refresh {
            self.status = None;
        }
        if let Some(at) = self.help {
            let body = super::layout::Layout::new(self.size).body;
            let (page, max) = (
                super::widgets::help::page(body),
                super::widgets::help::max_scroll(&self.keymap, &self.theme, body),
            );
            match action {
                Action::Help | Action::Back | Action::Quit => self.help = None,
                other => {
                    if let Some(to) = super::scroll::scrolled(at, other, page, max) {
                        self.help = Some(to);
                    }
                }
            }
            return;
        }
        if self.confirm.is_some() {
            return self.update_confirm(action);
        }
        if self.picker.is_some() {
            return self.update_picker(action);
        }
        if !self.forms.is_empty() {
            return self.update_form(action);
        }
        match action {
            Action::Quit => {
                self.quit = true;
                return;
            }
            Action::Undo => return self.undo_last(),
            Action::Help => {
                self.help = Some(0);
                return;
            }
            Action::NextTab => return self.enter_tab(self.tab.next()),
            Action::PrevTab => return self.enter_tab(self.tab.prev()),
            Action::GoTab(i) => {
                self.account = None;
                return self.enter_tab(Tab::ALL.get(i).copied().unwrap_or(self.tab));
            }
            Action::Refresh => return self.refresh(),
            _ => {}
        }
        if let Some(view) = &mut self.account {
            match action {
                Action::Edit | Action::New | Action::LogMeeting => {
                    return self.account_entry(action);
                }
                Action::Back => self.account = None,
                other => {
                    let body = super::layout::Layout::new(self.size).body;
                    let max = view.max_scroll(body, &self.theme, &self.thresholds);
                    if let Some(to) =
                        super::scroll::scrolled(view.scroll, other, AccountView::page(body), max)
                    {
                        view.scroll = to;
                    }
                }
            }
            return;
        }
        match self.tab {
            Tab::Customers => self.update_customers(action),
            Tab::Health => self.update_health(action),
            Tab::Deals => self.update_deals(action),
            Tab::Calls => self.update_calls(action),
            Tab::Sessions => self.update_sessions(action),
        }
    }

    fn list_move(action: Action) -> Option<Move> {
        Some(match action {
            Action::Down => Move::StepDown,
            Action::Up => Move::StepUp,
            Action::PageDown => Move::PageDown,
            Action::PageUp => Move::PageUp,
            Action::Top => Move::Start,
            Action::Bottom => Move::End,
            _ => return None,
        })
    }

    fn open_account(&mut self, customer_id: String) {
        self.account = Some(AccountView::new(customer_id.clone()));
        self.send(Job::Account { customer_id });
    }

    fn update_customers(&mut self, action: Action) {
        let c = &mut self.customers;
        if c.typing {
            let before = c.query.search.clone();
            match action {
                Action::Input(ch) => c.query.search.push(ch),
                Action::FilterDelete => {
                    c.query.search.pop();
                }
                Action::FilterClear => c.query.search.clear(),
                Action::FilterAccept => c.typing = false,
                Action::Back => {
                    c.typing = false;
                    c.query.search.clear();
                }
                _ => {}
            }
            if c.query.search != before {
                self.refilter_customers();
            }
            return;
        }
        if let Some(m) = App::list_move(action) {
            return self.customers_move(m);
        }
        match action {
            Action::Filter => c.typing = true,
            Action::Back if !c.query.search.is_empty() => {
                c.query.search.clear();
                self.refilter_customers();
            }
            Action::SortNext | Action::SortPrev | Action::SortReverse => {
                c.sort(action);
                self.customers_restart();
            }
            Action::Open => {
                if let Some(id) = self.customers.selected_id() {
                    self.open_account(id);
                }
            }
            Action::Edit | Action::New | Action::LogMeeting => self.customers_entry(action),
            _ => {}
        }
    }

    /// The customer filter is being typed (on the Customers tab, no 360 over it).
    pub(crate) fn customers_filter_typing(&self) -> bool {
        self.customers.typing && self.tab == Tab::Customers && self.account.is_none()
    }

    /// The filter's text changed (typed or pasted).
    pub(crate) fn customers_filter_changed(&mut self) {
        self.refilter_customers();
    }

    /// Filter as you type: every keystroke asks for the first page of the new filter; the
    /// worker runs only the latest, and the count follows.
    fn refilter_customers(&mut self) {
        self.customers.matching = None;
        self.customers_restart();
        self.count_customers(false);
    }

    fn update_health(&mut self, action: Action) {
        let h = &mut self.health;
        match action {
            Action::ToggleView => {
                h.portfolio_view = !h.portfolio_view;
                self.load_health();
            }
            Action::Down if h.portfolio_view => {
                let n = h.portfolio.as_ref().map_or(0, |p| p.movers.len());
                h.mover = (h.mover + 1).min(n.saturating_sub(1));
            }
            Action::Up if h.portfolio_view => h.mover = h.mover.saturating_sub(1),
            Action::Down => h.scroll = h.scroll.saturating_add(1),
            Action::Up => h.scroll = h.scroll.saturating_sub(1),
            Action::PageDown => h.scroll = h.scroll.saturating_add(10),
            Action::PageUp => h.scroll = h.scroll.saturating_sub(10),
            Action::Top => h.scroll = 0,
            Action::Open => {
                let id = if h.portfolio_view {
                    h.portfolio
                        .as_ref()
                        .and_then(|p| p.movers.get(h.mover))
                        .map(|m| m.customer_id.clone())
                } else {
                    h.customer_id().map(str::to_owned)
                };
                if let Some(id) = id {
                    self.open_account(id);
                }
            }
            _ => {}
        }
    }

    fn update_deals(&mut self, action: Action) {
        if let Some(m) = App::list_move(action) {
            return self.deals_move(m);
        }
        let step: isize = match action {
            Action::Edit => return self.deals_entry(),
            Action::Left => -1,
            Action::Right => 1,
            Action::Open => {
                if let Some(id) = self
                    .deals
                    .list
                    .selected_row()
                    .map(|d| d.customer_id.clone())
                {
                    self.open_account(id);
                }
                return;
            }
            _ => return,
        };
        self.deals.move_stage(step);
        self.deals.list = Default::default();
        self.deals.detail = None;
        self.set_heights();
        self.deals_move(Move::Start);
    }

    fn update_calls(&mut self, action: Action) {
        if let Some(view) = &mut self.calls.open {
            match action {
                Action::Back | Action::Open => self.calls.open = None,
                other => {
                    let body = super::layout::Layout::new(self.size).body;
                    let max = view.max_scroll(body, &self.theme);
                    let page = super::tabs::call_view::CallView::page(body);
                    if let Some(to) = super::scroll::scrolled(view.scroll, other, page, max) {
                        view.scroll = to;
                    }
                }
            }
            return;
        }
        if action == Action::Open {
            if let Some(row) = self.calls.list.selected_row().cloned() {
                let call_id = row.id.clone();
                self.calls.open = Some(super::tabs::call_view::CallView::new(row));
                self.send(Job::Call { call_id });
            }
            return;
        }
        if let Some(m) = App::list_move(action) {
            return self.calls_move(m);
        }
        if matches!(action, Action::New | Action::Edit | Action::Delete) {
            return self.calls_entry(action);
        }
        let today = self.options.clock.today();
        let changed = match action {
            Action::CallsType => self.calls.cycle_type(),
            Action::CallsStatus => self.calls.cycle_status(),
            Action::CallsOutcome => self.calls.cycle_outcome(),
            Action::CallsOwner => self.calls.cycle_owner(),
            Action::CallsRange => self.calls.cycle_range(today),
            Action::ClearFilters | Action::Back => self.calls.clear(),
            _ => false,
        };
        if changed {
            self.calls_refilter();
        }
    }

    fn update_sessions(&mut self, action: Action) {
        use super::tabs::sessions::Focus;
        if matches!(action, Action::Approve | Action::Reject | Action::Mark) {
            return self.sessions_entry(action);
        }
        match (self.sessions.focus, action) {
            (_, Action::Right) => self.sessions.focus = self.sessions.focus.next(),
            (_, Action::Left) => self.sessions.focus = self.sessions.focus.prev(),
            (_, Action::ToggleView) => {
                self.sessions.this_customer = !self.sessions.this_customer;
                self.sessions.list = Default::default();
                self.set_heights();
                self.sessions_move(Move::Start);
                self.count_sessions();
                return;
            }
            (Focus::Thread, a) => {
                let s = &mut self.sessions.scroll;
                match a {
                    Action::Down => *s = s.saturating_add(1),
                    Action::Up => *s = s.saturating_sub(1),
                    Action::PageDown => *s = s.saturating_add(10),
                    Action::PageUp => *s = s.saturating_sub(10),
                    Action::Top => *s = 0,
                    _ => {}
                }
                return;
            }
            (Focus::Sessions, a) => {
                if let Some(m) = App::list_move(a) {
                    return self.sessions_move(m);
                }
            }
            (Focus::Approvals, a) => {
                if let Some(m) = App::list_move(a) {
                    return self.approvals_move(m);
                }
            }
        }
        if action == Action::Open {
            let id = match self.sessions.focus {
                Focus::Approvals => self
                    .sessions
                    .approvals
                    .selected_row()
                    .map(|a| a.customer_id.clone()),
                _ => self
                    .sessions
                    .list
                    .selected_row()
                    .map(|s| s.customer_id.clone()),
            };
            if let Some(id) = id {
                self.open_account(id);
            }
            return;
        }
        self.load_thread();
    }

    /// Reads everything on screen again (another process may have written).
    fn refresh(&mut self) {
        self.reload_views();
        self.status = Some(Status {
            text: "reloaded".into(),
            error: false,
        });
    }

    /// Every view asks the database again: after a write, every tab shows the new state.
    pub(crate) fn reload_views(&mut self) {
        // a workspace's thresholds may have changed too (an import of its configuration)
        self.send(Job::Thresholds);
        self.customers.counts.clear();
        self.customers.matching = None;
        self.customers_move(Move::Reload);
        self.count_customers(true);
        self.health = HealthTab {
            portfolio_view: self.health.portfolio_view,
            ..HealthTab::default()
        };
        self.deals.pipeline = None;
        self.deals.detail = None;
        self.sessions.thread = None;
        self.sessions.pending_here = None;
        self.calls.stats = None;
        self.calls.owners = None;
        if let Some(view) = &self.account {
            // read again where the reader is: the same page, scrolled as it was
            let (id, scroll) = (view.customer_id.clone(), view.scroll);
            self.open_account(id);
            if let Some(view) = &mut self.account {
                view.scroll = scroll;
            }
        }
        let tab = self.tab;
        if self.deals.list.loaded {
            self.deals_move(Move::Reload);
        }
        if self.calls.list.loaded {
            self.calls_move(Move::Reload);
            let filter = self.calls.filter(&self.options);
            self.send(Job::CallStats { filter });
        }
        if self.sessions.list.loaded {
            self.sessions_move(Move::Reload);
            self.count_sessions();
            self.approvals_move(Move::Reload);
        }
        self.enter_tab(tab);
    }

    // ---- answers ----------------------------------------------------------------------------

    /// Takes the database's answer. Answers to superseded requests are dropped.
    pub fn apply(&mut self, r: Response) {
        if self.in_flight.get(&r.kind) != Some(&r.seq) {
            return;
        }
        self.in_flight.remove(&r.kind);
        let data = match r.result {
            Ok(d) => d,
            Err(e) => {
                match r.kind {
                    Kind::CustomerPage => self.customers.list.fail(),
                    Kind::Deals => self.deals.list.fail(),
                    Kind::Calls => self.calls.list.fail(),
                    Kind::Sessions => self.sessions.list.fail(),
                    Kind::Approvals => self.sessions.approvals.fail(),
                    // the record is gone (or outside the workspace): close its form
                    Kind::Record
                        if self.forms.last().is_some_and(|f| f.phase == Phase::Loading) =>
                    {
                        self.forms.pop();
                    }
                    Kind::Pick => {
                        if let Some(p) = &mut self.picker {
                            p.loading = false;
                        }
                    }
                    Kind::Write => self.writing = None,
                    _ => {}
                }
                self.status = Some(Status {
                    text: format!("could not read the database: {e}"),
                    error: true,
                });
                return;
            }
        };
        match data {
            Data::CustomerPage { rows, sparklines } => {
                self.customers.sparklines = sparklines;
                let total = self.customers.matching;
                if let Some(m) = self.customers.list.apply(rows, total) {
                    self.customers_move(m);
                }
                self.after_customer_selection();
            }
            Data::CustomerCount { matching, all } => {
                let query = self.customers.query.clone();
                self.customers
                    .counts
                    .insert(super::tabs::customers::count_key(&query), matching);
                self.customers.matching = Some(matching);
                if let Some(all) = all {
                    self.customers.all = Some(all);
                }
                self.customers.list.place(matching);
            }
            Data::Account(found) => {
                if let Some(view) = &mut self.account {
                    view.loaded = true;
                    view.data = *found;
                }
            }
            Data::Trends(t) => self.health.trends = Some(*t),
            Data::Thresholds(t) => self.thresholds = t,
            Data::Portfolio(p) => {
                self.health.mover = 0;
                self.health.portfolio = Some(*p);
            }
            Data::Pipeline(p) => {
                self.deals.pipeline = Some(p);
                if let Some(n) = self.deals.stage_count() {
                    self.deals.list.place(n);
                }
            }
            Data::Deals(rows) => {
                // the count, if known, places a window read from the end (`G`)
                let total = self.deals.stage_count();
                if let Some(m) = self.deals.list.apply(rows, total) {
                    self.deals_move(m);
                }
                self.load_deal_detail();
            }
            Data::Deal(id, d) => self.deals.detail = Some((id, d)),
            Data::DataVersion(v) => {
                if self.data_version.is_some_and(|seen| seen != v) {
                    self.reload_views();
                }
                self.data_version = Some(v);
            }
            Data::Call(id, record) => {
                if let Some(view) = &mut self.calls.open
                    && view.row.id == id
                {
                    view.record = Some(*record);
                }
            }
            Data::Calls(rows) => {
                // the count, if known, places a window read from the end (`G`)
                let total = self.calls.stats.as_ref().map(|s| s.total);
                if let Some(m) = self.calls.list.apply(rows, total) {
                    self.calls_move(m);
                }
                // a call just logged: the cursor on it
                if let Some(id) = self.calls.select_when_read.take() {
                    match self.calls.list.rows.iter().position(|r| r.id == id) {
                        Some(i) => self.calls.list.select(i),
                        // not read yet (another page is on its way)
                        None if self.calls.list.is_loading() => {
                            self.calls.select_when_read = Some(id);
                        }
                        None => {}
                    }
                }
            }
            Data::CallStats(s) => {
                let total = s.total;
                self.calls.stats = Some(s);
                self.calls.list.place(total);
            }
            Data::CallOwners(o) => self.calls.owners = Some(o),
            Data::Sessions(rows) => {
                // the count, if known, places a window read from the end (`G`)
                let total = self.sessions.total;
                if let Some(m) = self.sessions.list.apply(rows, total) {
                    self.sessions_move(m);
                }
                self.load_thread();
            }
            Data::SessionCount(n) => {
                self.sessions.total = Some(n);
                self.sessions.list.place(n);
            }
            Data::Thread(id, messages) => self.sessions.thread = Some((id, messages)),
            Data::Approvals { rows, pending } => {
                self.sessions.pending = Some(pending);
                if let Some(m) = self.sessions.approvals.apply(rows, Some(pending)) {
                    self.approvals_move(m);
                }
                self.sessions.approvals.place(pending);
                self.load_thread();
            }
            Data::Candidates(rows) => {
                if let Some(p) = &mut self.picker {
                    p.set_items(rows);
                }
            }
            Data::Record(form, record) => self.apply_record(form, *record),
            Data::Targets(customer_id, targets) => self.apply_targets(&customer_id, targets),
            Data::SessionPending(id, rows) => self.sessions.pending_here = Some((id, rows)),
            Data::Validated { form, error } => self.apply_validated(form, error),
            Data::Written(result) => self.apply_written(*result),
        }
    }
}
