//! Consents belong to the terms they were given for (DOMAIN.md, "Extra approvals and the
//! family's part"): when the agreement is recorded again with different terms, the
//! parent's and pupil's agreement is recorded again. For a looked-after child, consent
//! comes from those with parental responsibility: the local authority, through the social
//! worker, and the parents where they share it.

use crate::domain::case::Case;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

use super::guards::require_before_start;

pub(super) fn may_local_authority(case: &Case) -> Result<(), Refusal> {
    if !case.looked_after {
        return Err(Refusal::wrong_state(
            "This case is not marked as a looked-after child, so the parent/carer's agreement is enough.",
        ));
    }
    require_before_start(case, "record the local authority's agreement")
}

/// Whether a consent given for terms version `given` is for older terms than the current.
fn stale(case: &Case, given: Option<u32>) -> bool {
    given.is_some_and(|v| v < case.terms_version)
}

/// Why a consent must be given again, for the card and the start's refusal.
fn again(case: &Case, p: &Partnership, who: &str) -> String {
    let when = case
        .terms_changed
        .as_ref()
        .map(|s| format!(" on {}", p.today(s.at)))
        .unwrap_or_default();
    format!("record {who} agreement again (the terms changed{when})")
}

/// The consents the start still needs, in the order they are asked for.
pub fn missing(case: &Case, p: &Partnership) -> Vec<String> {
    let mut missing = Vec::new();
    let parents_needed =
        !case.looked_after || case.la_consent.as_ref().is_none_or(|c| c.parents_share);
    if case.looked_after {
        match &case.la_consent {
            None => missing.push(
                "record the local authority's agreement (`/consent local-authority`)".to_string(),
            ),
            Some(c) if stale(case, Some(c.for_terms)) => {
                missing.push(again(case, p, "the local authority's"))
            }
            Some(_) => {}
        }
    }
    if parents_needed {
        if case.parent_consent.is_none() {
            missing.push("record the parent/carer's agreement".to_string());
        } else if stale(case, case.parent_consent_terms) {
            missing.push(again(case, p, "the parent/carer's"));
        }
    }
    if p.policy.pupil_consent_required {
        if case.pupil_consent.is_none() {
            missing.push("record the pupil's agreement".to_string());
        } else if stale(case, case.pupil_consent_terms) {
            missing.push(again(case, p, "the pupil's"));
        }
    }
    missing
}
