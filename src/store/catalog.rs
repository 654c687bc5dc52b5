//! The schema as data: tables, columns, what kind of value each column holds, keys and
//! references, read back from the migrated database itself (`PRAGMA table_xinfo`,
//! `foreign_key_list`, `index_list`) so it cannot drift from the SQL.
//!
//! Column kinds follow the conventions of `assets/migrations` (docs/schema.md):
//! `_cents` is money; `CHECK (c IN (0, 1))` is a boolean; `CHECK (json_valid(c))` is JSON;
//! a CHECK set is an enumeration (defined in `enums`); `_at`, `_ts` and a few named columns are
//! timestamps; `_date` and `_dt` are dates.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::enums;
use super::error::Result;

/// What a column holds, beyond SQLite's storage class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Integer,
    Real,
    Blob,
    Bool,
    /// Integer cents; humans write decimal dollars.
    Money,
    /// `YYYY-MM-DD`
    Date,
    /// `YYYY-MM-DDTHH:MM:SSZ`
    Timestamp,
    Json,
    Enum(&'static [&'static str]),
}

#[derive(Debug, Clone)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    pub not_null: bool,
    pub has_default: bool,
    /// The DEFAULT expression as SQLite holds it (`pragma_table_xinfo.dflt_value`).
    pub default: Option<String>,
    /// Position in the primary key (1-based), 0 if not part of it.
    pub pk: i64,
    /// `rowid INTEGER PRIMARY KEY`: SQLite assigns it; never required.
    pub is_rowid_alias: bool,
    /// A JSON column that must hold an array (`json_type(c) = 'array'`): a seed's `TEXT[]` or
    /// `UUID[]`, so PostgreSQL's array literal `{a,b}` is read as one.
    pub json_array: bool,
    /// A secret ([`SECRET_COLUMNS`]): never exported, never shown.
    pub secret: bool,
}

/// Columns whose values must never leave the database (`table`, `column`).
pub const SECRET_COLUMNS: &[(&str, &str)] = &[("users", "password_hash")];

impl Column {
    /// Must an insert give a value? (NOT NULL, no DEFAULT, not assigned by SQLite.)
    pub fn required(&self) -> bool {
        self.not_null && !self.has_default && !self.is_rowid_alias
    }
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub is_view: bool,
    pub columns: Vec<Column>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Every set of columns with a UNIQUE index (the primary key included).
    pub uniques: Vec<Vec<String>>,
    /// The columns that identify a row: `id` where there is one, else the primary key.
    pub key: Vec<String>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }

    /// The foreign key whose single column is `column`.
    pub fn reference(&self, column: &str) -> Option<&ForeignKey> {
        self.foreign_keys
            .iter()
            .find(|fk| fk.columns.len() == 1 && fk.columns[0] == column)
    }

    /// Columns a dump or export carries: all but SQLite's own rowid alias.
    pub fn data_columns(&self) -> impl Iterator<Item = &Column> {
        self.columns.iter().filter(|c| !c.is_rowid_alias)
    }
}

/// Every table and view of the schema (FTS5 internals excluded).
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    tables: BTreeMap<String, Table>,
}

impl Catalog {
    pub fn load(conn: &Connection) -> Result<Catalog> {
        let mut stmt = conn.prepare(
            "SELECT name, type, coalesce(sql, '') FROM sqlite_schema
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'
               AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
               AND name NOT IN (SELECT name || suffix FROM sqlite_schema,
                   (SELECT '_data' AS suffix UNION ALL SELECT '_idx' UNION ALL SELECT '_docsize'
                    UNION ALL SELECT '_config' UNION ALL SELECT '_content')
                   WHERE sql LIKE 'CREATE VIRTUAL TABLE%')
             ORDER BY name",
        )?;
        let entries: Vec<(String, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut tables = BTreeMap::new();
        for (name, kind, sql) in entries {
            let table = load_table(conn, &name, kind == "view", &sql)?;
            tables.insert(name, table);
        }
        Ok(Catalog { tables })
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// Base tables (not views), by name.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.values().filter(|t| !t.is_view)
    }

    pub fn views(&self) -> impl Iterator<Item = &Table> {
        self.tables.values().filter(|t| t.is_view)
    }

    /// Base tables ordered so that every table comes after the tables it references
    /// (self-references and the one deferred cycle, analysis_jobs ↔ provenance, are ignored
    /// where they are nullable).
    pub fn dependency_order(&self) -> Vec<&Table> {
        let mut done: Vec<&Table> = Vec::new();
        let mut pending: Vec<&Table> = self.tables().collect();
        while !pending.is_empty() {
            let before = pending.len();
            pending.retain(|t| {
                let ready = t.foreign_keys.iter().all(|fk| {
                    fk.parent == t.name
                        || done.iter().any(|d| d.name == fk.parent)
                        || self.nullable_cycle_edge(t, fk)
                });
                if ready {
                    done.push(t);
                }
                !ready
            });
            if pending.len() == before {
                // a cycle of required references: cannot happen with our schema; keep going
                done.append(&mut pending);
            }
        }
        done
    }

    /// A nullable reference that closes a cycle (analysis_jobs ↔ provenance): SQLite checks
    /// it at commit (`DEFERRABLE INITIALLY DEFERRED`), and so must PostgreSQL.
    pub fn nullable_cycle_edge(&self, table: &Table, fk: &ForeignKey) -> bool {
        let nullable = fk
            .columns
            .iter()
            .all(|c| table.column(c).is_some_and(|c| !c.not_null));
        let parent_refers_back = self
            .table(&fk.parent)
            .is_some_and(|p| p.foreign_keys.iter().any(|b| b.parent == table.name));
        nullable && parent_refers_back
    }

    /// How to find the customer a row of `table` belongs to, if it belongs to one.
    pub fn customer_link(&self, table: &str) -> Option<CustomerLink> {
        let t = self.table(table)?;
        if table == "customers" {
            return Some(CustomerLink::Own);
        }
        if t.reference("customer_id").is_some() {
            return Some(CustomerLink::Column("customer_id".into()));
        }
        // one hop through a parent that has a customer_id (messages → sessions, notes → deals, ...)
        t.foreign_keys.iter().find_map(|fk| {
            let parent = self.table(&fk.parent)?;
            (fk.columns.len() == 1 && parent.reference("customer_id").is_some()).then(|| {
                CustomerLink::Via {
                    column: fk.columns[0].clone(),
                    parent: fk.parent.clone(),
                    parent_column: fk.parent_columns[0].clone(),
                }
            })
        })
    }

    /// Number of base tables.
    pub fn len(&self) -> usize {
        self.tables().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The path from a row to its customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerLink {
    /// The row is a customer.
    Own,
    /// The row's `customer_id`.
    Column(String),
    /// The row's `column` references `parent.parent_column`, and the parent has `customer_id`.
    Via {
        column: String,
        parent: String,
        parent_column: String,
    },
}

fn load_table(conn: &Connection, name: &str, is_view: bool, sql: &str) -> Result<Table> {
    let mut columns = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)",
    )?;
    let rows = stmt.query_map([name], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, bool>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, i64>(5)?,
        ))
    })?;
    for row in rows {
        let (col, ty, not_null, default, pk, hidden) = row?;
        if hidden != 0 {
            continue;
        }
        let is_rowid_alias =
            pk == 1 && ty.eq_ignore_ascii_case("INTEGER") && !sql.contains("WITHOUT ROWID");
        columns.push(Column {
            json_array: sql.contains(&format!("json_type({col}) = 'array'")),
            secret: SECRET_COLUMNS.contains(&(name, col.as_str())),
            kind: column_kind(name, &col, &ty, sql),
            name: col,
            not_null: not_null || is_rowid_alias,
            has_default: default.is_some(),
            default,
            pk,
            is_rowid_alias,
        });
    }
    // a single INTEGER PRIMARY KEY column is the rowid only if it is the sole pk column
    let pk_count = columns.iter().filter(|c| c.pk > 0).count();
    if pk_count > 1 {
        for c in &mut columns {
            c.is_rowid_alias = false;
        }
    }

    let mut foreign_keys: Vec<ForeignKey> = Vec::new();
    if !is_view {
        let mut stmt = conn.prepare(
            "SELECT id, \"table\", \"from\", \"to\", on_delete, on_update FROM pragma_foreign_key_list(?1) ORDER BY id, seq",
        )?;
        let rows = stmt.query_map([name], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut last_id = -1;
        for row in rows {
            let (id, parent, from, to, on_delete, on_update) = row?;
            if id != last_id {
                foreign_keys.push(ForeignKey {
                    columns: Vec::new(),
                    parent: parent.clone(),
                    parent_columns: Vec::new(),
                    on_delete,
                    on_update,
                });
                last_id = id;
            }
            let fk = foreign_keys.last_mut().expect("pushed above");
            fk.columns.push(from);
            fk.parent_columns.push(to.unwrap_or_else(|| "id".into()));
        }
    }

    let mut uniques = Vec::new();
    if !is_view {
        let mut stmt =
            conn.prepare("SELECT name FROM pragma_index_list(?1) WHERE \"unique\" = 1")?;
        let indexes: Vec<String> = stmt
            .query_map([name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for index in indexes {
            let mut stmt = conn.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?;
            let cols: Vec<String> = stmt
                .query_map([&index], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            uniques.push(cols);
        }
        let mut pk: Vec<&Column> = columns.iter().filter(|c| c.pk > 0).collect();
        pk.sort_by_key(|c| c.pk);
        if !pk.is_empty() && !pk.iter().all(|c| c.is_rowid_alias) {
            let pk: Vec<String> = pk.iter().map(|c| c.name.clone()).collect();
            if !uniques.contains(&pk) {
                uniques.push(pk);
            }
        }
    }

    let key = if columns.iter().any(|c| c.name == "id") && name != "playbook_executions" {
        vec!["id".to_owned()]
    } else if name == "playbook_executions" {
        vec!["execution_id".to_owned()]
    } else {
        let mut pk: Vec<&Column> = columns.iter().filter(|c| c.pk > 0).collect();
        pk.sort_by_key(|c| c.pk);
        pk.iter().map(|c| c.name.clone()).collect()
    };

    Ok(Table {
        name: name.to_owned(),
        is_view,
        columns,
        foreign_keys,
        uniques,
        key,
    })
}

const TIMESTAMP_NAMES: &[&str] = &[
    "timestamp",
    "last_login",
    "last_evaluated",
    "last_triggered",
];

fn column_kind(table: &str, column: &str, ty: &str, sql: &str) -> Kind {
    let ty = ty.to_ascii_uppercase();
    if let Some(texts) = enums::allowed(table, column) {
        return Kind::Enum(texts);
    }
    match ty.as_str() {
        "INTEGER" if sql.contains(&format!("CHECK ({column} IN (0, 1))")) => Kind::Bool,
        "INTEGER" if column.ends_with("_cents") => Kind::Money,
        "INTEGER" => Kind::Integer,
        "REAL" => Kind::Real,
        "BLOB" => Kind::Blob,
        "TEXT" if sql.contains(&format!("json_valid({column})")) => Kind::Json,
        "TEXT"
            if column.ends_with("_at")
                || column.ends_with("_ts")
                || TIMESTAMP_NAMES.contains(&column) =>
        {
            Kind::Timestamp
        }
        "TEXT" if column.ends_with("_date") || column.ends_with("_dt") => Kind::Date,
        _ => Kind::Text,
    }
}
