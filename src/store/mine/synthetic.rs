//! The synthetic order-to-cash log of `cscx bench mine`.

use rusqlite::types::Value;

use super::format_timestamp;
use crate::mine::order_to_cash::{VARIANT_PATHS, typical_hours};
use crate::store::error::{FieldError, Result};
use crate::store::ids;
use crate::store::write::WriteTx;

impl WriteTx<'_> {
    /// Writes a synthetic log of about `events` events (whole cases) into a new workspace and
    /// analysis, for `cscx bench mine`; returns the analysis id. Only the file's owner may
    /// (like `generate`, it skips the per-row checks).
    pub fn write_synthetic_log(&mut self, events: u64) -> Result<String> {
        self.require_owner("write a synthetic event log")?;
        let ws = self.insert_row(
            "workspaces",
            vec![(
                "name".into(),
                Value::Text(format!("bench mine {}", ids::new_id())),
            )],
        )?;
        let Some((_, Value::Text(workspace))) = ws.into_iter().next() else {
            return Err(FieldError::new("workspaces", "id", "no id written").into());
        };
        let job = ids::new_id();
        self.insert_row(
            "analysis_jobs",
            vec![
                ("id".into(), Value::Text(job.clone())),
                ("workspace_id".into(), Value::Text(workspace.clone())),
                ("status".into(), Value::Text("succeeded".into())),
                (
                    "parameters".into(),
                    Value::Text(r#"{"synthetic":true}"#.into()),
                ),
            ],
        )?;
        let mut insert = self.conn().prepare(
            "INSERT INTO events (workspace_id, analysis_id, global_case_id, system, activity, timestamp)
             VALUES (?1, ?2, ?3, 'sap', ?4, ?5)",
        )?;
        let total: u64 = VARIANT_PATHS.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = seed;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let (mut written, mut case) = (0u64, 0u64);
        let origin = 1_767_225_600; // 2026-01-01
        while written < events {
            case += 1;
            let mut pick = next() % total;
            let path = VARIANT_PATHS
                .iter()
                .find(|(_, w)| {
                    let hit = pick < u64::from(*w);
                    pick = pick.saturating_sub(u64::from(*w));
                    hit
                })
                .map_or(VARIANT_PATHS[0].0, |(p, _)| *p);
            let id = format!("O2C-{case:09}");
            let mut at = origin + (next() % (300 * 86_400)) as i64;
            for activity in path {
                insert.execute(rusqlite::params![
                    workspace,
                    job,
                    id,
                    activity,
                    format_timestamp(at)
                ])?;
                // each step waits about its typical time (0.3–2.5×): the bottlenecks are real
                let typical = typical_hours(activity) * 3600;
                at += typical * 3 / 10 + (next() % (typical as u64 * 22 / 10 + 1)) as i64;
                written += 1;
            }
        }
        Ok(job)
    }
}
