//! The customer list: one window of rows at a time, sorted on an index, filtered by
//! workspace, CSM and full-text search. Keyset pagination costs the same at any depth.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::Anchor;
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

    /// The sort expression; identical to the index expressions in 0001_schema.sql and
    /// 0005_dashboard.sql.
    fn expr(self) -> &'static str {
        match self {
            Sort::Name => "c.name COLLATE NOCASE",
            Sort::Arr => "ifnull(c.arr_cents, -1)",
            Sort::Stage => "c.stage",
            Sort::Health => "ifnull(c.health_score, -1)",
            // the CSM's name, lower case, kept by triggers (0005_dashboard.sql); no CSM sorts last
            Sort::Csm => "ifnull(c.csm_sort, '~')",
            Sort::Renewal => "ifnull(c.renewal_date, '9999-12-31')",
            Sort::OpenApprovals => "c.open_approvals",
        }
    }
}

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

fn filters(q: &Query, params: &mut Vec<Value>) -> Vec<String> {
    let mut clauses = Vec::new();
    if let Some(w) = &q.workspace_id {
        params.push(Value::Text(w.clone()));
        clauses.push(format!("c.workspace_id = ?{}", params.len()));
    }
    if let Some(csm) = &q.csm_id {
        params.push(Value::Text(csm.clone()));
        clauses.push(format!("c.csm_id = ?{}", params.len()));
    }
    if let Some(m) = fts_query(&q.search) {
        params.push(Value::Text(m));
        clauses.push(format!(
            "c.rowid IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ?{})",
            params.len()
        ));
    }
    clauses
}

/// Up to `limit` rows in display order, starting at `anchor`.
pub fn page(
    conn: &Connection,
    q: &Query,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<Row>> {
    let mut params = Vec::new();
    let mut clauses = filters(q, &mut params);
    let expr = q.sort.expr();
    // walking backwards (End, Before) reverses the ordering, then the rows are flipped back
    let backwards = matches!(anchor, Anchor::End | Anchor::Before(_));
    let descending = q.descending != backwards;
    match anchor {
        Anchor::After(c) | Anchor::Before(c) => {
            params.push(c.key.clone());
            params.push(Value::Text(c.id.clone()));
            let op = if descending { "<" } else { ">" };
            clauses.push(format!(
                "({expr}, c.id) {op} (?{}, ?{})",
                params.len() - 1,
                params.len()
            ));
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
    if backwards {
        rows.reverse();
    }
    Ok(rows)
}

/// How many customers match `q` (the M of "N of M").
pub fn count(conn: &Connection, q: &Query) -> Result<i64> {
    let mut params = Vec::new();
    let clauses = filters(q, &mut params);
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("SELECT count(*) FROM customers c {filter}");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_become_quoted_prefixes() {
        assert_eq!(fts_query("  "), None);
        assert_eq!(fts_query("acme co").as_deref(), Some("\"acme\"* \"co\"*"));
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"a\"\"b\"* \"OR\"*"));
    }
}
