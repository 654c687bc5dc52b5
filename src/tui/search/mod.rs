//! Search everything (`ctrl-f` from any screen): one prompt over customers, stakeholders,
//! calls, meetings, transcripts, agent messages, insights, deal notes and the knowledge base.
//! Results come as you type (each keystroke asks again; a newer one cuts a running search
//! short), grouped by kind, each with the text around its match highlighted. `enter` opens
//! the record where it lives: a customer's 360, a call on the Calls tab, a message in its
//! session's thread; a stakeholder, meeting, transcript, insight or deal note in its
//! customer's 360 (they have no screen of their own); an article here, to read.
//!
//! It floats over whatever is shown, like the account 360, rather than being a tab: it is
//! reached from every screen and goes back to the one it was opened over.

mod jobs;
mod view;

use ratatui::buffer::Buffer;

pub use jobs::{Answer, Article, Job, Kind, PER_KIND, execute};

use crate::store::read::search::{Found, Hit, MIN_CHARS, Results, Terms};
use crate::tui::action::Action;
use crate::tui::keymap::Context;
use crate::tui::layout::Layout;
use crate::tui::screen::{Cx, Effect, RowRef, Screen, View};
use crate::tui::screens;
use crate::tui::scroll::scrolled;

#[derive(Default)]
pub struct SearchScreen {
    query: String,
    /// The latest results and the text they are for.
    results: Option<(String, Results)>,
    /// Index into the hits, in the order shown.
    selected: usize,
    /// A search is on its way.
    searching: bool,
    /// An article opened for reading: its id, what was read (None until then; Some(None):
    /// gone), and the scroll.
    article: Option<(String, Option<Option<Article>>, u16)>,
}

impl SearchScreen {
    pub fn new() -> SearchScreen {
        SearchScreen::default()
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// The results shown (None before the first answer).
    pub fn results(&self) -> Option<&Results> {
        self.results.as_ref().map(|(_, r)| r)
    }

    /// The hit the cursor is on.
    pub fn selected(&self) -> Option<&Hit> {
        self.results
            .as_ref()
            .and_then(|(_, r)| r.hits().nth(self.selected))
    }

    pub fn is_searching(&self) -> bool {
        self.searching
    }

    /// The article open for reading (its id).
    pub fn article_id(&self) -> Option<&str> {
        self.article.as_ref().map(|(id, _, _)| id.as_str())
    }

    /// Asks for the hits of what is typed now; a query too short to look up clears them.
    fn research(&mut self, cx: &mut Cx) {
        self.selected = 0;
        if Terms::parse(&self.query).is_none() {
            // an answer still on its way is for a query no longer typed
            cx.forget(Kind::Search);
            self.searching = false;
            self.results = None;
            return;
        }
        self.searching = true;
        cx.send(Job::Search {
            text: self.query.clone(),
        });
    }

    fn open(&mut self, cx: &mut Cx) {
        let Some(hit) = self.selected().cloned() else {
            return;
        };
        match hit.kind {
            Found::Article => {
                cx.send(Job::Article { id: hit.id.clone() });
                self.article = Some((hit.id, None, 0));
            }
            Found::Call | Found::Message => cx.effect(Effect::Show(Box::new(hit))),
            _ => match hit.customer_id {
                Some(id) => {
                    cx.effect(Effect::CloseSearch);
                    cx.open_account(id);
                }
                None => cx.say("this record belongs to no customer", true),
            },
        }
    }

    fn hits(&self) -> usize {
        self.results.as_ref().map_or(0, |(_, r)| r.len())
    }
}

/// What the prompt says under the query when there is nothing to list.
pub fn too_short(query: &str) -> bool {
    !query.trim().is_empty() && Terms::parse(query).is_none()
}

impl Screen for SearchScreen {
    fn title(&self) -> &'static str {
        "Search"
    }

    fn contexts(&self) -> Vec<Context> {
        if self.article.is_some() {
            vec![Context::SearchArticle]
        } else {
            vec![Context::Search]
        }
    }

    fn update(&mut self, action: Action, cx: &mut Cx) {
        if let Some((_, read, scroll)) = &mut self.article {
            match action {
                Action::Back => self.article = None,
                other => {
                    let body = cx.layout.body;
                    let page = view::area(body).height.saturating_sub(2).max(1);
                    let max = view::article_max_scroll(read.as_ref(), body);
                    if let Some(to) = scrolled(*scroll, other, page, max) {
                        *scroll = to;
                    }
                }
            }
            return;
        }
        let n = self.hits();
        match action {
            Action::Back => cx.effect(Effect::CloseSearch),
            Action::Input(ch) => {
                self.query.push(ch);
                self.research(cx);
            }
            Action::FilterDelete if self.query.pop().is_some() => self.research(cx),
            Action::FilterClear => {
                self.query.clear();
                self.research(cx);
            }
            Action::PickNext => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PickPrev => self.selected = self.selected.saturating_sub(1),
            Action::PageDown => self.selected = (self.selected + 5).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(5),
            Action::Open => self.open(cx),
            _ => {}
        }
    }

    fn apply(&mut self, answer: screens::Answer, _cx: &mut Cx) {
        let screens::Answer::Search(answer) = answer else {
            return;
        };
        match answer {
            Answer::Found { text, results } => {
                if text == self.query {
                    self.searching = false;
                }
                self.selected = self.selected.min(results.len().saturating_sub(1));
                self.results = Some((text, results));
            }
            Answer::Article(id, found) => {
                if let Some((open, read, _)) = &mut self.article
                    && *open == id
                {
                    *read = Some(found);
                }
            }
        }
    }

    fn fail(&mut self, kind: screens::Kind) {
        if kind == screens::Kind::Search(Kind::Search) {
            self.searching = false;
        }
    }

    fn reload(&mut self, cx: &mut Cx) {
        if Terms::parse(&self.query).is_some() {
            self.searching = true;
            cx.send(Job::Search {
                text: self.query.clone(),
            });
        }
        if let Some((id, _, _)) = &self.article {
            cx.send(Job::Article { id: id.clone() });
        }
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        if self.article.is_some() {
            return false;
        }
        self.query.push_str(text);
        self.research(cx);
        true
    }

    fn render(&self, layout: &Layout, buf: &mut Buffer, view: &View) {
        self.draw(layout.body, buf, view);
    }

    fn selected_row(&self) -> Option<RowRef> {
        self.selected()
            .map(|hit| RowRef::new(hit.kind.table(), hit.id.clone()))
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The hint under a query too short to look up.
pub fn hint() -> String {
    format!("type {MIN_CHARS} or more characters: they are found anywhere, inside words too")
}
