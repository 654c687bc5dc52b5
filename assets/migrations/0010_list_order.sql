-- The customer list as a CSM reads it.
--
-- Stage sorts by the lifecycle (prospect, onboarding, active, expansion, renewal, at risk,
-- churned), customers of one stage by name, not alphabetically by stage. Keyset pages need an
-- index on exactly the sort expression (store::read::customers::STAGE_ORDER); it replaces the
-- index on (stage, id), which nothing else read.
DROP INDEX idx_customers_stage;
CREATE INDEX idx_customers_stage_order ON customers((CASE stage WHEN 'prospect' THEN '0'
  WHEN 'onboarding' THEN '1' WHEN 'active' THEN '2' WHEN 'expansion' THEN '3'
  WHEN 'renewal' THEN '4' WHEN 'at_risk' THEN '5' WHEN 'churned' THEN '6' ELSE '7' END
  || lower(name)), id);

-- Unscored customers sort last both ways: going down they are -1 (idx_customers_health),
-- going up 101, above every score.
CREATE INDEX idx_customers_health_up ON customers(ifnull(health_score, 101), id);

-- The filter matches inside words (`cme` finds Acme Corp): a trigram index of the names,
-- kept like customers_fts by fts_* triggers (which store::bulk pauses and rebuilds). Words
-- shorter than three characters still go to customers_fts's prefix index.
CREATE VIRTUAL TABLE customers_trigram USING fts5(
  name, content='customers', content_rowid='rowid', tokenize='trigram remove_diacritics 1'
);
INSERT INTO customers_trigram(customers_trigram) VALUES ('rebuild');
CREATE TRIGGER fts_customers_trigram_insert AFTER INSERT ON customers BEGIN
  INSERT INTO customers_trigram(rowid, name) VALUES (NEW.rowid, NEW.name);
END;
CREATE TRIGGER fts_customers_trigram_delete AFTER DELETE ON customers BEGIN
  INSERT INTO customers_trigram(customers_trigram, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
END;
CREATE TRIGGER fts_customers_trigram_update AFTER UPDATE OF name ON customers BEGIN
  INSERT INTO customers_trigram(customers_trigram, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
  INSERT INTO customers_trigram(rowid, name) VALUES (NEW.rowid, NEW.name);
END;
