//! The rules that vary between partnerships, with the seeds' rules as defaults.

use serde::{Deserialize, Serialize};

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
    /// The hours meetings are held in "wherever possible" (seed: 08:00-17:00); a meeting
    /// outside them is allowed with a warning.
    pub meeting_hours: SchoolHours,
    /// Whether the midpoint review must be recorded before the final one (seed: yes).
    pub midpoint_required: bool,
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
            meeting_hours: SchoolHours::default(),
            midpoint_required: true,
        }
    }
}

impl Policy {
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
        if self.move_name.trim().is_empty() {
            problems.push("policy.move_name: must not be empty".to_string());
        }
        problems
    }
}
