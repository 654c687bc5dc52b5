//! Text from the database made safe and short for a terminal cell.
//!
//! Anything a customer name, a note or an agent message holds reaches the screen only through
//! [`clean`]: control characters (C0, DEL, C1) become visible control pictures (`␛` for ESC),
//! so no escape sequence in the data can move the cursor, clear the screen or retitle the
//! window; bidirectional overrides (the "Trojan source" trick) are dropped.

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// `s` with every control character replaced by its visible picture, on one line
/// (newlines and tabs become spaces).
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_replacing) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter_map(replace).collect())
}

/// The lines of a multi-line text, each cleaned.
pub fn clean_lines(s: &str) -> Vec<String> {
    s.split('\n').map(|l| clean(l).into_owned()).collect()
}

fn needs_replacing(c: char) -> bool {
    crate::sanitize::is_unsafe(c)
}

fn replace(c: char) -> Option<char> {
    match c {
        '\n' | '\t' | '\r' => Some(' '),
        // what is left unsafe and not a control: a bidi override or isolate
        c if !c.is_control() && crate::sanitize::is_unsafe(c) => None,
        // C0 controls have pictures at U+2400 + code (␀ ... ␟), DEL at U+2421
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        // C1 controls (U+0080-U+009F) include CSI: show a replacement character
        c if c.is_control() => Some('\u{FFFD}'),
        c => Some(c),
    }
}

/// The display width of `s` in terminal columns.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// `s` cut to at most `max` columns, with `…` when it was cut.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` (one line, already cleaned) broken at spaces into lines of at most `max` columns, the
/// lines after the first starting with `indent`. A word longer than a line is cut where the
/// line ends and goes on in the next. Used for prose (notes, messages, explanations) so that
/// text never wraps mid-word or under the left edge of what it belongs to.
pub fn wrap(s: &str, max: usize, indent: &str) -> Vec<String> {
    // an indent that leaves no room for text is dropped
    let indent = if width(indent) < max { indent } else { "" };
    let iw = width(indent);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    // the column where the current line's text starts (after the indent)
    let mut start = 0;
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        if used > start {
            if used + 1 + width(word) <= max {
                line.push(' ');
                used += 1;
            } else {
                lines.push(std::mem::take(&mut line));
                line.push_str(indent);
                (used, start) = (iw, iw);
            }
        }
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > max && used > start {
                lines.push(std::mem::take(&mut line));
                line.push_str(indent);
                (used, start) = (iw, iw);
            }
            line.push(c);
            used += cw;
        }
    }
    if used > start || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Money in cents as a person reads it in a narrow column: `$1.25M`, `$120k`, `$950`.
pub fn money(cents: Option<i64>) -> String {
    let Some(cents) = cents else {
        return "—".into();
    };
    let dollars = cents as f64 / 100.0;
    if dollars >= 1_000_000_000.0 {
        format!("${:.2}B", dollars / 1e9)
    } else if dollars >= 1_000_000.0 {
        format!("${:.2}M", dollars / 1e6)
    } else if dollars >= 10_000.0 {
        format!("${:.0}k", dollars / 1e3)
    } else if dollars >= 1_000.0 {
        format!("${:.1}k", dollars / 1e3)
    } else {
        format!("${dollars:.0}")
    }
}

/// A score (or any 0-100 figure) as a whole number, rounded half up: 16.5 shows as 17, as
/// `customers.health_score` stores it (`health::overall::whole`). Rust's `{:.0}` rounds an
/// exact half to even (16.5 → "16"), so a score formatted that way could disagree with the
/// same score in the customer list by a point.
pub fn score(v: f64) -> String {
    crate::health::overall::whole(v).to_string()
}

/// A figure to one decimal, rounded half up like the health engine rounds its tenths
/// (`health::round_tenth`), not half to even as `{:.1}` would.
pub fn tenth(v: f64) -> String {
    format!("{:.1}", crate::health::round_tenth(v))
}

/// A count with thousands separators: `1,000,000`.
pub fn count(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A count and its noun, singular or plural as the count says: `1 deal`, `0 deals`,
/// `1,200 deals`.
pub fn counted(n: i64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// The date part of a stored timestamp (`2026-11-21T14:03:00Z` → `2026-11-21`).
pub fn date(ts: &str) -> &str {
    ts.get(..10).unwrap_or(ts)
}

/// `2026-11-21 14:03` from a stored timestamp.
pub fn minute(ts: &str) -> String {
    match (ts.get(..10), ts.get(11..16)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => ts.to_owned(),
    }
}

/// Seconds as `45m`, `12m 30s`, `1h05m`, `30s`: below an hour the seconds are shown when
/// there are any (a call of 12:30 is not a call of 12 minutes); above, to the minute.
pub fn duration(seconds: Option<i64>) -> String {
    match seconds {
        None => "—".into(),
        Some(s) if s < 60 => format!("{s}s"),
        Some(s) if s < 3600 && s % 60 != 0 => format!("{}m {}s", s / 60, s % 60),
        Some(s) if s < 3600 => format!("{}m", s / 60),
        Some(s) => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
    }
}

/// A stored enumeration value as a label: `closed_won` → `closed won`.
pub fn label(value: &str) -> String {
    value.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_and_inert() {
        let dirty = "Acme\x1b[2J\x07\u{9b}31m\u{202E}evil\r\n";
        let shown = clean(dirty);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert_eq!(shown, "Acme␛[2J␇\u{FFFD}31mevil  ");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("Zürich AG", 20), "Zürich AG");
        assert_eq!(truncate("Zürich Versicherung", 8), "Zürich …");
        assert_eq!(truncate("日本語テキスト", 5), "日本…");
        assert_eq!(width(&truncate("日本語テキスト", 5)), 5);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_indents_what_follows() {
        assert_eq!(
            wrap("the quick brown fox jumps", 10, "  "),
            vec!["the quick", "  brown", "  fox", "  jumps"]
        );
        assert_eq!(wrap("short", 10, "  "), vec!["short"]);
        assert_eq!(wrap("", 10, "  "), vec![""]);
        // a word longer than the line is cut and goes on
        assert_eq!(wrap("abcdefghij", 4, " "), vec!["abcd", " efg", " hij"]);
        for l in wrap("Zürich Réassurance Versicherungsgesellschaft AG", 12, "  ") {
            assert!(width(&l) <= 12, "{l}");
        }
    }

    #[test]
    fn money_and_counts_read_at_a_glance() {
        assert_eq!(money(Some(125_000_000)), "$1.25M");
        assert_eq!(money(Some(12_000_000)), "$120k");
        assert_eq!(money(Some(150_000)), "$1.5k");
        assert_eq!(money(Some(95_000)), "$950");
        assert_eq!(money(None), "—");
        assert_eq!(count(1_000_000), "1,000,000");
        assert_eq!(count(999), "999");
        assert_eq!(duration(Some(3900)), "1h05m");
        assert_eq!(duration(Some(750)), "12m 30s", "12:30 is not 12 minutes");
        assert_eq!(duration(Some(3930)), "1h05m");
        assert_eq!(duration(Some(45)), "45s");
        assert_eq!(counted(1, "deal", "deals"), "1 deal");
        assert_eq!(counted(0, "deal", "deals"), "0 deals");
        assert_eq!(counted(1_200, "call", "calls"), "1,200 calls");
    }

    #[test]
    fn scores_round_half_up_like_the_stored_score() {
        // `{:.0}` would say 16 and 12 (half to even)
        assert_eq!(score(16.5), "17");
        assert_eq!(score(12.5), "13");
        assert_eq!(score(16.4), "16");
        assert_eq!(score(0.0), "0");
        assert_eq!(score(99.95), "100");
        for tenths in 0..=1000 {
            let v = f64::from(tenths) / 10.0;
            assert_eq!(
                score(v),
                crate::health::overall::whole(v).to_string(),
                "{v}"
            );
        }
        assert_eq!(tenth(16.25), "16.3");
        assert_eq!(tenth(0.05), "0.1");
        assert_eq!(tenth(61.7), "61.7");
    }
}
