-- updated_at maintenance: seed 001's update_timestamp() as SQLite triggers.
--
-- The trigger fires only when the statement left updated_at alone, so an import that carries
-- its own updated_at keeps it. recursive_triggers is off (SQLite's default), so the trigger's
-- own UPDATE does not fire it again.

CREATE TRIGGER trg_workspaces_updated_at AFTER UPDATE ON workspaces
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE workspaces SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_users_updated_at AFTER UPDATE ON users
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE users SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_workspace_configs_updated_at AFTER UPDATE ON workspace_configs
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE workspace_configs SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

-- customers: only the customer's own columns. health_score, renewal_date, open_approvals (and
-- later csm_sort) are derived: recomputing them is not an edit of the customer, and must not
-- make an exported updated_at unreproducible or every recompute look like a change.
-- A migration that adds an editable column to customers must recreate this trigger.
CREATE TRIGGER trg_customers_updated_at AFTER UPDATE OF
  workspace_id, name, arr_cents, industry, region, country, tier, ultimate_parent, stage, status,
  csm_id, salesforce_id, hubspot_id, crm_account_id, metadata, created_at
ON customers
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE customers SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_stakeholders_updated_at AFTER UPDATE ON stakeholders
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE stakeholders SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_contracts_updated_at AFTER UPDATE ON contracts
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE contracts SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_agent_sessions_updated_at AFTER UPDATE ON agent_sessions
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE agent_sessions SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_meetings_updated_at AFTER UPDATE ON meetings
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE meetings SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_training_modules_updated_at AFTER UPDATE ON training_modules
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE training_modules SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_training_progress_updated_at AFTER UPDATE ON training_progress
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE training_progress SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_knowledge_base_updated_at AFTER UPDATE ON knowledge_base
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE knowledge_base SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_deals_updated_at AFTER UPDATE ON deals
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE deals SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_kpi_reference_ranges_updated_at AFTER UPDATE ON kpi_reference_ranges
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE kpi_reference_ranges SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_kpi_time_series_updated_at AFTER UPDATE ON kpi_time_series
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE kpi_time_series SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_health_trends_updated_at AFTER UPDATE ON health_trends
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE health_trends SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_playbook_triggers_updated_at AFTER UPDATE ON playbook_triggers
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE playbook_triggers SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_playbook_executions_updated_at AFTER UPDATE ON playbook_executions
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE playbook_executions SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_playbook_reports_updated_at AFTER UPDATE ON playbook_reports
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE playbook_reports SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_loss_reasons_updated_at AFTER UPDATE ON loss_reasons
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE loss_reasons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER trg_calls_updated_at AFTER UPDATE ON calls
FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
  UPDATE calls SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE rowid = NEW.rowid;
END;
