//! The extra approval (exam years) still waiting some school days after the acceptance:
//! the approving role is nudged in its channel, as the SEIP panel is for a transfer.

use super::{Plan, ReminderKind};

pub(super) fn plan(plan: &mut Plan) {
    let case = plan.case;
    let n = plan.s.panel_nudge_school_days;
    let waiting = case.approval_asked.is_some() && case.extra_approval.is_none();
    if let (true, true, Some(accepted)) = (waiting, n > 0, &case.decided) {
        let day = plan
            .cal()
            .add_school_days(plan.p.today(accepted.at), n.into());
        plan.push(
            ReminderKind::ApprovalNudge.as_str().into(),
            ReminderKind::ApprovalNudge,
            day,
            day,
        );
    }
}
