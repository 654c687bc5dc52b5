//! Journeys: the newest mined customer journey (`cscx mine`, docs/mining.md). The variants
//! by frequency with their mean cycle times (the happy path marked), the bottlenecks and
//! what goes with long journeys or churn, and where the current customer (the one selected
//! on Customers or open in the 360) stands on the happy path. `enter` opens that customer.
//!
//! Variants are read a page at a time (keyset by frequency): moving past the last row read
//! asks the worker for the next page.

mod jobs;
mod view;

use ratatui::buffer::Buffer;

pub use jobs::{Answer, Job, Kind, Loaded, PAGE, execute};

use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::keymap::Context;
use crate::tui::layout::Layout;
use crate::tui::screen::{Cx, Screen, View};
use crate::tui::screens;

#[derive(Default)]
pub struct JourneysScreen {
    loaded: Option<Loaded>,
    selected: usize,
    /// The customer whose journey was asked for.
    customer: Option<String>,
    /// Every variant has been read.
    at_end: bool,
}

impl JourneysScreen {
    pub fn new(_options: &Options) -> JourneysScreen {
        JourneysScreen::default()
    }

    /// What was read (None until it is).
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    fn load(&mut self, cx: &mut Cx) {
        self.customer = cx.customer.clone();
        cx.send(Job::Load {
            customer: self.customer.clone(),
        });
    }

    fn rows(&self) -> usize {
        self.loaded.as_ref().map_or(0, |l| l.variants.len())
    }

    fn step(&mut self, action: Action, cx: &mut Cx) {
        let n = self.rows();
        let last = n.saturating_sub(1);
        self.selected = match action {
            Action::Down => (self.selected + 1).min(last),
            Action::Up => self.selected.saturating_sub(1),
            Action::PageDown => (self.selected + 10).min(last),
            Action::PageUp => self.selected.saturating_sub(10),
            Action::Top => 0,
            Action::Bottom => last,
            _ => self.selected,
        };
        // at the last row read: the next page, if there is one
        if self.selected + 1 >= n && !self.at_end && !cx.is_waiting(Kind::More) {
            let Some(l) = &self.loaded else { return };
            let (Some(a), Some(v)) = (&l.analysis, l.variants.last()) else {
                return;
            };
            cx.send(Job::More {
                analysis: a.id.clone(),
                after: (v.frequency, v.variant_id.clone()),
            });
        }
    }
}

impl Screen for JourneysScreen {
    fn title(&self) -> &'static str {
        "Journeys"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Journeys]
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::Down
            | Action::Up
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom => self.step(action, cx),
            Action::Open => match self.loaded.as_ref().and_then(|l| l.journey.as_ref()) {
                Some(j) => cx.open_account(j.customer_id.clone()),
                None => cx.say(
                    "no customer's journey is shown: select one on Customers (tab 1) first",
                    true,
                ),
            },
            _ => {}
        }
    }

    fn apply(&mut self, answer: screens::Answer, _cx: &mut Cx) {
        let screens::Answer::Journeys(answer) = answer else {
            return;
        };
        match answer {
            Answer::Loaded(loaded) => {
                self.at_end = loaded.variants.len() < PAGE;
                self.loaded = Some(*loaded);
            }
            Answer::More(rows) => {
                self.at_end = rows.len() < PAGE;
                if let Some(l) = &mut self.loaded {
                    l.variants.extend(rows);
                }
            }
        }
        self.selected = self.selected.min(self.rows().saturating_sub(1));
    }

    fn enter(&mut self, cx: &mut Cx) {
        let stale = self.loaded.is_none() || self.customer != cx.customer;
        if stale && !cx.is_waiting(Kind::Load) {
            self.load(cx);
        }
    }

    fn customer_changed(&mut self, cx: &mut Cx) {
        if self.loaded.is_some() {
            self.load(cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        if self.loaded.is_some() {
            self.load(cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
