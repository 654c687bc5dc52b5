//! Health trends: for the selected customer, a chart of overall and category scores by month,
//! the explanation of the current score and the KPIs against their reference ranges; or
//! (`v`) the portfolio: accounts by band, ARR at risk, biggest movers this month.

mod jobs;
mod view;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;

pub use jobs::{Answer, Job, Kind, Portfolio, Trends, execute};

use crate::tui::action::Action;
use crate::tui::app::Options;
use crate::tui::keymap::Context;
use crate::tui::layout::{Layout, table_row_at};
use crate::tui::screen::{Cx, Screen, View, scroll};
use crate::tui::screens;

#[derive(Default)]
pub struct HealthScreen {
    trends: Option<Trends>,
    portfolio: Option<Portfolio>,
    portfolio_view: bool,
    /// Scroll of the KPI table.
    scroll: u16,
    /// Selected mover.
    mover: usize,
}

impl HealthScreen {
    pub fn new(_options: &Options) -> HealthScreen {
        HealthScreen::default()
    }

    /// The customer whose trends are shown.
    pub fn customer_id(&self) -> Option<&str> {
        self.trends.as_ref().map(|t| t.customer_id.as_str())
    }

    pub fn trends(&self) -> Option<&Trends> {
        self.trends.as_ref()
    }

    pub fn portfolio(&self) -> Option<&Portfolio> {
        self.portfolio.as_ref()
    }

    /// Follows the book's selection (or reads the portfolio once).
    fn load(&mut self, cx: &mut Cx) {
        if self.portfolio_view {
            if self.portfolio.is_none() && !cx.is_waiting(Kind::Portfolio) {
                cx.send(Job::Portfolio);
            }
        } else if let Some(id) = cx.customer.clone()
            && self.customer_id() != Some(id.as_str())
        {
            self.trends = None;
            cx.send(Job::Trends { customer_id: id });
        }
    }
}

impl Screen for HealthScreen {
    fn title(&self) -> &'static str {
        "Health trends"
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Health]
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::ToggleView => {
                self.portfolio_view = !self.portfolio_view;
                self.load(cx);
            }
            Action::Down if self.portfolio_view => {
                let n = self.portfolio.as_ref().map_or(0, |p| p.movers.len());
                self.mover = (self.mover + 1).min(n.saturating_sub(1));
            }
            Action::Up if self.portfolio_view => self.mover = self.mover.saturating_sub(1),
            Action::Down | Action::Up | Action::PageDown | Action::PageUp | Action::Top => {
                scroll(&mut self.scroll, action)
            }
            Action::Open => {
                let id = if self.portfolio_view {
                    self.portfolio
                        .as_ref()
                        .and_then(|p| p.movers.get(self.mover))
                        .map(|m| m.customer_id.clone())
                } else {
                    self.customer_id().map(str::to_owned)
                };
                if let Some(id) = id {
                    cx.open_account(id);
                }
            }
            _ => {}
        }
    }

    fn apply(&mut self, answer: screens::Answer, _cx: &mut Cx) {
        let screens::Answer::Health(answer) = answer else {
            return;
        };
        match answer {
            Answer::Trends(t) => self.trends = Some(*t),
            Answer::Portfolio(p) => {
                self.mover = 0;
                self.portfolio = Some(*p);
            }
        }
    }

    fn enter(&mut self, cx: &mut Cx) {
        self.load(cx);
    }

    /// Forgets what was read (the view stays): `enter` reads it again when shown.
    fn reload(&mut self, _cx: &mut Cx) {
        *self = HealthScreen {
            portfolio_view: self.portfolio_view,
            ..HealthScreen::default()
        };
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout, buf, view);
    }

    fn row_at(&self, layout: &Layout, p: Position) -> Option<usize> {
        table_row_at(layout.portfolio().1, p)
    }

    fn click(&mut self, i: usize, _cx: &mut Cx) {
        if self.portfolio_view {
            self.mover = i;
        }
    }

    fn customer_changed(&mut self, cx: &mut Cx) {
        self.load(cx);
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
