//! References by natural key: a foreign-key cell may hold the referenced row's id, or a name
//! people know it by (a customer's name or CRM id, a user's email, a workspace's name, a loss
//! reason's name, ...). Lookups see the rows loaded earlier in the same import (one
//! transaction) and are scoped to the row's workspace (and customer, for a customer's rows).

use std::collections::HashMap;

use rusqlite::types::Value;

use crate::store::write_bulk::KeyLookup;
use crate::store::{Result, WriteTx};

/// The columns that name a row of each table, in the order they are tried.
pub const NATURAL_KEYS: &[(&str, &[&str])] = &[
    ("workspaces", &["name"]),
    ("users", &["email"]),
    (
        "customers",
        &["name", "crm_account_id", "salesforce_id", "hubspot_id"],
    ),
    ("stakeholders", &["email", "name"]),
    ("loss_reasons", &["name"]),
    ("products", &["product_name"]),
    ("region_dim", &["region_name"]),
    ("training_modules", &["title"]),
    ("kpi_reference_ranges", &["kpi_name"]),
    ("kpis", &["kpi_parameter"]),
    ("meetings", &["title"]),
    ("deals", &["name"]),
    ("knowledge_base", &["title"]),
];

pub fn natural_keys(table: &str) -> &'static [&'static str] {
    NATURAL_KEYS
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[], |(_, k)| k)
}

/// Caches bounded like the store's: cleared when full.
const CACHE_LIMIT: usize = 100_000;

type Scoped = Vec<(Option<String>, Option<String>, String)>;

#[derive(Default)]
pub struct Resolver {
    /// parent table → text → (workspace, customer, resolved key).
    cache: HashMap<String, HashMap<String, Scoped>>,
}

impl Resolver {
    /// The key of the `parent` row that `text` names (its `referenced` column), or a message
    /// saying why there is none or several.
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        &mut self,
        w: &WriteTx<'_>,
        parent: &str,
        referenced: &str,
        text: &str,
        workspace: Option<&str>,
        customer: Option<&str>,
    ) -> Result<std::result::Result<String, String>> {
        // PostgreSQL reads UUIDs in any case; the store keeps them lowercase
        let canonical = super::cells::canonical_uuid(text);
        let text = canonical.as_deref().unwrap_or(text.trim());
        if let Some(found) = self
            .cache
            .get(parent)
            .and_then(|m| m.get(text))
            .and_then(|s| {
                s.iter()
                    .find(|(w, c, _)| w.as_deref() == workspace && c.as_deref() == customer)
            })
        {
            return Ok(Ok(found.2.clone()));
        }
        // an id (the workspace check comes later, with the store's message)
        let by_id = KeyLookup {
            parent,
            referenced,
            column: referenced,
            exact: true,
            scope: &[],
            limit: 2,
        };
        let mut found = w.find_keys(&by_id, text)?;
        let mut scoped = false;
        if found.is_empty() {
            let table = w.catalog().table(parent);
            let has = |c: &str| table.is_some_and(|t| t.has_column(c));
            let workspace_value = workspace.map(|s| Value::Text(s.to_owned()));
            let customer_value = customer.map(|s| Value::Text(s.to_owned()));
            let mut scope: Vec<(&str, &Value, bool)> = Vec::new();
            if let Some(v) = &workspace_value
                && has("workspace_id")
            {
                // products with no workspace are shared by all workspaces
                scope.push(("workspace_id", v, parent == "products"));
                scoped = true;
            }
            if let Some(v) = &customer_value
                && has("customer_id")
                && parent != "customers"
            {
                scope.push(("customer_id", v, false));
            }
            for column in natural_keys(parent) {
                let by_name = KeyLookup {
                    column,
                    exact: false,
                    scope: &scope,
                    limit: 3,
                    ..by_id
                };
                for key in w.find_keys(&by_name, text)? {
                    if !found.contains(&key) {
                        found.push(key);
                    }
                }
            }
        }
        match found.len() {
            1 => {
                let key = found.remove(0);
                let cache = self.cache.entry(parent.to_owned()).or_default();
                if cache.len() >= CACHE_LIMIT {
                    cache.clear();
                }
                cache.entry(text.to_owned()).or_default().push((
                    workspace.map(str::to_owned),
                    customer.map(str::to_owned),
                    key.clone(),
                ));
                Ok(Ok(key))
            }
            0 => {
                let names = natural_keys(parent);
                Ok(Err(if names.is_empty() {
                    format!("no row of {parent} has this {referenced}")
                } else {
                    format!(
                        "no row of {parent} has this {referenced} or {}{}",
                        names.join(" or "),
                        if scoped {
                            " in the row's workspace"
                        } else {
                            ""
                        }
                    )
                }))
            }
            n => Ok(Err(format!(
                "names {n} rows of {parent} ({}); give the {referenced} instead",
                found.join(", ")
            ))),
        }
    }

    /// Forgets what was resolved to rows of `table` (rows were added: a name may now be
    /// ambiguous).
    pub fn invalidate(&mut self, table: &str) {
        if let Some(m) = self.cache.get_mut(table)
            && !m.is_empty()
        {
            m.clear();
        }
    }
}
