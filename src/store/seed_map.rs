//! The seed map (`assets/seed-map.csv`): for each of the 556 columns the five seed documents
//! define, where its value lives in this database. Read by `cscx schema`, the importer (files
//! named after seed tables) and the coverage test.

use serde::{Deserialize, Serialize};

/// The map as shipped, embedded in the binary.
pub const CSV: &str = include_str!("../../assets/seed-map.csv");

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The seed document's file name, e.g. `001_7863041eadbf201a.txt`.
    pub seed: String,
    /// The table as the seed names it, e.g. `cisco_ops.partners`, `accounts`.
    pub seed_table: String,
    pub seed_column: String,
    /// Where the value lives; empty (with `column`) only for a deliberate "not stored".
    pub table: String,
    pub column: String,
    pub note: String,
}

impl Entry {
    /// The seed's number, `000` to `004`.
    pub fn seed_number(&self) -> &str {
        self.seed.get(..3).unwrap_or(&self.seed)
    }

    pub fn is_stored(&self) -> bool {
        !self.table.is_empty()
    }
}

/// Every entry of the embedded map, in file order.
pub fn entries() -> Result<Vec<Entry>, csv::Error> {
    csv::Reader::from_reader(CSV.as_bytes())
        .deserialize()
        .collect()
}

/// The entries of one seed table: `name` as the seed spells it, with or without its schema
/// prefix (`partners` matches `cisco_ops.partners` only if no other seed table has that
/// name... callers that need certainty pass the full name). Case-insensitive.
pub fn for_seed_table<'e>(entries: &'e [Entry], name: &str) -> Vec<Vec<&'e Entry>> {
    let mut groups: Vec<Vec<&Entry>> = Vec::new();
    for e in entries.iter().filter(|e| {
        e.seed_table.eq_ignore_ascii_case(name)
            || e.seed_table
                .split_once('.')
                .is_some_and(|(_, t)| t.eq_ignore_ascii_case(name))
    }) {
        match groups
            .iter_mut()
            .find(|g| g[0].seed == e.seed && g[0].seed_table == e.seed_table)
        {
            Some(g) => g.push(e),
            None => groups.push(vec![e]),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_map_parses_and_has_every_row() {
        let entries = entries().expect("seed map parses");
        assert_eq!(entries.len(), 556);
        assert!(entries.iter().all(|e| e.is_stored() || !e.note.is_empty()));
    }

    #[test]
    fn seed_tables_are_found_with_or_without_schema() {
        let entries = entries().unwrap();
        let accounts = for_seed_table(&entries, "ACCOUNTS");
        assert_eq!(accounts.len(), 1);
        assert!(accounts[0].iter().all(|e| e.table == "customers"));
        // "users" is defined by four seeds
        assert_eq!(for_seed_table(&entries, "users").len(), 4);
        assert_eq!(for_seed_table(&entries, "cisco_ops.users").len(), 1);
        assert_eq!(for_seed_table(&entries, "partners").len(), 2);
    }
}
