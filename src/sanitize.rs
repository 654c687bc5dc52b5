//! The one definition of text that must not reach a terminal as it is: C0 and C1 control
//! characters (ESC starts every escape sequence; U+009B is a one-byte CSI), DEL, and the
//! bidirectional overrides and isolates that reorder what is shown ("Trojan source").
//!
//! Every string from data or the file system passes through here on its way to a terminal:
//! the dashboard draws [`is_unsafe`] characters as pictures (`tui::text::clean`); the CLI
//! writes them escaped as `\u{1b}` ([`escaped`], [`escaped_output`]); JSON output escapes
//! them as JSON does (`\u001b`, [`json_escaped`]) so that it stays valid JSON.

use std::borrow::Cow;

/// Whether `c` may change what a terminal does or shows instead of being shown.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// One value (a name, an id, a file name) for a terminal: every unsafe character, newlines
/// included, written as `\u{..}`.
pub fn escaped(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// A whole message or output for a terminal: as [`escaped`], but newlines and tabs, which
/// lay the output out, are kept.
pub fn escaped_output(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

fn escape_where(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Serialised JSON made safe for a terminal: serde_json escapes C0 controls but writes C1
/// controls and bidi overrides raw; these become `\uXXXX` (all are in the Basic Multilingual
/// Plane, so one escape each), which is the same JSON.
pub fn json_escaped(json: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c != '\n' && is_unsafe(c);
    if !json.chars().any(unsafe_char) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` cut to at most `max` characters, saying how much was left out: a value quoted in a
/// message is never echoed whole (a 100 MB line is not).
pub fn shortened(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => Cow::Owned(format!("{}… ({} more bytes)", &s[..cut], s.len() - cut)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_bidi_overrides_are_escaped() {
        let hostile = "Acme\u{1b}]52;c;aGk=\u{7}\u{9b}2J\u{202e}gnp.exe";
        let shown = escaped(hostile);
        assert!(!shown.chars().any(is_unsafe), "{shown:?}");
        assert!(shown.contains("\\u{1b}]52") && shown.contains("\\u{202e}"));
        assert_eq!(escaped("plain"), "plain");
    }

    #[test]
    fn output_keeps_its_lines() {
        assert_eq!(escaped_output("a\tb\nc\u{1b}"), "a\tb\nc\\u{1b}");
        assert_eq!(escaped("a\nb"), "a\\u{a}b");
    }

    #[test]
    fn json_stays_json() {
        let value = serde_json::json!({"name": "x\u{9b}y\u{202e}z\u{1b}"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_escaped(&text);
        assert!(!safe.chars().any(|c| c != '\n' && is_unsafe(c)), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn long_values_are_shortened() {
        let long = "x".repeat(1000);
        let short = shortened(&long, 10);
        assert_eq!(short, "xxxxxxxxxx… (990 more bytes)");
        assert_eq!(shortened("héllo", 10), "héllo");
    }
}
