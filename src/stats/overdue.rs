//! Steps that went overdue in a term, and who owed them: the termly report's "overdue steps
//! by owner". Built from what a case already knows (the dates it sets and the records that
//! meet them), so a past term can be reported too.
//!
//! This is the one place the report asks "which steps were owed, and by whom"; when
//! `domain::next_step` lands it can be swapped in here without touching the report.

use chrono::NaiveDate;
use serde::Serialize;

use super::term::SchoolTerm;
use crate::domain::attendance::placement_weeks;
use crate::domain::returning::{follow_up_due, responsible_school};
use crate::domain::{Case, CaseRef, CaseState, Partnership, ReviewKind, SchoolKey};

/// Who owed a step. A step both heads owe is owed by each of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StepOwner {
    Head(SchoolKey),
    /// The school's staff (the weekly attendance report).
    Staff(SchoolKey),
}

impl StepOwner {
    pub fn school(&self) -> &SchoolKey {
        match self {
            StepOwner::Head(s) | StepOwner::Staff(s) => s,
        }
    }

    /// "Hillcrest head", "Hillcrest staff": schools by name, never by config key.
    pub fn label(&self, p: &Partnership) -> String {
        match self {
            StepOwner::Head(s) => format!("{} head", p.school_name(s)),
            StepOwner::Staff(s) => format!("{} staff", p.school_name(s)),
        }
    }
}

/// A step due in the term that was met late, or not met by the report's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueStep {
    pub reference: CaseRef,
    pub owners: Vec<StepOwner>,
    pub what: &'static str,
    pub due: NaiveDate,
    /// When it was done, if it was (late).
    pub done: Option<NaiveDate>,
}

/// The case's steps that fell due in `term` before `as_of` and were done after their day or
/// not at all.
pub fn overdue_steps(
    case: &Case,
    p: &Partnership,
    term: &SchoolTerm,
    as_of: NaiveDate,
) -> Vec<OverdueStep> {
    let mut steps = Vec::new();
    let mut owed = |owners: Vec<StepOwner>, what, due: NaiveDate, done: Option<NaiveDate>| {
        let late = match done {
            Some(done) => done > due,
            None => due < as_of,
        };
        if term.contains(due) && due < as_of && late {
            steps.push(OverdueStep {
                reference: case.reference,
                owners,
                what,
                due,
                done: done.filter(|d| *d <= as_of),
            });
        }
    };
    let head = |s: &SchoolKey| StepOwner::Head(s.clone());
    let day = |at| p.today(at);

    // The destination head's answer to the proposal, due after the nudge period.
    let nudge = u32::from(p.policy.proposal_nudge_school_days);
    if nudge > 0 && (case.state == CaseState::Proposed || case.decided.is_some()) {
        let due = p.calendar.add_school_days(day(case.proposed.at), nudge);
        let done = case.decided.as_ref().map(|d| day(d.at));
        owed(
            vec![head(&case.destination)],
            "answer the proposal",
            due,
            done,
        );
    }
    // The destination's weekly attendance report, due on the week's last school day.
    for week in placement_weeks(case, p) {
        let done = case
            .attendance
            .get(&week.monday)
            .map(|w| day(w.recorded.at));
        let staff = StepOwner::Staff(case.destination.clone());
        owed(vec![staff], "report a week's attendance", week.due, done);
    }
    // Reviews, held by both heads on the agreed day (while the move runs).
    if let Some(agreement) = &case.agreement {
        for (kind, due, what) in [
            (
                ReviewKind::Midpoint,
                agreement.midpoint_review,
                "hold the midpoint review",
            ),
            (
                ReviewKind::Final,
                agreement.final_review,
                "hold the final review",
            ),
        ] {
            let done = case.review(kind).map(|r| r.held_on);
            if done.is_some() || case.state == CaseState::Active {
                let both = vec![head(&case.home), head(&case.destination)];
                owed(both, what, due, done);
            }
        }
    }
    // The follow-up one term after the close, by the school now responsible.
    if let (Some(due), Some(school)) = (follow_up_due(case, p), responsible_school(case)) {
        let done = case.follow_up.as_ref().map(|f| day(f.recorded.at));
        owed(vec![head(school)], "record the follow-up", due, done);
    }
    steps
}

impl OverdueStep {
    /// "Riverside head and Hillcrest head".
    pub fn label_owners(&self, p: &Partnership) -> String {
        let labels: Vec<String> = self.owners.iter().map(|o| o.label(p)).collect();
        labels.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::testkit::*;
    use crate::stats::term;

    fn autumn() -> SchoolTerm {
        term::choose(
            &partnership().calendar,
            Some("autumn-2026"),
            day(2026, 12, 2),
        )
        .unwrap()
    }

    #[test]
    fn an_unanswered_proposal_is_owed_by_the_destination_head() {
        let b = CaseBuilder::proposed();
        let proposed = b.partnership().today(b.case().proposed.at);
        let steps = overdue_steps(b.case(), b.partnership(), &autumn(), day(2026, 12, 18));
        assert_eq!(steps.len(), 1, "{steps:?}");
        assert_eq!(steps[0].owners, [StepOwner::Head(school(DESTINATION))]);
        assert_eq!(
            steps[0].label_owners(partnership()),
            "Hillcrest School head"
        );
        assert!(steps[0].due > proposed && steps[0].done.is_none());
        // Before the answer was due, nothing is overdue.
        assert!(overdue_steps(b.case(), b.partnership(), &autumn(), proposed).is_empty());
    }

    #[test]
    fn a_missing_weekly_report_is_owed_by_destination_staff_and_a_late_review_by_both_heads() {
        let b = CaseBuilder::new()
            .propose()
            .accepted()
            .agreed()
            .active()
            .at(Utc.with_ymd_and_hms(2026, 12, 16, 10, 0, 0).unwrap())
            .reviewed(ReviewKind::Midpoint);
        let steps = overdue_steps(b.case(), b.partnership(), &autumn(), day(2026, 12, 18));
        let what: Vec<&str> = steps.iter().map(|s| s.what).collect();
        assert!(what.contains(&"report a week's attendance"), "{what:?}");
        let review = steps
            .iter()
            .find(|s| s.what == "hold the midpoint review")
            .expect("held a day late");
        assert_eq!(review.done, Some(day(2026, 12, 16)));
        assert_eq!(review.owners.len(), 2);
        // A term that ended before any of it fell due owes nothing.
        let spring = term::choose(
            &partnership().calendar,
            Some("spring-2027"),
            day(2027, 1, 5),
        );
        assert!(
            overdue_steps(b.case(), b.partnership(), &spring.unwrap(), day(2027, 1, 6))
                .iter()
                .all(|s| s.due >= day(2027, 1, 5))
        );
    }
}
