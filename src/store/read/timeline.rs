//! An account's timeline: its `activity_log` entries, newest first, each in words — who did
//! what, and for a change the old → new values of the fields it changed.

use crate::store::db::Connection;
use serde_json::{Map, Value as Json};

use crate::store::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// `2026-12-04T20:16:29Z`
    pub when: String,
    /// The user's name; None for the store's own work (health, playbooks) or an import.
    pub who: Option<String>,
    pub what: String,
}

/// The newest `limit` entries of `customer_id` (the caller has checked it may see it).
pub(super) fn of_customer(
    conn: &Connection,
    customer_id: &str,
    limit: usize,
) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.created_at, u.name, a.action, a.entity_type, a.old_values, a.new_values
         FROM activity_log a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.customer_id = ?1
         ORDER BY a.created_at DESC, a.rowid DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![customer_id, limit as i64], |r| {
            let (action, entity): (String, Option<String>) = (r.get(2)?, r.get(3)?);
            let (old, new): (Option<String>, Option<String>) = (r.get(4)?, r.get(5)?);
            Ok(Event {
                when: r.get(0)?,
                who: r.get(1)?,
                what: describe(&action, entity.as_deref(), old.as_deref(), new.as_deref()),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// A table's rows as a person names one: `deal_actions` → `deal action`.
fn noun(table: Option<&str>) -> String {
    let t = table.unwrap_or("record");
    let one = t
        .strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| t.strip_suffix('s').map(str::to_owned))
        .unwrap_or_else(|| t.to_owned());
    one.replace('_', " ")
}

fn object(json: Option<&str>) -> Map<String, Json> {
    match json.and_then(|j| serde_json::from_str(j).ok()) {
        Some(Json::Object(m)) => m,
        _ => Map::new(),
    }
}

/// `s` cut to `max` characters, with `…` where it was cut (the dashboard cuts to the screen
/// again; this keeps one long note from crowding the others out).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A value as one short piece of text.
fn text(v: Option<&Json>) -> String {
    let s = match v {
        None | Some(Json::Null) => "—".to_owned(),
        Some(Json::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    clip(&s, 32)
}

/// What happened, in words: `changed task: status open → done`, `added call "Bill
/// Lumbergh"`, `health 45 → 27`.
pub fn describe(
    action: &str,
    entity: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
) -> String {
    let (old, new) = (object(old), object(new));
    let what = noun(entity);
    // the name a new row goes by, when it has one
    let named = ["name", "title", "prospect_name", "action_txt", "note_txt"]
        .iter()
        .find_map(|k| new.get(*k).and_then(Json::as_str));
    match action.to_ascii_lowercase().as_str() {
        "create" | "insert" => match named {
            Some(n) => format!("added {what} \"{}\"", clip(n, 40)),
            None => format!("added {what}"),
        },
        "delete" => format!("deleted {what}"),
        "health_change" => format!(
            "health {} → {}",
            text(old.get("health_score")),
            text(new.get("health_score"))
        ),
        "playbook_fired" => format!("opened playbook {}", text(new.get("playbook_id"))),
        "update" => {
            let changed: Vec<String> = new
                .iter()
                .filter(|(k, _)| k.as_str() != "updated_at")
                .take(3)
                .map(|(k, v)| {
                    format!(
                        "{} {} → {}",
                        k.replace('_', " "),
                        text(old.get(k)),
                        text(Some(v))
                    )
                })
                .collect();
            let more = new
                .len()
                .saturating_sub(changed.len() + usize::from(new.contains_key("updated_at")));
            let mut s = format!("changed {what}");
            if !changed.is_empty() {
                s.push_str(": ");
                s.push_str(&changed.join(", "));
            }
            if more > 0 {
                s.push_str(&format!(" and {more} more"));
            }
            s
        }
        other => format!("{} {what}", other.replace('_', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_as_its_fields_old_to_new() {
        assert_eq!(
            describe(
                "update",
                Some("tasks"),
                Some(r#"{"status":"open","completed_at":null}"#),
                Some(r#"{"status":"done","completed_at":"2026-12-04T20:16:29Z","updated_at":"x"}"#)
            ),
            "changed task: completed at — → 2026-12-04T20:16:29Z, status open → done"
        );
    }

    #[test]
    fn other_entries_read_as_what_happened() {
        assert_eq!(
            describe(
                "create",
                Some("calls"),
                None,
                Some(r#"{"prospect_name":"Bill"}"#)
            ),
            "added call \"Bill\""
        );
        assert_eq!(
            describe(
                "health_change",
                Some("customers"),
                Some(r#"{"health_score":45}"#),
                Some(r#"{"health_score":27}"#)
            ),
            "health 45 → 27"
        );
        assert_eq!(
            describe(
                "playbook_fired",
                None,
                None,
                Some(r#"{"playbook_id":"renewal-risk"}"#)
            ),
            "opened playbook renewal-risk"
        );
        assert_eq!(
            describe("delete", Some("deal_notes"), None, None),
            "deleted deal note"
        );
        assert_eq!(
            describe("approve", Some("approvals"), None, None),
            "approve approval"
        );
        assert_eq!(noun(Some("activities")), "activity");
    }
}
