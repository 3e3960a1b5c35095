//! Reminders for the transferring stage: each open step on the day it is due (the roll
//! change a school week after the heads' decision, the child-protection file five school
//! days after the removal, the other records fifteen). The digest lists them as overdue
//! once that day has passed.

use super::{Plan, ReminderKind};
use crate::domain::transfer;

pub(super) fn plan(plan: &mut Plan) {
    for step in transfer::steps(plan.case) {
        let (None, Some(due), Some(kind)) = (&step.done, step.due, ReminderKind::of_key(step.key))
        else {
            continue;
        };
        plan.push(step.key.into(), kind, due, due);
    }
}
