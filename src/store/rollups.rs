//! Seed 000's derived numbers, computed by cscx instead of trusted (docs/health.md,
//! "Roll-ups"):
//!
//! * **Benchmarks.** A `customer_benchmarks` row puts its customer in the cohort of one
//!   `benchmark_dimensions` row (region = EMEA, industry = Retail, ...) for one metric. The
//!   cohort average is the mean of `customer_metric_value` over the cohort's rows — the
//!   customers of the same workspace with a row for that dimension and metric — and
//!   `variance = customer_metric_value − cohort_avg_value` (1530 − 1200 = 330). A cohort never
//!   crosses workspaces: its average would tell one tenant about another's customers.
//! * **Adoption.** The `adoption_components` of a customer on a date roll up into that date's
//!   `customer_scores` row of type `adoption` (seed 000's `adoption_scores`): the mean of the
//!   component scores, each weighing the same (the seed names no weights), rounded to one
//!   decimal; `score_breakdown_json` lists the components (`{"logins":80.0,...}`). A date
//!   without components keeps the adoption score it was given; deleting the last component
//!   of a date deletes that date's score. The health engine reads adoption scores as before
//!   (`health::signals`), so a component edit moves health: the customers whose score
//!   changed are queued for `health_sync` in the same transaction.
//!
//! Like health, these are written in the transaction of the edit that changes their inputs.
//! TEMP triggers (installed on each writing connection, as `health_sync`'s) note which
//! cohorts and (customer, date) pairs an edit touched — whichever way the edit came: a
//! typed write, an import's lean path, a cascade — and [`after_write`], called by the write
//! path before health, recomputes exactly those, set-based in SQL. `cscx recompute`
//! recomputes all of them ([`recompute_all`]) and `--check` lists the rows that differ
//! ([`drift`]).
//!
//! Averages aggregate in a fixed order (`ORDER BY` inside the aggregate), so the write, the
//! full recompute and the check compute the same bits from the same rows.

use crate::store::db::{Connection, Engine};

use super::error::Result;

/// The queues and the triggers that fill them. A trigger inserts only what is not queued yet
/// (`WHERE NOT EXISTS`) rather than `INSERT OR IGNORE`: a trigger's conflict clause gives way
/// to the one of the statement that fired it, and the roll-up's own upsert fires them.
pub const PENDING_SQL: &str = "
CREATE TEMP TABLE IF NOT EXISTS benchmark_pending (
  dimension_id TEXT NOT NULL,
  metric_name  TEXT NOT NULL,
  PRIMARY KEY (dimension_id, metric_name)
) STRICT, WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS adoption_pending (
  customer_id TEXT NOT NULL,
  score_dt    TEXT NOT NULL,
  PRIMARY KEY (customer_id, score_dt)
) STRICT, WITHOUT ROWID;
-- an import's benchmark rows as the file gave them, to report the values cscx recomputed
CREATE TEMP TABLE IF NOT EXISTS benchmark_imported (
  file            TEXT NOT NULL,
  line            INTEGER NOT NULL,
  dimension_id    TEXT NOT NULL,
  customer_id     TEXT NOT NULL,
  metric_name     TEXT NOT NULL,
  variance_header TEXT NOT NULL,
  variance        REAL,
  average_header  TEXT NOT NULL,
  cohort_avg      REAL
) STRICT;

CREATE TEMP TRIGGER IF NOT EXISTS rollup_benchmarks_insert AFTER INSERT ON main.customer_benchmarks BEGIN
  INSERT INTO benchmark_pending SELECT NEW.dimension_id, NEW.metric_name WHERE NOT EXISTS (
    SELECT 1 FROM benchmark_pending WHERE dimension_id = NEW.dimension_id AND metric_name = NEW.metric_name);
END;
-- any column: an edit of the derived columns themselves is put right too
CREATE TEMP TRIGGER IF NOT EXISTS rollup_benchmarks_update AFTER UPDATE ON main.customer_benchmarks BEGIN
  INSERT INTO benchmark_pending SELECT OLD.dimension_id, OLD.metric_name WHERE NOT EXISTS (
    SELECT 1 FROM benchmark_pending WHERE dimension_id = OLD.dimension_id AND metric_name = OLD.metric_name);
  INSERT INTO benchmark_pending SELECT NEW.dimension_id, NEW.metric_name WHERE NOT EXISTS (
    SELECT 1 FROM benchmark_pending WHERE dimension_id = NEW.dimension_id AND metric_name = NEW.metric_name);
END;
CREATE TEMP TRIGGER IF NOT EXISTS rollup_benchmarks_delete AFTER DELETE ON main.customer_benchmarks BEGIN
  INSERT INTO benchmark_pending SELECT OLD.dimension_id, OLD.metric_name WHERE NOT EXISTS (
    SELECT 1 FROM benchmark_pending WHERE dimension_id = OLD.dimension_id AND metric_name = OLD.metric_name);
END;
-- a customer that moves to another workspace leaves its cohorts for that workspace's
CREATE TEMP TRIGGER IF NOT EXISTS rollup_customers_move AFTER UPDATE OF workspace_id ON main.customers
WHEN NEW.workspace_id IS NOT OLD.workspace_id BEGIN
  INSERT INTO benchmark_pending
  SELECT b.dimension_id, b.metric_name FROM main.customer_benchmarks b
   WHERE b.customer_id = NEW.id AND NOT EXISTS (SELECT 1 FROM benchmark_pending p
     WHERE p.dimension_id = b.dimension_id AND p.metric_name = b.metric_name);
END;

CREATE TEMP TRIGGER IF NOT EXISTS rollup_components_insert AFTER INSERT ON main.adoption_components BEGIN
  INSERT INTO adoption_pending SELECT NEW.customer_id, NEW.score_dt WHERE NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = NEW.customer_id AND score_dt = NEW.score_dt);
END;
CREATE TEMP TRIGGER IF NOT EXISTS rollup_components_update AFTER UPDATE ON main.adoption_components BEGIN
  INSERT INTO adoption_pending SELECT OLD.customer_id, OLD.score_dt WHERE NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt);
  INSERT INTO adoption_pending SELECT NEW.customer_id, NEW.score_dt WHERE NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = NEW.customer_id AND score_dt = NEW.score_dt);
END;
CREATE TEMP TRIGGER IF NOT EXISTS rollup_components_delete AFTER DELETE ON main.adoption_components BEGIN
  INSERT INTO adoption_pending SELECT OLD.customer_id, OLD.score_dt WHERE NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt);
END;
-- an edit or delete of a rolled-up adoption score is put right (a date with components)
CREATE TEMP TRIGGER IF NOT EXISTS rollup_scores_write AFTER UPDATE ON main.customer_scores
WHEN OLD.score_type = 'adoption' OR NEW.score_type = 'adoption' BEGIN
  INSERT INTO adoption_pending
  SELECT OLD.customer_id, OLD.score_dt WHERE OLD.score_type = 'adoption' AND NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt) AND EXISTS (
    SELECT 1 FROM main.adoption_components WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt);
  INSERT INTO adoption_pending
  SELECT NEW.customer_id, NEW.score_dt WHERE NEW.score_type = 'adoption' AND NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = NEW.customer_id AND score_dt = NEW.score_dt) AND EXISTS (
    SELECT 1 FROM main.adoption_components WHERE customer_id = NEW.customer_id AND score_dt = NEW.score_dt);
END;
CREATE TEMP TRIGGER IF NOT EXISTS rollup_scores_delete AFTER DELETE ON main.customer_scores
WHEN OLD.score_type = 'adoption' BEGIN
  INSERT INTO adoption_pending
  SELECT OLD.customer_id, OLD.score_dt WHERE NOT EXISTS (
    SELECT 1 FROM adoption_pending WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt) AND EXISTS (
    SELECT 1 FROM main.adoption_components WHERE customer_id = OLD.customer_id AND score_dt = OLD.score_dt);
END;
";

/// Installs [`PENDING_SQL`] on a connection that writes (after migrations).
pub fn install(conn: &Connection) -> Result<()> {
    match conn.engine() {
        Engine::Sqlite => conn.execute_batch(PENDING_SQL)?,
        // the triggers are in the PostgreSQL schema (postgres::pending)
        Engine::Postgres => {
            conn.execute_batch(&super::postgres::pending::temp_tables(PENDING_SQL))?
        }
    }
    Ok(())
}

/// The cohort averages of the cohorts `{filter}` selects (over `cb`, a customer_benchmarks
/// row, and `c`, its customer), and the rows of those cohorts whose stored average or
/// variance differ from them.
const BENCHMARKS_UPDATE: &str = "
UPDATE customer_benchmarks AS b
   SET cohort_avg_value = k.average, variance = b.customer_metric_value - k.average
  FROM (SELECT cb.dimension_id, cb.metric_name, c.workspace_id AS ws,
               avg(cb.customer_metric_value ORDER BY cb.customer_id) AS average
          FROM customer_benchmarks cb JOIN customers c ON c.id = cb.customer_id
         WHERE {filter}
         GROUP BY cb.dimension_id, cb.metric_name, c.workspace_id) AS k,
       customers AS c
 WHERE b.dimension_id = k.dimension_id AND b.metric_name = k.metric_name
   AND c.id = b.customer_id AND c.workspace_id = k.ws
   AND (b.cohort_avg_value IS NOT k.average
        OR b.variance IS NOT b.customer_metric_value - k.average)";

const PENDING_COHORTS: &str = "(cb.dimension_id, cb.metric_name) IN
    (SELECT dimension_id, metric_name FROM temp.benchmark_pending)";

/// The roll-up of the (customer, date) pairs `{filter}` selects (over `a`, a component),
/// written where the stored score differs; returns the customers whose score changed.
const ADOPTION_UPSERT: &str = "
INSERT INTO customer_scores (customer_id, score_dt, score_type, workspace_id, score_value,
                             score_breakdown_json)
SELECT a.customer_id, a.score_dt, 'adoption', c.workspace_id,
       round(avg(a.component_score ORDER BY a.component_id), 1),
       json_group_object(a.component_id, a.component_score ORDER BY a.component_id)
  FROM adoption_components a JOIN customers c ON c.id = a.customer_id
 WHERE {filter}
 GROUP BY a.customer_id, a.score_dt, c.workspace_id
ON CONFLICT (customer_id, score_dt, score_type) DO UPDATE SET
   workspace_id = excluded.workspace_id, score_value = excluded.score_value,
   score_breakdown_json = excluded.score_breakdown_json
 WHERE customer_scores.score_value IS NOT excluded.score_value
    OR customer_scores.score_breakdown_json IS NOT excluded.score_breakdown_json
    OR customer_scores.workspace_id IS NOT excluded.workspace_id
RETURNING customer_id";

const PENDING_DATES: &str = "(a.customer_id, a.score_dt) IN
    (SELECT customer_id, score_dt FROM temp.adoption_pending)";

/// Scores of pending dates whose last component went.
const ADOPTION_ORPHANS: &str = "
DELETE FROM customer_scores AS s
 WHERE s.score_type = 'adoption'
   AND (s.customer_id, s.score_dt) IN (SELECT customer_id, score_dt FROM temp.adoption_pending)
   AND NOT EXISTS (SELECT 1 FROM adoption_components a
                    WHERE a.customer_id = s.customer_id AND a.score_dt = s.score_dt)
RETURNING customer_id";

/// Brings the benchmarks and adoption scores an edit touched up to date; queues the
/// customers whose adoption score moved for the health recompute that follows. Called by
/// the write path before `health_sync::after_write`.
pub(in crate::store) fn after_write(conn: &Connection) -> Result<()> {
    let pending: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM temp.benchmark_pending)
              + (SELECT count(*) FROM temp.adoption_pending)",
        [],
        |r| r.get(0),
    )?;
    if pending == 0 {
        return Ok(());
    }
    conn.prepare_cached(&BENCHMARKS_UPDATE.replace("{filter}", PENDING_COHORTS))?
        .execute([])?;
    let mut moved = query_ids(conn, &ADOPTION_UPSERT.replace("{filter}", PENDING_DATES))?;
    moved.extend(query_ids(conn, ADOPTION_ORPHANS)?);
    queue(conn, &moved)?;
    // our own writes above queued their rows again; they are right now
    conn.execute_batch("DELETE FROM temp.benchmark_pending; DELETE FROM temp.adoption_pending;")?;
    Ok(())
}

/// What a full recompute changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recomputed {
    pub benchmark_rows: usize,
    pub adoption_customers: usize,
}

/// Recomputes every cohort and every dated roll-up (`cscx recompute`, `generate`); with
/// `queue_health`, the customers whose adoption score moved get their health recomputed in
/// the same transaction. An adoption score of a date without components is left as it is.
pub(in crate::store) fn recompute_all(conn: &Connection, queue_health: bool) -> Result<Recomputed> {
    let benchmark_rows = conn.execute(&BENCHMARKS_UPDATE.replace("{filter}", "1"), [])?;
    let mut moved = query_ids(conn, &ADOPTION_UPSERT.replace("{filter}", "1"))?;
    moved.sort();
    moved.dedup();
    if queue_health {
        queue(conn, &moved)?;
    }
    conn.execute_batch("DELETE FROM temp.benchmark_pending; DELETE FROM temp.adoption_pending;")?;
    Ok(Recomputed {
        benchmark_rows,
        adoption_customers: moved.len(),
    })
}

fn query_ids(conn: &Connection, sql: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

fn queue(conn: &Connection, customers: &[String]) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO temp.health_pending (customer_id) VALUES (?1)")?;
    for id in customers {
        stmt.execute([id])?;
    }
    Ok(())
}

/// Stored roll-ups that differ from a recompute: how many, and the first few described.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Drift {
    pub benchmark_rows: u64,
    pub adoption_dates: u64,
    pub listed: Vec<String>,
}

impl Drift {
    pub fn is_empty(&self) -> bool {
        self.benchmark_rows == 0 && self.adoption_dates == 0
    }
}

const BENCHMARK_DRIFT: &str = "
WITH k AS (
  SELECT cb.dimension_id, cb.metric_name, c.workspace_id AS ws,
         avg(cb.customer_metric_value ORDER BY cb.customer_id) AS average
    FROM customer_benchmarks cb JOIN customers c ON c.id = cb.customer_id
   GROUP BY cb.dimension_id, cb.metric_name, c.workspace_id)
SELECT c.name, d.dimension_name, d.dimension_value, b.metric_name,
       b.cohort_avg_value, k.average, b.variance, b.customer_metric_value - k.average
  FROM customer_benchmarks b
  JOIN customers c ON c.id = b.customer_id
  JOIN k ON k.dimension_id = b.dimension_id AND k.metric_name = b.metric_name
        AND k.ws = c.workspace_id
  JOIN benchmark_dimensions d ON d.id = b.dimension_id
 WHERE (b.cohort_avg_value IS NOT k.average
        OR b.variance IS NOT b.customer_metric_value - k.average)
   AND {visible}
 ORDER BY c.name, d.dimension_name, d.dimension_value, b.metric_name";

const ADOPTION_DRIFT: &str = "
WITH r AS (
  SELECT customer_id, score_dt,
         round(avg(component_score ORDER BY component_id), 1) AS value,
         json_group_object(component_id, component_score ORDER BY component_id) AS breakdown
    FROM adoption_components GROUP BY customer_id, score_dt)
SELECT c.name, r.score_dt, s.score_value, r.value
  FROM r JOIN customers c ON c.id = r.customer_id
  LEFT JOIN customer_scores s ON s.customer_id = r.customer_id AND s.score_dt = r.score_dt
        AND s.score_type = 'adoption'
 WHERE (s.score_value IS NOT r.value OR s.score_breakdown_json IS NOT r.breakdown
        OR s.workspace_id IS NOT c.workspace_id)
   AND {visible}
 ORDER BY c.name, r.score_dt";

/// Compares every stored benchmark average and variance, and every adoption score of a
/// date with components, of the customers the reader sees, with a recompute; lists at most
/// `limit` of them. Writes nothing. `--check` runs it without `--customer`.
pub fn drift(r: &super::read::reader::Reader<'_>, limit: usize) -> Result<Drift> {
    let conn = r.conn();
    let mut params = Vec::new();
    let visible = r.scope().customers_sql("c", &mut params);
    let mut found = Drift::default();
    let show = |v: Option<f64>| v.map_or("none".to_owned(), |v| format!("{v}"));
    let mut stmt = conn.prepare(&BENCHMARK_DRIFT.replace("{visible}", &visible))?;
    let mut rows = stmt.query(crate::store::db::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        found.benchmark_rows += 1;
        if found.listed.len() < limit {
            let (customer, name, value, metric): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            found.listed.push(format!(
                "{customer}: benchmark {metric} in {name} = {value}: cohort average {} \
                 (computed {}), variance {} (computed {})",
                show(r.get(4)?),
                show(r.get(5)?),
                show(r.get(6)?),
                show(r.get(7)?),
            ));
        }
    }
    let mut stmt = conn.prepare(&ADOPTION_DRIFT.replace("{visible}", &visible))?;
    let mut rows = stmt.query(crate::store::db::params_from_iter(params.iter()))?;
    while let Some(r) = rows.next()? {
        found.adoption_dates += 1;
        if found.listed.len() < limit {
            let (customer, date): (String, String) = (r.get(0)?, r.get(1)?);
            found.listed.push(format!(
                "{customer}: adoption score of {date} is {} but its components roll up to {}",
                show(r.get(2)?),
                show(r.get(3)?),
            ));
        }
    }
    Ok(found)
}

/// Difference from which an imported variance or cohort average counts as not matching
/// cscx's: half a unit in the second decimal, so a file that rounds to cents matches.
pub const IMPORT_TOLERANCE: f64 = 0.005;

/// An imported benchmark value that cscx computed differently (and stored its own).
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub file: String,
    pub line: u64,
    /// The column as the file names it.
    pub header: String,
    pub imported: f64,
    pub computed: Option<f64>,
}

/// Notes an imported benchmark row's variance and cohort average as the file gave them
/// (after [`after_write`] they are cscx's own; [`mismatches`] compares).
pub(in crate::store) fn note_imported(
    conn: &Connection,
    file: &str,
    line: u64,
    key: (&str, &str, &str),
    variance: (&str, Option<f64>),
    average: (&str, Option<f64>),
) -> Result<()> {
    if variance.1.is_none() && average.1.is_none() {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO temp.benchmark_imported (file, line, dimension_id, customer_id,
           metric_name, variance_header, variance, average_header, cohort_avg)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(rusqlite::params![
        file,
        line as i64,
        key.0,
        key.1,
        key.2,
        variance.0,
        variance.1,
        average.0,
        average.1
    ])?;
    Ok(())
}

/// The imported values that differ from the stored (computed) ones by more than
/// [`IMPORT_TOLERANCE`], in file order: the first `limit`, and how many in all. Empties the
/// notes. Call after [`after_write`].
pub(in crate::store) fn mismatches(
    conn: &Connection,
    limit: usize,
) -> Result<(Vec<Mismatch>, u64)> {
    let mut stmt = conn.prepare(
        "SELECT i.rowid, 1, i.file, i.line, i.average_header, i.cohort_avg, b.cohort_avg_value
           FROM temp.benchmark_imported i
           JOIN main.customer_benchmarks b ON b.dimension_id = i.dimension_id
            AND b.customer_id = i.customer_id AND b.metric_name = i.metric_name
          WHERE i.cohort_avg IS NOT NULL
            AND (b.cohort_avg_value IS NULL OR abs(i.cohort_avg - b.cohort_avg_value) > ?1)
         UNION ALL
         SELECT i.rowid, 2, i.file, i.line, i.variance_header, i.variance, b.variance
           FROM temp.benchmark_imported i
           JOIN main.customer_benchmarks b ON b.dimension_id = i.dimension_id
            AND b.customer_id = i.customer_id AND b.metric_name = i.metric_name
          WHERE i.variance IS NOT NULL
            AND (b.variance IS NULL OR abs(i.variance - b.variance) > ?1)
          ORDER BY 1, 2",
    )?;
    let mut rows = stmt.query([IMPORT_TOLERANCE])?;
    let mut listed = Vec::new();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        count += 1;
        if listed.len() < limit {
            listed.push(Mismatch {
                file: r.get(2)?,
                line: r.get::<_, i64>(3)?.max(0) as u64,
                header: r.get(4)?,
                imported: r.get(5)?,
                computed: r.get(6)?,
            });
        }
    }
    drop(rows);
    drop(stmt);
    conn.execute("DELETE FROM temp.benchmark_imported", [])?;
    Ok((listed, count))
}
