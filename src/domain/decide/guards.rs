//! State guards shared by the stages: one sentence each for "not now", so the same
//! situation is refused in the same words whichever action hit it.

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState};
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

pub(super) fn require_proposed(case: &Case, p: &Partnership) -> Result<(), Refusal> {
    if case.state == CaseState::Proposed {
        return Ok(());
    }
    let by = case
        .decided
        .as_ref()
        .map(|s| format!(" by <@{}> on {}", s.by, p.today(s.at)))
        .unwrap_or_default();
    Err(Refusal::wrong_state(format!(
        "This proposal was already accepted{by}."
    )))
}

pub(super) fn require_before_start(case: &Case, what: &str) -> Result<(), Refusal> {
    match case.state {
        CaseState::Accepted | CaseState::Agreeing => Ok(()),
        CaseState::Proposed => Err(Refusal::wrong_state(format!(
            "You can {what} once the destination head has accepted the proposal."
        ))),
        _ => Err(Refusal::wrong_state(format!(
            "The move has already started, so you can't {what} now."
        ))),
    }
}

pub(super) fn require_active(case: &Case, what: &str) -> Result<(), Refusal> {
    if case.state == CaseState::Active {
        Ok(())
    } else {
        Err(Refusal::wrong_state(format!(
            "You can {what} only while the move is active."
        )))
    }
}

pub(super) fn not_in_future(day: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if day > today {
        Err(Refusal::invalid(
            "date",
            "That date is in the future; record things once they have happened.",
        ))
    } else {
        Ok(())
    }
}
