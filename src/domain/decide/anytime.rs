//! Actions that belong to no single stage: the transition checklist (from acceptance to
//! the end of the placement) and snoozing one of the case's reminders.

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState};
use crate::domain::command::ActionKind;
use crate::domain::next_step::all_steps;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;
use crate::domain::reminders::escalation::step_key;
use crate::domain::reminders::{ReminderKind, MAX_SNOOZE_DAYS};

/// May this action be taken on the case now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    use CaseState as S;
    match kind {
        ActionKind::RateChecklist
            if !matches!(case.state, S::Accepted | S::Agreeing | S::Active) =>
        {
            Err(Refusal::wrong_state(
                "The checklist opens once the destination head has accepted.",
            ))
        }
        // Which reminders there are depends on the key typed: checked with the data.
        _ => Ok(()),
    }
}

/// A snooze names one of this case's reminders, or one of the steps it owes (silencing
/// the step's overdue reminder and its escalation), and a later day, within reason.
pub(super) fn check_snooze(
    case: &Case,
    key: &str,
    until: NaiveDate,
    today: NaiveDate,
    p: &Partnership,
) -> Result<(), Refusal> {
    let owes = |step: &str| all_steps(case, p).iter().any(|s| s.key == step);
    let applies = match ReminderKind::of_key(key) {
        Some(ReminderKind::StepOverdue | ReminderKind::StepEscalated) => owes(step_key(key)),
        Some(kind) => kind.applies_in(case.state) || owes(key),
        None => owes(key),
    };
    if !applies {
        return Err(Refusal::invalid(
            "reminder",
            "That is not one of this case's reminders or owed steps. `/dates show` lists them.",
        ));
    }
    let latest = today + chrono::Days::new(MAX_SNOOZE_DAYS);
    if until <= today || until > latest {
        return Err(Refusal::invalid_owned(
            "until",
            format!("Snooze until a day after today and within {MAX_SNOOZE_DAYS} days."),
        ));
    }
    Ok(())
}
