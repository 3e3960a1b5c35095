//! One rule for every owed step (issue 15): a step still owed N school days after its due
//! day (`policy.escalate_after_school_days`) reminds its owner once; after N more it is
//! escalated to the coordinators, once. The per-step reminders the placement and endings
//! work planned (home registration, attendance reports, the transferring and returning
//! steps, approvals, the follow-up...) are cases of this rule now, so nobody is reminded
//! twice about one step. Snoozing a step (by its key) delays both until the new date.

use chrono::NaiveDate;

use super::{Plan, Recipients, ReminderKind};
use crate::domain::approvals::Approver;
use crate::domain::case::Case;
use crate::domain::next_step::{all_steps, Owner, Step};
use crate::domain::partnership::Partnership;

/// The key prefix of a step's overdue reminder: `overdue_<step key>`.
pub const OVERDUE: &str = "overdue_";
/// The key prefix of a step's escalation to the coordinators: `escalated_<step key>`.
pub const ESCALATED: &str = "escalated_";

/// When a step is reminded and escalated, if it is still owed then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// The owner is reminded on this school day.
    pub overdue_on: NaiveDate,
    /// The coordinators hear of it on this school day (and the digest lists it from then).
    pub escalated_on: NaiveDate,
}

/// The rule's two days for `step`, or `None` when the partnership turned escalation off.
/// A snooze of the step (or of its overdue reminder) to a later day moves the reminder to
/// that day and the escalation a whole period after it: the clock starts again.
pub fn timing(step: &Step, case: &Case, p: &Partnership) -> Option<Timing> {
    let n = u32::from(p.policy.escalate_after_school_days);
    if n == 0 {
        return None;
    }
    let cal = &p.calendar;
    let mut t = Timing {
        overdue_on: cal.add_school_days(step.due, n),
        escalated_on: cal.add_school_days(step.due, 2 * n),
    };
    let snoozed = [step.key.clone(), format!("{OVERDUE}{}", step.key)]
        .iter()
        .filter_map(|k| case.snoozed.get(k))
        .max()
        .map(|until| cal.on_or_after(*until));
    if let Some(until) = snoozed.filter(|u| *u > t.overdue_on) {
        t.overdue_on = until;
        t.escalated_on = t.escalated_on.max(cal.add_school_days(until, n));
    }
    Some(t)
}

/// The steps the case owes, each with its timing (none when escalation is off).
pub fn timed_steps(case: &Case, p: &Partnership) -> Vec<(Step, Timing)> {
    all_steps(case, p)
        .into_iter()
        .filter_map(|s| timing(&s, case, p).map(|t| (s, t)))
        .collect()
}

/// The steps overdue today (past their due day), whatever their escalation: the steps a
/// coordinator may ping their owner about.
pub fn overdue_steps(case: &Case, p: &Partnership, today: NaiveDate) -> Vec<Step> {
    let mut steps = all_steps(case, p);
    steps.retain(|s| s.since <= today && s.is_overdue(today));
    steps
}

/// The steps escalated by today (and not snoozed past it), each with the school days it
/// is overdue: the digest's "Escalated" list.
pub fn escalated_steps(case: &Case, p: &Partnership, today: NaiveDate) -> Vec<(Step, u32)> {
    timed_steps(case, p)
        .into_iter()
        .filter(|(s, t)| s.since <= today && today >= t.escalated_on)
        .map(|(s, _)| {
            let days = p.calendar.school_days_between(s.due, today);
            (s, days)
        })
        .collect()
}

/// Whether the step (or its overdue reminder) is snoozed past `today`.
pub fn is_snoozed(step: &Step, case: &Case, today: NaiveDate) -> bool {
    [step.key.clone(), format!("{OVERDUE}{}", step.key)]
        .iter()
        .any(|k| case.snoozed.get(k).is_some_and(|until| *until > today))
}

/// Whether a coordinator can ping a step's owner in Discord: a school's head or staff (or
/// both heads), called on in the case thread. The panel and the approver have their own
/// channel's reminder; outside bodies and the coordinators' own steps are chased directly.
pub fn pingable(owner: &Owner) -> bool {
    matches!(owner, Owner::Head(_) | Owner::School(_) | Owner::BothHeads)
}

/// The step a reminder key names (`overdue_x`, `escalated_x` or the step key itself).
pub fn step_key(key: &str) -> &str {
    key.strip_prefix(OVERDUE)
        .or_else(|| key.strip_prefix(ESCALATED))
        .unwrap_or(key)
}

/// Where the owner of a step is reminded: a school's head or staff in the case thread
/// (mentioning that school's head role), the panel or the approver in their channel, and
/// the coordinators for their own steps and for outside bodies, which they chase.
pub fn recipients(owner: &Owner, case: &Case) -> Recipients {
    match owner {
        Owner::Head(school) | Owner::School(school) if *school == case.home => Recipients::HomeHead,
        Owner::Head(_) | Owner::School(_) => Recipients::DestinationHead,
        Owner::BothHeads => Recipients::CaseTeam,
        Owner::Panel | Owner::Approver(Approver::Seip) => Recipients::Panel,
        Owner::Approver(_) | Owner::Coordinators | Owner::LocalAuthority => {
            Recipients::Coordinators
        }
    }
}

/// Plans the overdue reminder and the escalation of every step the case will owe.
pub(super) fn plan(plan: &mut Plan) {
    let (case, p) = (plan.case, plan.p);
    for (step, t) in timed_steps(case, p) {
        let to = recipients(&step.owner, case);
        let overdue = format!("{OVERDUE}{}", step.key);
        plan.push_to(
            overdue,
            ReminderKind::StepOverdue,
            step.due,
            t.overdue_on,
            to,
        );
        let escalated = format!("{ESCALATED}{}", step.key);
        let coordinators = Recipients::Coordinators;
        plan.push_to(
            escalated,
            ReminderKind::StepEscalated,
            step.due,
            t.escalated_on,
            coordinators,
        );
    }
}
