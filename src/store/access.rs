//! Who may see and do what: the policy of `access_rules` (migration 0008) applied to an actor.
//!
//! [`Access`] is what the store knows of an actor: their memberships (workspace, role, the
//! workspace's visibility) and the rules of those roles. Every reader takes the [`Scope`] it
//! builds and narrows its SQL with [`Scope::customers_sql`]; every write asks
//! [`Access::authorize`] (from `WriteTx`) and a refusal names the rule that refused it.
//!
//! An actor without a user (no `--user`, not the single-user default) is the file's owner: a
//! local SQLite file is readable and writable by whoever can open it, so there is nobody the
//! policy could protect the data from. docs/access.md says so, and how each rule becomes a
//! PostgreSQL row-level-security policy.

use std::collections::HashMap;

use crate::store::db::{Connection, Engine};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::enums::{MemberRole, Permission, RuleScope, Visibility};
use super::error::{Result, StoreError};
use super::write::Actor;

/// One row of `access_rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub role: MemberRole,
    pub permission: Permission,
    pub scope: RuleScope,
    /// What a refusal says, e.g. `viewer: read only`.
    pub rule: String,
    /// The seed line the rule comes from.
    pub source: String,
}

/// The whole policy table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Policy {
    rules: HashMap<(MemberRole, Permission), Rule>,
}

impl Policy {
    pub fn load(conn: &Connection) -> Result<Policy> {
        let mut stmt = conn.prepare_cached(
            "SELECT role, action, scope, rule, source FROM access_rules ORDER BY role, action",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut rules = HashMap::new();
        for row in rows {
            let (role, action, scope, rule, source) = row?;
            let bad = |what: &str, v: &str| StoreError::Scope(format!("access_rules: {what} {v}"));
            let rule = Rule {
                role: MemberRole::parse(&role).ok_or_else(|| bad("role", &role))?,
                permission: Permission::parse(&action).ok_or_else(|| bad("action", &action))?,
                scope: RuleScope::parse(&scope).ok_or_else(|| bad("scope", &scope))?,
                rule,
                source,
            };
            rules.insert((rule.role, rule.permission), rule);
        }
        Ok(Policy { rules })
    }

    /// Every rule, by role then permission (the order docs/access.md lists them in).
    pub fn rules(&self) -> Vec<&Rule> {
        let mut all: Vec<&Rule> = self.rules.values().collect();
        all.sort_by_key(|r| (r.role, r.permission));
        all
    }

    /// How far `role` may `permission`; a missing row refuses.
    pub fn scope_of(&self, role: MemberRole, permission: Permission) -> RuleScope {
        self.rules
            .get(&(role, permission))
            .map_or(RuleScope::None, |r| r.scope)
    }

    fn refusal(&self, role: MemberRole, permission: Permission) -> String {
        self.rules.get(&(role, permission)).map_or_else(
            || format!("{role}: may not {permission} (no rule)"),
            |r| r.rule.clone(),
        )
    }
}

/// One workspace the actor belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: MemberRole,
    pub visibility: Visibility,
}

/// What the store knows of an actor for deciding reads and writes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Access {
    pub user_id: Option<String>,
    /// The file's owner (no user, or the only user of a database without memberships).
    pub owner: bool,
    /// `--workspace`, when given: nothing of another workspace is read or written.
    pub workspace_id: Option<String>,
    pub memberships: Vec<Membership>,
    pub policy: Policy,
}

impl Access {
    /// The access of `actor` as the database says now (memberships may change between writes).
    pub fn load(conn: &Connection, actor: &Actor) -> Result<Access> {
        let policy = Policy::load(conn)?;
        let Some(user) = actor.user_id.clone() else {
            return Ok(Access {
                owner: true,
                workspace_id: actor.workspace_id.clone(),
                policy,
                ..Access::default()
            });
        };
        let memberships = memberships(conn, &user)?
            .into_iter()
            .filter(|m| {
                actor
                    .workspace_id
                    .as_ref()
                    .is_none_or(|w| *w == m.workspace_id)
            })
            .collect::<Vec<_>>();
        // the only user of a book that names no members owns the file: nobody else to keep out
        let owner =
            memberships.is_empty() && actor.workspace_id.is_none() && sole_user(conn, &user)?;
        Ok(Access {
            user_id: Some(user),
            owner,
            workspace_id: actor.workspace_id.clone(),
            memberships,
            policy,
        })
    }

    pub fn membership(&self, workspace_id: &str) -> Option<&Membership> {
        self.memberships
            .iter()
            .find(|m| m.workspace_id == workspace_id)
    }

    /// The reads this actor may make (`mine`: only the customers assigned to them).
    pub fn scope(&self, mine: bool) -> Scope {
        let mut scope = Scope {
            user_id: self.user_id.clone(),
            everything: self.owner && self.workspace_id.is_none() && !mine,
            whole: Vec::new(),
            assigned: Vec::new(),
        };
        if self.owner {
            if !mine && let Some(w) = &self.workspace_id {
                scope.whole.push(w.clone());
            }
            return scope;
        }
        for m in &self.memberships {
            let full = match self.policy.scope_of(m.role, Permission::Read) {
                RuleScope::Workspace => true,
                RuleScope::Visible => m.visibility == Visibility::Workspace,
                RuleScope::Own => false,
                RuleScope::None => continue,
            };
            if full && !mine {
                scope.whole.push(m.workspace_id.clone());
            } else {
                scope.assigned.push(m.workspace_id.clone());
            }
        }
        scope
    }

    /// Whether the actor may import at all (into `--workspace`, or into one of their
    /// workspaces); each imported row is then checked against its own workspace. The error
    /// names the refusing rule.
    pub fn may_import(&self) -> std::result::Result<(), String> {
        if self.owner {
            return Ok(());
        }
        if self
            .memberships
            .iter()
            .any(|m| self.policy.scope_of(m.role, Permission::Import) == RuleScope::Workspace)
        {
            return Ok(());
        }
        let why = self
            .memberships
            .first()
            .map_or("a member of no workspace".to_owned(), |m| {
                self.policy.refusal(m.role, Permission::Import)
            });
        let into = self
            .memberships
            .iter()
            .map(|m| m.workspace_name.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Err(format!("import refused ({why}) in {into}"))
    }

    /// Whether this actor may recompute health (`cscx recompute`, a maintenance action that
    /// rewrites every score of the workspaces it covers): the file's owner, or a role with
    /// `configure` in every workspace the actor acts in (admin, ceo). The error names the
    /// refusing rule and workspace.
    pub fn may_recompute(&self) -> Result<()> {
        if self.owner {
            return Ok(());
        }
        if self.memberships.is_empty() {
            return Err(StoreError::Denied {
                rule: "a member of no workspace".into(),
                what: "recompute health".into(),
            });
        }
        for m in &self.memberships {
            if self.policy.scope_of(m.role, Permission::Configure) != RuleScope::Workspace {
                return Err(StoreError::Denied {
                    rule: self.policy.refusal(m.role, Permission::Configure),
                    what: format!("recompute health in {}", m.workspace_name),
                });
            }
        }
        Ok(())
    }

    /// Whether this actor may `permission` on a row of `workspace` belonging to `customer`
    /// (with its stored `csm_id`) and owned by `owner` (its `user_id`, for tables with one).
    /// The error names the rule that refused.
    pub fn authorize(&self, conn: &Connection, target: &Target<'_>) -> Result<()> {
        if self.owner && self.workspace_id.is_none() {
            return Ok(());
        }
        if let (Some(scope), Some(w)) = (&self.workspace_id, target.workspace_id)
            && scope != w
        {
            return Err(StoreError::Scope(format!(
                "{} belongs to another workspace",
                target.what
            )));
        }
        if self.owner {
            return Ok(());
        }
        let me = self.user_id.as_deref().unwrap_or_default();
        let Some(workspace) = target.workspace_id else {
            // a row of no workspace (users, the global KPI ranges): an admin of any workspace
            return if self
                .memberships
                .iter()
                .any(|m| self.policy.scope_of(m.role, target.permission) == RuleScope::Workspace)
            {
                Ok(())
            } else {
                Err(denied(
                    "only an admin or ceo may change what all workspaces share",
                    target,
                ))
            };
        };
        let Some(m) = self.membership(workspace) else {
            return Err(denied("not a member of that workspace", target));
        };
        let refuse = |p| Err(denied(&self.policy.refusal(m.role, p), target));
        match self.policy.scope_of(m.role, target.permission) {
            RuleScope::None => return refuse(target.permission),
            RuleScope::Workspace => return Ok(()),
            RuleScope::Visible | RuleScope::Own => {}
        }
        if let Some(owner) = target.owner
            && owner != me
            && self.policy.scope_of(m.role, Permission::WriteOthers) != RuleScope::Workspace
        {
            return refuse(Permission::WriteOthers);
        }
        let visible = match target.customer {
            _ if m.visibility == Visibility::Workspace
                && self.policy.scope_of(m.role, target.permission) == RuleScope::Visible =>
            {
                true
            }
            Some(c) => c.csm_id == Some(me) || granted(conn, me, c.id)?,
            // a row of no customer (a call with a prospect only) in an assigned workspace
            None => target.owner == Some(me),
        };
        if visible {
            Ok(())
        } else {
            Err(denied(
                &format!("{}: only customers assigned to them", m.role),
                target,
            ))
        }
    }
}

/// What a write is about to touch, for [`Access::authorize`].
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub permission: Permission,
    /// e.g. `calls 0190…`, for the message.
    pub what: String,
    pub workspace_id: Option<&'a str>,
    pub customer: Option<CustomerRef<'a>>,
    pub owner: Option<&'a str>,
}

#[derive(Debug, Clone, Copy)]
pub struct CustomerRef<'a> {
    pub id: &'a str,
    pub csm_id: Option<&'a str>,
}

fn denied(rule: &str, target: &Target<'_>) -> StoreError {
    StoreError::Denied {
        rule: rule.to_owned(),
        // the action itself (`delete calls …`), the permission it needs in the rule
        what: target.what.clone(),
    }
}

fn granted(conn: &Connection, user: &str, customer: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM user_customer_access WHERE user_id = ?1 AND customer_id = ?2",
        )?
        .query_row([user, customer], |_| Ok(()))
        .optional()?
        .is_some())
}

fn sole_user(conn: &Connection, user: &str) -> Result<bool> {
    Ok(
        super::read::records::only_user(conn)?.as_deref() == Some(user)
            && conn
                .prepare_cached("SELECT NOT EXISTS (SELECT 1 FROM workspace_members)")?
                .query_row([], |r| r.get::<_, bool>(0))?,
    )
}

/// The workspaces `user` belongs to, by name.
pub fn memberships(conn: &Connection, user: &str) -> Result<Vec<Membership>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.workspace_id, w.name, m.role, w.visibility
         FROM workspace_members m JOIN workspaces w ON w.id = m.workspace_id
         WHERE m.user_id = ?1 ORDER BY w.name",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (workspace_id, workspace_name, role, visibility) = row?;
        out.push(Membership {
            role: MemberRole::parse(&role)
                .ok_or_else(|| StoreError::Scope(format!("unknown role {role}")))?,
            visibility: Visibility::parse(&visibility)
                .ok_or_else(|| StoreError::Scope(format!("unknown visibility {visibility}")))?,
            workspace_id,
            workspace_name,
        });
    }
    Ok(out)
}

/// Why `--user` / `--workspace` cannot be used (the CLI exits 2 with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityError {
    #[error("--user {0}: no user has this email")]
    UnknownUser(String),
    #[error("--user {0}: this user is inactive")]
    Inactive(String),
    #[error("--workspace {0}: no such workspace")]
    UnknownWorkspace(String),
    #[error("--workspace {workspace}: {email} is not a member of it (member of: {of})")]
    NotMember {
        workspace: String,
        email: String,
        of: String,
    },
    #[error("--user {0}: this user belongs to no workspace")]
    NoWorkspace(String),
    #[error(
        "PostgreSQL role {0} acts for nobody, so the policies show it nothing: name who you are \
         with --user EMAIL (a member of cscx_app may), or log in as your own role"
    )]
    NobodyActs(String),
}

/// Resolves `--user EMAIL` and `--workspace NAME` to an actor, checking that the user exists
/// and is active and is a member of the workspace. Without `--workspace` the user sees the
/// union of their workspaces. The only user of a database that names no members needs none.
pub fn identify(
    conn: &Connection,
    email: Option<&str>,
    workspace: Option<&str>,
    user_agent: Option<String>,
) -> std::result::Result<Actor, IdentityErrorOr> {
    // on PostgreSQL the policies show rows only to someone: who acts is settled first
    let found = find_user(conn, email)?;
    if let Some((id, ..)) = &found {
        super::postgres::open::set_actor(
            conn,
            &Actor {
                user_id: Some(id.clone()),
                ..Actor::default()
            },
        )?;
    } else if let Some(email) = email {
        return Err(IdentityError::UnknownUser(email.to_owned()).into());
    }
    let workspace_id = match workspace {
        Some(name) => Some(
            super::read::lookup::workspace_id(conn, name)
                .map_err(|_| IdentityError::UnknownWorkspace(name.to_owned()))?,
        ),
        None => None,
    };
    let Some((user_id, email, active)) = found else {
        if let Some(role) = super::postgres::open::policed_role(conn)? {
            return Err(IdentityError::NobodyActs(role).into());
        }
        return Ok(Actor {
            user_id: None,
            workspace_id,
            user_agent,
        });
    };
    let email = email.as_str();
    if !active {
        return Err(IdentityError::Inactive(email.to_owned()).into());
    }
    let of = memberships(conn, &user_id)?;
    match (&workspace_id, workspace) {
        (Some(w), Some(name)) if !of.iter().any(|m| m.workspace_id == *w) => {
            return Err(IdentityError::NotMember {
                workspace: name.to_owned(),
                email: email.to_owned(),
                of: if of.is_empty() {
                    "none".into()
                } else {
                    of.iter()
                        .map(|m| m.workspace_name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            }
            .into());
        }
        (None, _) if of.is_empty() && !sole_user(conn, &user_id)? => {
            return Err(IdentityError::NoWorkspace(email.to_owned()).into());
        }
        _ => {}
    }
    Ok(Actor {
        user_id: Some(user_id),
        workspace_id,
        user_agent,
    })
}

/// The user `--user EMAIL` names, as (id, email, is_active). Without an email, SQLite has
/// nobody, and PostgreSQL the login role's own user (`cscx_login`: a person's role is only
/// ever themselves, cscx's `cscx_app` connection may name anyone).
fn find_user(
    conn: &Connection,
    email: Option<&str>,
) -> std::result::Result<Option<(String, String, bool)>, IdentityErrorOr> {
    let email = email.map(str::trim);
    let sql = match (conn.engine(), email) {
        (Engine::Sqlite, None) => return Ok(None),
        (Engine::Sqlite, Some(_)) => "SELECT id, email, is_active FROM users WHERE email = ?1",
        (Engine::Postgres, _) => "SELECT id, email, is_active FROM cscx_login(?1)",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// [`identify`]'s error: the caller's mistake, or the database's.
#[derive(Debug, thiserror::Error)]
pub enum IdentityErrorOr {
    #[error(transparent)]
    Identity(#[from] IdentityError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for IdentityErrorOr {
    fn from(e: rusqlite::Error) -> Self {
        IdentityErrorOr::Store(e.into())
    }
}

/// The rows a reader may return, as SQL over the customers they belong to.
///
/// A customer is visible when its workspace is one the actor sees whole, or when it is in a
/// workspace the actor sees only assigned customers of and its `csm_id` is the actor or
/// `user_customer_access` grants it (seed 001). Rows of other tables are visible through
/// their customer; rows with a workspace but no customer (a call with a prospect only) are
/// visible in a workspace seen whole, or to their own user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    user_id: Option<String>,
    everything: bool,
    whole: Vec<String>,
    assigned: Vec<String>,
}

impl Scope {
    /// No restriction: the file's owner.
    pub fn everything() -> Scope {
        Scope {
            everything: true,
            ..Scope::default()
        }
    }

    /// All of one workspace (tests, and the owner with `--workspace`).
    pub fn workspace(id: &str) -> Scope {
        Scope {
            whole: vec![id.to_owned()],
            ..Scope::default()
        }
    }

    pub fn is_everything(&self) -> bool {
        self.everything
    }

    /// Every workspace of this scope is seen `assigned`: only the user's own customers and
    /// those granted to them are visible (a reader of few customers, whatever the book).
    pub fn only_assigned(&self) -> bool {
        !self.everything && self.whole.is_empty() && self.user_id.is_some()
    }

    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// The one workspace this scope is confined to, if it is exactly one seen whole (lets a
    /// list keep using its `(workspace_id, sort)` index).
    pub fn single_workspace(&self) -> Option<&str> {
        match (self.whole.as_slice(), self.assigned.as_slice()) {
            ([one], []) => Some(one),
            _ => None,
        }
    }

    /// Every workspace any row of this scope can be in (None: every workspace).
    pub fn workspaces(&self) -> Option<Vec<&str>> {
        (!self.everything).then(|| {
            self.whole
                .iter()
                .chain(&self.assigned)
                .map(String::as_str)
                .collect()
        })
    }

    /// A condition on a workspace id column: true for every workspace the actor sees any of
    /// (settings such as band thresholds, which every member reads).
    pub fn workspace_sql(&self, column: &str, params: &mut Vec<Value>) -> String {
        match self.workspaces() {
            None => "TRUE".into(),
            Some(ws) if ws.is_empty() => "FALSE".into(),
            Some(ws) => {
                let owned: Vec<String> = ws.iter().map(|w| (*w).to_owned()).collect();
                format!("{column} IN ({})", marks(&owned, params))
            }
        }
    }

    /// A condition on the customer row `c` (an alias of `customers`): true when visible.
    /// Binds its values by pushing onto `params` (`?N` numbered from `params.len()`).
    pub fn customers_sql(&self, c: &str, params: &mut Vec<Value>) -> String {
        if self.everything {
            return "TRUE".into();
        }
        let mut parts = Vec::new();
        if !self.whole.is_empty() {
            parts.push(format!(
                "{c}.workspace_id IN ({})",
                marks(&self.whole, params)
            ));
        }
        if !self.assigned.is_empty()
            && let Some(me) = &self.user_id
        {
            let ws = marks(&self.assigned, params);
            params.push(Value::Text(me.clone()));
            let n = params.len();
            parts.push(format!(
                "({c}.workspace_id IN ({ws}) AND ({c}.csm_id = ?{n} OR EXISTS (SELECT 1 FROM \
                 user_customer_access g WHERE g.user_id = ?{n} AND g.customer_id = {c}.id)))"
            ));
        }
        if parts.is_empty() {
            "FALSE".into()
        } else {
            format!("({})", parts.join(" OR "))
        }
    }

    /// A condition on a row that names its workspace (`workspace`), its customer (`customer`,
    /// may be NULL) and its user (`user`, may be NULL): visible through its customer, or,
    /// without one, in a workspace seen whole or to its own user.
    pub fn row_sql(
        &self,
        workspace: &str,
        customer: &str,
        user: Option<&str>,
        params: &mut Vec<Value>,
    ) -> String {
        if self.everything {
            return "TRUE".into();
        }
        let mut inner = Vec::new();
        let through_customer = self.customers_sql("sc", params);
        let mut own = Vec::new();
        if !self.whole.is_empty() {
            own.push(format!("{workspace} IN ({})", marks(&self.whole, params)));
        }
        match (user, &self.user_id) {
            _ if self.assigned.is_empty() => {}
            // rows of the workspace itself (loss reasons): every member sees them
            (None, _) => own.push(format!(
                "{workspace} IN ({})",
                marks(&self.assigned, params)
            )),
            (Some(user), Some(me)) => {
                let ws = marks(&self.assigned, params);
                params.push(Value::Text(me.clone()));
                own.push(format!(
                    "({workspace} IN ({ws}) AND {user} = ?{})",
                    params.len()
                ));
            }
            (Some(_), None) => {}
        }
        inner.push(format!(
            "({customer} IS NOT NULL AND EXISTS (SELECT 1 FROM customers sc WHERE sc.id = \
             {customer} AND {through_customer}))"
        ));
        if !own.is_empty() {
            inner.push(format!("({customer} IS NULL AND ({}))", own.join(" OR ")));
        }
        format!("({})", inner.join(" OR "))
    }

    /// Whether row `id` of `table` exists and this scope may see it.
    pub fn visible(&self, conn: &Connection, table: &str, id: &str) -> Result<bool> {
        let Some(customer_sql) = super::read::scope::customer_of_sql(table) else {
            return Err(StoreError::Scope(format!(
                "no visibility rule for reads of {table}"
            )));
        };
        let mut params = vec![Value::Text(id.to_owned())];
        let sql = match customer_sql {
            super::read::scope::Owner::Customer(sub) => {
                let cond = self.customers_sql("c", &mut params);
                format!("SELECT 1 FROM customers c WHERE c.id = ({sub}) AND {cond}")
            }
            super::read::scope::Owner::Row {
                table,
                customer,
                user,
            } => {
                let cond = self.row_sql("x.workspace_id", customer, user, &mut params);
                format!("SELECT 1 FROM {table} x WHERE x.id = ?1 AND {cond}")
            }
        };
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(
                crate::store::db::params_from_iter(params.iter()),
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Like [`Scope::visible`], as the error a read by id returns for a row it may not show
    /// (the same as for a row that does not exist: nothing of another scope shows through).
    pub fn check(&self, conn: &Connection, table: &str, id: &str) -> Result<()> {
        if self.visible(conn, table, id)? {
            Ok(())
        } else {
            Err(StoreError::NotFound {
                entity: table.to_owned(),
                id: id.to_owned(),
            })
        }
    }
}

fn marks(values: &[String], params: &mut Vec<Value>) -> String {
    values
        .iter()
        .map(|v| {
            params.push(Value::Text(v.clone()));
            format!("?{}", params.len())
        })
        .collect::<Vec<_>>()
        .join(", ")
}
