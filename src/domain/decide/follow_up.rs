//! The follow-up one term after a case closes (DOMAIN.md, "Endings"): the one change a
//! closed case takes, once, by the school now responsible for the pupil.

use crate::domain::attendance::Percent;
use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::ids::Text;
use crate::domain::refusal::Refusal;
use crate::domain::returning::{follow_up_due, responsible_school};

use super::Context;

/// Only a closed case that needs one, once, from the day it falls due.
pub(super) fn may(case: &Case, ctx: &Context) -> Result<(), Refusal> {
    if !case.state.is_closed() {
        return Err(Refusal::wrong_state(format!(
            "Case {} is still open; the follow-up is recorded one term after it closes.",
            case.reference
        )));
    }
    if responsible_school(case).is_none() {
        return Err(Refusal::wrong_state(format!(
            "Case {} is {} with no move to follow up.",
            case.reference, case.state
        )));
    }
    if let Some(done) = &case.follow_up {
        return Err(Refusal::wrong_state(format!(
            "The follow-up was recorded on {}.",
            ctx.partnership.today(done.recorded.at)
        )));
    }
    match follow_up_due(case, ctx.partnership) {
        Some(due) if ctx.today() < due => Err(Refusal::wrong_state(format!(
            "The follow-up is due from {}, one term after the case closed.",
            due.format("%a %-d %b %Y")
        ))),
        _ => Ok(()),
    }
}

pub(super) fn record(
    case: &Case,
    on_roll: bool,
    attendance: Percent,
    suspensions: u16,
    note: &Option<Text>,
) -> Result<Vec<EventKind>, Refusal> {
    let school = responsible_school(case)
        .cloned()
        .ok_or_else(|| Refusal::wrong_state("This case has no move to follow up."))?;
    Ok(vec![EventKind::FollowUpRecorded {
        school,
        on_roll,
        attendance,
        suspensions,
        note: note.clone(),
    }])
}
