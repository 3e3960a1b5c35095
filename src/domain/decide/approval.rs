//! The extra approval some partnerships ask for before a move in an exam year, and the
//! destination's word on the pupil's exam courses (DOMAIN.md, "Extra approvals and the
//! family's part"). Like the SEIP panel's decision: the role the policy names decides,
//! never someone who works at either school on the case.

use crate::domain::approvals::{Approver, ExamCourses};
use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::ids::Text;
use crate::domain::partnership::Partnership;
use crate::domain::permissions::Actor;
use crate::domain::refusal::Refusal;

use super::guards::require_before_start;

/// Who must approve this case: the role asked when it was accepted, else (a case accepted
/// before the policy) what the policy says for its year group now.
pub(super) fn approver(case: &Case, p: &Partnership) -> Option<Approver> {
    case.approval_asked
        .or_else(|| p.policy.extra_approval.approver_for(case.pupil.year))
        .filter(|a| *a != Approver::Off)
}

/// Accepting a proposal in an exam year asks the policy's role for its approval.
pub(super) fn on_accept(case: &Case, p: &Partnership) -> Vec<EventKind> {
    let mut events = vec![EventKind::Accepted];
    if let Some(by) = p.policy.extra_approval.approver_for(case.pupil.year) {
        events.push(EventKind::ExtraApprovalAsked { by });
    }
    events
}

fn outside_the_years(case: &Case, p: &Partnership) -> Refusal {
    let policy = &p.policy.extra_approval;
    if policy.by == Approver::Off {
        Refusal::wrong_state("This partnership asks for no extra approval before a move.")
    } else {
        Refusal::wrong_state(format!(
            "Case {} is a {} case; this partnership asks for an extra approval only in {}.",
            case.reference,
            case.pupil.year,
            policy.years_label()
        ))
    }
}

/// May this actor record the extra approval's decision now? Only the named role, never a
/// head or staff of either school on the case, once, before the start.
pub(super) fn may_decide(case: &Case, actor: &Actor, p: &Partnership) -> Result<(), Refusal> {
    let Some(approver) = approver(case, p) else {
        return Err(outside_the_years(case, p));
    };
    if !approver.capacity().is_some_and(|c| actor.is(&c)) {
        return Err(Refusal::not_permitted(format!(
            "Only {} can record this case's extra approval.",
            approver.label()
        )));
    }
    if !actor.headed_schools_on(case).is_empty() {
        return Err(Refusal::not_permitted(
            "You head one of the schools on this case, so someone else must record the approval.",
        ));
    }
    if actor.works_at_either(case) {
        return Err(Refusal::not_permitted(
            "You work at one of the schools on this case, so someone else must record the approval.",
        ));
    }
    if let Some(decision) = &case.extra_approval {
        return Err(Refusal::wrong_state(format!(
            "The extra approval was already recorded on {} by <@{}>.",
            p.today(decision.recorded.at),
            decision.recorded.by
        )));
    }
    require_before_start(case, "record the extra approval")
}

pub(super) fn decide(
    case: &Case,
    approve: bool,
    reason: &Option<Text>,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    if !approve && reason.is_none() {
        return Err(Refusal::invalid(
            "reason",
            "Give the reason for declining: it is shared with both schools.",
        ));
    }
    let by_role = approver(case, p).unwrap_or_default();
    Ok(vec![EventKind::ExtraApprovalDecided {
        approved: approve,
        by_role,
        reason: reason.clone(),
    }])
}

/// The destination says whether exam courses continue, only where the approval applies.
pub(super) fn may_exam_courses(case: &Case, p: &Partnership) -> Result<(), Refusal> {
    if approver(case, p).is_none() {
        return Err(outside_the_years(case, p));
    }
    require_before_start(case, "record whether the exam courses can continue")
}

pub(super) fn exam_courses(
    continues: ExamCourses,
    note: &Option<Text>,
) -> Result<Vec<EventKind>, Refusal> {
    if continues != ExamCourses::Yes && note.is_none() {
        return Err(Refusal::invalid(
            "note",
            "Say in a note which courses cannot continue and what happens instead.",
        ));
    }
    Ok(vec![EventKind::ExamCoursesRecorded {
        continues,
        note: note.clone(),
    }])
}

/// The start waits for the approval and the destination's word on the exam courses.
pub fn missing_gates(case: &Case, p: &Partnership) -> Vec<String> {
    let Some(approver) = approver(case, p) else {
        return Vec::new();
    };
    let mut missing = Vec::new();
    if !case.extra_approval.as_ref().is_some_and(|a| a.approved) {
        missing.push(format!(
            "{} must approve ({}: `/approval decide`)",
            approver.label(),
            p.policy.extra_approval.years_label()
        ));
    }
    if case.exam_courses.is_none() {
        missing.push(format!(
            "{} must say if the exam courses continue (`/approval exam-courses`)",
            p.school_name(&case.destination)
        ));
    }
    missing
}
