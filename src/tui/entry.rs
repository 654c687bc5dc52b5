//! The overlays of keyboard data entry, as more of `App`: keys in forms, pickers and
//! questions, their writes sent to the worker, and the answers — the status line with the
//! health change, undo, conflicts. The screens open forms (through `screen::Effect`); from
//! then on they are the app's. State changes only; the worker does every read and write.

use crate::store::approvals::Decision;
use crate::store::read::pickers::Candidate;
use crate::store::read::records::{Target, TargetKind};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::forms::confirm::{Confirm, Question};
use crate::tui::forms::input::Input;
use crate::tui::forms::kinds::{self, Ctx, FormKind};
use crate::tui::forms::picker::{Picker, Purpose, Source};
use crate::tui::forms::{Form, Phase};
use crate::tui::screen::{Preset, READ_ONLY};
use crate::tui::sessions;
use crate::tui::worker::{Job, Kind, Load, Record};
use crate::tui::writes::{Failure, Saved, Write, health_text};

/// What to do when the write on the worker answers.
#[derive(Debug, Clone, PartialEq)]
pub enum AfterWrite {
    /// Close form `id`: it saved. `write` is kept for an overwrite after a conflict.
    Form { id: u64, write: Box<Write> },
    /// Approvals decided from the queue or a thread: clear the marks.
    Decided,
    /// A call deleted, or an edit undone (`Some`: put back on the undo stack if refused).
    Other(Option<crate::tui::writes::Undoable>),
}

impl App {
    fn say(&mut self, text: impl Into<String>, error: bool) {
        self.set_status(text, error);
    }

    /// The acting user, or None after saying how to become one.
    fn acting_user(&mut self) -> Option<String> {
        if self.options.user_id.is_none() {
            self.say(READ_ONLY, true);
        }
        self.options.user_id.clone()
    }

    /// A fresh id for a form (answers for a closed form are then told apart).
    fn form_id(&mut self) -> u64 {
        self.next_form += 1;
        self.next_form
    }

    /// Sends a write unless one is still on its way (they are quick; one at a time keeps the
    /// answers in order with the forms that asked).
    pub(super) fn submit(&mut self, write: Write, after: AfterWrite) -> bool {
        if self.is_waiting(Kind::Write) {
            self.say("still saving the previous change…", true);
            return false;
        }
        self.writing = Some(after);
        self.send(Job::Write(Box::new(write)));
        true
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            catalog: &self.catalog,
            clock: &self.options.clock,
            user_id: self.options.user_id.as_deref(),
            workspace_id: self.options.workspace_id.as_deref(),
        }
    }

    pub(super) fn push_loading(&mut self, mut form: Form, load: Load, id: String) {
        form.record_id = Some(id.clone());
        let fid = form.id;
        self.forms.push(form);
        self.send(Job::Record {
            form: fid,
            load,
            id,
        });
    }

    pub(crate) fn undo_last(&mut self) {
        if self.acting_user().is_none() {
            return;
        }
        if self.is_waiting(Kind::Write) {
            return self.say("still saving the previous change…", true);
        }
        let Some(edit) = self.undo.pop() else {
            return self.say("nothing to undo in this session", true);
        };
        let write = Write::Undo { edit: edit.clone() };
        self.submit(write, AfterWrite::Other(Some(edit)));
    }

    // ---- keys in a form, a picker, a question ------------------------------------------------

    pub(crate) fn update_form(&mut self, action: Action) {
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
        let clock = self.options.clock;
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
            Action::Save => self.save_form(),
            Action::FormNext | Action::FormPrev => {
                form.move_focus(action == Action::FormNext, &catalog, &clock);
                self.validate_rules();
            }
            Action::TextEnter if !multiline => {
                if last {
                    self.save_form();
                } else {
                    form.move_focus(true, &catalog, &clock);
                    self.validate_rules();
                }
            }
            Action::Pick => self.open_field_picker(None),
            Action::AddNew => self.open_new_reason(),
            Action::CycleNext | Action::CyclePrev => {
                if slot.input.cycle(action == Action::CycleNext) {
                    slot.error = None;
                    form.dirty = true;
                    kinds::status_changed(form, &clock);
                    self.validate_rules();
                }
            }
            Action::ClearValue => {
                if slot.input.clear() {
                    form.dirty = true;
                    self.validate_rules();
                }
            }
            Action::Input(c) if matches!(slot.input, Input::Reference { .. }) => {
                self.open_field_picker(Some(c));
            }
            Action::Input(c) if matches!(slot.input, Input::Choice { .. }) => {
                if slot.input.jump(c) {
                    form.dirty = true;
                    kinds::status_changed(form, &clock);
                    self.validate_rules();
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
    fn validate_rules(&mut self) {
        let ctx = self.ctx();
        let Some(form) = self.forms.last() else {
            return;
        };
        if let Some((table, row)) = kinds::rule_row(form, &ctx) {
            let id = form.id;
            self.send(Job::Validate {
                form: id,
                table,
                row,
            });
        }
    }

    fn save_form(&mut self) {
        if self.acting_user().is_none() {
            return;
        }
        let catalog = std::sync::Arc::clone(&self.catalog);
        let clock = self.options.clock;
        let (user_id, workspace_id) = (
            self.options.user_id.clone(),
            self.options.workspace_id.clone(),
        );
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
            Err(Some(message)) => self.say(message, true),
            Err(None) => {
                let reason = form
                    .focused()
                    .and_then(|s| s.message().map(|m| format!("{}: {m}", s.label)))
                    .unwrap_or_default();
                self.say(format!("not saved: {reason}"), true);
            }
        }
    }

    /// Opens the list for the focused field (a reference or a choice), with `typed` as the
    /// start of the search.
    fn open_field_picker(&mut self, typed: Option<char>) {
        let workspace = self.options.workspace_id.clone();
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
                None => return self.say("choose the customer first", true),
            },
            (_, "loss_reason_id") => match form.workspace_id.clone().or(workspace) {
                Some(w) => Source::LossReasons { workspace_id: w },
                None => return self.say("choose the customer first", true),
            },
            _ => return,
        };
        let query = typed.map(|c| c.to_string()).unwrap_or_default();
        let picker = Picker::new(title, purpose, source.clone(), Vec::new()).with_query(&query);
        self.picker = Some(picker);
        self.send(Job::Pick { source, query });
    }

    /// `+` on the loss reason: a small form over the call's for a new reason.
    fn open_new_reason(&mut self) {
        let workspace = self.options.workspace_id.clone();
        let Some(form) = self.forms.last() else {
            return;
        };
        if form.focused().map(|s| s.key.as_str()) != Some("loss_reason_id") {
            return;
        }
        let Some(ws) = form.workspace_id.clone().or(workspace) else {
            return self.say(
                "choose the customer first (a loss reason belongs to its workspace)",
                true,
            );
        };
        let id = self.form_id();
        self.forms.push(kinds::loss_reason(id, ws));
    }

    pub(crate) fn update_picker(&mut self, action: Action) {
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
                    self.chosen(purpose, c);
                }
            }
            other => {
                if picker.handle(other) {
                    self.picker_query_changed();
                }
            }
        }
    }

    /// The picker's search text changed: rank again, and ask the database again where it
    /// narrows the rows.
    pub(crate) fn picker_query_changed(&mut self) {
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
            self.send(job);
        }
    }

    fn chosen(&mut self, purpose: Purpose, c: Candidate) {
        match purpose {
            Purpose::Field { form, slot } => {
                let catalog = std::sync::Arc::clone(&self.catalog);
                let clock = self.options.clock;
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
                self.validate_rules();
            }
            Purpose::EditMenu {
                customer_id,
                customer,
                workspace_id,
            } => self.open_menu_entry(&c.id, (customer_id, customer, workspace_id)),
            Purpose::Decide { decision, all } => {
                let items = all
                    .into_iter()
                    .filter(|(id, _)| c.id == "*" || *id == c.id)
                    .collect();
                let action = match decision {
                    Decision::Approve => Action::Approve,
                    Decision::Reject => Action::Reject,
                };
                self.with_cx(|cx| sessions::decide(cx, action, items));
            }
        }
    }

    /// An entry of the account 360's edit menu: its id says what to open.
    fn open_menu_entry(&mut self, entry: &str, preset: Preset) {
        let customer_id = preset.0.clone();
        match entry.split_once(':') {
            None if entry == "account" => {
                self.with_cx(|cx| cx.edit_account(preset.0.clone(), &preset.1))
            }
            None if entry == "meeting" => self.with_cx(|cx| cx.open_meeting(Some(preset))),
            None if entry == "call" => self.with_cx(|cx| cx.open_call(Some(preset))),
            Some(("stakeholder", "new")) => {
                let id = self.form_id();
                self.forms
                    .push(kinds::new_stakeholder(id, customer_id, &preset.1));
            }
            Some(("stakeholder", sid)) => {
                let id = self.form_id();
                let form = kinds::edit_stakeholder(id, customer_id);
                self.push_loading(form, Load::Stakeholder, sid.to_owned());
            }
            Some(("insight", iid)) => {
                let id = self.form_id();
                self.push_loading(kinds::edit_insight(id), Load::Insight, iid.to_owned());
            }
            Some(("deal", did)) => {
                let id = self.form_id();
                self.push_loading(kinds::edit_deal(id), Load::Deal, did.to_owned());
            }
            _ => {}
        }
    }

    pub(crate) fn update_confirm(&mut self, action: Action) {
        let Some(confirm) = self.confirm.take() else {
            return;
        };
        match (confirm.question, action) {
            (Question::DeleteCall { id, label }, Action::Yes) => {
                self.submit(Write::DeleteCall { id, label }, AfterWrite::Other(None));
            }
            (Question::Discard, Action::Yes) => {
                self.forms.pop();
                self.say("changes discarded", false);
            }
            (Question::Approve { ids }, Action::Yes) => {
                self.submit(
                    Write::Decide {
                        ids,
                        decision: Decision::Approve,
                        comment: None,
                    },
                    AfterWrite::Decided,
                );
            }
            (Question::Conflict { .. }, Action::Reload) => self.reload_form(),
            (Question::Conflict { write, .. }, Action::Overwrite) => {
                let id = self.forms.last().map_or(0, |f| f.id);
                let write = kinds::forced(*write);
                if self.submit(
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
    fn reload_form(&mut self) {
        let Some(old) = self.forms.pop() else {
            return;
        };
        let Some(record_id) = old.record_id.clone() else {
            return;
        };
        let id = self.form_id();
        let (form, load) = match &old.kind {
            FormKind::Call { .. } => (kinds::edit_call(id, &self.options.clock), Load::Call),
            FormKind::Account { .. } => (kinds::edit_account(id, ""), Load::Customer),
            FormKind::Stakeholder { customer_id, .. } => (
                kinds::edit_stakeholder(id, customer_id.clone()),
                Load::Stakeholder,
            ),
            FormKind::Deal { .. } => (kinds::edit_deal(id), Load::Deal),
            FormKind::Insight { .. } => (kinds::edit_insight(id), Load::Insight),
            _ => return,
        };
        self.push_loading(form, load, record_id);
        // another process wrote: everything on screen may be stale, not only this record
        self.reload_views();
        self.say("reloaded what is stored; your edits were dropped", false);
    }

    // ---- answers ----------------------------------------------------------------------------

    pub(crate) fn apply_record(&mut self, form_id: u64, record: Record) {
        let catalog = std::sync::Arc::clone(&self.catalog);
        let clock = self.options.clock;
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

    pub(crate) fn apply_written(&mut self, result: Result<Saved, Failure>) {
        let after = self.writing.take();
        match result {
            Ok(saved) => {
                if let Some(after) = &after {
                    self.written(after);
                }
                let mut log_new_call = None;
                let mut text = saved.message.clone();
                let health = health_text(&saved.health);
                if !health.is_empty() {
                    text.push_str(" · ");
                    text.push_str(&health);
                }
                if let Some(u) = saved.undo {
                    self.undo.push(u);
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
                self.say(text, false);
                self.reload_views();
                if let Some(call) = log_new_call {
                    self.call_logged(&call);
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
                    Some(AfterWrite::Other(Some(edit))) => {
                        // the undo was refused: it stays undoable
                        self.undo.push(edit);
                        let text = match &failure.conflict {
                            Some(columns) => format!(
                                "cannot undo: changed since your edit ({columns}); nothing was undone"
                            ),
                            None => format!("cannot undo: {}", failure.message),
                        };
                        return self.say(text, true);
                    }
                    _ => {}
                }
                self.say(format!("not saved: {}", failure.message), true);
            }
        }
    }
}
