//! The command palette (`:`), as k9s and VisiData users expect: every action of the keymap
//! and every table of the schema in one fuzzy list. It is a picker (the same query line,
//! ranking and keys as every list to choose from); what is chosen is run by the app, on the
//! screen it belongs to.
//!
//! A table is found by its name, by its singular (`:call`), by its words' initials
//! (`:pe` for playbook_executions) and by the aliases of the config file's `[aliases]`
//! section; an action by its config name (`:snooze_week`), its help text and `q`/`quit`.
//! A name typed exactly ranks first, then a name it begins, then fuzzy matches.

use std::collections::BTreeMap;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::action::Action;
use super::keymap::{Context, Key, Keymap};
use crate::store::Catalog;
use crate::store::read::pickers::Candidate;

/// What a palette entry runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// An action, where its context is (`context`: the keymap's row it came from).
    Run(Action, Context),
    /// The table browser on this table.
    Table(String),
}

/// One entry: what it runs and the names it is found by exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub command: Command,
    pub label: String,
    pub detail: String,
    /// Lower case; the first is the canonical name.
    pub names: Vec<String>,
}

/// Contexts whose actions only mean something inside their prompt or popup: typing into a
/// form or a filter, answering a question. The palette leaves them out.
fn modal(context: Context) -> bool {
    matches!(
        context,
        Context::Filter
            | Context::Search
            | Context::SearchArticle
            | Context::Form
            | Context::FormText
            | Context::FormChoice
            | Context::FormReference
            | Context::Picker
            | Context::Confirm
    )
}

/// Every entry: the keymap's actions (outside prompts and popups) in the help's order, then
/// the tables by name. `aliases` are the config file's (alias → table or action name).
pub fn entries(
    keymap: &Keymap,
    catalog: &Catalog,
    aliases: &BTreeMap<String, String>,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for (context, action, keys, help) in keymap.help_rows() {
        if modal(*context) || matches!(action, Action::Palette | Action::Back) {
            continue;
        }
        let name = action.name().to_owned();
        let mut names = vec![name.clone()];
        if *action == Action::Quit {
            names.push("q".into());
        }
        names.extend(aliases_of(aliases, &name));
        out.push(Entry {
            command: Command::Run(*action, *context),
            label: (*help).to_owned(),
            detail: format!("{} · {}", context.title(), keys_text(keys)),
            names,
        });
    }
    let mut tables: Vec<&str> = catalog.tables().map(|t| t.name.as_str()).collect();
    tables.extend(catalog.views().map(|t| t.name.as_str()));
    tables.sort_unstable();
    tables.dedup();
    for table in tables {
        let mut names = vec![table.to_owned()];
        names.extend(built_in_aliases(table));
        names.extend(aliases_of(aliases, table));
        names.dedup();
        let shown: Vec<&str> = names.iter().skip(1).map(String::as_str).collect();
        out.push(Entry {
            command: Command::Table(table.to_owned()),
            label: table.to_owned(),
            detail: if shown.is_empty() {
                "table".to_owned()
            } else {
                format!("table · also :{}", shown.join(" :"))
            },
            names,
        });
    }
    out
}

fn aliases_of<'a>(
    aliases: &'a BTreeMap<String, String>,
    target: &'a str,
) -> impl Iterator<Item = String> + 'a {
    aliases
        .iter()
        .filter(move |(_, t)| t.as_str() == target)
        .map(|(a, _)| a.to_lowercase())
}

/// A table's singular (`calls` → `call`, `activities` → `activity`) and, for a name of
/// several words, their initials (`playbook_executions` → `pe`).
pub fn built_in_aliases(table: &str) -> Vec<String> {
    let mut out: Vec<String> = singular(table).into_iter().collect();
    let words: Vec<&str> = table.split('_').filter(|w| !w.is_empty()).collect();
    if words.len() > 1 {
        out.push(words.iter().filter_map(|w| w.chars().next()).collect());
    }
    out
}

/// The singular of a table's name, if it is a plural (`kpi_status` is not).
pub fn singular(table: &str) -> Option<String> {
    if table.ends_with("ss") || table.ends_with("us") {
        None
    } else if let Some(stem) = table.strip_suffix("ies") {
        Some(format!("{stem}y"))
    } else if let Some(stem) = table.strip_suffix("sses") {
        Some(format!("{stem}ss"))
    } else {
        table.strip_suffix('s').map(str::to_owned)
    }
}

fn keys_text(keys: &[Key]) -> String {
    keys.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entries as a picker's rows (`id`: the entry's index).
pub fn candidates(entries: &[Entry]) -> Vec<Candidate> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| Candidate::fixed(&i.to_string(), &e.label, &e.detail))
        .collect()
}

/// Ranks `entries` for `query`: a name typed exactly first, then a name the query begins,
/// then by nucleo's fuzzy score over the names, label and detail; ties keep the entries'
/// order. No query: every entry, in order.
pub fn rank(entries: &[Entry], query: &str) -> Vec<usize> {
    let q = query.trim().trim_start_matches(':').to_lowercase();
    if q.is_empty() {
        return (0..entries.len()).collect();
    }
    let pattern = Pattern::parse(&q, CaseMatching::Ignore, Normalization::Smart);
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut buf = Vec::new();
    let mut scored: Vec<(usize, (u8, u32))> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let tier = if e.names.contains(&q) {
                2
            } else if e.names.iter().any(|n| n.starts_with(&q)) {
                1
            } else {
                0
            };
            let haystack = format!("{} {} {}", e.names.join(" "), e.label, e.detail);
            let score = pattern.score(Utf32Str::new(&haystack, &mut buf), &mut matcher);
            match (tier, score) {
                (0, None) => None,
                (t, s) => Some((i, (t, s.unwrap_or(0)))),
            }
        })
        .collect();
    scored.sort_by_key(|(_, s)| std::cmp::Reverse(*s));
    scored.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Catalog {
        let store = crate::store::open_in_memory().expect("store");
        store.catalog().clone()
    }

    fn first(entries: &[Entry], query: &str) -> Command {
        let ranked = rank(entries, query);
        entries[ranked[0]].command.clone()
    }

    #[test]
    fn singulars_and_initials() {
        assert_eq!(built_in_aliases("calls"), vec!["call"]);
        assert_eq!(built_in_aliases("activities"), vec!["activity"]);
        assert_eq!(
            built_in_aliases("playbook_executions"),
            vec!["playbook_execution", "pe"]
        );
        assert_eq!(built_in_aliases("kpi_status"), vec!["ks"]);
        assert_eq!(built_in_aliases("addresses"), vec!["address"]);
        assert!(built_in_aliases("health").is_empty());
    }

    #[test]
    fn every_table_and_every_action_outside_popups_is_there() {
        let catalog = book();
        let entries = entries(&Keymap::default(), &catalog, &BTreeMap::new());
        for t in catalog.tables() {
            assert!(
                entries
                    .iter()
                    .any(|e| e.command == Command::Table(t.name.clone())),
                "{} missing",
                t.name
            );
        }
        for (context, action, _, _) in Keymap::default().help_rows() {
            let listed = entries
                .iter()
                .any(|e| e.command == Command::Run(*action, *context));
            assert_eq!(
                listed,
                !modal(*context) && !matches!(action, Action::Palette | Action::Back),
                "{action:?} in {context:?}"
            );
        }
    }

    #[test]
    fn every_bound_action_has_a_name_to_type_and_to_rebind() {
        for (context, action, _, _) in Keymap::default().help_rows() {
            assert_ne!(
                action.name(),
                "input",
                "{action:?} in {context:?} has no name"
            );
            assert_eq!(Action::from_name(action.name()), Some(*action));
        }
    }

    #[test]
    fn exact_names_and_aliases_rank_first() {
        let mut aliases = BTreeMap::new();
        aliases.insert("runs".to_owned(), "playbook_executions".to_owned());
        aliases.insert("later".to_owned(), "snooze_week".to_owned());
        let entries = entries(&Keymap::default(), &book(), &aliases);
        assert_eq!(first(&entries, "calls"), Command::Table("calls".into()));
        assert_eq!(first(&entries, ":calls"), Command::Table("calls".into()));
        assert_eq!(first(&entries, "call"), Command::Table("calls".into()));
        assert_eq!(
            first(&entries, "pe"),
            Command::Table("playbook_executions".into())
        );
        assert_eq!(
            first(&entries, "runs"),
            Command::Table("playbook_executions".into())
        );
        assert_eq!(
            first(&entries, "q"),
            Command::Run(Action::Quit, Context::Global)
        );
        assert!(matches!(
            first(&entries, "later"),
            Command::Run(Action::SnoozeWeek, _)
        ));
        // fuzzy: letters in order, gaps allowed, over the help text too
        assert!(matches!(
            first(&entries, "snooze week"),
            Command::Run(Action::SnoozeWeek, _)
        ));
        assert!(matches!(
            first(&entries, "playbk_exec"),
            Command::Table(t) if t == "playbook_executions"
        ));
        assert!(rank(&entries, "zzzzqqq").is_empty());
    }
}
