-- Health inputs that change without the write naming the customers they affect.
--
-- Every store write records which customers it touched, and the health engine recomputes
-- exactly those before commit (src/store/health_sync.rs). A few writes change the health
-- inputs of customers the written row does not name:
--   * a reference range applies to every customer's KPI of that name;
--   * a workspace's configuration (weights, thresholds) applies to all its customers;
--   * deleting a user deletes their calls (seed 004: calls.user_id ON DELETE CASCADE);
--   * deleting a training module or a stakeholder deletes training progress (seed 001).
-- An update records only the columns that changed, so the write path cannot tell which
-- range or workspace an edit was about, and a cascade is invisible to it altogether. These
-- triggers put the customers concerned into health_pending, which the health engine empties
-- in the same transaction. The table is therefore empty between transactions.

CREATE TABLE health_pending (
  customer_id TEXT PRIMARY KEY NOT NULL
) STRICT, WITHOUT ROWID;

-- kpis.kpi_parameter is COLLATE NOCASE, like kpi_reference_ranges.kpi_name: the comparisons
-- below match names case-insensitively and use idx_kpis_parameter.
CREATE TRIGGER health_ranges_insert AFTER INSERT ON kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM kpis WHERE kpi_parameter = NEW.kpi_name;
END;
CREATE TRIGGER health_ranges_update AFTER UPDATE OF kpi_name, higher_is_better,
  critical_min, critical_max, risk_min, risk_max, healthy_min, healthy_max
ON kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM kpis WHERE kpi_parameter IN (OLD.kpi_name, NEW.kpi_name);
END;
CREATE TRIGGER health_ranges_delete AFTER DELETE ON kpi_reference_ranges BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM kpis WHERE kpi_parameter = OLD.kpi_name;
END;

CREATE TRIGGER health_configs_insert AFTER INSERT ON workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM customers WHERE workspace_id = NEW.workspace_id;
END;
CREATE TRIGGER health_configs_update AFTER UPDATE OF workspace_id, category_weights,
  component_weights, red_below, green_from
ON workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM customers WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
CREATE TRIGGER health_configs_delete AFTER DELETE ON workspace_configs BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT id FROM customers WHERE workspace_id = OLD.workspace_id;
END;

-- BEFORE DELETE: once the cascade has run, the rows that name the customers are gone.
CREATE TRIGGER health_users_delete BEFORE DELETE ON users BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM calls WHERE user_id = OLD.id AND customer_id IS NOT NULL;
END;
CREATE TRIGGER health_modules_delete BEFORE DELETE ON training_modules BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM training_progress WHERE module_id = OLD.id;
END;
CREATE TRIGGER health_stakeholders_delete BEFORE DELETE ON stakeholders BEGIN
  INSERT OR IGNORE INTO health_pending (customer_id)
  SELECT customer_id FROM training_progress WHERE stakeholder_id = OLD.id;
END;
