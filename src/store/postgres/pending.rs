//! The health engine's and the roll-ups' bookkeeping triggers on PostgreSQL.
//!
//! On SQLite each writing connection installs TEMP triggers that note, in TEMP tables, the
//! customers (and cohorts, and adoption dates) an edit concerns that the write path cannot
//! see (a cascade, a range edit): `health_sync::PENDING_SQL`, `rollups::PENDING_SQL`.
//! PostgreSQL has temporary tables but no temporary triggers, so the same triggers are
//! generated from that SQLite text into the schema, as plpgsql functions that write into the
//! session's temporary table when the session has one (every cscx connection creates them
//! at open: [`temp_tables`]); a session without (`psql`) is not a cscx writer and skips.
//! One source: a trigger added to the SQLite text is on PostgreSQL with the next schema.

use std::fmt::Write as _;

use crate::store::db::render::render;

/// A SQLite `CREATE TEMP TRIGGER` of the pending texts, taken apart.
#[derive(Debug, PartialEq)]
struct Trigger<'a> {
    name: &'a str,
    timing: &'a str,
    /// `INSERT`, `DELETE`, `UPDATE` or `UPDATE OF a, b`.
    event: String,
    table: &'a str,
    when: Option<&'a str>,
    body: &'a str,
}

fn triggers(sql: &str) -> Vec<Trigger<'_>> {
    let mut out = Vec::new();
    let mut rest = sql;
    const HEAD: &str = "CREATE TEMP TRIGGER IF NOT EXISTS ";
    while let Some(at) = rest.find(HEAD) {
        let after = &rest[at + HEAD.len()..];
        let Some(begin) = after.find(" BEGIN") else {
            break;
        };
        let Some(end) = after[begin..].find("\nEND;") else {
            break;
        };
        let head = &after[..begin];
        let body = after[begin + " BEGIN".len()..begin + end].trim();
        rest = &after[begin + end..];
        let (head, when) = match head.find("\nWHEN ") {
            Some(w) => (&head[..w], Some(head[w + "\nWHEN ".len()..].trim())),
            None => (head, None),
        };
        let mut words = head.split_whitespace();
        let (Some(name), Some(timing)) = (words.next(), words.next()) else {
            continue;
        };
        let words: Vec<&str> = words.collect();
        let Some(on) = words.iter().position(|w| *w == "ON") else {
            continue;
        };
        let Some(table) = words.get(on + 1).map(|t| t.trim_start_matches("main.")) else {
            continue;
        };
        out.push(Trigger {
            name,
            timing,
            event: words[..on].join(" "),
            table,
            when,
            body,
        });
    }
    out
}

/// The schema's part: one function and one row trigger per SQLite trigger of `sqlite`, each
/// writing into `guard` (a temporary table) only where the session has it.
pub fn triggers_sql(sqlite: &str, guard: &str) -> String {
    let mut out = String::new();
    for t in triggers(sqlite) {
        let body = render(&t.body.replace("main.", ""));
        let condition = match t.when {
            Some(w) => format!("({}) AND ", render(w)),
            None => String::new(),
        };
        // a BEFORE DELETE trigger that returned NULL would cancel the delete
        let result = match (t.timing, t.event.as_str()) {
            ("BEFORE", "DELETE") => "OLD",
            ("BEFORE", _) => "NEW",
            _ => "NULL",
        };
        let _ = write!(
            out,
            "CREATE OR REPLACE FUNCTION cscx_{name}() RETURNS trigger LANGUAGE plpgsql AS $$\n\
             BEGIN\n  IF {condition}to_regclass('pg_temp.{guard}') IS NOT NULL THEN\n    {body}\n  END IF;\n  RETURN {result};\nEND\n$$;\n\
             CREATE TRIGGER cscx_{name} {timing} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION cscx_{name}();\n",
            name = t.name,
            timing = t.timing,
            event = t.event,
            table = t.table,
        );
    }
    out
}

/// The temporary tables of a pending text, in PostgreSQL's words (its triggers are in the
/// schema): what each cscx connection creates when it opens a PostgreSQL book.
pub fn temp_tables(sqlite: &str) -> String {
    sqlite
        .split(';')
        .map(str::trim)
        .filter(|s| {
            s.lines()
                .find(|l| !l.trim_start().starts_with("--") && !l.trim().is_empty())
                .is_some_and(|l| l.trim_start().starts_with("CREATE TEMP TABLE"))
        })
        .map(|s| {
            let s = s
                .replace(") STRICT, WITHOUT ROWID", ")")
                .replace(") STRICT", ")")
                .replace(" REAL", " double precision");
            // the columns hold what the triggers copy from rows: ids are uuid, dates date
            let s = s
                .lines()
                .map(|l| {
                    let mut words = l.split_whitespace();
                    match (words.next(), words.next()) {
                        (Some(c), Some("TEXT")) if c.ends_with("_id") => {
                            l.replacen("TEXT", "uuid", 1)
                        }
                        (Some(c), Some("TEXT")) if c.ends_with("_dt") => {
                            l.replacen("TEXT", "date", 1)
                        }
                        _ => l.to_owned(),
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            // SQLite's implicit rowid, which the store reads from some of them; last, as
            // the triggers insert by position
            let s = match s.rfind(')') {
                Some(close) => format!(
                    "{},\n  rowid bigint GENERATED BY DEFAULT AS IDENTITY\n{}",
                    s[..close].trim_end(),
                    &s[close..]
                ),
                None => s,
            };
            format!("{s};\n")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{health_sync, rollups};

    #[test]
    fn every_sqlite_trigger_has_its_postgres_twin() {
        for (sql, guard) in [
            (health_sync::PENDING_SQL, "health_pending"),
            (rollups::PENDING_SQL, "benchmark_pending"),
        ] {
            let expected = sql.matches("CREATE TEMP TRIGGER").count();
            let out = triggers_sql(sql, guard);
            assert_eq!(out.matches("CREATE TRIGGER").count(), expected, "{out}");
            assert!(!out.contains("main."), "{out}");
            assert!(!out.contains("OR IGNORE"), "{out}");
        }
    }

    #[test]
    fn a_trigger_is_taken_apart_and_put_together() {
        let sql = "CREATE TEMP TRIGGER IF NOT EXISTS t_move AFTER UPDATE OF workspace_id ON main.customers\nWHEN NEW.workspace_id IS NOT OLD.workspace_id BEGIN\n  INSERT OR IGNORE INTO p (c) VALUES (NEW.id);\nEND;\n";
        let t = &triggers(sql)[0];
        assert_eq!(t.event, "UPDATE OF workspace_id");
        assert_eq!(t.table, "customers");
        let out = triggers_sql(sql, "p");
        assert!(out.contains("IF (NEW.workspace_id IS DISTINCT FROM OLD.workspace_id) AND to_regclass('pg_temp.p') IS NOT NULL"), "{out}");
        assert!(
            out.contains("INSERT INTO p (c) VALUES (NEW.id) ON CONFLICT DO NOTHING"),
            "{out}"
        );
        assert!(
            out.contains("AFTER UPDATE OF workspace_id ON customers FOR EACH ROW"),
            "{out}"
        );
        assert!(out.contains("RETURN NULL"), "{out}");
    }

    #[test]
    fn a_before_delete_keeps_the_delete() {
        let sql = "CREATE TEMP TRIGGER IF NOT EXISTS d BEFORE DELETE ON main.users BEGIN\n  SELECT 1;\nEND;\n";
        assert!(triggers_sql(sql, "p").contains("RETURN OLD"));
    }

    #[test]
    fn temp_tables_lose_sqlite_only_options() {
        let out = temp_tables(rollups::PENDING_SQL);
        assert_eq!(out.matches("CREATE TEMP TABLE").count(), 3, "{out}");
        assert!(
            !out.contains("STRICT") && !out.contains("WITHOUT ROWID"),
            "{out}"
        );
        assert!(!out.contains("TRIGGER"), "{out}");
        assert!(
            out.contains("customer_id uuid") && out.contains("score_dt    date"),
            "{out}"
        );
    }
}
