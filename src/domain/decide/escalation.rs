//! Pinging the owner of an overdue step (issue 15): only a step the case owes and that is
//! past its due day, and only one owed by a school's people, whom the bot can call on in
//! the case thread. Outside bodies and the coordinators' own steps are theirs to chase.

use chrono::NaiveDate;

use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;
use crate::domain::reminders::escalation::{overdue_steps, pingable};

pub(super) fn ping(
    case: &Case,
    step: &str,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    let Some(step) = overdue_steps(case, p, today)
        .into_iter()
        .find(|s| s.key == step.trim())
    else {
        return Err(Refusal::invalid(
            "step",
            "That step is not overdue on this case. `/case show` lists the steps it owes.",
        ));
    };
    if !pingable(&step.owner) {
        return Err(Refusal::invalid_owned(
            "step",
            format!(
                "That step is owed by the {}, not a school: chase it directly.",
                step.owner.label(p)
            ),
        ));
    }
    Ok(vec![EventKind::OwnerPinged {
        owner: step.owner.label(p),
        what: step.what.clone(),
        step: step.key,
    }])
}
