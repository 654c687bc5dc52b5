//! Drawing helpers shared by the tabs. Each draws from the state it is given, nothing else.

pub mod chart;
pub mod columns;
pub mod explain;
pub mod help;
pub mod paged_table;
pub mod table;
