//! The dashboard's "now" and time zone, for reading `today 14:00` and showing stored UTC times
//! as wall-clock text. The real local clock, or a fixed instant (tests and snapshots, so they
//! do not depend on the day or the machine's zone).

use chrono::{DateTime, FixedOffset, Local, NaiveDate, Utc};

use crate::store::human;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Clock {
    #[default]
    Local,
    Fixed(DateTime<FixedOffset>),
}

impl Clock {
    /// `text` as a UTC instant, read in this clock's zone (see `store::human::parse_when`).
    pub fn parse_when(&self, text: &str) -> Result<DateTime<Utc>, String> {
        match self {
            Clock::Local => human::parse_when(text, &Local::now()),
            Clock::Fixed(now) => human::parse_when(text, now),
        }
    }

    /// A stored UTC instant as wall-clock text that [`Clock::parse_when`] reads back.
    pub fn show(&self, t: DateTime<Utc>) -> String {
        match self {
            Clock::Local => human::format_when(t, &Local::now()),
            Clock::Fixed(now) => human::format_when(t, now),
        }
    }

    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::Local => Local::now().date_naive(),
            Clock::Fixed(now) => now.date_naive(),
        }
    }
}

impl Clock {
    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Local => Utc::now(),
            Clock::Fixed(now) => now.to_utc(),
        }
    }
}
