//! Where the visibility of a row comes from, for reads by id (a customer's trends, a deal's
//! notes, a session's thread, a record opened in a form): through its customer, or (calls and
//! loss reasons, which may name no customer) its own workspace and user. Lists apply
//! [`Scope`](crate::store::access::Scope) in their own queries.

/// How to find the customer (or the workspace) a row's visibility follows.
pub enum Owner {
    /// A subquery over `?1` (the row's id) that yields its customer's id.
    Customer(&'static str),
    /// The row carries its workspace (`x.workspace_id`), maybe a customer and a user.
    Row {
        table: &'static str,
        customer: &'static str,
        user: Option<&'static str>,
    },
}

/// The visibility rule of reads by id of `table` (None: the table is not read by id).
pub fn customer_of_sql(table: &str) -> Option<Owner> {
    Some(Owner::Customer(match table {
        "customers" => "?1",
        "deals" => "SELECT customer_id FROM deals WHERE id = ?1",
        "stakeholders" => "SELECT customer_id FROM stakeholders WHERE id = ?1",
        "contracts" => "SELECT customer_id FROM contracts WHERE id = ?1",
        "insights" => "SELECT customer_id FROM insights WHERE id = ?1",
        "meetings" => "SELECT customer_id FROM meetings WHERE id = ?1",
        "tasks" => "SELECT customer_id FROM tasks WHERE id = ?1",
        "insight_actions" => {
            "SELECT i.customer_id FROM insight_actions a JOIN insights i ON i.id = a.insight_id
             WHERE a.id = ?1"
        }
        "deal_actions" => {
            "SELECT d.customer_id FROM deal_actions a JOIN deals d ON d.id = a.deal_id
             WHERE a.id = ?1"
        }
        "deal_notes" => {
            "SELECT d.customer_id FROM deal_notes n JOIN deals d ON d.id = n.deal_id
             WHERE n.id = ?1"
        }
        "agent_sessions" => "SELECT customer_id FROM agent_sessions WHERE id = ?1",
        "approvals" => {
            "SELECT s.customer_id FROM approvals a JOIN agent_sessions s ON s.id = a.session_id
             WHERE a.id = ?1"
        }
        "calls" => {
            return Some(Owner::Row {
                table: "calls",
                customer: "x.customer_id",
                user: Some("x.user_id"),
            });
        }
        "loss_reasons" => {
            return Some(Owner::Row {
                table: "loss_reasons",
                customer: "NULL",
                user: None,
            });
        }
        _ => return None,
    }))
}
