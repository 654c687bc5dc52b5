//! What every screen of the dashboard is: its own state, the keys it answers (keymap
//! contexts), what it does with an action or an answer from the database, and how it is
//! drawn. `App` routes to the screen on top and keeps only what lies over every screen:
//! forms, pickers, questions, help, the status line.
//!
//! A screen never touches `App`: it asks for things through `Cx` — jobs for the worker, and
//! `Effect`s (open the account 360, a form, a question, a line on the status bar) that the
//! app carries out once the screen returns.

use std::any::Any;
use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};

use super::action::Action;
use super::app::Options;
use super::forms::Form;
use super::forms::confirm::Confirm;
use super::forms::kinds;
use super::forms::picker::Picker;
use super::keymap::{Context, Keymap};
use super::layout::Layout;
use super::outbox::Outbox;
use super::overlays::AfterWrite;
use super::paged::Move;
use super::screens;
use super::theme::Theme;
use super::worker::{Job, Kind, Load};
use super::writes::Write;
use crate::health::Thresholds;
use crate::store::read::search::Hit;

pub trait Screen {
    /// The tab's name ("Customers"); the tab bar numbers them in the order registered.
    fn title(&self) -> &'static str;

    /// The keymap contexts a key is looked up in while this screen has the keyboard, most
    /// specific first (`List` and `Global` are added by the app unless the first context
    /// takes typed text, like a filter prompt).
    fn contexts(&self) -> Vec<Context>;

    /// What the user asked for (an action no overlay took).
    fn update(&mut self, action: Action, cx: &mut Cx);

    /// The worker's answer to one of this screen's jobs.
    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx);

    /// One of this screen's jobs failed (the app shows the error): stop waiting for it.
    fn fail(&mut self, _kind: screens::Kind) {}

    /// The screen is shown: load what it shows, the first time or since `reload`.
    fn enter(&mut self, _cx: &mut Cx) {}

    /// Everything may have changed (a write, `ctrl-r`): read again what was read.
    fn reload(&mut self, cx: &mut Cx);

    /// The screen's size changed: page sizes follow it (a list reads its window again).
    fn set_height(&mut self, _layout: &Layout, _cx: &mut Cx) {}

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View);

    /// The row of the screen's main table at `p` (a click), if any.
    fn row_at(&self, _layout: &Layout, _p: Position) -> Option<usize> {
        None
    }

    /// A click on the `i`th visible row of the main table.
    fn click(&mut self, _i: usize, _cx: &mut Cx) {}

    /// The customer the selection is about, for screens that follow it (only the book's
    /// selection is followed: Health and the sessions' "this customer").
    fn selected_customer(&self) -> Option<String> {
        None
    }

    /// The book's selected customer changed while this screen is shown.
    fn customer_changed(&mut self, _cx: &mut Cx) {}

    /// Text pasted while this screen has the keyboard, on one line; true if a prompt of the
    /// screen's took it.
    fn paste(&mut self, _text: &str, _cx: &mut Cx) -> bool {
        false
    }

    /// A call was just logged (from any screen): a list of calls may select it.
    fn call_logged(&mut self, _call_id: &str, _cx: &mut Cx) {}

    /// A write this screen asked for was saved.
    fn written(&mut self, _after: &AfterWrite) {}

    /// Show `hit` (a search result) where it lives, if it lives on this screen: true if
    /// it does (the app then shows this screen).
    fn show(&mut self, _hit: &Hit, _cx: &mut Cx) -> bool {
        false
    }

    /// The stored row the selection is on, for `y` (its id) and `Y` (the whole row).
    fn selected_row(&self) -> Option<RowRef> {
        None
    }

    /// The list shown, as filtered and ordered, for the export keys; None where the screen
    /// is not a list of one table (the trends, the queue of several kinds of work).
    fn view(&self, _options: &Options) -> Option<crate::store::read::view::View> {
        None
    }

    /// Show table `table` (the palette's `:calls`), if this screen is the table browser:
    /// true if it is (the app then shows this screen).
    fn open_table(&mut self, _table: &str, _cx: &mut Cx) -> bool {
        false
    }

    /// For tests and accessors: the concrete screen.
    fn as_any(&self) -> &dyn Any;
}

/// A stored row: its table and the value of its key (`store::read::dump::key_column`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRef {
    pub table: String,
    /// What `y` copies: the row's id (its key column's value).
    pub key: String,
    /// How `Y` finds the row when the screen knows its rowid (the browser); None: by
    /// `key` in the table's key column.
    pub rowid: Option<i64>,
}

impl RowRef {
    pub fn new(table: impl Into<String>, key: impl Into<String>) -> RowRef {
        RowRef {
            table: table.into(),
            key: key.into(),
            rowid: None,
        }
    }
}

/// What the app does for a screen after it returns.
pub enum Effect {
    Say {
        text: String,
        error: bool,
    },
    OpenAccount(String),
    /// A form over everything; with `Some`, it edits a stored record, read first.
    Form(Box<Form>, Option<(Load, String)>),
    Picker(Picker),
    Ask(Confirm),
    Submit(Box<Write>, AfterWrite),
    /// A write was saved: the screens hear of it (`Screen::written`).
    Written(Box<AfterWrite>),
    /// Every view reads the database again (after a write, or a reload of theirs).
    Reload,
    /// A call was just logged: the log shows it selected.
    CallLogged(String),
    /// A search result, shown on the screen where it lives (`Screen::show`); the search
    /// closes.
    Show(Box<Hit>),
    /// The search closes.
    CloseSearch,
    /// What the command palette chose: the app runs it where it belongs.
    Command(crate::tui::palette::Command),
    /// The table browser shows this table (`:calls` in the command palette).
    Browse(String),
}

/// What a screen may use and ask for while it handles an action or an answer.
pub struct Cx<'a> {
    pub options: &'a Options,
    /// How text is drawn (a page's length depends on it).
    pub theme: &'a Theme,
    /// Each workspace's band thresholds, by id.
    pub thresholds: &'a HashMap<String, Thresholds>,
    pub layout: Layout,
    /// The customer selected in the book (the Customers tab).
    pub customer: Option<String>,
    outbox: &'a mut Outbox,
    next_form: &'a mut u64,
    effects: Vec<Effect>,
}

impl<'a> Cx<'a> {
    pub fn new(
        options: &'a Options,
        theme: &'a Theme,
        thresholds: &'a HashMap<String, Thresholds>,
        size: Rect,
        customer: Option<String>,
        outbox: &'a mut Outbox,
        next_form: &'a mut u64,
    ) -> Cx<'a> {
        Cx {
            options,
            theme,
            thresholds,
            layout: Layout::new(size),
            customer,
            outbox,
            next_form,
            effects: Vec::new(),
        }
    }

    pub fn send(&mut self, job: impl Into<Job>) {
        self.outbox.send(job.into());
    }

    pub fn is_waiting(&self, kind: impl Into<Kind>) -> bool {
        self.outbox.is_waiting(kind.into())
    }

    /// An answer of `kind` on its way must not land: it answers another question.
    pub fn forget(&mut self, kind: impl Into<Kind>) {
        self.outbox.forget(kind.into());
    }

    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    pub fn say(&mut self, text: impl Into<String>, error: bool) {
        self.effect(Effect::Say {
            text: text.into(),
            error,
        });
    }

    pub fn open_account(&mut self, customer_id: String) {
        self.effect(Effect::OpenAccount(customer_id));
    }

    /// A fresh id for a form (answers for a closed form are then told apart).
    pub fn form_id(&mut self) -> u64 {
        *self.next_form += 1;
        *self.next_form
    }

    /// The acting user, or None after saying how to become one: without `--user` the
    /// dashboard is read-only.
    pub fn acting_user(&mut self) -> Option<String> {
        if self.options.user_id.is_none() {
            self.say(READ_ONLY, true);
        }
        self.options.user_id.clone()
    }

    /// Log a call, with the customer filled in when there is one.
    pub fn open_call(&mut self, preset: Option<Preset>) {
        if self.acting_user().is_some() {
            let id = self.form_id();
            let form = kinds::new_call(id, preset, &self.options.clock);
            self.effect(Effect::Form(Box::new(form), None));
        }
    }

    pub fn open_meeting(&mut self, preset: Option<Preset>) {
        if self.acting_user().is_some() {
            let id = self.form_id();
            let form = kinds::new_meeting(id, preset.map(|(c, n, _)| (c, n)), &self.options.clock);
            self.effect(Effect::Form(Box::new(form), None));
        }
    }

    /// A form editing the stored record `id` (read first).
    pub fn edit(&mut self, make: impl FnOnce(u64) -> Form, load: Load, id: String) {
        if self.acting_user().is_some() {
            let fid = self.form_id();
            self.effect(Effect::Form(Box::new(make(fid)), Some((load, id))));
        }
    }

    pub fn edit_account(&mut self, customer_id: String, name: &str) {
        self.edit(
            |id| kinds::edit_account(id, name),
            Load::Customer,
            customer_id,
        );
    }
}

/// What the dashboard says when a change is attempted without `--user`.
pub const READ_ONLY: &str = "read-only: start cscx with --user EMAIL (or user = \"EMAIL\" in the config file) to make changes";

/// A customer to start a form with: id, name, workspace.
pub type Preset = (String, String, String);

/// What drawing needs besides the screen's own state.
pub struct View<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    /// Each workspace's band thresholds, by id.
    pub thresholds: &'a HashMap<String, Thresholds>,
    /// An answer has been awaited for a moment: say "loading".
    pub loading: bool,
}

/// The move in a list an action asks for, if it is one.
pub fn list_move(action: Action) -> Option<Move> {
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

/// A scroll offset moved by an action (views that scroll rather than select).
pub fn scroll(offset: &mut u16, action: Action) {
    match action {
        Action::Down => *offset = offset.saturating_add(1),
        Action::Up => *offset = offset.saturating_sub(1),
        Action::PageDown => *offset = offset.saturating_add(10),
        Action::PageUp => *offset = offset.saturating_sub(10),
        Action::Top => *offset = 0,
        _ => {}
    }
}
