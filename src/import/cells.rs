//! A cell of a file as the stored value of a column. Text of every kind goes through the
//! store's one definition of a valid value (`fields::parse_text`): money in decimal dollars,
//! lenient dates and times, enumerations by any spelling. What is decided here is only how a
//! typed cell (a JSON number, a spreadsheet date, a nested JSON object) becomes that text.

use rusqlite::types::Value;

use crate::store::FieldError;
use crate::store::catalog::{Column, Kind};
use crate::store::fields;

use super::read::Cell;

pub fn to_value(table: &str, column: &Column, cell: &Cell<'_>) -> Result<Value, FieldError> {
    let value = cell_value(table, column, cell)?;
    key_value(table, column, value)
}

/// A key column's UUID in the store's one form (lowercase, hyphenated: PostgreSQL may be
/// given any case, and references compare text); a table's own `id` must be a UUID.
fn key_value(table: &str, column: &Column, value: Value) -> Result<Value, FieldError> {
    let Value::Text(text) = &value else {
        return Ok(value);
    };
    // `id` is every UUID-keyed table's key (a table with a full-text index keeps SQLite's
    // rowid as its primary key and `id` as a unique column)
    let is_key = column.name == "id" || (column.pk > 0 && column.name.ends_with("_id"));
    if column.kind != Kind::Text || !is_key {
        return Ok(value);
    }
    match canonical_uuid(text) {
        Some(id) => Ok(Value::Text(id)),
        None if column.name == "id" => {
            Err(FieldError::new(table, &column.name, "is not a UUID").with_value(short(text)))
        }
        None => Ok(value),
    }
}

/// `text` as a lowercase hyphenated UUID, if it is one in any of the forms PostgreSQL reads
/// (any case, with or without hyphens or braces).
pub fn canonical_uuid(text: &str) -> Option<String> {
    uuid::Uuid::parse_str(text.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}

fn cell_value(table: &str, column: &Column, cell: &Cell<'_>) -> Result<Value, FieldError> {
    let text = |s: &str| fields::parse_text(table, column, s);
    match cell {
        Cell::Null => text(""),
        Cell::Text(s) if column.kind == Kind::Blob => match s.strip_prefix("\\x") {
            Some(hex) => decode_hex(hex)
                .map(Value::Blob)
                .ok_or_else(|| {
                    FieldError::new(table, &column.name, "is not hexadecimal bytes (\\x0a1b...)")
                        .with_value(short(s))
                })
                .and_then(|v| fields::check(table, column, v)),
            None => text(s),
        },
        Cell::Text(s) => text(s),
        // a PostgreSQL array literal in a JSON string (`"{a,b}"`) is read as the array
        Cell::JsonString(s) if column.json_array && s.trim_start().starts_with('{') => text(s),
        Cell::JsonString(s) if column.kind == Kind::Json => {
            // JSON held in a string ("{\"a\":1}") is common in exports; any other string is
            // the JSON string value itself
            let inner = s.trim_start();
            if (inner.starts_with('{') || inner.starts_with('['))
                && serde_json::from_str::<serde_json::Value>(s).is_ok()
            {
                text(s)
            } else {
                fields::check(
                    table,
                    column,
                    Value::Text(serde_json::Value::String((*s).to_owned()).to_string()),
                )
            }
        }
        Cell::JsonString(s) => cell_value(table, column, &Cell::Text(s)),
        Cell::Number(n) => text(&n.to_string()),
        Cell::Bool(b) if column.kind == Kind::Json => {
            fields::check(table, column, Value::Text(b.to_string()))
        }
        Cell::Bool(b) => text(if *b { "true" } else { "false" }),
        Cell::Json(v) if fields::is_vector(column) => fields::pg_vector(table, column, v),
        Cell::Json(v) if column.kind == Kind::Json => {
            fields::check(table, column, Value::Text(v.to_string()))
        }
        Cell::Json(v) => Err(FieldError::new(
            table,
            &column.name,
            "has the wrong type: a JSON array or object where a single value belongs",
        )
        .with_value(short(&v.to_string()))),
        Cell::Float(f) => text(&spreadsheet_number(*f)),
        Cell::Int(i) => text(&i.to_string()),
        Cell::DateTime(t) => match column.kind {
            Kind::Date => text(&t.format("%Y-%m-%d").to_string()),
            _ => text(&t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        },
        Cell::Error(e) => Err(FieldError::new(
            table,
            &column.name,
            format!("is a spreadsheet error ({e})"),
        )),
    }
}

/// A spreadsheet number as the text a person would type: whole numbers without `.0`.
fn spreadsheet_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// PostgreSQL's bytea hex form (`\x0a1b`), how export writes blobs.
pub fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    let hex = hex.trim();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

pub fn encode_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + bytes.len() * 2);
    out.push_str("\\x");
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}...", s.chars().take(60).collect::<String>())
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(kind: Kind) -> Column {
        Column {
            name: "c".into(),
            kind,
            not_null: false,
            has_default: false,
            default: None,
            pk: 0,
            is_rowid_alias: false,
            json_array: false,
            secret: false,
        }
    }

    #[test]
    fn typed_cells_become_text_the_store_parses() {
        let n: serde_json::Number = serde_json::from_str("1234.5").unwrap();
        assert_eq!(
            to_value("t", &col(Kind::Money), &Cell::Number(&n)).unwrap(),
            Value::Integer(123_450)
        );
        assert_eq!(
            to_value("t", &col(Kind::Integer), &Cell::Float(42.0)).unwrap(),
            Value::Integer(42)
        );
        assert_eq!(
            to_value("t", &col(Kind::Bool), &Cell::Bool(true)).unwrap(),
            Value::Integer(1)
        );
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        assert_eq!(
            to_value("t", &col(Kind::Date), &Cell::DateTime(t)).unwrap(),
            Value::Text("2026-03-01".into())
        );
        assert_eq!(
            to_value("t", &col(Kind::Timestamp), &Cell::DateTime(t)).unwrap(),
            Value::Text("2026-03-01T09:30:00Z".into())
        );
        assert!(to_value("t", &col(Kind::Integer), &Cell::Text("ten")).is_err());
        assert!(to_value("t", &col(Kind::Integer), &Cell::Error("#DIV/0!".into())).is_err());
    }

    #[test]
    fn json_columns_take_nested_values_or_json_text() {
        let v: serde_json::Value = serde_json::from_str(r#"{"a": [1, 2]}"#).unwrap();
        let j = col(Kind::Json);
        assert_eq!(
            to_value("t", &j, &Cell::Json(&v)).unwrap(),
            Value::Text(r#"{"a":[1,2]}"#.into())
        );
        assert_eq!(
            to_value("t", &j, &Cell::JsonString(r#"{"a":1}"#)).unwrap(),
            Value::Text(r#"{"a":1}"#.into())
        );
        assert_eq!(
            to_value("t", &j, &Cell::JsonString("hello")).unwrap(),
            Value::Text(r#""hello""#.into())
        );
        assert!(to_value("t", &j, &Cell::Text("{oops")).is_err());
        assert!(to_value("t", &col(Kind::Text), &Cell::Json(&v)).is_err());
    }

    #[test]
    fn key_uuids_are_lowercased_and_ids_validated() {
        let id = Column {
            name: "id".into(),
            pk: 1,
            ..col(Kind::Text)
        };
        assert_eq!(
            to_value(
                "t",
                &id,
                &Cell::Text("7F1C1A5E-0000-4000-8000-00000000000A")
            )
            .unwrap(),
            Value::Text("7f1c1a5e-0000-4000-8000-00000000000a".into())
        );
        let e = to_value("t", &id, &Cell::Text("row-1")).unwrap_err();
        assert_eq!(
            (e.column.as_str(), e.reason.as_str()),
            ("id", "is not a UUID")
        );
        // a key that is not the table's id may be any text (a composite key's name)
        let other = Column {
            name: "attr_id".into(),
            pk: 2,
            ..col(Kind::Text)
        };
        assert_eq!(
            to_value("t", &other, &Cell::Text("color")).unwrap(),
            Value::Text("color".into())
        );
        assert_eq!(
            canonical_uuid("{7F1C1A5E-0000-4000-8000-000000000001}").as_deref(),
            Some("7f1c1a5e-0000-4000-8000-000000000001")
        );
    }

    #[test]
    fn vectors_and_array_literals_from_json_files() {
        let embedding = Column {
            name: "embedding".into(),
            ..col(Kind::Blob)
        };
        let v: serde_json::Value = serde_json::from_str("[0.5, 1]").unwrap();
        let Value::Blob(b) = to_value("t", &embedding, &Cell::Json(&v)).unwrap() else {
            panic!("a blob")
        };
        assert_eq!(b.len(), 8);
        assert!(to_value("t", &embedding, &Cell::Text("[0.5,1]")).is_ok());
        let tags = Column {
            json_array: true,
            ..col(Kind::Json)
        };
        assert_eq!(
            to_value("t", &tags, &Cell::JsonString("{a,b}")).unwrap(),
            Value::Text(r#"["a","b"]"#.into())
        );
    }

    #[test]
    fn blobs_round_trip_as_hex() {
        let b = col(Kind::Blob);
        let hex = encode_hex(&[0, 1, 0xab, 0xff]);
        assert_eq!(hex, "\\x0001abff");
        assert_eq!(
            to_value("t", &b, &Cell::Text(&hex)).unwrap(),
            Value::Blob(vec![0, 1, 0xab, 0xff])
        );
        assert!(to_value("t", &b, &Cell::Text("\\xzz")).is_err());
    }
}
