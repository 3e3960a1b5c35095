//! Weekly attendance while the move is active: one report per school week of the
//! placement, and a second report for the same week is a correction.

use chrono::NaiveDate;

use crate::domain::attendance::{week_for_report, AttendanceReport};
use crate::domain::case::Case;
use crate::domain::event::EventKind;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;

use super::guards::require_active;

pub(super) fn may(case: &Case) -> Result<(), Refusal> {
    require_active(case, "report attendance")
}

pub(super) fn record(
    case: &Case,
    day: NaiveDate,
    report: &AttendanceReport,
    p: &Partnership,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    report.check()?;
    let week = week_for_report(case, p, day, today)?.monday;
    let report = report.clone();
    Ok(vec![match case.attendance.get(&week) {
        Some(already) if already.report == report => {
            return Err(Refusal::wrong_state(
                "That week is already reported with these figures; nothing to correct.",
            ))
        }
        Some(_) => EventKind::AttendanceCorrected { week, report },
        None => EventKind::AttendanceReported { week, report },
    }])
}
