//! The partnership a case lives in: its schools, policy, checklist and calendar. Pure data,
//! built from config; the domain reads it and never changes it.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::calendar::SchoolCalendar;
use super::checklist::Checklist;
use super::ids::SchoolKey;
use super::policy::{Policy, WeekCounting};
use super::refusal::Refusal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct School {
    pub key: SchoolKey,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Partnership {
    pub name: String,
    pub schools: Vec<School>,
    pub policy: Policy,
    pub checklist: Checklist,
    pub calendar: SchoolCalendar,
    pub timezone: Tz,
    /// `[documents]`: wording and school details for the parent's copy and the notice.
    pub documents: super::family::DocumentWording,
    /// `[privacy]`: what may be sent to Discord.
    pub privacy: super::privacy::Privacy,
}

/// The normal school day, for meetings "within the normal school day".
pub const SCHOOL_DAY_START: (u32, u32) = (8, 0);
pub const SCHOOL_DAY_END: (u32, u32) = (17, 0);

impl Partnership {
    pub fn school(&self, key: &SchoolKey) -> Result<&School, Refusal> {
        self.schools.iter().find(|s| &s.key == key).ok_or_else(|| {
            let known: Vec<&str> = self.schools.iter().map(|s| s.key.as_str()).collect();
            Refusal::invalid_owned(
                "school",
                format!(
                    "Unknown school `{key}`. Choose one of: {}.",
                    known.join(", ")
                ),
            )
        })
    }

    /// The school's display name, or its key if config no longer lists it.
    pub fn school_name(&self, key: &SchoolKey) -> String {
        self.school(key)
            .map(|s| s.name.clone())
            .unwrap_or_else(|_| key.to_string())
    }

    /// The local date in the partnership's time zone.
    pub fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        now.with_timezone(&self.timezone).date_naive()
    }

    /// A local date and time as an instant (the earlier one when clocks go back, the first
    /// valid minute when clocks go forward).
    pub fn instant(&self, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
        let local = day.and_time(time);
        match self.timezone.from_local_datetime(&local) {
            chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
            chrono::LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
            chrono::LocalResult::None => {
                let later = local + chrono::Duration::hours(1);
                self.timezone
                    .from_local_datetime(&later)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_else(|| Utc.from_utc_datetime(&local))
            }
        }
    }

    /// Midpoint and final review dates for a placement, moved onto school days.
    pub fn review_dates(&self, start: NaiveDate, weeks: u8) -> (NaiveDate, NaiveDate) {
        let cal = &self.calendar;
        match self.policy.week_counting {
            WeekCounting::Calendar => {
                let days = u64::from(weeks) * 7;
                let mid = (days as f64 * self.policy.review_at).round() as u64;
                (
                    cal.on_or_after(start + Days::new(mid)),
                    cal.on_or_after(start + Days::new(days)),
                )
            }
            WeekCounting::School => {
                let days = u32::from(weeks) * 5;
                let mid = (f64::from(days) * self.policy.review_at).round() as u32;
                let start = cal.on_or_after(start);
                (
                    cal.add_school_days(start, mid),
                    cal.add_school_days(start, days),
                )
            }
        }
    }
}
