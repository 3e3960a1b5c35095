//! Reminders of the returning stage (each step not done, on its due day) and of the
//! follow-up one term after a move closed.

use super::{Plan, ReminderKind};
use crate::domain::returning::{follow_up_due, open_steps, Side, Step};

fn kind(step: Step) -> ReminderKind {
    match step {
        Step::Meeting => ReminderKind::ReintegrationMeeting,
        Step::Plan => ReminderKind::ReintegrationPlan,
        Step::Registration(Side::Destination) => ReminderKind::ReturnRegistrationDestination,
        Step::Registration(Side::Home) => ReminderKind::ReturnRegistrationHome,
    }
}

/// Each step still to do, on the day it is due.
pub(super) fn plan(plan: &mut Plan<'_>) {
    for (step, due) in open_steps(plan.case, plan.p) {
        plan.push(step.key().into(), kind(step), due, due);
    }
}

/// The follow-up, on the day it falls due, until it is recorded.
pub(super) fn follow_up(plan: &mut Plan<'_>) {
    if plan.case.follow_up.is_some() {
        return;
    }
    if let Some(due) = follow_up_due(plan.case, plan.p) {
        let kind = ReminderKind::FollowUp;
        plan.push(kind.as_str().into(), kind, due, due);
    }
}
