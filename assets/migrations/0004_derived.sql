-- Values the customer list sorts by that live in other tables, kept on the customer row by
-- triggers so that sorting a million customers by them is an index walk, not a join.
--
--   customers.renewal_date   = the earliest end_date of the customer's active contracts
--   customers.open_approvals = the number of pending approvals in the customer's sessions
--
-- Each trigger recomputes the value from scratch (an indexed lookup), so no sequence of edits
-- can make it drift. `cscx recompute --check` verifies both.

CREATE TRIGGER derived_contracts_insert AFTER INSERT ON contracts BEGIN
  UPDATE customers SET renewal_date = (
    SELECT min(end_date) FROM contracts WHERE customer_id = NEW.customer_id AND status = 'active'
  ) WHERE id = NEW.customer_id;
END;
CREATE TRIGGER derived_contracts_delete AFTER DELETE ON contracts BEGIN
  UPDATE customers SET renewal_date = (
    SELECT min(end_date) FROM contracts WHERE customer_id = OLD.customer_id AND status = 'active'
  ) WHERE id = OLD.customer_id;
END;
CREATE TRIGGER derived_contracts_update AFTER UPDATE OF customer_id, status, end_date ON contracts BEGIN
  UPDATE customers SET renewal_date = (
    SELECT min(end_date) FROM contracts WHERE customer_id = OLD.customer_id AND status = 'active'
  ) WHERE id = OLD.customer_id;
  UPDATE customers SET renewal_date = (
    SELECT min(end_date) FROM contracts WHERE customer_id = NEW.customer_id AND status = 'active'
  ) WHERE id = NEW.customer_id AND NEW.customer_id IS NOT OLD.customer_id;
END;

CREATE TRIGGER derived_approvals_insert AFTER INSERT ON approvals WHEN NEW.status = 'pending' BEGIN
  UPDATE customers SET open_approvals = open_approvals + 1
  WHERE id = (SELECT customer_id FROM agent_sessions WHERE id = NEW.session_id);
END;
CREATE TRIGGER derived_approvals_delete AFTER DELETE ON approvals WHEN OLD.status = 'pending' BEGIN
  UPDATE customers SET open_approvals = open_approvals - 1
  WHERE id = (SELECT customer_id FROM agent_sessions WHERE id = OLD.session_id);
END;
CREATE TRIGGER derived_approvals_update AFTER UPDATE OF status, session_id ON approvals
WHEN OLD.status = 'pending' OR NEW.status = 'pending' BEGIN
  UPDATE customers SET open_approvals = open_approvals - 1
  WHERE OLD.status = 'pending' AND id = (SELECT customer_id FROM agent_sessions WHERE id = OLD.session_id);
  UPDATE customers SET open_approvals = open_approvals + 1
  WHERE NEW.status = 'pending' AND id = (SELECT customer_id FROM agent_sessions WHERE id = NEW.session_id);
END;
-- A session moved to another customer takes its pending approvals with it.
CREATE TRIGGER derived_sessions_move AFTER UPDATE OF customer_id ON agent_sessions
WHEN NEW.customer_id IS NOT OLD.customer_id BEGIN
  UPDATE customers SET open_approvals = open_approvals
    - (SELECT count(*) FROM approvals WHERE session_id = NEW.id AND status = 'pending')
  WHERE id = OLD.customer_id;
  UPDATE customers SET open_approvals = open_approvals
    + (SELECT count(*) FROM approvals WHERE session_id = NEW.id AND status = 'pending')
  WHERE id = NEW.customer_id;
END;
-- Deleting a session cascades to its approvals after the session row is gone, when their
-- delete trigger can no longer find the customer: count them off before.
CREATE TRIGGER derived_sessions_delete BEFORE DELETE ON agent_sessions BEGIN
  UPDATE customers SET open_approvals = open_approvals
    - (SELECT count(*) FROM approvals WHERE session_id = OLD.id AND status = 'pending')
  WHERE id = OLD.customer_id;
END;

-- Fill both for rows an older database already holds.
UPDATE customers SET
  renewal_date = (SELECT min(end_date) FROM contracts
                   WHERE customer_id = customers.id AND status = 'active'),
  -- sessions of the customer first, then their pending approvals (the other join order walks
  -- every pending approval for every customer)
  open_approvals = (SELECT count(*) FROM agent_sessions s CROSS JOIN approvals a
                     WHERE a.session_id = s.id AND s.customer_id = customers.id
                       AND a.status = 'pending');

-- Seed 001's customer_health_view, in SQLite. Correlated subqueries instead of the seed's
-- five-way LEFT JOIN + COUNT(DISTINCT): same result, without multiplying rows per customer.
-- arr is in dollars as the seed's view had it; arr_cents is the stored value.
CREATE VIEW customer_health_view AS
SELECT
  c.id,
  c.workspace_id,
  c.name,
  c.arr_cents / 100.0 AS arr,
  c.arr_cents,
  c.health_score,
  c.stage,
  (SELECT count(*) FROM stakeholders s WHERE s.customer_id = c.id) AS stakeholder_count,
  (SELECT count(*) FROM meetings m WHERE m.customer_id = c.id) AS meeting_count,
  (SELECT count(*) FROM insights i WHERE i.customer_id = c.id AND i.type = 'concern') AS concern_count,
  (SELECT max(m.scheduled_at) FROM meetings m WHERE m.customer_id = c.id) AS last_meeting,
  (SELECT max(am.created_at)
     FROM agent_sessions ags JOIN agent_messages am ON am.session_id = ags.id
    WHERE ags.customer_id = c.id) AS last_interaction
FROM customers c;
