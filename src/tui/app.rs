//! The dashboard's frame: the tab bar, the screens (each owns its state, keys, jobs and
//! drawing: `screen::Screen`), and what lies over them — the account 360, forms, pickers,
//! questions, help — the status line and the outbox of requests to the worker. `update`
//! routes what the user does to the overlay or screen on top, `apply` routes what the
//! database answers to the screen that asked. Neither touches the terminal or the database.

use std::collections::HashMap;
use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::account::AccountScreen;
use super::action::Action;
use super::clock::Clock;
use super::forms::Form;
use super::forms::confirm::Confirm;
use super::forms::picker::Picker;
use super::keymap::{Context, Keymap};
use super::layout::Layout;
use super::outbox::Outbox;
use super::overlays::AfterWrite;
use super::overlays::Overlays;
use super::screen::{Cx, Effect, Screen};
use super::screens;
use super::search::SearchScreen;
use super::theme::Theme;
use super::worker::{Data, Job, Kind, Request, Response};
use crate::health::Thresholds;
use crate::import::export::ExportFormat;
use crate::store::Catalog;

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
    /// Where `E`/`J` write the list as shown (empty: the directory cscx was started in).
    pub export_dir: std::path::PathBuf,
    /// The command palette's aliases from the config file: alias → table or action name.
    pub aliases: std::collections::BTreeMap<String, String>,
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
            export_dir: std::path::PathBuf::new(),
            aliases: std::collections::BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Which screen an action or answer goes to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Target {
    Tab(usize),
    Account,
    Search,
}

pub struct App {
    pub(super) theme: Theme,
    pub(super) keymap: Keymap,
    pub(super) options: Options,
    /// The tabs, in the tab bar's order (`screens::tabs`).
    pub(super) screens: Vec<Box<dyn Screen>>,
    pub(super) tab: usize,
    /// The account 360, over whatever tab is showing.
    pub(super) account: Option<AccountScreen>,
    /// Search everything, over the 360 or the tab.
    pub(super) search: Option<SearchScreen>,
    /// Each workspace's band thresholds, by id: scores are coloured by their own
    /// workspace's, not the defaults. Read once at start and again after every write.
    pub(super) thresholds: HashMap<String, Thresholds>,
    /// The help popup and its scroll offset.
    pub(super) help: Option<u16>,
    pub(super) status: Option<Status>,
    pub(super) size: Rect,
    pub(super) quit: bool,
    /// ctrl-z was pressed: the event loop gives the terminal back and stops the process.
    suspend: bool,
    /// Forms, a picker, a question over the screens, and the session's undo.
    pub(super) overlays: Overlays,
    pub(super) next_form: u64,
    pub(super) outbox: Outbox,
    /// Ticks since the oldest request in flight was sent (for the "loading" hint).
    waiting_ticks: u32,
    /// The database's `PRAGMA data_version` when last asked: a new one means another process
    /// committed, and what is on screen is read again.
    data_version: Option<i64>,
    /// Text for the terminal's clipboard (`y`, `Y`), until the event loop writes it.
    pub(super) clipboard: Vec<String>,
    /// The schema: the palette lists its tables.
    pub(super) catalog: Arc<Catalog>,
}

impl App {
    pub fn new(theme: Theme, keymap: Keymap, options: Options, size: Rect) -> App {
        let mut app = App {
            theme,
            keymap,
            screens: screens::tabs(&options),
            options,
            tab: 0,
            account: None,
            search: None,
            thresholds: HashMap::new(),
            help: None,
            status: None,
            size,
            quit: false,
            suspend: false,
            overlays: Overlays::default(),
            next_form: 0,
            outbox: Outbox::default(),
            waiting_ticks: 0,
            data_version: None,
            clipboard: Vec::new(),
            catalog: Arc::default(),
        };
        app.set_heights();
        // first: the worker answers oldest first, so the first rows are coloured right
        app.send(Job::Thresholds);
        app.enter_tab(0);
        app
    }

    /// The schema forms check their fields against.
    pub fn set_catalog(&mut self, catalog: Arc<Catalog>) {
        self.catalog = Arc::clone(&catalog);
        self.overlays.set_catalog(catalog);
    }

    pub fn set_status(&mut self, text: impl Into<String>, error: bool) {
        self.status = Some(Status {
            text: text.into(),
            error,
        });
    }

    // ---- what tests and the event loop read ---------------------------------------------------

    pub fn options(&self) -> &Options {
        &self.options
    }

    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The user asked to quit.
    pub fn wants_quit(&self) -> bool {
        self.quit
    }

    /// ctrl-z was pressed since the last call: the event loop suspends (once per press).
    pub fn take_suspend(&mut self) -> bool {
        std::mem::take(&mut self.suspend)
    }

    /// ctrl-z is waiting for the event loop (keys after it are read on return).
    pub fn suspending(&self) -> bool {
        self.suspend
    }

    pub fn size(&self) -> Rect {
        self.size
    }

    /// The tab shown (0-based, the tab bar's order), and its title.
    pub fn tab(&self) -> usize {
        self.tab
    }

    pub fn tab_title(&self) -> &'static str {
        self.screens.get(self.tab).map_or("", |s| s.title())
    }

    /// The first tab that is a `T` (tests read a screen's state through its accessors).
    pub fn screen<T: 'static>(&self) -> Option<&T> {
        self.screens.iter().find_map(|s| s.as_any().downcast_ref())
    }

    pub fn account(&self) -> Option<&AccountScreen> {
        self.account.as_ref()
    }

    /// The search, while it is open.
    pub fn search(&self) -> Option<&SearchScreen> {
        self.search.as_ref()
    }

    pub fn forms(&self) -> &[Form] {
        self.overlays.forms()
    }

    pub fn picker(&self) -> Option<&Picker> {
        self.overlays.picker()
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.overlays.confirm()
    }

    /// The help's scroll offset while it is open.
    pub fn help(&self) -> Option<u16> {
        self.help
    }

    /// Something this session changed that `u` can take back.
    pub fn can_undo(&self) -> bool {
        self.overlays.can_undo()
    }

    // ---- requests ---------------------------------------------------------------------------

    pub(crate) fn send(&mut self, job: Job) {
        self.outbox.send(job);
    }

    /// Requests made since the last call, oldest first.
    pub fn take_requests(&mut self) -> Vec<Request> {
        self.outbox.take()
    }

    /// Nothing asked of the database is still unanswered.
    pub fn is_settled(&self) -> bool {
        self.outbox.is_settled()
    }

    pub fn is_waiting(&self, kind: impl Into<Kind>) -> bool {
        self.outbox.is_waiting(kind.into())
    }

    /// The band thresholds scores of `workspace_id` are coloured by (the defaults until the
    /// workspaces' are read, or for a workspace created since).
    pub fn thresholds_of(&self, workspace_id: &str) -> Thresholds {
        self.thresholds
            .get(workspace_id)
            .copied()
            .unwrap_or_default()
    }

    // ---- routing ----------------------------------------------------------------------------

    /// The customer selected in the book, which other screens follow.
    fn book_customer(&self) -> Option<String> {
        self.screens.iter().find_map(|s| s.selected_customer())
    }

    /// Runs `f` on a screen with a `Cx`, then carries out what it asked for. When the book's
    /// selection moved, the tab shown follows it.
    pub(super) fn run(&mut self, target: Target, f: impl FnOnce(&mut dyn Screen, &mut Cx)) {
        let before = self.book_customer();
        self.run_on(target, before.clone(), f);
        let after = self.book_customer();
        if after != before && target != Target::Tab(self.tab) {
            self.run_on(Target::Tab(self.tab), after, |s, cx| s.customer_changed(cx));
        }
    }

    /// Runs `f` on the tab shown.
    pub(super) fn run_on_tab(&mut self, f: impl FnOnce(&mut dyn Screen, &mut Cx)) {
        self.run(Target::Tab(self.tab), f);
    }

    fn run_on(
        &mut self,
        target: Target,
        customer: Option<String>,
        f: impl FnOnce(&mut dyn Screen, &mut Cx),
    ) {
        let mut cx = Cx::new(
            &self.options,
            &self.theme,
            &self.thresholds,
            self.size,
            customer,
            &mut self.outbox,
            &mut self.next_form,
        );
        match target {
            Target::Tab(i) => {
                if let Some(s) = self.screens.get_mut(i) {
                    f(s.as_mut(), &mut cx);
                }
            }
            Target::Account => {
                if let Some(a) = &mut self.account {
                    f(a, &mut cx);
                }
            }
            Target::Search => {
                if let Some(s) = &mut self.search {
                    f(s, &mut cx);
                }
            }
        }
        let effects = cx.take_effects();
        for e in effects {
            self.carry_out(e);
        }
    }

    fn carry_out(&mut self, effect: Effect) {
        match effect {
            Effect::Say { text, error } => self.set_status(text, error),
            Effect::OpenAccount(id) => self.open_account(id),
            Effect::Form(form, None) => self.overlays.open_form(*form),
            Effect::Form(form, Some((load, id))) => {
                self.on_overlays(|o, cx| o.push_loading(cx, *form, load, id))
            }
            Effect::Picker(p) => self.overlays.open_picker(p),
            Effect::Ask(c) => self.overlays.ask(c),
            Effect::Submit(write, after) => self.on_overlays(|o, cx| {
                o.submit(cx, *write, after);
            }),
            Effect::Written(after) => self.written(&after),
            Effect::Reload => self.reload_views(),
            Effect::CallLogged(call_id) => self.call_logged(&call_id),
            Effect::Show(hit) => self.show(&hit),
            Effect::CloseSearch => self.search = None,
            Effect::Command(c) => self.run_command(c),
            Effect::Browse(table) => self.browse(&table),
        }
    }

    /// Shows the table browser (Tables) on `table`, over whatever was shown: the way in for
    /// other screens (`Effect::Browse`) and the command palette.
    pub fn browse(&mut self, table: &str) {
        for i in 0..self.screens.len() {
            let mut taken = false;
            self.run(Target::Tab(i), |s, cx| taken = s.open_table(table, cx));
            if taken {
                self.search = None;
                self.account = None;
                self.enter_tab(i);
                return;
            }
        }
        self.set_status(format!("{table}: no screen shows that table"), true);
    }

    /// A search result on the screen where it lives: the first tab that shows it.
    fn show(&mut self, hit: &crate::store::read::search::Hit) {
        self.search = None;
        for i in 0..self.screens.len() {
            let mut shown = false;
            self.run(Target::Tab(i), |s, cx| shown = s.show(hit, cx));
            if shown {
                self.account = None;
                self.enter_tab(i);
                return;
            }
        }
        if let Some(id) = hit.customer_id.clone() {
            self.open_account(id);
        }
    }

    /// Runs `f` on the overlays with a `Cx`, then carries out what they asked for.
    pub(super) fn on_overlays(&mut self, f: impl FnOnce(&mut Overlays, &mut Cx)) {
        let customer = self.book_customer();
        let mut cx = Cx::new(
            &self.options,
            &self.theme,
            &self.thresholds,
            self.size,
            customer,
            &mut self.outbox,
            &mut self.next_form,
        );
        f(&mut self.overlays, &mut cx);
        for e in cx.take_effects() {
            self.carry_out(e);
        }
    }

    /// A `Cx` for work of the app's own, whose effects it then carries out.
    fn with_cx(&mut self, f: impl FnOnce(&mut Cx)) {
        self.on_overlays(|_, cx| f(cx));
    }

    pub(super) fn open_account_of(&mut self, customer_id: String) {
        self.open_account(customer_id);
    }

    fn open_account(&mut self, customer_id: String) {
        let mut account = None;
        self.with_cx(|cx| account = Some(AccountScreen::open(customer_id, cx)));
        self.account = account;
    }

    /// Shows tab `i`, and what it shows is loaded the first time it is visited.
    fn enter_tab(&mut self, i: usize) {
        self.tab = i.min(self.screens.len().saturating_sub(1));
        self.set_heights();
        self.run(Target::Tab(self.tab), |s, cx| s.enter(cx));
    }

    /// Page sizes follow the screen; a list whose size changed reads its window again.
    fn set_heights(&mut self) {
        let layout = Layout::new(self.size);
        for i in 0..self.screens.len() {
            self.run(Target::Tab(i), |s, cx| s.set_height(&layout, cx));
        }
    }

    /// Reads everything on screen again (another process may have written).
    fn refresh(&mut self) {
        self.reload_views();
        self.set_status("reloaded", false);
    }

    /// Every view asks the database again: after a write, every tab shows the new state.
    pub(crate) fn reload_views(&mut self) {
        // a workspace's thresholds may have changed too (an import of its configuration)
        self.send(Job::Thresholds);
        for i in 0..self.screens.len() {
            self.run(Target::Tab(i), |s, cx| s.reload(cx));
        }
        self.run(Target::Account, |s, cx| s.reload(cx));
        self.run(Target::Search, |s, cx| s.reload(cx));
        self.enter_tab(self.tab);
    }

    /// A call was just logged: the log shows it selected.
    pub(super) fn call_logged(&mut self, call_id: &str) {
        for i in 0..self.screens.len() {
            self.run(Target::Tab(i), |s, cx| s.call_logged(call_id, cx));
        }
    }

    /// A saved write: the screens that care hear of it.
    pub(super) fn written(&mut self, after: &AfterWrite) {
        for s in &mut self.screens {
            s.written(after);
        }
    }

    // ---- input ------------------------------------------------------------------------------

    /// The contexts a key is looked up in, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            return vec![Context::List, Context::Global];
        }
        self.contexts_below_help()
    }

    /// The contexts of what is under the help (the status line's hints are theirs).
    pub(super) fn contexts_below_help(&self) -> Vec<Context> {
        if let Some(c) = self.overlays.contexts() {
            return c;
        }
        let mut c = match (&self.search, &self.account, self.screens.get(self.tab)) {
            (Some(s), _, _) => s.contexts(),
            (None, Some(a), _) => a.contexts(),
            (None, None, Some(s)) => s.contexts(),
            (None, None, None) => Vec::new(),
        };
        // a prompt that takes typed text has the keyboard to itself (and so does the search,
        // reading an article included: `1` or `q` there is not a tab or quit)
        if !matches!(
            c.first(),
            Some(
                Context::Filter | Context::Search | Context::SearchArticle | Context::BrowseTables
            )
        ) {
            c.extend([Context::List, Context::Global]);
        }
        c
    }

    /// The terminal is below the minimum size: the screen only says so.
    pub fn too_small(&self) -> bool {
        self.size.width < MIN_WIDTH || self.size.height < MIN_HEIGHT
    }

    /// An open form holds changes that quitting would lose.
    pub fn unsaved(&self) -> bool {
        self.overlays.unsaved()
    }

    /// A key press; true if the screen should be drawn again.
    pub fn on_key(&mut self, key: KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        // ctrl-z stops the program wherever the keyboard is (a form, the filter, a terminal
        // too small), like any terminal program: nothing typed is lost, it is all there on `fg`
        if self.keymap.resolve(&key, &[Context::Global]) == Some(Action::Suspend) {
            self.suspend = true;
            return true;
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
                        | Context::Search
                        | Context::FormText
                        | Context::FormChoice
                        | Context::FormReference
                        | Context::Picker
                        | Context::BrowseTables,
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

    /// The tabs' titles, in the tab bar's order.
    pub fn titles(&self) -> Vec<&'static str> {
        self.screens.iter().map(|s| s.title()).collect()
    }

    pub fn on_mouse(&mut self, m: MouseEvent) -> bool {
        // below the minimum size nothing is drawn to click or scroll
        if !self.options.mouse || self.too_small() {
            return false;
        }
        let layout = Layout::new(self.size);
        match m.kind {
            MouseEventKind::ScrollDown => self.update(Action::Down),
            MouseEventKind::ScrollUp => self.update(Action::Up),
            MouseEventKind::Down(MouseButton::Left) => {
                let at = Position::new(m.column, m.row);
                if let Some(tab) = layout.tab_at(&self.titles(), self.identity_room(), at) {
                    self.update(Action::GoTab(tab));
                } else if self.account.is_none()
                    && self.search.is_none()
                    && self.help.is_none()
                    && !self.overlays.is_open()
                    && let Some(i) = self
                        .screens
                        .get(self.tab)
                        .and_then(|s| s.row_at(&layout, at))
                {
                    self.run(Target::Tab(self.tab), |s, cx| s.click(i, cx));
                } else {
                    return false;
                }
            }
            _ => return false,
        }
        true
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
        if !self.outbox.anything_in_flight_but(Kind::DataVersion) {
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
            let body = Layout::new(self.size).body;
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
        if self.overlays.is_open() {
            return self.on_overlays(|o, cx| o.update(action, cx));
        }
        if self.search.is_some() {
            return match action {
                Action::Quit => self.quit = true,
                Action::Suspend => self.suspend = true,
                Action::Refresh => self.refresh(),
                _ => self.run(Target::Search, |s, cx| s.update(action, cx)),
            };
        }
        match action {
            Action::Search => self.search = Some(SearchScreen::new()),
            Action::Palette => self.open_palette(),
            Action::Yank => self.yank(),
            Action::YankRow => self.yank_row(),
            Action::ExportCsv => self.export_view(ExportFormat::Csv),
            Action::ExportJson => self.export_view(ExportFormat::Json),
            Action::Quit => self.quit = true,
            Action::Suspend => self.suspend = true,
            Action::Undo => self.on_overlays(|o, cx| o.undo_last(cx)),
            Action::Redo => self.on_overlays(|o, cx| o.redo_last(cx)),
            Action::Help => self.help = Some(0),
            Action::NextTab => self.enter_tab((self.tab + 1) % self.screens.len().max(1)),
            Action::PrevTab => {
                let n = self.screens.len().max(1);
                self.enter_tab((self.tab + n - 1) % n);
            }
            Action::GoTab(i) => {
                self.account = None;
                if i < self.screens.len() {
                    self.enter_tab(i);
                } else {
                    self.enter_tab(self.tab);
                }
            }
            Action::Refresh => self.refresh(),
            Action::Back if self.account.is_some() => self.account = None,
            _ if self.account.is_some() => self.run(Target::Account, |s, cx| s.update(action, cx)),
            _ => self.run(Target::Tab(self.tab), |s, cx| s.update(action, cx)),
        }
    }

    // ---- answers ----------------------------------------------------------------------------

    /// Takes the database's answer. Answers to superseded requests are dropped.
    pub fn apply(&mut self, r: Response) {
        if !self.outbox.accept(&r) {
            return;
        }
        let target = |k: screens::Kind| match k {
            screens::Kind::Search(_) => Target::Search,
            k => k.screen().map_or(Target::Account, Target::Tab),
        };
        let data = match r.result {
            Ok(d) => d,
            Err(e) => {
                match r.kind {
                    Kind::Screen(k) => self.run(target(k), |s, _| s.fail(k)),
                    kind => self.overlays.fail(kind),
                }
                self.set_status(format!("could not read the database: {e}"), true);
                return;
            }
        };
        match (r.kind, data) {
            (Kind::Screen(k), Data::Screen(answer)) => {
                self.run(target(k), |s, cx| s.apply(answer, cx))
            }
            (_, Data::Screen(_)) => {}
            (_, Data::Thresholds(t)) => self.thresholds = t,
            (_, Data::DataVersion(v)) => {
                if self.data_version.is_some_and(|seen| seen != v) {
                    self.reload_views();
                }
                self.data_version = Some(v);
            }
            (_, Data::Candidates(rows)) => self.overlays.candidates(rows),
            (_, Data::Record(form, record)) => {
                self.on_overlays(|o, cx| o.apply_record(cx, form, *record))
            }
            (_, Data::Targets(customer_id, targets)) => {
                self.overlays.apply_targets(&customer_id, targets)
            }
            (_, Data::Validated { form, error }) => self.overlays.apply_validated(form, error),
            (_, Data::Written(result)) => self.on_overlays(|o, cx| o.apply_written(cx, *result)),
            (_, Data::Copied { table, json }) => self.copied(&table, json),
            (
                _,
                Data::Exported {
                    path,
                    rows,
                    recorded,
                },
            ) => self.exported(&path, rows, recorded),
        }
    }
}
