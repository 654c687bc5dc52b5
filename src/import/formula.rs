//! Spreadsheet formula injection: a CSV cell that starts with `=`, `+`, `-` or `@` (or a tab
//! or carriage return, which some spreadsheets skip before one) is run as a formula when the
//! file is opened in Excel or LibreOffice (`=HYPERLINK(...)`, `=cmd|...`). Exported text
//! cells and reject files are written with a `'` in front of such a value, which
//! spreadsheets show as text; `export --keep-formulas` writes them raw.
//!
//! The mark is reversible, so an exported file imports back to the same data: a value that
//! already starts with quotes before such a character gets one more, and the importer
//! removes exactly one from any cell of the form `'...'X...` ([`restore`]).

use std::borrow::Cow;

fn starts_like_a_formula(s: &str) -> bool {
    matches!(
        s.trim_start_matches('\'').chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    )
}

/// `s` as a spreadsheet will show it, never run it.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    if starts_like_a_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The value [`neutralise`] was given.
pub fn restore(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if starts_like_a_formula(rest) => rest,
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_marked_as_text() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise("+1 555 0100"), "'+1 555 0100");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("Acme"), "Acme");
        assert_eq!(neutralise("it's"), "it's");
    }

    #[test]
    fn the_mark_reads_back_to_the_value() {
        for s in [
            "=1+1", "'=1+1", "''-x", "'", "'quoted'", "plain", "", "-", "\t=x",
        ] {
            assert_eq!(restore(&neutralise(s)), s, "{s:?}");
        }
    }
}
