//! The coordinators' board: open cases by urgency, with next date and checklist progress.

use chrono::NaiveDate;

use crate::domain::attendance;
use crate::domain::{Case, CaseState, Partnership};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardLine {
    pub state: CaseState,
    pub text: String,
}

/// Lines for open cases, most urgent first: overdue, then by next date, then waiting longest.
pub fn board(cases: &[Case], p: &Partnership, today: NaiveDate) -> Vec<BoardLine> {
    let mut open: Vec<&Case> = cases.iter().filter(|c| !c.state.is_closed()).collect();
    // A returning case's steps are due by the calendar, which the case alone cannot count.
    let next_due = |c: &Case| match super::returning::board_status(c, p) {
        Some((due, _)) => Some(due),
        None => c.next_due(),
    };
    open.sort_by_key(|c| (next_due(c).unwrap_or(NaiveDate::MAX), c.updated_at));
    open.into_iter()
        .map(|c| {
            let progress = match super::returning::board_status(c, p) {
                Some((_, steps)) => steps,
                None => p.checklist.progress(&c.checklist).to_string(),
            };
            let due = match next_due(c) {
                Some(d) if d < today => format!("⚠️ overdue since {}", d.format("%-d %b")),
                Some(d) if d == today => "due today".to_string(),
                Some(d) => format!("next {}", d.format("%a %-d %b")),
                None => "awaiting decision".to_string(),
            };
            BoardLine {
                state: c.state,
                text: format!(
                    "`{}` {} → {} · {} · {} · {}{}{}{}",
                    c.reference,
                    p.school_name(&c.home),
                    p.school_name(&c.destination),
                    c.state,
                    due,
                    progress,
                    attendance_flag(c, p),
                    super::transfer::board_note(c),
                    super::lead::board_note(c)
                ),
            }
        })
        .collect()
}

/// A flag when the latest reported week is at or below the attendance threshold (the
/// figure stays on the case; the board says only that a week is low, and which).
fn attendance_flag(case: &Case, p: &Partnership) -> String {
    let Some(monday) = attendance::latest_low(case, p.policy.attendance_threshold()) else {
        return String::new();
    };
    format!(" · 🚩 attendance low (week of {})", monday.format("%-d %b"))
}
