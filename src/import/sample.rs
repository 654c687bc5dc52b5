//! The sample data set (`sample-data/`), built into the binary so that `cscx demo` works from
//! any directory and from an installed binary. A test checks that this list and the folder
//! hold the same files.

use super::source::{Format, Source, format_of};

macro_rules! sample {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../sample-data/", $name)) as &[u8])),*]
    };
}

/// (file name, contents) of every data file of `sample-data/`.
pub const FILES: &[(&str, &[u8])] = sample![
    "accounts.csv",
    "adoption_components.csv",
    "agent_messages.ndjson",
    "agent_sessions.ndjson",
    "analysis_jobs.csv",
    "approvals.csv",
    "audit_logs.csv",
    "benchmark_dimensions.csv",
    "calls.csv",
    "cases.csv",
    "cisco_ops.adoption_scores.csv",
    "cisco_ops.contacts.csv",
    "cisco_ops.deal_actions.csv",
    "cisco_ops.etl_runs.csv",
    "cisco_ops.lci_telemetry.csv",
    "cisco_ops.partners.csv",
    "cisco_ops.products.csv",
    "clients.csv",
    "company_data_feeds.csv",
    "company_partner_map.csv",
    "connectors.csv",
    "contracts.json",
    "customer_configs.json",
    "deal_attributes.csv",
    "deal_notes.csv",
    "entitlements.csv",
    "events.ndjson",
    "explainability.csv",
    "health_trends.csv",
    "insight_actions.csv",
    "insights.csv",
    "knowledge_base.json",
    "kpi-workbook-acme.xlsx",
    "kpi-workbook-initech.csv",
    "kpi-workbook-northwind.csv",
    "kpi_reference_ranges.csv",
    "loss_reasons.csv",
    "meetings.csv",
    "partner_benchmarks.csv",
    "partner_region_map.csv",
    "playbook_executions.json",
    "playbook_reports.json",
    "playbook_triggers.csv",
    "provenance.json",
    "region_dim.csv",
    "stakeholders.csv",
    "tasks.csv",
    "training_modules.csv",
    "training_progress.csv",
    "transcripts.json",
    "user_partner_access.csv",
    "users.csv",
    "users.tsv",
    "variants.csv",
    "workspace_members.csv",
    "workspan_core.deals.json",
    "workspan_core.insights.ndjson",
];

/// The sample data as import sources, named `sample-data/FILE`.
pub fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(name, bytes)| {
            let format = format_of(name).unwrap_or(Format::Csv);
            Source::bytes(&format!("sample-data/{name}"), bytes, format)
        })
        .collect()
}
