//! The access policy (docs/access.md, `access_rules`) as PostgreSQL row-level security:
//! helper functions that answer what `store::access::Scope` and `Access::authorize` answer,
//! and on every table `ENABLE` + `FORCE ROW LEVEL SECURITY` with one policy per command
//! whose condition follows the table's path to its customer ([`Catalog::customer_link`]),
//! as `store::read::dump::visible_sql` does. Reads are plain comparisons with the actor's
//! workspaces and grants, each computed once per statement (`(SELECT …)`, an InitPlan), and
//! rows that follow a customer defer to the customers' own policy; writes call `cscx_may`
//! (`Access::authorize`) per row.
//!
//! Who is acting ([`ACTOR_SQL`]): a login role mapped to a user in `cscx_user_roles` is that
//! user, whatever it sets; a member of the `cscx_app` role (cscx's own connection) is the user
//! its transaction names with `SET LOCAL cscx.user_id = '…'`; anyone else is nobody and sees
//! nothing. So a CSM's `psql` cannot claim to be someone else.

use std::fmt::Write as _;

use crate::store::catalog::{Catalog, CustomerLink, Table};
use crate::store::write::{owner_column, permission_for};

use super::ddl::ident;

/// The group role every mapped login role is granted: the table privileges (the policies
/// decide the rows). `cscx_app` is the role cscx itself connects as.
pub const MEMBER_ROLE: &str = "cscx_member";
pub const APP_ROLE: &str = "cscx_app";

/// Roles, the role → user map and the helper functions the policies call. The functions
/// that read the policy tables are SECURITY DEFINER (they read `workspace_members`,
/// `access_rules`, `customers` without the caller's policies, which would recurse); they are
/// owned by whoever runs the script, which must be a superuser or have BYPASSRLS.
pub const ACTOR_SQL: &str = r#"
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cscx_member') THEN CREATE ROLE cscx_member NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cscx_app') THEN CREATE ROLE cscx_app NOLOGIN; END IF;
END $$;

-- a login role that is one person: `CREATE ROLE "dana@northwind.test" LOGIN IN ROLE cscx_member;`
-- then `INSERT INTO cscx_user_roles VALUES ('dana@northwind.test', '<users.id>');`
CREATE TABLE cscx_user_roles (
  role_name text PRIMARY KEY,
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

-- the user a role acts as (see the module's comment); the policies call cscx_actor()
CREATE FUNCTION cscx_actor_of(role_name text) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT u.id FROM users u
  WHERE u.is_active AND u.id = CASE
    WHEN EXISTS (SELECT 1 FROM cscx_user_roles r WHERE r.role_name = $1)
      THEN (SELECT r.user_id FROM cscx_user_roles r WHERE r.role_name = $1)
    WHEN pg_has_role($1, 'cscx_app', 'MEMBER')
      THEN nullif(current_setting('cscx.user_id', true), '')::uuid
  END
$$;

-- evaluated as the querying role (SECURITY INVOKER), so current_user is who asks
CREATE FUNCTION cscx_actor() RETURNS uuid LANGUAGE sql STABLE AS $$
  SELECT cscx_actor_of(current_user::text)
$$;

-- who acts for cscx's `--user EMAIL` (NULL: the login's own user), as (id, email, is_active):
-- a person's own login role is only ever themselves; cscx's own connection (a member of
-- cscx_app) may act as anyone it names, as Supabase's service role does; anyone else is nobody
CREATE FUNCTION cscx_login_of(role_name text, wanted text)
RETURNS TABLE (id uuid, email text, is_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT u.id, u.email::text, u.is_active FROM users u
  WHERE ($2 IS NULL OR u.email = $2) AND CASE
    WHEN EXISTS (SELECT 1 FROM cscx_user_roles r WHERE r.role_name = $1)
      THEN u.id = (SELECT r.user_id FROM cscx_user_roles r WHERE r.role_name = $1)
    WHEN $2 IS NOT NULL THEN pg_has_role($1, 'cscx_app', 'MEMBER')
    ELSE false
  END
$$;

CREATE FUNCTION cscx_login(wanted text) RETURNS TABLE (id uuid, email text, is_active boolean)
LANGUAGE sql STABLE AS $$
  SELECT * FROM cscx_login_of(current_user::text, $1)
$$;

-- the scope of `action` for user `me` in workspace `ws` (access_rules.scope; NULL: not a
-- member, or not in the workspace the transaction is confined to by cscx.workspace_id)
CREATE FUNCTION cscx_rule(me uuid, ws uuid, action text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT r.scope FROM workspace_members m
  JOIN access_rules r ON r.role = m.role AND r.action = $3
  WHERE m.user_id = $1 AND m.workspace_id = $2
    AND (nullif(current_setting('cscx.workspace_id', true), '') IS NULL
         OR m.workspace_id = nullif(current_setting('cscx.workspace_id', true), '')::uuid)
$$;

-- how `me` reads workspace `ws`: 'whole', 'assigned' (seed 001: only their customers) or NULL
CREATE FUNCTION cscx_reads(me uuid, ws uuid) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT CASE
    WHEN x.scope = 'workspace' OR (x.scope = 'visible' AND w.visibility = 'workspace') THEN 'whole'
    WHEN x.scope IN ('visible', 'own') THEN 'assigned'
  END
  FROM (SELECT cscx_rule($1, $2, 'read') AS scope) x JOIN workspaces w ON w.id = $2
$$;

-- the workspaces `me` reads 'whole', 'assigned' or 'any' of (Scope's whole, assigned, and
-- both: Scope::workspace_sql). The policies call it as an InitPlan, `(SELECT …)`, so it runs
-- once per statement, not once per row.
CREATE FUNCTION cscx_workspaces(me uuid, how text) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT coalesce(array_agg(m.workspace_id), '{}') FROM workspace_members m
  WHERE m.user_id = $1 AND CASE $2
    WHEN 'any' THEN cscx_reads($1, m.workspace_id) IS NOT NULL
    ELSE cscx_reads($1, m.workspace_id) = $2
  END
$$;

-- the customers user_customer_access grants `me` (000's user_partner_access)
CREATE FUNCTION cscx_granted(me uuid) RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT coalesce(array_agg(g.customer_id), '{}') FROM user_customer_access g WHERE g.user_id = $1
$$;

-- Access::authorize: may `me` do `action` to a row of workspace `ws` (NULL: of the customer,
-- or shared by all workspaces), of customer `customer` whose CSM is `csm`, owned by `owner`
CREATE FUNCTION cscx_may(me uuid, action text, ws uuid, customer uuid, csm uuid, owner uuid,
                         has_owner boolean)
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  rule text;
  vis text;
BEGIN
  IF me IS NULL THEN
    RETURN false;
  END IF;
  IF ws IS NULL THEN
    -- what all workspaces share: an admin or ceo of some workspace
    RETURN EXISTS (SELECT 1 FROM workspace_members m
                   JOIN access_rules r ON r.role = m.role AND r.action = $2
                   WHERE m.user_id = me AND r.scope = 'workspace'
                     AND (nullif(current_setting('cscx.workspace_id', true), '') IS NULL
                          OR m.workspace_id = nullif(current_setting('cscx.workspace_id', true), '')::uuid));
  END IF;
  rule := coalesce(cscx_rule(me, ws, action), 'none');
  IF rule = 'none' THEN
    RETURN false;
  ELSIF rule = 'workspace' THEN
    RETURN true;
  END IF;
  IF owner IS NOT NULL AND owner <> me
     AND coalesce(cscx_rule(me, ws, 'write_others'), 'none') <> 'workspace' THEN
    RETURN false;
  END IF;
  SELECT w.visibility INTO vis FROM workspaces w WHERE w.id = ws;
  IF vis = 'workspace' AND rule = 'visible' THEN
    RETURN true;
  ELSIF customer IS NOT NULL THEN
    RETURN coalesce(csm = me, false) OR EXISTS (
      SELECT 1 FROM user_customer_access g WHERE g.user_id = me AND g.customer_id = customer);
  END IF;
  RETURN has_owner AND coalesce(owner = me, false);
END
$$;

-- cscx_may for a row that names its customer by id (the customer's workspace and CSM looked up)
CREATE FUNCTION cscx_may_row(me uuid, action text, ws uuid, customer uuid, owner uuid,
                             has_owner boolean)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
  SELECT cscx_may($1, $2, coalesce($3, c.workspace_id), $4, c.csm_id, $5, $6)
  FROM (SELECT 1) one LEFT JOIN customers c ON c.id = $4
$$;
"#;

/// How a table's rows reach the policy functions: SQL over the row's own columns.
struct RowTerms {
    /// The row's workspace (`NULL` where it has none of its own).
    workspace: String,
    /// The row's customer, `NULL` where it belongs to none.
    customer: Option<String>,
    owner: Option<String>,
}

fn terms(catalog: &Catalog, table: &Table) -> RowTerms {
    let workspace = if table.has_column("workspace_id") {
        "workspace_id".to_owned()
    } else if table.name == "workspaces" {
        "id".to_owned()
    } else {
        "NULL::uuid".to_owned()
    };
    let customer = match catalog.customer_link(&table.name) {
        Some(CustomerLink::Own) => Some("id".to_owned()),
        Some(CustomerLink::Column(c)) => Some(ident(&c)),
        Some(CustomerLink::Via {
            column,
            parent,
            parent_column,
        }) => Some(format!(
            "(SELECT p.customer_id FROM {} p WHERE p.{} = {}.{})",
            ident(&parent),
            ident(&parent_column),
            ident(&table.name),
            ident(&column)
        )),
        None => None,
    };
    RowTerms {
        workspace,
        customer,
        owner: owner_column(&table.name).map(ident),
    }
}

/// The actor, once per statement.
const ME: &str = "(SELECT cscx_actor())";
const WHOLE: &str = "(SELECT cscx_workspaces(cscx_actor(), 'whole'))::uuid[]";
const ASSIGNED: &str = "(SELECT cscx_workspaces(cscx_actor(), 'assigned'))::uuid[]";
const ANY: &str = "(SELECT cscx_workspaces(cscx_actor(), 'any'))::uuid[]";
const GRANTED: &str = "(SELECT cscx_granted(cscx_actor()))::uuid[]";

/// The customers the actor may see, as a subquery: `customers` under its own policy.
const VISIBLE_CUSTOMERS: &str = "SELECT cscx_c.id FROM customers cscx_c";

/// The SELECT condition of `table`: `dump::visible_sql` for the acting user. Plain
/// comparisons with the actor's workspaces and grants (computed once per statement), and the
/// customers' own policy for the rows that follow a customer, so PostgreSQL can use the
/// indexes and hash the customers seen.
pub fn read_sql(catalog: &Catalog, table: &Table) -> String {
    let owner = owner_column(&table.name).map(ident);
    match catalog.customer_link(&table.name) {
        // Scope::customers_sql (seed 001's customers_policy)
        Some(CustomerLink::Own) => format!(
            "workspace_id = ANY ({WHOLE}) OR (workspace_id = ANY ({ASSIGNED}) \
             AND (csm_id = {ME} OR id = ANY ({GRANTED})))"
        ),
        // Scope::row_sql: through the customer, or without one by workspace (and owner)
        Some(CustomerLink::Column(c)) if table.has_column("workspace_id") => {
            let c = ident(&c);
            let own = owner.map_or("true".to_owned(), |o| format!("{o} = {ME}"));
            format!(
                "({c} IS NOT NULL AND {c} IN ({VISIBLE_CUSTOMERS})) OR ({c} IS NULL AND \
                 (workspace_id = ANY ({WHOLE}) OR (workspace_id = ANY ({ASSIGNED}) AND {own})))"
            )
        }
        // seed 001's stakeholders_policy: rows inherit their customer's visibility
        Some(CustomerLink::Column(c)) => format!("{} IN ({VISIBLE_CUSTOMERS})", ident(&c)),
        Some(CustomerLink::Via {
            column,
            parent,
            parent_column,
        }) => format!(
            "{} IN (SELECT cscx_p.{} FROM {} cscx_p WHERE cscx_p.customer_id IN ({VISIBLE_CUSTOMERS}))",
            ident(&column),
            ident(&parent_column),
            ident(&parent)
        ),
        None if table.has_column("workspace_id") => format!("workspace_id = ANY ({ANY})"),
        None if table.name == "workspaces" => format!("id = ANY ({ANY})"),
        // the people of the workspaces I see (workspace_members under its own policy)
        None if table.name == "users" => {
            "id IN (SELECT cscx_m.user_id FROM workspace_members cscx_m)".to_owned()
        }
        // shared by every workspace (KPI reference ranges, regions, the policy itself)
        None => "true".to_owned(),
    }
}

/// The condition a write of `table` needs (`Access::authorize` with the table's permission).
pub fn write_sql(catalog: &Catalog, table: &Table) -> String {
    let me = ME;
    let t = terms(catalog, table);
    let permission = permission_for(&table.name);
    let action = permission.as_str();
    let owner = t.owner.as_deref().unwrap_or("NULL::uuid");
    match catalog.customer_link(&table.name) {
        // a customer row carries its own workspace and CSM (an INSERT's row is not there yet)
        Some(CustomerLink::Own) => {
            format!("cscx_may({me}, '{action}', workspace_id, id, csm_id, NULL::uuid, false)")
        }
        Some(_) => format!(
            "cscx_may_row({me}, '{action}', {}, {}, {owner}, {})",
            t.workspace,
            t.customer.as_deref().unwrap_or("NULL::uuid"),
            t.owner.is_some()
        ),
        None => format!(
            "cscx_may({me}, '{action}', {}, NULL::uuid, NULL::uuid, {owner}, {})",
            t.workspace,
            t.owner.is_some()
        ),
    }
}

/// Tables only the script's owner writes: the policy itself.
const OWNER_ONLY: &[&str] = &["access_rules"];

/// ENABLE + FORCE and the policies of every table, then the privileges of the roles.
pub fn policies(catalog: &Catalog) -> String {
    let mut out = String::new();
    for table in catalog.tables() {
        let name = ident(&table.name);
        let _ = writeln!(
            out,
            "ALTER TABLE {name} ENABLE ROW LEVEL SECURITY;\n\
             ALTER TABLE {name} FORCE ROW LEVEL SECURITY;"
        );
        let _ = writeln!(
            out,
            "CREATE POLICY read ON {name} FOR SELECT USING ({});",
            read_sql(catalog, table)
        );
        if OWNER_ONLY.contains(&table.name.as_str()) {
            continue;
        }
        let write = write_sql(catalog, table);
        let p = permission_for(&table.name).as_str();
        let _ = writeln!(
            out,
            "CREATE POLICY \"{p}: insert\" ON {name} FOR INSERT WITH CHECK ({write});\n\
             CREATE POLICY \"{p}: update\" ON {name} FOR UPDATE USING ({write}) WITH CHECK ({write});\n\
             CREATE POLICY \"{p}: delete\" ON {name} FOR DELETE USING ({write});"
        );
    }
    out.push_str(&grants(catalog));
    out
}

/// Table privileges of `cscx_member` and `cscx_app`: every table, but no secret column
/// (`catalog::SECRET_COLUMNS`: `users.password_hash`) and no write of the policy table.
fn grants(catalog: &Catalog) -> String {
    let roles = format!("{MEMBER_ROLE}, {APP_ROLE}");
    let mut grants = String::new();
    for table in catalog.tables() {
        let name = ident(&table.name);
        let secret = table.columns.iter().any(|c| c.secret);
        let writes = if OWNER_ONLY.contains(&table.name.as_str()) {
            ""
        } else {
            ", INSERT, UPDATE, DELETE"
        };
        if secret {
            let visible: Vec<String> = table
                .columns
                .iter()
                .filter(|c| !c.secret)
                .map(|c| ident(&c.name))
                .collect();
            let _ = writeln!(
                grants,
                "GRANT SELECT ({cols}), UPDATE ({cols}) ON {name} TO {roles};\n\
                 GRANT INSERT, DELETE ON {name} TO {roles};",
                cols = visible.join(", ")
            );
        } else {
            let _ = writeln!(grants, "GRANT SELECT{writes} ON {name} TO {roles};");
        }
    }
    for view in catalog.views() {
        let _ = writeln!(grants, "GRANT SELECT ON {} TO {roles};", ident(&view.name));
    }
    format!(
        "DO $$ BEGIN\n  EXECUTE format('GRANT USAGE ON SCHEMA %I TO {roles}', current_schema());\n  \
         EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO {roles}', current_schema());\n  \
         EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO {roles}', current_schema());\n\
         END $$;\n{grants}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        crate::store::open_in_memory()
            .expect("a migrated in-memory store")
            .catalog()
            .clone()
    }

    fn read(c: &Catalog, table: &str) -> String {
        read_sql(c, c.table(table).expect("table"))
    }

    #[test]
    fn reads_follow_each_table_s_path_to_a_customer() {
        let c = catalog();
        assert!(read(&c, "customers").contains("csm_id = (SELECT cscx_actor())"));
        // a call: through its customer, or without one by workspace and its own user
        let calls = read(&c, "calls");
        assert!(calls.contains("customer_id IN (SELECT cscx_c.id FROM customers cscx_c)"));
        assert!(calls.contains("user_id = (SELECT cscx_actor())"), "{calls}");
        assert_eq!(
            read(&c, "stakeholders"),
            "customer_id IN (SELECT cscx_c.id FROM customers cscx_c)"
        );
        assert!(read(&c, "agent_messages").starts_with(
            "session_id IN (SELECT cscx_p.id FROM agent_sessions cscx_p WHERE cscx_p.customer_id IN"
        ));
        assert!(read(&c, "loss_reasons").starts_with("workspace_id = ANY"));
        assert!(read(&c, "workspaces").starts_with("id = ANY"));
        assert_eq!(read(&c, "kpi_reference_ranges"), "true");
    }

    #[test]
    fn writes_ask_the_permission_the_store_asks() {
        let c = catalog();
        let write = |t: &str| write_sql(&c, c.table(t).expect("table"));
        assert!(write("approvals").contains("'decide'"));
        assert!(write("workspace_members").contains("'configure'"));
        assert!(write("users").contains("'configure', NULL::uuid"));
        let notes = write("deal_notes");
        assert!(
            notes.contains("'write'") && notes.contains("user_id, true"),
            "{notes}"
        );
        let policies = policies(&c);
        assert!(!policies.contains("ON access_rules FOR INSERT"));
        assert!(policies.contains("GRANT SELECT ON access_rules TO cscx_member, cscx_app;"));
        assert!(
            !policies.contains("password_hash"),
            "no privilege names the secret"
        );
    }
}
