//! What must be recorded before a move can start, and when it may start.

use chrono::NaiveDate;

use crate::domain::case::{Case, MoveKind};
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

/// Everything that must be recorded before a move can become active, as short instructions.
pub fn missing_gates(case: &Case, partnership: &Partnership) -> Vec<String> {
    let mut missing = Vec::new();
    if case.meeting.is_none() {
        missing.push("schedule the initial meeting".to_string());
    }
    if let Some(held) = super::meeting::missing(case) {
        missing.push(held.to_string());
    }
    match &case.agreement {
        None => missing.push("record the agreement".to_string()),
        Some(agreement) => {
            for school in [&case.home, &case.destination] {
                if !agreement.signatures.contains_key(school) {
                    missing.push(format!(
                        "the head of {} must sign the agreement",
                        partnership.school_name(school)
                    ));
                }
            }
        }
    }
    missing.extend(super::consents::missing(case, partnership));
    if case.ehcp && case.ehcp_amendment.is_none() {
        missing.push("record the EHCP amendment".to_string());
    }
    if case.looked_after && case.virtual_school.is_none() {
        missing.push("record the Virtual School consultation".to_string());
    }
    if !case.registrations.contains_key(&case.destination) {
        missing.push(format!(
            "{} must confirm the pupil's subsidiary registration (`/move registered`)",
            partnership.school_name(&case.destination)
        ));
    }
    let panel_needed =
        case.kind == MoveKind::ManagedTransfer && partnership.policy.transfer_needs_panel;
    if panel_needed && !case.panel.as_ref().is_some_and(|d| d.approved) {
        missing.push("the SEIP panel must approve the transfer".to_string());
    }
    missing.extend(super::approval::missing_gates(case, partnership));
    missing.extend(super::safeguarding::missing_gates(case, partnership));
    missing.extend(super::family::missing_gates(case, partnership));
    missing
}

/// The move starts after the initial meeting, on a school day, not before the agreed start.
pub(super) fn check_start_date(case: &Case, p: &Partnership, on: NaiveDate) -> Result<(), Refusal> {
    if let Some(meeting) = &case.meeting {
        let meeting_day = p.today(meeting.at);
        if on < meeting_day {
            return Err(Refusal::blocked(format!(
                "The initial meeting is on {meeting_day}; the move starts after it."
            )));
        }
    }
    if let Some(agreement) = &case.agreement {
        if on < agreement.terms.start {
            return Err(Refusal::invalid_owned(
                "on",
                format!(
                    "The agreement starts the move on {}; start it then or later.",
                    agreement.terms.start
                ),
            ));
        }
    }
    if let Some(registered) = case.registrations.get(&case.destination) {
        if on < registered.from {
            return Err(Refusal::invalid_owned(
                "on",
                format!(
                    "The destination registered the pupil from {}; start the move then or later.",
                    registered.from
                ),
            ));
        }
    }
    if !p.calendar.is_school_day(on) {
        return Err(Refusal::invalid("on", "The move starts on a school day."));
    }
    super::family::check_start_after_notice(case, p, on)?;
    Ok(())
}
