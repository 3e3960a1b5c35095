//! Agreeing the move, between acceptance and the start: the initial meeting, the consents
//! and consultations, the agreement and its signatures, and starting the move once every
//! gate is recorded.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::case::{AgreementTerms, Case};
use crate::domain::command::ActionKind;
use crate::domain::event::EventKind;
use crate::domain::ids::SchoolKey;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

use super::gates::{check_start_date, missing_gates};
use super::guards::{not_in_future, require_before_start};
use super::Context;

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(
    kind: ActionKind,
    case: &Case,
    actor: &Actor,
    p: &Partnership,
) -> Result<(), Refusal> {
    use ActionKind as K;
    let what = match kind {
        K::ScheduleMeeting => "schedule the initial meeting",
        K::RecordParentConsent => "record the parent's agreement",
        K::RecordPupilConsent => "record the pupil's agreement",
        K::RecordEhcpAmendment => "record the EHCP amendment",
        K::RecordVirtualSchool => "record the Virtual School consultation",
        K::RecordAgreement => "record the agreement",
        K::SignAgreement => "sign the agreement",
        K::StartMove => "start the move",
        _ => return Ok(()),
    };
    // An agreed extension asks for the parent's agreement again, for the new length.
    if kind == K::RecordParentConsent && case.awaits_parent_for_extension() {
        return Ok(());
    }
    require_before_start(case, what)?;
    match kind {
        K::RecordEhcpAmendment if !case.ehcp => Err(Refusal::wrong_state(
            "This case is not marked as an EHCP pupil, so no plan amendment is needed.",
        )),
        K::RecordVirtualSchool if !case.looked_after => Err(Refusal::wrong_state(
            "This case is not marked as a looked-after child, so no Virtual School consultation is needed.",
        )),
        K::SignAgreement => unsigned_school(case, actor).map(|_| ()),
        K::StartMove => {
            let missing = missing_gates(case, p);
            if missing.is_empty() {
                Ok(())
            } else {
                Err(Refusal::blocked(before_the_start(&missing)))
            }
        }
        _ => Ok(()),
    }
}

/// The most a refusal to start says; the case card lists every missing step.
const LONGEST_REFUSAL: usize = 380;

/// "Before the move can start: a; b; c." With many steps missing, the first ones and how
/// many more, so the refusal stays short (the case card lists them all).
fn before_the_start(missing: &[String]) -> String {
    let all = format!("Before the move can start: {}.", missing.join("; "));
    if all.chars().count() <= LONGEST_REFUSAL {
        return all;
    }
    let mut shown = 1;
    let message = |shown: usize| {
        format!(
            "Before the move can start: {}; and {} more (see the case card).",
            missing[..shown].join("; "),
            missing.len() - shown
        )
    };
    while shown + 1 < missing.len() && message(shown + 1).chars().count() <= LONGEST_REFUSAL {
        shown += 1;
    }
    message(shown)
}

/// The first school on the case that the actor heads and has not signed the agreement for.
fn unsigned_school(case: &Case, actor: &Actor) -> Result<SchoolKey, Refusal> {
    let agreement = case.agreement.as_ref().ok_or_else(|| {
        Refusal::wrong_state(
            "There is no agreement to sign yet. Record it first with `/agreement record`.",
        )
    })?;
    actor
        .headed_schools_on(case)
        .into_iter()
        .find(|s| !agreement.signatures.contains_key(s))
        .ok_or_else(|| {
            Refusal::wrong_state("You have already signed this agreement for your school.")
        })
}

pub(super) fn sign(case: &Case, actor: &Actor) -> Result<Vec<EventKind>, Refusal> {
    let school = unsigned_school(case, actor)?;
    Ok(vec![EventKind::AgreementSigned { school }])
}

pub(super) fn record_agreement(
    case: &Case,
    actor: &Actor,
    terms: &AgreementTerms,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    let max = ctx.partnership.policy.max_weeks;
    if terms.weeks == 0 || terms.weeks > max {
        return Err(Refusal::invalid_owned(
            "weeks",
            format!("A placement runs for 1 to {max} weeks under this partnership's policy."),
        ));
    }
    if terms.start < ctx.partnership.today(case.proposed.at) {
        return Err(Refusal::invalid(
            "start",
            "The start date can't be before the proposal was made.",
        ));
    }
    let (midpoint_review, final_review) = ctx.partnership.review_dates(terms.start, terms.weeks);
    // `may` let only a head of one of the case's schools this far.
    let signed_for = actor.headed_schools_on(case).remove(0);
    Ok(vec![EventKind::AgreementRecorded {
        terms: terms.clone(),
        midpoint_review,
        final_review,
        signed_for,
    }])
}

pub(super) fn start(
    case: &Case,
    on: Option<NaiveDate>,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    let today = ctx.today();
    let on = on.unwrap_or(today);
    not_in_future(on, today)?;
    check_start_date(case, ctx.partnership, on)?;
    let mut events = vec![EventKind::MoveStarted { on }];
    events.extend(super::reviews::rework_from_start(case, on, ctx.partnership));
    Ok(events)
}

/// The initial meeting falls on a school day. Its time may be outside school hours: that
/// is allowed with a warning (see [`super::meeting::outside_hours`]), not refused.
pub(super) fn check_school_day(p: &Partnership, at: DateTime<Utc>) -> Result<(), Refusal> {
    let day = at.with_timezone(&p.timezone).date_naive();
    if !p.calendar.is_school_day(day) {
        return Err(Refusal::invalid_owned(
            "date",
            format!(
                "{} is not a school day; the meeting is held on a school day.",
                day.format("%A %-d %B %Y")
            ),
        ));
    }
    Ok(())
}
