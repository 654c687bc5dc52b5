//! Any table of the schema, paged: what the dashboard's table browser reads. Identifiers come
//! only from the catalog (a table or column name the catalog does not know is an error, never
//! spliced into SQL); what the user types is bound as a parameter. Every read keeps to the
//! reader's scope (the same condition `cscx export` applies) and never selects a secret.
//!
//! Paging is by keyset on an index: the sort is an indexed column (or the rowid), ties are
//! broken by the rowid, so `(key, rowid)` orders every row exactly once. SQLite sorts NULLs
//! first going up, so the ordering is two segments — the NULL keys by rowid, then the
//! non-NULL keys by `(key, rowid)` — each read with its own seek (a row-value comparison with
//! NULL would match nothing).

use crate::store::db::{Connection, params_from_iter};
use rusqlite::types::{Value, ValueRef};

use super::Anchor;
use super::customers::Cursor;
use super::dump::visible_sql;
use super::reader::Reader;
use crate::store::catalog::{Kind, Table};
use crate::store::error::{Result, StoreError};
use crate::store::rows::quote;

/// Text longer than this is cut in a page (the row's detail reads it whole).
pub const LIST_TEXT: usize = 200;

/// One column as the browser shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    pub kind: Kind,
    /// The table and column this column refers to (a single-column foreign key).
    pub reference: Option<(String, String)>,
}

/// A sort the browser offers: an indexed column, in the collation of its index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SortKey {
    pub column: String,
    pub collation: String,
}

/// What the browser needs to know of a table before reading its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub table: String,
    /// Every column but SQLite's own rowid alias and the secrets, in table order.
    pub columns: Vec<ColumnInfo>,
    /// The indexed sorts (the rowid, "row order", is always offered besides).
    pub sorts: Vec<SortKey>,
}

impl Shape {
    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A value as read: text as text, a blob by its length only.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(usize),
}

impl Cell {
    fn read(v: ValueRef<'_>, blob_length: bool) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(n) if blob_length => Cell::Blob(usize::try_from(n).unwrap_or(0)),
            ValueRef::Integer(n) => Cell::Integer(n),
            ValueRef::Real(x) => Cell::Real(x),
            ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Cell::Blob(b.len()),
        }
    }

    /// The value as text (not yet neutralised for a terminal).
    pub fn text(&self) -> String {
        match self {
            Cell::Null => String::new(),
            Cell::Integer(n) => n.to_string(),
            Cell::Real(x) => x.to_string(),
            Cell::Text(t) => t.clone(),
            Cell::Blob(n) => format!("<{n} bytes>"),
        }
    }

    /// The value a link follows (a foreign key's value), if it can be one.
    pub fn link_value(&self) -> Option<Value> {
        match self {
            Cell::Integer(n) => Some(Value::Integer(*n)),
            Cell::Text(t) => Some(Value::Text(t.clone())),
            _ => None,
        }
    }
}

/// How a filter matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// The text anywhere in the value, case-insensitively (ASCII).
    Contains,
    Equals,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub column: String,
    pub op: Op,
    pub text: String,
}

/// What to list.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub table: String,
    /// An indexed column of [`Shape::sorts`], or None for the rowid.
    pub sort: Option<String>,
    pub descending: bool,
    pub filter: Option<Filter>,
}

impl Query {
    pub fn new(table: &str) -> Query {
        Query {
            table: table.to_owned(),
            sort: None,
            descending: false,
            filter: None,
        }
    }
}

/// A row of a page: its rowid, its values in [`Shape::columns`] order (long text cut), and its
/// place in the ordering.
#[derive(Debug, Clone, PartialEq)]
pub struct BrowseRow {
    pub rowid: i64,
    pub values: Vec<Cell>,
    pub cursor: Cursor,
}

fn missing(entity: &str, id: &str) -> StoreError {
    StoreError::NotFound {
        entity: entity.to_owned(),
        id: id.to_owned(),
    }
}

fn table<'c>(r: &Reader<'c>, name: &str) -> Result<&'c Table> {
    r.catalog()
        .table(name)
        .filter(|t| !t.is_view)
        .ok_or_else(|| missing("table", name))
}

/// The names of every table the browser opens: every base table of the catalog.
pub fn tables(r: &Reader<'_>) -> Vec<String> {
    r.catalog().tables().map(|t| t.name.clone()).collect()
}

/// The columns and indexed sorts of `name`.
pub fn shape(r: &Reader<'_>, name: &str) -> Result<Shape> {
    let t = table(r, name)?;
    let columns = t
        .data_columns()
        .filter(|c| !c.secret)
        .map(|c| ColumnInfo {
            name: c.name.clone(),
            kind: c.kind,
            reference: t.reference(&c.name).map(|fk| {
                let parent_column = fk.parent_columns.first().cloned().unwrap_or_else(|| {
                    r.catalog()
                        .table(&fk.parent)
                        .and_then(|p| p.key.first().cloned())
                        .unwrap_or_else(|| "rowid".into())
                });
                (fk.parent.clone(), parent_column)
            }),
        })
        .collect::<Vec<_>>();
    let sorts = indexed_sorts(r.conn(), t)?
        .into_iter()
        .filter(|s| columns.iter().any(|c| c.name == s.column))
        .collect();
    Ok(Shape {
        table: t.name.clone(),
        columns,
        sorts,
    })
}

/// The leading column of each full (not partial) index of `t` on a plain column, once each,
/// kept only where SQLite's plan for `ORDER BY column, rowid` reads the index in that order:
/// a one-column index, or one led by the column whose runs of equal keys are short.
fn indexed_sorts(conn: &Connection, t: &Table) -> Result<Vec<SortKey>> {
    let mut stmt = conn.prepare(
        "SELECT x.name, x.coll FROM pragma_index_list(?1) l, pragma_index_xinfo(l.name) x
         WHERE x.seqno = 0 AND l.partial = 0 AND x.cid >= 0
         ORDER BY l.origin = 'pk' DESC, l.name",
    )?;
    let found: Vec<(String, String)> = stmt
        .query_map([&t.name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut sorts: Vec<SortKey> = Vec::new();
    for (column, collation) in found {
        if sorts.iter().any(|s| s.column == column) || t.column(&column).is_none() {
            continue;
        }
        let sort = SortKey { column, collation };
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT t.rowid FROM {} t ORDER BY {}, t.rowid",
            quote(&t.name),
            sort_expr(&sort)
        );
        let plan: Vec<String> = conn
            .prepare(&sql)?
            .query_map([], |r| r.get(3))?
            .collect::<rusqlite::Result<_>>()?;
        // a sort of the whole table is refused; a partial one ("RIGHT PART OF ORDER BY": an
        // index led by the column with more after it) sorts each run of equal keys, cheap
        // for a customer's calls, not for a status that is a third of the table (`bench
        // browse`: 120 ms a page on 10k customers), so it is kept only where runs are short
        let full = plan.iter().any(|s| s.contains("TEMP B-TREE FOR ORDER BY"));
        let partial = plan.iter().any(|s| s.contains("TEMP B-TREE"));
        if !full && (!partial || short_runs(conn, t, &sort.column)?) {
            sorts.push(sort);
        }
    }
    Ok(sorts)
}

/// Rows a run of equal keys may hold for a partially sorted page to stay cheap.
const SHORT_RUN: i64 = 1000;

/// Whether the runs of equal `column` values are short: the run of the row at a quarter, half
/// and three quarters of the rowid range (a row drawn at random falls in a long run more
/// often than a short one), each counted no further than [`SHORT_RUN`] through the index.
/// (`+column`: the row is found by rowid; the index on the column would be walked from its
/// start; min and max in one SELECT would scan the table, 800 ms on kpi_time_series of a
/// 100k book: each is its own lookup.)
fn short_runs(conn: &Connection, t: &Table, column: &str) -> Result<bool> {
    let (tq, c) = (quote(&t.name), quote(column));
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM {tq} WHERE {c} = (
            SELECT {c} FROM {tq} WHERE +{c} IS NOT NULL AND rowid >= (
                SELECT lo + (hi - lo) * ?1 / 4 FROM (SELECT (SELECT min(rowid) FROM {tq}) AS lo,
                                                           (SELECT max(rowid) FROM {tq}) AS hi))
            LIMIT 1) LIMIT {SHORT_RUN})"
    );
    let mut stmt = conn.prepare(&sql)?;
    for quarter in 1..=3 {
        let n: i64 = stmt.query_row([quarter], |r| r.get(0))?;
        if n >= SHORT_RUN {
            return Ok(false);
        }
    }
    Ok(true)
}

fn sort_expr(s: &SortKey) -> String {
    format!("t.{} COLLATE {}", quote(&s.column), quote(&s.collation))
}

/// The SELECT list of a page: each column (text cut to [`LIST_TEXT`], a blob's length), then
/// the sort key whole and the rowid.
fn select_list(t: &Table, shape: &Shape, key: &str, cut: bool) -> String {
    let mut cols: Vec<String> = shape
        .columns
        .iter()
        .map(|c| {
            let q = format!("t.{}", quote(&c.name));
            let blob = t.column(&c.name).is_some_and(|c| c.kind == Kind::Blob);
            if blob {
                format!("length({q})")
            } else if cut {
                format!(
                    "CASE WHEN typeof({q}) = 'text' THEN substr({q}, 1, {LIST_TEXT}) ELSE {q} END"
                )
            } else {
                q
            }
        })
        .collect();
    cols.push(key.to_owned());
    cols.push("t.rowid".into());
    cols.join(", ")
}

/// The conditions every read of `q` shares (scope, filter), onto `params`.
fn conditions(
    r: &Reader<'_>,
    t: &Table,
    q: &Query,
    params: &mut Vec<Value>,
) -> Result<Vec<String>> {
    let mut clauses = vec![visible_sql(r.catalog(), t, r.scope(), params)];
    // an empty filter is no filter (LIKE '%%' would leave out the NULLs)
    if let Some(f) = q.filter.as_ref().filter(|f| !f.text.is_empty()) {
        let c = t
            .column(&f.column)
            .filter(|c| !c.secret)
            .ok_or_else(|| missing("column", &format!("{}.{}", t.name, f.column)))?;
        let col = format!("t.{}", quote(&c.name));
        match f.op {
            Op::Contains => {
                let escaped = f
                    .text
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                params.push(Value::Text(format!("%{escaped}%")));
                clauses.push(format!("{col} LIKE ?{} ESCAPE '\\'", params.len()));
            }
            Op::Equals => {
                params.push(Value::Text(f.text.clone()));
                clauses.push(format!("{col} = ?{}", params.len()));
            }
        }
    }
    Ok(clauses)
}

/// Which part of the ordering a read is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment {
    Nulls,
    Keys,
}

/// A page of `q` from `anchor`: at most `limit` rows in display order.
pub fn page(
    r: &Reader<'_>,
    shape: &Shape,
    q: &Query,
    anchor: &Anchor<Cursor>,
    limit: usize,
) -> Result<Vec<BrowseRow>> {
    let t = table(r, &q.table)?;
    let backwards = matches!(anchor, Anchor::End | Anchor::Before(_));
    // the direction rows are read in: a descending list read backwards is read ascending
    let ascending = q.descending == backwards;
    let sort = match &q.sort {
        None => None,
        Some(c) => Some(
            shape
                .sorts
                .iter()
                .find(|s| &s.column == c)
                .ok_or_else(|| missing("index on", &format!("{}.{c}", t.name)))?,
        ),
    };
    let cursor = match anchor {
        Anchor::After(c) | Anchor::Before(c) => Some(c),
        _ => None,
    };
    let mut rows = Vec::new();
    match sort {
        None => {
            let part = Segmented {
                sort: None,
                seg: Segment::Keys,
                bound: cursor.map(|c| (Value::Null, c)),
                up: ascending,
                limit,
            };
            read_segment(r, t, shape, q, &part, &mut rows)?;
        }
        Some(s) => {
            // reading up (ascending) the NULLs come first; down, last
            let order = if ascending {
                [Segment::Nulls, Segment::Keys]
            } else {
                [Segment::Keys, Segment::Nulls]
            };
            let start = match cursor {
                Some(c) if c.key == Value::Null => Segment::Nulls,
                Some(_) => Segment::Keys,
                None => order[0],
            };
            // a NOT NULL column has no NULL segment to read
            let nullable = !t.column(&s.column).is_some_and(|c| c.not_null);
            let mut begun = false;
            for seg in order {
                begun |= seg == start;
                if !begun || rows.len() >= limit || (seg == Segment::Nulls && !nullable) {
                    continue;
                }
                let part = Segmented {
                    sort: Some(s),
                    seg,
                    bound: cursor.filter(|_| seg == start).map(|c| (c.key.clone(), c)),
                    up: ascending,
                    limit: limit - rows.len(),
                };
                read_segment(r, t, shape, q, &part, &mut rows)?;
            }
        }
    }
    if backwards {
        rows.reverse();
    }
    Ok(rows)
}

/// One page request of one segment: which sort, which part, from where, which way.
struct Segmented<'a> {
    sort: Option<&'a SortKey>,
    seg: Segment,
    bound: Option<(Value, &'a Cursor)>,
    up: bool,
    limit: usize,
}

/// The SELECT of one segment's page and its parameters.
fn segment_sql(
    r: &Reader<'_>,
    t: &Table,
    shape: &Shape,
    q: &Query,
    s: &Segmented<'_>,
) -> Result<(String, Vec<Value>)> {
    let mut params = Vec::new();
    let mut clauses = conditions(r, t, q, &mut params)?;
    let (op, dir) = if s.up { (">", "ASC") } else { ("<", "DESC") };
    let rowid_of = |c: &Cursor| -> Result<Value> {
        c.id.parse::<i64>()
            .map(Value::Integer)
            .map_err(|_| missing("row", &c.id))
    };
    let (key, order) = match (s.sort, s.seg) {
        (None, _) => {
            if let Some((_, c)) = &s.bound {
                params.push(rowid_of(c)?);
                clauses.push(format!("t.rowid {op} ?{}", params.len()));
            }
            ("NULL".to_owned(), format!("t.rowid {dir}"))
        }
        (Some(k), Segment::Nulls) => {
            let col = format!("t.{}", quote(&k.column));
            clauses.push(format!("{col} IS NULL"));
            if let Some((_, c)) = &s.bound {
                params.push(rowid_of(c)?);
                clauses.push(format!("t.rowid {op} ?{}", params.len()));
            }
            // in the index's collation, so the index's order is the order asked for
            (
                "NULL".to_owned(),
                format!("{} {dir}, t.rowid {dir}", sort_expr(k)),
            )
        }
        (Some(k), Segment::Keys) => {
            let expr = sort_expr(k);
            clauses.push(format!("t.{} IS NOT NULL", quote(&k.column)));
            if let Some((key, c)) = &s.bound {
                params.push(key.clone());
                params.push(rowid_of(c)?);
                let n = params.len();
                clauses.push(format!("({expr}, t.rowid) {op} (?{}, ?{n})", n - 1));
            }
            (
                format!("t.{}", quote(&k.column)),
                format!("{expr} {dir}, t.rowid {dir}"),
            )
        }
    };
    params.push(Value::Integer(i64::try_from(s.limit).unwrap_or(i64::MAX)));
    let sql = format!(
        "SELECT {} FROM {} t WHERE {} ORDER BY {order} LIMIT ?{}",
        select_list(t, shape, &key, true),
        quote(&t.name),
        clauses.join(" AND "),
        params.len()
    );
    Ok((sql, params))
}

/// Reads one segment of the ordering onto `out`.
fn read_segment(
    r: &Reader<'_>,
    t: &Table,
    shape: &Shape,
    q: &Query,
    s: &Segmented<'_>,
    out: &mut Vec<BrowseRow>,
) -> Result<()> {
    let (sql, params) = segment_sql(r, t, shape, q, s)?;
    let n = shape.columns.len();
    let blobs: Vec<bool> = shape.columns.iter().map(|c| c.kind == Kind::Blob).collect();
    let mut stmt = r.conn().prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    while let Some(row) = rows.next()? {
        let values = (0..n)
            .map(|i| Ok(Cell::read(row.get_ref(i)?, blobs[i])))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let key: Value = row.get(n)?;
        let rowid: i64 = row.get(n + 1)?;
        out.push(BrowseRow {
            rowid,
            values,
            cursor: Cursor {
                key,
                id: rowid.to_string(),
            },
        });
    }
    Ok(())
}

/// How many rows of `q` the reader may see (filtered): the worker counts, never the UI.
pub fn count(r: &Reader<'_>, q: &Query) -> Result<i64> {
    let t = table(r, &q.table)?;
    let mut params = Vec::new();
    let clauses = conditions(r, t, q, &mut params)?;
    let sql = format!(
        "SELECT count(*) FROM {} t WHERE {}",
        quote(&t.name),
        clauses.join(" AND ")
    );
    Ok(r.conn()
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |row| row.get(0))?)
}

/// Row `rowid` of `table` whole (text uncut; a blob by its length), in [`Shape::columns`]
/// order, if the reader may see it.
pub fn row(r: &Reader<'_>, shape: &Shape, rowid: i64) -> Result<Option<Vec<Cell>>> {
    let t = table(r, &shape.table)?;
    let mut params = Vec::new();
    let visible = visible_sql(r.catalog(), t, r.scope(), &mut params);
    params.push(Value::Integer(rowid));
    let sql = format!(
        "SELECT {} FROM {} t WHERE {visible} AND t.rowid = ?{}",
        select_list(t, shape, "NULL", false),
        quote(&t.name),
        params.len()
    );
    let n = shape.columns.len();
    let blobs: Vec<bool> = shape.columns.iter().map(|c| c.kind == Kind::Blob).collect();
    let mut stmt = r.conn().prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    Ok(Some(
        (0..n)
            .map(|i| Ok(Cell::read(row.get_ref(i)?, blobs[i])))
            .collect::<rusqlite::Result<Vec<_>>>()?,
    ))
}

/// The rowid of the row of `table` whose `column` is `value` (a reference followed), if the
/// reader may see it.
pub fn find(r: &Reader<'_>, table_name: &str, column: &str, value: &Value) -> Result<Option<i64>> {
    let t = table(r, table_name)?;
    let col = if column == "rowid" {
        "t.rowid".to_owned()
    } else {
        let c = t
            .column(column)
            .filter(|c| !c.secret)
            .ok_or_else(|| missing("column", &format!("{table_name}.{column}")))?;
        format!("t.{}", quote(&c.name))
    };
    let mut params = Vec::new();
    let visible = visible_sql(r.catalog(), t, r.scope(), &mut params);
    params.push(value.clone());
    let sql = format!(
        "SELECT t.rowid FROM {} t WHERE {visible} AND {col} = ?{} LIMIT 1",
        quote(&t.name),
        params.len()
    );
    let mut stmt = r.conn().prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(params.iter()))?;
    Ok(match rows.next()? {
        Some(row) => Some(row.get(0)?),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::read::fixture::query_plan;

    /// Every page of every offered sort of the big tables seeks its index: no sort of the
    /// table, whatever the depth (the plan of a page from a row is the plan of any page).
    #[test]
    fn a_page_reads_the_index_and_never_sorts_the_table() {
        let s = crate::store::open_in_memory().expect("store");
        let r = s.reader(false).expect("reader");
        let cursor = Cursor {
            key: Value::Text("m".into()),
            id: "10".into(),
        };
        let mut checked = 0;
        for table in [
            "activity_log",
            "events",
            "customers",
            "calls",
            "agent_messages",
        ] {
            let shape = shape(&r, table).expect("shape");
            let t = r.catalog().table(table).expect("table");
            let nullable = |k: &SortKey| !t.column(&k.column).is_some_and(|c| c.not_null);
            let q = Query::new(table);
            assert!(!shape.sorts.is_empty(), "{table}: some indexed sort");
            let sorts = std::iter::once(None).chain(shape.sorts.iter().map(Some));
            for sort in sorts {
                for seg in [Segment::Nulls, Segment::Keys] {
                    if seg == Segment::Nulls && !sort.is_some_and(nullable) {
                        continue; // never read
                    }
                    for up in [true, false] {
                        let part = Segmented {
                            sort,
                            seg,
                            bound: Some((cursor.key.clone(), &cursor)),
                            up,
                            limit: 41,
                        };
                        let (sql, params) = segment_sql(&r, t, &shape, &q, &part).expect("sql");
                        let plan = query_plan(s.conn(), &sql, &params);
                        assert!(
                            !plan.contains("TEMP B-TREE FOR ORDER BY"),
                            "{table} {sort:?} {seg:?}: {plan}"
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 20);
    }

    #[test]
    fn secrets_are_not_columns_and_blobs_are_read_by_length() {
        let s = crate::store::open_in_memory().expect("store");
        let r = s.reader(false).expect("reader");
        let users = shape(&r, "users").expect("users");
        assert!(users.column("email").is_some());
        assert!(users.column("password_hash").is_none());
        assert_eq!(Cell::read(ValueRef::Integer(6144), true), Cell::Blob(6144));
        assert_eq!(Cell::Blob(6144).text(), "<6144 bytes>");
        assert_eq!(Cell::Null.text(), "");
    }
}
