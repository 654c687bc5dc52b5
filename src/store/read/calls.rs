//! The call log: newest first, a page at a time, filtered by type, status, outcome, owner and
//! a date range; and at a glance, how the calls of that filter ended and why deals were lost.
//!
//! A call is dated by [`WHEN`]: the list shows that date, orders by it and the date range
//! filters on it, so a call completed yesterday is yesterday's whenever it was logged.

use super::reader::Reader;
use crate::store::db::params_from_iter;
use rusqlite::types::Value;

use super::Anchor;
use super::customers::Cursor;
use super::keyset::{Page, where_clause};
use crate::store::access::Scope;
use crate::store::enums::{CallOutcome, CallStatus, CallType};
use crate::store::error::Result;

/// A call's own date: when it took place, else when it is scheduled (a rescheduled call, or
/// one to come), else when it was logged. The same day the health engine counts it on
/// (`read::health`); `0007_call_dates.sql` indexes exactly this expression (`k` is `calls`).
pub const WHEN: &str = "coalesce(k.completed_at, k.scheduled_at, k.created_at)";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub workspace_id: Option<String>,
    pub call_type: Option<CallType>,
    pub status: Option<CallStatus>,
    pub outcome: Option<CallOutcome>,
    /// The user who logged the call.
    pub owner_id: Option<String>,
    /// Inclusive dates `YYYY-MM-DD` of the call's date ([`WHEN`]).
    pub from: Option<String>,
    pub to: Option<String>,
}

impl Filter {
    fn clauses(&self, scope: &Scope, params: &mut Vec<Value>) -> Vec<String> {
        let mut clauses = Vec::new();
        let scope_workspace = scope.single_workspace();
        if scope_workspace.is_none() && !scope.is_everything() {
            clauses.push(scope.row_sql(
                "k.workspace_id",
                "k.customer_id",
                Some("k.user_id"),
                params,
            ));
        }
        let mut eq = |column: &str, value: Option<&str>, params: &mut Vec<Value>| {
            if let Some(v) = value {
                params.push(Value::Text(v.to_owned()));
                clauses.push(format!("{column} = ?{}", params.len()));
            }
        };
        eq(
            "k.workspace_id",
            self.workspace_id.as_deref().or(scope_workspace),
            params,
        );
        eq("k.call_type", self.call_type.map(|v| v.as_str()), params);
        eq("k.status", self.status.map(|v| v.as_str()), params);
        eq("k.outcome", self.outcome.map(|v| v.as_str()), params);
        eq("k.user_id", self.owner_id.as_deref(), params);
        if let Some(from) = &self.from {
            params.push(Value::Text(from.clone()));
            clauses.push(format!("{WHEN} >= ?{}", params.len()));
        }
        if let Some(to) = &self.to {
            // the whole last day: every timestamp of that day sorts before the next day
            params.push(Value::Text(format!("{to}T99")));
            clauses.push(format!("{WHEN} < ?{}", params.len()));
        }
        clauses
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CallRow {
    pub id: String,
    /// The call's date ([`WHEN`]), a stored timestamp.
    pub when: String,
    pub customer_name: Option<String>,
    pub prospect_name: String,
    pub owner: String,
    pub call_type: String,
    pub status: String,
    pub outcome: Option<String>,
    pub loss_reason: Option<String>,
    /// seconds
    pub duration: Option<i64>,
    pub notes: Option<String>,
    pub cursor: Cursor,
}

/// Calls matching `filter`, newest first by their date ([`WHEN`]), a page from `anchor`.
pub fn page(
    r: &Reader<'_>,
    filter: &Filter,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<CallRow>> {
    let (conn, scope) = (r.conn(), r.scope());
    let (sql, params, page) = page_sql(scope, filter, anchor, limit);
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            let id: String = r.get(0)?;
            let when: String = r.get(1)?;
            Ok(CallRow {
                customer_name: r.get(2)?,
                prospect_name: r.get(3)?,
                owner: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                call_type: r.get(5)?,
                status: r.get(6)?,
                outcome: r.get(7)?,
                loss_reason: r.get(8)?,
                duration: r.get(9)?,
                notes: r.get(10)?,
                cursor: Cursor {
                    key: Value::Text(when.clone()),
                    id: id.clone(),
                },
                when,
                id,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(page.finish(rows))
}

/// The SQL of a page, its parameters, and the page (which puts rows read backwards in order).
fn page_sql(
    scope: &Scope,
    filter: &Filter,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> (String, Vec<Value>, Page) {
    let mut params = Vec::new();
    let mut clauses = filter.clauses(scope, &mut params);
    let page = Page::new(WHEN, "k.id", true, anchor, &mut params);
    clauses.extend(page.clause.clone());
    let dir = page.direction;
    let sql = format!(
        "SELECT k.id, {WHEN}, c.name, k.prospect_name, u.name, k.call_type, k.status,
                k.outcome, lr.name, k.call_duration, k.notes
         FROM calls k
         LEFT JOIN customers c ON c.id = k.customer_id
         LEFT JOIN users u ON u.id = k.user_id
         LEFT JOIN loss_reasons lr ON lr.id = k.loss_reason_id
         {}
         ORDER BY {WHEN} {dir}, k.id {dir} LIMIT {limit}",
        where_clause(&clauses)
    );
    (sql, params, page)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub total: i64,
    /// (outcome or None for no outcome yet, calls), in the order won, lost, tbd, none.
    pub outcomes: Vec<(Option<CallOutcome>, i64)>,
    /// Lost calls per loss reason, most frequent first ("(none)" for a reason deleted since).
    pub loss_reasons: Vec<(String, i64)>,
}

/// Outcome counts and the top `reasons` loss reasons of the calls matching `filter`.
pub fn stats(r: &Reader<'_>, filter: &Filter, reasons: usize) -> Result<Stats> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let clauses = filter.clauses(scope, &mut params);
    let sql = format!(
        "SELECT k.outcome, count(*) FROM calls k {} GROUP BY k.outcome",
        where_clause(&clauses)
    );
    let found: Vec<(Option<String>, i64)> = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let count_of = |o: Option<&str>| {
        found
            .iter()
            .find(|(k, _)| k.as_deref() == o)
            .map_or(0, |(_, n)| *n)
    };
    let mut outcomes: Vec<(Option<CallOutcome>, i64)> = CallOutcome::ALL
        .iter()
        .map(|&o| (Some(o), count_of(Some(o.as_str()))))
        .collect();
    outcomes.push((None, count_of(None)));
    let total = found.iter().map(|(_, n)| n).sum();

    // the lost calls among the filtered ones: none when the filter asks for another outcome
    // (overriding it counted every lost call's reason under "outcome:won")
    if filter.outcome.is_some_and(|o| o != CallOutcome::Lost) {
        return Ok(Stats {
            total,
            outcomes,
            loss_reasons: Vec::new(),
        });
    }
    let mut lost = filter.clone();
    lost.outcome = Some(CallOutcome::Lost);
    let mut params = Vec::new();
    let clauses = lost.clauses(scope, &mut params);
    let sql = format!(
        "SELECT ifnull(lr.name, '(none)'), count(*) AS n FROM calls k
         LEFT JOIN loss_reasons lr ON lr.id = k.loss_reason_id
         {} GROUP BY 1 ORDER BY n DESC, 1 LIMIT {reasons}",
        where_clause(&clauses)
    );
    let loss_reasons = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Stats {
        total,
        outcomes,
        loss_reasons,
    })
}

/// People who logged calls (id, name), by name: the owner filter's choices.
pub fn owners(r: &Reader<'_>, limit: usize) -> Result<Vec<(String, String)>> {
    let (conn, scope) = (r.conn(), r.scope());
    let mut params = Vec::new();
    let visible = scope.row_sql(
        "k.workspace_id",
        "k.customer_id",
        Some("k.user_id"),
        &mut params,
    );
    let sql = format!(
        "SELECT u.id, u.name FROM users u
         WHERE EXISTS (SELECT 1 FROM calls k WHERE k.user_id = u.id AND {visible})
         ORDER BY u.name, u.id LIMIT {limit}"
    );
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(params_from_iter(params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store;
    use crate::store::db::Connection;

    /// 300 calls in two workspaces by two users: completed ones, scheduled ones (to come or
    /// rescheduled, no completion) and bare ones; logged on days unrelated to when they took
    /// place, with ties on the date so the tie-break on id matters.
    fn book() -> store::Store {
        let s = super::super::fixture::tenants();
        let conn = s.conn();
        let mut x: u64 = 11;
        for i in 0..300u64 {
            let r = super::super::fixture::draw(&mut x);
            let day = |d: u64| format!("2026-{:02}-{:02}T10:00:00Z", 1 + d % 12, 1 + d % 28);
            let created = day(r % 40);
            let (scheduled, completed) = match r % 3 {
                0 => (None, Some(day(r / 3 % 40))),
                1 => (Some(day(r / 5 % 40)), None),
                _ => (None, None),
            };
            conn.execute(
                "INSERT INTO calls (id, workspace_id, user_id, prospect_name, call_type, status,
                   outcome, scheduled_at, completed_at, created_at)
                 VALUES (?1, ?2, ?3, 'Pat', ?4, ?5, ?6, ?7, ?8, ?9)",
                rusqlite::params![
                    format!("k{:04}", (i * 7919) % 300),
                    if r.is_multiple_of(4) { "w2" } else { "w1" },
                    if (r / 7).is_multiple_of(2) {
                        "u1"
                    } else {
                        "u2"
                    },
                    ["inbound", "outbound"][(r / 11 % 2) as usize],
                    ["completed", "no-show", "rescheduled"][(r % 3) as usize],
                    [Some("won"), Some("lost"), None][(r / 13 % 3) as usize],
                    scheduled,
                    completed,
                    created,
                ],
            )
            .expect("call");
        }
        s
    }

    fn filters() -> Vec<Filter> {
        let mut out = vec![Filter::default()];
        out.push(Filter {
            workspace_id: Some("w2".into()),
            ..Filter::default()
        });
        out.push(Filter {
            owner_id: Some("u1".into()),
            ..Filter::default()
        });
        out.push(Filter {
            status: Some(CallStatus::Rescheduled),
            ..Filter::default()
        });
        out.push(Filter {
            call_type: Some(CallType::Outbound),
            ..Filter::default()
        });
        out.push(Filter {
            outcome: Some(CallOutcome::Won),
            ..Filter::default()
        });
        out.push(Filter {
            workspace_id: Some("w1".into()),
            from: Some("2026-06-01".into()),
            ..Filter::default()
        });
        out
    }

    /// (date, id) of every call matching `f`, newest first, straight from the columns.
    fn expected(conn: &Connection, f: &Filter) -> Vec<(String, String)> {
        let mut all: Vec<(String, String, String, String, String, Option<String>)> = conn
            .prepare(
                "SELECT id, workspace_id, user_id, status,
                        ifnull(completed_at, ifnull(scheduled_at, created_at)), outcome
                 FROM calls",
            )
            .expect("all")
            .query_map([], |r| {
                Ok((
                    r.get(4)?,
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(5)?,
                ))
            })
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        all.retain(|(when, _, ws, user, status, outcome)| {
            f.workspace_id.as_ref().is_none_or(|w| w == ws)
                && f.owner_id.as_ref().is_none_or(|u| u == user)
                && f.status.is_none_or(|s| s.as_str() == status)
                && f.outcome
                    .is_none_or(|o| Some(o.as_str()) == outcome.as_deref())
                && f.from.as_ref().is_none_or(|d| when.as_str() >= d.as_str())
        });
        // call_type is not among the columns read: filter it in SQL
        if let Some(t) = f.call_type {
            let of_type: Vec<String> = conn
                .prepare("SELECT id FROM calls WHERE call_type = ?1")
                .expect("type")
                .query_map([t.as_str()], |r| r.get(0))
                .expect("ids")
                .collect::<rusqlite::Result<_>>()
                .expect("ids");
            all.retain(|c| of_type.contains(&c.1));
        }
        let mut out: Vec<(String, String)> = all.into_iter().map(|c| (c.0, c.1)).collect();
        out.sort();
        out.reverse();
        out
    }

    #[test]
    fn calls_are_dated_by_when_they_took_place_newest_first() {
        let s = book();
        let conn = s.conn();
        for f in filters() {
            let want = expected(conn, &f);
            assert!(!want.is_empty(), "{f:?}");
            // page by page forwards and backwards, as the list walks it
            let mut forward = Vec::new();
            let mut anchor = Anchor::Start;
            loop {
                let rows = page(&s.reader(false).expect("reader"), &f, &anchor, 7).expect("page");
                let Some(last) = rows.last() else { break };
                anchor = Anchor::After(last.cursor.clone());
                forward.extend(rows.iter().map(|r| (r.when.clone(), r.id.clone())));
            }
            assert_eq!(forward, want, "{f:?} forward");
            let mut backward = Vec::new();
            let mut anchor = Anchor::End;
            loop {
                let rows = page(&s.reader(false).expect("reader"), &f, &anchor, 7).expect("page");
                let Some(first) = rows.first() else { break };
                anchor = Anchor::Before(first.cursor.clone());
                backward.splice(0..0, rows.iter().map(|r| (r.when.clone(), r.id.clone())));
            }
            assert_eq!(backward, want, "{f:?} backward");
            assert_eq!(
                stats(&s.reader(false).expect("reader"), &f, 3)
                    .expect("stats")
                    .total,
                want.len() as i64,
                "{f:?}: the count is of the same calls"
            );
        }
    }

    #[test]
    fn loss_reasons_are_those_of_the_filtered_calls() {
        let s = book();
        let conn = s.conn();
        conn.execute_batch(
            "INSERT INTO loss_reasons (id, workspace_id, name) VALUES ('r1', 'w1', 'Price');
             UPDATE calls SET loss_reason_id = 'r1' WHERE outcome = 'lost';",
        )
        .expect("a reason");
        let lost: i64 = conn
            .query_row(
                "SELECT count(*) FROM calls WHERE outcome = 'lost'",
                [],
                |r| r.get(0),
            )
            .expect("count");
        let of = |outcome| {
            stats(
                &s.reader(false).expect("reader"),
                &Filter {
                    outcome,
                    ..Filter::default()
                },
                3,
            )
            .expect("stats")
            .loss_reasons
        };
        assert_eq!(of(None), [("Price".to_owned(), lost)]);
        assert_eq!(of(Some(CallOutcome::Lost)), [("Price".to_owned(), lost)]);
        assert_eq!(of(Some(CallOutcome::Won)), [], "no won call was lost");
        assert_eq!(of(Some(CallOutcome::Tbd)), []);
    }

    #[test]
    fn a_page_seeks_an_index_on_the_call_date() {
        let s = book();
        let conn = s.conn();
        let cursor = Cursor {
            key: Value::Text("2026-05-05T10:00:00Z".into()),
            id: "k0100".into(),
        };
        for f in filters() {
            for anchor in [Anchor::Start, Anchor::After(cursor.clone())] {
                let (sql, params, _) = page_sql(&Scope::everything(), &f, &anchor, 40);
                let plan = super::super::fixture::query_plan(conn, &sql, &params);
                assert!(
                    plan.contains("k USING INDEX idx_calls_") && !plan.contains("TEMP B-TREE"),
                    "{f:?}: the page must walk an index in date order, not sort:\n{plan}"
                );
            }
        }
    }
}
