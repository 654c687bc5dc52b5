//! Reads. Lists are paged by keyset on an index (never whole tables); lookups resolve the
//! names people type (a workspace name, a user's email, a customer name prefix) to ids.

pub mod customers;
pub mod health;
pub mod lookup;

/// Where a page starts: at either end of the ordering, or just past a row already shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor<C> {
    Start,
    End,
    After(C),
    Before(C),
}

// Reads of the dashboard's tabs (issue 5).
pub mod account;
pub mod calls;
pub mod deals;
pub mod keyset;
pub mod portfolio;
pub mod sessions;
pub mod trends;

// Reads of the forms and pickers (issue 6).
pub mod pickers;
pub mod records;
pub mod scope;
