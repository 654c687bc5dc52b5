//! Calendar months: KPI values and health trends are monthly (seed 002: month, year).

use chrono::{Datelike, Days, NaiveDate};

/// A calendar month. Only [`YearMonth::new`] and [`YearMonth::of`] make one, so the year is
/// always 1..=9999 and the month 1..=12, and every date computed from it exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    /// The month, if `year` is 1..=9999 and `month` 1..=12 (what the schema's CHECKs allow).
    pub fn new(year: i64, month: i64) -> Option<YearMonth> {
        let year = i32::try_from(year)
            .ok()
            .filter(|y| (1..=9999).contains(y))?;
        let month = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        Some(YearMonth { year, month })
    }

    /// The month `date` falls in.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .expect("YearMonth holds a valid year and month")
    }

    pub fn last_day(self) -> NaiveDate {
        let next = self.next().first_day();
        next.checked_sub_days(Days::new(1)).unwrap_or(next)
    }

    pub fn prev(self) -> YearMonth {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                month: self.month - 1,
                ..self
            }
        }
    }

    pub fn next(self) -> YearMonth {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                month: self.month + 1,
                ..self
            }
        }
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_know_their_days_and_neighbours() {
        let feb = YearMonth::new(2028, 2).unwrap();
        assert_eq!(feb.first_day(), d(2028, 2, 1));
        assert_eq!(feb.last_day(), d(2028, 2, 29), "leap year");
        assert_eq!(
            YearMonth::new(2026, 12).unwrap().next().to_string(),
            "2027-01"
        );
        assert_eq!(
            YearMonth::new(2026, 1).unwrap().prev().to_string(),
            "2025-12"
        );
        assert_eq!(YearMonth::of(d(2026, 11, 21)).to_string(), "2026-11");
        assert!(YearMonth::new(2026, 13).is_none());
        assert!(YearMonth::new(2026, 0).is_none());
        assert!(YearMonth::new(0, 5).is_none());
        assert!(YearMonth::new(2026, 6) < YearMonth::new(2026, 7));
        assert!(YearMonth::new(2025, 12) < YearMonth::new(2026, 1));
    }
}
