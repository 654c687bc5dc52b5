//! Which table and column each column of a file goes to.
//!
//! A file is named after one of our tables (its columns are ours) or after a seed table (its
//! columns are the seed's, routed by `store::seed_map`). Names several seeds share (`users`,
//! `partners`, `customers`, `deals`, `insights`, `products`) are told apart by the columns:
//! the candidates whose columns cover the header, and if they route them differently, an
//! error lists them. A seed table whose columns live in two of our tables (004 `users.role`
//! is a workspace membership) routes those columns to a linked row of the other table.

use std::collections::{BTreeSet, HashMap};

use crate::store::Catalog;
use crate::store::seed_map::{self, Entry};

/// Where a column's values go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub table: String,
    pub column: String,
}

/// A table that receives a second row per record, linked to the main row by `column`
/// (which references `parent_column` of the main table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub table: String,
    pub column: String,
    pub parent_column: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub main: String,
    /// `table calls`, `seed 004 users`: what the file was read as.
    pub origin: String,
    /// The file's columns as it names them.
    pub headers: Vec<String>,
    /// One per file column; None for an ignored unknown column.
    pub targets: Vec<Option<Target>>,
    pub links: Vec<Link>,
    /// Values every row of the file has by what its seed table is (column of `main`, text).
    pub implied: Vec<(String, String)>,
}

/// What a seed table's rows are without saying so in a column: 000's `etl_audit` is the
/// inbound side of the ETL (`cisco_ops.etl_runs` is the outbound one).
fn implied(seed_table: &str) -> Vec<(String, String)> {
    match seed_table {
        "workspan_core.etl_audit" => vec![("direction".to_owned(), "inbound".to_owned())],
        _ => Vec::new(),
    }
}

impl Route {
    /// Every table the file writes.
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.main.as_str()).chain(self.links.iter().map(|l| l.table.as_str()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteError {
    /// No table or seed table has this name (a usage error).
    NoSuchTable(String),
    Unknown {
        origin: String,
        unknown: Vec<String>,
        known: Vec<String>,
    },
    Ambiguous(Vec<String>),
    Header(String),
}

impl std::fmt::Display for RouteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RouteError::NoSuchTable(name) => write!(
                f,
                "no table or seed table is called {name:?}: name the file after a table \
                 (calls.csv, accounts.csv, ...) or pass --table"
            ),
            RouteError::Unknown {
                origin,
                unknown,
                known,
            } => write!(
                f,
                "unknown column{} {} for {origin} (known: {}); or pass --ignore-unknown",
                if unknown.len() == 1 { "" } else { "s" },
                unknown.join(", "),
                known.join(", ")
            ),
            RouteError::Ambiguous(candidates) => write!(
                f,
                "the columns fit several tables of this name: {}; pass --table with one of them",
                candidates.join("; ")
            ),
            RouteError::Header(m) => f.write_str(m),
        }
    }
}

/// One way to read a file of a given name.
#[derive(Debug, Clone)]
struct Candidate {
    origin: String,
    /// What to pass to --table to choose it.
    flag: String,
    main: String,
    ours: bool,
    map: HashMap<String, Target>,
}

fn fold(header: &str) -> String {
    header.trim().to_lowercase()
}

fn candidates(name: &str, catalog: &Catalog, entries: &[Entry]) -> Vec<Candidate> {
    let name = name.trim().to_lowercase();
    let (seed, table_name) = match name.split_once(':') {
        Some((s, t)) if s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()) => (Some(s), t),
        _ => (None, name.as_str()),
    };
    let mut out = Vec::new();
    if seed.is_none()
        && let Some(t) = catalog.table(table_name).filter(|t| !t.is_view)
    {
        out.push(Candidate {
            origin: format!("table {}", t.name),
            flag: t.name.clone(),
            main: t.name.clone(),
            ours: true,
            map: t
                .columns
                .iter()
                .map(|c| {
                    (
                        c.name.to_lowercase(),
                        Target {
                            table: t.name.clone(),
                            column: c.name.clone(),
                        },
                    )
                })
                .collect(),
        });
    }
    for group in seed_map::for_seed_table(entries, table_name) {
        let first = group[0];
        if seed.is_some_and(|s| s != first.seed_number()) {
            continue;
        }
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for e in group.iter().filter(|e| e.is_stored()) {
            *counts.entry(e.table.as_str()).or_default() += 1;
        }
        let Some(main) = counts
            .iter()
            .max_by_key(|(t, n)| (**n, std::cmp::Reverse(**t)))
            .map(|(t, _)| (*t).to_owned())
        else {
            continue;
        };
        let mut map: HashMap<String, Target> = group
            .iter()
            .filter(|e| e.is_stored())
            .map(|e| {
                (
                    e.seed_column.to_lowercase(),
                    Target {
                        table: e.table.clone(),
                        column: e.column.clone(),
                    },
                )
            })
            .collect();
        // our own columns of the main table too (a 004 calls file may add customer_id)
        if let Some(t) = catalog.table(&main) {
            for c in &t.columns {
                map.entry(c.name.to_lowercase()).or_insert_with(|| Target {
                    table: main.clone(),
                    column: c.name.clone(),
                });
            }
        }
        let unique_name = seed_map::for_seed_table(entries, &first.seed_table).len() == 1
            && first.seed_table.contains('.');
        out.push(Candidate {
            origin: format!("seed {} {}", first.seed_number(), first.seed_table),
            flag: if unique_name {
                first.seed_table.clone()
            } else {
                format!("{}:{}", first.seed_number(), first.seed_table)
            },
            main,
            ours: false,
            map,
        });
    }
    out
}

/// Routes the columns `headers` of a file named `name` (a table or seed table name).
pub fn route(
    name: &str,
    headers: &[String],
    catalog: &Catalog,
    entries: &[Entry],
    ignore_unknown: bool,
) -> Result<Route, RouteError> {
    let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
    let mut seen = BTreeSet::new();
    for (h, f) in headers.iter().zip(&folded) {
        if f.is_empty() {
            return Err(RouteError::Header(
                "a column of the header has no name".into(),
            ));
        }
        if !seen.insert(f) {
            return Err(RouteError::Header(format!(
                "column {h:?} appears twice in the header"
            )));
        }
    }
    let all = candidates(name, catalog, entries);
    if all.is_empty() {
        return Err(RouteError::NoSuchTable(name.to_owned()));
    }
    let matched = |c: &Candidate| folded.iter().filter(|h| c.map.contains_key(*h)).count();
    let fits: Vec<&Candidate> = all.iter().filter(|c| matched(c) == folded.len()).collect();
    let chosen = if !fits.is_empty() {
        pick(&fits, &folded)?
    } else {
        let best = all.iter().map(matched).max().unwrap_or(0);
        let best_ones: Vec<&Candidate> = all.iter().filter(|c| matched(c) == best).collect();
        if !ignore_unknown || best == 0 {
            let c = best_ones
                .iter()
                .find(|c| c.ours)
                .copied()
                .unwrap_or(best_ones[0]);
            let unknown = headers
                .iter()
                .zip(&folded)
                .filter(|(_, f)| !c.map.contains_key(*f))
                .map(|(h, _)| h.clone())
                .collect();
            let mut known: Vec<String> = c.map.keys().cloned().collect();
            known.sort();
            return Err(RouteError::Unknown {
                origin: c.origin.clone(),
                unknown,
                known,
            });
        }
        pick(&best_ones, &folded)?
    };
    build(chosen, headers, &folded, catalog)
}

/// Among candidates that fit, ours wins (an exported file always reads back as ours); else
/// they must agree on where every column goes.
fn pick<'c>(fits: &[&'c Candidate], folded: &[String]) -> Result<&'c Candidate, RouteError> {
    if let Some(ours) = fits.iter().find(|c| c.ours) {
        return Ok(ours);
    }
    let routing = |c: &Candidate| -> Vec<Option<Target>> {
        folded.iter().map(|h| c.map.get(h).cloned()).collect()
    };
    let first = routing(fits[0]);
    if fits.iter().all(|c| routing(c) == first) {
        return Ok(fits[0]);
    }
    Err(RouteError::Ambiguous(
        fits.iter()
            .map(|c| {
                let mut cols: Vec<&str> = c.map.keys().map(String::as_str).collect();
                cols.sort();
                format!("{} (--table {}: {})", c.origin, c.flag, cols.join(", "))
            })
            .collect(),
    ))
}

fn build(
    c: &Candidate,
    headers: &[String],
    folded: &[String],
    catalog: &Catalog,
) -> Result<Route, RouteError> {
    let targets: Vec<Option<Target>> = folded.iter().map(|h| c.map.get(h).cloned()).collect();
    let mut seen: HashMap<&Target, &str> = HashMap::new();
    for (t, h) in targets.iter().zip(folded) {
        if let Some(t) = t
            && let Some(other) = seen.insert(t, h)
        {
            return Err(RouteError::Header(format!(
                "columns {other:?} and {h:?} both give {}.{}",
                t.table, t.column
            )));
        }
    }
    let mut links = Vec::new();
    let linked: BTreeSet<&str> = targets
        .iter()
        .flatten()
        .map(|t| t.table.as_str())
        .filter(|t| *t != c.main)
        .collect();
    for table in linked {
        let fk = catalog
            .table(table)
            .and_then(|t| {
                t.foreign_keys
                    .iter()
                    .find(|fk| fk.parent == c.main && fk.columns.len() == 1)
            })
            .ok_or_else(|| {
                RouteError::Header(format!(
                    "{}: columns of {table} cannot be linked to a row of {}",
                    c.origin, c.main
                ))
            })?;
        links.push(Link {
            table: table.to_owned(),
            column: fk.columns[0].clone(),
            parent_column: fk.parent_columns[0].clone(),
        });
    }
    Ok(Route {
        main: c.main.clone(),
        origin: c.origin.clone(),
        headers: headers.to_vec(),
        targets,
        links,
        implied: match c.origin.strip_prefix("seed ") {
            Some(seed) => implied(seed.rsplit(' ').next().unwrap_or_default()),
            None => Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (crate::store::Store, Vec<Entry>) {
        (
            crate::store::open_in_memory().unwrap(),
            seed_map::entries().unwrap(),
        )
    }

    fn r(name: &str, headers: &[&str]) -> Result<Route, RouteError> {
        let (s, e) = setup();
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        route(name, &headers, s.catalog(), &e, false)
    }

    fn target(route: &Route, i: usize) -> (String, String) {
        let t = route.targets[i].clone().unwrap();
        (t.table, t.column)
    }

    #[test]
    fn our_tables_match_case_insensitively() {
        let route = r("calls", &["ID", " Prospect_Name "]).unwrap();
        assert_eq!(route.main, "calls");
        assert_eq!(target(&route, 1), ("calls".into(), "prospect_name".into()));
    }

    #[test]
    fn seed_names_route_through_the_seed_map() {
        let route = r(
            "accounts",
            &["account_id", "account_name", "revenue", "customer_id"],
        )
        .unwrap();
        assert_eq!(route.main, "customers");
        assert_eq!(target(&route, 2), ("customers".into(), "arr_cents".into()));
        assert_eq!(
            target(&route, 3),
            ("customers".into(), "workspace_id".into())
        );
        let route = r(
            "workspan_core.deals",
            &["deal_id", "company_id", "amount_usd"],
        )
        .unwrap();
        assert_eq!(target(&route, 1), ("deals".into(), "workspace_id".into()));
        // 004 calls gain our customer_id
        let route = r("calls", &["client_id", "customer_id", "prospect_name"]).unwrap();
        assert_eq!(target(&route, 0), ("calls".into(), "workspace_id".into()));
        assert_eq!(route.origin, "seed 004 calls");
    }

    #[test]
    fn shared_names_are_told_apart_by_columns() {
        // 002's customers are tenants
        let route = r("customers", &["customer_id", "customer_name", "email"]).unwrap();
        assert_eq!(route.main, "workspaces");
        // both partners tables route these the same way
        assert_eq!(
            r("partners", &["partner_id", "partner_name"]).unwrap().main,
            "customers"
        );
        // ours wins when it fits
        assert_eq!(
            r("users", &["id", "email", "name", "role"]).unwrap().origin,
            "table users"
        );
        // 004 users: role and client_id are a membership
        let route = r("users", &["id", "email", "name", "role", "client_id"]).unwrap();
        assert_eq!(route.origin, "seed 004 users");
        assert_eq!(
            target(&route, 3),
            ("workspace_members".into(), "role".into())
        );
        assert_eq!(
            route.links,
            vec![Link {
                table: "workspace_members".into(),
                column: "user_id".into(),
                parent_column: "id".into()
            }]
        );
    }

    #[test]
    fn ambiguous_and_unknown_columns_are_errors_naming_them() {
        // the seed map has no two seed tables of one name that route the same columns
        // differently once our own columns are counted; the rule is checked on made-up ones
        let t = |table: &str, column: &str| Target {
            table: table.into(),
            column: column.into(),
        };
        let cand = |origin: &str, role: Target| Candidate {
            origin: origin.into(),
            flag: origin.into(),
            main: "users".into(),
            ours: false,
            map: [("role".to_string(), role)].into_iter().collect(),
        };
        let a = cand("seed 003 users", t("users", "role"));
        let b = cand("seed 004 users", t("workspace_members", "role"));
        match pick(&[&a, &b], &["role".to_string()]) {
            Err(RouteError::Ambiguous(c)) => {
                assert!(
                    c[0].contains("seed 003 users") && c[1].contains("004"),
                    "{c:?}"
                )
            }
            other => panic!("{other:?}"),
        }
        let a2 = cand("seed 002 users", t("users", "role"));
        assert_eq!(
            pick(&[&a, &a2], &["role".to_string()]).unwrap().origin,
            "seed 003 users"
        );
        match r("calls", &["id", "prospect_nme"]) {
            Err(RouteError::Unknown { unknown, known, .. }) => {
                assert_eq!(unknown, ["prospect_nme"]);
                assert!(known.contains(&"prospect_name".to_string()));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            r("nothing", &["a"]),
            Err(RouteError::NoSuchTable(_))
        ));
        assert!(matches!(
            r("calls", &["id", "ID"]),
            Err(RouteError::Header(_))
        ));
        let (s, e) = setup();
        let ok = route(
            "calls",
            &["id".into(), "junk".into()],
            s.catalog(),
            &e,
            true,
        )
        .unwrap();
        assert_eq!(ok.targets[1], None);
    }

    #[test]
    fn seed_numbers_choose_among_same_named_tables() {
        assert_eq!(
            r("004:users", &["email", "role"]).unwrap().origin,
            "seed 004 users"
        );
        assert_eq!(
            r("cisco_ops.users", &["user_id", "email"]).unwrap().origin,
            "seed 000 cisco_ops.users"
        );
    }

    #[test]
    fn every_split_seed_table_can_be_linked() {
        let (s, entries) = setup();
        let mut tables: BTreeSet<(String, String)> = BTreeSet::new();
        for e in &entries {
            tables.insert((e.seed_number().to_owned(), e.seed_table.clone()));
        }
        for (seed, table) in tables {
            let headers: Vec<String> = entries
                .iter()
                .filter(|e| e.seed_number() == seed && e.seed_table == table && e.is_stored())
                .map(|e| e.seed_column.clone())
                .collect();
            let name = format!("{seed}:{table}");
            let route = route(&name, &headers, s.catalog(), &entries, false)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(route.targets.iter().all(Option::is_some), "{name}");
        }
    }
}
