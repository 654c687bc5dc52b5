//! Typed store errors. Every error that comes from data names the table, the column and why,
//! so that the dashboard's status line and the importer's report can say something useful.

use std::path::PathBuf;

/// A value that breaks a rule of its column (type, enumeration, required, reference, ...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{table}.{column}: {reason}{}", value.as_ref().map(|v| format!(" ({v:?})")).unwrap_or_default())]
pub struct FieldError {
    pub table: String,
    pub column: String,
    /// The offending value as given, if there was one.
    pub value: Option<String>,
    pub reason: String,
}

impl FieldError {
    pub fn new(table: &str, column: &str, reason: impl Into<String>) -> Self {
        FieldError {
            table: table.to_owned(),
            column: column.to_owned(),
            value: None,
            reason: reason.into(),
        }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Field(#[from] FieldError),

    #[error("{entity} {id} not found")]
    NotFound { entity: String, id: String },

    /// The row changed on disk since the caller read it (another cscx, or an import).
    #[error("{entity} {id} changed since it was opened ({columns}); reload or overwrite")]
    Conflict {
        entity: String,
        id: String,
        columns: String,
    },

    #[error(
        "{path} was written by a newer cscx (schema version {found}; this build knows up to {supported}). \
         Upgrade cscx to open it."
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    #[error(
        "{path} has schema version {found} (PRAGMA user_version), which no cscx writes: \
         the file was changed outside cscx; restore it from a backup"
    )]
    BadSchemaVersion { path: PathBuf, found: i64 },

    #[error("{path} is still being written by {who} after waiting {waited}; try again later")]
    Busy {
        path: PathBuf,
        who: String,
        waited: String,
    },

    #[error("{path} is not a cscx database (it holds tables of another application)")]
    NotCscx { path: PathBuf },

    #[error("cannot create {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },

    /// A name that matches more than one row where one was meant.
    #[error("{0}")]
    Ambiguous(String),

    /// A file of rows (an export of what the dashboard shows) could not be written.
    #[error("export: {0}")]
    Export(String),

    #[error("workspace scope: {0}")]
    Scope(String),

    /// The access policy refused a write: `rule` is the refusing rule (`viewer: read only`).
    #[error("refused ({rule}): {what}")]
    Denied { rule: String, what: String },

    #[error("health configuration: {0}")]
    Config(String),

    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("json: {0}")]
    Json(#[from] serde_json::Error),

    /// An event log that cannot be mined (`cscx mine`).
    #[error("mine: {0}")]
    Mine(#[from] crate::mine::MineError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// The field error inside, if this error is about one value.
    pub fn field(&self) -> Option<&FieldError> {
        match self {
            StoreError::Field(f) => Some(f),
            _ => None,
        }
    }
}
