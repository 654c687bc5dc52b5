-- cscx's own feeds in etl_runs: each `cscx import` and `cscx export` is a run (docs/import.md,
-- "Runs in etl_runs"). Seed 000 gives the outbound count (records_sent) and a status; a run
-- of ours also says how many records it read, wrote and rejected, when it finished, and why
-- it failed. run_ts is when the run started. All nullable: a run imported from the seeds
-- (cisco_ops.etl_runs, workspan_core.etl_audit) knows none of these.
ALTER TABLE etl_runs ADD COLUMN records_read     INTEGER CHECK (records_read >= 0);
ALTER TABLE etl_runs ADD COLUMN records_written  INTEGER CHECK (records_written >= 0);
ALTER TABLE etl_runs ADD COLUMN records_rejected INTEGER CHECK (records_rejected >= 0);
ALTER TABLE etl_runs ADD COLUMN finished_at      TEXT;
ALTER TABLE etl_runs ADD COLUMN error            TEXT;
