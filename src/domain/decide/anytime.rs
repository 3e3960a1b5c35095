//! Actions that belong to no single stage: the transition checklist (from acceptance to
//! the end of the placement) and snoozing one of the case's reminders.

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState};
use crate::domain::command::ActionKind;
use crate::domain::refusal::Refusal;
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

/// A snooze names one of this case's reminders and a later day, within reason.
pub(super) fn check_snooze(
    case: &Case,
    key: &str,
    until: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let applies = ReminderKind::of_key(key).is_some_and(|k| k.applies_in(case.state));
    if !applies {
        return Err(Refusal::invalid(
            "reminder",
            "That is not one of this case's reminders. `/dates show` lists them.",
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
