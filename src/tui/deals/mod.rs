//! Deals: the pipeline by stage with counts and amounts; the deals of the chosen stage
//! (h/l moves between stages) by close date; the selected deal's notes and actions.

mod jobs;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, execute};
pub use view::deal_name;

use crate::store::enums::DealStage;
use crate::store::read::deals::{DealDetail, DealRow, StageTotal};
use crate::store::read::view::View as ReadView;
use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::clock::Clock;
use crate::tui::forms::kinds;
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::paged::{Move, Paged};
use crate::tui::screen::{Cx, RowRef, Screen, View, list_move};
use crate::tui::screens;
use crate::tui::worker::Load;

#[derive(Default)]
pub struct DealsScreen {
    pipeline: Option<Vec<StageTotal>>,
    stage_index: usize,
    list: Paged<DealRow>,
    detail: Option<(String, DealDetail)>,
    /// What "today" is, for flagging overdue actions (fixed in tests).
    clock: Clock,
}

impl DealsScreen {
    pub fn new(options: &Options) -> DealsScreen {
        DealsScreen {
            clock: options.clock,
            ..DealsScreen::default()
        }
    }

    pub fn stage(&self) -> DealStage {
        DealStage::ALL[self.stage_index.min(DealStage::ALL.len() - 1)]
    }

    pub fn list(&self) -> &Paged<DealRow> {
        &self.list
    }

    pub fn pipeline(&self) -> Option<&[StageTotal]> {
        self.pipeline.as_deref()
    }

    /// The selected deal's id and detail, once read.
    pub fn detail(&self) -> Option<&(String, DealDetail)> {
        self.detail.as_ref()
    }

    /// Deals in the chosen stage, once the pipeline is read.
    fn stage_count(&self) -> Option<i64> {
        self.pipeline
            .as_ref()
            .and_then(|p| p.iter().find(|t| t.stage == self.stage()))
            .map(|t| t.count)
    }

    fn move_stage(&mut self, step: isize) {
        let n = DealStage::ALL.len() as isize;
        self.stage_index = ((self.stage_index as isize + step).rem_euclid(n)) as usize;
    }

    fn go(&mut self, m: Move, cx: &mut Cx) {
        if let Some(m) = self.list.step(m)
            && let Some((anchor, limit)) = self.list.request(m)
        {
            let stage = self.stage();
            cx.send(Job::Page {
                stage,
                anchor,
                limit,
            });
        }
        self.load_detail(cx);
    }

    fn load_detail(&mut self, cx: &mut Cx) {
        if let Some(id) = self.list.selected_row().map(|d| d.id.clone())
            && self.detail.as_ref().map(|(d, _)| d) != Some(&id)
        {
            cx.send(Job::Detail { deal_id: id });
        }
    }
}

impl Screen for DealsScreen {
    fn title(&self) -> &'static str {
        "Deals"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Deals]
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        if let Some(m) = list_move(action) {
            return self.go(m, cx);
        }
        let step: isize = match action {
            Action::Edit => {
                return match self.list.selected_row() {
                    Some(row) => cx.edit(kinds::edit_deal, Load::Deal, row.id.clone()),
                    None => cx.say("no deal selected", true),
                };
            }
            Action::Left => -1,
            Action::Right => 1,
            Action::Open => {
                if let Some(id) = self.list.selected_row().map(|d| d.customer_id.clone()) {
                    cx.open_account(id);
                }
                return;
            }
            _ => return,
        };
        self.move_stage(step);
        self.list = Paged::default();
        self.detail = None;
        self.set_height(&cx.layout.clone(), cx);
        self.go(Move::Start, cx);
    }

    fn apply(&mut self, answer: screens::Answer, cx: &mut Cx) {
        let screens::Answer::Deals(answer) = answer else {
            return;
        };
        match answer {
            Answer::Pipeline(p) => {
                self.pipeline = Some(p);
                if let Some(n) = self.stage_count() {
                    self.list.place(n);
                }
            }
            Answer::Page(rows) => {
                // the count, if known, places a window read from the end (`G`)
                let total = self.stage_count();
                if let Some(m) = self.list.apply(rows, total) {
                    self.go(m, cx);
                }
                self.load_detail(cx);
            }
            Answer::Detail(id, d) => self.detail = Some((id, d)),
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        if kind == screens::Kind::Deals(Kind::Page) {
            self.list.fail();
        }
    }

    fn enter(&mut self, cx: &mut Cx) {
        if self.pipeline.is_none() && !cx.is_waiting(Kind::Pipeline) {
            cx.send(Job::Pipeline);
        }
        if !self.list.loaded && !self.list.is_loading() {
            self.go(Move::Start, cx);
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        self.pipeline = None;
        self.detail = None;
        if self.list.loaded {
            self.go(Move::Reload, cx);
        }
    }

    fn set_height(&mut self, layout: &Layout, cx: &mut Cx) {
        if self.list.set_height(layout.deal_rows()) && self.list.loaded {
            self.go(Move::Reload, cx);
        }
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view.theme, self.clock.today());
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        table_row_at(layout.deals().1, p)
    }

    fn click(&mut self, i: usize, cx: &mut Cx) {
        self.list.select(i);
        self.load_detail(cx);
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.list
            .selected_row()
            .map(|d| RowRef::new("deals", d.id.clone()))
    }

    fn view(&self, _options: &Options) -> Option<ReadView> {
        Some(ReadView::Deals(self.stage()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
