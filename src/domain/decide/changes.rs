//! Changes to a running placement: extending it (both heads, once, up to the policy's
//! maximum from the start), a parent's request for a review, and an outcome that
//! conflicts with the other head's confirmation (recorded as a dispute, not applied).

use chrono::{Days, NaiveDate};

use crate::domain::case::{Case, Outcome, ReviewKind};
use crate::domain::changes::HeldReview;
use crate::domain::command::ActionKind;
use crate::domain::event::EventKind;
use crate::domain::ids::{SchoolKey, Text};
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

use super::guards::{not_in_future, require_active};

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(
    kind: ActionKind,
    case: &Case,
    actor: &Actor,
    p: &Partnership,
) -> Result<(), Refusal> {
    use ActionKind as K;
    match kind {
        K::Extend => {
            require_active(case, "extend the placement")?;
            if let Some(e) = &case.extension {
                if let Some((_, agreed)) = &e.agreed {
                    return Err(Refusal::wrong_state(format!(
                        "The placement was already extended once (by {} weeks, agreed on {}); it can't be extended again.",
                        e.added,
                        p.today(agreed.at)
                    )));
                }
                if still_to_agree(case, actor).is_empty() {
                    return Err(Refusal::wrong_state(format!(
                        "You have already asked to extend the placement; it now needs the head of {}.",
                        other_school(case, &e.asked_for)
                    )));
                }
            }
            if case.review(ReviewKind::Final).is_some() {
                return Err(Refusal::wrong_state(
                    "The final review has been held; record the outcome with `/move outcome`.",
                ));
            }
            Ok(())
        }
        K::RecordReviewRequest => require_active(case, "record a parent's request for a review"),
        _ => Ok(()),
    }
}

fn other_school<'a>(case: &'a Case, school: &SchoolKey) -> &'a SchoolKey {
    if school == &case.home {
        &case.destination
    } else {
        &case.home
    }
}

/// The schools on the case this actor heads that have not yet asked for or agreed to the
/// pending extension.
fn still_to_agree(case: &Case, actor: &Actor) -> Vec<SchoolKey> {
    let asked = case.pending_extension().map(|e| &e.asked_for);
    actor
        .headed_schools_on(case)
        .into_iter()
        .filter(|s| Some(s) != asked)
        .collect()
}

/// One head asks, the other agrees with the same number of weeks; a head of both schools
/// does both at once. The reviews not yet held move with the new length.
pub(super) fn extend(
    case: &Case,
    actor: &Actor,
    weeks: u8,
    reason: &Text,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    let agreement = case
        .agreement
        .as_ref()
        .ok_or_else(|| Refusal::wrong_state("There is no agreement to extend."))?;
    if weeks == 0 {
        return Err(Refusal::invalid(
            "weeks",
            "An extension adds at least one week.",
        ));
    }
    let current = agreement.terms.weeks;
    let max = p.policy.max_weeks_extended();
    let total = u16::from(current) + u16::from(weeks);
    if total > u16::from(max) {
        return Err(Refusal::invalid_owned(
            "weeks",
            if current >= max {
                format!("The placement already runs {current} weeks, the most allowed from its start ({max}); it can't be extended.")
            } else {
                format!(
                    "The placement runs {current} weeks, so it can be extended by at most {} more ({max} weeks from its start is the most allowed).",
                    max - current
                )
            },
        ));
    }
    let total = total as u8;
    let mut events = Vec::new();
    let mut agreeing = still_to_agree(case, actor);
    match case.pending_extension() {
        Some(pending) if pending.added != weeks => {
            return Err(Refusal::invalid_owned(
                "weeks",
                format!(
                    "The head of {} asked to extend by {} weeks; to agree, extend by the same number.",
                    pending.asked_for, pending.added
                ),
            ));
        }
        Some(_) => {}
        None => {
            if agreeing.is_empty() {
                return Err(Refusal::not_permitted(
                    "Only the heads of the two schools can extend a placement.",
                ));
            }
            let asking = agreeing.remove(0);
            events.push(EventKind::ExtensionRequested {
                school: asking,
                weeks,
                reason: reason.clone(),
            });
        }
    }
    if let Some(school) = agreeing.into_iter().next() {
        // From the day the move really started, as the reviews were re-worked when it did.
        let start = case.started_on.unwrap_or(agreement.terms.start);
        let (midpoint, final_review) = p.review_dates(start, total);
        let midpoint_review = match case.review(ReviewKind::Midpoint) {
            Some(_) => agreement.midpoint_review,
            None => midpoint,
        };
        events.push(EventKind::ExtensionAgreed {
            school,
            added: weeks,
            weeks: total,
            midpoint_review,
            final_review,
        });
    }
    Ok(events)
}

/// A review is due within the policy's school days of the parent's request, unless one
/// was held in the weeks before it: then the reply names that review.
pub(super) fn request_review(
    case: &Case,
    on: NaiveDate,
    today: NaiveDate,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    if case.started_on.is_some_and(|start| on < start) {
        return Err(Refusal::invalid(
            "on",
            "A request for a review can't be before the move started.",
        ));
    }
    if let Some(open) = case.open_review_request() {
        let due = open.due.unwrap_or(open.on);
        return Err(Refusal::wrong_state(format!(
            "The parent already asked for a review on {}; one is due by {}.",
            open.on, due
        )));
    }
    let weeks = u64::from(p.policy.requested_review_unless_held_weeks);
    let since = on.checked_sub_days(Days::new(weeks * 7)).unwrap_or(on);
    let recent = [ReviewKind::Final, ReviewKind::Midpoint]
        .into_iter()
        .filter_map(|k| case.review(k).map(|r| (k, r.held_on)))
        .filter(|(_, held)| *held >= since && *held <= on)
        .max_by_key(|(_, held)| *held)
        .map(|(review, held_on)| HeldReview { review, held_on });
    let due = match recent {
        Some(_) => None,
        None => Some(
            p.calendar
                .add_school_days(on, p.policy.requested_review_school_days.into()),
        ),
    };
    Ok(vec![EventKind::ReviewRequested { on, due, recent }])
}

/// "Returned" from a head whose school has not confirmed, once the other head confirmed
/// "permanent": not applied, recorded as a dispute. A second one from the same school is
/// refused in the same words, so nothing is written twice.
pub(super) fn dispute(
    case: &Case,
    actor: &Actor,
    outcome: Outcome,
    reason: &Text,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    let confirmed = case.permanent_confirmations();
    let school = actor
        .headed_schools_on(case)
        .into_iter()
        .find(|s| !case.permanent_confirmed_by.contains_key(s))
        .ok_or_else(|| Refusal::wrong_state("You have already confirmed the outcome."))?;
    if case.disputes.iter().any(|d| d.school == school) {
        let who: Vec<String> = confirmed
            .iter()
            .map(|c| {
                format!(
                    "<@{}> confirmed a permanent transfer for {} on {}",
                    c.by,
                    c.school,
                    p.today(c.at)
                )
            })
            .collect();
        return Err(Refusal::wrong_state(format!(
            "Your \"{}\" is already recorded as a dispute: {}. The heads need to agree.",
            outcome.short(),
            who.join("; ")
        )));
    }
    Ok(vec![EventKind::OutcomeDisputed {
        school,
        outcome,
        reason: reason.clone(),
        confirmed,
    }])
}
