//! Values between the store's SQLite form and PostgreSQL's types.
//!
//! The store speaks in SQLite's values everywhere (ids and times as text, booleans as 0/1,
//! JSON as text, money as integer cents). On PostgreSQL a parameter is encoded as the type
//! the server inferred for it from the statement ([`encode`]), and a column is decoded back
//! into the value SQLite would have held ([`decode_row`]), so the code above the boundary
//! reads and compares the same values on both engines: a `timestamptz` comes back as
//! `2026-12-04T09:30:00Z` (`ids::timestamp_precise`), a `boolean` as 1, a `text[]` as its
//! JSON array text.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use postgres::types::{ToSql, Type};
use rusqlite::types::{Value, ValueRef};

use super::ids;

/// A value that has no form in the type PostgreSQL asks for (or a type cscx does not map).
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    #[error("{value} cannot be a PostgreSQL {ty}")]
    Encode { value: String, ty: String },
    #[error("column {column} has PostgreSQL type {ty}, which cscx does not read")]
    Decode { column: String, ty: String },
    #[error("column {column}: {source}")]
    Read {
        column: String,
        source: postgres::Error,
    },
}

type Param = Box<dyn ToSql + Sync + Send>;

fn describe(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => format!("the integer {i}"),
        ValueRef::Real(r) => format!("the real {r}"),
        ValueRef::Text(t) => format!("the text {:?}", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("a blob of {} bytes", b.len()),
    }
}

/// An instant in any of the textual forms the store and its imports use.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

/// A JSON array's text as the elements of a `text[]` (non-string elements as their JSON).
pub fn array_from_json(s: &str) -> Option<Vec<Option<String>>> {
    let serde_json::Value::Array(items) = serde_json::from_str(s).ok()? else {
        return None;
    };
    Some(
        items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            })
            .collect(),
    )
}

/// A `text[]` as JSON array text.
pub fn array_to_json(items: &[Option<String>]) -> String {
    serde_json::Value::Array(
        items
            .iter()
            .map(|v| {
                v.clone()
                    .map_or(serde_json::Value::Null, serde_json::Value::String)
            })
            .collect(),
    )
    .to_string()
}

/// A typed NULL for `ty` (the driver checks a NULL's type too).
fn null(ty: &Type) -> Option<Param> {
    Some(match *ty {
        Type::UUID => Box::new(None::<uuid::Uuid>),
        Type::TIMESTAMPTZ => Box::new(None::<DateTime<Utc>>),
        Type::TIMESTAMP => Box::new(None::<NaiveDateTime>),
        Type::DATE => Box::new(None::<NaiveDate>),
        Type::BOOL => Box::new(None::<bool>),
        Type::INT2 => Box::new(None::<i16>),
        Type::INT4 => Box::new(None::<i32>),
        Type::INT8 => Box::new(None::<i64>),
        Type::FLOAT4 => Box::new(None::<f32>),
        Type::FLOAT8 => Box::new(None::<f64>),
        Type::JSON | Type::JSONB => Box::new(None::<serde_json::Value>),
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY => Box::new(None::<Vec<Option<String>>>),
        Type::BYTEA => Box::new(None::<Vec<u8>>),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            Box::new(None::<String>)
        }
        _ => return None,
    })
}

/// `value` as a parameter of type `ty`.
pub fn encode(value: ValueRef<'_>, ty: &Type) -> Result<Param, CodecError> {
    let fail = || CodecError::Encode {
        value: describe(value),
        ty: ty.name().to_owned(),
    };
    if let ValueRef::Null = value {
        return null(ty).ok_or_else(fail);
    }
    let text = match value {
        ValueRef::Text(t) => Some(std::str::from_utf8(t).map_err(|_| fail())?),
        _ => None,
    };
    let int = match value {
        ValueRef::Integer(i) => Some(i),
        ValueRef::Real(r) if r.fract() == 0.0 && r.abs() < 9.0e15 => Some(r as i64),
        // SQLite's affinity: numeric text is a number where a number is asked
        ValueRef::Text(_) => text.and_then(|t| t.trim().parse().ok()),
        _ => None,
    };
    let real = match value {
        ValueRef::Integer(i) => Some(i as f64),
        ValueRef::Real(r) => Some(r),
        ValueRef::Text(_) => text.and_then(|t| t.trim().parse().ok()),
        _ => None,
    };
    Ok(match *ty {
        // Text that is no UUID can equal no uuid column: the store's lookups by id or name
        // (`WHERE id = ?1 OR name = ?1`) pass names where PostgreSQL inferred a uuid. It
        // goes as NULL, which matches nothing; a write never gets here with one (the write
        // path and the import check ids and references first, and a NOT NULL id refuses it).
        Type::UUID => match text.map(uuid::Uuid::parse_str) {
            Some(Ok(u)) => Box::new(u),
            Some(Err(_)) => Box::new(None::<uuid::Uuid>),
            None => return Err(fail()),
        },
        Type::TIMESTAMPTZ => Box::new(text.and_then(parse_instant).ok_or_else(fail)?),
        Type::TIMESTAMP => Box::new(text.and_then(parse_instant).ok_or_else(fail)?.naive_utc()),
        Type::DATE => Box::new(
            text.and_then(|t| NaiveDate::parse_from_str(t.get(..10).unwrap_or(t), "%Y-%m-%d").ok())
                .ok_or_else(fail)?,
        ),
        Type::BOOL => Box::new(match (int, text) {
            (Some(0), _) | (_, Some("false")) => false,
            (Some(1), _) | (_, Some("true")) => true,
            _ => return Err(fail()),
        }),
        Type::INT2 => Box::new(int.and_then(|i| i16::try_from(i).ok()).ok_or_else(fail)?),
        Type::INT4 => Box::new(int.and_then(|i| i32::try_from(i).ok()).ok_or_else(fail)?),
        Type::INT8 => Box::new(int.ok_or_else(fail)?),
        Type::FLOAT4 => Box::new(real.ok_or_else(fail)? as f32),
        Type::FLOAT8 => Box::new(real.ok_or_else(fail)?),
        Type::JSON | Type::JSONB => Box::new(
            text.and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
                .ok_or_else(fail)?,
        ),
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY => {
            Box::new(text.and_then(array_from_json).ok_or_else(fail)?)
        }
        Type::BYTEA => match value {
            ValueRef::Blob(b) => Box::new(b.to_vec()),
            ValueRef::Text(t) => Box::new(t.to_vec()),
            _ => return Err(fail()),
        },
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            Box::new(match value {
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(r) => r.to_string(),
                ValueRef::Text(_) => text.ok_or_else(fail)?.to_owned(),
                _ => return Err(fail()),
            })
        }
        _ => return Err(fail()),
    })
}

/// Column `idx` of `row` in the store's SQLite form.
pub fn decode(row: &postgres::Row, idx: usize) -> Result<Value, CodecError> {
    let column = &row.columns()[idx];
    let read = |source| CodecError::Read {
        column: column.name().to_owned(),
        source,
    };
    macro_rules! get {
        ($t:ty) => {
            row.try_get::<_, Option<$t>>(idx).map_err(read)?
        };
    }
    Ok(match *column.type_() {
        Type::UUID => get!(uuid::Uuid).map_or(Value::Null, |u| Value::Text(u.to_string())),
        Type::TIMESTAMPTZ => {
            get!(DateTime<Utc>).map_or(Value::Null, |t| Value::Text(ids::timestamp_precise(t)))
        }
        Type::TIMESTAMP => get!(NaiveDateTime).map_or(Value::Null, |t| {
            Value::Text(ids::timestamp_precise(t.and_utc()))
        }),
        Type::DATE => get!(NaiveDate).map_or(Value::Null, |d| Value::Text(ids::date(d))),
        Type::BOOL => get!(bool).map_or(Value::Null, |b| Value::Integer(i64::from(b))),
        Type::INT2 => get!(i16).map_or(Value::Null, |i| Value::Integer(i.into())),
        Type::INT4 => get!(i32).map_or(Value::Null, |i| Value::Integer(i.into())),
        Type::INT8 => get!(i64).map_or(Value::Null, Value::Integer),
        Type::OID => get!(u32).map_or(Value::Null, |i| Value::Integer(i.into())),
        Type::FLOAT4 => get!(f32).map_or(Value::Null, |r| Value::Real(r.into())),
        Type::FLOAT8 => get!(f64).map_or(Value::Null, Value::Real),
        Type::NUMERIC => get!(Numeric).map_or(Value::Null, |n| Value::Real(n.0)),
        Type::JSON | Type::JSONB => {
            get!(serde_json::Value).map_or(Value::Null, |j| Value::Text(j.to_string()))
        }
        Type::TEXT_ARRAY | Type::VARCHAR_ARRAY => {
            get!(Vec<Option<String>>).map_or(Value::Null, |a| Value::Text(array_to_json(&a)))
        }
        Type::BYTEA => get!(Vec<u8>).map_or(Value::Null, Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            get!(String).map_or(Value::Null, Value::Text)
        }
        ref other => {
            return Err(CodecError::Decode {
                column: column.name().to_owned(),
                ty: other.name().to_owned(),
            });
        }
    })
}

/// Every column of `row` in the store's SQLite form.
pub fn decode_row(row: &postgres::Row) -> Result<Vec<Value>, CodecError> {
    (0..row.len()).map(|i| decode(row, i)).collect()
}

/// A `numeric` read as a double (the driver has no numeric of its own without another
/// crate; cscx's schema keeps money in integer cents, so numerics are computed values such
/// as `avg()` and the view's dollars, for which a double is what SQLite gives too).
struct Numeric(f64);

impl<'a> postgres::types::FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        parse_numeric(raw)
            .map(Numeric)
            .ok_or_else(|| "malformed numeric".into())
    }
    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// PostgreSQL's binary numeric: ndigits, weight, sign, dscale (i16 each), then ndigits
/// base-10000 digits; the value is Σ digit[i] × 10000^(weight − i).
fn parse_numeric(raw: &[u8]) -> Option<f64> {
    let word = |i: usize| -> Option<i16> {
        Some(i16::from_be_bytes([*raw.get(2 * i)?, *raw.get(2 * i + 1)?]))
    };
    let ndigits = usize::try_from(word(0)?).ok()?;
    let weight = i32::from(word(1)?);
    let sign = word(2)? as u16;
    if sign == 0xC000 {
        return Some(f64::NAN);
    }
    let mut value = 0.0;
    for i in 0..ndigits {
        let digit = f64::from(word(4 + i)?);
        value += digit * 10000f64.powi(weight - i as i32);
    }
    Some(if sign == 0x4000 { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_in_every_form_the_store_meets() {
        let t = parse_instant("2026-12-04T09:30:00Z").unwrap();
        assert_eq!(ids::timestamp(t), "2026-12-04T09:30:00Z");
        assert_eq!(parse_instant("2026-12-04 09:30:00"), Some(t));
        assert_eq!(parse_instant("2026-12-04T10:30:00+01:00"), Some(t));
        assert_eq!(
            ids::timestamp(parse_instant("2026-12-04").unwrap()),
            "2026-12-04T00:00:00Z"
        );
        let precise = parse_instant("2026-12-04T09:30:00.250000Z").unwrap();
        assert_eq!(
            ids::timestamp_precise(precise),
            "2026-12-04T09:30:00.250000Z"
        );
        assert_eq!(parse_instant("yesterday"), None);
    }

    #[test]
    fn arrays_round_trip_through_json() {
        let a = array_from_json(r#"["a", null, "b \"c\""]"#).unwrap();
        assert_eq!(a, vec![Some("a".into()), None, Some("b \"c\"".into())]);
        assert_eq!(array_to_json(&a), r#"["a",null,"b \"c\""]"#);
        assert_eq!(array_from_json(r#"{"a":1}"#), None);
    }

    #[test]
    fn numerics_from_their_binary_form() {
        // 1234.5 = digits [1234, 5000], weight 0, dscale 1
        let raw = [0, 2, 0, 0, 0, 0, 0, 1, 0x04, 0xD2, 0x13, 0x88];
        assert_eq!(parse_numeric(&raw), Some(1234.5));
        // -0.01 = digits [100], weight -1
        let raw = [0, 1, 0xFF, 0xFF, 0x40, 0, 0, 2, 0, 100];
        assert_eq!(parse_numeric(&raw), Some(-0.01));
        assert_eq!(parse_numeric(&[0, 1]), None);
    }

    #[test]
    fn values_that_have_no_form_are_refused_by_name() {
        let e = encode(ValueRef::Integer(7), &Type::UUID).err().unwrap();
        assert_eq!(e.to_string(), "the integer 7 cannot be a PostgreSQL uuid");
        assert!(encode(ValueRef::Text(b"Acme"), &Type::UUID).is_ok());
        assert!(encode(ValueRef::Integer(2), &Type::BOOL).is_err());
        assert!(encode(ValueRef::Integer(1), &Type::BOOL).is_ok());
        assert!(encode(ValueRef::Text(b"12"), &Type::INT8).is_ok());
        assert!(encode(ValueRef::Null, &Type::TIMESTAMPTZ).is_ok());
    }
}
