//! cscx: a terminal console for Customer Success Managers over a local SQLite database.
//!
//! The dependency arrows point one way: `commands` (the CLI's verbs) and the dashboard use
//! `store`; `store` uses `health`; `health` uses nothing of ours; neither `store` nor `health`
//! knows the terminal.

pub mod cli;
pub mod commands;
pub mod generate;
pub mod health;
pub mod import;
pub mod mine;
pub mod paths;
pub mod sanitize;
pub mod store;
pub mod tui;
