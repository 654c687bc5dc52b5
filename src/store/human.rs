//! What people type, read into stored values: durations (`45m`, `1h5m`, `3900s`, `1:05:00`),
//! times (`2026-11-21 14:00`, `today 14:00`, `yesterday`, `now`) and days (`2026-11-21`,
//! `tomorrow`). Pure functions: "now" and the time zone come from the caller, so the
//! dashboard's forms, the importer and the tests all read a text the same way.
//!
//! `fields` holds the rules of stored values (a timestamp is `YYYY-MM-DDTHH:MM:SSZ`); this
//! module only turns friendlier text into them. Errors are reasons that read after the field
//! name, like `fields`' ("is not a duration (e.g. 45m, 1h5m, 3900s, 1:05:00)").

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

use super::fields;

/// Longest duration accepted: a call or meeting of more than a day is a typing mistake.
pub const MAX_DURATION_SECONDS: i64 = 24 * 3600;

const DURATION_HINT: &str = "is not a duration (e.g. 45m, 1h5m, 3900s, 1:05:00)";
const TIME_HINT: &str = "is not a time (e.g. 2026-11-21 14:00, today 14:00, yesterday, now)";
const DAY_HINT: &str = "is not a date (e.g. 2026-11-21, today, tomorrow)";

/// A duration in seconds. Accepts unit groups `1h5m`, `1h 5m`, `90s`, `2h` (units h, m, s,
/// in that order, each at most once), clock forms `H:MM:SS` and `M:SS`, and a bare number,
/// which is minutes (what people mean by "45" for a call).
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let s = text.trim().to_ascii_lowercase();
    if s.is_empty() {
        return Err(DURATION_HINT.to_owned());
    }
    if let Some(rest) = s.strip_prefix('-')
        && (clock_duration(rest).is_some()
            || unit_duration(rest).is_some()
            || rest.chars().all(|c| c.is_ascii_digit()) && !rest.is_empty())
    {
        return Err("must not be negative".to_owned());
    }
    let seconds = if s.contains(':') {
        clock_duration(&s)
    } else if s.chars().all(|c| c.is_ascii_digit()) {
        s.parse::<i64>().ok().and_then(|m| m.checked_mul(60))
    } else {
        unit_duration(&s)
    }
    .ok_or_else(|| DURATION_HINT.to_owned())?;
    if seconds > MAX_DURATION_SECONDS {
        return Err("is longer than 24 hours".to_owned());
    }
    Ok(seconds)
}

/// `H:MM:SS` or `M:SS` (minutes and seconds below 60 after the first part).
fn clock_duration(s: &str) -> Option<i64> {
    let parts: Vec<&str> = s.split(':').collect();
    let number = |p: &str| -> Option<i64> {
        (!p.is_empty() && p.len() <= 6 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let sixty = |p: &str| number(p).filter(|n| *n < 60 && p.len() == 2);
    match parts.as_slice() {
        [h, m, sec] => Some(number(h)? * 3600 + sixty(m)? * 60 + sixty(sec)?),
        [m, sec] => Some(number(m)? * 60 + sixty(sec)?),
        _ => None,
    }
}

/// `1h5m`, `1h 5m 30s`, `90s`, `2h`: units in descending order, each once.
fn unit_duration(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut digits = String::new();
    let mut last_unit = 0; // 3 = h, 2 = m, 1 = s: each unit must be smaller than the one before
    let mut any = false;
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' if digits.is_empty() => {}
            'h' | 'm' | 's' => {
                let (rank, factor) = match c {
                    'h' => (3, 3600),
                    'm' => (2, 60),
                    _ => (1, 1),
                };
                if digits.is_empty() || digits.len() > 6 || (last_unit != 0 && rank >= last_unit) {
                    return None;
                }
                let n: i64 = digits.parse().ok()?;
                total = total.checked_add(n.checked_mul(factor)?)?;
                digits.clear();
                last_unit = rank;
                any = true;
            }
            _ => return None,
        }
    }
    (any && digits.is_empty()).then_some(total)
}

/// A duration as people write it back: `45m`, `1h5m`, `90s`, `0m` (the inverse of
/// [`parse_duration`] for what it prints).
pub fn format_duration(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() && seconds > 0 {
        out.push_str(&format!("{s}s"));
    }
    if out.is_empty() {
        out.push_str("0m");
    }
    out
}

/// A time of day: `14:00`, `9:30`, `14:00:30`, `2pm`, `2:30pm`, `12am`.
pub fn parse_time_of_day(text: &str) -> Option<NaiveTime> {
    let s = text.trim().to_ascii_lowercase();
    let (clock, meridiem) = if let Some(c) = s.strip_suffix("am") {
        (c.trim(), Some(false))
    } else if let Some(c) = s.strip_suffix("pm") {
        (c.trim(), Some(true))
    } else {
        (s.as_str(), None)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let number = |p: &str, max: u32| -> Option<u32> {
        (!p.is_empty() && p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
            .filter(|n| *n <= max)
    };
    let (mut h, m, sec) = match parts.as_slice() {
        [h] if meridiem.is_some() => (number(h, 12)?, 0, 0),
        [h, m] if m.len() == 2 => (number(h, 23)?, number(m, 59)?, 0),
        [h, m, s] if m.len() == 2 && s.len() == 2 => {
            (number(h, 23)?, number(m, 59)?, number(s, 59)?)
        }
        _ => return None,
    };
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (h, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

/// A day word relative to `today`: `today`, `yesterday`, `tomorrow`.
fn day_word(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    match word {
        "today" => Some(today),
        "yesterday" => today.pred_opt(),
        "tomorrow" => today.succ_opt(),
        _ => None,
    }
}

/// A point in time, read in the time zone of `now`, returned in UTC (stored form).
///
/// * `now`
/// * `today`, `yesterday`, `tomorrow`, optionally followed by a time of day (`today 14:00`,
///   `yesterday 9:30am`); a day word alone keeps the time of day of `now` (`yesterday` is
///   24 hours ago)
/// * a time of day alone (`14:00`): today at that time
/// * `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM[:SS]`: local wall-clock time
/// * `YYYY-MM-DD`: local midnight
/// * RFC 3339 with an offset (`2026-11-21T14:00:00Z`): that instant, whatever the zone
pub fn parse_when<Tz: TimeZone>(text: &str, now: &DateTime<Tz>) -> Result<DateTime<Utc>, String> {
    let s = text.trim().to_ascii_lowercase();
    let zone = now.timezone();
    let local = |naive: NaiveDateTime| -> Result<DateTime<Utc>, String> {
        // in a DST gap there is no such wall-clock time; in an overlap take the earlier
        zone.from_local_datetime(&naive)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| "does not exist in this time zone (a daylight saving gap)".to_owned())
    };
    if s.is_empty() {
        return Err(TIME_HINT.to_owned());
    }
    if s == "now" {
        return Ok(now.with_timezone(&Utc));
    }
    let today = now.date_naive();
    let mut words = s.splitn(2, ' ');
    let first = words.next().unwrap_or_default();
    let rest = words.next().map(str::trim);
    if let Some(day) = day_word(first, today) {
        let time = match rest {
            None => now.time(),
            Some(t) => parse_time_of_day(t).ok_or_else(|| TIME_HINT.to_owned())?,
        };
        return local(day.and_time(time));
    }
    if let Some(time) = parse_time_of_day(&s) {
        return local(today.and_time(time));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(day) = NaiveDate::parse_from_str(first, "%Y-%m-%d") {
        let time = match rest {
            None => NaiveTime::MIN,
            Some(t) => parse_time_of_day(t).ok_or_else(|| TIME_HINT.to_owned())?,
        };
        return local(day.and_time(time));
    }
    for format in ["%Y-%m-%dt%H:%M:%S", "%Y-%m-%dt%H:%M"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&s, format) {
            return local(naive);
        }
    }
    Err(TIME_HINT.to_owned())
}

/// A stored UTC instant as the wall-clock text [`parse_when`] reads back:
/// `2026-11-21 14:00` in the zone of `now`.
pub fn format_when<Tz: TimeZone>(t: DateTime<Utc>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let local = t.with_timezone(&now.timezone());
    if local.format("%S").to_string() == "00" {
        local.format("%Y-%m-%d %H:%M").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// A calendar day: `YYYY-MM-DD`, or `today`, `yesterday`, `tomorrow` relative to `today`.
pub fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let s = text.trim().to_ascii_lowercase();
    if let Some(day) = day_word(&s, today) {
        return Ok(day);
    }
    fields::parse_date(&s).map_err(|_| DAY_HINT.to_owned())
}

/// Whole minutes of a duration, for columns kept in minutes (`meetings.duration`); a part
/// minute counts as a minute (a 30-second meeting still took place).
pub fn minutes(seconds: i64) -> i64 {
    (seconds + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// Thursday 2026-11-19 16:45:10 in UTC+01:00.
    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-19T16:45:10+01:00").unwrap()
    }

    #[test]
    fn durations_in_every_accepted_form() {
        for (text, seconds) in [
            ("45m", 2700),
            ("1h5m", 3900),
            ("1h 5m", 3900),
            ("1H05M", 3900),
            ("3900s", 3900),
            ("1:05:00", 3900),
            ("0:45:30", 2730),
            ("12:30", 750),
            ("2h", 7200),
            ("1h30s", 3630),
            (" 45 ", 2700),
            ("0m", 0),
            ("24h", 86_400),
        ] {
            assert_eq!(parse_duration(text), Ok(seconds), "{text}");
        }
    }

    #[test]
    fn durations_refuse_what_is_not_one() {
        for text in [
            "",
            "m",
            "45 minutes",
            "5m1h",
            "1h1h",
            "1:5",
            "1:60:00",
            "1:05:00:00",
            "1.5h",
            "h5",
            "5m 3",
            ":30",
        ] {
            let e = parse_duration(text).unwrap_err();
            assert!(e.starts_with("is not a duration"), "{text}: {e}");
        }
        assert_eq!(
            parse_duration("25h").unwrap_err(),
            "is longer than 24 hours"
        );
        assert!(parse_duration("99999999999999h").is_err());
        for text in ["-5m", "-1:05:00", "-30"] {
            assert_eq!(
                parse_duration(text).unwrap_err(),
                "must not be negative",
                "{text}: a duration, but below zero"
            );
        }
    }

    #[test]
    fn durations_print_as_they_are_typed() {
        for seconds in [0, 30, 60, 2700, 3600, 3900, 3630, 86_400] {
            let text = format_duration(seconds);
            assert_eq!(parse_duration(&text), Ok(seconds), "{seconds} → {text}");
        }
        assert_eq!(format_duration(3900), "1h5m");
        assert_eq!(format_duration(2700), "45m");
    }

    #[test]
    fn relative_times_read_in_the_zone_of_now() {
        let now = now();
        for (text, utc) in [
            ("now", "2026-11-19T15:45:10Z"),
            ("today 14:00", "2026-11-19T13:00:00Z"),
            ("Today 2pm", "2026-11-19T13:00:00Z"),
            ("yesterday", "2026-11-18T15:45:10Z"),
            ("yesterday 9:30", "2026-11-18T08:30:00Z"),
            ("tomorrow 12am", "2026-11-19T23:00:00Z"),
            ("14:00", "2026-11-19T13:00:00Z"),
            ("2026-11-21 14:00", "2026-11-21T13:00:00Z"),
            ("2026-11-21T14:00", "2026-11-21T13:00:00Z"),
            ("2026-11-21 14:00:30", "2026-11-21T13:00:30Z"),
            ("2026-11-21", "2026-11-20T23:00:00Z"),
            ("2026-11-21T14:00:00Z", "2026-11-21T14:00:00Z"),
            ("2026-11-21T14:00:00-05:00", "2026-11-21T19:00:00Z"),
        ] {
            assert_eq!(parse_when(text, &now), Ok(at(utc)), "{text}");
        }
    }

    #[test]
    fn relative_times_refuse_nonsense() {
        let now = now();
        for text in [
            "",
            "later",
            "today 25:00",
            "yesterday at 9",
            "2026-13-01",
            "2026-11-21 9",
            "13pm",
            "21/11/2026",
        ] {
            let e = parse_when(text, &now).unwrap_err();
            assert!(e.starts_with("is not a time"), "{text}: {e}");
        }
    }

    #[test]
    fn wall_clock_text_round_trips() {
        let now = now();
        for utc in ["2026-11-21T13:00:00Z", "2026-06-01T08:15:30Z"] {
            let shown = format_when(at(utc), &now);
            assert_eq!(parse_when(&shown, &now), Ok(at(utc)), "{shown}");
        }
        assert_eq!(
            format_when(at("2026-11-21T13:00:00Z"), &now),
            "2026-11-21 14:00"
        );
    }

    #[test]
    fn days_and_day_words() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 19).unwrap();
        assert_eq!(parse_day("today", today), Ok(today));
        assert_eq!(
            parse_day("Tomorrow", today),
            Ok(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
        );
        assert_eq!(
            parse_day("2027-01-31", today),
            Ok(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap())
        );
        assert!(
            parse_day("31/01/2027", today)
                .unwrap_err()
                .starts_with("is not a date")
        );
        assert!(parse_day("2027-02-30", today).is_err());
    }

    #[test]
    fn part_minutes_round_up() {
        assert_eq!(minutes(0), 0);
        assert_eq!(minutes(30), 1);
        assert_eq!(minutes(3900), 65);
    }
}
