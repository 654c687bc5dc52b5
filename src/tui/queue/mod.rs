//! Today: the CSM's work queue. What is overdue or due today (tasks, playbook steps, deal
//! actions, urgent insight actions), who renews in the next 30/60/90 days with ARR and
//! health, how many agent approvals wait, and whose score fell since last week and why.
//! h/l move between the three panes; `v` looks ahead a week or a month; `x` completes, `z`/`Z` snooze, `o` reassigns, `a` adds
//! a task, `enter` opens the account, `n` logs a call.

mod jobs;
mod view;

use chrono::Duration;
use ratatui::buffer::Buffer;

pub use jobs::{Answer, Job, Kind, Queue, execute};

use crate::store::read::queue::Item;
use crate::store::tasks::Source;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::forms::kinds;
use crate::tui::forms::picker::{Picker, Purpose, Source as PickSource};
use crate::tui::keymap::Context;
use crate::tui::layout::Layout;
use crate::tui::overlays::AfterWrite;
use crate::tui::screen::{Cx, Effect, RowRef, Screen, View};
use crate::tui::screens;
use crate::tui::writes::{WorkOp, Write};

/// The three panes, in h/l order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Due,
    Renewals,
    Drops,
}

impl Pane {
    fn next(self) -> Pane {
        match self {
            Pane::Due => Pane::Renewals,
            Pane::Renewals => Pane::Drops,
            Pane::Drops => Pane::Due,
        }
    }

    fn prev(self) -> Pane {
        match self {
            Pane::Due => Pane::Drops,
            Pane::Renewals => Pane::Due,
            Pane::Drops => Pane::Renewals,
        }
    }
}

#[derive(Default)]
pub struct QueueScreen {
    mine: bool,
    /// How far ahead the due pane looks: today, the week, the month (`v` cycles).
    ahead: i64,
    queue: Option<Queue>,
    pane: Pane,
    /// The selected row of each pane.
    selected: [usize; 3],
}

impl QueueScreen {
    pub fn new(options: &Options) -> QueueScreen {
        QueueScreen {
            mine: options.csm_id.is_some(),
            ..QueueScreen::default()
        }
    }

    /// The queue as last read (None until it is).
    pub fn queue(&self) -> Option<&Queue> {
        self.queue.as_ref()
    }

    pub fn pane(&self) -> Pane {
        self.pane
    }

    fn load(&mut self, cx: &mut Cx) {
        cx.send(Job::Load {
            mine: self.mine,
            ahead: self.ahead,
        });
    }

    /// Days ahead the due pane looks.
    pub fn ahead(&self) -> i64 {
        self.ahead
    }

    fn rows(&self, pane: Pane) -> usize {
        self.queue.as_ref().map_or(0, |q| match pane {
            Pane::Due => q.due.len(),
            Pane::Renewals => q.renewals.len(),
            Pane::Drops => q.drops.len(),
        })
    }

    fn index(pane: Pane) -> usize {
        pane as usize
    }

    pub fn selected(&self, pane: Pane) -> usize {
        self.selected[Self::index(pane)]
    }

    /// The selected due item.
    pub fn selected_item(&self) -> Option<&Item> {
        self.queue.as_ref()?.due.get(self.selected(Pane::Due))
    }

    /// The customer of the selected row: id, name, workspace.
    fn selected_customer_of_pane(&self) -> Option<(String, String, String)> {
        let q = self.queue.as_ref()?;
        let i = self.selected(self.pane);
        match self.pane {
            Pane::Due => q.due.get(i).map(|r| {
                (
                    r.customer_id.clone(),
                    r.customer_name.clone(),
                    r.workspace_id.clone(),
                )
            }),
            Pane::Renewals => q.renewals.get(i).map(|r| {
                (
                    r.customer_id.clone(),
                    r.name.clone(),
                    r.workspace_id.clone(),
                )
            }),
            Pane::Drops => q.drops.get(i).map(|r| {
                (
                    r.customer_id.clone(),
                    r.name.clone(),
                    r.workspace_id.clone(),
                )
            }),
        }
    }

    fn step(&mut self, action: Action) {
        let n = self.rows(self.pane);
        let i = &mut self.selected[Self::index(self.pane)];
        *i = match action {
            Action::Down => (*i + 1).min(n.saturating_sub(1)),
            Action::Up => i.saturating_sub(1),
            Action::PageDown => (*i + 10).min(n.saturating_sub(1)),
            Action::PageUp => i.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => n.saturating_sub(1),
            _ => *i,
        };
    }

    /// What an item is called on the status line: `Send the QBR deck (Initech)`.
    fn what(item: &Item) -> String {
        format!("{} ({})", item.title, item.customer_name)
    }

    fn work(&mut self, action: Action, cx: &mut Cx) {
        if self.pane != Pane::Due {
            return cx.say(
                "tasks and actions are in the left pane (h moves to it)",
                true,
            );
        }
        let Some(item) = self.selected_item().cloned() else {
            return cx.say("nothing is due", true);
        };
        if cx.acting_user().is_none() {
            return;
        }
        let today = cx.options.clock.today();
        let op = match action {
            Action::Complete => WorkOp::Complete,
            Action::Snooze => WorkOp::Snooze(today + Duration::days(1)),
            Action::SnoozeWeek => WorkOp::Snooze(today + Duration::days(7)),
            Action::Reassign => {
                if item.source == Source::InsightAction {
                    return cx.say(
                        "an insight action belongs to the customer's CSM: it has no owner to change",
                        true,
                    );
                }
                let picker = Picker::new(
                    format!("Give \"{}\" to", item.title),
                    Purpose::Reassign {
                        source: item.source,
                        id: item.id.clone(),
                        what: Self::what(&item),
                    },
                    PickSource::Users,
                    Vec::new(),
                );
                cx.send(crate::tui::worker::Job::Pick {
                    source: PickSource::Users,
                    query: String::new(),
                });
                return cx.effect(Effect::Picker(picker));
            }
            _ => return,
        };
        if matches!(op, WorkOp::Snooze(_)) && item.source == Source::InsightAction {
            return cx.say(
                "an insight action has no date to snooze: complete it (x) or dismiss it in the 360",
                true,
            );
        }
        let what = Self::what(&item);
        cx.effect(Effect::Submit(
            Box::new(Write::Work {
                source: item.source,
                id: item.id,
                what,
                op,
            }),
            AfterWrite::Other(None),
        ));
    }
}

impl Screen for QueueScreen {
    fn title(&self) -> &'static str {
        "Today"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Queue]
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::ToggleView => {
                self.ahead = match self.ahead {
                    0 => 7,
                    7 => 30,
                    _ => 0,
                };
                self.selected[Self::index(Pane::Due)] = 0;
                self.load(cx);
            }
            Action::Right => self.pane = self.pane.next(),
            Action::Left => self.pane = self.pane.prev(),
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => self.step(action),
            Action::Complete | Action::Snooze | Action::SnoozeWeek | Action::Reassign => {
                self.work(action, cx)
            }
            Action::Open => {
                if let Some((id, _, _)) = self.selected_customer_of_pane() {
                    cx.open_account(id);
                }
            }
            Action::New => {
                if let Some(preset) = self.selected_customer_of_pane() {
                    cx.open_call(Some(preset));
                }
            }
            Action::AddTask => match self.selected_customer_of_pane() {
                Some((id, name, _)) => {
                    if cx.acting_user().is_some() {
                        let fid = cx.form_id();
                        cx.effect(Effect::Form(
                            Box::new(kinds::new_task(fid, (id, name))),
                            None,
                        ));
                    }
                }
                None => cx.say("select a row first: the task goes on its customer", true),
            },
            _ => {}
        }
    }

    fn apply(&mut self, answer: screens::Answer, _cx: &mut Cx) {
        let screens::Answer::Queue(Answer::Loaded(queue)) = answer else {
            return;
        };
        self.queue = Some(*queue);
        for pane in [Pane::Due, Pane::Renewals, Pane::Drops] {
            let n = self.rows(pane);
            let i = &mut self.selected[Self::index(pane)];
            *i = (*i).min(n.saturating_sub(1));
        }
    }

    fn enter(&mut self, cx: &mut Cx) {
        if self.queue.is_none() && !cx.is_waiting(Kind::Load) {
            self.load(cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        if self.queue.is_some() {
            self.load(cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view);
    }

    /// A work item is its own row (a task, a deal action, an insight action); a renewal or
    /// a score drop is the customer's.
    fn selected_row(&self) -> Option<RowRef> {
        match self.pane {
            Pane::Due => self
                .selected_item()
                .map(|item| RowRef::new(item.source.table(), item.id.clone())),
            _ => self
                .selected_customer_of_pane()
                .map(|(id, _, _)| RowRef::new("customers", id)),
        }
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
