-- A call is dated by when it took place (completed_at), else when it is scheduled
-- (scheduled_at), else when it was logged (created_at): the day the health engine counts it on
-- (store::read::health) and, from this version, the day the Calls tab shows, sorts newest
-- first by and filters by period (store::read::calls::WHEN).
--
-- Keyset pages need an index on exactly that expression, after each column the list filters
-- on by equality, with the id as the tie-breaker. These replace the (column, created_at)
-- indexes of 0001_schema.sql, which served the old created_at ordering: each replacement
-- starts with the same column, so every lookup and foreign-key check they served still has
-- an index. The customer's is also the one the account 360 and the health engine read a
-- customer's calls by date through.

CREATE INDEX idx_calls_when ON calls(coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_workspace_when
  ON calls(workspace_id, coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_user_when
  ON calls(user_id, coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_customer_when
  ON calls(customer_id, coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_status_when
  ON calls(status, coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_outcome_when
  ON calls(outcome, coalesce(completed_at, scheduled_at, created_at), id);
CREATE INDEX idx_calls_type_when
  ON calls(call_type, coalesce(completed_at, scheduled_at, created_at), id);

DROP INDEX idx_calls_workspace;
DROP INDEX idx_calls_user;
DROP INDEX idx_calls_customer;
DROP INDEX idx_calls_status;
DROP INDEX idx_calls_outcome;
DROP INDEX idx_calls_type;
