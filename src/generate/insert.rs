//! One prepared INSERT per table the generator writes, prepared once and kept for the whole
//! load, with a row count per table for the summary. The statements are the store's
//! ([`crate::store::prepared::Insert`]), built from the column lists next to each domain's
//! code and always bound with parameters.

use super::{activity, calls, contracts, customers, deals, kpis, meetings, playbooks, process};
use super::{scores, sessions, tasks, training, world};
use crate::store::WriteTx;
use crate::store::error::Result;
use crate::store::prepared::Insert;

macro_rules! inserts {
    ($($table:ident => $columns:expr),* $(,)?) => {
        /// A prepared INSERT for every table the generator writes, named after the table.
        pub struct Inserts<'c> {
            $(pub $table: Insert<'c>,)*
        }

        impl<'c> Inserts<'c> {
            pub fn prepare(w: &'c WriteTx<'_>) -> Result<Self> {
                Ok(Inserts {
                    $($table: Insert::new(w, stringify!($table), $columns)?,)*
                })
            }

            /// Rows written per table, in the order above (dependency order).
            pub fn counts(&self) -> Vec<(&'static str, u64)> {
                vec![$((stringify!($table), self.$table.written()),)*]
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
    tasks => tasks::TASKS,
    activity_log => activity::ACTIVITY_LOG,
}
