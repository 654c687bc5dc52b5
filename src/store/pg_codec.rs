//! Provisional: replaced by the codec branch.
use postgres::types::{ToSql, Type};
use rusqlite::types::{Value, ValueRef};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CodecError(String);

pub fn encode(value: ValueRef<'_>, _ty: &Type) -> Result<Box<dyn ToSql + Sync + Send>, CodecError> {
    Ok(match value {
        ValueRef::Integer(i) => Box::new(i),
        ValueRef::Text(t) => Box::new(String::from_utf8_lossy(t).into_owned()),
        _ => return Err(CodecError("unsupported".into())),
    })
}

pub fn decode_row(_row: &postgres::Row) -> Result<Vec<Value>, CodecError> {
    Err(CodecError("unsupported".into()))
}
