//! `[retention]`: how long closed cases are kept before their personal details go.
//!
//! ```toml
//! [retention]
//! closed_case_years = 6     # years after a case closed
//! action = "anonymise"      # or "purge"
//! ```
//!
//! Nothing happens by itself: an admin runs `managed-moves retention`, which shows what the
//! policy would remove, and `managed-moves retention --apply` to do it.

use serde::Deserialize;

/// What happens to a closed case once it is older than the policy allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    /// Keep the case's shape for statistics (schools, kind, dates, states, outcome, year
    /// group, checklist colours, who acted when) and remove the pupil's initials and every
    /// piece of free text, from the case and from each of its events.
    #[default]
    #[serde(alias = "anonymize")]
    Anonymise,
    /// Delete the case, its events, reminders, outbox rows and thread link. Only the
    /// retention log's line (reference, state, dates, who ran it) remains.
    Purge,
}

impl RetentionAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RetentionAction::Anonymise => "anonymise",
            RetentionAction::Purge => "purge",
        }
    }

    /// The word in the retention log and in messages.
    pub fn past(self) -> &'static str {
        match self {
            RetentionAction::Anonymise => "anonymised",
            RetentionAction::Purge => "purged",
        }
    }
}

/// The retention policy (validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Retention {
    /// Closed cases become due this many whole years after the day they closed.
    pub closed_case_years: u16,
    pub action: RetentionAction,
}

impl Default for Retention {
    /// Six years after closing, anonymised: a common schools' retention period for pupil
    /// records about behaviour and exclusions; a partnership should set its own.
    fn default() -> Self {
        Self {
            closed_case_years: 6,
            action: RetentionAction::Anonymise,
        }
    }
}

impl Retention {
    /// Every problem, each named by its key.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(1..=100).contains(&self.closed_case_years) {
            problems.push("retention.closed_case_years: use 1 to 100 years".to_string());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_spellings() {
        let r: Retention = toml::from_str("").unwrap();
        assert_eq!(r, Retention::default());
        let r: Retention = toml::from_str("closed_case_years = 3\naction = \"purge\"").unwrap();
        assert_eq!(r.action, RetentionAction::Purge);
        let r: Retention = toml::from_str("action = \"anonymize\"").unwrap();
        assert_eq!(r.action, RetentionAction::Anonymise);
        assert!(toml::from_str::<Retention>("years = 3").is_err());
        let bad = Retention {
            closed_case_years: 0,
            ..Retention::default()
        };
        assert!(bad.problems()[0].starts_with("retention.closed_case_years"));
    }
}
