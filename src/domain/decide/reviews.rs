//! Reviews that mean something (DOMAIN.md, "Meetings and reviews: who was there"): dates
//! worked out from the day the move actually starts, the midpoint before the final review,
//! and the final review in the placement's last school week.

use chrono::NaiveDate;

use crate::domain::case::{review_key, Case, ReviewKind};
use crate::domain::event::EventKind;
use crate::domain::ids::Text;
use crate::domain::meetings::Attendance;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;
use crate::domain::review_record::{target_list, ReviewDetails};

/// When the move starts later than the agreement said, the reviews move with it: the
/// same fractions of the placement, counted from the real start. Nothing when it starts
/// on the agreed day (the agreement's dates, rescheduled or not, stand).
pub(super) fn rework_from_start(case: &Case, on: NaiveDate, p: &Partnership) -> Option<EventKind> {
    let agreement = case.agreement.as_ref()?;
    if on == agreement.terms.start {
        return None;
    }
    let (midpoint_review, final_review) = p.review_dates(on, agreement.terms.weeks);
    Some(EventKind::ReviewDatesReworked {
        midpoint_review,
        final_review,
    })
}

/// The first day of the placement's last school week: the fifth school day back from its
/// last day (the final review date worked out from the start), so a holiday inside that
/// week does not shorten the window.
pub fn last_school_week_starts(p: &Partnership, start: NaiveDate, weeks: u8) -> NaiveDate {
    let (_, end) = p.review_dates(start, weeks);
    let mut day = end;
    let mut counted = 1;
    while counted < 5 {
        let Some(before) = day.pred_opt() else { break };
        day = before;
        if p.calendar.is_school_day(day) {
            counted += 1;
        }
    }
    day
}

/// The final review needs the midpoint review first (`policy.midpoint_required`), and is
/// not held before the placement's last school week unless it was moved there with a
/// reason (`/review reschedule`).
pub(super) fn check_final_review(
    case: &Case,
    held_on: NaiveDate,
    p: &Partnership,
) -> Result<(), Refusal> {
    match case.review(ReviewKind::Midpoint) {
        None if p.policy.midpoint_required => {
            return Err(Refusal::blocked(
                "Record the midpoint review first: the final review comes after it.",
            ));
        }
        Some(midpoint) if held_on <= midpoint.held_on => {
            return Err(Refusal::invalid_owned(
                "on",
                format!(
                    "The final review comes after the midpoint review, held on {}.",
                    midpoint.held_on.format("%a %-d %b %Y")
                ),
            ));
        }
        _ => {}
    }
    let (Some(agreement), Some(start)) = (&case.agreement, case.started_on) else {
        return Ok(());
    };
    let last_week = last_school_week_starts(p, start, agreement.terms.weeks);
    let earliest = case
        .final_brought_forward
        .map_or(last_week, |agreed| agreed.min(last_week));
    if held_on < earliest {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The final review is held in the placement's last week, from {}; to hold it earlier, both heads agree with `/review forward` and a reason.",
                earliest.format("%a %-d %b %Y")
            ),
        ));
    }
    Ok(())
}

/// A review's details are added once the review is recorded, until the case closes.
pub(super) fn may_detail(case: &Case) -> Result<(), Refusal> {
    super::guards::require_active(case, "record a review's details")?;
    if case.reviews.is_empty() {
        return Err(Refusal::wrong_state(
            "Record the review first with `/review record`; then who came and progress on each target.",
        ));
    }
    Ok(())
}

/// One progress answer per target of the agreement, for a review that was recorded.
pub(super) fn details(
    case: &Case,
    review: ReviewKind,
    details: &ReviewDetails,
) -> Result<Vec<EventKind>, Refusal> {
    if case.review(review).is_none() {
        return Err(Refusal::wrong_state(format!(
            "The {} has not been recorded yet.",
            review.label()
        )));
    }
    let targets = case
        .agreement
        .as_ref()
        .map_or(0, |a| target_list(a.terms.targets.as_str()).len());
    if details.progress.len() != targets {
        return Err(Refusal::invalid_owned(
            "targets",
            format!(
                "The agreement has {targets} target(s): give progress on each, in order (met, partly or not-met)."
            ),
        ));
    }
    Ok(vec![EventKind::ReviewDetailsRecorded {
        review,
        details: details.clone(),
    }])
}

/// Who came to a review: after its details (which say progress on the targets).
pub(super) fn attendees(
    case: &Case,
    review: ReviewKind,
    attendance: &Attendance,
) -> Result<Vec<EventKind>, Refusal> {
    if !case.review_details.contains_key(review_key(review)) {
        return Err(Refusal::wrong_state(format!(
            "Record the {}'s details first, with `/review details`.",
            review.label()
        )));
    }
    Ok(vec![EventKind::ReviewAttendeesRecorded {
        review,
        attendance: attendance.clone(),
    }])
}

/// Who came is chosen once a review's details are recorded.
pub(super) fn may_choose_attendees(case: &Case) -> Result<(), Refusal> {
    may_detail(case)?;
    if case.review_details.is_empty() {
        return Err(Refusal::wrong_state(
            "Record the review's details first, with `/review details`.",
        ));
    }
    Ok(())
}

/// Bringing the final review forward is for an active move whose final review is still to
/// come.
pub(super) fn may_bring_forward(
    case: &Case,
    p: &Partnership,
    today: NaiveDate,
) -> Result<(), Refusal> {
    super::guards::require_active(case, "bring the final review forward")?;
    if case.review(ReviewKind::Final).is_some() {
        return Err(Refusal::wrong_state(
            "The final review has already been recorded.",
        ));
    }
    let (Some(agreement), Some(start)) = (&case.agreement, case.started_on) else {
        return Ok(());
    };
    // A school day after the midpoint review and before the last school week, from today.
    let midpoint = case
        .review(ReviewKind::Midpoint)
        .map_or(agreement.midpoint_review, |m| m.held_on);
    let first = p
        .calendar
        .on_or_after(today.max(midpoint + chrono::Days::new(1)));
    if first >= last_school_week_starts(p, start, agreement.terms.weeks) {
        return Err(Refusal::wrong_state(
            "There is no school day left between the midpoint review and the placement's last week to bring the final review forward to.",
        ));
    }
    Ok(())
}

/// The first head asks; the other head, asking for the same day, agrees. A head of both
/// schools agrees for both at once.
pub(super) fn bring_forward(
    case: &Case,
    actor: &Actor,
    on: NaiveDate,
    reason: &Text,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    let (Some(agreement), Some(start)) = (&case.agreement, case.started_on) else {
        return Err(Refusal::wrong_state("The move has not started."));
    };
    if on < today || !p.calendar.is_school_day(on) {
        return Err(Refusal::invalid(
            "on",
            "Bring the final review forward to a school day, today or later.",
        ));
    }
    let midpoint = case
        .review(ReviewKind::Midpoint)
        .map_or(agreement.midpoint_review, |m| m.held_on);
    if on <= midpoint {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The final review comes after the midpoint review ({}).",
                midpoint.format("%a %-d %b %Y")
            ),
        ));
    }
    let last_week = last_school_week_starts(p, start, agreement.terms.weeks);
    if on >= last_week {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "From {} the final review needs no agreement to bring it forward: move it with `/review reschedule`.",
                last_week.format("%a %-d %b %Y")
            ),
        ));
    }
    let mine = actor.headed_schools_on(case);
    let both = mine.contains(&case.home) && mine.contains(&case.destination);
    let other_agreed = case
        .final_forward_asked
        .as_ref()
        .is_some_and(|asked| asked.on == on && !mine.contains(&asked.school));
    if both || other_agreed {
        return Ok(vec![EventKind::FinalReviewBroughtForward {
            on,
            reason: reason.clone(),
        }]);
    }
    // `may` let only a head of one of the case's schools this far.
    Ok(vec![EventKind::FinalReviewForwardAsked {
        school: mine[0].clone(),
        on,
        reason: reason.clone(),
    }])
}
