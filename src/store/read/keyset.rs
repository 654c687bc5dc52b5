//! The keyset clause every paged list shares: `(sort_key, id) > (?, ?)` in the direction of
//! travel. Walking backwards (Anchor::End, Anchor::Before) reverses the ordering; the caller
//! flips the rows back with [`Page::finish`].

use rusqlite::types::Value;

use super::Anchor;
use super::customers::Cursor;

/// The ORDER BY direction and the extra WHERE clause of one page request.
pub struct Page {
    /// `ASC` or `DESC`: the direction to read in.
    pub direction: &'static str,
    /// The keyset condition, if the anchor is a row.
    pub clause: Option<String>,
    backwards: bool,
}

impl Page {
    /// `expr` and `id` are the SQL of the sort key and the tie-breaking id; the anchor's
    /// values are pushed onto `params` (numbered `?N` placeholders).
    pub fn new(
        expr: &str,
        id: &str,
        descending: bool,
        anchor: &Anchor<Cursor>,
        params: &mut Vec<Value>,
    ) -> Page {
        let backwards = matches!(anchor, Anchor::End | Anchor::Before(_));
        let descending = descending != backwards;
        let clause = match anchor {
            Anchor::After(c) | Anchor::Before(c) => {
                params.push(c.key.clone());
                params.push(Value::Text(c.id.clone()));
                let op = if descending { "<" } else { ">" };
                Some(format!(
                    "({expr}, {id}) {op} (?{}, ?{})",
                    params.len() - 1,
                    params.len()
                ))
            }
            Anchor::Start | Anchor::End => None,
        };
        Page {
            direction: if descending { "DESC" } else { "ASC" },
            clause,
            backwards,
        }
    }

    /// Puts rows read backwards into display order.
    pub fn finish<T>(&self, mut rows: Vec<T>) -> Vec<T> {
        if self.backwards {
            rows.reverse();
        }
        rows
    }
}

/// `WHERE a AND b ...`, or nothing.
pub fn where_clause(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}
