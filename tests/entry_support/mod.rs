//! The dashboard acting as Dana (dana@acme.test) in the "Acme CS" workspace of the test book,
//! with a fixed clock, and ways to look into the database it writes to.
#![allow(dead_code)]

use std::path::Path;

use chrono::DateTime;
use cscx::store::{self, Actor, Store};
use cscx::tui::app::Options;
use cscx::tui::clock::Clock;
use cscx::tui::headless::Headless;

#[path = "../tui_support/mod.rs"]
pub mod tui_support;

pub use tui_support::Book;

/// Monday 2026-06-01 10:00 in UTC+02:00.
pub const NOW: &str = "2026-06-01T10:00:00+02:00";

pub fn clock() -> Clock {
    Clock::Fixed(DateTime::parse_from_rfc3339(NOW).expect("a time"))
}

/// Opens `path` (or a private in-memory database), builds the book, acts as Dana in Acme CS
/// (`as_user` false: nobody, the read-only dashboard).
pub fn app_at(path: Option<&Path>, as_user: bool) -> (Headless, Book) {
    let mut s = match path {
        Some(p) => store::open(p).expect("store"),
        None => crate::common::scratch_store(),
    };
    let book = tui_support::build(&mut s);
    act(&mut s, &book, as_user);
    let options = Options {
        clock: clock(),
        mouse: true,
        ..Options::for_store(&s, false)
    };
    (Headless::inline(s, options, 120, 40), book)
}

pub fn app() -> (Headless, Book) {
    app_at(None, true)
}

pub fn act(s: &mut Store, book: &Book, as_user: bool) {
    s.set_actor(Actor {
        user_id: as_user.then(|| book.dana.clone()),
        workspace_id: Some(book.workspace.clone()),
        user_agent: Some("cscx test".into()),
    });
}

pub fn store(h: &Headless) -> &Store {
    h.store().expect("an inline store")
}

/// One value of a query with one text parameter (or none: pass "").
pub fn one<T: rusqlite::types::FromSql>(h: &Headless, sql: &str, p: &str) -> T {
    let conn = &crate::common::sql(store(h));
    if sql.contains("?1") {
        conn.query_row(sql, [p], |r| r.get(0))
    } else {
        conn.query_row(sql, [], |r| r.get(0))
    }
    .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

pub fn status(h: &Headless) -> String {
    h.app.status().map(|s| s.text.clone()).unwrap_or_default()
}

/// The message beside field `key` of the form on top.
pub fn message(h: &Headless, key: &str) -> Option<String> {
    h.app
        .forms()
        .last()
        .and_then(|f| f.slot(key))
        .and_then(|s| s.message().map(str::to_owned))
}

/// Moves the focus of the form on top to field `key` with Tab.
pub fn focus(h: &mut Headless, key: &str) {
    for _ in 0..30 {
        let form = h.app.forms().last().expect("a form");
        if form.focused().map(|s| s.key.as_str()) == Some(key) {
            return;
        }
        h.keys(&["tab"]);
    }
    panic!("no field {key}");
}

/// Replaces the text of field `key`.
pub fn set(h: &mut Headless, key: &str, text: &str) {
    focus(h, key);
    h.keys(&["ctrl-u"]);
    h.type_text(text);
}
