//! The account 360: everything about one customer on one scrollable page — header, health
//! explanation, stakeholders, contracts and entitlements, recent calls and meetings,
//! insights, open approvals, deals. It opens over whatever tab is showing (`enter` on a
//! customer anywhere) and has its own edit menu.

mod jobs;
mod view;

use ratatui::buffer::Buffer;

pub use jobs::{Answer, Job, Kind, execute};

use crate::health::Explanation;
use crate::store::read::account::Account;
use crate::store::read::pickers::Candidate;
use crate::tui::action::Action;
use crate::tui::forms::picker::{Picker, Purpose, Source};
use crate::tui::keymap::Context;
use crate::tui::layout::Layout;
use crate::tui::screen::{Cx, Effect, RowRef, Screen, View};
use crate::tui::screens;
use crate::tui::scroll::scrolled;
use crate::tui::text::truncate;
use crate::tui::worker;

pub struct AccountScreen {
    customer_id: String,
    data: Option<(Account, Option<Explanation>)>,
    loaded: bool,
    scroll: u16,
}

impl AccountScreen {
    /// The page of `customer_id`, read from the database.
    pub fn open(customer_id: String, cx: &mut Cx) -> AccountScreen {
        cx.send(Job::Load {
            customer_id: customer_id.clone(),
        });
        AccountScreen {
            customer_id,
            data: None,
            loaded: false,
            scroll: 0,
        }
    }

    pub fn customer_id(&self) -> &str {
        &self.customer_id
    }

    /// The account and its explanation, once read (None also when it is gone).
    pub fn data(&self) -> Option<&(Account, Option<Explanation>)> {
        self.data.as_ref()
    }

    fn entry(&mut self, action: Action, cx: &mut Cx) {
        let Some(header) = self.data.as_ref().map(|(a, _)| a.header.clone()) else {
            return cx.say("the account is still loading", true);
        };
        let preset = (
            header.id.clone(),
            header.name.clone(),
            header.workspace_id.clone(),
        );
        match action {
            Action::New => cx.open_call(Some(preset)),
            Action::LogMeeting => cx.open_meeting(Some(preset)),
            Action::Edit => {
                if cx.acting_user().is_none() {
                    return;
                }
                let fixed = [
                    ("account", "The account", "stage, ARR, CSM, renewal"),
                    (
                        "stakeholder:new",
                        "New stakeholder",
                        "someone at the account",
                    ),
                    ("meeting", "Log a meeting", ""),
                    ("call", "Log a call", ""),
                ];
                let items = fixed
                    .iter()
                    .map(|(id, label, detail)| Candidate::fixed(id, label, detail))
                    .collect();
                let mut picker = Picker::new(
                    format!("Edit {}", truncate(&header.name, 40)),
                    Purpose::EditMenu {
                        customer_id: header.id.clone(),
                        customer: header.name.clone(),
                        workspace_id: header.workspace_id.clone(),
                    },
                    Source::Fixed,
                    items,
                );
                picker.loading = true;
                cx.effect(Effect::Picker(picker));
                cx.send(worker::Job::Targets {
                    customer_id: header.id,
                });
            }
            _ => {}
        }
    }
}

impl Screen for AccountScreen {
    fn title(&self) -> &'static str {
        "Account 360"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Account]
    }

    /// `Back` is the app's: it closes the page.
    fn update(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::Edit | Action::New | Action::LogMeeting => self.entry(action, cx),
            other => {
                let body = cx.layout.body;
                let max = self.max_scroll(body, cx.theme, cx.thresholds);
                if let Some(to) = scrolled(self.scroll, other, AccountScreen::page(body), max) {
                    self.scroll = to;
                }
            }
        }
    }

    fn apply(&mut self, answer: screens::Answer, _cx: &mut Cx) {
        let screens::Answer::Account(Answer::Loaded(found)) = answer else {
            return;
        };
        self.loaded = true;
        self.data = *found;
    }

    fn reload(&mut self, cx: &mut Cx) {
        // read again where the reader is: the same page, scrolled as it was
        let scroll = self.scroll;
        *self = AccountScreen::open(self.customer_id.clone(), cx);
        self.scroll = scroll;
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout.body, buf, view);
    }

    fn selected_row(&self) -> Option<RowRef> {
        Some(RowRef::new("customers", self.customer_id.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
