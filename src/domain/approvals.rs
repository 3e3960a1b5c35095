//! Before the start, beyond the consents (DOMAIN.md, "Extra approvals and the family's
//! part"): the extra approval some partnerships ask for in exam years, whether the pupil's
//! exam courses can continue, the safeguarding information passed on, and a looked-after
//! child's consent from the local authority.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::Stamp;
use super::ids::{Text, YearGroup};
use super::permissions::Capacity;

/// Who gives the extra approval, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    #[default]
    Coordinator,
    Seip,
    /// The partnership asks for no extra approval.
    Off,
}

impl Approver {
    /// The capacity that approves (`None` when the approval is off).
    pub fn capacity(self) -> Option<Capacity> {
        match self {
            Approver::Coordinator => Some(Capacity::Coordinator),
            Approver::Seip => Some(Capacity::Seip),
            Approver::Off => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Approver::Coordinator => "the coordinators",
            Approver::Seip => "the SEIP panel",
            Approver::Off => "nobody",
        }
    }
}

/// `[policy] extra_approval = { years = [10, 11], by = "coordinator" }`: the year groups
/// whose moves need an extra approval (exam courses), and who gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExtraApprovalPolicy {
    pub years: Vec<u8>,
    pub by: Approver,
}

impl Default for ExtraApprovalPolicy {
    fn default() -> Self {
        Self {
            years: vec![10, 11],
            by: Approver::Coordinator,
        }
    }
}

impl ExtraApprovalPolicy {
    /// Who must approve a move of a pupil in this year group, if anyone.
    pub fn approver_for(&self, year: YearGroup) -> Option<Approver> {
        (self.by != Approver::Off && self.years.contains(&year.get())).then_some(self.by)
    }

    /// "Years 10 and 11", for refusals.
    pub fn years_label(&self) -> String {
        let years: Vec<String> = self.years.iter().map(u8::to_string).collect();
        match years.as_slice() {
            [] => "no year groups".to_string(),
            [one] => format!("Year {one}"),
            [rest @ .., last] => format!("Years {} and {last}", rest.join(", ")),
        }
    }

    pub fn problems(&self) -> Vec<String> {
        if self.years.iter().any(|y| !(7..=13).contains(y)) {
            vec!["policy.extra_approval.years: year groups are 7 to 13".to_string()]
        } else {
            Vec::new()
        }
    }
}

/// The extra approval's decision, by the role the policy names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraApproval {
    pub approved: bool,
    pub by_role: Approver,
    pub reason: Option<Text>,
    pub recorded: Stamp,
}

/// Can the pupil's exam courses continue at the destination?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamCourses {
    Yes,
    Partly,
    No,
}

impl ExamCourses {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(Self::Yes),
            "partly" => Some(Self::Partly),
            "no" => Some(Self::No),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExamCourses::Yes => "yes",
            ExamCourses::Partly => "partly",
            ExamCourses::No => "no",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamCoursesRecord {
    pub continues: ExamCourses,
    pub note: Option<Text>,
    pub recorded: Stamp,
}

/// That the home school's designated safeguarding lead passed on what the destination's
/// needs to know (or that there was nothing to pass on). Never the information itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeguardingShare {
    pub nothing_to_share: bool,
    /// The home school's DSL who shared it (a member of staff, never the pupil).
    pub dsl: Text,
    pub on: NaiveDate,
    pub recorded: Stamp,
    /// The destination confirmed it received it.
    pub confirmed: Option<Stamp>,
}

/// A looked-after child's consent from the local authority, which holds parental
/// responsibility, given through the pupil's social worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalAuthorityConsent {
    /// The social worker (a role or name of staff) through whom the authority agreed.
    pub social_worker: Text,
    pub on: NaiveDate,
    /// Whether the parents share parental responsibility, so their agreement is needed too.
    pub parents_share: bool,
    /// The version of the agreement's terms it was given for (see `Case::terms_version`).
    pub for_terms: u32,
    pub recorded: Stamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_asks_the_coordinators_for_years_10_and_11_only() {
        let p = ExtraApprovalPolicy::default();
        let y = |n: u8| YearGroup::try_from(n).unwrap();
        assert_eq!(p.approver_for(y(10)), Some(Approver::Coordinator));
        assert_eq!(p.approver_for(y(11)), Some(Approver::Coordinator));
        assert_eq!(p.approver_for(y(9)), None);
        assert_eq!(p.years_label(), "Years 10 and 11");
        let off = ExtraApprovalPolicy {
            by: Approver::Off,
            ..p.clone()
        };
        assert_eq!(off.approver_for(y(10)), None);
        let bad = ExtraApprovalPolicy {
            years: vec![6],
            ..p
        };
        assert_eq!(bad.problems().len(), 1);
    }
}
