//! The SEIP panel's decision on a managed transfer, between acceptance and the start.

use crate::domain::case::{Case, CaseState, MoveKind};
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

/// May this actor record the panel's decision on the case now? Everything the decision
/// depends on is the case and who asks; the approval and reason never change the answer.
pub(super) fn may(case: &Case, actor: &Actor, p: &Partnership) -> Result<(), Refusal> {
    if case.kind != MoveKind::ManagedTransfer || !p.policy.transfer_needs_panel {
        return Err(Refusal::wrong_state(
            "Only a managed transfer needs the SEIP panel's decision.",
        ));
    }
    if !actor.headed_schools_on(case).is_empty() {
        return Err(Refusal::not_permitted(
            "You head one of the schools on this case, so another panel member must record the decision.",
        ));
    }
    if actor.works_at_either(case) {
        return Err(Refusal::not_permitted(
            "You work at one of the schools on this case, so another panel member must record the decision.",
        ));
    }
    if let Some(decision) = &case.panel {
        return Err(Refusal::wrong_state(format!(
            "The panel already decided on {}: recorded by <@{}>.",
            p.today(decision.recorded.at),
            decision.recorded.by
        )));
    }
    if !matches!(case.state, CaseState::Accepted | CaseState::Agreeing) {
        return Err(Refusal::wrong_state(
            "The panel decides once the destination head has accepted the transfer.",
        ));
    }
    Ok(())
}
