//! The rules that vary between partnerships, with the seeds' rules as defaults.

use serde::{Deserialize, Serialize};

use super::family::LegalBasis;
use super::meetings::SchoolHours;

/// How a move's length is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum WeekCounting {
    /// Seven calendar days a week (the seeds' 12 weeks).
    #[default]
    Calendar,
    /// Five school days a week: holidays do not use up the placement.
    School,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// The longest placement the meeting may choose, in weeks (seed: 12).
    pub max_weeks: u8,
    /// Where the formal review falls, as a fraction of the placement (seed: halfway, 0.5).
    pub review_at: f64,
    pub week_counting: WeekCounting,
    /// Whether a managed transfer (no return) needs the SEIP panel's approval (seed: yes).
    pub transfer_needs_panel: bool,
    /// Whether the pupil's own agreement is required before the move starts (seed: yes).
    pub pupil_consent_required: bool,
    /// What the partnership calls a move, used in messages and documents.
    pub move_name: String,
    /// Nudge the destination head when a proposal has had no answer for this many school days.
    pub proposal_nudge_school_days: u8,
    /// The longest a placement may run, from its start, once extended (None: `max_weeks`,
    /// so by default only a placement agreed shorter than the maximum can be extended).
    pub max_weeks_with_extension: Option<u8>,
    /// A parent's request for a review makes one due within this many school days.
    pub requested_review_school_days: u8,
    /// ...unless a review was held in this many weeks before the request.
    pub requested_review_unless_held_weeks: u8,
    /// A week's attendance at or below this percentage is flagged (persistent absence
    /// means missing 10% or more, so 90 by default).
    pub attendance_threshold: f64,
    /// The hours meetings are held in "wherever possible" (seed: 08:00-17:00); a meeting
    /// outside them is allowed with a warning.
    pub meeting_hours: SchoolHours,
    /// Whether the midpoint review must be recorded before the final one (seed: yes).
    pub midpoint_required: bool,
    /// Moves in these year groups need an extra approval before the start, and the
    /// destination says whether exam courses continue (seed: Years 10 and 11, coordinators).
    pub extra_approval: super::approvals::ExtraApprovalPolicy,
    /// The follow-up (still on roll, attending?) falls due this many school days after a
    /// case closes: about one term (seed: 60).
    pub follow_up_school_days: u16,
    /// What the law calls the placement here (seed: a managed move); an off-site direction
    /// needs written notice to the parent before the start.
    pub legal_basis: LegalBasis,
    /// Whether the parent/carer's copy of the agreement must be given before the start.
    pub parent_copy_required: bool,
    /// A case closed in error may be reopened this many school days after it closed
    /// (default 20, about four weeks).
    pub reopen_within_school_days: u16,
    /// A step still owed this many school days after its due day reminds its owner once;
    /// after as many again it is escalated to the coordinators (0: no escalation).
    pub escalate_after_school_days: u8,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            max_weeks: 12,
            review_at: 0.5,
            week_counting: WeekCounting::Calendar,
            transfer_needs_panel: true,
            pupil_consent_required: true,
            move_name: "managed move".into(),
            proposal_nudge_school_days: 3,
            max_weeks_with_extension: None,
            requested_review_school_days: 10,
            requested_review_unless_held_weeks: 10,
            attendance_threshold: 90.0,
            meeting_hours: SchoolHours::default(),
            midpoint_required: true,
            extra_approval: Default::default(),
            follow_up_school_days: 60,
            legal_basis: LegalBasis::ManagedMove,
            parent_copy_required: true,
            reopen_within_school_days: 20,
            escalate_after_school_days: 2,
        }
    }
}

impl Policy {
    /// What documents and messages call the placement: the partnership's `move_name`, or,
    /// under an off-site direction left at the seeds' name, "off-site direction", so the
    /// words follow the legal basis.
    pub fn name(&self) -> &str {
        match self.legal_basis {
            LegalBasis::OffSiteDirection if self.move_name == Policy::default().move_name => {
                "off-site direction"
            }
            _ => &self.move_name,
        }
    }

    /// What messages call a case of this kind: a move with a right to return by the
    /// partnership's name for it (following the legal basis), a transfer as a transfer.
    pub fn kind_name(&self, kind: super::case::MoveKind) -> &str {
        match kind {
            super::case::MoveKind::ManagedMove => self.name(),
            super::case::MoveKind::ManagedTransfer => kind.label(),
        }
    }

    /// One line for `check-config`: when an overdue step is reminded and escalated.
    pub fn escalation(&self) -> String {
        match self.escalate_after_school_days {
            0 => "Escalation: off (overdue steps are not reminded).".to_string(),
            n => format!(
                "Escalation: a step still owed {n} school day{} after its due day reminds its owner once; after {} it goes to the coordinators.",
                if n == 1 { "" } else { "s" },
                u16::from(n) * 2
            ),
        }
    }

    /// The longest a placement may run once extended.
    pub fn max_weeks_extended(&self) -> u8 {
        self.max_weeks_with_extension.unwrap_or(self.max_weeks)
    }

    /// Every problem, each named by its config key.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=52).contains(&self.max_weeks) {
            problems.push("policy.max_weeks: must be between 1 and 52".to_string());
        }
        if !(self.review_at > 0.0 && self.review_at < 1.0) {
            problems
                .push("policy.review_at: must be a fraction between 0 and 1, e.g. 0.5".to_string());
        }
        if let Some(max) = self.max_weeks_with_extension {
            if max < self.max_weeks || max > 52 {
                problems.push(
                    "policy.max_weeks_with_extension: must be between max_weeks and 52".to_string(),
                );
            }
        }
        if self.requested_review_school_days == 0 {
            problems.push("policy.requested_review_school_days: must be at least 1".to_string());
        }
        if self.move_name.trim().is_empty() {
            problems.push("policy.move_name: must not be empty".to_string());
        }
        if !(0.0..=100.0).contains(&self.attendance_threshold) {
            problems.push(
                "policy.attendance_threshold: must be a percentage from 0 to 100, e.g. 90"
                    .to_string(),
            );
        }
        problems.extend(self.extra_approval.problems());
        if self.follow_up_school_days == 0 {
            problems.push("policy.follow_up_school_days: must be at least 1".to_string());
        }
        problems
    }

    /// The attendance threshold as the domain compares it.
    pub fn attendance_threshold(&self) -> super::attendance::Percent {
        super::attendance::Percent::parse("threshold", self.attendance_threshold.clamp(0.0, 100.0))
            .unwrap_or(super::attendance::Percent::from_tenths(900))
    }
}

#[cfg(test)]
mod tests {
    use super::Policy;

    #[test]
    fn the_longest_extended_placement_defaults_to_the_maximum_and_may_not_be_shorter() {
        let mut p = Policy::default();
        assert_eq!(p.max_weeks_extended(), 12);
        p.max_weeks_with_extension = Some(16);
        assert_eq!(p.max_weeks_extended(), 16);
        assert!(p.problems().is_empty());
        p.max_weeks_with_extension = Some(10);
        assert!(p
            .problems()
            .iter()
            .any(|m| m.starts_with("policy.max_weeks_with_extension")));
        p.max_weeks_with_extension = None;
        p.requested_review_school_days = 0;
        assert!(p
            .problems()
            .iter()
            .any(|m| m.starts_with("policy.requested_review_school_days")));
    }
}
