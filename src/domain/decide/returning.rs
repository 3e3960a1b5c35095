//! The returning stage (DOMAIN.md, "The protocol in depth", "Endings"): how a managed move
//! enters it (outcome "returned", ended early, the parent's consent withdrawn), its three
//! steps, and the close once all are done.

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState, MoveKind};
use crate::domain::command::ActionKind;
use crate::domain::event::EventKind;
use crate::domain::ids::{SchoolKey, Text};
use crate::domain::meetings::Attendance;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;
use crate::domain::returning::{Reintegration, ReturnHow};

use super::guards::{not_in_future, require_active};
use super::Context;

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    match kind {
        ActionKind::RecordConsentWithdrawn => {
            require_active(case, "record that the parent withdrew consent")
        }
        _ => require_returning(case).map(|_| ()),
    }
}

/// In the returning stage the move is over: nothing of the earlier stages may be recorded,
/// only this stage's steps (and a reminder put off).
pub(super) fn only_its_steps(kind: ActionKind) -> Result<(), Refusal> {
    use ActionKind as K;
    match kind {
        K::RecordReintegrationMeeting
        | K::RecordReintegrationPlan
        | K::EndRegistration
        | K::SnoozeReminder
        | K::PingOwner => Ok(()),
        _ => Err(Refusal::wrong_state(
            "The pupil is returning to the home school: record the reintegration meeting, the plan and each school's register change.",
        )),
    }
}

fn require_returning(case: &Case) -> Result<&Reintegration, Refusal> {
    match (&case.returning, case.state) {
        (Some(r), CaseState::Returning) => Ok(r),
        _ => Err(Refusal::wrong_state(
            "You can record this once the pupil is returning to the home school.",
        )),
    }
}

/// A managed move's pupil goes home through the returning stage. A managed transfer has
/// no home to return to: it ends as it always did and the SEIP panel decides what next.
pub(super) fn begin(case: &Case, how: ReturnHow) -> EventKind {
    match case.kind {
        MoveKind::ManagedMove => EventKind::ReturnBegun { how },
        MoveKind::ManagedTransfer => how.closing_event(),
    }
}

/// The destination head ends the move early.
pub(super) fn terminate(case: &Case, reason: &Text) -> Vec<EventKind> {
    vec![begin(
        case,
        ReturnHow::Terminated {
            reason: reason.clone(),
        },
    )]
}

/// The home head records that the parent/carer withdrew consent on `on`.
pub(super) fn consent_withdrawn(
    case: &Case,
    on: NaiveDate,
    reason: &Text,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    if case.started_on.is_some_and(|start| on < start) {
        return Err(Refusal::invalid(
            "on",
            "That is before the move started; before the start the home head withdraws the proposal instead.",
        ));
    }
    Ok(vec![begin(
        case,
        ReturnHow::ConsentWithdrawn {
            on,
            reason: reason.clone(),
        },
    )])
}

pub(super) fn meeting(
    case: &Case,
    on: NaiveDate,
    attendance: &Attendance,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    let r = require_returning(case)?;
    not_in_future(on, ctx.today())?;
    if on < r.returned_on(ctx.partnership) {
        return Err(Refusal::invalid(
            "on",
            "The reintegration meeting follows the return; that day is before it.",
        ));
    }
    finish(
        case,
        r,
        EventKind::ReintegrationMeetingHeld {
            on,
            attendance: attendance.clone(),
        },
    )
}

pub(super) fn plan(
    case: &Case,
    support: &Text,
    targets: &Text,
    contact: &Text,
) -> Result<Vec<EventKind>, Refusal> {
    let r = require_returning(case)?;
    finish(
        case,
        r,
        EventKind::ReintegrationPlanRecorded {
            support: support.clone(),
            targets: targets.clone(),
            contact: contact.clone(),
        },
    )
}

pub(super) fn end_registration(
    case: &Case,
    actor: &Actor,
    named: Option<&SchoolKey>,
    on: NaiveDate,
    la_notified: NaiveDate,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    let r = require_returning(case)?;
    let school = super::registration::school_for(case, actor, named, ctx.partnership)?;
    if case.started_on.is_some_and(|start| on < start) {
        return Err(Refusal::invalid(
            "on",
            "The register change can't be before the move started.",
        ));
    }
    if case.started_on.is_some_and(|start| la_notified < start) {
        return Err(Refusal::invalid(
            "la_notified",
            "The local authority can't have been told of the return before the move started.",
        ));
    }
    not_in_future(la_notified, ctx.today())?;
    finish(
        case,
        r,
        EventKind::RegistrationEnded {
            school,
            on,
            la_notified,
        },
    )
}

/// The step's event, and the closing event when it was the last step left (worked out by
/// folding the step into a copy of the case, so "done" means what the case will hold).
fn finish(case: &Case, r: &Reintegration, step: EventKind) -> Result<Vec<EventKind>, Refusal> {
    let mut after = case.clone();
    let probe = crate::domain::event::Event {
        by: r.begun.by,
        at: r.begun.at,
        kind: step.clone(),
    };
    after.apply(&probe);
    let mut events = vec![step];
    if after.returning.as_ref().is_some_and(|r| r.is_done(&after)) {
        events.push(r.how.closing_event());
    }
    Ok(events)
}
