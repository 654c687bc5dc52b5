//! Event times as seconds since the epoch. The store writes `YYYY-MM-DDTHH:MM:SSZ` (ids.rs);
//! that form is read by hand (ten million events: chrono's general parser would be a third
//! of the mining time); any other RFC 3339 time, `YYYY-MM-DD HH:MM:SS` and a bare date are
//! read by chrono. Fractions of a second are dropped (cycle times are in seconds).

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Seconds since 1970-01-01T00:00:00Z, or `None` if `s` is no time cscx reads.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    fast(s.as_bytes()).or_else(|| slow(s))
}

/// Store form, with an optional fraction: `2026-11-21T14:03:00Z`, `...:00.250000Z`.
fn fast(b: &[u8]) -> Option<i64> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let rest = &b[19..b.len() - 1];
    if !(rest.is_empty() || (rest[0] == b'.' && rest[1..].iter().all(u8::is_ascii_digit))) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

fn slow(s: &str) -> Option<i64> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.timestamp());
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        return Some(t.and_utc().timestamp());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp())
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The store's text for seconds since the epoch.
pub fn format(t: i64) -> String {
    DateTime::from_timestamp(t, 0)
        .map(crate::store::ids::timestamp)
        .unwrap_or_else(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_agrees_with_chrono() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2026-11-21T14:03:00Z",
            "2024-02-29T23:59:59Z",
            "2000-03-01T00:00:00.250000Z",
            "1969-12-31T23:59:59Z",
        ] {
            let chrono = DateTime::parse_from_rfc3339(s).unwrap().timestamp();
            assert_eq!(fast(s.as_bytes()), Some(chrono), "{s}");
        }
    }

    #[test]
    fn other_forms_and_nonsense() {
        assert_eq!(
            parse_timestamp("2026-11-21T15:03:00+01:00"),
            Some(1_795_269_780)
        );
        assert_eq!(parse_timestamp("2026-11-21 14:03:00"), Some(1_795_269_780));
        assert_eq!(parse_timestamp("2026-11-21"), Some(1_795_219_200));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2026-11-21T24:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!(format(1_795_269_780), "2026-11-21T14:03:00Z");
    }
}
