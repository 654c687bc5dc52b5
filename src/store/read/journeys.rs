//! Reads of the Journeys tab: the newest mined customer journey (`cscx mine --source
//! journey`) in the reader's scope, its variants by frequency (keyset pages), its
//! bottlenecks and explanations, and one customer's journey against the happy path.
//!
//! Variants and bottlenecks are a workspace's aggregates: a member of the workspace sees
//! them. A customer's own case is read through the customer's visibility (an `assigned` CSM
//! sees only their customers' journeys).

use crate::store::db::params_from_iter;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::reader::Reader;
use crate::store::error::Result;

/// A mined journey analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub id: String,
    pub workspace_id: String,
    pub finished_at: Option<String>,
    pub variants: i64,
    pub cases: i64,
    /// What made a case successful (`stage:renewal`).
    pub success: Option<String>,
}

/// One variant as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantRow {
    pub variant_id: String,
    pub frequency: i64,
    pub avg_cycle_seconds: Option<f64>,
    pub happy: bool,
    pub activities: Vec<String>,
}

/// A bottleneck or a global explanation: what it is about and its sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub scope: String,
    pub target: String,
    pub summary: String,
}

/// One customer's journey so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub customer_id: String,
    pub name: String,
    pub activities: Vec<String>,
    pub cycle_seconds: Option<f64>,
    /// How many customers took the same way.
    pub same_way: i64,
}

/// The newest succeeded journey analysis, of `workspace` if given, in the reader's scope.
pub fn latest(r: &Reader<'_>, workspace: Option<&str>) -> Result<Option<Analysis>> {
    let mut params: Vec<Value> = vec![workspace.map_or(Value::Null, |w| Value::Text(w.into()))];
    let visible = r.scope().workspace_sql("j.workspace_id", &mut params);
    let sql = format!(
        "SELECT j.id, j.workspace_id, j.finished_at,
                (SELECT count(*) FROM variants v WHERE v.analysis_id = j.id),
                (SELECT ifnull(sum(frequency), 0) FROM variants v WHERE v.analysis_id = j.id),
                json_extract(j.parameters, '$.success')
           FROM analysis_jobs j
          WHERE j.status = 'succeeded' AND json_extract(j.parameters, '$.source') = 'journey'
            AND (?1 IS NULL OR j.workspace_id = ?1) AND {visible}
          ORDER BY j.finished_at DESC, j.id DESC LIMIT 1"
    );
    Ok(r.conn()
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |row| {
            Ok(Analysis {
                id: row.get(0)?,
                workspace_id: row.get(1)?,
                finished_at: row.get(2)?,
                variants: row.get(3)?,
                cases: row.get(4)?,
                success: row.get(5)?,
            })
        })
        .optional()?)
}

fn activities(metadata: Option<String>) -> Vec<String> {
    metadata
        .and_then(|m| serde_json::from_str::<serde_json::Value>(&m).ok())
        .and_then(|m| m.get("activities").cloned())
        .and_then(|a| serde_json::from_value(a).ok())
        .unwrap_or_default()
}

/// A page of `analysis`'s variants by frequency (most first), ties by id, after `after`
/// (frequency, variant id) — keyset on `idx_variants_rank`.
pub fn variants(
    r: &Reader<'_>,
    analysis: &str,
    after: Option<(i64, &str)>,
    limit: usize,
) -> Result<Vec<VariantRow>> {
    let (f, id) = after.map_or((i64::MAX, ""), |(f, id)| (f, id));
    let mut stmt = r.conn().prepare_cached(
        "SELECT variant_id, frequency, avg_cycle_time_seconds, is_happy_path, metadata
           FROM variants
          WHERE analysis_id = ?1 AND (frequency < ?2 OR (frequency = ?2 AND variant_id > ?3))
          ORDER BY frequency DESC, variant_id LIMIT ?4",
    )?;
    let rows = stmt.query_map(rusqlite::params![analysis, f, id, limit as i64], |row| {
        Ok(VariantRow {
            variant_id: row.get(0)?,
            frequency: row.get(1)?,
            avg_cycle_seconds: row.get(2)?,
            happy: row.get::<_, i64>(3)? == 1,
            activities: activities(row.get(4)?),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The happy path's activities (empty when no case succeeded).
pub fn happy_path(r: &Reader<'_>, analysis: &str) -> Result<Vec<String>> {
    let metadata: Option<Option<String>> = r
        .conn()
        .prepare_cached(
            "SELECT metadata FROM variants WHERE analysis_id = ?1 AND is_happy_path = 1 LIMIT 1",
        )?
        .query_row([analysis], |row| row.get(0))
        .optional()?;
    Ok(activities(metadata.flatten()))
}

/// The analysis's explanations: the global ones, then the bottlenecks, as written.
pub fn explanations(r: &Reader<'_>, analysis: &str, limit: usize) -> Result<Vec<Explanation>> {
    let mut stmt = r.conn().prepare_cached(
        "SELECT scope, target, ifnull(summary, '') FROM explainability
          WHERE analysis_id = ?1 ORDER BY scope = 'bottleneck', rowid LIMIT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![analysis, limit as i64], |row| {
        Ok(Explanation {
            scope: row.get(0)?,
            target: row.get(1)?,
            summary: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// `customer`'s journey in `analysis`, if the reader may see the customer and it was mined.
pub fn journey(r: &Reader<'_>, analysis: &str, customer: &str) -> Result<Option<Journey>> {
    let mut params: Vec<Value> = vec![Value::Text(analysis.into()), Value::Text(customer.into())];
    let visible = r.scope().customers_sql("cu", &mut params);
    let sql = format!(
        "SELECT cu.id, cu.name, v.metadata, c.cycle_time_seconds, ifnull(v.frequency, 0)
           FROM cases c JOIN customers cu ON cu.id = c.global_case_id
           LEFT JOIN variants v ON v.analysis_id = c.analysis_id AND v.variant_id = c.variant_id
          WHERE c.analysis_id = ?1 AND c.global_case_id = ?2 AND {visible}"
    );
    Ok(r.conn()
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |row| {
            Ok(Journey {
                customer_id: row.get(0)?,
                name: row.get(1)?,
                activities: activities(row.get(2)?),
                cycle_seconds: row.get(3)?,
                same_way: row.get(4)?,
            })
        })
        .optional()?)
}

/// The workspace of `customer` if the reader may see it.
pub fn workspace_of(r: &Reader<'_>, customer: &str) -> Result<Option<String>> {
    let mut params: Vec<Value> = vec![Value::Text(customer.into())];
    let visible = r.scope().customers_sql("c", &mut params);
    let sql = format!("SELECT c.workspace_id FROM customers c WHERE c.id = ?1 AND {visible}");
    Ok(r.conn()
        .prepare_cached(&sql)?
        .query_row(params_from_iter(params.iter()), |row| row.get(0))
        .optional()?)
}
