//! The family's part and the law (DOMAIN.md, "Extra approvals and the family's part" and
//! the Policy note): the parent's plain-English copy of the agreement, the legal basis the
//! partnership places pupils under, and the written notice an off-site direction needs.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::Stamp;
use super::ids::{SchoolKey, Text};

/// What the law calls a time-limited placement at another school, in this partnership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// The seeds' model: an agreed managed move with a right to return.
    #[default]
    ManagedMove,
    /// Current statutory guidance for England: the home school directs the pupil off-site
    /// to improve their behaviour, with written notice to the parent first.
    OffSiteDirection,
}

impl LegalBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            LegalBasis::ManagedMove => "managed_move",
            LegalBasis::OffSiteDirection => "off_site_direction",
        }
    }

    /// One line for `check-config` and the README.
    pub fn describe(self) -> &'static str {
        match self {
            LegalBasis::ManagedMove => {
                "managed move (agreed with the family, with a right to return)"
            }
            LegalBasis::OffSiteDirection => {
                "off-site direction (written notice to the parent at least two school days before the start)"
            }
        }
    }
}

/// When and how the parent/carer was given their copy of the agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyGiven {
    pub on: NaiveDate,
    /// How it reached them: "by hand at the meeting", "posted", ...
    pub how: Text,
    pub recorded: Stamp,
}

/// When and how the written notice of an off-site direction was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeGiven {
    pub on: NaiveDate,
    pub how: Text,
    /// For an EHCP pupil: the day the local authority was given notice too.
    #[serde(default)]
    pub la_notified: Option<NaiveDate>,
    pub recorded: Stamp,
}

/// `[documents]`: the partnership's own wording for what it gives families, and each
/// school's details for the parent's copy and the notice. Every key may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentWording {
    /// How a parent/carer complains, in the partnership's words.
    pub complaints: Option<String>,
    /// Anything else the partnership adds to the parent's copy (support services, ...).
    pub extra: Option<String>,
    /// Each school's contact and day, by school key.
    pub schools: BTreeMap<String, SchoolDetails>,
}

/// One school's details for families.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct SchoolDetails {
    /// Who a parent contacts and how (a role, a phone number, an office email).
    pub contact: Option<String>,
    /// The school's postal address.
    pub address: Option<String>,
    /// Who the pupil reports to on the first day, and where.
    pub first_day_contact: Option<String>,
    /// When the school day starts and ends, e.g. "08:40" and "15:10".
    pub day_starts: Option<String>,
    pub day_ends: Option<String>,
    /// Breaks and lunch, e.g. ["10:50-11:10", "12:30-13:15 (lunch)"].
    pub breaks: Vec<String>,
}

/// "an" before a vowel ("an off-site direction"), else "a" ("a managed move").
pub fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// A blank to fill in by hand: the bot holds no full name or address.
pub const BLANK: &str = "________________________________";

/// The default complaints wording, when the partnership gives none.
pub const DEFAULT_COMPLAINTS: &str = "If you are unhappy with how the move has been handled, speak first to the contact at the home school. If that does not resolve it, you can use the home school's complaints procedure, which is on its website or available from its office.";

impl DocumentWording {
    /// A school's details (empty when config gives none).
    pub fn school(&self, key: &SchoolKey) -> SchoolDetails {
        self.schools.get(key.as_str()).cloned().unwrap_or_default()
    }

    pub fn complaints(&self) -> &str {
        self.complaints
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or(DEFAULT_COMPLAINTS)
    }

    /// Every problem, each named by its config key: malformed times. (A school key config
    /// does not list is left alone: renaming a school must not break the file.)
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for (key, details) in &self.schools {
            for (name, value) in [
                ("day_starts", &details.day_starts),
                ("day_ends", &details.day_ends),
            ] {
                if let Some(v) = value {
                    if chrono::NaiveTime::parse_from_str(v.trim(), "%H:%M").is_err() {
                        problems.push(format!(
                            "documents.schools.{key}.{name}: write a time as HH:MM, e.g. 08:40"
                        ));
                    }
                }
            }
        }
        problems
    }
}

impl SchoolDetails {
    /// "08:40 to 15:10; breaks 10:50-11:10, 12:30-13:15", or None when nothing is set.
    pub fn session_times(&self) -> Option<String> {
        let day = match (&self.day_starts, &self.day_ends) {
            (Some(s), Some(e)) => Some(format!("starts {} and ends {}", s.trim(), e.trim())),
            (Some(s), None) => Some(format!("starts {}", s.trim())),
            (None, Some(e)) => Some(format!("ends {}", e.trim())),
            (None, None) => None,
        };
        let breaks = (!self.breaks.is_empty()).then(|| self.breaks.join(", "));
        match (day, breaks) {
            (None, None) => None,
            (Some(d), None) => Some(format!("The school day {d}.")),
            (None, Some(b)) => Some(format!("Breaks: {b}.")),
            (Some(d), Some(b)) => Some(format!("The school day {d}; breaks: {b}.")),
        }
    }
}
