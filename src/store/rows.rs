//! Rows as ordered column → value lists, and their JSON form.
//!
//! JSON is how a row appears in `activity_log` (old and new values) and how typed entities
//! (`entities`) are (de)serialised: booleans are JSON booleans, JSON columns are nested JSON,
//! blobs are summarised by size (an audit trail should not carry megabytes of Excel).

use crate::store::db::{Connection, params_from_iter};
use rusqlite::types::{Value, ValueRef};
use serde_json::{Map, Value as Json};

use super::catalog::{Column, Kind, Table};
use super::error::{FieldError, Result};
use super::fields;

/// Column name → value, in insertion order.
pub type Row = Vec<(String, Value)>;

/// Quotes an identifier for SQL. Names come from the catalog, never from input, but quoting
/// keeps columns such as `timestamp` and `type` unambiguous.
pub fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

/// The value of `column` in `row`, if present.
pub fn get<'r>(row: &'r Row, column: &str) -> Option<&'r Value> {
    row.iter().find(|(c, _)| c == column).map(|(_, v)| v)
}

/// Sets `column` in `row`, replacing an existing value.
pub fn set(row: &mut Row, column: &str, value: Value) {
    match row.iter_mut().find(|(c, _)| c == column) {
        Some(slot) => slot.1 = value,
        None => row.push((column.to_owned(), value)),
    }
}

pub fn text(row: &Row, column: &str) -> Option<String> {
    match get(row, column) {
        Some(Value::Text(s)) => Some(s.clone()),
        _ => None,
    }
}

/// A stored value as JSON, per the column's kind.
pub fn sql_to_json(column: &Column, value: ValueRef<'_>) -> Json {
    match (column.kind, value) {
        (_, ValueRef::Null) => Json::Null,
        (Kind::Bool, ValueRef::Integer(i)) => Json::Bool(i != 0),
        (Kind::Json, ValueRef::Text(t)) => {
            let s = String::from_utf8_lossy(t);
            serde_json::from_str(&s).unwrap_or(Json::String(s.into_owned()))
        }
        (_, ValueRef::Integer(i)) => Json::from(i),
        (_, ValueRef::Real(r)) => serde_json::Number::from_f64(r).map_or(Json::Null, Json::Number),
        (_, ValueRef::Text(t)) => Json::String(String::from_utf8_lossy(t).into_owned()),
        (_, ValueRef::Blob(b)) => Json::String(format!("<{} bytes>", b.len())),
    }
}

/// A JSON value as the stored value of `column`, validated by [`fields::check`].
pub fn json_to_sql(table: &str, column: &Column, value: &Json) -> Result<Value, FieldError> {
    let wrong =
        || FieldError::new(table, &column.name, "has the wrong type").with_value(value.to_string());
    let v = match (column.kind, value) {
        (_, Json::Null) => Value::Null,
        (Kind::Json, v) => Value::Text(v.to_string()),
        (Kind::Bool, Json::Bool(b)) => Value::Integer(*b as i64),
        (_, Json::Bool(_)) => return Err(wrong()),
        (Kind::Real, Json::Number(n)) => Value::Real(n.as_f64().ok_or_else(wrong)?),
        (_, Json::Number(n)) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().ok_or_else(wrong)?),
        },
        (_, Json::String(s)) => Value::Text(s.clone()),
        (_, Json::Array(_) | Json::Object(_)) => return Err(wrong()),
    };
    fields::check(table, column, v)
}

/// A JSON object as a row of `table`. Every key must be a column of the table.
pub fn json_to_row(table: &Table, object: &Map<String, Json>) -> Result<Row> {
    let mut row = Row::with_capacity(object.len());
    for (key, value) in object {
        let column = table
            .column(key)
            .ok_or_else(|| FieldError::new(&table.name, key, "is not a column of this table"))?;
        row.push((key.clone(), json_to_sql(&table.name, column, value)?));
    }
    Ok(row)
}

/// A row read back with [`read_json`] as a row again, without its blob columns (their JSON
/// form is only a size summary).
pub fn stored_row(table: &Table, object: &Map<String, Json>) -> Result<Row> {
    let mut row = Row::with_capacity(object.len());
    for (key, value) in object {
        match table.column(key) {
            Some(column) if column.kind != Kind::Blob => {
                row.push((key.clone(), json_to_sql(&table.name, column, value)?));
            }
            _ => {}
        }
    }
    Ok(row)
}

/// The row of `table` whose key columns equal `key`, as JSON (all data columns).
pub fn read_json(
    conn: &Connection,
    table: &Table,
    key: &[(String, Value)],
) -> Result<Option<Map<String, Json>>> {
    let columns: Vec<&Column> = table.data_columns().collect();
    let select: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let filter: Vec<String> = key
        .iter()
        .map(|(c, _)| format!("{} = ?", quote(c)))
        .collect();
    let sql = format!(
        "SELECT {} FROM {} WHERE {}",
        select.join(", "),
        quote(&table.name),
        filter.join(" AND ")
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(key.iter().map(|(_, v)| v)))?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let mut object = Map::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        object.insert(column.name.clone(), sql_to_json(column, row.get_ref(i)?));
    }
    Ok(Some(object))
}

/// The subset of `object` whose keys are in `keep`, for logging only what changed.
pub fn pick(object: &Map<String, Json>, keep: &[&str]) -> Map<String, Json> {
    object
        .iter()
        .filter(|(k, _)| keep.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}
