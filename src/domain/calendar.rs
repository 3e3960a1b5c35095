//! The school-day calendar: weekends, England and Wales bank holidays, term dates and
//! closure days. Pure date arithmetic; the time zone is applied by the caller.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// One term (or half-term block) of school days, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchoolCalendar {
    /// When empty, every weekday that is not a holiday or closure counts as a school day.
    pub terms: Vec<Term>,
    /// INSET days and other closures.
    pub closures: Vec<NaiveDate>,
    /// Bank holidays beyond the built-in ones (a new special day, say).
    pub extra_holidays: Vec<NaiveDate>,
}

/// How far ahead we look for a school day before giving up (a summer holiday is ~6 weeks).
const SEARCH_LIMIT_DAYS: u64 = 120;

impl SchoolCalendar {
    pub fn is_school_day(&self, day: NaiveDate) -> bool {
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if is_bank_holiday(day)
            || self.extra_holidays.contains(&day)
            || self.closures.contains(&day)
        {
            return false;
        }
        self.terms.is_empty() || self.terms.iter().any(|t| t.start <= day && day <= t.end)
    }

    /// The day itself when it is a school day, else the next one. Falls back to the day given
    /// when the calendar has no school day within the search window (terms not yet entered).
    pub fn on_or_after(&self, day: NaiveDate) -> NaiveDate {
        (0..SEARCH_LIMIT_DAYS)
            .filter_map(|n| day.checked_add_days(Days::new(n)))
            .find(|d| self.is_school_day(*d))
            .unwrap_or(day)
    }

    /// The date `n` school days after `day` (not counting `day`).
    pub fn add_school_days(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut current = day;
        let mut left = n;
        let mut guard = 0;
        while left > 0 && guard < 3 * SEARCH_LIMIT_DAYS * (1 + u64::from(n) / 5) {
            guard += 1;
            current = current.succ_opt().unwrap_or(current);
            if self.is_school_day(current) {
                left -= 1;
            }
        }
        current
    }

    /// School days strictly after `from` up to and including `to`.
    pub fn school_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|d| *d <= to)
            .filter(|d| self.is_school_day(*d))
            .count() as u32
    }
}

/// England and Wales bank holidays, computed from the rules that produce the published
/// list (substitute days included). Special one-off days are added through config.
pub fn is_bank_holiday(day: NaiveDate) -> bool {
    // Every school-day count asks this for each day it passes: most months have none.
    matches!(day.month(), 1 | 3 | 4 | 5 | 8 | 12) && bank_holidays(day.year()).contains(&day)
}

pub fn bank_holidays(year: i32) -> [NaiveDate; 8] {
    let date = |m, d| NaiveDate::from_ymd_opt(year, m, d).expect("valid fixed date");
    let easter = easter_sunday(year);
    let christmas = date(12, 25);
    let (christmas_off, boxing_off) = match christmas.weekday() {
        Weekday::Fri => (christmas, date(12, 28)),
        Weekday::Sat => (date(12, 27), date(12, 28)),
        Weekday::Sun => (date(12, 27), date(12, 26)),
        _ => (christmas, date(12, 26)),
    };
    [
        weekday_substitute(date(1, 1)),
        easter - Days::new(2),
        easter + Days::new(1),
        first_monday(year, 5),
        last_monday(year, 5),
        last_monday(year, 8),
        christmas_off,
        boxing_off,
    ]
}

fn weekday_substitute(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + Days::new(2),
        Weekday::Sun => day + Days::new(1),
        _ => day,
    }
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
        .expect("every month has a Monday")
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5).unwrap_or_else(|| {
        NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4).expect("four Mondays")
    })
}

/// Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).expect("Easter is a real date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn bank_holidays_match_the_published_lists() {
        // gov.uk lists for England and Wales.
        assert_eq!(
            bank_holidays(2025),
            [
                d(2025, 1, 1),
                d(2025, 4, 18),
                d(2025, 4, 21),
                d(2025, 5, 5),
                d(2025, 5, 26),
                d(2025, 8, 25),
                d(2025, 12, 25),
                d(2025, 12, 26)
            ]
        );
        assert_eq!(
            bank_holidays(2026),
            [
                d(2026, 1, 1),
                d(2026, 4, 3),
                d(2026, 4, 6),
                d(2026, 5, 4),
                d(2026, 5, 25),
                d(2026, 8, 31),
                d(2026, 12, 25),
                d(2026, 12, 28)
            ]
        );
        assert_eq!(
            bank_holidays(2027),
            [
                d(2027, 1, 1),
                d(2027, 3, 26),
                d(2027, 3, 29),
                d(2027, 5, 3),
                d(2027, 5, 31),
                d(2027, 8, 30),
                d(2027, 12, 27),
                d(2027, 12, 28)
            ]
        );
        assert_eq!(bank_holidays(2028)[0], d(2028, 1, 3));
    }

    #[test]
    fn a_review_on_a_bank_holiday_moves_to_the_next_school_day() {
        let cal = SchoolCalendar::default();
        // Spring bank holiday 2026 is Monday 25 May.
        assert_eq!(cal.on_or_after(d(2026, 5, 25)), d(2026, 5, 26));
        // Saturday to Monday.
        assert_eq!(cal.on_or_after(d(2026, 3, 7)), d(2026, 3, 9));
    }

    #[test]
    fn half_term_is_skipped_when_terms_are_configured() {
        let cal = SchoolCalendar {
            terms: vec![
                Term {
                    start: d(2026, 1, 5),
                    end: d(2026, 2, 13),
                },
                Term {
                    start: d(2026, 2, 23),
                    end: d(2026, 3, 27),
                },
            ],
            closures: vec![d(2026, 2, 23)],
            extra_holidays: vec![],
        };
        assert_eq!(cal.on_or_after(d(2026, 2, 16)), d(2026, 2, 24));
        assert_eq!(cal.add_school_days(d(2026, 2, 12), 2), d(2026, 2, 24));
        assert_eq!(cal.school_days_between(d(2026, 2, 12), d(2026, 2, 24)), 2);
    }
}
