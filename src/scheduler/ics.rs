//! Calendar export (iCalendar, RFC 5545): a case's meeting, start, reviews and end, for
//! heads to put in their own calendars. Events name the case by reference only, never the
//! pupil, because calendars are shared and synced to phones; the meeting's place is given
//! as the destination school, not the free text typed for it.

use chrono::{DateTime, Days, Duration, Utc};
use icalendar::{Calendar, Component, DatePerhapsTime, Event, EventLike};

use crate::domain::dates::{case_dates, CaseDate, DateKind};
use crate::domain::{Case, Partnership, SchoolKey};

/// The meeting's length in calendars (the record holds only its start).
const MEETING_LENGTH: Duration = Duration::hours(1);

/// One case's dates as an .ics file. `now` stamps the events (RFC 5545 DTSTAMP).
pub fn case_calendar(case: &Case, p: &Partnership, now: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} · {}", p.name, case.reference));
    add_case(&mut calendar, case, p, now);
    calendar.done().to_string()
}

/// The open cases involving one school, as one feed (only cases the caller may see).
pub fn school_calendar(
    cases: &[Case],
    school: &SchoolKey,
    p: &Partnership,
    now: DateTime<Utc>,
) -> String {
    let mut calendar = Calendar::new();
    calendar.name(&format!("{} · {}", p.name, p.school_name(school)));
    for case in cases.iter().filter(|c| c.involves(school)) {
        add_case(&mut calendar, case, p, now);
    }
    calendar.done().to_string()
}

fn add_case(calendar: &mut Calendar, case: &Case, p: &Partnership, now: DateTime<Utc>) {
    for date in case_dates(case, p) {
        calendar.push(event(case, p, &date, now));
    }
}

fn event(case: &Case, p: &Partnership, date: &CaseDate, now: DateTime<Utc>) -> Event {
    let (home, dest) = (p.school_name(&case.home), p.school_name(&case.destination));
    let mut event = Event::new();
    event
        // Stable per case and date, so a re-import updates the event instead of adding one.
        .uid(&format!(
            "{}-{}@managed-moves",
            case.reference,
            date.what.slug()
        ))
        .timestamp(now)
        .summary(&format!("{} · {}", case.reference, date.what.label()))
        .description(&format!(
            "{} {}: {home} → {dest}. Details in Discord: /case show {}",
            p.policy.name(),
            case.reference,
            case.reference
        ));
    match date.at {
        Some(at) => {
            event.starts(at).ends(at + MEETING_LENGTH);
        }
        None => {
            let next = date.day + Days::new(1);
            event
                .starts(DatePerhapsTime::Date(date.day))
                .ends(DatePerhapsTime::Date(next));
        }
    }
    if matches!(
        date.what,
        DateKind::InitialMeeting | DateKind::MidpointReview | DateKind::FinalReview
    ) {
        event.location(&dest);
    }
    event.done()
}
