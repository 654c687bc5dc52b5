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
        Cell::JsonString(s) => to_value(table, column, &Cell::Text(s)),
        Cell::Number(n) => text(&n.to_string()),
        Cell::Bool(b) if column.kind == Kind::Json => {
            fields::check(table, column, Value::Text(b.to_string()))
        }
        Cell::Bool(b) => text(if *b { "true" } else { "false" }),
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
            pk: 0,
            is_rowid_alias: false,
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
