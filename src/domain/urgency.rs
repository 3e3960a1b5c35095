//! How urgent an open case is, for the coordinators' board: overdue, due this week,
//! waiting on the SEIP panel or the extra approval, or running normally. Pure, so the
//! board's lines and the store's counts (migration 0016) sort a case into the same section.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};

use super::approvals::Approver;
use super::case::{Case, CaseState, MoveKind};
use super::ids::CaseRef;
use super::next_step;
use super::partnership::Partnership;

/// Whose decision an open case waits for before it can start, from the case alone; the
/// store keeps it in `cases.waiting_on` so the board finds and counts these cases by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WaitingOn {
    Nobody,
    /// A managed transfer the SEIP panel has not decided yet.
    Panel,
    /// A move in an exam year whose extra approval is not recorded yet.
    Approval,
}

impl WaitingOn {
    pub const ALL: [WaitingOn; 3] = [WaitingOn::Nobody, WaitingOn::Panel, WaitingOn::Approval];

    /// As stored in `cases.waiting_on` and `board_counts.waiting_on`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitingOn::Nobody => "none",
            WaitingOn::Panel => "panel",
            WaitingOn::Approval => "approval",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == raw)
    }

    /// Both decisions come between acceptance and the start. The panel is asked of every
    /// managed transfer; a partnership whose policy needs no panel reads `Panel` as
    /// `Nobody` (see [`Self::effective`]), so the stored value never depends on config.
    pub fn of(case: &Case) -> Self {
        if !matches!(case.state, CaseState::Accepted | CaseState::Agreeing) {
            return WaitingOn::Nobody;
        }
        if case.kind == MoveKind::ManagedTransfer && case.panel.is_none() {
            return WaitingOn::Panel;
        }
        let asked = case.approval_asked.is_some_and(|a| a != Approver::Off);
        if asked && case.extra_approval.is_none() {
            return WaitingOn::Approval;
        }
        WaitingOn::Nobody
    }

    /// What the board makes of a stored value under the partnership's policy.
    pub fn effective(self, panel_needed: bool) -> Self {
        match self {
            WaitingOn::Panel if !panel_needed => WaitingOn::Nobody,
            other => other,
        }
    }
}

/// The board's sections, most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Overdue,
    ThisWeek,
    Waiting,
    Running,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Overdue,
        Section::ThisWeek,
        Section::Waiting,
        Section::Running,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn title(self) -> &'static str {
        match self {
            Section::Overdue => "⚠️ Overdue",
            Section::ThisWeek => "📅 Due this week",
            Section::Waiting => "⏳ Waiting on the panel or an approval",
            Section::Running => "✅ Running normally",
        }
    }

    /// A word for the footer's counts.
    pub fn short(self) -> &'static str {
        match self {
            Section::Overdue => "overdue",
            Section::ThisWeek => "this week",
            Section::Waiting => "waiting",
            Section::Running => "running",
        }
    }

    /// The section of a case with this next date and wait (already [`WaitingOn::effective`]):
    /// a case waiting on a decision is under "waiting" whatever its date, so a date it cannot
    /// meet before the decision never makes it read as overdue.
    pub fn of(due: Option<NaiveDate>, waiting: WaitingOn, today: NaiveDate) -> Self {
        if waiting != WaitingOn::Nobody {
            return Section::Waiting;
        }
        match due {
            Some(d) if d < today => Section::Overdue,
            Some(d) if d <= week_end(today) => Section::ThisWeek,
            _ => Section::Running,
        }
    }

    /// A case's section, by the same date and wait the store keeps for it (the next
    /// step's due day, `next_step::next_due`).
    pub fn of_case(case: &Case, p: &Partnership, today: NaiveDate) -> Self {
        let waiting = WaitingOn::of(case).effective(p.policy.transfer_needs_panel);
        Self::of(next_step::next_due(case, p), waiting, today)
    }
}

/// Most urgent first within a section: by next date (none last), then the one unchanged
/// longest, then the older reference. The store walks `cases_board` in this order.
pub fn order(case: &Case, p: &Partnership) -> (NaiveDate, DateTime<Utc>, CaseRef) {
    (
        next_step::next_due(case, p).unwrap_or(NaiveDate::MAX),
        case.updated_at,
        case.reference,
    )
}

/// The last day "this week" reaches: Friday, or at a weekend the coming Friday (the school
/// week ahead).
pub fn week_end(today: NaiveDate) -> NaiveDate {
    let from_monday = today.weekday().num_days_from_monday();
    let friday = Weekday::Fri.num_days_from_monday();
    let ahead = if from_monday <= friday {
        friday - from_monday
    } else {
        7 - from_monday + friday
    };
    today + Days::new(u64::from(ahead))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::*;

    #[test]
    fn this_week_runs_to_friday_and_at_a_weekend_to_the_next_friday() {
        // Wed 2 Dec 2026.
        assert_eq!(week_end(day(2026, 12, 2)), day(2026, 12, 4));
        assert_eq!(week_end(day(2026, 12, 4)), day(2026, 12, 4));
        assert_eq!(week_end(day(2026, 12, 5)), day(2026, 12, 11));
        assert_eq!(week_end(day(2026, 12, 6)), day(2026, 12, 11));
        assert_eq!(week_end(day(2026, 11, 30)), day(2026, 12, 4));
    }

    #[test]
    fn a_case_goes_under_the_first_section_it_matches_and_waiting_wins_over_dates() {
        let today = day(2026, 12, 2);
        let none = WaitingOn::Nobody;
        assert_eq!(
            Section::of(Some(day(2026, 12, 1)), none, today),
            Section::Overdue
        );
        assert_eq!(Section::of(Some(today), none, today), Section::ThisWeek);
        assert_eq!(
            Section::of(Some(day(2026, 12, 4)), none, today),
            Section::ThisWeek
        );
        assert_eq!(
            Section::of(Some(day(2026, 12, 7)), none, today),
            Section::Running
        );
        assert_eq!(Section::of(None, none, today), Section::Running);
        for wait in [WaitingOn::Panel, WaitingOn::Approval] {
            assert_eq!(
                Section::of(Some(day(2026, 1, 1)), wait, today),
                Section::Waiting
            );
            assert_eq!(Section::of(None, wait, today), Section::Waiting);
        }
    }

    #[test]
    fn a_transfer_waits_on_the_panel_until_it_decides_unless_the_policy_needs_none() {
        let b = CaseBuilder::proposed().transfer();
        assert_eq!(
            WaitingOn::of(b.case()),
            WaitingOn::Nobody,
            "not yet accepted"
        );
        let b = b.accepted();
        assert_eq!(WaitingOn::of(b.case()), WaitingOn::Panel);
        assert_eq!(WaitingOn::Panel.effective(false), WaitingOn::Nobody);
        let b = b.approved();
        assert_eq!(WaitingOn::of(b.case()), WaitingOn::Nobody);
    }

    #[test]
    fn an_exam_year_move_waits_on_the_extra_approval_until_it_is_recorded() {
        let b = CaseBuilder::proposed().year(10).accepted();
        assert_eq!(WaitingOn::of(b.case()), WaitingOn::Approval);
        let b = b.act(
            &coordinator(),
            crate::domain::Action::DecideExtraApproval {
                approve: true,
                reason: None,
            },
        );
        assert_eq!(WaitingOn::of(b.case()), WaitingOn::Nobody);
        let plain = CaseBuilder::proposed().accepted();
        assert_eq!(WaitingOn::of(plain.case()), WaitingOn::Nobody);
    }

    #[test]
    fn the_stored_words_read_back() {
        for w in WaitingOn::ALL {
            assert_eq!(WaitingOn::parse(w.as_str()), Some(w));
        }
        assert_eq!(WaitingOn::parse("later"), None);
    }
}
