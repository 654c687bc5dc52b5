-- History as other systems recorded it loads as it is.
--
-- Rules about how a decision is made are for new edits, not for the history an import loads.
-- The seeds allow a rejected approval without a comment, an approved one without resolved_at
-- and a failed job without a message; a system's past is loaded as it was. These CHECKs of
-- 0001_schema.sql move to store::rules (Origin::Edit), which every edit of the dashboard and
-- of the typed write path still passes through.
--
-- Removing a CHECK changes nothing stored, so the table's SQL is edited in place, the way
-- SQLite documents for removing CHECK constraints (https://sqlite.org/lang_altertable.html,
-- "making other kinds of table schema changes"), instead of rebuilding the table with its
-- triggers and indexes; store::migrations bumps the schema cookie after it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
   SET sql = replace(sql,
     ',' || char(10) ||
     '  -- a resolved approval says when; a rejection says why (issue: comment required to reject)' || char(10) ||
     '  CHECK (status = ''pending'' OR resolved_at IS NOT NULL),' || char(10) ||
     '  CHECK (status <> ''rejected'' OR (comment IS NOT NULL AND comment <> ''''))',
     '')
 WHERE type = 'table' AND name = 'approvals';
UPDATE sqlite_schema
   SET sql = replace(sql,
     'DEFERRED,' || char(10) || '  CHECK (status <> ''failed'' OR error_message IS NOT NULL)',
     'DEFERRED')
 WHERE type = 'table' AND name = 'analysis_jobs';
-- 000's workspan_core.etl_audit names only its run: when it ran and how it ended are not
-- known, and a default (now, 'succeeded') would invent them. The import leaves them NULL.
UPDATE sqlite_schema
   SET sql = replace(replace(sql,
     'run_ts       TEXT NOT NULL DEFAULT (strftime(''%Y-%m-%dT%H:%M:%SZ'', ''now'')),',
     'run_ts       TEXT,'),
     'status       TEXT NOT NULL DEFAULT ''succeeded'' CHECK',
     'status       TEXT CHECK')
 WHERE type = 'table' AND name = 'etl_runs';
PRAGMA writable_schema = RESET;
