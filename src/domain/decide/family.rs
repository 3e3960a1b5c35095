//! The family's part and the law (DOMAIN.md, "Extra approvals and the family's part"): the
//! parent's copy of the agreement, and, when the partnership's legal basis is an off-site
//! direction, the written notice at least two school days before the start.

use chrono::NaiveDate;

use crate::domain::case::{Case, MoveReason};
use crate::domain::command::ActionKind;
use crate::domain::event::{EventKind, Proposal};
use crate::domain::family::LegalBasis;
use crate::domain::ids::Text;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

use super::guards::{not_in_future, require_before_start};

/// School days between the notice and the earliest start (DOMAIN.md: "at least two school
/// days before the start").
pub const NOTICE_SCHOOL_DAYS: u32 = 2;

fn off_site(p: &Partnership) -> bool {
    p.policy.legal_basis == LegalBasis::OffSiteDirection
}

/// May the home head record the parent's copy or the notice now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case, p: &Partnership) -> Result<(), Refusal> {
    let what = match kind {
        ActionKind::RecordParentCopy => "record the parent's copy of the agreement",
        ActionKind::RecordNotice => "record the written notice",
        _ => return Ok(()),
    };
    if kind == ActionKind::RecordNotice && !off_site(p) {
        return Err(Refusal::wrong_state(
            "This partnership places pupils by managed move, not off-site direction, so no written notice is recorded.",
        ));
    }
    require_before_start(case, what)?;
    if case.agreement.is_none() {
        return Err(Refusal::wrong_state(
            "There is no agreement yet: record it with `/agreement record` first, then give the family its copy.",
        ));
    }
    Ok(())
}

/// The day the agreement (as it stands) was recorded: its first signature.
fn agreement_recorded_on(case: &Case, p: &Partnership) -> Option<NaiveDate> {
    let agreement = case.agreement.as_ref()?;
    let first = agreement.signatures.values().map(|s| s.at).min()?;
    Some(p.today(first))
}

pub(super) fn record_copy(
    case: &Case,
    on: NaiveDate,
    how: &Text,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    if let Some(recorded) = agreement_recorded_on(case, p).filter(|r| on < *r) {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The agreement was recorded on {recorded}; its copy can't have been given before."
            ),
        ));
    }
    Ok(vec![EventKind::ParentCopyGiven {
        on,
        how: how.clone(),
    }])
}

pub(super) fn record_notice(
    case: &Case,
    on: NaiveDate,
    how: &Text,
    la_notified: Option<NaiveDate>,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    let proposed_on = p.today(case.proposed.at);
    if on < proposed_on {
        return Err(Refusal::invalid(
            "on",
            "The notice can't have been given before the move was proposed.",
        ));
    }
    if let Some(la) = la_notified {
        not_in_future(la, today)?;
        if la < proposed_on {
            return Err(Refusal::invalid(
                "la_notified",
                "The local authority can't have been given notice before the move was proposed.",
            ));
        }
    }
    Ok(vec![EventKind::NoticeGiven {
        on,
        how: how.clone(),
        la_notified,
    }])
}

/// Is the parent's copy recorded, and given for the agreement as it stands (not one
/// recorded again since)?
pub fn copy_is_current(case: &Case) -> bool {
    let Some(copy) = &case.parent_copy else {
        return false;
    };
    let recorded = case
        .agreement
        .as_ref()
        .and_then(|a| a.signatures.values().map(|s| s.at).min());
    recorded.is_none_or(|at| copy.recorded.at >= at)
}

/// This stage's gates of the start, as short instructions (see `gates::missing_gates`).
pub fn missing_gates(case: &Case, p: &Partnership) -> Vec<String> {
    let mut missing = Vec::new();
    if p.policy.parent_copy_required && !copy_is_current(case) {
        let again = if case.parent_copy.is_some() {
            " again: the agreement was recorded again after the last copy"
        } else {
            ""
        };
        missing.push(format!(
            "give the parent/carer their copy of the agreement{again} (`/document parent-copy`, then `/consent copy-given`)"
        ));
    }
    if off_site(p) {
        match &case.notice {
            None => missing.push(
                "give the parent/carer written notice of the off-site direction (`/document notice`, then `/consent notice-given`)"
                    .to_string(),
            ),
            Some(n) if case.ehcp && n.la_notified.is_none() => missing.push(
                "give the local authority notice of the off-site direction too (EHCP pupil: `/consent notice-given` with `la_notified`)"
                    .to_string(),
            ),
            Some(_) => {}
        }
    }
    missing
}

/// The first school day the move may start after notice given on `given`.
pub fn earliest_start_after_notice(p: &Partnership, given: NaiveDate) -> NaiveDate {
    p.calendar.add_school_days(given, NOTICE_SCHOOL_DAYS)
}

/// Under an off-site direction the move starts no earlier than two school days after the
/// written notice was given.
pub(super) fn check_start_after_notice(
    case: &Case,
    p: &Partnership,
    on: NaiveDate,
) -> Result<(), Refusal> {
    let Some(notice) = case.notice.as_ref().filter(|_| off_site(p)) else {
        return Ok(());
    };
    let earliest = earliest_start_after_notice(p, notice.on);
    if on < earliest {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The written notice was given on {}; an off-site direction starts at least two school days later, on {} at the earliest.",
                notice.on.format("%A %-d %B"),
                earliest.format("%A %-d %B %Y")
            ),
        ));
    }
    Ok(())
}

/// A warning (never a refusal) for a proposal under an off-site direction whose only
/// reason is attendance: a direction is for improving behaviour.
pub fn attendance_only_warning(p: &Partnership, proposal: &Proposal) -> Option<String> {
    (off_site(p) && proposal.reason == MoveReason::Attendance).then(|| {
        "⚠ An off-site direction is for improving behaviour; attendance alone is a weak reason for one. Say in the notice what behaviour the placement is to improve.".to_string()
    })
}
