//! The proposal stage: proposing, and the destination's answer (accept or decline), the
//! home school's withdrawal, and corrections to the pupil's needs before the move starts.

use crate::domain::case::{Case, CaseState, MoveKind};
use crate::domain::command::ActionKind;
use crate::domain::event::{EventKind, Proposal};
use crate::domain::ids::Text;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::{can_propose, Actor, NO_ROLE};
use crate::domain::refusal::Refusal;
use crate::domain::suitability::Answer;

use super::guards::{require_before_start, require_proposed};
use super::Context;

/// Validates a proposal; returns its first event.
pub fn propose(actor: &Actor, proposal: &Proposal, ctx: &Context) -> Result<EventKind, Refusal> {
    let p = ctx.partnership;
    // Someone with no role learns nothing from what they typed, not even the school list.
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    p.school(&proposal.home)?;
    p.school(&proposal.destination)?;
    can_propose(actor, &proposal.home)?;
    if proposal.home == proposal.destination {
        return Err(Refusal::invalid(
            "destination",
            "A move must be to another school of the partnership.",
        ));
    }
    if proposal.kind == MoveKind::ManagedTransfer
        && proposal.suitability.can_return() == Answer::Yes
    {
        return Err(Refusal::invalid(
            "return",
            "You answered that the pupil can return, but proposed a transfer with no return. Propose a managed move (return possible = yes), or change the answer.",
        ));
    }
    if proposal.kind == MoveKind::ManagedMove && proposal.suitability.can_return() == Answer::No {
        return Err(Refusal::invalid(
            "return",
            "You answered that the pupil cannot return: that is a managed transfer, not a managed move. Propose it with return possible = no.",
        ));
    }
    Ok(EventKind::Proposed(proposal.clone()))
}

/// May this stage's action be taken on the case now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case, p: &Partnership) -> Result<(), Refusal> {
    match kind {
        ActionKind::Accept => require_proposed(case, p),
        // The destination may say no at any point before the move starts (DOMAIN: Endings).
        ActionKind::Decline if case.started_on.is_some() => Err(Refusal::wrong_state(
            "The move has started, so it can't be declined. As destination head you can end it early with `/move terminate`.",
        )),
        ActionKind::Withdraw if case.started_on.is_some() => Err(Refusal::wrong_state(
            "The move has started, so it can't be withdrawn. The destination head can end it early, or record the outcome after the final review.",
        )),
        // Also while proposed: the destination head should decide on the right facts.
        ActionKind::UpdateNeeds if case.state != CaseState::Proposed => {
            require_before_start(case, "change the pupil's EHCP or looked-after status")
        }
        _ => Ok(()),
    }
}

pub(super) fn update_needs(
    case: &Case,
    ehcp: bool,
    looked_after: bool,
    reason: &Text,
) -> Result<Vec<EventKind>, Refusal> {
    if (ehcp, looked_after) == (case.ehcp, case.looked_after) {
        return Err(Refusal::wrong_state(
            "The case already says that: nothing to change.",
        ));
    }
    Ok(vec![EventKind::NeedsUpdated {
        ehcp,
        looked_after,
        reason: reason.clone(),
    }])
}
