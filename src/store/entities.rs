//! Typed records of the tables the dashboard edits. Field names are column names; the write
//! path (`WriteTx::create/update/delete`) validates them with the same rules as an import.
//!
//! `id` is empty for a record not created yet. Columns a record leaves out (created_at,
//! updated_at, derived columns) keep what the database has.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::enums::*;
use super::ids::Timestamp;
use super::write::Entity;

macro_rules! entity {
    ($name:ident, $table:literal) => {
        impl Entity for $name {
            const TABLE: &'static str = $table;
            fn id(&self) -> &str {
                &self.id
            }
        }
    };
}

fn empty_object() -> Json {
    Json::Object(Default::default())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub hq_country: Option<String>,
    pub industry: Option<String>,
    pub region: Option<WorkspaceRegion>,
    pub plan: Option<Plan>,
    pub owner_user_id: Option<String>,
    pub is_active: bool,
}
entity!(Workspace, "workspaces");

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            id: String::new(),
            name: String::new(),
            email: None,
            phone: None,
            address: None,
            hq_country: None,
            industry: None,
            region: None,
            plan: None,
            owner_user_id: None,
            is_active: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub department: Option<String>,
    pub role: Option<String>,
    pub is_active: bool,
}
entity!(User, "users");

impl Default for User {
    fn default() -> Self {
        User {
            id: String::new(),
            email: String::new(),
            name: String::new(),
            first_name: None,
            last_name: None,
            department: None,
            role: None,
            is_active: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Customer {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub arr_cents: Option<i64>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub tier: Option<String>,
    pub ultimate_parent: Option<String>,
    pub stage: CustomerStage,
    pub status: CustomerStatus,
    pub csm_id: Option<String>,
    pub salesforce_id: Option<String>,
    pub hubspot_id: Option<String>,
    pub crm_account_id: Option<String>,
    pub metadata: Json,
}
entity!(Customer, "customers");

impl Default for Customer {
    fn default() -> Self {
        Customer {
            id: String::new(),
            workspace_id: String::new(),
            name: String::new(),
            arr_cents: None,
            industry: None,
            region: None,
            country: None,
            tier: None,
            ultimate_parent: None,
            stage: CustomerStage::Prospect,
            status: CustomerStatus::Active,
            csm_id: None,
            salesforce_id: None,
            hubspot_id: None,
            crm_account_id: None,
            metadata: empty_object(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stakeholder {
    pub id: String,
    pub customer_id: String,
    pub name: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub linkedin_url: Option<String>,
    pub is_primary: bool,
    pub sentiment: Option<Sentiment>,
    pub notes: Option<String>,
    pub metadata: Json,
}
entity!(Stakeholder, "stakeholders");

impl Default for Stakeholder {
    fn default() -> Self {
        Stakeholder {
            id: String::new(),
            customer_id: String::new(),
            name: String::new(),
            first_name: None,
            last_name: None,
            role: None,
            email: None,
            phone: None,
            linkedin_url: None,
            is_primary: false,
            sentiment: None,
            notes: None,
            metadata: empty_object(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contract {
    pub id: String,
    pub customer_id: String,
    pub file_name: Option<String>,
    pub company_name: Option<String>,
    pub arr_cents: Option<i64>,
    pub contract_term: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: ContractStatus,
}
entity!(Contract, "contracts");

impl Default for Contract {
    fn default() -> Self {
        Contract {
            id: String::new(),
            customer_id: String::new(),
            file_name: None,
            company_name: None,
            arr_cents: None,
            contract_term: None,
            start_date: None,
            end_date: None,
            status: ContractStatus::Active,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LossReason {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub description: Option<String>,
    pub is_active: bool,
}
entity!(LossReason, "loss_reasons");

impl Default for LossReason {
    fn default() -> Self {
        LossReason {
            id: String::new(),
            workspace_id: String::new(),
            name: String::new(),
            description: None,
            is_active: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Call {
    pub id: String,
    pub workspace_id: String,
    pub user_id: String,
    pub customer_id: Option<String>,
    pub stakeholder_id: Option<String>,
    pub prospect_name: String,
    pub prospect_email: Option<String>,
    pub prospect_phone: Option<String>,
    pub call_type: CallType,
    pub status: CallStatus,
    pub outcome: Option<CallOutcome>,
    pub loss_reason_id: Option<String>,
    pub notes: Option<String>,
    /// seconds
    pub call_duration: Option<i64>,
    pub scheduled_at: Option<Timestamp>,
    pub completed_at: Option<Timestamp>,
}
entity!(Call, "calls");

impl Default for Call {
    fn default() -> Self {
        Call {
            id: String::new(),
            workspace_id: String::new(),
            user_id: String::new(),
            customer_id: None,
            stakeholder_id: None,
            prospect_name: String::new(),
            prospect_email: None,
            prospect_phone: None,
            call_type: CallType::Outbound,
            status: CallStatus::Completed,
            outcome: None,
            loss_reason_id: None,
            notes: None,
            call_duration: None,
            scheduled_at: None,
            completed_at: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Deal {
    pub id: String,
    pub workspace_id: Option<String>,
    pub customer_id: String,
    pub product_id: Option<String>,
    pub name: Option<String>,
    pub amount_cents: Option<i64>,
    pub stage: DealStage,
    pub close_dt: Option<NaiveDate>,
    pub is_actionable: bool,
}
entity!(Deal, "deals");

impl Default for Deal {
    fn default() -> Self {
        Deal {
            id: String::new(),
            workspace_id: None,
            customer_id: String::new(),
            product_id: None,
            name: None,
            amount_cents: None,
            stage: DealStage::Prospecting,
            close_dt: None,
            is_actionable: false,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealNote {
    pub id: String,
    pub deal_id: String,
    pub user_id: Option<String>,
    pub note_txt: String,
}
entity!(DealNote, "deal_notes");

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealAction {
    pub id: String,
    pub deal_id: String,
    pub action_txt: String,
    pub owner_user_id: Option<String>,
    pub due_dt: Option<NaiveDate>,
    pub status: DealActionStatus,
}
entity!(DealAction, "deal_actions");

impl Default for DealAction {
    fn default() -> Self {
        DealAction {
            id: String::new(),
            deal_id: String::new(),
            action_txt: String::new(),
            owner_user_id: None,
            due_dt: None,
            status: DealActionStatus::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentSession {
    pub id: String,
    pub customer_id: String,
    pub user_id: Option<String>,
    pub status: SessionStatus,
    pub active_agent: String,
    pub deployed_agents: Vec<String>,
    pub context: Json,
    pub ended_at: Option<Timestamp>,
}
entity!(AgentSession, "agent_sessions");

impl Default for AgentSession {
    fn default() -> Self {
        AgentSession {
            id: String::new(),
            customer_id: String::new(),
            user_id: None,
            status: SessionStatus::Active,
            active_agent: "onboarding".into(),
            deployed_agents: Vec::new(),
            context: empty_object(),
            ended_at: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentMessage {
    pub id: String,
    pub session_id: String,
    pub agent_id: Option<String>,
    pub role: MessageRole,
    pub content: String,
    pub thinking: bool,
    pub requires_approval: bool,
    pub deployed_agent: Option<String>,
    pub tool_calls: Option<Json>,
    pub metadata: Json,
}
entity!(AgentMessage, "agent_messages");

impl Default for AgentMessage {
    fn default() -> Self {
        AgentMessage {
            id: String::new(),
            session_id: String::new(),
            agent_id: None,
            role: MessageRole::Agent,
            content: String::new(),
            thinking: false,
            requires_approval: false,
            deployed_agent: None,
            tool_calls: None,
            metadata: empty_object(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Approval {
    pub id: String,
    pub session_id: String,
    pub agent_id: String,
    pub action: String,
    pub details: Option<String>,
    pub status: ApprovalStatus,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<Timestamp>,
    pub comment: Option<String>,
    pub metadata: Json,
}
entity!(Approval, "approvals");

impl Default for Approval {
    fn default() -> Self {
        Approval {
            id: String::new(),
            session_id: String::new(),
            agent_id: String::new(),
            action: String::new(),
            details: None,
            status: ApprovalStatus::Pending,
            resolved_by: None,
            resolved_at: None,
            comment: None,
            metadata: empty_object(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meeting {
    pub id: String,
    pub customer_id: String,
    pub session_id: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub scheduled_at: Option<Timestamp>,
    /// minutes
    pub duration: Option<i64>,
    pub status: MeetingStatus,
    pub meeting_url: Option<String>,
    pub attendees: Json,
}
entity!(Meeting, "meetings");

impl Default for Meeting {
    fn default() -> Self {
        Meeting {
            id: String::new(),
            customer_id: String::new(),
            session_id: None,
            title: String::new(),
            description: None,
            scheduled_at: None,
            duration: None,
            status: MeetingStatus::Scheduled,
            meeting_url: None,
            attendees: Json::Array(Vec::new()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Insight {
    pub id: String,
    pub workspace_id: Option<String>,
    pub customer_id: String,
    pub meeting_id: Option<String>,
    pub source: InsightSource,
    #[serde(rename = "type")]
    pub kind: InsightType,
    pub content: String,
    pub importance: Importance,
    pub owner: Option<String>,
    pub due_date: Option<NaiveDate>,
    pub status: InsightStatus,
}
entity!(Insight, "insights");

impl Default for Insight {
    fn default() -> Self {
        Insight {
            id: String::new(),
            workspace_id: None,
            customer_id: String::new(),
            meeting_id: None,
            source: InsightSource::Agent,
            kind: InsightType::Observation,
            content: String::new(),
            importance: Importance::Medium,
            owner: None,
            due_date: None,
            status: InsightStatus::Open,
        }
    }
}
