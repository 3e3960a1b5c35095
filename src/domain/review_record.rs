//! What a review records beyond its notes (DOMAIN.md, "Meetings and reviews: who was
//! there"): who came, progress against each of the agreement's targets, the parent's and
//! the pupil's views, and whether the people an EHCP or a looked-after child brings were
//! invited. The agreement's targets are a short list, so each fits a Discord menu.

use serde::{Deserialize, Serialize};

use super::case::Case;
use super::ids::Text;
use super::meetings::{Attendance, Attendee};
use super::refusal::Refusal;

/// At most this many targets, each at most [`TARGET_MAX_CHARS`]: a Discord message holds
/// five rows of menus, and a menu option's label 100 characters.
pub const MAX_TARGETS: usize = 5;
pub const TARGET_MAX_CHARS: usize = 100;

/// The agreement's targets, one per line (a semicolon also separates them, as a slash
/// command's option is one line).
pub fn target_list(targets: &str) -> Vec<&str> {
    targets
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Refuses more than five targets, or one too long for a menu.
pub fn check_targets(targets: &str) -> Result<(), Refusal> {
    let list = target_list(targets);
    if list.len() > MAX_TARGETS {
        return Err(Refusal::invalid(
            "targets",
            "At most five targets, one per line (or separated by semicolons).",
        ));
    }
    if list.iter().any(|t| t.chars().count() > TARGET_MAX_CHARS) {
        return Err(Refusal::invalid(
            "targets",
            "Each target is at most 100 characters: keep it short and checkable.",
        ));
    }
    Ok(())
}

/// Progress against one target at a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    Met,
    Partly,
    NotMet,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::Met => "met",
            Progress::Partly => "partly met",
            Progress::NotMet => "not met",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        match raw.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "met" => Ok(Progress::Met),
            "partly" | "partly-met" => Ok(Progress::Partly),
            "not-met" | "notmet" => Ok(Progress::NotMet),
            _ => Err(Refusal::invalid(
                "targets",
                "Progress on each target is met, partly or not-met.",
            )),
        }
    }

    /// A comma-separated list, one per target in the agreement's order.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, Refusal> {
        raw.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Self::parse)
            .collect()
    }
}

/// The review's record beyond its notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewDetails {
    /// Chosen with the details (the CLI) or afterwards from a menu (Discord).
    pub attendance: Option<Attendance>,
    /// One per target of the agreement, in its order.
    pub progress: Vec<Progress>,
    pub parent_view: Option<Text>,
    pub pupil_view: Option<Text>,
    /// Of the LA SEN officer, the Virtual School and the social worker: who was invited.
    /// Who came is in `attendance`.
    #[serde(default)]
    pub invited: Vec<Attendee>,
}

/// The people every review invites for this pupil, beyond the case team: the LA's SEN
/// team for an EHCP, the Virtual School and the social worker for a looked-after child.
pub fn extra_invitees(case: &Case) -> Vec<Attendee> {
    let mut who = Vec::new();
    if case.ehcp {
        who.push(Attendee::LaSenOfficer);
    }
    if case.looked_after {
        who.extend([Attendee::VirtualSchool, Attendee::SocialWorker]);
    }
    who
}

/// "LA SEN officer: invited, came" for each extra invitee.
pub fn invitation_lines(case: &Case, details: &ReviewDetails) -> Vec<String> {
    extra_invitees(case)
        .into_iter()
        .map(|who| {
            let invited = if details.invited.contains(&who) {
                "invited"
            } else {
                "not invited"
            };
            let came = if details.attendance.as_ref().is_some_and(|a| a.came(who)) {
                "came"
            } else {
                "did not come"
            };
            format!("{}: {invited}, {came}", who.label())
        })
        .collect()
}

/// The attendance so far, from the weekly attendance reports, for the review record:
/// sessions attended over possible across the reported weeks, beside the baseline given at
/// the proposal. None when no week has been reported.
pub fn attendance_so_far(case: &Case) -> Option<String> {
    let overall = super::attendance::overall(&case.attendance)?;
    let (attended, possible) = super::attendance::sessions(&case.attendance);
    let weeks = case.attendance.len();
    let mut line = format!(
        "{overall} over {weeks} reported week{} ({attended} of {possible} sessions attended).",
        if weeks == 1 { "" } else { "s" }
    );
    if let Some(baseline) = case.baseline_attendance {
        line.push_str(&format!(" Last term, before the move: {baseline}."));
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_are_a_list_of_at_most_five_short_lines() {
        assert_eq!(
            target_list("Attend every lesson\n use the time-out card ;\n\nno detentions"),
            [
                "Attend every lesson",
                "use the time-out card",
                "no detentions"
            ]
        );
        assert!(check_targets("a\nb\nc\nd\ne").is_ok());
        assert_eq!(
            check_targets("a\nb\nc\nd\ne\nf")
                .unwrap_err()
                .field
                .as_deref(),
            Some("targets")
        );
        assert!(check_targets(&"x".repeat(101)).is_err());
        assert!(check_targets(&"x".repeat(100)).is_ok());
    }

    #[test]
    fn progress_reads_met_partly_or_not_met() {
        assert_eq!(
            Progress::parse_list("met, partly,not-met, Not met").unwrap(),
            [
                Progress::Met,
                Progress::Partly,
                Progress::NotMet,
                Progress::NotMet
            ]
        );
        assert!(Progress::parse_list("met, maybe").is_err());
    }

    #[test]
    fn attendance_so_far_sums_the_reported_weeks_beside_the_baseline() {
        use crate::domain::attendance::{AttendanceReport, Percent, WeekAttendance};
        use crate::domain::case::Stamp;
        use crate::domain::testkit::CaseBuilder;
        let mut case = CaseBuilder::proposed().accepted().agreed().active().build();
        assert_eq!(attendance_so_far(&case), None, "nothing reported yet");
        let stamp = Stamp {
            by: crate::domain::UserId(7),
            at: chrono::DateTime::UNIX_EPOCH,
        };
        for (monday, attended) in [((2026, 11, 16), 10), ((2026, 11, 23), 8)] {
            let report = AttendanceReport::of_ten(attended);
            let day = chrono::NaiveDate::from_ymd_opt(monday.0, monday.1, monday.2).unwrap();
            case.attendance.insert(
                day,
                WeekAttendance {
                    report,
                    recorded: stamp.clone(),
                    corrected: None,
                },
            );
        }
        case.baseline_attendance = Some(Percent::from_tenths(780));
        assert_eq!(
            attendance_so_far(&case).as_deref(),
            Some("90.0% over 2 reported weeks (18 of 20 sessions attended). Last term, before the move: 78.0%.")
        );
    }
}
