//! A list to choose from: a query line and the matches, ranked by nucleo's fuzzy matcher as
//! you type. Rows from the database arrive through the worker (the store narrows them in SQL
//! and caps them); fixed lists (an enumeration's values, a menu) are held here.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::input::TextInput;
use crate::store::approvals::Decision;
use crate::store::read::pickers::Candidate;
use crate::tui::action::Action;

/// Where a picker's rows come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Customers,
    Stakeholders {
        customer_id: String,
    },
    LossReasons {
        workspace_id: String,
    },
    Users,
    /// A fixed list, held by the picker.
    Fixed,
}

/// What the chosen row is for.
#[derive(Debug, Clone, PartialEq)]
pub enum Purpose {
    /// The value of field `slot` of form `form`.
    Field { form: u64, slot: usize },
    /// The account 360's edit menu (entries' ids say what to open).
    EditMenu {
        customer_id: String,
        customer: String,
        workspace_id: String,
    },
    /// Which of a session's pending approvals to decide (an id, or `*` for `all` of them):
    /// each id with what it is, for the question or form that follows.
    Decide {
        decision: Decision,
        all: Vec<(String, String)>,
    },
    /// The command palette: what each row runs (a row's id is its index here).
    Palette(Vec<crate::tui::palette::Entry>),
    /// Who a work-queue item goes to (`what` names the item).
    Reassign {
        source: crate::store::tasks::Source,
        id: String,
        what: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Picker {
    pub title: String,
    pub purpose: Purpose,
    pub source: Source,
    pub query: TextInput,
    pub items: Vec<Candidate>,
    /// Indices into `items`, best match first.
    pub ranked: Vec<usize>,
    pub selected: usize,
    /// Rows are on their way from the database.
    pub loading: bool,
}

impl Picker {
    pub fn new(title: String, purpose: Purpose, source: Source, items: Vec<Candidate>) -> Picker {
        let loading = source != Source::Fixed;
        let mut p = Picker {
            title,
            purpose,
            source,
            query: TextInput::default(),
            items,
            ranked: Vec::new(),
            selected: 0,
            loading,
        };
        p.rank();
        p
    }

    /// Starts with `query` typed (a key pressed on a field opens the picker with it).
    pub fn with_query(mut self, query: &str) -> Picker {
        self.query = TextInput::new(query, false);
        self.rank();
        self
    }

    /// Starts with the row whose id is `id` selected (a choice's list opens on the value it
    /// holds, so `enter` twice keeps it); the first row if there is none.
    pub fn selecting(mut self, id: Option<&str>) -> Picker {
        if let Some(pos) = id.and_then(|id| {
            self.ranked
                .iter()
                .position(|&i| self.items.get(i).is_some_and(|c| c.id == id))
        }) {
            self.selected = pos;
        }
        self
    }

    pub fn is_remote(&self) -> bool {
        self.source != Source::Fixed
    }

    /// Whether the database narrows the rows by the query (so a new query asks again); a
    /// customer's stakeholders and a workspace's loss reasons come whole (capped) and are
    /// only ranked here.
    pub fn asks_again(&self) -> bool {
        matches!(self.source, Source::Customers | Source::Users)
    }

    /// New rows from the database (for the query as it was when asked; ranked by the query as
    /// it is now).
    pub fn set_items(&mut self, items: Vec<Candidate>) {
        self.items = items;
        self.loading = false;
        self.rank();
    }

    /// Ranks the rows by the query: fuzzy (letters in order, gaps allowed), case-insensitive;
    /// ties keep the order the rows came in (by name).
    pub fn rank(&mut self) {
        if let Purpose::Palette(entries) = &self.purpose {
            self.ranked = crate::tui::palette::rank(entries, &self.query.text);
            self.selected = self.selected.min(self.ranked.len().saturating_sub(1));
            return;
        }
        let pattern = Pattern::parse(&self.query.text, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut scored: Vec<(usize, u32)> = self
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let haystack = if self.source == Source::Users {
                    format!("{} {}", c.label, c.detail)
                } else {
                    c.label.clone()
                };
                pattern
                    .score(Utf32Str::new(&haystack, &mut buf), &mut matcher)
                    .map(|s| (i, s))
            })
            .collect();
        scored.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
        self.ranked = scored.into_iter().map(|(i, _)| i).collect();
        self.selected = self.selected.min(self.ranked.len().saturating_sub(1));
    }

    pub fn chosen(&self) -> Option<&Candidate> {
        self.ranked
            .get(self.selected)
            .and_then(|&i| self.items.get(i))
    }

    /// Handles a key in the picker; true if the query changed (a remote picker asks again).
    pub fn handle(&mut self, action: Action) -> bool {
        match action {
            Action::PickNext => {
                self.selected = (self.selected + 1).min(self.ranked.len().saturating_sub(1));
                false
            }
            Action::PickPrev => {
                self.selected = self.selected.saturating_sub(1);
                false
            }
            Action::Input(_) | Action::TextBackspace => {
                let before = self.query.text.clone();
                self.query.edit(action);
                if self.query.text == before {
                    return false;
                }
                self.selected = 0;
                self.rank();
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(names: &[&str]) -> Vec<Candidate> {
        names.iter().map(|n| Candidate::fixed(n, n, "")).collect()
    }

    #[test]
    fn fuzzy_ranking_finds_letters_in_order() {
        let mut p = Picker::new(
            "t".into(),
            Purpose::Decide {
                decision: Decision::Approve,
                all: Vec::new(),
            },
            Source::Fixed,
            items(&["Acme Corp", "Globex", "Tyrell Corp", "Aperture Labs"]),
        );
        assert_eq!(p.ranked.len(), 4, "no query: everything, in order");
        for c in "acmcrp".chars() {
            p.handle(Action::Input(c));
        }
        assert_eq!(p.chosen().map(|c| c.label.as_str()), Some("Acme Corp"));
        assert_eq!(p.ranked.len(), 1);
        p.handle(Action::TextBackspace);
        p.handle(Action::TextBackspace);
        p.handle(Action::TextBackspace);
        p.handle(Action::TextBackspace);
        p.handle(Action::TextBackspace);
        p.handle(Action::PickNext);
        assert_eq!(
            p.chosen().map(|c| c.label.as_str()),
            Some("Aperture Labs"),
            "'a' matches both A-names; the second is one step down"
        );
    }
}
