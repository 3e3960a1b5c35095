//! Safeguarding information before the start (DOMAIN.md, "Extra approvals and the family's
//! part"): the home school's designated safeguarding lead shares what the destination's
//! needs to know, or records that there is nothing to share; the destination confirms it.
//! The bot records that it was shared, when, by whom: never the information itself.

use crate::domain::case::Case;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

use super::guards::require_before_start;

pub(super) fn may_share(case: &Case) -> Result<(), Refusal> {
    require_before_start(case, "record the safeguarding information")
}

pub(super) fn may_confirm(case: &Case) -> Result<(), Refusal> {
    require_before_start(case, "confirm the safeguarding information")?;
    match &case.safeguarding {
        None => Err(Refusal::blocked(
            "The home school has not recorded the safeguarding information yet (`/safeguarding shared`).",
        )),
        Some(shared) if shared.confirmed.is_some() => Err(Refusal::wrong_state(
            "The safeguarding information was already confirmed as received.",
        )),
        Some(_) => Ok(()),
    }
}

pub fn missing_gates(case: &Case, p: &Partnership) -> Vec<String> {
    let destination = p.school_name(&case.destination);
    match &case.safeguarding {
        None => vec![format!(
            "{} must record the safeguarding information shared (`/safeguarding shared`)",
            p.school_name(&case.home)
        )],
        Some(shared) if shared.confirmed.is_none() => vec![format!(
            "{destination} must confirm it received the safeguarding information (`/safeguarding confirm`)"
        )],
        Some(_) => Vec::new(),
    }
}
