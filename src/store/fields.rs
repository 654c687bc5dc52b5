//! The one definition of what a valid value of each column kind is.
//!
//! `parse_text` turns human or file text (an import cell, a form field) into the stored value;
//! `check` validates a value that is already typed (from a Rust struct). The importer, the
//! dashboard's forms and the typed writes all come through here, so a rule changes in one place.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::types::Value;

use super::catalog::{Column, Kind};
use super::enums;
use super::error::FieldError;
use super::ids;

/// Parses `text` as a value for `column` of `table`. Empty text is NULL.
pub fn parse_text(table: &str, column: &Column, text: &str) -> Result<Value, FieldError> {
    let err = |reason: String| FieldError::new(table, &column.name, reason).with_value(text);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return if column.required() {
            Err(FieldError::new(table, &column.name, "is required"))
        } else {
            Ok(Value::Null)
        };
    }
    let value = match column.kind {
        Kind::Text => Value::Text(text.to_owned()),
        Kind::Integer => match (parse_integer(trimmed), duration_unit(table, &column.name)) {
            (Ok(n), _) => Value::Integer(n),
            // a duration column also takes what people write (45m, 1h5m, 1:05:00), as the
            // dashboard's forms do; a whole number stays the stored unit, so exports load back
            (Err(_), Some(unit)) => {
                let seconds = super::human::parse_duration(trimmed).map_err(err)?;
                Value::Integer(match unit {
                    Unit::Seconds => seconds,
                    Unit::Minutes => super::human::minutes(seconds),
                })
            }
            (Err(e), None) => return Err(err(e)),
        },
        Kind::Real => Value::Real(parse_real(trimmed).map_err(err)?),
        Kind::Bool => Value::Integer(parse_bool(trimmed).map_err(err)? as i64),
        Kind::Money => Value::Integer(parse_money_cents(trimmed).map_err(err)?),
        Kind::Date => Value::Text(ids::date(parse_date(trimmed).map_err(err)?)),
        Kind::Timestamp => Value::Text(ids::timestamp_precise(
            parse_timestamp(trimmed).map_err(err)?,
        )),
        // PostgreSQL writes a TEXT[] as `{a,"b c"}` (and an empty one as `{}`, which JSON
        // would read as an object)
        Kind::Json if column.json_array && trimmed.starts_with('{') => Value::Text(
            super::pg_text::array_to_json(trimmed)
                .map_err(|e| {
                    err(format!(
                        "is not an array (JSON [..] or PostgreSQL {{..}}): {e}"
                    ))
                })?
                .to_string(),
        ),
        Kind::Json => {
            serde_json::from_str::<serde_json::Value>(trimmed)
                .map_err(|e| err(format!("is not valid JSON: {e}")))?;
            Value::Text(trimmed.to_owned())
        }
        Kind::Enum(texts) => Value::Text(
            enums::canonical(texts, trimmed)
                .ok_or_else(|| err(format!("must be one of {}", texts.join(", "))))?
                .to_owned(),
        ),
        Kind::Blob if is_vector(column) => {
            Value::Blob(super::pg_text::vector_to_blob(trimmed).map_err(err)?)
        }
        Kind::Blob => Value::Blob(text.as_bytes().to_vec()),
    };
    check(table, column, value)
}

/// A blob column holding an embedding: the seed's pgvector `VECTOR(1536)`, stored as
/// little-endian `f32`s, read from pgvector's text `[0.1,...]` or a JSON array of numbers.
pub fn is_vector(column: &Column) -> bool {
    column.kind == Kind::Blob && column.name == "embedding"
}

/// A JSON array of numbers (a JSON file's embedding) as the stored vector.
pub fn pg_vector(
    table: &str,
    column: &Column,
    value: &serde_json::Value,
) -> Result<Value, FieldError> {
    super::pg_text::vector_json_to_blob(value)
        .map(Value::Blob)
        .map_err(|e| FieldError::new(table, &column.name, e))
}

fn is_id(column: &Column) -> bool {
    column.pk > 0 || column.name == "id" || column.name.ends_with("_id")
}

/// The unit a duration column stores (the schema's comments say which).
enum Unit {
    Seconds,
    Minutes,
}

/// The columns that hold a duration, and in what unit.
fn duration_unit(table: &str, column: &str) -> Option<Unit> {
    match (table, column) {
        ("calls", "call_duration") | ("transcripts", "duration") => Some(Unit::Seconds),
        ("playbook_reports", "duration") => Some(Unit::Seconds),
        ("meetings", "duration") | ("training_modules", "duration") => Some(Unit::Minutes),
        _ => None,
    }
}

/// Validates an already-typed value for `column`; returns it in stored form.
pub fn check(table: &str, column: &Column, value: Value) -> Result<Value, FieldError> {
    let shown = |v: &Value| match v {
        // a value quoted in a message is never echoed whole
        Value::Text(s) => crate::sanitize::shortened(s, 200).into_owned(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Blob(b) => format!("<{} bytes>", b.len()),
        Value::Null => "NULL".into(),
    };
    let err =
        |reason: &str, v: &Value| FieldError::new(table, &column.name, reason).with_value(shown(v));
    match (&column.kind, &value) {
        (_, Value::Null) if column.not_null && !column.has_default && !column.is_rowid_alias => {
            Err(FieldError::new(table, &column.name, "is required"))
        }
        (_, Value::Null) => Ok(Value::Null),
        // an id (a key, a reference, an external id) is printed in messages and typed in
        // commands: it must not be able to hide or rewrite what the terminal shows
        (Kind::Text, Value::Text(s))
            if is_id(column) && s.chars().any(crate::sanitize::is_unsafe) =>
        {
            Err(err("must not contain control characters", &value))
        }
        (Kind::Text, Value::Text(s)) if holds_email(&column.name) && !looks_like_email(s) => Err(
            err("is not an email address (e.g. pat@example.com)", &value),
        ),
        (Kind::Text, Value::Text(_)) => Ok(value),
        (Kind::Integer, Value::Integer(n))
            if *n < 0 && duration_unit(table, &column.name).is_some() =>
        {
            Err(err("must not be negative", &value))
        }
        (Kind::Integer, Value::Integer(_)) => Ok(value),
        (Kind::Money, Value::Integer(c)) if *c < 0 => Err(err("must not be negative", &value)),
        (Kind::Money, Value::Integer(_)) => Ok(value),
        (Kind::Real, Value::Real(r)) if !r.is_finite() => {
            Err(err("must be a finite number", &value))
        }
        (Kind::Real, Value::Real(_)) => Ok(value),
        (Kind::Real, Value::Integer(i)) => Ok(Value::Real(*i as f64)),
        (Kind::Bool, Value::Integer(0 | 1)) => Ok(value),
        (Kind::Bool, Value::Integer(_)) => Err(err("must be true or false", &value)),
        (Kind::Date, Value::Text(s)) => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if ids::date(d) == *s => Ok(value),
            _ => Err(err("must be a date YYYY-MM-DD", &value)),
        },
        (Kind::Timestamp, Value::Text(s)) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) if ids::timestamp_precise(t.with_timezone(&Utc)) == *s => Ok(value),
            _ => Err(err(
                "must be a UTC time YYYY-MM-DDTHH:MM:SSZ (or with six decimals of a second)",
                &value,
            )),
        },
        (Kind::Json, Value::Text(s)) => match serde_json::from_str::<serde_json::Value>(s) {
            Ok(v) if column.json_array && !v.is_array() => {
                Err(err("must be an array ([..], or PostgreSQL's {..})", &value))
            }
            Ok(_) => Ok(value),
            Err(e) => Err(err(&format!("is not valid JSON: {e}"), &value)),
        },
        (Kind::Enum(texts), Value::Text(s)) if texts.contains(&s.as_str()) => Ok(value),
        (Kind::Enum(texts), Value::Text(_)) => {
            Err(err(&format!("must be one of {}", texts.join(", ")), &value))
        }
        (Kind::Blob, Value::Blob(_)) => Ok(value),
        (kind, v) => Err(err(&format!("has the wrong type for a {kind:?} column"), v)),
    }
}

/// The columns that hold an email address (users, stakeholders, a call's prospect).
fn holds_email(column: &str) -> bool {
    column == "email" || column.ends_with("_email")
}

/// An address mail could be sent to: one `@` between a local part and a domain with a dot,
/// no spaces. Deliberately loose (RFC 5322 allows far more); it catches a name or a phone
/// number typed into the wrong field, which is the mistake people make.
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !s.chars().any(char::is_whitespace)
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

pub fn parse_integer(s: &str) -> Result<i64, String> {
    let cleaned: String = s.chars().filter(|c| *c != '_').collect();
    cleaned
        .parse::<i64>()
        .map_err(|_| "is not a whole number".to_owned())
}

pub fn parse_real(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err("is not a number".to_owned()),
    }
}

pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "true" | "t" | "yes" | "y" => Ok(true),
        "0" | "false" | "f" | "no" | "n" => Ok(false),
        _ => Err("must be true or false".to_owned()),
    }
}

/// Decimal dollars as written in spreadsheets and CRM exports: `1234.5`, `$1,234.50`,
/// `1 234`. At most two decimals (cents): more would be silently rounded money.
pub fn parse_money_cents(s: &str) -> Result<i64, String> {
    let bad = || "is not an amount of money (e.g. 1234.50)".to_owned();
    let s = s.trim().trim_start_matches('$').trim();
    if s.starts_with('-') {
        return Err("must not be negative".to_owned());
    }
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    // thousands separators only between groups of three digits
    let groups: Vec<&str> = whole.split([',', ' ']).collect();
    if groups.len() > 1
        && (groups[1..].iter().any(|g| g.len() != 3) || groups[0].is_empty() || groups[0].len() > 3)
    {
        return Err(bad());
    }
    let digits: String = groups.concat();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(if frac.chars().all(|c| c.is_ascii_digit()) {
            "has more than two decimals".to_owned()
        } else {
            bad()
        });
    }
    let dollars: i64 = digits.parse().map_err(|_| "is too large".to_owned())?;
    let cents: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
    dollars
        .checked_mul(100)
        .and_then(|d| d.checked_add(cents))
        .ok_or_else(|| "is too large".to_owned())
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| "is not a date YYYY-MM-DD".to_owned())
}

/// What `parse_timestamp` takes, for its error message.
pub const TIME_FORMS: &str = "YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]] with an optional offset \
     (Z, +00, +0200, +02:00), or YYYY-MM-DD";

/// A time as people and systems write it: RFC 3339 with any offset, PostgreSQL's own output
/// (`2024-09-29 09:00:00.123456+02`, offsets `+00`, `+0200`), and `YYYY-MM-DD[ T]HH:MM[:SS]`
/// or `YYYY-MM-DD` without an offset, taken as UTC. The fraction of a second is kept.
pub fn parse_timestamp(s: &str) -> Result<DateTime<Utc>, String> {
    let bad = || format!("is not a time ({TIME_FORMS})");
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc());
    }
    let (Some(date), Some(rest)) = (s.get(..10), s.get(11..)) else {
        return Err(bad());
    };
    if !matches!(s.as_bytes()[10], b' ' | b'T' | b't') {
        return Err(bad());
    }
    let time_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(rest.len());
    let (time, offset) = rest.split_at(time_len);
    let time = if time.len() == 5 {
        format!("{time}:00")
    } else {
        time.to_owned()
    };
    let naive = NaiveDateTime::parse_from_str(&format!("{date}T{time}"), "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|_| bad())?;
    let offset_seconds = parse_offset(offset.trim_start()).ok_or_else(bad)?;
    let offset = chrono::FixedOffset::east_opt(offset_seconds).ok_or_else(bad)?;
    naive
        .and_local_timezone(offset)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(bad)
}

/// A UTC offset in seconds: empty or `Z` (UTC), `+HH`, `+HHMM`, `+HH:MM` (and `-`).
fn parse_offset(s: &str) -> Option<i32> {
    if s.is_empty() || s.eq_ignore_ascii_case("z") || s.eq_ignore_ascii_case("utc") {
        return Some(0);
    }
    let sign = match s.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || s[1..].matches(':').count() > 1 {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(kind: Kind, not_null: bool) -> Column {
        Column {
            name: "c".into(),
            kind,
            not_null,
            has_default: false,
            default: None,
            pk: 0,
            is_rowid_alias: false,
            json_array: false,
            secret: false,
        }
    }

    #[test]
    fn email_columns_hold_addresses_and_nothing_else() {
        let email = |name: &str| Column {
            name: name.into(),
            ..col(Kind::Text, false)
        };
        for (column, text) in [
            ("email", "pat@acme.test"),
            ("prospect_email", "a.b+c@mail.example.co.uk"),
        ] {
            assert_eq!(
                parse_text("stakeholders", &email(column), text),
                Ok(Value::Text(text.into()))
            );
        }
        for text in [
            "not-an-email",
            "pat@",
            "@acme.test",
            "pat@acme",
            "pat @acme.test",
            "a@b@c.d",
            "pat@acme..test",
        ] {
            let e = parse_text("stakeholders", &email("email"), text).unwrap_err();
            assert!(
                e.reason.starts_with("is not an email address"),
                "{text}: {e:?}"
            );
        }
        // other text columns take any text
        assert!(parse_text("stakeholders", &email("name"), "not-an-email").is_ok());
        let calls = Column {
            name: "call_duration".into(),
            ..col(Kind::Integer, false)
        };
        let e = parse_text("calls", &calls, "-5m").unwrap_err();
        assert_eq!(e.reason, "must not be negative");
        let e = check("calls", &calls, Value::Integer(-300)).unwrap_err();
        assert_eq!(e.reason, "must not be negative");
    }

    #[test]
    fn duration_columns_take_what_people_write_in_their_own_unit() {
        let duration = |name: &str| Column {
            name: name.into(),
            ..col(Kind::Integer, false)
        };
        let calls = duration("call_duration");
        assert_eq!(parse_text("calls", &calls, "45m"), Ok(Value::Integer(2700)));
        assert_eq!(
            parse_text("calls", &calls, "1:05:00"),
            Ok(Value::Integer(3900))
        );
        // a whole number is the stored unit: exported files load back as they were
        assert_eq!(parse_text("calls", &calls, "45"), Ok(Value::Integer(45)));
        let meetings = duration("duration");
        assert_eq!(
            parse_text("meetings", &meetings, "1h30m"),
            Ok(Value::Integer(90))
        );
        assert_eq!(
            parse_text("meetings", &meetings, "30"),
            Ok(Value::Integer(30))
        );
        let e = parse_text("calls", &calls, "soon").unwrap_err();
        assert!(e.reason.contains("is not a duration"), "{e:?}");
        // any other integer column stays a whole number
        assert!(parse_text("deals", &duration("probability"), "45m").is_err());
    }

    #[test]
    fn money_accepts_what_spreadsheets_write() {
        assert_eq!(parse_money_cents("1234.5"), Ok(123_450));
        assert_eq!(parse_money_cents("$1,234.56"), Ok(123_456));
        assert_eq!(parse_money_cents("1 000 000"), Ok(100_000_000));
        assert_eq!(parse_money_cents("0"), Ok(0));
        assert!(
            parse_money_cents("12.345")
                .unwrap_err()
                .contains("two decimals")
        );
        assert!(parse_money_cents("-5").is_err());
        assert!(parse_money_cents("1,23").is_err());
        assert!(parse_money_cents("abc").is_err());
        assert!(parse_money_cents("99999999999999999999").is_err());
    }

    #[test]
    fn timestamps_normalise_to_utc_seconds() {
        let t = parse_timestamp("2026-11-21T15:03:00+01:00").unwrap();
        assert_eq!(ids::timestamp(t), "2026-11-21T14:03:00Z");
        assert_eq!(
            ids::timestamp(parse_timestamp("2026-11-21 14:03").unwrap()),
            "2026-11-21T14:03:00Z"
        );
        assert_eq!(
            ids::timestamp(parse_timestamp("2026-11-21").unwrap()),
            "2026-11-21T00:00:00Z"
        );
        assert!(parse_timestamp("21/11/2026").is_err());
    }

    #[test]
    fn postgresql_timestamp_output_is_read_with_its_offset_and_fraction() {
        let stored = |s: &str| parse_timestamp(s).map(ids::timestamp_precise);
        assert_eq!(
            stored("2024-09-29 09:00:00+00").as_deref(),
            Ok("2024-09-29T09:00:00Z")
        );
        assert_eq!(
            stored("2024-09-29 09:00:00.123456+02").as_deref(),
            Ok("2024-09-29T07:00:00.123456Z")
        );
        assert_eq!(
            stored("2024-09-29 09:00:00+0200").as_deref(),
            Ok("2024-09-29T07:00:00Z")
        );
        assert_eq!(
            stored("2024-09-29 09:00:00.5-05:30").as_deref(),
            Ok("2024-09-29T14:30:00.500000Z")
        );
        // timestamp without time zone, with a fraction: UTC
        assert_eq!(
            stored("2024-09-29 09:00:00.25").as_deref(),
            Ok("2024-09-29T09:00:00.250000Z")
        );
        assert_eq!(
            stored("2024-09-29T09:00Z").as_deref(),
            Ok("2024-09-29T09:00:00Z")
        );
        for bad in [
            "2024-09-29 09:00:00+2",
            "2024-09-29 09:00:00+25",
            "2024-09-29 25:00",
            "2024-09-29x09:00",
        ] {
            let e = parse_timestamp(bad).unwrap_err();
            assert!(
                e.contains("+0200"),
                "{bad}: the message lists the forms: {e}"
            );
        }
    }

    #[test]
    fn array_columns_take_postgresql_array_literals() {
        let arr = Column {
            json_array: true,
            ..col(Kind::Json, false)
        };
        let stored = |s: &str| parse_text("t", &arr, s);
        assert_eq!(stored("{}"), Ok(Value::Text("[]".into())));
        assert_eq!(
            stored("{billing,faq}"),
            Ok(Value::Text(r#"["billing","faq"]"#.into()))
        );
        assert_eq!(
            stored(r#"["a"]"#),
            Ok(Value::Text(r#"["a"]"#.into())),
            "JSON arrays as before"
        );
        let e = stored(r#"{"a":1}"#).unwrap_err();
        assert_eq!(e.column, "c", "the error names the array column");
        let e = parse_text("t", &arr, r#""just text""#).unwrap_err();
        assert!(e.reason.contains("must be an array"), "{e}");
        // a JSON object column keeps `{}` as an object
        assert_eq!(
            parse_text("t", &col(Kind::Json, false), "{}"),
            Ok(Value::Text("{}".into()))
        );
    }

    #[test]
    fn sub_second_times_are_kept_and_checked() {
        let ts = col(Kind::Timestamp, false);
        let a = parse_text("t", &ts, "2024-09-29 09:00:00.1+00").unwrap();
        let b = parse_text("t", &ts, "2024-09-29 09:00:00.6+00").unwrap();
        assert_eq!(a, Value::Text("2024-09-29T09:00:00.100000Z".into()));
        assert_ne!(a, b, "half a second apart stays apart");
        assert!(check("t", &ts, a).is_ok());
        assert!(check("t", &ts, Value::Text("2024-09-29T09:00:00.1Z".into())).is_err());
    }

    #[test]
    fn parse_text_names_table_column_and_value() {
        let e = parse_text("calls", &col(Kind::Integer, false), "ten").unwrap_err();
        assert_eq!(e.to_string(), "calls.c: is not a whole number (\"ten\")");
        let e = parse_text("calls", &col(Kind::Text, true), " ").unwrap_err();
        assert_eq!(e.reason, "is required");
    }

    #[test]
    fn enums_are_canonicalised() {
        let c = col(Kind::Enum(enums::CallStatus::TEXTS), true);
        assert_eq!(
            parse_text("calls", &c, "No Show").unwrap(),
            Value::Text("no-show".into())
        );
        let e = parse_text("calls", &c, "gone").unwrap_err();
        assert!(e.reason.contains("completed, no-show, rescheduled"), "{e}");
    }

    #[test]
    fn check_rejects_malformed_typed_values() {
        let d = col(Kind::Date, false);
        assert!(check("t", &d, Value::Text("2026-02-30".into())).is_err());
        assert!(check("t", &d, Value::Text("2026-2-3".into())).is_err());
        assert!(check("t", &d, Value::Text("2026-02-03".into())).is_ok());
        let ts = col(Kind::Timestamp, false);
        assert!(check("t", &ts, Value::Text("2026-02-03T10:00:00+01:00".into())).is_err());
        assert!(check("t", &ts, Value::Text("2026-02-03T10:00:00Z".into())).is_ok());
        let b = col(Kind::Bool, true);
        assert!(check("t", &b, Value::Integer(2)).is_err());
        assert!(check("t", &b, Value::Null).is_err());
        let r = col(Kind::Real, false);
        assert_eq!(check("t", &r, Value::Integer(3)).unwrap(), Value::Real(3.0));
        let j = col(Kind::Json, false);
        assert!(check("t", &j, Value::Text("{oops".into())).is_err());
    }
}
