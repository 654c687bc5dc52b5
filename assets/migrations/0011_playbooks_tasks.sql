-- The CSM's day (docs/playbooks.md): what a playbook does once it fires, and the tasks a CSM
-- works through. Seed 002 stores triggers, executions and reports but not what a playbook is
-- (its steps, who does each, when it is due, when it is done), nor tasks: cscx adds both.

-- A playbook definition. playbook_executions.playbook_id and playbook_reports.playbook_id
-- name one (the seed's are free text; generated and imported ones that name no definition
-- stay as they are). Shipped definitions (assets/playbooks.json) have no workspace and serve
-- every workspace (they come with the schema, like access_rules: `cscx export` leaves them
-- out); an import may add a workspace's own.
CREATE TABLE playbooks (
  -- a readable key ('renewal-risk'), like the seed's playbook ids, not a UUID
  playbook_id   TEXT PRIMARY KEY NOT NULL CHECK (playbook_id <> ''),
  workspace_id  TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  playbook_type TEXT NOT NULL CHECK (playbook_type IN ('voc', 'activation', 'sla', 'renewal', 'expansion')),
  name          TEXT NOT NULL CHECK (name <> ''),
  description   TEXT,
  -- When the execution is done, in words (all steps done is the mechanical part).
  exit_criteria TEXT,
  -- RACI by role: {"responsible": "csm", "accountable": "admin", "consulted": [..], "informed": [..]}
  raci          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(raci)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_playbooks_workspace ON playbooks(workspace_id, playbook_type);

-- The steps of a playbook, in order. An execution creates one task per step.
CREATE TABLE playbook_steps (
  playbook_id   TEXT NOT NULL REFERENCES playbooks(playbook_id) ON DELETE CASCADE ON UPDATE CASCADE,
  position      INTEGER NOT NULL CHECK (position >= 1),
  title         TEXT NOT NULL CHECK (title <> ''),
  -- Who does it: the customer's CSM ('csm') or the workspace's member of that role.
  owner_role    TEXT NOT NULL DEFAULT 'csm'
                CHECK (owner_role IN ('admin', 'analyst', 'viewer', 'ceo', 'sales', 'csm')),
  -- Due this many days after the execution starts.
  due_days      INTEGER NOT NULL DEFAULT 0 CHECK (due_days >= 0),
  exit_criteria TEXT,
  PRIMARY KEY (playbook_id, position)
) STRICT;

-- A task or follow-up on a customer: entered by a CSM, or a playbook execution's step.
-- Deal actions and insight actions stay in their own tables and join the work queue as they
-- are (store::tasks::queue), so nothing is kept twice.
CREATE TABLE tasks (
  id             TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id    TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  title          TEXT NOT NULL CHECK (title <> ''),
  notes          TEXT,
  due_date       TEXT CHECK (due_date IS NULL OR date(due_date) IS due_date),
  owner_id       TEXT REFERENCES users(id) ON DELETE SET NULL,
  status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  -- Out of the queue until this day (it comes back on it).
  snoozed_until  TEXT CHECK (snoozed_until IS NULL OR date(snoozed_until) IS snoozed_until),
  -- A playbook step: its execution and position (playbook_steps).
  execution_id   TEXT REFERENCES playbook_executions(execution_id) ON DELETE CASCADE,
  step_position  INTEGER CHECK (step_position >= 1),
  created_by     TEXT REFERENCES users(id) ON DELETE SET NULL,
  completed_at   TEXT,
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK ((execution_id IS NULL) = (step_position IS NULL)),
  CHECK ((status = 'done') = (completed_at IS NOT NULL)),
  UNIQUE (execution_id, step_position)
) STRICT;
-- The work queue: my open tasks by due date; an account's tasks; a workspace's.
CREATE INDEX idx_tasks_owner ON tasks(owner_id, status, due_date);
CREATE INDEX idx_tasks_customer ON tasks(customer_id, status, due_date);
CREATE INDEX idx_tasks_workspace ON tasks(workspace_id, status, due_date);
CREATE INDEX idx_tasks_created_by ON tasks(created_by);
CREATE INDEX idx_tasks_execution ON tasks(execution_id, step_position);

-- One open execution per customer and playbook is kept by the playbook engine
-- (store::playbooks), not by a unique index: imported and generated histories may hold two.
CREATE INDEX idx_playbook_executions_playbook ON playbook_executions(playbook_id, status);

CREATE TRIGGER trg_playbooks_updated_at AFTER UPDATE ON playbooks
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE playbooks SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_tasks_updated_at AFTER UPDATE ON tasks
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE tasks SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

-- The playbooks cscx ships (docs/playbooks.md). The ids are the ones `generate` has always
-- written into playbook_executions; renewal-risk is what a health drop opens.
-- Stamped with the day they were written, not the day a database was made: every database
-- holds the same rows.
INSERT INTO playbooks (playbook_id, workspace_id, playbook_type, name, description, exit_criteria, raci,
                       created_at, updated_at) VALUES
  ('renewal-risk', NULL, 'renewal', 'Renewal risk',
   'Health fell into risk before a renewal: find out why and agree a recovery plan.',
   'A recovery plan the customer''s sponsor agreed, and health back out of critical.',
   '{"responsible": "csm", "accountable": "admin", "consulted": ["sales"], "informed": ["ceo"]}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z'),
  ('renewal-standard-v2', NULL, 'renewal', 'Renewal (standard)',
   'The renewal window opened: prepare and close the renewal.',
   'The renewal is signed or the customer has said no.',
   '{"responsible": "csm", "accountable": "sales", "consulted": ["admin"], "informed": ["ceo"]}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z'),
  ('sla-recovery-v1', NULL, 'sla', 'SLA recovery',
   'A support KPI breached its range: restore the service level and tell the customer.',
   'The support KPIs are back in range for two weeks.',
   '{"responsible": "csm", "accountable": "admin", "consulted": ["analyst"], "informed": ["sales"]}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z'),
  ('activation-30d', NULL, 'activation', '30-day activation',
   'Adoption or training is low: get the customer''s users trained and active.',
   'Training completion and adoption KPIs out of critical.',
   '{"responsible": "csm", "accountable": "admin", "consulted": ["analyst"], "informed": []}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z'),
  ('voc-quarterly', NULL, 'voc', 'Voice of the customer',
   'A detractor or negative sentiment: listen, answer and close the loop.',
   'The customer heard back and the feedback is logged.',
   '{"responsible": "csm", "accountable": "admin", "consulted": [], "informed": ["sales"]}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z'),
  ('expansion-seats', NULL, 'expansion', 'Seat expansion',
   'A healthy customer is near its limits: offer more.',
   'An expansion deal is open or the customer declined.',
   '{"responsible": "sales", "accountable": "sales", "consulted": ["csm"], "informed": ["admin"]}',
   '2026-12-04T00:00:00Z', '2026-12-04T00:00:00Z');

INSERT INTO playbook_steps (playbook_id, position, title, owner_role, due_days, exit_criteria) VALUES
  ('renewal-risk', 1, 'Review the health drivers and recent usage', 'csm', 0, 'The drivers of the drop are written in a call or note'),
  ('renewal-risk', 2, 'Call the executive sponsor', 'csm', 3, 'A call with the sponsor is logged'),
  ('renewal-risk', 3, 'Agree a recovery plan with the customer', 'csm', 7, 'The plan is agreed'),
  ('renewal-risk', 4, 'Leadership review of the renewal', 'admin', 10, 'Go or no-go for the renewal recorded'),
  ('renewal-standard-v2', 1, 'Check usage and value delivered', 'csm', 0, NULL),
  ('renewal-standard-v2', 2, 'Confirm the decision makers', 'csm', 7, NULL),
  ('renewal-standard-v2', 3, 'Send the renewal proposal', 'sales', 14, NULL),
  ('renewal-standard-v2', 4, 'Handle objections', 'sales', 28, NULL),
  ('renewal-standard-v2', 5, 'Get the signature', 'sales', 45, NULL),
  ('renewal-standard-v2', 6, 'Renewal retrospective', 'csm', 60, NULL),
  ('sla-recovery-v1', 1, 'Find the cause of the breach', 'csm', 0, NULL),
  ('sla-recovery-v1', 2, 'Tell the customer what happened', 'csm', 1, NULL),
  ('sla-recovery-v1', 3, 'Fix and verify with support', 'admin', 5, NULL),
  ('sla-recovery-v1', 4, 'Two weeks back in range', 'csm', 14, NULL),
  ('activation-30d', 1, 'Kick-off with the customer''s admins', 'csm', 0, NULL),
  ('activation-30d', 2, 'Assign the core training modules', 'csm', 2, NULL),
  ('activation-30d', 3, 'Check training progress', 'csm', 10, NULL),
  ('activation-30d', 4, 'Usage review', 'analyst', 20, NULL),
  ('activation-30d', 5, 'Activation sign-off', 'csm', 30, NULL),
  ('voc-quarterly', 1, 'Call the detractor', 'csm', 2, NULL),
  ('voc-quarterly', 2, 'Log the feedback and who owns it', 'csm', 5, NULL),
  ('voc-quarterly', 3, 'Close the loop with the customer', 'csm', 21, NULL),
  ('expansion-seats', 1, 'Confirm the growth signal', 'csm', 0, NULL),
  ('expansion-seats', 2, 'Introduce the account executive', 'csm', 3, NULL),
  ('expansion-seats', 3, 'Send the expansion proposal', 'sales', 10, NULL),
  ('expansion-seats', 4, 'Open the expansion deal', 'sales', 21, NULL);

-- Tasks are their owner's, like calls (store::write::owner_column): the refusal says so.
UPDATE access_rules SET rule = replace(rule, 'calls, notes and sessions', 'calls, notes, sessions and tasks')
WHERE action = 'write_others' AND scope = 'none';
