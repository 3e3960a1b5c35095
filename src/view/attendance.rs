//! A case's weekly attendance as text: one line per school week of the placement (reported
//! or not), the threshold and the baseline. Shown only to people who may see the case.

use chrono::NaiveDate;

use super::defuse;
use crate::domain::attendance::{self, placement_weeks};
use crate::domain::{Case, Partnership};

/// The most week rows shown (each is about 60 characters).
const MAX_ROWS: usize = 40;

/// The weeks so far in a fixed-width table (a code block in Discord), then a summary line
/// and any notes. Weeks not yet due are left out; a missing one says so.
pub fn attendance_table(case: &Case, p: &Partnership, today: NaiveDate) -> String {
    let threshold = p.policy.attendance_threshold();
    let mut rows = vec![format!(
        "{:<10} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>7}",
        "Week of", "Poss", "Att", "Auth", "Unau", "Late", "Inc", "Susp", "%"
    )];
    let mut notes = Vec::new();
    for week in placement_weeks(case, p) {
        match case.attendance.get(&week.monday) {
            Some(w) => {
                let r = &w.report;
                let flag = if attendance::is_low(r, threshold) {
                    " ⚑"
                } else {
                    ""
                };
                rows.push(format!(
                    "{:<10} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>4} {:>7}{flag}",
                    week.monday.format("%-d %b %y"),
                    r.possible,
                    r.attended,
                    r.authorised,
                    r.unauthorised,
                    r.late,
                    r.incidents,
                    r.suspensions,
                    r.percent().to_string(),
                ));
                if let Some(note) = &r.note {
                    notes.push(format!(
                        "{}: {}",
                        week.monday.format("%-d %b"),
                        defuse(note.as_str())
                    ));
                }
            }
            None if week.first_day <= today => rows.push(format!(
                "{:<10} not reported (due {})",
                week.monday.format("%-d %b %y"),
                week.due.format("%a %-d %b")
            )),
            None => {}
        }
    }
    // An embed holds 4,096 characters: the latest weeks are the ones people act on.
    if rows.len() > MAX_ROWS + 1 {
        let left_out = rows.len() - 1 - MAX_ROWS;
        rows.drain(1..=left_out);
        rows.insert(1, format!("… {left_out} earlier week(s) left out"));
    }
    let overall = attendance::overall(&case.attendance)
        .map_or_else(|| "no weeks reported yet".to_string(), |p| p.to_string());
    let baseline = case
        .baseline_attendance
        .map_or_else(|| "not given".to_string(), |b| b.to_string());
    let mut out = format!(
        "```\n{}\n```\nDuring the placement: {overall} · last term (baseline): {baseline} · threshold: {threshold} (⚑ at or below)",
        rows.join("\n")
    );
    if !notes.is_empty() {
        out.push_str("\n**Notes**\n");
        out.push_str(&notes.join("\n"));
    }
    out
}

/// The case card's one-line summary, when anything is known.
pub fn attendance_summary(case: &Case, p: &Partnership) -> String {
    let threshold = p.policy.attendance_threshold();
    let mut parts = Vec::new();
    if let Some(overall) = attendance::overall(&case.attendance) {
        parts.push(format!("{overall} over {} week(s)", case.attendance.len()));
    }
    if let Some(baseline) = case.baseline_attendance {
        parts.push(format!("baseline {baseline}"));
    }
    if let Some(low) = attendance::latest_low(case, threshold) {
        parts.push(format!(
            "⚑ week of {} at or below {threshold}",
            low.format("%-d %b")
        ));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::attendance::AttendanceReport;
    use crate::domain::testkit::*;
    use crate::domain::Action;

    #[test]
    fn the_table_lists_reported_weeks_flags_low_ones_and_names_missing_ones() {
        let report = AttendanceReport::of_ten;
        let b = CaseBuilder::new()
            .propose()
            .accepted()
            .agreed()
            .active()
            .at(Utc.with_ymd_and_hms(2026, 12, 9, 10, 0, 0).unwrap())
            .act(
                &staff_of(DESTINATION),
                Action::RecordAttendance {
                    week: day(2026, 11, 30),
                    report: report(8),
                },
            )
            .act(
                &staff_of(DESTINATION),
                Action::RecordAttendance {
                    week: day(2026, 12, 7),
                    report: report(10),
                },
            );
        let table = attendance_table(b.case(), b.partnership(), day(2026, 12, 9));
        assert!(
            table.contains("23 Nov 26  not reported (due Fri 27 Nov)"),
            "{table}"
        );
        assert!(table.contains("80.0% ⚑"), "{table}");
        assert!(table.contains("100.0%"), "{table}");
        assert!(
            !table.contains("14 Dec"),
            "a week not started is left out: {table}"
        );
        assert!(table.contains("During the placement: 90.0%"), "{table}");
        let summary = attendance_summary(b.case(), b.partnership());
        assert_eq!(summary, "90.0% over 2 week(s)");
    }
}
