-- What the dashboard needs to sort a million customers by CSM *name* through an index.
--
-- customers.csm_id orders by id, which is meaningless to a person. customers.csm_sort holds the
-- CSM's name folded to lower case, kept by triggers (like renewal_date and open_approvals in
-- 0004_derived.sql), so "sort by CSM" is an index walk in alphabetical order.
-- The triggers are not named derived_*: bulk loads (store::bulk) pause those and recompute only
-- the columns they know; these stay on during a load and cost one primary-key update per row.

ALTER TABLE customers ADD COLUMN csm_sort TEXT;

CREATE INDEX idx_customers_csm_sort ON customers(ifnull(csm_sort, '~'), id);

CREATE TRIGGER csm_sort_customers_insert AFTER INSERT ON customers WHEN NEW.csm_id IS NOT NULL BEGIN
  UPDATE customers SET csm_sort = (SELECT lower(name) FROM users WHERE id = NEW.csm_id)
  WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER csm_sort_customers_update AFTER UPDATE OF csm_id ON customers BEGIN
  UPDATE customers SET csm_sort = (SELECT lower(name) FROM users WHERE id = NEW.csm_id)
  WHERE rowid = NEW.rowid;
END;
CREATE TRIGGER csm_sort_users_rename AFTER UPDATE OF name ON users BEGIN
  UPDATE customers SET csm_sort = lower(NEW.name) WHERE csm_id = NEW.id;
END;

UPDATE customers SET csm_sort = (SELECT lower(name) FROM users WHERE id = customers.csm_id)
WHERE csm_id IS NOT NULL;

-- Orderings the other dashboard lists page through (keyset pagination needs an index on
-- exactly the sort expression, or SQLite sorts the whole table for every page).
CREATE INDEX idx_deals_stage_close ON deals(stage, ifnull(close_dt, '9999-12-31'), id);
CREATE INDEX idx_sessions_created ON agent_sessions(created_at, id);
-- the cross-account queue of pending approvals, oldest first
CREATE INDEX idx_approvals_pending ON approvals(created_at, id) WHERE status = 'pending';
