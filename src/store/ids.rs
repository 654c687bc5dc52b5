//! Identifiers and clock values in the store's one textual form.
//!
//! Ids are UUIDv7: time-ordered, so new rows append to the end of the id index instead of
//! landing at random pages (measurably faster bulk loads), and still plain 36-char UUID text.
//! Timestamps are UTC, `YYYY-MM-DDTHH:MM:SSZ`; a value that came with a fraction of a second
//! (an import from PostgreSQL) keeps it as six digits, `YYYY-MM-DDTHH:MM:SS.ffffffZ`
//! (docs/schema.md, "Times", says how these sort).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// A fresh UUIDv7 as lowercase hyphenated text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// True if `s` is a UUID in the canonical lowercase hyphenated form the store uses.
pub fn is_canonical_uuid(s: &str) -> bool {
    s.len() == 36 && uuid::Uuid::parse_str(s).is_ok_and(|u| u.hyphenated().to_string() == s)
}

/// The store's timestamp text for an instant (seconds precision, `Z`).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The store's text for an instant that keeps its fraction of a second (to the microsecond,
/// PostgreSQL's precision): whole seconds are written as [`timestamp`] writes them, so values
/// without a fraction are unchanged; any other gets exactly six digits, so that two fractions
/// of the same second sort as text.
pub fn timestamp_precise(t: DateTime<Utc>) -> String {
    use chrono::Timelike;
    let micros = t.nanosecond() / 1_000;
    match t.with_nanosecond(micros * 1_000) {
        Some(t) if micros != 0 => t.to_rfc3339_opts(SecondsFormat::Micros, true),
        _ => timestamp(t),
    }
}

/// Now, as store timestamp text.
pub fn now() -> String {
    timestamp(Utc::now())
}

/// The store's date text.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn ids_are_canonical_and_time_ordered() {
        let a = new_id();
        let b = new_id();
        assert!(is_canonical_uuid(&a), "{a}");
        assert!(a < b, "v7 ids sort by creation: {a} !< {b}");
        assert!(!is_canonical_uuid("not-a-uuid"));
        assert!(!is_canonical_uuid(&a.to_uppercase()));
    }

    #[test]
    fn timestamps_have_seconds_and_z() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 14, 3, 0).unwrap();
        assert_eq!(timestamp(t), "2026-11-21T14:03:00Z");
        let with_nanos = t + chrono::Duration::milliseconds(250);
        assert_eq!(timestamp(with_nanos), "2026-11-21T14:03:00Z");
    }

    #[test]
    fn precise_timestamps_keep_microseconds_and_leave_whole_seconds_alone() {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 14, 3, 0).unwrap();
        assert_eq!(timestamp_precise(t), "2026-11-21T14:03:00Z");
        let half = t + chrono::Duration::milliseconds(500);
        assert_eq!(timestamp_precise(half), "2026-11-21T14:03:00.500000Z");
        // below PostgreSQL's microsecond there is nothing to keep
        let nanos = t + chrono::Duration::nanoseconds(999);
        assert_eq!(timestamp_precise(nanos), "2026-11-21T14:03:00Z");
        // six digits always: two fractions of one second sort as text
        let a = timestamp_precise(t + chrono::Duration::microseconds(90_000));
        let b = timestamp_precise(t + chrono::Duration::microseconds(500_000));
        assert!(a < b, "{a} !< {b}");
    }
}

/// An instant stored as `YYYY-MM-DDTHH:MM:SSZ` (serde included), for typed records.
/// Whole seconds only, like the store, so a record equals itself read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    pub fn new(t: DateTime<Utc>) -> Self {
        use chrono::Timelike;
        Timestamp(t.with_nanosecond(0).unwrap_or(t))
    }

    pub fn now() -> Self {
        Timestamp::new(Utc::now())
    }

    pub fn get(self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(t: DateTime<Utc>) -> Self {
        Timestamp::new(t)
    }
}

impl std::fmt::Display for Timestamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&timestamp(self.0))
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&timestamp(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| Timestamp::new(t.with_timezone(&Utc)))
            .map_err(serde::de::Error::custom)
    }
}
