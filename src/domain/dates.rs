//! A case's calendar: the initial meeting, the start, the reviews and the end of the
//! placement, as the agreement fixed them (already moved onto school days).

use chrono::{DateTime, Days, NaiveDate, Utc};

use super::case::{Agreement, Case, ReviewKind};
use super::partnership::Partnership;
use super::policy::WeekCounting;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateKind {
    InitialMeeting,
    Start,
    MidpointReview,
    FinalReview,
    PlacementEnd,
}

impl DateKind {
    pub fn label(self) -> &'static str {
        match self {
            DateKind::InitialMeeting => "Initial meeting",
            DateKind::Start => "Placement starts",
            DateKind::MidpointReview => "Midpoint review",
            DateKind::FinalReview => "Final review",
            DateKind::PlacementEnd => "Placement ends",
        }
    }

    /// Stable within a case, so a calendar app updates an event instead of adding another.
    pub fn slug(self) -> &'static str {
        match self {
            DateKind::InitialMeeting => "initial-meeting",
            DateKind::Start => "start",
            DateKind::MidpointReview => "midpoint-review",
            DateKind::FinalReview => "final-review",
            DateKind::PlacementEnd => "end",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDate {
    pub what: DateKind,
    /// The local date.
    pub day: NaiveDate,
    /// The instant, for things with a time of day (the meeting).
    pub at: Option<DateTime<Utc>>,
    /// Already held or recorded.
    pub done: bool,
}

/// The case's dates in date order. Closed cases keep theirs (for the record).
pub fn case_dates(case: &Case, p: &Partnership) -> Vec<CaseDate> {
    let mut dates = Vec::new();
    if let Some(m) = &case.meeting {
        dates.push(CaseDate {
            what: DateKind::InitialMeeting,
            day: p.today(m.at),
            at: Some(m.at),
            // Held by the time the move starts (the record keeps no separate "held").
            done: case.started_on.is_some(),
        });
    }
    if let Some(a) = &case.agreement {
        let date = |what, day, done| CaseDate {
            what,
            day,
            at: None,
            done,
        };
        let held = |k| case.review(k).is_some();
        let start = case.started_on.unwrap_or(a.terms.start);
        dates.push(date(DateKind::Start, start, case.started_on.is_some()));
        dates.push(date(
            DateKind::MidpointReview,
            a.midpoint_review,
            held(ReviewKind::Midpoint),
        ));
        dates.push(date(
            DateKind::FinalReview,
            a.final_review,
            held(ReviewKind::Final),
        ));
        dates.push(date(
            DateKind::PlacementEnd,
            placement_end(a, p),
            case.outcome.is_some(),
        ));
    }
    dates.sort_by_key(|d| (d.day, d.at));
    dates
}

/// The last day of the placement: the agreed number of weeks from the start, counted as
/// the policy says (calendar weeks, or school weeks of five school days).
pub fn placement_end(agreement: &Agreement, p: &Partnership) -> NaiveDate {
    let terms = &agreement.terms;
    match p.policy.week_counting {
        WeekCounting::Calendar => {
            terms.start + Days::new((u64::from(terms.weeks) * 7).saturating_sub(1))
        }
        WeekCounting::School => {
            let start = p.calendar.on_or_after(terms.start);
            // The start is day one, so N school weeks end on school day 5N - 1 after it.
            p.calendar
                .add_school_days(start, (u32::from(terms.weeks) * 5).saturating_sub(1))
        }
    }
}
