-- Search everything (the dashboard's `ctrl-f`): every free text the dashboard shows, found
-- by any three characters of it, inside words too (`newa` finds "renewal").
--
-- One trigram FTS5 index per table, external content like 0003's word indexes and kept the
-- same way: fts_* triggers, which store::bulk pauses during a load and replaces by one
-- 'rebuild'. `detail='none'`: the index says which rows hold every trigram of a word, not
-- where, so it is a fraction of the size of a positional one (on the 100k-customer book the
-- call notes, transcripts and agent messages are most of the text); a row it names is then
-- checked for the word itself (store::read::search does it with instr(), on the few rows a
-- page of results needs). Customers keep 0010's customers_trigram.
CREATE VIRTUAL TABLE stakeholders_trigram USING fts5(
  name, email, role, notes, content='stakeholders', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_stakeholders_trigram_insert AFTER INSERT ON stakeholders BEGIN
  INSERT INTO stakeholders_trigram(rowid, name, email, role, notes) VALUES (NEW.rowid, NEW.name, NEW.email, NEW.role, NEW.notes);
END;
CREATE TRIGGER fts_stakeholders_trigram_delete AFTER DELETE ON stakeholders BEGIN
  INSERT INTO stakeholders_trigram(stakeholders_trigram, rowid, name, email, role, notes) VALUES ('delete', OLD.rowid, OLD.name, OLD.email, OLD.role, OLD.notes);
END;
CREATE TRIGGER fts_stakeholders_trigram_update AFTER UPDATE OF name, email, role, notes ON stakeholders BEGIN
  INSERT INTO stakeholders_trigram(stakeholders_trigram, rowid, name, email, role, notes) VALUES ('delete', OLD.rowid, OLD.name, OLD.email, OLD.role, OLD.notes);
  INSERT INTO stakeholders_trigram(rowid, name, email, role, notes) VALUES (NEW.rowid, NEW.name, NEW.email, NEW.role, NEW.notes);
END;

CREATE VIRTUAL TABLE calls_trigram USING fts5(
  prospect_name, notes, content='calls', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_calls_trigram_insert AFTER INSERT ON calls BEGIN
  INSERT INTO calls_trigram(rowid, prospect_name, notes) VALUES (NEW.rowid, NEW.prospect_name, NEW.notes);
END;
CREATE TRIGGER fts_calls_trigram_delete AFTER DELETE ON calls BEGIN
  INSERT INTO calls_trigram(calls_trigram, rowid, prospect_name, notes) VALUES ('delete', OLD.rowid, OLD.prospect_name, OLD.notes);
END;
CREATE TRIGGER fts_calls_trigram_update AFTER UPDATE OF prospect_name, notes ON calls BEGIN
  INSERT INTO calls_trigram(calls_trigram, rowid, prospect_name, notes) VALUES ('delete', OLD.rowid, OLD.prospect_name, OLD.notes);
  INSERT INTO calls_trigram(rowid, prospect_name, notes) VALUES (NEW.rowid, NEW.prospect_name, NEW.notes);
END;

CREATE VIRTUAL TABLE meetings_trigram USING fts5(
  title, description, content='meetings', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_meetings_trigram_insert AFTER INSERT ON meetings BEGIN
  INSERT INTO meetings_trigram(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;
CREATE TRIGGER fts_meetings_trigram_delete AFTER DELETE ON meetings BEGIN
  INSERT INTO meetings_trigram(meetings_trigram, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
END;
CREATE TRIGGER fts_meetings_trigram_update AFTER UPDATE OF title, description ON meetings BEGIN
  INSERT INTO meetings_trigram(meetings_trigram, rowid, title, description) VALUES ('delete', OLD.rowid, OLD.title, OLD.description);
  INSERT INTO meetings_trigram(rowid, title, description) VALUES (NEW.rowid, NEW.title, NEW.description);
END;

CREATE VIRTUAL TABLE transcripts_trigram USING fts5(
  content, content='transcripts', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_transcripts_trigram_insert AFTER INSERT ON transcripts BEGIN
  INSERT INTO transcripts_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_transcripts_trigram_delete AFTER DELETE ON transcripts BEGIN
  INSERT INTO transcripts_trigram(transcripts_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_transcripts_trigram_update AFTER UPDATE OF content ON transcripts BEGIN
  INSERT INTO transcripts_trigram(transcripts_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO transcripts_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE agent_messages_trigram USING fts5(
  content, content='agent_messages', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_agent_messages_trigram_insert AFTER INSERT ON agent_messages BEGIN
  INSERT INTO agent_messages_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_agent_messages_trigram_delete AFTER DELETE ON agent_messages BEGIN
  INSERT INTO agent_messages_trigram(agent_messages_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_agent_messages_trigram_update AFTER UPDATE OF content ON agent_messages BEGIN
  INSERT INTO agent_messages_trigram(agent_messages_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO agent_messages_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE insights_trigram USING fts5(
  content, content='insights', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_insights_trigram_insert AFTER INSERT ON insights BEGIN
  INSERT INTO insights_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;
CREATE TRIGGER fts_insights_trigram_delete AFTER DELETE ON insights BEGIN
  INSERT INTO insights_trigram(insights_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
END;
CREATE TRIGGER fts_insights_trigram_update AFTER UPDATE OF content ON insights BEGIN
  INSERT INTO insights_trigram(insights_trigram, rowid, content) VALUES ('delete', OLD.rowid, OLD.content);
  INSERT INTO insights_trigram(rowid, content) VALUES (NEW.rowid, NEW.content);
END;

CREATE VIRTUAL TABLE deal_notes_trigram USING fts5(
  note_txt, content='deal_notes', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_deal_notes_trigram_insert AFTER INSERT ON deal_notes BEGIN
  INSERT INTO deal_notes_trigram(rowid, note_txt) VALUES (NEW.rowid, NEW.note_txt);
END;
CREATE TRIGGER fts_deal_notes_trigram_delete AFTER DELETE ON deal_notes BEGIN
  INSERT INTO deal_notes_trigram(deal_notes_trigram, rowid, note_txt) VALUES ('delete', OLD.rowid, OLD.note_txt);
END;
CREATE TRIGGER fts_deal_notes_trigram_update AFTER UPDATE OF note_txt ON deal_notes BEGIN
  INSERT INTO deal_notes_trigram(deal_notes_trigram, rowid, note_txt) VALUES ('delete', OLD.rowid, OLD.note_txt);
  INSERT INTO deal_notes_trigram(rowid, note_txt) VALUES (NEW.rowid, NEW.note_txt);
END;

CREATE VIRTUAL TABLE knowledge_base_trigram USING fts5(
  title, content, content='knowledge_base', content_rowid='rowid', tokenize='trigram', detail='none'
);
CREATE TRIGGER fts_knowledge_base_trigram_insert AFTER INSERT ON knowledge_base BEGIN
  INSERT INTO knowledge_base_trigram(rowid, title, content) VALUES (NEW.rowid, NEW.title, NEW.content);
END;
CREATE TRIGGER fts_knowledge_base_trigram_delete AFTER DELETE ON knowledge_base BEGIN
  INSERT INTO knowledge_base_trigram(knowledge_base_trigram, rowid, title, content) VALUES ('delete', OLD.rowid, OLD.title, OLD.content);
END;
CREATE TRIGGER fts_knowledge_base_trigram_update AFTER UPDATE OF title, content ON knowledge_base BEGIN
  INSERT INTO knowledge_base_trigram(knowledge_base_trigram, rowid, title, content) VALUES ('delete', OLD.rowid, OLD.title, OLD.content);
  INSERT INTO knowledge_base_trigram(rowid, title, content) VALUES (NEW.rowid, NEW.title, NEW.content);
END;

-- Index what the database already holds.
INSERT INTO stakeholders_trigram(stakeholders_trigram) VALUES ('rebuild');
INSERT INTO calls_trigram(calls_trigram) VALUES ('rebuild');
INSERT INTO meetings_trigram(meetings_trigram) VALUES ('rebuild');
INSERT INTO transcripts_trigram(transcripts_trigram) VALUES ('rebuild');
INSERT INTO agent_messages_trigram(agent_messages_trigram) VALUES ('rebuild');
INSERT INTO insights_trigram(insights_trigram) VALUES ('rebuild');
INSERT INTO deal_notes_trigram(deal_notes_trigram) VALUES ('rebuild');
INSERT INTO knowledge_base_trigram(knowledge_base_trigram) VALUES ('rebuild');
