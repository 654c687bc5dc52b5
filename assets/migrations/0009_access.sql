-- Who may see and do what (docs/access.md). The policy is data: one row per role and action,
-- read by the store on every write and by every reader it builds. Each row maps one for one
-- onto a PostgreSQL row-level-security policy (docs/access.md says how).
--
-- scope: 'workspace' = every row of the workspaces where the user has this role;
--        'visible'   = the customers the workspace's visibility shows this user (all of the
--                      workspace when visibility is 'workspace'; with 'assigned', those whose
--                      csm_id is the user or granted in user_customer_access: seed 001);
--        'own'       = rows of visible customers that the user owns (calls.user_id, ...);
--        'none'      = refused; `rule` is the message a refusal names.
CREATE TABLE access_rules (
  role   TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'ceo', 'sales', 'csm')),
  action TEXT NOT NULL
         CHECK (action IN ('read', 'write', 'write_others', 'decide', 'import', 'configure')),
  scope  TEXT NOT NULL CHECK (scope IN ('workspace', 'visible', 'own', 'none')),
  rule   TEXT NOT NULL CHECK (rule <> ''),
  source TEXT NOT NULL CHECK (source <> ''),
  PRIMARY KEY (role, action)
) STRICT;

INSERT INTO access_rules (role, action, scope, rule, source) VALUES
  ('ceo', 'read',         'workspace', 'ceo: the whole workspace', '004 users.role ceo; 004 "Tenant Isolation: Users can only access data from their assigned client"'),
  ('ceo', 'write',        'workspace', 'ceo: the whole workspace', '004 "Role-Based Access: Different roles have different access levels within their client"'),
  ('ceo', 'write_others', 'workspace', 'ceo: the whole workspace', '004 "Role-Based Access"'),
  ('ceo', 'decide',       'workspace', 'ceo: the whole workspace', '004 "Role-Based Access"'),
  ('ceo', 'import',       'workspace', 'ceo: the whole workspace', '004 "Role-Based Access"'),
  ('ceo', 'configure',    'workspace', 'ceo: the whole workspace', '004 "Role-Based Access"'),
  ('admin', 'read',         'workspace', 'admin: the whole workspace', '001 service_role_policy USING (true); 003 workspace_members.role admin; 004 users.role admin'),
  ('admin', 'write',        'workspace', 'admin: the whole workspace', '001 service_role_policy FOR ALL; 003 admin'),
  ('admin', 'write_others', 'workspace', 'admin: the whole workspace', '001 service_role_policy FOR ALL'),
  ('admin', 'decide',       'workspace', 'admin: the whole workspace', '001 service_role_policy FOR ALL'),
  ('admin', 'import',       'workspace', 'admin: the whole workspace', '003 admin; 004 admin'),
  ('admin', 'configure',    'workspace', 'admin: the whole workspace', '003 admin; 004 admin'),
  ('csm', 'read',         'visible', 'csm: their visible customers', '001 customers_policy USING (csm_id = auth.uid()); stakeholders_policy'),
  ('csm', 'write',        'visible', 'csm: their visible customers', '001 customers_policy FOR ALL'),
  ('csm', 'write_others', 'none',    'csm: only their own calls, notes and sessions', '001 customers_policy (a row is the CSM''s own)'),
  ('csm', 'decide',       'visible', 'csm: their visible customers', '001 agent_sessions RLS (approvals of their sessions)'),
  ('csm', 'import',       'none',    'csm: may not import (admin or ceo)', '003/004: import is a workspace-level action'),
  ('csm', 'configure',    'none',    'csm: may not change workspace settings (admin or ceo)', '004 "Role-Based Access"'),
  ('sales', 'read',         'visible', 'sales: their visible customers', '004 users.role sales; 004 "Tenant Isolation"'),
  ('sales', 'write',        'visible', 'sales: their visible customers', '004 calls.user_id (a sales user logs calls)'),
  ('sales', 'write_others', 'none',    'sales: only their own calls, notes and sessions', '004 calls.user_id ON DELETE CASCADE (a call is its user''s)'),
  ('sales', 'decide',       'visible', 'sales: their visible customers', '004 "Role-Based Access"'),
  ('sales', 'import',       'none',    'sales: may not import (admin or ceo)', '004 "Role-Based Access"'),
  ('sales', 'configure',    'none',    'sales: may not change workspace settings (admin or ceo)', '004 "Role-Based Access"'),
  ('analyst', 'read',         'visible', 'analyst: their visible customers', '003 workspace_members.role analyst'),
  ('analyst', 'write',        'visible', 'analyst: their visible customers', '003 analyst (works on the data, not the workspace)'),
  ('analyst', 'write_others', 'none',    'analyst: only their own calls, notes and sessions', '003 analyst'),
  ('analyst', 'decide',       'visible', 'analyst: their visible customers', '003 analyst'),
  ('analyst', 'import',       'none',    'analyst: may not import (admin or ceo)', '003 admin/analyst/viewer'),
  ('analyst', 'configure',    'none',    'analyst: may not change workspace settings (admin or ceo)', '003 admin/analyst/viewer'),
  ('viewer', 'read',         'visible', 'viewer: their visible customers', '003 workspace_members.role viewer'),
  ('viewer', 'write',        'none',    'viewer: read only', '003 viewer'),
  ('viewer', 'write_others', 'none',    'viewer: read only', '003 viewer'),
  ('viewer', 'decide',       'none',    'viewer: read only', '003 viewer'),
  ('viewer', 'import',       'none',    'viewer: read only', '003 viewer'),
  ('viewer', 'configure',    'none',    'viewer: read only', '003 viewer');

-- Per workspace: 'workspace' = every member sees the whole workspace (003, 004 tenant
-- isolation); 'assigned' = seed 001's RLS: a CSM sees the customers assigned to them.
ALTER TABLE workspaces ADD COLUMN visibility TEXT NOT NULL DEFAULT 'workspace'
  CHECK (visibility IN ('workspace', 'assigned'));
