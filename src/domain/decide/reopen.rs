//! Reopening a case closed in error (`domain::reopen`): a coordinator asks with a reason,
//! a head of the school whose action closed it confirms.

use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;
use crate::domain::reopen::{roll_changed, within_window, BeforeClose};

use super::Context;

/// A closed case, within the window, with no roll change: what both steps need.
fn reopenable<'a>(case: &'a Case, ctx: &Context) -> Result<&'a BeforeClose, Refusal> {
    if !case.state.is_closed() {
        return Err(Refusal::wrong_state(format!(
            "Case {} is {} and was never closed: only a closed case can be reopened.",
            case.reference, case.state
        )));
    }
    if roll_changed(case) {
        return Err(Refusal::wrong_state(format!(
            "Case {} can't be reopened: the pupil's roll has changed (the destination's main registration or the home school's removal from roll is recorded).",
            case.reference
        )));
    }
    // Closed before the bot kept what closing changed: nothing to put back.
    let before = case.before_close.as_ref().ok_or_else(|| {
        Refusal::wrong_state(format!(
            "Case {} closed before reopening was possible, so it can't be reopened.",
            case.reference
        ))
    })?;
    within_window(before, ctx.partnership, ctx.today()).map_err(|until| {
        Refusal::wrong_state(format!(
            "Case {} can be reopened only within {} school days of closing, so until {}.",
            case.reference,
            ctx.partnership.policy.reopen_within_school_days,
            until.format("%a %-d %b %Y")
        ))
    })?;
    Ok(before)
}

/// A coordinator may ask once per close.
pub(super) fn may_ask(case: &Case, ctx: &Context) -> Result<(), Refusal> {
    let before = reopenable(case, ctx)?;
    if case.reopen_asked.is_some() {
        return Err(Refusal::wrong_state(format!(
            "A reopen of case {} is already asked: a head of {} must confirm it.",
            case.reference,
            before.side.schools(case, ctx.partnership)
        )));
    }
    Ok(())
}

/// A head of the school whose action closed the case confirms what a coordinator asked.
pub(super) fn may_confirm(case: &Case, actor: &Actor, ctx: &Context) -> Result<(), Refusal> {
    let before = reopenable(case, ctx)?;
    if case.reopen_asked.is_none() {
        return Err(Refusal::wrong_state(format!(
            "Nobody has asked to reopen case {}: a coordinator asks first, with a reason (`/case reopen`).",
            case.reference
        )));
    }
    let speaks_for_side = actor
        .headed_schools_on(case)
        .iter()
        .any(|s| before.side.includes(case, s));
    if !speaks_for_side {
        return Err(Refusal::not_permitted(format!(
            "Only a head of {} can confirm reopening case {}: their school's action closed it.",
            before.side.schools(case, ctx.partnership),
            case.reference
        )));
    }
    Ok(())
}

/// The case goes back to the state it had before the closing event.
pub(super) fn confirm(case: &Case) -> Result<Vec<EventKind>, Refusal> {
    let state = case
        .before_close
        .as_ref()
        .map(|b| b.state)
        .ok_or_else(|| Refusal::wrong_state("This case has nothing to reopen."))?;
    Ok(vec![EventKind::Reopened { state }])
}
