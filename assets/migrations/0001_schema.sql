-- cscx schema, version 1: the five seed documents unified into one model.
--
-- Conventions (docs/schema.md explains each decision):
--   * every table is STRICT, so SQLite itself rejects a value of the wrong type;
--   * ids are UUIDs as lowercase 36-character TEXT; the DEFAULT makes a random (v4) one, like
--     PostgreSQL's gen_random_uuid(), so rows inserted by hand get one too (cscx itself writes v7);
--   * timestamps are TEXT 'YYYY-MM-DDTHH:MM:SSZ' in UTC, dates TEXT 'YYYY-MM-DD';
--   * money is INTEGER cents, in columns whose name ends in _cents;
--   * booleans are INTEGER 0/1 with a CHECK; JSON is TEXT with CHECK (x IS NULL OR json_valid(x))
--     (SQLite before 3.45 says json_valid(NULL) = 0, which would reject NULL);
--   * the seeds' enumerations are CHECK sets, mirrored by the Rust enums in src/store/enums.rs;
--   * the words "partner" (seed 000) and "account" (seed 002) became "customer", and the tenant
--     ("company", 002's "customer", 004's "client") became "workspace".

------------------------------------------------------------------------------------------------
-- Tenancy and people
------------------------------------------------------------------------------------------------

-- The tenant: 003 workspaces + 004 clients + 002 customers (the multi-tenant root)
-- + 000 workspan_core.companies.
CREATE TABLE workspaces (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  name          TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (name <> ''),
  email         TEXT COLLATE NOCASE UNIQUE,
  phone         TEXT,
  address       TEXT,
  hq_country    TEXT,
  industry      TEXT,
  region        TEXT CHECK (region IN ('EU', 'UK', 'US')),
  plan          TEXT CHECK (plan IN ('free', 'pro', 'business', 'enterprise')),
  owner_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_workspaces_owner ON workspaces(owner_user_id);

-- A person who logs in: 000 cisco_ops.users + 000 workspan_core.user_profiles + 002 users
-- + 003 users + 004 users. People are global (one row per email); their tenancy is
-- workspace_members.
CREATE TABLE users (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  email         TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (email LIKE '%_@_%'),
  name          TEXT NOT NULL CHECK (name <> ''),
  first_name    TEXT,
  last_name     TEXT,
  department    TEXT,
  role          TEXT,
  password_hash TEXT,
  is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  last_login    TEXT,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_users_name ON users(name);

-- 003 workspace_members; also where 004 users.client_id/role, 002 users.customer_id and
-- 000 user_profiles.company_id land.
CREATE TABLE workspace_members (
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role         TEXT NOT NULL DEFAULT 'viewer'
               CHECK (role IN ('admin', 'analyst', 'viewer', 'ceo', 'sales', 'csm')),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  PRIMARY KEY (workspace_id, user_id)
) STRICT;
CREATE INDEX idx_workspace_members_user ON workspace_members(user_id);

-- 002 customer_configs: per-tenant health configuration. cscx adds the overall-score weights
-- and the band thresholds (DESIGN.md section 4: configurable per workspace).
CREATE TABLE workspace_configs (
  id                TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id      TEXT NOT NULL UNIQUE REFERENCES workspaces(id) ON DELETE CASCADE,
  kpi_upload_mode   TEXT NOT NULL DEFAULT 'corporate'
                    CHECK (kpi_upload_mode IN ('corporate', 'account_rollup')),
  category_weights  TEXT NOT NULL DEFAULT '{"Relationship Strength":0.20,"Adoption & Engagement":0.25,"Support & Experience":0.20,"Product Value":0.20,"Business Outcomes":0.15}'
                    CHECK (json_valid(category_weights) AND json_type(category_weights) = 'object'),
  component_weights TEXT NOT NULL DEFAULT '{"kpi":0.60,"engagement":0.20,"adoption":0.20}'
                    CHECK (json_valid(component_weights) AND json_type(component_weights) = 'object'),
  red_below         INTEGER NOT NULL DEFAULT 40 CHECK (red_below BETWEEN 0 AND 100),
  green_from        INTEGER NOT NULL DEFAULT 70 CHECK (green_from BETWEEN 0 AND 100),
  master_file_name  TEXT,
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (red_below <= green_from)
) STRICT;

------------------------------------------------------------------------------------------------
-- Customers (the accounts a CSM manages) and the people at them
------------------------------------------------------------------------------------------------

-- 001 customers + 002 accounts + 000 cisco_ops.partners + 000 workspan_core.partners.
-- renewal_date and open_approvals are kept by triggers (below) so the list can sort by them.
CREATE TABLE customers (
  rowid           INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: customers_fts points at it
  id              TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id    TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name            TEXT NOT NULL CHECK (name <> ''),
  arr_cents       INTEGER CHECK (arr_cents >= 0),
  industry        TEXT,
  region          TEXT,
  country         TEXT,
  tier            TEXT,
  ultimate_parent TEXT,
  stage           TEXT NOT NULL DEFAULT 'prospect'
                  CHECK (stage IN ('prospect', 'onboarding', 'active', 'expansion', 'renewal', 'at_risk', 'churned')),
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'churned')),
  health_score    INTEGER CHECK (health_score BETWEEN 0 AND 100),
  csm_id          TEXT REFERENCES users(id) ON DELETE SET NULL,
  salesforce_id   TEXT,
  hubspot_id      TEXT,
  crm_account_id  TEXT,
  renewal_date    TEXT,
  open_approvals  INTEGER NOT NULL DEFAULT 0,
  metadata        TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_customers_workspace ON customers(workspace_id);
CREATE INDEX idx_customers_name ON customers(name COLLATE NOCASE, id);
-- sort keys: nullable ones through ifnull() so keyset pagination compares plain values
-- (src/store/read/customers.rs uses exactly these expressions, so SQLite uses the indexes)
CREATE INDEX idx_customers_arr ON customers(ifnull(arr_cents, -1), id);
CREATE INDEX idx_customers_stage ON customers(stage, id);
CREATE INDEX idx_customers_health ON customers(ifnull(health_score, -1), id);
CREATE INDEX idx_customers_csm ON customers(ifnull(csm_id, ''), id);
CREATE INDEX idx_customers_csm_fk ON customers(csm_id); -- ON DELETE SET NULL of a user
CREATE INDEX idx_customers_renewal ON customers(ifnull(renewal_date, '9999-12-31'), id);
CREATE INDEX idx_customers_open_approvals ON customers(open_approvals, id);
CREATE INDEX idx_customers_crm ON customers(crm_account_id);
CREATE INDEX idx_customers_salesforce ON customers(salesforce_id);

-- 001 stakeholders + 000 cisco_ops.contacts.
CREATE TABLE stakeholders (
  rowid        INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: stakeholders_fts points at it
  id           TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  name         TEXT NOT NULL CHECK (name <> ''),
  first_name   TEXT,
  last_name    TEXT,
  role         TEXT,
  email        TEXT COLLATE NOCASE,
  phone        TEXT,
  linkedin_url TEXT,
  is_primary   INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  sentiment    TEXT CHECK (sentiment IN ('positive', 'neutral', 'negative')),
  notes        TEXT,
  metadata     TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_stakeholders_customer ON stakeholders(customer_id, is_primary);
CREATE INDEX idx_stakeholders_email ON stakeholders(email);

-- 000 workspan_core.company_partner_map: a workspace's own key for a customer (e.g. a CRM id).
CREATE TABLE workspace_customer_map (
  workspace_id           TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id            TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  workspace_customer_key TEXT NOT NULL,
  PRIMARY KEY (workspace_id, customer_id),
  UNIQUE (workspace_id, workspace_customer_key)
) STRICT;
CREATE INDEX idx_workspace_customer_map_customer ON workspace_customer_map(customer_id);

-- 000 workspan_core.user_partner_access.
CREATE TABLE user_customer_access (
  user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, customer_id)
) STRICT;
CREATE INDEX idx_user_customer_access_customer ON user_customer_access(customer_id);

-- 000 cisco_ops.region_dim and partner_region_map.
CREATE TABLE region_dim (
  id                 TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  region_name        TEXT NOT NULL UNIQUE CHECK (region_name <> ''),
  geo_hierarchy_json TEXT CHECK (geo_hierarchy_json IS NULL OR json_valid(geo_hierarchy_json))
) STRICT;

CREATE TABLE customer_region_map (
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  region_id   TEXT NOT NULL REFERENCES region_dim(id) ON DELETE CASCADE,
  PRIMARY KEY (customer_id, region_id)
) STRICT;
CREATE INDEX idx_customer_region_map_region ON customer_region_map(region_id);

------------------------------------------------------------------------------------------------
-- Contracts (001)
------------------------------------------------------------------------------------------------

CREATE TABLE contracts (
  id                     TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id            TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  file_url               TEXT,
  file_name              TEXT,
  raw_text               TEXT,
  company_name           TEXT,
  arr_cents              INTEGER CHECK (arr_cents >= 0),
  contract_term          TEXT,
  start_date             TEXT,
  end_date               TEXT,
  status                 TEXT NOT NULL DEFAULT 'active'
                         CHECK (status IN ('draft', 'pending', 'active', 'expired', 'terminated')),
  parsed_data            TEXT CHECK (parsed_data IS NULL OR json_valid(parsed_data)),
  pricing_terms          TEXT CHECK (pricing_terms IS NULL OR json_valid(pricing_terms)),
  technical_requirements TEXT CHECK (technical_requirements IS NULL OR json_valid(technical_requirements)),
  missing_info           TEXT CHECK (missing_info IS NULL OR json_valid(missing_info)),
  next_steps             TEXT CHECK (next_steps IS NULL OR json_valid(next_steps)),
  created_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX idx_contracts_customer ON contracts(customer_id, status, end_date);
CREATE INDEX idx_contracts_status ON contracts(status);

CREATE TABLE entitlements (
  id          TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  contract_id TEXT NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
  name        TEXT NOT NULL CHECK (name <> ''),
  description TEXT,
  quantity    INTEGER CHECK (quantity >= 0),
  unit        TEXT,
  price_cents INTEGER CHECK (price_cents >= 0),
  category    TEXT,
  metadata    TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_entitlements_contract ON entitlements(contract_id);

------------------------------------------------------------------------------------------------
-- Agent sessions, messages, approvals (001)
------------------------------------------------------------------------------------------------

CREATE TABLE agent_sessions (
  id              TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id     TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  user_id         TEXT REFERENCES users(id) ON DELETE SET NULL,
  status          TEXT NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'paused', 'completed', 'failed')),
  active_agent    TEXT NOT NULL DEFAULT 'onboarding',
  deployed_agents TEXT NOT NULL DEFAULT '[]'
                  CHECK (json_valid(deployed_agents) AND json_type(deployed_agents) = 'array'),
  context         TEXT NOT NULL DEFAULT '{}' CHECK (context IS NULL OR json_valid(context)),
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  ended_at        TEXT
) STRICT;
CREATE INDEX idx_sessions_customer ON agent_sessions(customer_id, created_at);
CREATE INDEX idx_sessions_user ON agent_sessions(user_id);
CREATE INDEX idx_sessions_status ON agent_sessions(status);

CREATE TABLE agent_messages (
  rowid             INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: agent_messages_fts points at it
  id                TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  session_id        TEXT NOT NULL REFERENCES agent_sessions(id) ON DELETE CASCADE,
  agent_id          TEXT,
  role              TEXT NOT NULL CHECK (role IN ('user', 'agent', 'system')),
  content           TEXT NOT NULL,
  thinking          INTEGER NOT NULL DEFAULT 0 CHECK (thinking IN (0, 1)),
  requires_approval INTEGER NOT NULL DEFAULT 0 CHECK (requires_approval IN (0, 1)),
  deployed_agent    TEXT,
  tool_calls        TEXT CHECK (tool_calls IS NULL OR json_valid(tool_calls)),
  metadata          TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_messages_session ON agent_messages(session_id, created_at);
CREATE INDEX idx_messages_created ON agent_messages(created_at);

CREATE TABLE approvals (
  id          TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  session_id  TEXT NOT NULL REFERENCES agent_sessions(id) ON DELETE CASCADE,
  agent_id    TEXT NOT NULL,
  action      TEXT NOT NULL CHECK (action <> ''),
  details     TEXT,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  resolved_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  resolved_at TEXT,
  comment     TEXT,
  metadata    TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  -- a resolved approval says when; a rejection says why (issue: comment required to reject)
  CHECK (status = 'pending' OR resolved_at IS NOT NULL),
  CHECK (status <> 'rejected' OR (comment IS NOT NULL AND comment <> ''))
) STRICT;
CREATE INDEX idx_approvals_session ON approvals(session_id, status);
CREATE INDEX idx_approvals_status ON approvals(status, created_at);
CREATE INDEX idx_approvals_resolved_by ON approvals(resolved_by);

------------------------------------------------------------------------------------------------
-- Meetings, transcripts, insights (001 + 000 workspan_core insights)
------------------------------------------------------------------------------------------------

CREATE TABLE meetings (
  rowid             INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: meetings_fts points at it
  id                TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id       TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  session_id        TEXT REFERENCES agent_sessions(id) ON DELETE SET NULL,
  title             TEXT NOT NULL CHECK (title <> ''),
  description       TEXT,
  scheduled_at      TEXT,
  duration          INTEGER CHECK (duration >= 0), -- minutes
  status            TEXT NOT NULL DEFAULT 'scheduled'
                    CHECK (status IN ('scheduled', 'completed', 'cancelled', 'no_show')),
  meeting_url       TEXT,
  calendar_event_id TEXT,
  attendees         TEXT NOT NULL DEFAULT '[]' CHECK (attendees IS NULL OR json_valid(attendees)),
  agenda            TEXT CHECK (agenda IS NULL OR json_valid(agenda)),
  metadata          TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_meetings_customer ON meetings(customer_id, scheduled_at);
CREATE INDEX idx_meetings_scheduled ON meetings(scheduled_at);
CREATE INDEX idx_meetings_session ON meetings(session_id);

CREATE TABLE transcripts (
  rowid       INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: transcripts_fts points at it
  id          TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
  content     TEXT NOT NULL,
  duration    INTEGER CHECK (duration >= 0), -- seconds
  speakers    TEXT NOT NULL DEFAULT '[]' CHECK (speakers IS NULL OR json_valid(speakers)),
  word_count  INTEGER CHECK (word_count >= 0),
  language    TEXT NOT NULL DEFAULT 'en',
  metadata    TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_transcripts_meeting ON transcripts(meeting_id);

CREATE TABLE insights (
  rowid        INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: insights_fts points at it
  id           TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  meeting_id   TEXT REFERENCES meetings(id) ON DELETE SET NULL,
  source       TEXT NOT NULL DEFAULT 'analytics'
               CHECK (source IN ('meeting', 'email', 'crm', 'agent', 'call', 'analytics')),
  type         TEXT NOT NULL DEFAULT 'observation'
               CHECK (type IN ('decision', 'action_item', 'concern', 'quote', 'sentiment', 'risk', 'opportunity', 'observation')),
  content      TEXT NOT NULL CHECK (content <> ''),
  importance   TEXT NOT NULL DEFAULT 'medium' CHECK (importance IN ('low', 'medium', 'high', 'critical')),
  owner        TEXT,
  due_date     TEXT,
  status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'dismissed')),
  metadata     TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_insights_customer ON insights(customer_id, created_at);
CREATE INDEX idx_insights_workspace ON insights(workspace_id);
CREATE INDEX idx_insights_meeting ON insights(meeting_id);
CREATE INDEX idx_insights_type ON insights(type);
CREATE INDEX idx_insights_status ON insights(status);

CREATE TABLE insight_actions (
  id         TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  insight_id TEXT NOT NULL REFERENCES insights(id) ON DELETE CASCADE,
  action_txt TEXT NOT NULL CHECK (action_txt <> ''),
  priority   TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high', 'critical')),
  status     TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'dismissed'))
) STRICT;
CREATE INDEX idx_insight_actions_insight ON insight_actions(insight_id);

------------------------------------------------------------------------------------------------
-- Training and knowledge base (001)
------------------------------------------------------------------------------------------------

CREATE TABLE training_modules (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  title         TEXT NOT NULL CHECK (title <> ''),
  description   TEXT,
  content       TEXT,
  duration      INTEGER CHECK (duration >= 0), -- minutes
  level         TEXT NOT NULL DEFAULT 'beginner' CHECK (level IN ('beginner', 'intermediate', 'advanced')),
  category      TEXT,
  prerequisites TEXT NOT NULL DEFAULT '[]'
                CHECK (json_valid(prerequisites) AND json_type(prerequisites) = 'array'),
  is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  metadata      TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_modules_category ON training_modules(category);
CREATE INDEX idx_modules_active ON training_modules(is_active);

CREATE TABLE training_progress (
  id             TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id    TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  stakeholder_id TEXT REFERENCES stakeholders(id) ON DELETE CASCADE,
  module_id      TEXT NOT NULL REFERENCES training_modules(id) ON DELETE CASCADE,
  status         TEXT NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'completed')),
  progress       INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100), -- percent
  started_at     TEXT,
  completed_at   TEXT,
  score          INTEGER CHECK (score BETWEEN 0 AND 100),
  metadata       TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE UNIQUE INDEX idx_progress_unique ON training_progress(customer_id, stakeholder_id, module_id);
CREATE INDEX idx_progress_stakeholder ON training_progress(stakeholder_id);
CREATE INDEX idx_progress_module ON training_progress(module_id);

CREATE TABLE knowledge_base (
  rowid         INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: knowledge_base_fts points at it
  id            TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  title         TEXT NOT NULL CHECK (title <> ''),
  content       TEXT NOT NULL,
  category      TEXT,
  tags          TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  embedding     BLOB CHECK (embedding IS NULL OR length(embedding) = 6144), -- VECTOR(1536): f32 LE
  is_public     INTEGER NOT NULL DEFAULT 1 CHECK (is_public IN (0, 1)),
  view_count    INTEGER NOT NULL DEFAULT 0 CHECK (view_count >= 0),
  helpful_count INTEGER NOT NULL DEFAULT 0 CHECK (helpful_count >= 0),
  metadata      TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_kb_category ON knowledge_base(category);

------------------------------------------------------------------------------------------------
-- Audit trail: 001 activity_log + 004 audit_logs
------------------------------------------------------------------------------------------------

CREATE TABLE activity_log (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id      TEXT REFERENCES users(id) ON DELETE SET NULL,
  customer_id  TEXT REFERENCES customers(id) ON DELETE SET NULL,
  action       TEXT NOT NULL CHECK (action <> ''),
  entity_type  TEXT,
  entity_id    TEXT,
  old_values   TEXT CHECK (old_values IS NULL OR json_valid(old_values)),
  new_values   TEXT CHECK (new_values IS NULL OR json_valid(new_values)),
  ip_address   TEXT,
  user_agent   TEXT,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_activity_workspace ON activity_log(workspace_id, created_at);
CREATE INDEX idx_activity_user ON activity_log(user_id);
CREATE INDEX idx_activity_customer ON activity_log(customer_id, created_at);
CREATE INDEX idx_activity_entity ON activity_log(entity_type, entity_id);
CREATE INDEX idx_activity_created ON activity_log(created_at);

------------------------------------------------------------------------------------------------
-- Products and deals (000 cisco_ops + workspan_core)
------------------------------------------------------------------------------------------------

CREATE TABLE products (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE, -- NULL = cross-workspace
  product_name TEXT NOT NULL CHECK (product_name <> ''),
  segment      TEXT,
  family       TEXT,
  category     TEXT,
  UNIQUE (workspace_id, product_name)
) STRICT;
CREATE INDEX idx_products_name ON products(product_name);

CREATE TABLE deals (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id  TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  product_id    TEXT REFERENCES products(id) ON DELETE SET NULL,
  name          TEXT,
  amount_cents  INTEGER CHECK (amount_cents >= 0),
  stage         TEXT NOT NULL DEFAULT 'prospecting'
                CHECK (stage IN ('prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost')),
  close_dt      TEXT,
  is_actionable INTEGER NOT NULL DEFAULT 0 CHECK (is_actionable IN (0, 1)),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_deals_workspace ON deals(workspace_id);
CREATE INDEX idx_deals_customer ON deals(customer_id);
CREATE INDEX idx_deals_product ON deals(product_id);
CREATE INDEX idx_deals_stage ON deals(stage, close_dt, id);

CREATE TABLE deal_notes (
  rowid      INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: deal_notes_fts points at it
  id         TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  deal_id    TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
  user_id    TEXT REFERENCES users(id) ON DELETE SET NULL,
  note_txt   TEXT NOT NULL CHECK (note_txt <> ''),
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_deal_notes_deal ON deal_notes(deal_id, created_at);
CREATE INDEX idx_deal_notes_user ON deal_notes(user_id);

CREATE TABLE deal_actions (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  deal_id       TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
  action_txt    TEXT NOT NULL CHECK (action_txt <> ''),
  owner_user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
  due_dt        TEXT,
  status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled'))
) STRICT;
CREATE INDEX idx_deal_actions_deal ON deal_actions(deal_id, due_dt);
CREATE INDEX idx_deal_actions_owner ON deal_actions(owner_user_id);

CREATE TABLE deal_attributes (
  deal_id    TEXT NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
  attr_name  TEXT NOT NULL CHECK (attr_name <> ''),
  attr_value TEXT,
  PRIMARY KEY (deal_id, attr_name)
) STRICT;

------------------------------------------------------------------------------------------------
-- Telemetry, dated scores, benchmarks (000)
------------------------------------------------------------------------------------------------

-- 000 cisco_ops.lci_telemetry + workspan_core.telemetry_metrics.
CREATE TABLE telemetry_metrics (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id  TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  metric_name  TEXT NOT NULL CHECK (metric_name <> ''),
  metric_value REAL NOT NULL,
  captured_at  TEXT NOT NULL
) STRICT;
CREATE INDEX idx_telemetry_customer ON telemetry_metrics(customer_id, captured_at);
CREATE INDEX idx_telemetry_workspace ON telemetry_metrics(workspace_id);

-- 000 cisco_ops.adoption_scores + workspan_core.partner_scores; also cscx's daily health
-- history (score_type 'health', score_breakdown_json = the explanation).
CREATE TABLE customer_scores (
  customer_id          TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  score_dt             TEXT NOT NULL,
  score_type           TEXT NOT NULL DEFAULT 'adoption'
                       CHECK (score_type IN ('adoption', 'health', 'engagement', 'usage', 'risk')),
  workspace_id         TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  score_value          REAL NOT NULL,
  score_breakdown_json TEXT CHECK (score_breakdown_json IS NULL OR json_valid(score_breakdown_json)),
  PRIMARY KEY (customer_id, score_dt, score_type)
) STRICT;
CREATE INDEX idx_customer_scores_workspace ON customer_scores(workspace_id);

CREATE TABLE adoption_components (
  customer_id     TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  component_id    TEXT NOT NULL,
  score_dt        TEXT NOT NULL,
  component_name  TEXT NOT NULL,
  component_score REAL NOT NULL,
  PRIMARY KEY (customer_id, component_id, score_dt)
) STRICT;

CREATE TABLE benchmark_dimensions (
  id              TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  dimension_name  TEXT NOT NULL CHECK (dimension_name <> ''),
  dimension_value TEXT NOT NULL,
  UNIQUE (dimension_name, dimension_value)
) STRICT;

-- 000 workspan_core.partner_benchmarks.
CREATE TABLE customer_benchmarks (
  dimension_id          TEXT NOT NULL REFERENCES benchmark_dimensions(id) ON DELETE CASCADE,
  customer_id           TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  metric_name           TEXT NOT NULL CHECK (metric_name <> ''),
  workspace_id          TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_metric_value REAL,
  cohort_avg_value      REAL,
  variance              REAL,
  PRIMARY KEY (dimension_id, customer_id, metric_name)
) STRICT;
CREATE INDEX idx_customer_benchmarks_customer ON customer_benchmarks(customer_id);
CREATE INDEX idx_customer_benchmarks_workspace ON customer_benchmarks(workspace_id);

------------------------------------------------------------------------------------------------
-- Data feeds and ETL (000)
------------------------------------------------------------------------------------------------

-- 000 workspan_core.company_data_feeds.
CREATE TABLE workspace_data_feeds (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  feed_type    TEXT NOT NULL CHECK (feed_type <> ''),
  schedule     TEXT,
  last_run_ts  TEXT
) STRICT;
CREATE INDEX idx_data_feeds_workspace ON workspace_data_feeds(workspace_id);

-- 000 cisco_ops.etl_runs (outbound feeds) + workspan_core.etl_audit (inbound runs).
CREATE TABLE etl_runs (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  feed_id      TEXT REFERENCES workspace_data_feeds(id) ON DELETE SET NULL,
  direction    TEXT NOT NULL DEFAULT 'outbound' CHECK (direction IN ('outbound', 'inbound')),
  feed_name    TEXT,
  run_ts       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  records_sent INTEGER CHECK (records_sent >= 0),
  status       TEXT NOT NULL DEFAULT 'succeeded' CHECK (status IN ('running', 'succeeded', 'failed', 'partial'))
) STRICT;
CREATE INDEX idx_etl_runs_workspace ON etl_runs(workspace_id, run_ts);
CREATE INDEX idx_etl_runs_feed ON etl_runs(feed_id);

------------------------------------------------------------------------------------------------
-- KPIs and health (002)
------------------------------------------------------------------------------------------------

CREATE TABLE kpi_uploads (
  id                TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id      TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id       TEXT REFERENCES customers(id) ON DELETE CASCADE,
  user_id           TEXT REFERENCES users(id) ON DELETE SET NULL,
  uploaded_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  version           INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  original_filename TEXT NOT NULL,
  raw_excel         BLOB,
  parsed_json       TEXT CHECK (parsed_json IS NULL OR json_valid(parsed_json)),
  UNIQUE (workspace_id, customer_id, version)
) STRICT;
CREATE INDEX idx_kpi_uploads_customer ON kpi_uploads(customer_id, version);
CREATE INDEX idx_kpi_uploads_user ON kpi_uploads(user_id);

-- Global reference bands per KPI name (002: kpi_name UNIQUE).
CREATE TABLE kpi_reference_ranges (
  id               TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  kpi_name         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (kpi_name <> ''),
  unit             TEXT,
  higher_is_better INTEGER NOT NULL DEFAULT 1 CHECK (higher_is_better IN (0, 1)),
  critical_min     REAL,
  critical_max     REAL,
  risk_min         REAL,
  risk_max         REAL,
  healthy_min      REAL,
  healthy_max      REAL,
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  created_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
  updated_by       TEXT REFERENCES users(id) ON DELETE SET NULL,
  CHECK (critical_min IS NULL OR critical_max IS NULL OR critical_min <= critical_max),
  CHECK (risk_min IS NULL OR risk_max IS NULL OR risk_min <= risk_max),
  CHECK (healthy_min IS NULL OR healthy_max IS NULL OR healthy_min <= healthy_max)
) STRICT;
CREATE INDEX idx_kpi_ranges_created_by ON kpi_reference_ranges(created_by);
CREATE INDEX idx_kpi_ranges_updated_by ON kpi_reference_ranges(updated_by);

-- One KPI of one customer, as a row of the uploaded KPI workbook. kpi_parameter is the KPI's
-- name, matched (case-insensitively) to kpi_reference_ranges.kpi_name.
CREATE TABLE kpis (
  id                TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  upload_id         TEXT REFERENCES kpi_uploads(id) ON DELETE SET NULL,
  customer_id       TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  category          TEXT NOT NULL CHECK (category <> ''),
  row_index         INTEGER,
  health_score_comp TEXT,
  weight            REAL CHECK (weight >= 0),
  data              TEXT,
  source_review     TEXT,
  kpi_parameter     TEXT NOT NULL COLLATE NOCASE CHECK (kpi_parameter <> ''),
  impact_level      TEXT CHECK (impact_level IN ('low', 'medium', 'high', 'critical')),
  measurement_freq  TEXT,
  last_edited_by    TEXT REFERENCES users(id) ON DELETE SET NULL,
  last_edited_at    TEXT,
  UNIQUE (customer_id, kpi_parameter)
) STRICT;
CREATE INDEX idx_kpis_upload ON kpis(upload_id);
CREATE INDEX idx_kpis_parameter ON kpis(kpi_parameter);
CREATE INDEX idx_kpis_edited_by ON kpis(last_edited_by);

CREATE TABLE kpi_time_series (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  kpi_id        TEXT NOT NULL REFERENCES kpis(id) ON DELETE CASCADE,
  customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  workspace_id  TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  year          INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  value         REAL,
  health_status TEXT CHECK (health_status IN ('healthy', 'risk', 'critical')),
  health_score  REAL CHECK (health_score BETWEEN 0 AND 100),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (kpi_id, year, month)
) STRICT;
CREATE INDEX idx_kpi_series_customer ON kpi_time_series(customer_id, year, month);
CREATE INDEX idx_kpi_series_workspace ON kpi_time_series(workspace_id);

-- Monthly health per customer. The five *_score columns are the seed's; the default categories
-- land in them as docs/schema.md lists, and category_scores holds every category by name
-- (workspaces may define their own categories).
CREATE TABLE health_trends (
  id                          TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  customer_id                 TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  workspace_id                TEXT REFERENCES workspaces(id) ON DELETE CASCADE,
  month                       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
  year                        INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
  overall_health_score        REAL CHECK (overall_health_score BETWEEN 0 AND 100),
  product_usage_score         REAL CHECK (product_usage_score BETWEEN 0 AND 100),
  support_score               REAL CHECK (support_score BETWEEN 0 AND 100),
  customer_sentiment_score    REAL CHECK (customer_sentiment_score BETWEEN 0 AND 100),
  business_outcomes_score     REAL CHECK (business_outcomes_score BETWEEN 0 AND 100),
  relationship_strength_score REAL CHECK (relationship_strength_score BETWEEN 0 AND 100),
  category_scores             TEXT NOT NULL DEFAULT '{}'
                              CHECK (json_valid(category_scores) AND json_type(category_scores) = 'object'),
  total_kpis                  INTEGER NOT NULL DEFAULT 0 CHECK (total_kpis >= 0),
  valid_kpis                  INTEGER NOT NULL DEFAULT 0 CHECK (valid_kpis >= 0 AND valid_kpis <= total_kpis),
  created_at                  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at                  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (customer_id, year, month)
) STRICT;
CREATE INDEX idx_health_trends_workspace ON health_trends(workspace_id);
CREATE INDEX idx_health_trends_month ON health_trends(year, month);

------------------------------------------------------------------------------------------------
-- Playbooks (002)
------------------------------------------------------------------------------------------------

CREATE TABLE playbook_triggers (
  id                   TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id         TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  playbook_type        TEXT NOT NULL CHECK (playbook_type IN ('voc', 'activation', 'sla', 'renewal', 'expansion')),
  trigger_config       TEXT NOT NULL DEFAULT '{}' CHECK (trigger_config IS NULL OR json_valid(trigger_config)),
  auto_trigger_enabled INTEGER NOT NULL DEFAULT 0 CHECK (auto_trigger_enabled IN (0, 1)),
  last_evaluated       TEXT,
  last_triggered       TEXT,
  trigger_count        INTEGER NOT NULL DEFAULT 0 CHECK (trigger_count >= 0),
  created_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (workspace_id, playbook_type)
) STRICT;

-- The seed keeps both a row id and a public execution_id (UUID, unique, indexed).
CREATE TABLE playbook_executions (
  id             INTEGER PRIMARY KEY,
  execution_id   TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id    TEXT REFERENCES customers(id) ON DELETE CASCADE,
  playbook_id    TEXT NOT NULL CHECK (playbook_id <> ''),
  status         TEXT NOT NULL DEFAULT 'in-progress'
                 CHECK (status IN ('in-progress', 'completed', 'failed', 'cancelled')),
  current_step   INTEGER NOT NULL DEFAULT 0 CHECK (current_step >= 0),
  execution_data TEXT NOT NULL DEFAULT '{}' CHECK (execution_data IS NULL OR json_valid(execution_data)),
  started_at     TEXT,
  completed_at   TEXT,
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_playbook_executions_workspace ON playbook_executions(workspace_id);
CREATE INDEX idx_playbook_executions_customer ON playbook_executions(customer_id, started_at);

-- 1:1 with its execution, deleted with it (002: ON DELETE CASCADE).
CREATE TABLE playbook_reports (
  id                  TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  execution_id        TEXT NOT NULL UNIQUE REFERENCES playbook_executions(execution_id) ON DELETE CASCADE,
  workspace_id        TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id         TEXT REFERENCES customers(id) ON DELETE CASCADE,
  playbook_id         TEXT NOT NULL,
  playbook_name       TEXT NOT NULL,
  account_name        TEXT, -- the customer's name when the report was made (a snapshot)
  status              TEXT NOT NULL CHECK (status IN ('in-progress', 'completed', 'failed', 'cancelled')),
  report_data         TEXT NOT NULL DEFAULT '{}' CHECK (report_data IS NULL OR json_valid(report_data)),
  duration            INTEGER CHECK (duration >= 0), -- seconds
  steps_completed     INTEGER NOT NULL DEFAULT 0 CHECK (steps_completed >= 0),
  total_steps         INTEGER NOT NULL DEFAULT 0 CHECK (total_steps >= 0),
  started_at          TEXT,
  completed_at        TEXT,
  report_generated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  CHECK (steps_completed <= total_steps)
) STRICT;
CREATE INDEX idx_playbook_reports_workspace ON playbook_reports(workspace_id);
CREATE INDEX idx_playbook_reports_customer ON playbook_reports(customer_id);

------------------------------------------------------------------------------------------------
-- Process mining (003)
------------------------------------------------------------------------------------------------

CREATE TABLE connectors (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type         TEXT NOT NULL CHECK (type <> ''),
  status       TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'error', 'disabled')),
  config       TEXT NOT NULL DEFAULT '{}' CHECK (config IS NULL OR json_valid(config)),
  last_sync_at TEXT
) STRICT;
CREATE INDEX idx_connectors_workspace ON connectors(workspace_id);

CREATE TABLE analysis_jobs (
  id            TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  status        TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  started_at    TEXT,
  finished_at   TEXT,
  parameters    TEXT NOT NULL DEFAULT '{}' CHECK (parameters IS NULL OR json_valid(parameters)),
  error_message TEXT,
  -- provenance points back at its job: the cycle is closed at commit time
  provenance_id TEXT REFERENCES provenance(id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
  CHECK (status <> 'failed' OR error_message IS NOT NULL)
) STRICT;
CREATE INDEX idx_analysis_jobs_workspace ON analysis_jobs(workspace_id, created_at);
CREATE INDEX idx_analysis_jobs_provenance ON analysis_jobs(provenance_id);

-- Normalised process events. The seed gives them no key; SQLite's rowid serves.
CREATE TABLE events (
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  analysis_id    TEXT NOT NULL REFERENCES analysis_jobs(id) ON DELETE CASCADE,
  global_case_id TEXT NOT NULL,
  system         TEXT NOT NULL,
  native_case_id TEXT,
  activity       TEXT NOT NULL CHECK (activity <> ''),
  timestamp      TEXT NOT NULL,
  resource_id    TEXT,
  role           TEXT,
  org_unit       TEXT,
  schema_version TEXT,
  partition_id   TEXT,
  attributes     TEXT NOT NULL DEFAULT '{}' CHECK (attributes IS NULL OR json_valid(attributes))
) STRICT;
CREATE INDEX idx_events_workspace ON events(workspace_id);
CREATE INDEX idx_events_case ON events(analysis_id, global_case_id, timestamp);

CREATE TABLE variants (
  workspace_id           TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  analysis_id            TEXT NOT NULL REFERENCES analysis_jobs(id) ON DELETE CASCADE,
  variant_id             TEXT NOT NULL,
  variant_hash           TEXT NOT NULL,
  frequency              INTEGER NOT NULL DEFAULT 0 CHECK (frequency >= 0),
  avg_cycle_time_seconds REAL CHECK (avg_cycle_time_seconds >= 0),
  is_happy_path          INTEGER NOT NULL DEFAULT 0 CHECK (is_happy_path IN (0, 1)),
  metadata               TEXT NOT NULL DEFAULT '{}' CHECK (metadata IS NULL OR json_valid(metadata)),
  PRIMARY KEY (analysis_id, variant_id)
) STRICT;
CREATE INDEX idx_variants_workspace ON variants(workspace_id);

CREATE TABLE cases (
  workspace_id       TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  analysis_id        TEXT NOT NULL REFERENCES analysis_jobs(id) ON DELETE CASCADE,
  global_case_id     TEXT NOT NULL,
  start_ts           TEXT,
  end_ts             TEXT,
  cycle_time_seconds REAL CHECK (cycle_time_seconds >= 0),
  variant_id         TEXT,
  variant_hash       TEXT,
  feature_vector     TEXT CHECK (feature_vector IS NULL OR json_valid(feature_vector)),
  PRIMARY KEY (analysis_id, global_case_id),
  FOREIGN KEY (analysis_id, variant_id) REFERENCES variants(analysis_id, variant_id) ON DELETE SET NULL
) STRICT;
CREATE INDEX idx_cases_workspace ON cases(workspace_id);
CREATE INDEX idx_cases_variant ON cases(analysis_id, variant_id);

CREATE TABLE provenance (
  id                    TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  analysis_id           TEXT NOT NULL REFERENCES analysis_jobs(id) ON DELETE CASCADE,
  workspace_id          TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  etl_steps             TEXT NOT NULL DEFAULT '[]' CHECK (etl_steps IS NULL OR json_valid(etl_steps)),
  schemas               TEXT NOT NULL DEFAULT '{}' CHECK (schemas IS NULL OR json_valid(schemas)),
  mining_config         TEXT NOT NULL DEFAULT '{}' CHECK (mining_config IS NULL OR json_valid(mining_config)),
  explainability_config TEXT NOT NULL DEFAULT '{}' CHECK (explainability_config IS NULL OR json_valid(explainability_config)),
  created_at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_provenance_analysis ON provenance(analysis_id);
CREATE INDEX idx_provenance_workspace ON provenance(workspace_id);

CREATE TABLE explainability (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  analysis_id  TEXT NOT NULL REFERENCES analysis_jobs(id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  scope        TEXT NOT NULL CHECK (scope IN ('global', 'bottleneck', 'case')),
  target       TEXT NOT NULL,
  features     TEXT NOT NULL DEFAULT '{}' CHECK (features IS NULL OR json_valid(features)),
  summary      TEXT
) STRICT;
CREATE INDEX idx_explainability_analysis ON explainability(analysis_id);
CREATE INDEX idx_explainability_workspace ON explainability(workspace_id);

------------------------------------------------------------------------------------------------
-- Calls (004), linked to the customer and stakeholder they were with
------------------------------------------------------------------------------------------------

CREATE TABLE loss_reasons (
  id           TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         TEXT NOT NULL COLLATE NOCASE CHECK (name <> ''),
  description  TEXT,
  is_active    INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  UNIQUE (workspace_id, name)
) STRICT;

CREATE TABLE calls (
  rowid          INTEGER PRIMARY KEY, -- explicit so VACUUM keeps it: calls_fts points at it
  id             TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))),
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  customer_id    TEXT REFERENCES customers(id) ON DELETE CASCADE,
  stakeholder_id TEXT REFERENCES stakeholders(id) ON DELETE SET NULL,
  prospect_name  TEXT NOT NULL CHECK (prospect_name <> ''),
  prospect_email TEXT,
  prospect_phone TEXT,
  call_type      TEXT NOT NULL CHECK (call_type IN ('inbound', 'outbound')),
  status         TEXT NOT NULL CHECK (status IN ('completed', 'no-show', 'rescheduled')),
  outcome        TEXT CHECK (outcome IN ('won', 'lost', 'tbd')),
  loss_reason_id TEXT REFERENCES loss_reasons(id) ON DELETE SET NULL,
  notes          TEXT,
  call_duration  INTEGER CHECK (call_duration >= 0), -- seconds
  scheduled_at   TEXT,
  completed_at   TEXT,
  created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  updated_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;
CREATE INDEX idx_calls_workspace ON calls(workspace_id, created_at);
CREATE INDEX idx_calls_user ON calls(user_id, created_at);
CREATE INDEX idx_calls_customer ON calls(customer_id, completed_at);
CREATE INDEX idx_calls_stakeholder ON calls(stakeholder_id);
CREATE INDEX idx_calls_loss_reason ON calls(loss_reason_id);
CREATE INDEX idx_calls_status ON calls(status, created_at);
CREATE INDEX idx_calls_outcome ON calls(outcome, created_at);
CREATE INDEX idx_calls_type ON calls(call_type, created_at);
CREATE INDEX idx_calls_created ON calls(created_at, id);
CREATE INDEX idx_calls_completed ON calls(completed_at);
CREATE INDEX idx_calls_scheduled ON calls(scheduled_at);
