//! The family's part: under an off-site direction, the written notice must reach the parent
//! at least two school days before the start, so the home school is reminded on the last
//! school day it can give it for the agreed start, until it is recorded.

use chrono::NaiveDate;

use super::{Plan, ReminderKind};
use crate::domain::calendar::SchoolCalendar;
use crate::domain::decide::NOTICE_SCHOOL_DAYS;
use crate::domain::family::LegalBasis;

/// The last school day a notice may be given for a start on `start`.
pub fn last_notice_day(cal: &SchoolCalendar, start: NaiveDate) -> NaiveDate {
    let mut day = start;
    for _ in 0..NOTICE_SCHOOL_DAYS {
        // Step back to the previous school day (a bounded walk: terms have school days).
        let mut back = 0;
        loop {
            day = day.pred_opt().unwrap_or(day);
            back += 1;
            if cal.is_school_day(day) || back > 60 {
                break;
            }
        }
    }
    day
}

pub(super) fn plan(plan: &mut Plan) {
    let case = plan.case;
    if plan.p.policy.legal_basis != LegalBasis::OffSiteDirection || case.notice.is_some() {
        return;
    }
    let Some(agreement) = &case.agreement else {
        return;
    };
    let start = agreement.terms.start;
    let day = last_notice_day(plan.cal(), start);
    plan.push(
        ReminderKind::NoticeDue.as_str().into(),
        ReminderKind::NoticeDue,
        start,
        day,
    );
}
