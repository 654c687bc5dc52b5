//! Headless import and export: readers (CSV, TSV, JSON, NDJSON, XLSX), the seed map's routing,
//! validation reports.
