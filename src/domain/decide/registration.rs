//! Dual registration: each school confirms its own side (DOMAIN.md, "Dual registration").
//! The destination's subsidiary registration is a gate of the start (see `gates`); the
//! home school's code D follows within one school day (a reminder, see `reminders`).

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState};
use crate::domain::command::ActionKind;
use crate::domain::event::EventKind;
use crate::domain::ids::SchoolKey;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

use super::guards::not_in_future;
use super::Context;

/// Registration is confirmed once the destination has accepted, before or after the start.
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    match (kind, case.state) {
        (ActionKind::ConfirmRegistration, CaseState::Proposed) => Err(Refusal::wrong_state(
            "You can confirm the registration once the destination head has accepted the proposal.",
        )),
        _ => Ok(()),
    }
}

/// The school this confirmation is for: the one named, or the one the actor works at.
pub(super) fn school_for(
    case: &Case,
    actor: &Actor,
    named: Option<&SchoolKey>,
    p: &Partnership,
) -> Result<SchoolKey, Refusal> {
    let works_at = |s: &SchoolKey| actor.heads(s) || actor.staffs(s);
    let school = match named {
        Some(school) if !case.involves(school) => {
            return Err(Refusal::invalid_owned(
                "school",
                format!(
                    "{} is not one of this case's two schools.",
                    p.school_name(school)
                ),
            ))
        }
        Some(school) => school.clone(),
        None => {
            let mine: Vec<&SchoolKey> = [&case.home, &case.destination]
                .into_iter()
                .filter(|s| works_at(s))
                .collect();
            match mine.as_slice() {
                [one] => (*one).clone(),
                _ => {
                    return Err(Refusal::invalid(
                        "school",
                        "Name the school whose register you are confirming.",
                    ))
                }
            }
        }
    };
    if works_at(&school) {
        Ok(school)
    } else {
        Err(Refusal::not_permitted(format!(
            "Only {}'s own head or staff can confirm its registration.",
            p.school_name(&school)
        )))
    }
}

pub(super) fn confirm(
    case: &Case,
    actor: &Actor,
    named: Option<&SchoolKey>,
    from: NaiveDate,
    la_notified: NaiveDate,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    let school = school_for(case, actor, named, ctx.partnership)?;
    let proposed_on = ctx.partnership.today(case.proposed.at);
    if from < proposed_on {
        return Err(Refusal::invalid(
            "from",
            "The registration can't begin before the move was proposed.",
        ));
    }
    if la_notified < proposed_on {
        return Err(Refusal::invalid(
            "la_notified",
            "The local authority can't have been told before the move was proposed.",
        ));
    }
    not_in_future(la_notified, ctx.today())?;
    // Once the move runs, the destination's register must already cover the first day.
    if let (Some(started), true) = (case.started_on, school == case.destination) {
        if from > started {
            return Err(Refusal::invalid_owned(
                "from",
                format!(
                    "The move started on {started}; the subsidiary registration must cover it."
                ),
            ));
        }
    }
    Ok(vec![EventKind::RegistrationConfirmed {
        school,
        from,
        la_notified,
    }])
}
