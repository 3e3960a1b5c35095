//! Taking the lead on a case, or handing it to another coordinator (`domain::lead`).

use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::lead::LeadTarget;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

/// The lead goes to `to` (a coordinator) or, without one, to the coordinator acting.
pub(super) fn take(
    case: &Case,
    actor: &Actor,
    to: Option<&LeadTarget>,
) -> Result<Vec<EventKind>, Refusal> {
    let lead =
        match to {
            Some(target) if !target.coordinator => return Err(Refusal::invalid(
                "to",
                "The person you chose is not a coordinator: only a coordinator can lead a case.",
            )),
            Some(target) => target.user,
            None => actor.user,
        };
    let from = case.lead.as_ref().map(|l| l.user);
    if from == Some(lead) {
        let who = if lead == actor.user {
            "You already lead".to_string()
        } else {
            "That coordinator already leads".to_string()
        };
        return Err(Refusal::wrong_state(format!(
            "{who} case {}.",
            case.reference
        )));
    }
    Ok(vec![EventKind::LeadChanged { lead, from }])
}
