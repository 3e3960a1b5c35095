//! The initial meeting as held (DOMAIN.md, "Meetings and reviews: who was there"): the day
//! it was held, what was aired, and who came. The move cannot start without it.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::case::Case;
use crate::domain::command::ActionKind;
use crate::domain::event::{Event, EventKind};
use crate::domain::ids::Text;
use crate::domain::meetings::Attendance;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

use super::guards::{not_in_future, require_before_start};

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    match kind {
        ActionKind::RecordMeetingHeld => {
            require_before_start(case, "record the initial meeting as held")?;
            if let Some(held) = &case.meeting_held {
                return Err(Refusal::wrong_state(format!(
                    "The initial meeting was already recorded as held on {}.",
                    held.on
                )));
            }
            Ok(())
        }
        ActionKind::RecordMeetingAttendees => {
            require_before_start(case, "record who attended the initial meeting")?;
            if case.meeting_held.is_none() {
                return Err(Refusal::wrong_state(
                    "Record the initial meeting as held first, with `/meeting held`.",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

pub(super) fn held(
    case: &Case,
    on: NaiveDate,
    positives: &Option<Text>,
    concerns: &Option<Text>,
    attendance: &Option<Attendance>,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    if on < p.today(case.proposed.at) {
        return Err(Refusal::invalid(
            "on",
            "The initial meeting can't have been held before the move was proposed.",
        ));
    }
    let mut events = vec![EventKind::MeetingHeld {
        on,
        positives: positives.clone(),
        concerns: concerns.clone(),
    }];
    if let Some(attendance) = attendance {
        events.push(EventKind::MeetingAttendeesRecorded {
            attendance: attendance.clone(),
        });
    }
    Ok(events)
}

pub(super) fn attendees(attendance: &Attendance) -> Result<Vec<EventKind>, Refusal> {
    // `Attendance` cannot be empty; said again here because the rule is the domain's.
    if attendance.attendees().is_empty() {
        return Err(Refusal::invalid(
            "attendees",
            "Choose at least one person who attended the meeting.",
        ));
    }
    Ok(vec![EventKind::MeetingAttendeesRecorded {
        attendance: attendance.clone(),
    }])
}

/// What the initial meeting still needs before the move can start, for `missing_gates`.
pub(super) fn missing(case: &Case) -> Option<&'static str> {
    match &case.meeting_held {
        None => Some("record the initial meeting as held (`/meeting held`)"),
        Some(held) if held.attendance.is_none() => Some("record who attended the initial meeting"),
        Some(_) => None,
    }
}

/// A meeting scheduled outside the partnership's meeting hours is allowed ("wherever
/// possible" in the school day), but the person scheduling it is told.
pub fn outside_hours(p: &Partnership, at: DateTime<Utc>) -> Option<String> {
    let local = at.with_timezone(&p.timezone);
    let hours = p.policy.meeting_hours;
    (!hours.contains(local.time())).then(|| {
        format!(
            "⚠ {} is outside school hours ({hours}); meetings are held in the school day wherever possible.",
            local.format("%H:%M")
        )
    })
}

/// Warnings about what was just recorded: things allowed but worth a second look. Worked
/// out from the events alone, so a repeated interaction shows the same ones.
pub fn warnings(events: &[Event], p: &Partnership) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::MeetingScheduled { at, .. } => outside_hours(p, *at),
            EventKind::Proposed(proposal) => super::family::attendance_only_warning(p, proposal),
            _ => None,
        })
        .collect()
}
