//! Deciding on an agent's request: approve or reject pending approvals.
//!
//! One decision is, in the caller's one write transaction: the approval resolved (status,
//! `resolved_by` = the acting user, `resolved_at`, the comment), a system message appended to
//! its session's thread saying who decided what, and an `activity_log` entry naming the
//! decision. Rejecting needs a comment (the store's rule for approvals); deciding needs a user.

use rusqlite::OptionalExtension;
use serde_json::json;

use super::entities::{AgentMessage, Approval};
use super::enums::{ApprovalStatus, MessageRole};
use super::error::{FieldError, Result};
use super::ids::Timestamp;
use super::write::{self, Activity, WriteTx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    pub fn status(self) -> ApprovalStatus {
        match self {
            Decision::Approve => ApprovalStatus::Approved,
            Decision::Reject => ApprovalStatus::Rejected,
        }
    }

    /// `approved` / `rejected`
    pub fn past(self) -> &'static str {
        self.status().as_str()
    }

    /// `approve` / `reject`: the activity_log action.
    pub fn verb(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }
}

/// One approval decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub approval_id: String,
    pub action: String,
    pub customer_name: String,
    /// The system message appended to the session.
    pub message_id: String,
}

/// Decides every approval of `ids` the same way. Fails (and the caller's transaction with it)
/// if one is no longer pending — another cscx decided it first — naming who and when.
pub fn resolve(
    w: &mut WriteTx<'_>,
    ids: &[String],
    decision: Decision,
    comment: Option<&str>,
) -> Result<Vec<Resolved>> {
    let user_id = w.actor().user_id.clone().ok_or_else(|| {
        FieldError::new(
            "approvals",
            "resolved_by",
            "is required: start cscx with --user EMAIL to decide",
        )
    })?;
    let user_name: String = w
        .conn()
        .prepare_cached("SELECT name FROM users WHERE id = ?1")?
        .query_row([&user_id], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| user_id.clone());
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let now = Timestamp::now();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let base: Approval = write::get(w.conn(), w.catalog(), id)?;
        if base.status != ApprovalStatus::Pending {
            let by: Option<String> = match &base.resolved_by {
                Some(u) => w
                    .conn()
                    .prepare_cached("SELECT name FROM users WHERE id = ?1")?
                    .query_row([u], |r| r.get(0))
                    .optional()?,
                None => None,
            };
            return Err(FieldError::new(
                "approvals",
                "status",
                format!(
                    "is already {}{}{}",
                    base.status,
                    by.map(|b| format!(" by {b}")).unwrap_or_default(),
                    base.resolved_at
                        .map(|t| format!(" at {t}"))
                        .unwrap_or_default()
                ),
            )
            .with_value(base.action.clone())
            .into());
        }
        let edited = Approval {
            status: decision.status(),
            resolved_by: Some(user_id.clone()),
            resolved_at: Some(now),
            comment: comment.map(str::to_owned),
            ..base.clone()
        };
        w.update_unless_changed(id, &base, &edited)?;
        let (customer_id, workspace_id, customer_name): (String, String, String) = w
            .conn()
            .prepare_cached(
                "SELECT c.id, c.workspace_id, c.name FROM agent_sessions s
                 JOIN customers c ON c.id = s.customer_id WHERE s.id = ?1",
            )?
            .query_row([&base.session_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        let content = format!(
            "{} by {user_name}: {}{}",
            match decision {
                Decision::Approve => "Approved",
                Decision::Reject => "Rejected",
            },
            base.action,
            comment.map(|c| format!(" — {c}")).unwrap_or_default()
        );
        let message_id = w.create(&AgentMessage {
            session_id: base.session_id.clone(),
            role: MessageRole::System,
            content,
            metadata: json!({ "approval_id": id, "decision": decision.past() }),
            ..AgentMessage::default()
        })?;
        w.log(Activity {
            action: decision.verb().to_owned(),
            entity_type: Some("approvals".into()),
            entity_id: Some(id.clone()),
            customer_id: Some(customer_id),
            workspace_id: Some(workspace_id),
            old_values: Some(json!({ "status": "pending" })),
            new_values: Some(json!({
                "status": decision.past(),
                "resolved_by": user_id,
                "comment": comment,
            })),
        })?;
        out.push(Resolved {
            approval_id: id.clone(),
            action: base.action,
            customer_name,
            message_id,
        });
    }
    Ok(out)
}
