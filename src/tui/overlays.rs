//! What lies over the screens while data is entered: the open forms, a picker, a question,
//! and this session's undo. `App` holds one `Overlays` and gives it the keyboard while
//! anything is open; it answers through the same `Cx` the screens use (jobs to the worker,
//! `Effect`s for the app). The screens open forms (through `screen::Effect`); from then on
//! they are the overlays'. State changes only; the worker does every read and write.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::store::Catalog;
use crate::store::approvals::Decision;
use crate::store::read::pickers::Candidate;
use crate::store::read::records::{Target, TargetKind};
use crate::tui::action::Action;
use crate::tui::forms::confirm::{Confirm, Question};
use crate::tui::forms::input::Input;
use crate::tui::forms::kinds::{self, Ctx, FormKind};
use crate::tui::forms::picker::{Picker, Purpose, Source};
use crate::tui::forms::render;
use crate::tui::forms::{Form, Phase};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::paste;
use crate::tui::screen::{Cx, Effect, Preset};
use crate::tui::sessions;
use crate::tui::theme::Theme;
use crate::tui::worker::{Job, Kind, Load, Record};
use crate::tui::writes::{Failure, Saved, Undoable, WorkOp, Write, health_text};

/// What to do when the write on the worker answers.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterWrite {
    /// Close form `id`: it saved. `write` is kept for an overwrite after a conflict.
    Form { id: u64, write: Box<Write> },
    /// Approvals decided from the queue or a thread: clear the marks.
    Decided,
    /// A call deleted, or an edit undone (`Some`: put back on the undo stack if refused).
    Other(Option<crate::tui::writes::Undoable>),
    /// An undo taken back: put back on the redo stack if refused.
    Redo(crate::tui::writes::Undoable),
}

/// The forms, picker and question over the screens, and what `u` takes back.
#[derive(Default)]
pub struct Overlays {
    /// The schema, for checking form fields by their columns' rules.
    catalog: Arc<Catalog>,
    /// Open forms, the one on top has the keyboard (a new loss reason opens over a call).
    forms: Vec<Form>,
    /// A list to choose from, over the forms.
    picker: Option<Picker>,
    /// A question, over everything.
    confirm: Option<Confirm>,
    /// This session's edits, newest last: what `u` takes back.
    undo: Vec<Undoable>,
    /// What `u` took back this session, newest last: what `U` does again. A new edit empties
    /// it (redo after a new edit would apply changes to rows the edit has since moved on).
    redo: Vec<Undoable>,
    /// What to do when the write on the worker answers.
    writing: Option<AfterWrite>,
}

impl Overlays {
    pub fn set_catalog(&mut self, catalog: Arc<Catalog>) {
        self.catalog = catalog;
    }

    pub fn forms(&self) -> &[Form] {
        &self.forms
    }

    pub fn picker(&self) -> Option<&Picker> {
        self.picker.as_ref()
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// Something this session changed that `u` can take back.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Anything open, which then has the keyboard.
    pub fn is_open(&self) -> bool {
        self.confirm.is_some() || self.picker.is_some() || !self.forms.is_empty()
    }

    /// An open form holds changes that quitting would lose.
    pub fn unsaved(&self) -> bool {
        self.forms.iter().any(|f| f.dirty)
    }

    /// The contexts of the overlay on top, None when nothing is open.
    pub fn contexts(&self) -> Option<Vec<Context>> {
        if self.confirm.is_some() {
            return Some(vec![Context::Confirm]);
        }
        if self.picker.is_some() {
            return Some(vec![Context::Picker]);
        }
        let form = self.forms.last()?;
        let field = match form.focused().map(|s| &s.input) {
            Some(Input::Text(_)) => Context::FormText,
            Some(Input::Choice { .. }) => Context::FormChoice,
            _ => Context::FormReference,
        };
        Some(vec![field, Context::Form])
    }

    /// `+` would add a new row for the focused field (its hint is shown only then).
    pub fn can_add_new(&self) -> bool {
        self.forms.last().is_some_and(|f| {
            matches!(
                f.focused().map(|s| &s.input),
                Some(Input::Reference { can_add: true, .. })
            )
        })
    }

    /// A key's action, for the overlay on top: the question, else the picker, else the form.
    pub fn update(&mut self, action: Action, cx: &mut Cx) {
        if self.confirm.is_some() {
            self.update_confirm(cx, action)
        } else if self.picker.is_some() {
            self.update_picker(cx, action)
        } else if !self.forms.is_empty() {
            self.update_form(cx, action)
        }
    }

    /// Opens what a screen asked for.
    pub fn open_form(&mut self, form: Form) {
        self.forms.push(form);
    }

    pub fn open_picker(&mut self, picker: Picker) {
        self.picker = Some(picker);
    }

    pub fn ask(&mut self, confirm: Confirm) {
        self.confirm = Some(confirm);
    }

    /// A read or write of the overlays' failed (the error is on the status line).
    pub fn fail(&mut self, kind: Kind) {
        match kind {
            // the record is gone (or outside the workspace): close its form
            Kind::Record if self.forms.last().is_some_and(|f| f.phase == Phase::Loading) => {
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
    }

    /// A picker's rows arrived.
    pub fn candidates(&mut self, rows: Vec<Candidate>) {
        if let Some(p) = &mut self.picker {
            p.set_items(rows);
        }
    }

    /// Pasted text, into the picker's search or the focused text field. None: no overlay
    /// takes typing (the screen below may); Some(redraw) otherwise.
    pub fn paste(&mut self, text: &str, cx: &mut Cx) -> Option<bool> {
        if self.confirm.is_some() {
            return Some(false);
        }
        if let Some(picker) = &mut self.picker {
            let before = picker.query.text.clone();
            picker.query.insert_str(&paste::one_line(text));
            if picker.query.text == before {
                return Some(false);
            }
            self.picker_query_changed(cx);
            return Some(true);
        }
        let form = self.forms.last_mut()?;
        if form.phase != Phase::Editing {
            return Some(false);
        }
        let Some(slot) = form.focused_mut() else {
            return Some(false);
        };
        let Input::Text(t) = &mut slot.input else {
            // a choice or a reference is chosen, not typed
            return Some(false);
        };
        let text = if t.multiline {
            paste::lines_kept(text)
        } else {
            paste::one_line(text)
        };
        if text.is_empty() {
            return Some(false);
        }
        t.insert_str(&text);
        slot.error = None;
        slot.rule = None;
        form.dirty = true;
        Some(true)
    }

    /// Draws the forms, then the picker, then the question, over `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, keymap: &Keymap) {
        for form in &self.forms {
            render::form(form, area, buf, theme, keymap);
        }
        if let Some(p) = &self.picker {
            render::picker(p, area, buf, theme);
        }
        if let Some(c) = &self.confirm {
            render::confirm(c, area, buf, theme, keymap);
        }
    }
}

impl Overlays {
    /// Sends a write unless one is still on its way (they are quick; one at a time keeps the
    /// answers in order with the forms that asked).
    pub(super) fn submit(&mut self, cx: &mut Cx, write: Write, after: AfterWrite) -> bool {
        if cx.is_waiting(Kind::Write) {
            cx.say("still saving the previous change…", true);
            return false;
        }
        self.writing = Some(after);
        cx.send(Job::Write(Box::new(write)));
        true
    }

    fn ctx<'c>(&'c self, cx: &'c Cx) -> Ctx<'c> {
        Ctx {
            catalog: &self.catalog,
            clock: &cx.options.clock,
            user_id: cx.options.user_id.as_deref(),
            workspace_id: cx.options.workspace_id.as_deref(),
        }
    }

    pub(super) fn push_loading(&mut self, cx: &mut Cx, mut form: Form, load: Load, id: String) {
        form.record_id = Some(id.clone());
        let fid = form.id;
        self.forms.push(form);
        cx.send(Job::Record {
            form: fid,
            load,
            id,
        });
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    pub(crate) fn redo_last(&mut self, cx: &mut Cx) {
        if cx.acting_user().is_none() {
            return;
        }
        if cx.is_waiting(Kind::Write) {
            return cx.say("still saving the previous change…", true);
        }
        let Some(edit) = self.redo.pop() else {
            return cx.say(
                "nothing to redo: u takes an edit back, U does it again",
                true,
            );
        };
        let write = Write::Redo { edit: edit.clone() };
        self.submit(cx, write, AfterWrite::Redo(edit));
    }

    pub(crate) fn undo_last(&mut self, cx: &mut Cx) {
        if cx.acting_user().is_none() {
            return;
        }
        if cx.is_waiting(Kind::Write) {
            return cx.say("still saving the previous change…", true);
        }
        let Some(edit) = self.undo.pop() else {
            return cx.say("nothing to undo in this session", true);
        };
        let write = Write::Undo { edit: edit.clone() };
        self.submit(cx, write, AfterWrite::Other(Some(edit)));
    }

    // ---- keys in a form, a picker, a question ------------------------------------------------

    pub(crate) fn update_form(&mut self, cx: &mut Cx, action: Action) {
        let Some(form) = self.forms.last_mut() else {
            return;
        };
        match form.phase {
            Phase::Loading if action == Action::Cancel => {
                self.forms.pop();
                return;
            }
            Phase::Loading | Phase::Saving => return,
            Phase::Editing => {}
        }
        let catalog = std::sync::Arc::clone(&self.catalog);
        let clock = cx.options.clock;
        let last = form.focus + 1 == form.slots.len();
        let Some(slot) = form.focused_mut() else {
            return;
        };
        let multiline = matches!(&slot.input, Input::Text(t) if t.multiline);
        match action {
            Action::Cancel => {
                if form.dirty {
                    self.confirm = Some(Confirm::new(
                        "Discard your changes?".into(),
                        Question::Discard,
                    ));
                } else {
                    self.forms.pop();
                }
            }
            Action::Save => self.save_form(cx),
            Action::FormNext | Action::FormPrev => {
                form.move_focus(action == Action::FormNext, &catalog, &clock);
                self.validate_rules(cx);
            }
            Action::TextEnter if !multiline => {
                if last {
                    self.save_form(cx);
                } else {
                    form.move_focus(true, &catalog, &clock);
                    self.validate_rules(cx);
                }
            }
            Action::Pick => self.open_field_picker(cx, None),
            Action::AddNew => self.open_new_reason(cx),
            Action::CycleNext | Action::CyclePrev => {
                if slot.input.cycle(action == Action::CycleNext) {
                    slot.error = None;
                    form.dirty = true;
                    kinds::status_changed(form, &clock);
                    self.validate_rules(cx);
                }
            }
            Action::ClearValue => {
                if slot.input.clear() {
                    form.dirty = true;
                    self.validate_rules(cx);
                }
            }
            Action::Input(c) if matches!(slot.input, Input::Reference { .. }) => {
                self.open_field_picker(cx, Some(c));
            }
            Action::Input(c) if matches!(slot.input, Input::Choice { .. }) => {
                if slot.input.jump(c) {
                    form.dirty = true;
                    kinds::status_changed(form, &clock);
                    self.validate_rules(cx);
                }
            }
            other => {
                let edit = if other == Action::TextEnter {
                    Action::Input('\n')
                } else {
                    other
                };
                if let Input::Text(t) = &mut slot.input {
                    let before = t.text.clone();
                    t.edit(edit);
                    if t.text != before {
                        slot.error = None;
                        slot.rule = None;
                        form.dirty = true;
                    }
                }
            }
        }
    }

    /// Asks the worker to check the cross-field rules of the form on top.
    fn validate_rules(&mut self, cx: &mut Cx) {
        let ctx = self.ctx(cx);
        let Some(form) = self.forms.last() else {
            return;
        };
        if let Some((table, row)) = kinds::rule_row(form, &ctx) {
            let id = form.id;
            cx.send(Job::Validate {
                form: id,
                table,
                row,
            });
        }
    }

    fn save_form(&mut self, cx: &mut Cx) {
        if cx.acting_user().is_none() {
            return;
        }
        let catalog = std::sync::Arc::clone(&self.catalog);
        let clock = cx.options.clock;
        let (user_id, workspace_id) = (cx.options.user_id.clone(), cx.options.workspace_id.clone());
        let Some(form) = self.forms.last_mut() else {
            return;
        };
        let ctx = Ctx {
            catalog: &catalog,
            clock: &clock,
            user_id: user_id.as_deref(),
            workspace_id: workspace_id.as_deref(),
        };
        match kinds::to_write(form, &ctx) {
            Ok(write) => {
                let id = form.id;
                if self.submit(
                    cx,
                    write.clone(),
                    AfterWrite::Form {
                        id,
                        write: Box::new(write),
                    },
                ) && let Some(form) = self.forms.last_mut()
                {
                    form.phase = Phase::Saving;
                }
            }
            Err(Some(message)) => cx.say(message, true),
            Err(None) => {
                let reason = form
                    .focused()
                    .and_then(|s| s.message().map(|m| format!("{}: {m}", s.label)))
                    .unwrap_or_default();
                cx.say(format!("not saved: {reason}"), true);
            }
        }
    }

    /// Opens the list for the focused field (a reference or a choice), with `typed` as the
    /// start of the search.
    fn open_field_picker(&mut self, cx: &mut Cx, typed: Option<char>) {
        let workspace = cx.options.workspace_id.clone();
        let Some(form) = self.forms.last() else {
            return;
        };
        let Some(slot) = form.focused() else {
            return;
        };
        let purpose = Purpose::Field {
            form: form.id,
            slot: form.focus,
        };
        let title = format!("{} — type to search", slot.label);
        let source = match (&slot.input, slot.key.as_str()) {
            (Input::Choice { options, .. }, _) => {
                let items = options
                    .iter()
                    .map(|o| Candidate::fixed(o, &o.replace('_', " "), ""))
                    .collect();
                let mut p = Picker::new(title, purpose, Source::Fixed, items);
                match typed {
                    Some(c) => p = p.with_query(&c.to_string()),
                    None => p = p.selecting(slot.input.choice_text()),
                }
                self.picker = Some(p);
                return;
            }
            (_, "customer_id") => Source::Customers,
            (_, "csm_id") => Source::Users,
            (_, "stakeholder_id") => match form.slot("customer_id").and_then(|s| s.id()) {
                Some(c) => Source::Stakeholders {
                    customer_id: c.to_owned(),
                },
                None => return cx.say("choose the customer first", true),
            },
            (_, "loss_reason_id") => match form.workspace_id.clone().or(workspace) {
                Some(w) => Source::LossReasons { workspace_id: w },
                None => return cx.say("choose the customer first", true),
            },
            _ => return,
        };
        let query = typed.map(|c| c.to_string()).unwrap_or_default();
        let picker = Picker::new(title, purpose, source.clone(), Vec::new()).with_query(&query);
        self.picker = Some(picker);
        cx.send(Job::Pick { source, query });
    }

    /// `+` on the loss reason: a small form over the call's for a new reason.
    fn open_new_reason(&mut self, cx: &mut Cx) {
        let workspace = cx.options.workspace_id.clone();
        let Some(form) = self.forms.last() else {
            return;
        };
        if form.focused().map(|s| s.key.as_str()) != Some("loss_reason_id") {
            return;
        }
        let Some(ws) = form.workspace_id.clone().or(workspace) else {
            return cx.say(
                "choose the customer first (a loss reason belongs to its workspace)",
                true,
            );
        };
        let id = cx.form_id();
        self.forms.push(kinds::loss_reason(id, ws));
    }

    pub(crate) fn update_picker(&mut self, cx: &mut Cx, action: Action) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        match action {
            Action::Cancel => self.picker = None,
            Action::PickChoose => {
                let chosen = picker.chosen().cloned();
                let purpose = picker.purpose.clone();
                self.picker = None;
                if let Some(c) = chosen {
                    self.chosen(cx, purpose, c);
                }
            }
            other => {
                if picker.handle(other) {
                    self.picker_query_changed(cx);
                }
            }
        }
    }

    /// The picker's search text changed: rank again, and ask the database again where it
    /// narrows the rows.
    pub(crate) fn picker_query_changed(&mut self, cx: &mut Cx) {
        let Some(picker) = &mut self.picker else {
            return;
        };
        picker.selected = 0;
        picker.rank();
        if picker.asks_again() {
            picker.loading = true;
            let job = Job::Pick {
                source: picker.source.clone(),
                query: picker.query.text.clone(),
            };
            cx.send(job);
        }
    }

    fn chosen(&mut self, cx: &mut Cx, purpose: Purpose, c: Candidate) {
        match purpose {
            Purpose::Palette(entries) => {
                if let Some(e) = c.id.parse::<usize>().ok().and_then(|i| entries.get(i)) {
                    cx.effect(Effect::Command(e.command.clone()));
                }
            }
            Purpose::Field { form, slot } => {
                let catalog = std::sync::Arc::clone(&self.catalog);
                let clock = cx.options.clock;
                let Some(f) = self.forms.iter_mut().find(|f| f.id == form) else {
                    return;
                };
                let Some(s) = f.slots.get_mut(slot) else {
                    return;
                };
                let previous = s.id().map(str::to_owned);
                match &mut s.input {
                    Input::Choice { options, index, .. } => {
                        *index = options.iter().position(|o| *o == c.id);
                    }
                    Input::Reference { id, label, .. } => {
                        *id = Some(c.id.clone());
                        *label = c.label.clone();
                    }
                    Input::Text(_) => {}
                }
                s.error = None;
                f.dirty = true;
                let key = s.key.clone();
                if key == "status" {
                    kinds::status_changed(f, &clock);
                }
                if key == "customer_id" {
                    if c.workspace_id.is_some() {
                        f.workspace_id = c.workspace_id.clone();
                    }
                    if previous.as_deref() != Some(c.id.as_str()) {
                        // the stakeholder was someone at the previous customer
                        if let Some(st) = f.slot_mut("stakeholder_id") {
                            st.input.clear();
                        }
                    }
                }
                if key == "stakeholder_id" {
                    // the call was with this person: their name, email and phone
                    for (k, v) in [
                        ("prospect_name", Some(c.label.clone())),
                        ("prospect_email", c.email.clone()),
                        ("prospect_phone", c.phone.clone()),
                    ] {
                        if let (Some(slot), Some(v)) = (f.slot_mut(k), v)
                            && let Input::Text(t) = &mut slot.input
                            && (t.text.trim().is_empty() || k == "prospect_name")
                        {
                            *t = crate::tui::forms::input::TextInput::new(&v, false);
                            slot.error = None;
                        }
                    }
                }
                f.move_focus(true, &catalog, &clock);
                self.validate_rules(cx);
            }
            Purpose::EditMenu {
                customer_id,
                customer,
                workspace_id,
            } => self.open_menu_entry(cx, &c.id, (customer_id, customer, workspace_id)),
            Purpose::Decide { decision, all } => {
                let items = all
                    .into_iter()
                    .filter(|(id, _)| c.id == "*" || *id == c.id)
                    .collect();
                let action = match decision {
                    Decision::Approve => Action::Approve,
                    Decision::Reject => Action::Reject,
                };
                sessions::decide(cx, action, items);
            }
            Purpose::Reassign { source, id, what } => {
                let write = Write::Work {
                    source,
                    id,
                    what,
                    op: WorkOp::Reassign(c.id, c.label),
                };
                self.submit(cx, write, AfterWrite::Other(None));
            }
        }
    }

    /// An entry of the account 360's edit menu: its id says what to open.
    fn open_menu_entry(&mut self, cx: &mut Cx, entry: &str, preset: Preset) {
        let customer_id = preset.0.clone();
        match entry.split_once(':') {
            None if entry == "account" => cx.edit_account(preset.0.clone(), &preset.1),
            None if entry == "meeting" => cx.open_meeting(Some(preset)),
            None if entry == "call" => cx.open_call(Some(preset)),
            Some(("stakeholder", "new")) => {
                let id = cx.form_id();
                self.forms
                    .push(kinds::new_stakeholder(id, customer_id, &preset.1));
            }
            Some(("stakeholder", sid)) => {
                let id = cx.form_id();
                let form = kinds::edit_stakeholder(id, customer_id);
                self.push_loading(cx, form, Load::Stakeholder, sid.to_owned());
            }
            Some(("insight", iid)) => {
                let id = cx.form_id();
                self.push_loading(cx, kinds::edit_insight(id), Load::Insight, iid.to_owned());
            }
            Some(("deal", did)) => {
                let id = cx.form_id();
                self.push_loading(cx, kinds::edit_deal(id), Load::Deal, did.to_owned());
            }
            _ => {}
        }
    }

    pub(crate) fn update_confirm(&mut self, cx: &mut Cx, action: Action) {
        let Some(confirm) = self.confirm.take() else {
            return;
        };
        match (confirm.question, action) {
            (Question::DeleteCall { id, label }, Action::Yes) => {
                self.submit(cx, Write::DeleteCall { id, label }, AfterWrite::Other(None));
            }
            (Question::Discard, Action::Yes) => {
                self.forms.pop();
                cx.say("changes discarded", false);
            }
            (Question::Approve { ids }, Action::Yes) => {
                self.submit(
                    cx,
                    Write::Decide {
                        ids,
                        decision: Decision::Approve,
                        comment: None,
                    },
                    AfterWrite::Decided,
                );
            }
            (Question::Conflict { .. }, Action::Reload) => self.reload_form(cx),
            (Question::Conflict { write, .. }, Action::Overwrite) => {
                let id = self.forms.last().map_or(0, |f| f.id);
                let write = kinds::forced(*write);
                if self.submit(
                    cx,
                    write.clone(),
                    AfterWrite::Form {
                        id,
                        write: Box::new(write),
                    },
                ) && let Some(f) = self.forms.last_mut()
                {
                    f.phase = Phase::Saving;
                }
            }
            (Question::Conflict { write, columns }, Action::Yes) => {
                // not an answer to this question: ask again
                self.confirm = Some(Confirm::new(
                    confirm.text,
                    Question::Conflict { write, columns },
                ));
            }
            (_, Action::No) => {}
            (question, _) => self.confirm = Some(Confirm::new(confirm.text, question)),
        }
    }

    /// After a conflict, by choice: the form again, filled with what is stored now.
    fn reload_form(&mut self, cx: &mut Cx) {
        let Some(old) = self.forms.pop() else {
            return;
        };
        let Some(record_id) = old.record_id.clone() else {
            return;
        };
        let id = cx.form_id();
        let (form, load) = match &old.kind {
            FormKind::Call { .. } => (kinds::edit_call(id, &cx.options.clock), Load::Call),
            FormKind::Account { .. } => (kinds::edit_account(id, ""), Load::Customer),
            FormKind::Stakeholder { customer_id, .. } => (
                kinds::edit_stakeholder(id, customer_id.clone()),
                Load::Stakeholder,
            ),
            FormKind::Deal { .. } => (kinds::edit_deal(id), Load::Deal),
            FormKind::Insight { .. } => (kinds::edit_insight(id), Load::Insight),
            _ => return,
        };
        self.push_loading(cx, form, load, record_id);
        // another process wrote: everything on screen may be stale, not only this record
        cx.effect(Effect::Reload);
        cx.say("reloaded what is stored; your edits were dropped", false);
    }

    // ---- answers ----------------------------------------------------------------------------

    pub(crate) fn apply_record(&mut self, cx: &Cx, form_id: u64, record: Record) {
        let catalog = std::sync::Arc::clone(&self.catalog);
        let clock = cx.options.clock;
        let Some(form) = self.forms.iter_mut().find(|f| f.id == form_id) else {
            return;
        };
        match record {
            Record::Call(r) => kinds::fill_call(form, r, &catalog, &clock),
            Record::Customer(r) => kinds::fill_account(form, r, &catalog, &clock),
            Record::Stakeholder(s) => kinds::fill_stakeholder(form, s, &catalog, &clock),
            Record::Deal(d) => kinds::fill_deal(form, d, &catalog, &clock),
            Record::Insight(i) => kinds::fill_insight(form, i, &catalog, &clock),
        }
    }

    pub(crate) fn apply_targets(&mut self, customer_id: &str, targets: Vec<Target>) {
        let Some(p) = &mut self.picker else {
            return;
        };
        if !matches!(&p.purpose, Purpose::EditMenu { customer_id: c, .. } if c == customer_id) {
            return;
        }
        let mut items = std::mem::take(&mut p.items);
        items.extend(targets.into_iter().map(|t| {
            let (prefix, kind) = match t.kind {
                TargetKind::Stakeholder => ("Stakeholder", "stakeholder"),
                TargetKind::Insight => ("Insight", "insight"),
                TargetKind::Deal => ("Deal", "deal"),
            };
            Candidate::fixed(
                &format!("{kind}:{}", t.id),
                &format!("{prefix}: {}", t.label),
                &t.detail,
            )
        }));
        p.set_items(items);
    }

    pub(crate) fn apply_validated(
        &mut self,
        form_id: u64,
        error: Option<(String, String, String)>,
    ) {
        let Some(form) = self.forms.iter_mut().find(|f| f.id == form_id) else {
            return;
        };
        form.clear_rules();
        if let Some((table, column, reason)) = error {
            form.place_error(&table, &column, &reason, true);
        }
    }

    pub(crate) fn apply_written(&mut self, cx: &mut Cx, result: Result<Saved, Failure>) {
        let after = self.writing.take();
        match result {
            Ok(saved) => {
                if let Some(after) = &after {
                    cx.effect(Effect::Written(Box::new(after.clone())));
                }
                let mut log_new_call = None;
                let mut text = saved.message.clone();
                let health = health_text(&saved.health);
                if !health.is_empty() {
                    text.push_str(" · ");
                    text.push_str(&health);
                }
                if let Some(u) = saved.undo {
                    if !matches!(after, Some(AfterWrite::Redo(_))) {
                        self.redo.clear();
                    }
                    self.undo.push(u);
                }
                if let Some(r) = saved.redo {
                    self.redo.push(r);
                }
                if let Some(AfterWrite::Form { id, .. }) = after {
                    let closed = self
                        .forms
                        .iter()
                        .position(|f| f.id == id)
                        .map(|i| self.forms.remove(i));
                    if let (
                        Some(Form {
                            kind: FormKind::Call { base: None },
                            ..
                        }),
                        Some((call, _)),
                    ) = (&closed, &saved.created)
                    {
                        log_new_call = Some(call.clone());
                    }
                    // a new loss reason is chosen in the call form it was added from
                    if let (
                        Some(Form {
                            kind: FormKind::LossReason,
                            ..
                        }),
                        Some((rid, name)),
                    ) = (closed, saved.created)
                        && let Some(parent) = self.forms.last_mut()
                        && let Some(slot) = parent.slot_mut("loss_reason_id")
                    {
                        slot.input = Input::reference(Some(rid), Some(name), true);
                        slot.error = None;
                        slot.rule = None;
                        parent.dirty = true;
                    }
                }
                cx.say(text, false);
                cx.effect(Effect::Reload);
                if let Some(call) = log_new_call {
                    cx.effect(Effect::CallLogged(call));
                }
            }
            Err(failure) => {
                match after {
                    Some(AfterWrite::Form { id, write }) => {
                        let title = self
                            .forms
                            .iter()
                            .find(|f| f.id == id)
                            .map(|f| f.title.clone())
                            .unwrap_or_default();
                        if let Some(form) = self.forms.iter_mut().find(|f| f.id == id) {
                            form.phase = Phase::Editing;
                            if let Some((table, column, reason)) = &failure.field {
                                form.place_error(table, column, reason, false);
                            }
                        }
                        if let Some(columns) = failure.conflict.clone() {
                            self.confirm = Some(Confirm::new(
                                format!(
                                    "{title}: {} since you opened it. Reload what is stored, or overwrite it with your version?",
                                    failure.message
                                ),
                                Question::Conflict { write, columns },
                            ));
                        }
                    }
                    Some(AfterWrite::Redo(edit)) => {
                        self.redo.push(edit);
                        return cx.say(format!("cannot redo: {}", failure.message), true);
                    }
                    Some(AfterWrite::Other(Some(edit))) => {
                        // the undo was refused: it stays undoable
                        self.undo.push(edit);
                        let text = match &failure.conflict {
                            Some(columns) => format!(
                                "cannot undo: changed since your edit ({columns}); nothing was undone"
                            ),
                            None => format!("cannot undo: {}", failure.message),
                        };
                        return cx.say(text, true);
                    }
                    _ => {}
                }
                cx.say(format!("not saved: {}", failure.message), true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::tui::app::Options;
    use crate::tui::clock::Clock;
    use crate::tui::outbox::Outbox;

    /// Runs `f` with a `Cx` over fresh parts; returns what it asked of the worker and the app.
    fn with_cx(options: &Options, f: impl FnOnce(&mut Cx)) -> (Vec<Job>, Vec<Effect>) {
        let (theme, thresholds) = (Theme::choose(false, true), HashMap::new());
        let (mut outbox, mut next_form) = (Outbox::default(), 0);
        let mut cx = Cx::new(
            options,
            &theme,
            &thresholds,
            Rect::new(0, 0, 120, 40),
            None,
            &mut outbox,
            &mut next_form,
        );
        f(&mut cx);
        let effects = cx.take_effects();
        let jobs = outbox.take().into_iter().map(|r| r.job).collect();
        (jobs, effects)
    }

    fn acting() -> Options {
        Options {
            user_id: Some("u1".into()),
            clock: Clock::Local,
            ..Options::default()
        }
    }

    #[test]
    fn the_question_is_over_the_picker_and_the_picker_over_the_form() {
        let mut o = Overlays::default();
        assert!(!o.is_open());
        assert_eq!(o.contexts(), None);
        o.open_form(kinds::loss_reason(1, "w1".into()));
        assert_eq!(o.contexts(), Some(vec![Context::FormText, Context::Form]));
        o.open_picker(Picker::new(
            "t".into(),
            Purpose::Field { form: 1, slot: 0 },
            Source::Fixed,
            vec![],
        ));
        assert_eq!(o.contexts(), Some(vec![Context::Picker]));
        o.ask(Confirm::new("Discard?".into(), Question::Discard));
        assert_eq!(o.contexts(), Some(vec![Context::Confirm]));
        // yes to "discard" closes the form under the question, and the picker stays
        let (_, effects) = with_cx(&acting(), |cx| o.update(Action::Yes, cx));
        assert!(o.forms().is_empty());
        assert!(o.picker().is_some());
        assert!(matches!(&effects[..], [Effect::Say { error: false, .. }]));
    }

    #[test]
    fn a_paste_goes_into_the_focused_text_field_and_marks_the_form_changed() {
        let mut o = Overlays::default();
        let (_, _) = with_cx(&acting(), |cx| assert_eq!(o.paste("x", cx), None));
        o.open_form(kinds::loss_reason(1, "w1".into()));
        let (_, _) = with_cx(&acting(), |cx| {
            assert_eq!(o.paste("Too\nexpensive", cx), Some(true));
        });
        assert!(o.unsaved());
        let text = match &o.forms()[0].focused().map(|s| &s.input) {
            Some(Input::Text(t)) => t.text.clone(),
            other => panic!("a text field, not {other:?}"),
        };
        assert_eq!(
            text, "Too expensive",
            "one line: the newline became a space"
        );
    }

    #[test]
    fn without_a_user_nothing_is_undone_or_sent() {
        let mut o = Overlays::default();
        let (jobs, effects) = with_cx(&Options::default(), |cx| o.undo_last(cx));
        assert!(jobs.is_empty());
        assert!(matches!(&effects[..], [Effect::Say { error: true, .. }]));
    }
}
