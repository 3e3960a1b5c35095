//! The placement: check-ins and reviews while the move is active, moving a review the
//! agreement scheduled, the outcome after the final review, and ending the move early.

use chrono::NaiveDate;

use crate::domain::case::{Agreement, Case, MoveKind, Outcome, ReviewKind};
use crate::domain::command::ActionKind;
use crate::domain::event::EventKind;
use crate::domain::ids::Text;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;
use crate::domain::returning::ReturnHow;

use super::guards::{not_in_future, require_active};

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    use ActionKind as K;
    match kind {
        // The agreement schedules the reviews, so they can be moved as soon as it exists.
        K::RescheduleReview => {
            agreement(case)?;
            both_reviews_open(case)
        }
        K::LogCheckIn => require_active(case, "log a check-in"),
        K::RecordReview => {
            require_active(case, "record a review")?;
            both_reviews_open(case)
        }
        K::Terminate => require_active(case, "end the move early"),
        K::RecordOutcome => {
            require_active(case, "record the outcome")?;
            if case.review(ReviewKind::Final).is_none() {
                return Err(Refusal::blocked(
                    "Record the final review first; the outcome is decided there.",
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Once both reviews are recorded there is no review left to record or move.
fn both_reviews_open(case: &Case) -> Result<(), Refusal> {
    let held = |k| case.review(k).is_some();
    if held(ReviewKind::Midpoint) && held(ReviewKind::Final) {
        return Err(Refusal::wrong_state(
            "Both the midpoint and the final review have been recorded.",
        ));
    }
    Ok(())
}

fn agreement(case: &Case) -> Result<&Agreement, Refusal> {
    case.agreement.as_ref().ok_or_else(|| {
        Refusal::wrong_state("Reviews are scheduled by the agreement; record the agreement first.")
    })
}

pub(super) fn reschedule_review(
    case: &Case,
    review: ReviewKind,
    on: NaiveDate,
    reason: &Text,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    let agreement = agreement(case)?;
    if case.review(review).is_some() {
        return Err(Refusal::wrong_state(format!(
            "The {} has already been held.",
            review.label()
        )));
    }
    if on < agreement.terms.start {
        return Err(Refusal::invalid(
            "date",
            "A review can't be before the move starts.",
        ));
    }
    let moved = p.calendar.on_or_after(on);
    review_stays_in_order(agreement, case, review, moved, p)?;
    Ok(vec![EventKind::ReviewRescheduled {
        review,
        on: moved,
        reason: reason.clone(),
    }])
}

pub(super) fn record_review(
    case: &Case,
    review: ReviewKind,
    held_on: NaiveDate,
    notes: &Text,
    today: NaiveDate,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(held_on, today)?;
    if case.started_on.is_some_and(|start| held_on < start) {
        return Err(Refusal::invalid(
            "date",
            "A review can't be held before the move started.",
        ));
    }
    if case.review(review).is_some() {
        return Err(Refusal::wrong_state(format!(
            "The {} has already been recorded.",
            review.label()
        )));
    }
    if review == ReviewKind::Final {
        super::reviews::check_final_review(case, held_on, p)?;
    }
    Ok(vec![EventKind::ReviewRecorded {
        review,
        held_on,
        notes: notes.clone(),
    }])
}

pub(super) fn record_outcome(
    case: &Case,
    actor: &Actor,
    outcome: Outcome,
    note: &Text,
    today: NaiveDate,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    if outcome == Outcome::Returned && case.kind == MoveKind::ManagedTransfer {
        return Err(Refusal::invalid(
            "outcome",
            "A managed transfer has no return: its outcome is a permanent transfer, confirmed by both heads.",
        ));
    }
    // Once one head has confirmed "permanent", the other's "returned" is a dispute, not
    // an outcome. The head who confirmed may still change their mind to "returned".
    let confirmed_by_me = actor
        .headed_schools_on(case)
        .iter()
        .any(|s| case.permanent_confirmed_by.contains_key(s));
    if outcome == Outcome::Returned && !case.permanent_confirmed_by.is_empty() && !confirmed_by_me {
        return super::changes::dispute(case, actor, outcome, note, p);
    }
    if outcome == Outcome::Returned {
        // The pupil goes home through the returning stage; the case closes after it.
        return Ok(vec![super::returning::begin(
            case,
            ReturnHow::Returned { note: note.clone() },
        )]);
    }
    // A permanent transfer needs both heads: each confirms for their own school.
    let mut confirmed: Vec<_> = case.permanent_confirmed_by.keys().cloned().collect();
    let mine: Vec<_> = actor
        .headed_schools_on(case)
        .into_iter()
        .filter(|s| !confirmed.contains(s))
        .collect();
    if mine.is_empty() {
        let other = if confirmed.contains(&case.home) {
            &case.destination
        } else {
            &case.home
        };
        return Err(Refusal::wrong_state(format!(
            "You have already confirmed the permanent transfer; it now needs the head of {other}."
        )));
    }
    let mut events = Vec::new();
    for school in mine {
        confirmed.push(school.clone());
        events.push(EventKind::PermanentConfirmed { school });
    }
    // Both heads have confirmed: the case stays open while the rolls change and the
    // records follow; the last step of the transfer closes it (`transferring`).
    if confirmed.contains(&case.home) && confirmed.contains(&case.destination) {
        events.push(super::transferring::begin(note, today, p));
    }
    Ok(events)
}

/// A rescheduled review keeps the timeline's order: the midpoint before the final review,
/// and the final review no later than the agreed length allows (DOMAIN.md, "Timeline":
/// a move runs for the weeks the meeting chose, up to the maximum). Lengthening a move is
/// a new agreement, not a moved review.
fn review_stays_in_order(
    agreement: &Agreement,
    case: &Case,
    review: ReviewKind,
    on: NaiveDate,
    p: &Partnership,
) -> Result<(), Refusal> {
    let show = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    match review {
        ReviewKind::Midpoint if on >= agreement.final_review => Err(Refusal::invalid_owned(
            "date",
            format!(
                "The midpoint review must come before the final review ({}).",
                show(agreement.final_review)
            ),
        )),
        ReviewKind::Final => {
            let midpoint = case
                .review(ReviewKind::Midpoint)
                .map_or(agreement.midpoint_review, |held| held.held_on);
            // Counted from the day the move really started, as the reviews were.
            let start = case.started_on.unwrap_or(agreement.terms.start);
            let (_, latest) = p.review_dates(start, agreement.terms.weeks);
            if on <= midpoint {
                Err(Refusal::invalid_owned(
                    "date",
                    format!(
                        "The final review must come after the midpoint review ({}).",
                        show(midpoint)
                    ),
                ))
            } else if on < super::reviews::last_school_week_starts(p, start, agreement.terms.weeks)
                && case.final_brought_forward.is_none_or(|agreed| on < agreed)
            {
                Err(Refusal::invalid(
                    "date",
                    "Holding the final review before the placement's last week takes both heads: use `/review forward` with a reason.",
                ))
            } else if on > latest {
                Err(Refusal::invalid_owned(
                    "date",
                    format!(
                        "The final review can't be after {}: the move was agreed for {} weeks; a later one needs an extension (`/move extend`).",
                        show(latest),
                        agreement.terms.weeks
                    ),
                ))
            } else {
                Ok(())
            }
        }
        ReviewKind::Midpoint => Ok(()),
    }
}
