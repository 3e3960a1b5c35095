//! `[privacy]`: what the bot may send to Discord, and the lawful basis the partnership
//! names in its data map (`managed-moves privacy`).
//!
//! ```toml
//! [privacy]
//! lawful_basis = "Public task (UK GDPR Art. 6(1)(e)) ..."
//! pupil_initials_in_discord = true   # false: Discord reads "Y9 pupil, MM-2026-0042"
//! notes_in_discord = true            # false: free text stays local, Discord shows "(kept locally)"
//! ```
//!
//! Discord keeps what the bot posts on its own servers (a US service), so a partnership may
//! keep the initials and the notes off it; the CLI and files written locally still show
//! them. The rule is applied in one place, [`crate::service::Service::for_discord`], which
//! every Discord-bound rendering goes through.

use serde::Deserialize;

/// What Discord shows instead of a note kept off it.
pub const KEPT_LOCALLY: &str = "(kept locally)";

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Privacy {
    /// The lawful basis for processing, in the partnership's own words (printed in the
    /// data map; the bot does not choose it).
    pub lawful_basis: String,
    /// Whether the pupil's initials may appear in anything sent to Discord.
    pub pupil_initials_in_discord: bool,
    /// Whether free-text notes may appear in anything sent to Discord.
    pub notes_in_discord: bool,
}

impl Default for Privacy {
    fn default() -> Self {
        Self {
            lawful_basis: String::new(),
            pupil_initials_in_discord: true,
            notes_in_discord: true,
        }
    }
}

impl Privacy {
    /// Whether Discord sees every case exactly as stored (nothing to withhold).
    pub fn discord_sees_all(&self) -> bool {
        self.pupil_initials_in_discord && self.notes_in_discord
    }

    /// The lawful basis as the data map prints it.
    pub fn lawful_basis_or_unset(&self) -> &str {
        match self.lawful_basis.trim() {
            "" => "NOT SET: write it in config as [privacy] lawful_basis (e.g. public task, UK GDPR Art. 6(1)(e), and Art. 9(2)(g) for special category data), agreed with your DPO",
            basis => basis,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_show_everything_and_a_missing_basis_is_said_plainly() {
        let p: Privacy = toml::from_str("").unwrap();
        assert!(p.discord_sees_all());
        assert!(p.lawful_basis_or_unset().starts_with("NOT SET"));
        let p: Privacy =
            toml::from_str("notes_in_discord = false\nlawful_basis = \"Public task\"").unwrap();
        assert!(!p.discord_sees_all() && p.pupil_initials_in_discord);
        assert_eq!(p.lawful_basis_or_unset(), "Public task");
        assert!(toml::from_str::<Privacy>("initials = false").is_err());
    }
}
