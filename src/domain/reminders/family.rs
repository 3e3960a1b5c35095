//! The family's part: under an off-site direction, the written notice must reach the parent
//! at least two school days before the start. The last day it can be given is the step's
//! due day (`next_step`), so the escalation rule reminds it.

use chrono::NaiveDate;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::decide::NOTICE_SCHOOL_DAYS;

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
