-- Full-text search (FTS5) over the free text the dashboard searches.
--
-- External-content tables: the text lives once, in the table; the index is kept by triggers.
-- Each indexed table declares `rowid INTEGER PRIMARY KEY` because VACUUM may renumber an
-- implicit rowid, which would silently point the index at the wrong rows.
-- Bulk loaders may drop the fts_* triggers, load, then run the 'rebuild' command and recreate
-- them (store::bulk does this, reading the trigger SQL back from sqlite_schema).

CREATE VIRTUAL TABLE customers_fts USING fts5(
  name, content='customers', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_customers_insert AFTER INSERT ON customers BEGIN
  INSERT INTO customers_fts(rowid, name) VALUES (NEW.rowid, NEW.name);
END;
CREATE TRIGGER fts_customers_delete AFTER DELETE ON customers BEGIN
  INSERT INTO customers_fts(customers_fts, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
END;
CREATE TRIGGER fts_customers_update AFTER UPDATE OF name ON customers BEGIN
  INSERT INTO customers_fts(customers_fts, rowid, name) VALUES ('delete', OLD.rowid, OLD.name);
  INSERT INTO customers_fts(rowid, name) VALUES (NEW.rowid, NEW.name);
END;

CREATE VIRTUAL TABLE stakeholders_fts USING fts5(
  name, email, role, notes, content='stakeholders', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_stakeholders_insert AFTER INSERT ON stakeholders BEGIN
  INSERT INTO stakeholders_fts(rowid, name, email, role, notes) VALUES (NEW.rowid, NEW.name, NEW.email, NEW.role, NEW.notes);
END;
CREATE TRIGGER fts_stakeholders_delete AFTER DELETE ON stakeholders BEGIN
  INSERT INTO stakeholders_fts(stakeholders_fts, rowid, name, email, role, notes) VALUES ('delete', OLD.rowid, OLD.name, OLD.email, OLD.role, OLD.notes);
END;
CREATE TRIGGER fts_stakeholders_update AFTER UPDATE OF name, email, role, notes ON stakeholders BEGIN
  INSERT INTO stakeholders_fts(stakeholders_fts, rowid, name, email, role, notes) VALUES ('delete', OLD.rowid, OLD.name, OLD.email, OLD.role, OLD.notes);
  INSERT INTO stakeholders_fts(rowid, name, email, role, notes) VALUES (NEW.rowid, NEW.name, NEW.email, NEW.role, NEW.notes);
END;

CREATE VIRTUAL TABLE calls_fts USING fts5(
  prospect_name, prospect_email, notes, content='calls', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_calls_insert AFTER INSERT ON calls BEGIN
  INSERT INTO calls_fts(rowid, prospect_name, prospect_email, notes) VALUES (NEW.rowid, NEW.prospect_name, NEW.prospect_email, NEW.notes);
END;
CREATE TRIGGER fts_calls_delete AFTER DELETE ON calls BEGIN
  INSERT INTO calls_fts(calls_fts, rowid, prospect_name, prospect_email, notes) VALUES ('delete', OLD.rowid, OLD.prospect_name, OLD.prospect_email, OLD.notes);
END;
CREATE TRIGGER fts_calls_update AFTER UPDATE OF prospect_name, prospect_email, notes ON calls BEGIN
  INSERT INTO calls_fts(calls_fts, rowid, prospect_name, prospect_email, notes) VALUES ('delete', OLD.rowid, OLD.prospect_name, OLD.prospect_email, OLD.notes);
  INSERT INTO calls_fts(rowid, prospect_name, prospect_email, notes) VALUES (NEW.rowid, NEW.prospect_name, NEW.prospect_email, NEW.notes);
END;

CREATE VIRTUAL TABLE agent_messages_fts USING fts5(
  content, content='agent_messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_agent_messages_insert AFTER INSERT ON agent_messages BEGIN
  INSERT INTO agent_messages_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_agent_messages_delete AFTER DELETE ON agent_messages BEGIN
  INSERT INTO agent_messages_fts(agent_messages_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_agent_messages_update AFTER UPDATE OF content ON agent_messages BEGIN
  INSERT INTO agent_messages_fts(agent_messages_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO agent_messages_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE meetings_fts USING fts5(
  title, description, content='meetings', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_meetings_insert AFTER INSERT ON meetings BEGIN
  INSERT INTO meetings_fts(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;
CREATE TRIGGER fts_meetings_delete AFTER DELETE ON meetings BEGIN
  INSERT INTO meetings_fts(meetings_fts, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
END;
CREATE TRIGGER fts_meetings_update AFTER UPDATE OF title, description ON meetings BEGIN
  INSERT INTO meetings_fts(meetings_fts, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
  INSERT INTO meetings_fts(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;

CREATE VIRTUAL TABLE transcripts_fts USING fts5(
  content, content='transcripts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_transcripts_insert AFTER INSERT ON transcripts BEGIN
  INSERT INTO transcripts_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_transcripts_delete AFTER DELETE ON transcripts BEGIN
  INSERT INTO transcripts_fts(transcripts_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_transcripts_update AFTER UPDATE OF content ON transcripts BEGIN
  INSERT INTO transcripts_fts(transcripts_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO transcripts_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE insights_fts USING fts5(
  content, content='insights', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_insights_insert AFTER INSERT ON insights BEGIN
  INSERT INTO insights_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_insights_delete AFTER DELETE ON insights BEGIN
  INSERT INTO insights_fts(insights_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_insights_update AFTER UPDATE OF content ON insights BEGIN
  INSERT INTO insights_fts(insights_fts, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO insights_fts(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE knowledge_base_fts USING fts5(
  title, content, content='knowledge_base', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_knowledge_base_insert AFTER INSERT ON knowledge_base BEGIN
  INSERT INTO knowledge_base_fts(rowid, title, content) VALUES (NEW.rowid, NEW.title, NEW.content);
END;
CREATE TRIGGER fts_knowledge_base_delete AFTER DELETE ON knowledge_base BEGIN
  INSERT INTO knowledge_base_fts(knowledge_base_fts, rowid, title, content) VALUES ('delete', OLD.rowid, OLD.title, OLD.content);
END;
CREATE TRIGGER fts_knowledge_base_update AFTER UPDATE OF title, content ON knowledge_base BEGIN
  INSERT INTO knowledge_base_fts(knowledge_base_fts, rowid, title, content) VALUES ('delete', OLD.rowid, OLD.title, OLD.content);
  INSERT INTO knowledge_base_fts(rowid, title, content) VALUES (NEW.rowid, NEW.title, NEW.content);
END;

CREATE VIRTUAL TABLE deal_notes_fts USING fts5(
  note_txt, content='deal_notes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', prefix='2 3'
);
CREATE TRIGGER fts_deal_notes_insert AFTER INSERT ON deal_notes BEGIN
  INSERT INTO deal_notes_fts(rowid, note_txt) VALUES (NEW.rowid, NEW.note_txt);
END;
CREATE TRIGGER fts_deal_notes_delete AFTER DELETE ON deal_notes BEGIN
  INSERT INTO deal_notes_fts(deal_notes_fts, rowid, note_txt) VALUES ('delete', OLD.rowid, OLD.note_txt);
END;
CREATE TRIGGER fts_deal_notes_update AFTER UPDATE OF note_txt ON deal_notes BEGIN
  INSERT INTO deal_notes_fts(deal_notes_fts, rowid, note_txt) VALUES ('delete', OLD.rowid, OLD.note_txt);
  INSERT INTO deal_notes_fts(rowid, note_txt) VALUES (NEW.rowid, NEW.note_txt);
END;

-- Index what an older database already holds.
INSERT INTO customers_fts(customers_fts) VALUES ('rebuild');
INSERT INTO stakeholders_fts(stakeholders_fts) VALUES ('rebuild');
INSERT INTO calls_fts(calls_fts) VALUES ('rebuild');
INSERT INTO agent_messages_fts(agent_messages_fts) VALUES ('rebuild');
INSERT INTO meetings_fts(meetings_fts) VALUES ('rebuild');
INSERT INTO transcripts_fts(transcripts_fts) VALUES ('rebuild');
INSERT INTO insights_fts(insights_fts) VALUES ('rebuild');
INSERT INTO knowledge_base_fts(knowledge_base_fts) VALUES ('rebuild');
INSERT INTO deal_notes_fts(deal_notes_fts) VALUES ('rebuild');
