//! The customer list: one window of rows at a time, sorted on an index, filtered by
//! workspace, CSM and full-text search. Keyset pagination costs the same at any depth.

use super::reader::Reader;
use crate::store::db::{Connection, params_from_iter};
use rusqlite::types::Value;

use super::Anchor;
use crate::store::access::Scope;
use crate::store::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Name,
    Arr,
    Stage,
    Health,
    Csm,
    Renewal,
    OpenApprovals,
}

impl Sort {
    pub const ALL: [Sort; 7] = [
        Sort::Name,
        Sort::Arr,
        Sort::Stage,
        Sort::Health,
        Sort::Csm,
        Sort::Renewal,
        Sort::OpenApprovals,
    ];

    /// The sort expression for the list shown in `descending` order; identical to the index
    /// expressions in 0001_schema.sql, 0005_dashboard.sql and 0008_list_order.sql.
    fn expr(self, descending: bool) -> &'static str {
        match self {
            Sort::Name => "c.name COLLATE NOCASE",
            Sort::Arr => "ifnull(c.arr_cents, -1)",
            // the lifecycle, not the alphabet; customers of one stage by name
            Sort::Stage => STAGE_ORDER,
            // unscored customers last both ways: below every score going down, above every
            // score (0-100) going up
            Sort::Health if descending => "ifnull(c.health_score, -1)",
            Sort::Health => "ifnull(c.health_score, 101)",
            // the CSM's name, lower case, kept by triggers (0005_dashboard.sql); no CSM sorts last
            Sort::Csm => "ifnull(c.csm_sort, '~')",
            Sort::Renewal => "ifnull(c.renewal_date, '9999-12-31')",
            Sort::OpenApprovals => "c.open_approvals",
        }
    }
}

/// A customer's stage by its place in the lifecycle, then its name (lower case: NOCASE's
/// order); the expression of `idx_customers_stage_order` (0008_list_order.sql).
const STAGE_ORDER: &str = "(CASE c.stage WHEN 'prospect' THEN '0' WHEN 'onboarding' THEN '1' \
     WHEN 'active' THEN '2' WHEN 'expansion' THEN '3' WHEN 'renewal' THEN '4' \
     WHEN 'at_risk' THEN '5' WHEN 'churned' THEN '6' ELSE '7' END || lower(c.name))";

/// What to list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub workspace_id: Option<String>,
    /// Only customers whose CSM is this user (`--mine`).
    pub csm_id: Option<String>,
    /// Words the customer's name must contain (prefixes), matched with FTS5.
    pub search: String,
    pub sort: Sort,
    pub descending: bool,
}

/// A row of the list, with the sort key that positions it (for the next page's anchor).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub arr_cents: Option<i64>,
    pub stage: String,
    pub health_score: Option<i64>,
    pub csm_id: Option<String>,
    pub csm_name: Option<String>,
    pub renewal_date: Option<String>,
    pub open_approvals: i64,
    pub cursor: Cursor,
}

/// A row's position in an ordering: its sort key and id.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor {
    pub key: Value,
    pub id: String,
}

/// An FTS5 query matching every word of `search` as a prefix, or None for no search.
/// Words are quoted, so nothing a user types is FTS syntax.
pub fn fts_query(search: &str) -> Option<String> {
    let words: Vec<String> = search
        .split_whitespace()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The rowids of the customers whose names match `search`: every word of three characters
/// or more anywhere in the name (the trigram index: `cme` finds Acme), a shorter one as the
/// start of a word (a trigram index cannot look up fewer than three characters; the word
/// index's one- and two-letter prefixes can). None for no search. Words are quoted, so
/// nothing a user types is FTS syntax.
fn matching_rowids(search: &str, params: &mut Vec<Value>) -> Option<String> {
    let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    let (long, short): (Vec<&str>, Vec<&str>) = search
        .split_whitespace()
        .partition(|w| w.chars().count() >= 3);
    let mut selects = Vec::new();
    if !long.is_empty() {
        let words: Vec<String> = long.iter().map(|w| quote(w)).collect();
        params.push(Value::Text(words.join(" ")));
        selects.push(format!(
            "SELECT rowid FROM customers_trigram WHERE customers_trigram MATCH ?{}",
            params.len()
        ));
    }
    if !short.is_empty() {
        let words: Vec<String> = short.iter().map(|w| format!("{}*", quote(w))).collect();
        params.push(Value::Text(words.join(" ")));
        selects.push(format!(
            "SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?{}",
            params.len()
        ));
    }
    (!selects.is_empty()).then(|| selects.join(" INTERSECT "))
}

/// Matches of a search beyond which it counts as *dense*: its page is found by walking the
/// sort index and testing each row against the matches, which stops after `limit` hits,
/// rather than by looking up every match and sorting them all (a one-letter prefix matches
/// a quarter of a million-name book: 250,000 lookups, ~300 ms, against ~30 ms for the walk).
/// Below it, looking the matches up is the cheaper plan: a walk could pass most of the
/// book before it meets a rare name.
const DENSE_MATCHES: i64 = 5_000;

/// How the page query should reach the rows a filter leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Walk the sort index; filters only test rows (most rows pass them).
    SortIndex,
    /// Look the matches up, then sort them (few rows pass the filters).
    Matches,
}

/// Whether the search matches at least `DENSE_MATCHES` names, read from the full-text index
/// alone and stopping there: a few milliseconds whatever the book's size.
fn is_dense(conn: &Connection, search: &str) -> Result<bool> {
    let mut params = Vec::new();
    let Some(rowids) = matching_rowids(search, &mut params) else {
        return Ok(true);
    };
    params.push(Value::Integer(DENSE_MATCHES));
    let sql = format!("SELECT count(*) FROM ({rowids} LIMIT ?{})", params.len());
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
    Ok(n >= DENSE_MATCHES)
}

/// The WHERE clauses of `q`. With `Plan::SortIndex` the workspace and search tests are
/// written `+x` so SQLite cannot use them as an index and keeps walking the sort index (a
/// workspace holds a large share of the book); the CSM's own index is always worth using
/// (a CSM holds a few hundred of a million customers: look them up, sort them).
///
/// The reader's `scope` narrows every query: one workspace seen whole is a plain workspace
/// test (so the sort index is walked as before); anything else is its own clause.
fn filters(scope: &Scope, q: &Query, plan: Plan, params: &mut Vec<Value>) -> Vec<String> {
    let walk = if plan == Plan::SortIndex && q.csm_id.is_none() {
        "+"
    } else {
        ""
    };
    let mut clauses = Vec::new();
    let scope_workspace = scope.single_workspace();
    if let Some(w) = q.workspace_id.as_deref().or(scope_workspace) {
        params.push(Value::Text(w.to_owned()));
        clauses.push(format!("{walk}c.workspace_id = ?{}", params.len()));
    }
    if scope_workspace.is_none() && !scope.is_everything() {
        clauses.push(format!("{walk}{}", scope.customers_sql("c", params)));
    }
    if let Some(csm) = &q.csm_id {
        params.push(Value::Text(csm.clone()));
        clauses.push(format!("c.csm_id = ?{}", params.len()));
    }
    if let Some(rowids) = matching_rowids(&q.search, params) {
        let walk = if plan == Plan::SortIndex { "+" } else { "" };
        clauses.push(format!("{walk}c.rowid IN ({rowids})"));
    }
    clauses
}

/// Up to `limit` rows in display order, starting at `anchor`.
pub fn page(r: &Reader<'_>, q: &Query, anchor: &Anchor<Cursor>, limit: usize) -> Result<Vec<Row>> {
    let (conn, scope) = (r.conn(), r.scope());
    let plan = if !q.search.trim().is_empty() && !is_dense(conn, &q.search)? {
        Plan::Matches
    } else {
        Plan::SortIndex
    };
    page_with(conn, scope, q, plan, anchor, limit)
}

fn page_with(
    conn: &Connection,
    scope: &Scope,
    q: &Query,
    plan: Plan,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<Row>> {
    let (sql, params) = page_sql(scope, q, plan, anchor, limit);
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<Row> = stmt
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            Ok(Row {
                workspace_id: r.get(1)?,
                name: r.get(2)?,
                arr_cents: r.get(3)?,
                stage: r.get(4)?,
                health_score: r.get(5)?,
                csm_id: r.get(6)?,
                csm_name: r.get(7)?,
                renewal_date: r.get(8)?,
                open_approvals: r.get(9)?,
                cursor: Cursor {
                    key: r.get(10)?,
                    id: id.clone(),
                },
                id,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    // walking backwards (End, Before) reverses the ordering: flip the rows back
    if matches!(anchor, Anchor::End | Anchor::Before(_)) {
        rows.reverse();
    }
    Ok(rows)
}

/// The page query and its parameters.
fn page_sql(
    scope: &Scope,
    q: &Query,
    plan: Plan,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> (String, Vec<Value>) {
    let mut params = Vec::new();
    let mut clauses = filters(scope, q, plan, &mut params);
    let expr = q.sort.expr(q.descending);
    let backwards = matches!(anchor, Anchor::End | Anchor::Before(_));
    let descending = q.descending != backwards;
    match anchor {
        Anchor::After(c) | Anchor::Before(c) => {
            params.push(c.key.clone());
            params.push(Value::Text(c.id.clone()));
            let op = if descending { "<" } else { ">" };
            // the row value alone is not used to seek the index (SQLite scans from the
            // start and tests it on every row, so page n costs n pages); the plain bound on
            // the sort key before it is
            let (key, id) = (params.len() - 1, params.len());
            clauses.push(format!("{expr} {op}= ?{key}"));
            clauses.push(format!("({expr}, c.id) {op} (?{key}, ?{id})"));
        }
        Anchor::Start | Anchor::End => {}
    }
    let direction = if descending { "DESC" } else { "ASC" };
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!(
        "SELECT c.id, c.workspace_id, c.name, c.arr_cents, c.stage, c.health_score, c.csm_id,
                (SELECT u.name FROM users u WHERE u.id = c.csm_id), c.renewal_date, c.open_approvals,
                {expr}
         FROM customers c {filter}
         ORDER BY {expr} {direction}, c.id {direction}
         LIMIT {limit}"
    );
    (sql, params)
}

/// How many customers match `q` (the M of "N of M").
pub fn count(r: &Reader<'_>, q: &Query) -> Result<i64> {
    let (conn, scope) = (r.conn(), r.scope());
    if q.workspace_id.is_none() && q.csm_id.is_none() && scope.is_everything() {
        // the full-text indexes hold one entry per customer: count there, without visiting
        // a single customer row
        let mut params = Vec::new();
        let sql = match matching_rowids(&q.search, &mut params) {
            Some(rowids) => format!("SELECT count(*) FROM ({rowids})"),
            None => "SELECT count(*) FROM customers".to_owned(),
        };
        return Ok(conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))?);
    }
    let mut params = Vec::new();
    let clauses = filters(scope, q, Plan::Matches, &mut params);
    let filter = format!("WHERE {}", clauses.join(" AND "));
    let sql = format!("SELECT count(*) FROM customers c {filter}");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;

    /// 600 customers in two workspaces with three CSMs, named from a small vocabulary so
    /// some words match a large share of the book and others a handful; scores, ARR and
    /// renewals with NULLs and ties, so the tie-break on id matters.
    fn book() -> store::Store {
        let s = super::super::fixture::tenants();
        let conn = s.conn();
        let first = ["Acme", "Apex", "Beta", "Zeta", "Arc", "Able"];
        let second = ["Holdings", "Health", "Labs", "Zoo"];
        let mut x: u64 = 7;
        for i in 0..600u64 {
            let r = super::super::fixture::draw(&mut x);
            let name = format!(
                "{} {} {}",
                first[(r % 6) as usize],
                second[(r / 6 % 4) as usize],
                if i % 97 == 0 { "Rareword" } else { "" }
            );
            let health: Option<i64> = (!r.is_multiple_of(11)).then_some((r / 7 % 100) as i64);
            let arr: Option<i64> = (!r.is_multiple_of(5)).then_some((r / 3 % 20) as i64 * 100_000);
            let csm: Option<&str> =
                [Some("u1"), Some("u2"), Some("u3"), None][(r / 13 % 4) as usize];
            conn.execute(
                "INSERT INTO customers (id, workspace_id, name, health_score, arr_cents, csm_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    format!("c{:04}", (i * 7919) % 600),
                    if r.is_multiple_of(3) { "w2" } else { "w1" },
                    name.trim(),
                    health,
                    arr,
                    csm
                ],
            )
            .expect("customer");
        }
        s
    }

    fn ids(rows: &[Row]) -> Vec<String> {
        rows.iter().map(|r| r.id.clone()).collect()
    }

    /// Every row `q` lists, read by walking pages of 7 from `start` in the direction
    /// `forward`, with `plan`.
    fn walk(conn: &Connection, q: &Query, plan: Plan, forward: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut anchor = if forward { Anchor::Start } else { Anchor::End };
        loop {
            let page = page_with(conn, &Scope::everything(), q, plan, &anchor, 7).expect("page");
            if page.is_empty() {
                break;
            }
            anchor = if forward {
                Anchor::After(page[page.len() - 1].cursor.clone())
            } else {
                Anchor::Before(page[0].cursor.clone())
            };
            if forward {
                out.extend(ids(&page));
            } else {
                out.splice(0..0, ids(&page));
            }
        }
        out
    }

    #[test]
    fn both_plans_page_every_filter_and_order_alike() {
        let s = book();
        let conn = s.conn();
        for search in ["", "a", "ap", "zoo", "rare", "acme heal", "nothing"] {
            for workspace_id in [None, Some("w2".to_owned())] {
                for csm_id in [None, Some("u2".to_owned())] {
                    for sort in Sort::ALL {
                        for descending in [false, true] {
                            let q = Query {
                                workspace_id: workspace_id.clone(),
                                csm_id: csm_id.clone(),
                                search: search.to_owned(),
                                sort,
                                descending,
                            };
                            // one page holding everything: no keyset involved
                            let all = ids(&page_with(
                                conn,
                                &Scope::everything(),
                                &q,
                                Plan::Matches,
                                &Anchor::Start,
                                1000,
                            )
                            .expect("all"));
                            assert_eq!(
                                count(&s.reader(false).expect("reader"), &q).expect("count"),
                                all.len() as i64,
                                "{q:?}"
                            );
                            for plan in [Plan::Matches, Plan::SortIndex] {
                                assert_eq!(
                                    walk(conn, &q, plan, true),
                                    all,
                                    "{q:?} {plan:?} forward"
                                );
                                assert_eq!(walk(conn, &q, plan, false), all, "{q:?} {plan:?} back");
                            }
                            assert_eq!(
                                ids(&page(
                                    &s.reader(false).expect("reader"),
                                    &q,
                                    &Anchor::Start,
                                    1000
                                )
                                .expect("page")),
                                all
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_page_after_a_cursor_seeks_the_sort_index() {
        let s = book();
        let conn = s.conn();
        let cursor = Cursor {
            key: Value::Integer(50),
            id: "c0300".to_owned(),
        };
        for sort in Sort::ALL {
            for descending in [false, true] {
                let q = Query {
                    sort,
                    descending,
                    ..Query::default()
                };
                for anchor in [
                    Anchor::After(cursor.clone()),
                    Anchor::Before(cursor.clone()),
                ] {
                    let (sql, params) =
                        page_sql(&Scope::everything(), &q, Plan::SortIndex, &anchor, 40);
                    let plan = super::super::fixture::query_plan(conn, &sql, &params);
                    assert!(
                        plan.contains("SEARCH c USING") && !plan.contains("TEMP B-TREE"),
                        "{sort:?} desc={descending}: the page must seek the sort index, not scan \
                         from the start or sort:\n{plan}"
                    );
                }
            }
        }
    }

    #[test]
    fn search_words_become_quoted_prefixes() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("acme co").as_deref(), Some("\"acme\"* \"co\"*"));
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"a\"\"b\"* \"OR\"*"));
    }
}
