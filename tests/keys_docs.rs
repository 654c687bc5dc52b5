//! The key table in docs/dashboard.md is the keymap's, as generated: it cannot go stale.
//! On a difference the test prints the table to paste between the markers.

use cscx::tui::keymap;

const START: &str = "<!-- keys:start -->";
const END: &str = "<!-- keys:end -->";

/// The text between the markers of `doc`, trimmed; an error says what is missing.
fn between_markers(doc: &str) -> Result<&str, String> {
    let starts: Vec<_> = doc.match_indices(START).collect();
    let [(start, _)] = starts[..] else {
        return Err(format!(
            "expected `{START}` once, found it {} times",
            starts.len()
        ));
    };
    let from = start + START.len();
    let end = doc[from..]
        .find(END)
        .ok_or_else(|| format!("`{END}` missing after `{START}`"))?;
    Ok(doc[from..from + end].trim())
}

#[test]
fn the_dashboard_docs_list_every_key_binding_as_generated() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/dashboard.md");
    let doc = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let expected = keymap::default_markdown();
    let found = between_markers(&doc).unwrap_or_else(|e| {
        panic!(
            "docs/dashboard.md: {e}; put the key table between them:\n\n{START}\n{expected}{END}\n"
        )
    });
    if found != expected.trim() {
        panic!(
            "docs/dashboard.md: the key table differs from the keymap (src/tui/keymap.rs, \
             DEFAULTS). Replace the lines between {START} and {END} with:\n\n{expected}"
        );
    }
}

#[test]
fn the_generated_table_has_a_row_for_every_binding() {
    let table = keymap::default_markdown();
    let rows = table.lines().skip(2).count();
    assert_eq!(rows, keymap::DEFAULTS.len());
    for (context, _, keys, help) in keymap::DEFAULTS {
        assert!(
            table.contains(&format!("| {} |", context.title())) && table.contains(help),
            "{keys:?} {help}"
        );
    }
}

#[test]
fn markers_are_found_and_checked() {
    assert_eq!(
        between_markers("a\n<!-- keys:start -->\n| x |\n<!-- keys:end -->\n"),
        Ok("| x |")
    );
    assert!(between_markers("no markers").is_err());
    assert!(between_markers("<!-- keys:start --> only the start").is_err());
    assert!(between_markers("<!-- keys:start --><!-- keys:start --><!-- keys:end -->").is_err());
}
