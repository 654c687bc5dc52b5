//! One prepared INSERT per table, prepared once and kept for the whole load, with a row count
//! per table for the summary.
//!
//! This is the generator's only SQL besides the column lists next to each domain's code:
//! statements are built from those lists and always bound with parameters.

use rusqlite::{Connection, Statement, ToSql};

use super::{activity, calls, contracts, customers, deals, kpis, meetings, playbooks, process};
use super::{scores, sessions, training, world};
use crate::store::error::{FieldError, Result};
use crate::store::rows::quote;

/// A prepared INSERT into one table and how many rows it has written.
pub struct Insert<'c> {
    conn: &'c Connection,
    table: &'static str,
    /// Quoted column names.
    columns: Vec<String>,
    stmt: Statement<'c>,
    /// `many[n]`: the statement inserting `n` rows at once, prepared on first use.
    many: Vec<Option<Statement<'c>>>,
    rows: u64,
}

impl<'c> Insert<'c> {
    /// `columns`: the table's column names separated by whitespace.
    fn new(conn: &'c Connection, table: &'static str, columns: &str) -> Result<Self> {
        let columns: Vec<String> = columns.split_whitespace().map(quote).collect();
        let stmt = conn.prepare(&insert_sql(table, &columns, 1))?;
        Ok(Insert {
            conn,
            table,
            columns,
            stmt,
            many: Vec::new(),
            rows: 0,
        })
    }

    /// Inserts one row; the values in the order of the table's column list.
    pub fn row(&mut self, values: &[&dyn ToSql]) -> Result<()> {
        self.stmt
            .execute(values)
            .map_err(|e| rejected(self.table, e))?;
        self.rows += 1;
        Ok(())
    }

    /// Inserts `values.len() / columns` rows with one statement. For the biggest tables:
    /// the per-statement work (cursors, halt, reset) is paid once for all of them.
    pub fn rows(&mut self, values: &[&dyn ToSql]) -> Result<()> {
        let width = self.columns.len();
        let n = values.len() / width.max(1);
        if n == 0 {
            return Ok(());
        }
        if self.many.len() <= n {
            self.many.resize_with(n + 1, || None);
        }
        let stmt = match &mut self.many[n] {
            Some(stmt) => stmt,
            slot => slot.insert(
                self.conn
                    .prepare(&insert_sql(self.table, &self.columns, n))?,
            ),
        };
        stmt.execute(values).map_err(|e| rejected(self.table, e))?;
        self.rows += n as u64;
        Ok(())
    }
}

fn insert_sql(table: &str, columns: &[String], rows: usize) -> String {
    let mut next = 0;
    let tuples: Vec<String> = (0..rows)
        .map(|_| {
            let marks: Vec<String> = columns
                .iter()
                .map(|_| {
                    next += 1;
                    format!("?{next}")
                })
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO {} ({}) VALUES {}",
        quote(table),
        columns.join(", "),
        tuples.join(", ")
    )
}

/// A generated row the schema rejects is a generator bug: say where.
fn rejected(table: &str, e: rusqlite::Error) -> crate::store::StoreError {
    FieldError::new(table, "", format!("generated row rejected: {e}")).into()
}

macro_rules! inserts {
    ($($table:ident => $columns:expr),* $(,)?) => {
        /// A prepared INSERT for every table the generator writes, named after the table.
        pub struct Inserts<'c> {
            $(pub $table: Insert<'c>,)*
        }

        impl<'c> Inserts<'c> {
            pub fn prepare(conn: &'c Connection) -> Result<Self> {
                Ok(Inserts {
                    $($table: Insert::new(conn, stringify!($table), $columns)?,)*
                })
            }

            /// Rows written per table, in the order above (dependency order).
            pub fn counts(&self) -> Vec<(&'static str, u64)> {
                vec![$((stringify!($table), self.$table.rows),)*]
            }
        }
    };
}

inserts! {
    users => world::USERS,
    workspaces => world::WORKSPACES,
    workspace_members => world::WORKSPACE_MEMBERS,
    workspace_configs => world::WORKSPACE_CONFIGS,
    region_dim => world::REGION_DIM,
    benchmark_dimensions => world::BENCHMARK_DIMENSIONS,
    products => world::PRODUCTS,
    loss_reasons => world::LOSS_REASONS,
    training_modules => world::TRAINING_MODULES,
    knowledge_base => world::KNOWLEDGE_BASE,
    kpi_reference_ranges => world::KPI_REFERENCE_RANGES,
    playbook_triggers => world::PLAYBOOK_TRIGGERS,
    workspace_data_feeds => world::WORKSPACE_DATA_FEEDS,
    etl_runs => world::ETL_RUNS,
    connectors => process::CONNECTORS,
    analysis_jobs => process::ANALYSIS_JOBS,
    provenance => process::PROVENANCE,
    variants => process::VARIANTS,
    cases => process::CASES,
    events => process::EVENTS,
    explainability => process::EXPLAINABILITY,
    customers => customers::CUSTOMERS,
    stakeholders => customers::STAKEHOLDERS,
    workspace_customer_map => customers::WORKSPACE_CUSTOMER_MAP,
    user_customer_access => customers::USER_CUSTOMER_ACCESS,
    customer_region_map => customers::CUSTOMER_REGION_MAP,
    contracts => contracts::CONTRACTS,
    entitlements => contracts::ENTITLEMENTS,
    agent_sessions => sessions::AGENT_SESSIONS,
    agent_messages => sessions::AGENT_MESSAGES,
    approvals => sessions::APPROVALS,
    meetings => meetings::MEETINGS,
    transcripts => meetings::TRANSCRIPTS,
    insights => meetings::INSIGHTS,
    insight_actions => meetings::INSIGHT_ACTIONS,
    training_progress => training::TRAINING_PROGRESS,
    deals => deals::DEALS,
    deal_notes => deals::DEAL_NOTES,
    deal_actions => deals::DEAL_ACTIONS,
    deal_attributes => deals::DEAL_ATTRIBUTES,
    calls => calls::CALLS,
    telemetry_metrics => scores::TELEMETRY_METRICS,
    customer_scores => scores::CUSTOMER_SCORES,
    adoption_components => scores::ADOPTION_COMPONENTS,
    customer_benchmarks => scores::CUSTOMER_BENCHMARKS,
    kpi_uploads => kpis::KPI_UPLOADS,
    kpis => kpis::KPIS,
    kpi_time_series => kpis::KPI_TIME_SERIES,
    playbook_executions => playbooks::PLAYBOOK_EXECUTIONS,
    playbook_reports => playbooks::PLAYBOOK_REPORTS,
    activity_log => activity::ACTIVITY_LOG,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_row_statements_number_every_value() {
        let columns = vec![quote("a"), quote("b")];
        assert_eq!(
            insert_sql("t", &columns, 1),
            r#"INSERT INTO "t" ("a", "b") VALUES (?1, ?2)"#
        );
        assert_eq!(
            insert_sql("t", &columns, 3),
            r#"INSERT INTO "t" ("a", "b") VALUES (?1, ?2), (?3, ?4), (?5, ?6)"#
        );
    }

    #[test]
    fn many_rows_go_in_one_statement_and_are_counted() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT)")
            .unwrap();
        let mut ins = Insert::new(&conn, "t", "a b").unwrap();
        ins.row(&[&1, &"one"]).unwrap();
        ins.rows(&[&2, &"two", &3, &"three"]).unwrap();
        ins.rows(&[]).unwrap();
        assert_eq!(ins.rows, 3);
        let sum: i64 = conn
            .query_row("SELECT sum(a) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sum, 6);
        let err = ins.row(&[&4]).unwrap_err().to_string();
        assert!(err.contains("t."), "{err}");
    }
}
