//! How many moves lasted: of the cases followed up one term after they closed, how many
//! found the pupil still on the roll of the school responsible, by how the case ended and
//! by that school.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::{Case, CaseState, Outcome, Partnership, SchoolKey};

/// Followed up, and of those, still on roll.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Lasted {
    pub followed_up: usize,
    pub on_roll: usize,
}

impl Lasted {
    fn add(&mut self, on_roll: bool) {
        self.followed_up += 1;
        self.on_roll += usize::from(on_roll);
    }

    fn line(self) -> String {
        format!("{} of {}", self.on_roll, self.followed_up)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FollowUpFigures {
    pub total: Lasted,
    /// By how the case ended: `permanent`, `returned` (completed) or `terminated`.
    pub by_outcome: BTreeMap<String, Lasted>,
    /// By the school responsible for the pupil (the one that recorded the follow-up).
    pub by_school: BTreeMap<SchoolKey, Lasted>,
}

/// How the case ended, as the statistics name it.
fn ending(case: &Case) -> &'static str {
    match (case.state, case.outcome) {
        (CaseState::Completed, Some(Outcome::Permanent)) => "permanent",
        (CaseState::Completed, _) => "returned",
        _ => "terminated",
    }
}

impl FollowUpFigures {
    /// Counts a case's follow-up, if recorded. `only`: a head's own school's figures.
    pub fn add(&mut self, case: &Case, only: Option<&[SchoolKey]>) {
        let Some(f) = &case.follow_up else {
            return;
        };
        self.total.add(f.on_roll);
        self.by_outcome
            .entry(ending(case).to_string())
            .or_default()
            .add(f.on_roll);
        if only.is_none_or(|schools| schools.contains(&f.school)) {
            self.by_school
                .entry(f.school.clone())
                .or_default()
                .add(f.on_roll);
        }
    }

    /// "Moves that lasted (on roll at the follow-up): 3 of 4 (permanent 2 of 2, ...); by
    /// school: Riverside 1 of 2, ..."
    pub fn line(&self, p: &Partnership) -> String {
        if self.total.followed_up == 0 {
            return "Moves that lasted (on roll at the follow-up one term on): none followed up yet."
                .into();
        }
        let outcomes: Vec<String> = self
            .by_outcome
            .iter()
            .map(|(o, n)| format!("{o} {}", n.line()))
            .collect();
        let schools: Vec<String> = self
            .by_school
            .iter()
            .map(|(s, n)| format!("{} {}", p.school_name(s), n.line()))
            .collect();
        format!(
            "Moves that lasted (on roll at the follow-up one term on): {} ({}); by school: {}.",
            self.total.line(),
            outcomes.join(", "),
            schools.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attendance::Percent;
    use crate::domain::returning::follow_up_due;
    use crate::domain::testkit::*;
    use crate::domain::{Action, CaseState};

    fn followed_up(b: CaseBuilder, by: &str, on_roll: bool) -> Case {
        let due = follow_up_due(b.case(), b.partnership()).unwrap();
        let at = b
            .partnership()
            .instant(due, chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        let action = Action::RecordFollowUp {
            on_roll,
            attendance: Percent::from_tenths(900),
            suspensions: 0,
            note: None,
        };
        b.at(at).act(&head_of(by), action).build()
    }

    #[test]
    fn moves_that_lasted_are_counted_by_outcome_and_by_responsible_school() {
        let active = || CaseBuilder::proposed().accepted().agreed().active();
        let permanent = active().transferred();
        assert_eq!(permanent.case().state, CaseState::Completed);
        let cases = [
            followed_up(permanent, DESTINATION, true),
            followed_up(active().returned(), HOME, true),
            followed_up(active().terminated(), HOME, false),
            active().returned().build(),
        ];
        let mut f = FollowUpFigures::default();
        for c in &cases {
            f.add(c, None);
        }
        assert_eq!(
            f.total,
            Lasted {
                followed_up: 3,
                on_roll: 2
            }
        );
        assert_eq!(
            f.by_outcome["permanent"],
            Lasted {
                followed_up: 1,
                on_roll: 1
            }
        );
        assert_eq!(
            f.by_outcome["terminated"],
            Lasted {
                followed_up: 1,
                on_roll: 0
            }
        );
        assert_eq!(
            f.by_school[&school(HOME)],
            Lasted {
                followed_up: 2,
                on_roll: 1
            }
        );
        assert_eq!(
            f.by_school[&school(DESTINATION)],
            Lasted {
                followed_up: 1,
                on_roll: 1
            }
        );
        let line = f.line(partnership());
        assert!(
            line.contains(": 2 of 3 (permanent 1 of 1, returned 1 of 1, terminated 0 of 1)"),
            "{line}"
        );
        assert!(line.contains("Riverside"), "{line}");
    }
}
