//! Time in generated data: everything is placed relative to one as-of day, so the same seed
//! and as-of give the same bytes whatever day the generator runs.
//!
//! Instants are Unix seconds (`i64`) while generating and become the store's text forms
//! (`YYYY-MM-DDTHH:MM:SSZ`, `YYYY-MM-DD`) only when bound, written into fixed stack buffers:
//! tens of millions of rows carry timestamps, and a `String` per timestamp would be most of
//! the allocations of a run.

use chrono::{DateTime, Datelike, NaiveDate, Timelike};
use rusqlite::ToSql;
use rusqlite::types::{ToSqlOutput, ValueRef};

pub const MINUTE: i64 = 60;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// The generator's "now": the start (00:00:00 UTC) of the as-of day. Past events happen
/// before it, scheduled ones after it.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: i64,
    /// The as-of month as a month number (`year * 12 + month - 1`).
    pub month: i64,
}

impl Clock {
    pub fn new(as_of: NaiveDate) -> Clock {
        let now = as_of
            .and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp());
        Clock {
            now,
            month: month_number(as_of.year(), as_of.month()),
        }
    }
}

/// `year * 12 + month - 1`: months as consecutive integers.
pub fn month_number(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// (year, month 1-12) of a month number.
pub fn year_month(month: i64) -> (i64, i64) {
    (month.div_euclid(12), month.rem_euclid(12) + 1)
}

/// The first instant (00:00:00 UTC on the 1st) of a month number.
pub fn month_start(month: i64) -> i64 {
    let (y, m) = year_month(month);
    // month numbers come from real dates, so these always exist
    NaiveDate::from_ymd_opt(y as i32, m as u32, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(0, |t| t.and_utc().timestamp())
}

/// The month number an instant falls in.
pub fn month_of(secs: i64) -> i64 {
    let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
    month_number(t.year(), t.month())
}

/// The quarter's first month (Jan, Apr, Jul, Oct) of a month number.
pub fn quarter_start(month: i64) -> i64 {
    month - month.rem_euclid(3)
}

fn put2(out: &mut [u8], v: u32) {
    out[0] = b'0' + (v / 10 % 10) as u8;
    out[1] = b'0' + (v % 10) as u8;
}

fn put_date(out: &mut [u8], t: &DateTime<chrono::Utc>) {
    let y = t.year().clamp(0, 9999) as u32;
    put2(&mut out[0..2], y / 100);
    put2(&mut out[2..4], y % 100);
    out[4] = b'-';
    put2(&mut out[5..7], t.month());
    out[7] = b'-';
    put2(&mut out[8..10], t.day());
}

/// A timestamp as the store writes it, `YYYY-MM-DDTHH:MM:SSZ`, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Ts([u8; 20]);

impl Ts {
    pub fn new(secs: i64) -> Ts {
        let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
        let mut b = *b"0000-00-00T00:00:00Z";
        put_date(&mut b[..10], &t);
        put2(&mut b[11..13], t.hour());
        put2(&mut b[14..16], t.minute());
        put2(&mut b[17..19], t.second());
        Ts(b)
    }

    pub fn as_str(&self) -> &str {
        // only ASCII digits and separators are ever written
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

/// A date as the store writes it, `YYYY-MM-DD`, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Day([u8; 10]);

impl Day {
    pub fn new(secs: i64) -> Day {
        let t = DateTime::from_timestamp(secs, 0).unwrap_or_default();
        let mut b = *b"0000-00-00";
        put_date(&mut b, &t);
        Day(b)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("")
    }
}

impl std::fmt::Display for Ts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for Ts {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

impl ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(&self.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ids;

    #[test]
    fn timestamps_match_the_store_format() {
        for secs in [0, 951_782_400, 1_700_000_123, 1_798_761_599, 4_102_444_800] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            assert_eq!(Ts::new(secs).as_str(), ids::timestamp(t), "{secs}");
            assert_eq!(Day::new(secs).as_str(), ids::date(t.date_naive()), "{secs}");
        }
    }

    #[test]
    fn months_are_consecutive_numbers() {
        let m = month_number(2026, 1);
        assert_eq!(year_month(m - 1), (2025, 12));
        assert_eq!(year_month(m + 13), (2027, 2));
        assert_eq!(Day::new(month_start(m - 1)).as_str(), "2025-12-01");
        assert_eq!(month_of(month_start(m) + 5 * DAY), m);
        assert_eq!(month_of(month_start(m) - 1), m - 1);
        assert_eq!(quarter_start(month_number(2026, 5)), month_number(2026, 4));
        assert_eq!(quarter_start(month_number(2026, 3)), month_number(2026, 1));
    }

    #[test]
    fn now_is_the_start_of_the_as_of_day() {
        let c = Clock::new(NaiveDate::from_ymd_opt(2026, 3, 15).unwrap());
        assert_eq!(Ts::new(c.now).as_str(), "2026-03-15T00:00:00Z");
        assert_eq!(year_month(c.month), (2026, 3));
        assert_eq!(Day::new(c.now - DAY).as_str(), "2026-03-14");
    }
}
