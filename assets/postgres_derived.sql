-- The values the customer list sorts by that live in other tables, kept on the customer row
-- (SQLite: assets/migrations/0004_derived.sql and 0005_dashboard.sql; docs/postgres.md):
--
--   customers.renewal_date   = the earliest end_date of the customer's active contracts
--   customers.open_approvals = the number of pending approvals in the customer's sessions
--   customers.csm_sort       = the CSM's name in lower case
--
-- Each is recomputed from scratch by an indexed lookup, so no order of edits makes it drift.
-- The functions are SECURITY DEFINER (their owner bypasses row-level security): a member who
-- may add an approval must not be stopped, or the count be left wrong, because the policy
-- does not let them write the customer row the count lives on.

CREATE FUNCTION cscx_renewal_date_of(customer customers.id%TYPE) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE customers SET renewal_date = (
    SELECT min(end_date) FROM contracts WHERE customer_id = customer AND status = 'active'
  ) WHERE id = customer
    AND renewal_date IS DISTINCT FROM (
      SELECT min(end_date) FROM contracts WHERE customer_id = customer AND status = 'active');
$$;

CREATE FUNCTION cscx_open_approvals_of(customer customers.id%TYPE) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  UPDATE customers SET open_approvals = (
    SELECT count(*) FROM agent_sessions s JOIN approvals a ON a.session_id = s.id
     WHERE s.customer_id = customer AND a.status = 'pending'
  ) WHERE id = customer;
$$;

CREATE FUNCTION cscx_derived_contracts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM cscx_renewal_date_of(OLD.customer_id);
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.customer_id IS DISTINCT FROM OLD.customer_id) THEN
    PERFORM cscx_renewal_date_of(NEW.customer_id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER derived_contracts AFTER INSERT OR DELETE OR UPDATE OF customer_id, status, end_date
  ON contracts FOR EACH ROW EXECUTE FUNCTION cscx_derived_contracts();

CREATE FUNCTION cscx_derived_approvals() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'pending' THEN
    PERFORM cscx_open_approvals_of((SELECT customer_id FROM agent_sessions WHERE id = OLD.session_id));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'pending' THEN
    PERFORM cscx_open_approvals_of((SELECT customer_id FROM agent_sessions WHERE id = NEW.session_id));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER derived_approvals AFTER INSERT OR DELETE OR UPDATE OF status, session_id
  ON approvals FOR EACH ROW EXECUTE FUNCTION cscx_derived_approvals();

-- A session moved to another customer takes its pending approvals with it; a deleted one
-- (its approvals cascade) leaves its customer's count, recomputed once the rows are gone.
CREATE FUNCTION cscx_derived_sessions() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM cscx_open_approvals_of(OLD.customer_id);
  IF TG_OP = 'UPDATE' THEN
    PERFORM cscx_open_approvals_of(NEW.customer_id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER derived_sessions AFTER DELETE OR UPDATE OF customer_id
  ON agent_sessions FOR EACH ROW EXECUTE FUNCTION cscx_derived_sessions();

-- BEFORE on the customer row itself: no second UPDATE of the row being written.
CREATE FUNCTION cscx_csm_sort_customer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  NEW.csm_sort := (SELECT lower(name) FROM users WHERE id = NEW.csm_id);
  RETURN NEW;
END
$$;
CREATE TRIGGER csm_sort_customers BEFORE INSERT OR UPDATE OF csm_id
  ON customers FOR EACH ROW EXECUTE FUNCTION cscx_csm_sort_customer();

CREATE FUNCTION cscx_csm_sort_users() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE customers SET csm_sort = lower(NEW.name) WHERE csm_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER csm_sort_users_rename AFTER UPDATE OF name
  ON users FOR EACH ROW EXECUTE FUNCTION cscx_csm_sort_users();
