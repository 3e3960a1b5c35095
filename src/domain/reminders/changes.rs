//! Reminders for changes to a running placement: the review a parent asked for, on the
//! day it is due, and the parent's agreement to an extension, the next school day.

use super::{Plan, ReminderKind};

pub(super) fn plan(plan: &mut Plan) {
    let case = plan.case;
    if let Some(due) = case.open_review_request().and_then(|r| r.due) {
        plan.push(
            ReminderKind::RequestedReview.as_str().into(),
            ReminderKind::RequestedReview,
            due,
            due,
        );
    }
    if case.awaits_parent_for_extension() {
        if let Some((_, agreed)) = case.extension.as_ref().and_then(|e| e.agreed.as_ref()) {
            let day = plan.cal().add_school_days(plan.p.today(agreed.at), 1);
            plan.push(
                ReminderKind::ExtensionConsent.as_str().into(),
                ReminderKind::ExtensionConsent,
                day,
                day,
            );
        }
    }
}
