//! The enumerations of the seeds, defined once.
//!
//! Each enum here is the single definition of a CHECK set in `assets/migrations`: validation
//! (import and forms), pickers and the dashboard's labels all use these. A test
//! (`tests/schema.rs`) parses every `CHECK (col IN (...))` of the migrated schema and fails if
//! it differs from the set declared here for that column.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Lenient form of an enumeration value for matching human input: case, spaces, `-` and `_`
/// do not matter ("No Show", "no-show" and "NO_SHOW" are the same word).
pub fn fold(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

macro_rules! sql_enum {
    ($(#[$meta:meta])* $name:ident in [$($col:literal),+ $(,)?] { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order pickers show them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stored text of every value, in the same order.
            pub const TEXTS: &'static [&'static str] = &[$($text),+];
            /// The `table.column`s whose CHECK set this is.
            pub const COLUMNS: &'static [&'static str] = &[$($col),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses stored text or lenient human input (see [`fold`]).
            pub fn parse(s: &str) -> Option<Self> {
                let folded = fold(s);
                Self::ALL.iter().copied().find(|v| fold(v.as_str()) == folded)
            }

            /// The next value in picker order, wrapping (forms cycle with it).
            pub fn next(self) -> Self {
                let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
                Self::ALL[(i + 1) % Self::ALL.len()]
            }

            /// The previous value in picker order, wrapping.
            pub fn prev(self) -> Self {
                let i = Self::ALL.iter().position(|v| *v == self).unwrap_or(0);
                Self::ALL[(i + Self::ALL.len() - 1) % Self::ALL.len()]
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                Self::parse(s).ok_or_else(|| format!("must be one of {}", Self::TEXTS.join(", ")))
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

sql_enum!(WorkspaceRegion in ["workspaces.region"] { Eu = "EU", Uk = "UK", Us = "US" });
sql_enum!(Plan in ["workspaces.plan"] {
    Free = "free", Pro = "pro", Business = "business", Enterprise = "enterprise"
});
sql_enum!(
    /// Who sees a workspace's customers: every member, or only those assigned to them.
    Visibility in ["workspaces.visibility"] { Workspace = "workspace", Assigned = "assigned" }
);
sql_enum!(MemberRole in ["workspace_members.role", "access_rules.role", "playbook_steps.owner_role"] {
    Admin = "admin", Analyst = "analyst", Viewer = "viewer", Ceo = "ceo", Sales = "sales", Csm = "csm"
});
sql_enum!(
    /// What a role may do (`access_rules.action`).
    Permission in ["access_rules.action"] {
    Read = "read", Write = "write", WriteOthers = "write_others", Decide = "decide",
    Import = "import", Configure = "configure"
});
sql_enum!(
    /// How far a role's permission reaches (`access_rules.scope`).
    RuleScope in ["access_rules.scope"] {
    Workspace = "workspace", Visible = "visible", Own = "own", None = "none"
});
sql_enum!(KpiUploadMode in ["workspace_configs.kpi_upload_mode"] {
    Corporate = "corporate", AccountRollup = "account_rollup"
});
sql_enum!(
    /// Where an account is in its life with us.
    CustomerStage in ["customers.stage"] {
    Prospect = "prospect", Onboarding = "onboarding", Active = "active", Expansion = "expansion",
    Renewal = "renewal", AtRisk = "at_risk", Churned = "churned"
});
sql_enum!(CustomerStatus in ["customers.status"] {
    Active = "active", Inactive = "inactive", Churned = "churned"
});
sql_enum!(Sentiment in ["stakeholders.sentiment"] {
    Positive = "positive", Neutral = "neutral", Negative = "negative"
});
sql_enum!(ContractStatus in ["contracts.status"] {
    Draft = "draft", Pending = "pending", Active = "active", Expired = "expired", Terminated = "terminated"
});
sql_enum!(SessionStatus in ["agent_sessions.status"] {
    Active = "active", Paused = "paused", Completed = "completed", Failed = "failed"
});
sql_enum!(MessageRole in ["agent_messages.role"] { User = "user", Agent = "agent", System = "system" });
sql_enum!(ApprovalStatus in ["approvals.status"] {
    Pending = "pending", Approved = "approved", Rejected = "rejected"
});
sql_enum!(MeetingStatus in ["meetings.status"] {
    Scheduled = "scheduled", Completed = "completed", Cancelled = "cancelled", NoShow = "no_show"
});
sql_enum!(InsightSource in ["insights.source"] {
    Meeting = "meeting", Email = "email", Crm = "crm", Agent = "agent", Call = "call", Analytics = "analytics"
});
sql_enum!(InsightType in ["insights.type"] {
    Decision = "decision", ActionItem = "action_item", Concern = "concern", Quote = "quote",
    Sentiment = "sentiment", Risk = "risk", Opportunity = "opportunity", Observation = "observation"
});
sql_enum!(
    /// One low-to-critical scale: insight importance (and workspan severity), action priority,
    /// KPI impact.
    Importance in ["insights.importance", "insight_actions.priority", "kpis.impact_level"] {
    Low = "low", Medium = "medium", High = "high", Critical = "critical"
});
sql_enum!(InsightStatus in ["insights.status"] {
    Open = "open", InProgress = "in_progress", Resolved = "resolved", Dismissed = "dismissed"
});
sql_enum!(InsightActionStatus in ["insight_actions.status"] {
    Open = "open", InProgress = "in_progress", Done = "done", Dismissed = "dismissed"
});
sql_enum!(TrainingLevel in ["training_modules.level"] {
    Beginner = "beginner", Intermediate = "intermediate", Advanced = "advanced"
});
sql_enum!(TrainingStatus in ["training_progress.status"] {
    NotStarted = "not_started", InProgress = "in_progress", Completed = "completed"
});
sql_enum!(DealStage in ["deals.stage"] {
    Prospecting = "prospecting", Qualification = "qualification", Proposal = "proposal",
    Negotiation = "negotiation", ClosedWon = "closed_won", ClosedLost = "closed_lost"
});
sql_enum!(DealActionStatus in ["deal_actions.status"] {
    Open = "open", InProgress = "in_progress", Done = "done", Cancelled = "cancelled"
});
sql_enum!(ScoreType in ["customer_scores.score_type"] {
    Adoption = "adoption", Health = "health", Engagement = "engagement", Usage = "usage", Risk = "risk"
});
sql_enum!(EtlDirection in ["etl_runs.direction"] { Outbound = "outbound", Inbound = "inbound" });
sql_enum!(EtlStatus in ["etl_runs.status"] {
    Running = "running", Succeeded = "succeeded", Failed = "failed", Partial = "partial"
});
sql_enum!(
    /// A KPI value's band against its reference range (seed 002).
    HealthStatus in ["kpi_time_series.health_status"] {
    Healthy = "healthy", Risk = "risk", Critical = "critical"
});
sql_enum!(PlaybookType in ["playbook_triggers.playbook_type", "playbooks.playbook_type"] {
    Voc = "voc", Activation = "activation", Sla = "sla", Renewal = "renewal", Expansion = "expansion"
});
sql_enum!(PlaybookStatus in ["playbook_executions.status", "playbook_reports.status"] {
    InProgress = "in-progress", Completed = "completed", Failed = "failed", Cancelled = "cancelled"
});
sql_enum!(
    /// A task's state (cscx's tasks, issue 15): a snoozed task is open with `snoozed_until`.
    TaskStatus in ["tasks.status"] { Open = "open", Done = "done", Cancelled = "cancelled" });
sql_enum!(ConnectorStatus in ["connectors.status"] {
    Connected = "connected", Error = "error", Disabled = "disabled"
});
sql_enum!(JobStatus in ["analysis_jobs.status"] {
    Queued = "queued", Running = "running", Succeeded = "succeeded", Failed = "failed"
});
sql_enum!(ExplainScope in ["explainability.scope"] {
    Global = "global", Bottleneck = "bottleneck", Case = "case"
});
sql_enum!(CallType in ["calls.call_type"] { Inbound = "inbound", Outbound = "outbound" });
sql_enum!(CallStatus in ["calls.status"] {
    Completed = "completed", NoShow = "no-show", Rescheduled = "rescheduled"
});
sql_enum!(CallOutcome in ["calls.outcome"] { Won = "won", Lost = "lost", Tbd = "tbd" });

/// Every enumeration: its `table.column`s and allowed texts.
pub const REGISTRY: &[(&[&str], &[&str])] = &[
    (WorkspaceRegion::COLUMNS, WorkspaceRegion::TEXTS),
    (Plan::COLUMNS, Plan::TEXTS),
    (MemberRole::COLUMNS, MemberRole::TEXTS),
    (Visibility::COLUMNS, Visibility::TEXTS),
    (Permission::COLUMNS, Permission::TEXTS),
    (RuleScope::COLUMNS, RuleScope::TEXTS),
    (KpiUploadMode::COLUMNS, KpiUploadMode::TEXTS),
    (CustomerStage::COLUMNS, CustomerStage::TEXTS),
    (CustomerStatus::COLUMNS, CustomerStatus::TEXTS),
    (Sentiment::COLUMNS, Sentiment::TEXTS),
    (ContractStatus::COLUMNS, ContractStatus::TEXTS),
    (SessionStatus::COLUMNS, SessionStatus::TEXTS),
    (MessageRole::COLUMNS, MessageRole::TEXTS),
    (ApprovalStatus::COLUMNS, ApprovalStatus::TEXTS),
    (MeetingStatus::COLUMNS, MeetingStatus::TEXTS),
    (InsightSource::COLUMNS, InsightSource::TEXTS),
    (InsightType::COLUMNS, InsightType::TEXTS),
    (Importance::COLUMNS, Importance::TEXTS),
    (InsightStatus::COLUMNS, InsightStatus::TEXTS),
    (InsightActionStatus::COLUMNS, InsightActionStatus::TEXTS),
    (TrainingLevel::COLUMNS, TrainingLevel::TEXTS),
    (TrainingStatus::COLUMNS, TrainingStatus::TEXTS),
    (DealStage::COLUMNS, DealStage::TEXTS),
    (DealActionStatus::COLUMNS, DealActionStatus::TEXTS),
    (ScoreType::COLUMNS, ScoreType::TEXTS),
    (EtlDirection::COLUMNS, EtlDirection::TEXTS),
    (EtlStatus::COLUMNS, EtlStatus::TEXTS),
    (HealthStatus::COLUMNS, HealthStatus::TEXTS),
    (PlaybookType::COLUMNS, PlaybookType::TEXTS),
    (PlaybookStatus::COLUMNS, PlaybookStatus::TEXTS),
    (TaskStatus::COLUMNS, TaskStatus::TEXTS),
    (ConnectorStatus::COLUMNS, ConnectorStatus::TEXTS),
    (JobStatus::COLUMNS, JobStatus::TEXTS),
    (ExplainScope::COLUMNS, ExplainScope::TEXTS),
    (CallType::COLUMNS, CallType::TEXTS),
    (CallStatus::COLUMNS, CallStatus::TEXTS),
    (CallOutcome::COLUMNS, CallOutcome::TEXTS),
];

/// Words the seeds' free text uses for a member of a set, per `table.column`: an import
/// reads them as that member and says so in its summary (docs/import.md, "Values the seeds
/// leave free", gives the reason for each). Matched after [`fold`]. The dashboard's forms
/// do not take them: a new edit picks from the set.
pub const SYNONYMS: &[(&str, &[(&str, &str)])] = &[
    (
        "meetings.status",
        &[
            ("canceled", "cancelled"),
            ("held", "completed"),
            ("done", "completed"),
        ],
    ),
    // 'mixed' is no side: neutral is the set's word for it
    ("stakeholders.sentiment", &[("mixed", "neutral")]),
    (
        "etl_runs.status",
        &[
            ("success", "succeeded"),
            ("successful", "succeeded"),
            ("completed", "succeeded"),
            ("ok", "succeeded"),
            ("error", "failed"),
            ("failure", "failed"),
            ("partial_success", "partial"),
            ("in_progress", "running"),
        ],
    ),
    (
        "deal_actions.status",
        &[
            ("completed", "done"),
            ("complete", "done"),
            ("closed", "done"),
            ("canceled", "cancelled"),
            ("pending", "open"),
            ("todo", "open"),
        ],
    ),
    (
        "insight_actions.status",
        &[
            ("completed", "done"),
            ("complete", "done"),
            ("closed", "done"),
            ("pending", "open"),
            ("todo", "open"),
        ],
    ),
    // workspan's severity on 001's importance scale
    (
        "insights.importance",
        &[
            ("info", "low"),
            ("minor", "low"),
            ("warning", "medium"),
            ("moderate", "medium"),
            ("major", "high"),
            ("error", "high"),
            ("severe", "critical"),
        ],
    ),
    ("insight_actions.priority", &[("urgent", "critical")]),
    (
        "insights.status",
        &[("closed", "resolved"), ("done", "resolved")],
    ),
    (
        "contracts.status",
        &[("canceled", "terminated"), ("cancelled", "terminated")],
    ),
    (
        "analysis_jobs.status",
        &[
            ("success", "succeeded"),
            ("completed", "succeeded"),
            ("error", "failed"),
            ("pending", "queued"),
        ],
    ),
    (
        "playbook_executions.status",
        &[("canceled", "cancelled"), ("running", "in-progress")],
    ),
    (
        "playbook_reports.status",
        &[("canceled", "cancelled"), ("running", "in-progress")],
    ),
    (
        "agent_sessions.status",
        &[("ended", "completed"), ("done", "completed")],
    ),
    (
        "training_progress.status",
        &[("started", "in_progress"), ("done", "completed")],
    ),
];

/// The member of `table.column`'s set that the seeds' free text `input` means, if it is one
/// of [`SYNONYMS`].
pub fn synonym(table: &str, column: &str, input: &str) -> Option<&'static str> {
    let folded = fold(input);
    SYNONYMS
        .iter()
        .find(|(c, _)| c.split_once('.') == Some((table, column)))
        .and_then(|(_, words)| words.iter().find(|(from, _)| fold(from) == folded))
        .map(|(_, to)| *to)
}

/// The allowed texts of `table.column`, if it is an enumeration.
pub fn allowed(table: &str, column: &str) -> Option<&'static [&'static str]> {
    REGISTRY.iter().find_map(|(cols, texts)| {
        cols.iter()
            .any(|c| c.split_once('.') == Some((table, column)))
            .then_some(*texts)
    })
}

/// Canonical stored text for a lenient input of `table.column`'s enumeration.
pub fn canonical(texts: &[&'static str], input: &str) -> Option<&'static str> {
    let folded = fold(input);
    texts.iter().copied().find(|t| fold(t) == folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_parsing_finds_the_canonical_text() {
        assert_eq!(CallStatus::parse("No Show"), Some(CallStatus::NoShow));
        assert_eq!(CallStatus::parse("no_show"), Some(CallStatus::NoShow));
        assert_eq!(CallStatus::NoShow.as_str(), "no-show");
        assert_eq!(WorkspaceRegion::parse("eu"), Some(WorkspaceRegion::Eu));
        assert_eq!(
            PlaybookStatus::parse("in progress").map(|s| s.as_str()),
            Some("in-progress")
        );
        assert_eq!(CallOutcome::parse("maybe"), None);
    }

    #[test]
    fn synonyms_name_members_of_their_sets() {
        assert_eq!(synonym("meetings", "status", "Canceled"), Some("cancelled"));
        assert_eq!(synonym("etl_runs", "status", "success"), Some("succeeded"));
        assert_eq!(synonym("deal_actions", "status", "completed"), Some("done"));
        assert_eq!(synonym("insights", "importance", "warning"), Some("medium"));
        assert_eq!(
            synonym("stakeholders", "sentiment", "mixed"),
            Some("neutral")
        );
        assert_eq!(
            synonym("calls", "status", "canceled"),
            None,
            "only where listed"
        );
        for (column, words) in SYNONYMS {
            let (table, column) = column.split_once('.').unwrap();
            let texts = allowed(table, column).unwrap_or_else(|| panic!("{table}.{column}"));
            for (from, to) in *words {
                assert!(texts.contains(to), "{table}.{column}: {from} -> {to}");
                assert!(
                    canonical(texts, from).is_none(),
                    "{from} is already a member"
                );
            }
        }
    }

    #[test]
    fn cycling_wraps_both_ways() {
        assert_eq!(CallOutcome::Tbd.next(), CallOutcome::Won);
        assert_eq!(CallOutcome::Won.prev(), CallOutcome::Tbd);
    }

    #[test]
    fn serde_uses_stored_text() {
        let json = serde_json::to_string(&CallStatus::NoShow).unwrap();
        assert_eq!(json, "\"no-show\"");
        let back: CallStatus = serde_json::from_str("\"rescheduled\"").unwrap();
        assert_eq!(back, CallStatus::Rescheduled);
        assert!(serde_json::from_str::<CallStatus>("\"gone\"").is_err());
    }

    #[test]
    fn registry_answers_by_column() {
        assert_eq!(allowed("calls", "outcome"), Some(CallOutcome::TEXTS));
        assert_eq!(allowed("kpis", "impact_level"), Some(Importance::TEXTS));
        assert_eq!(allowed("calls", "notes"), None);
        assert_eq!(canonical(CallStatus::TEXTS, "NO SHOW"), Some("no-show"));
    }
}
