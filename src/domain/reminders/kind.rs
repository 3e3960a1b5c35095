//! The kinds of reminder and who each one calls on.

use serde::{Deserialize, Serialize};

use crate::domain::case::CaseState;

/// What a reminder is about. The serde name is also the stored `kind` and, for everything
/// but check-ins and digests, the reminder's key on its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    ProposalNudge,
    PanelNudge,
    MeetingDayBefore,
    MeetingToday,
    ChecklistAtStart,
    CheckIn,
    MidpointReviewNotice,
    MidpointReview,
    FinalReviewNotice,
    FinalReview,
    EndDate,
    /// Partnership-wide, no case: the coordinators' morning digest.
    Digest,
    /// Partnership-wide, no case: the coordinators' weekly summary.
    WeeklySummary,
    /// A review the parent asked for is due (within ten school days of the request).
    RequestedReview,
    /// Both heads extended the placement; the parent's agreement to the new length is due.
    ExtensionConsent,
    /// The home school's code D registration, due one school day after the start.
    HomeRegistration,
    /// A school week's attendance report still missing the school day after it was due.
    /// Keyed `attendance_<Monday>`.
    AttendanceDue,
    /// Two school weeks in a row at or below the attendance threshold: bring a review
    /// forward. Keyed `attendance_low_<Monday of the second week>`.
    AttendanceLow,
    /// Transferring: the local authority's amendment of the EHCP's named school.
    TransferNamedSchool,
    /// Transferring: the Virtual School to be told (a looked-after child).
    TransferVirtualSchool,
    /// Transferring: the destination's main registration.
    TransferMainRegistration,
    /// Transferring: the home school's removal from roll.
    TransferRemoval,
    /// Transferring: any child-protection file, five school days after the removal.
    TransferCpFile,
    /// Transferring: the receiving safeguarding lead's confirmation of the file.
    TransferCpReceipt,
    /// Transferring: the common transfer file and educational record, fifteen school days
    /// after the removal.
    TransferRecords,
    /// A move in an exam year still waiting for the extra approval (coordinators or panel).
    ApprovalNudge,
    /// The returning stage's reintegration meeting, due five school days after the return.
    ReintegrationMeeting,
    /// The returning stage's reintegration plan.
    ReintegrationPlan,
    /// The destination ends the subsidiary registration at the return.
    ReturnRegistrationDestination,
    /// The home school stops code D at the return.
    ReturnRegistrationHome,
    /// One term after a move closed: the school now responsible records the follow-up.
    FollowUp,
    /// Off-site direction: the last school day to give the written notice for the agreed
    /// start (two school days before it), while none is recorded.
    NoticeDue,
    /// Any owed step still not done N school days after its due day (issue 15): its owner
    /// is reminded once. Keyed `overdue_<step key>`.
    StepOverdue,
    /// The same step N school days later still: the coordinators hear of it, once, with a
    /// button to ping the owner. Keyed `escalated_<step key>`.
    StepEscalated,
}

/// Who a reminder calls on. The scheduler maps this onto a notification audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipients {
    /// Heads and staff of both schools, in the case's private thread.
    CaseTeam,
    /// The destination school's head, asked to answer a proposal.
    DestinationHead,
    /// The SEIP panel, in its channel.
    Panel,
    /// The coordinators, in their channel.
    Coordinators,
    /// The head of the school now responsible for the pupil (a closed case's follow-up).
    ResponsibleSchool,
    /// The home school's head, called to act on a step it owes, in the case thread.
    HomeHead,
}

impl ReminderKind {
    pub const CASE_KINDS: [ReminderKind; 32] = [
        ReminderKind::ProposalNudge,
        ReminderKind::PanelNudge,
        ReminderKind::MeetingDayBefore,
        ReminderKind::MeetingToday,
        ReminderKind::ChecklistAtStart,
        ReminderKind::CheckIn,
        ReminderKind::MidpointReviewNotice,
        ReminderKind::MidpointReview,
        ReminderKind::FinalReviewNotice,
        ReminderKind::FinalReview,
        ReminderKind::EndDate,
        ReminderKind::RequestedReview,
        ReminderKind::ExtensionConsent,
        ReminderKind::HomeRegistration,
        ReminderKind::AttendanceDue,
        ReminderKind::AttendanceLow,
        ReminderKind::TransferNamedSchool,
        ReminderKind::TransferVirtualSchool,
        ReminderKind::TransferMainRegistration,
        ReminderKind::TransferRemoval,
        ReminderKind::TransferCpFile,
        ReminderKind::TransferCpReceipt,
        ReminderKind::TransferRecords,
        ReminderKind::ApprovalNudge,
        ReminderKind::ReintegrationMeeting,
        ReminderKind::ReintegrationPlan,
        ReminderKind::ReturnRegistrationDestination,
        ReminderKind::ReturnRegistrationHome,
        ReminderKind::FollowUp,
        ReminderKind::NoticeDue,
        ReminderKind::StepOverdue,
        ReminderKind::StepEscalated,
    ];

    pub fn as_str(self) -> &'static str {
        use ReminderKind as K;
        match self {
            K::ProposalNudge => "proposal_nudge",
            K::PanelNudge => "panel_nudge",
            K::MeetingDayBefore => "meeting_day_before",
            K::MeetingToday => "meeting_today",
            K::ChecklistAtStart => "checklist_at_start",
            K::CheckIn => "check_in",
            K::MidpointReviewNotice => "midpoint_review_notice",
            K::MidpointReview => "midpoint_review",
            K::FinalReviewNotice => "final_review_notice",
            K::FinalReview => "final_review",
            K::EndDate => "end_date",
            K::Digest => "digest",
            K::WeeklySummary => "weekly_summary",
            K::RequestedReview => "requested_review",
            K::ExtensionConsent => "extension_consent",
            K::HomeRegistration => "home_registration",
            K::AttendanceDue => "attendance_due",
            K::AttendanceLow => "attendance_low",
            K::TransferNamedSchool => "transfer_named_school",
            K::TransferVirtualSchool => "transfer_virtual_school",
            K::TransferMainRegistration => "transfer_main_registration",
            K::TransferRemoval => "transfer_removal",
            K::TransferCpFile => "transfer_cp_file",
            K::TransferCpReceipt => "transfer_cp_receipt",
            K::TransferRecords => "transfer_records",
            K::ApprovalNudge => "approval_nudge",
            K::ReintegrationMeeting => "reintegration_meeting",
            K::ReintegrationPlan => "reintegration_plan",
            K::ReturnRegistrationDestination => "return_registration_destination",
            K::ReturnRegistrationHome => "return_registration_home",
            K::FollowUp => "follow_up",
            K::NoticeDue => "notice_due",
            K::StepOverdue => "step_overdue",
            K::StepEscalated => "step_escalated",
        }
    }

    pub fn label(self) -> &'static str {
        use ReminderKind as K;
        match self {
            K::ProposalNudge => "proposal waiting for an answer",
            K::PanelNudge => "transfer waiting for the SEIP panel",
            K::MeetingDayBefore => "initial meeting tomorrow",
            K::MeetingToday => "initial meeting today",
            K::ChecklistAtStart => "checklist not ready at the start",
            K::CheckIn => "check-in due",
            K::MidpointReviewNotice => "midpoint review coming up",
            K::MidpointReview => "midpoint review today",
            K::FinalReviewNotice => "final review coming up",
            K::FinalReview => "final review today",
            K::EndDate => "placement ended: outcome to record",
            K::Digest => "morning digest",
            K::WeeklySummary => "weekly summary",
            K::RequestedReview => "review asked for by the parent due",
            K::ExtensionConsent => "parent's agreement to the extension",
            K::HomeRegistration => "home school's code D registration due",
            K::AttendanceDue => "weekly attendance report due",
            K::AttendanceLow => "attendance low two weeks running",
            K::TransferNamedSchool => "local authority's amendment of the EHCP's named school",
            K::TransferVirtualSchool => "Virtual School to be told of the transfer",
            K::TransferMainRegistration => "destination's main registration due",
            K::TransferRemoval => "home school's removal from roll due",
            K::TransferCpFile => "child-protection file due",
            K::TransferCpReceipt => "receipt of the child-protection file to confirm",
            K::TransferRecords => "common transfer file and educational record due",
            K::ApprovalNudge => "move waiting for the extra approval",
            K::ReintegrationMeeting => "reintegration meeting due",
            K::ReintegrationPlan => "reintegration plan due",
            K::ReturnRegistrationDestination => "destination's register change for the return due",
            K::ReturnRegistrationHome => "home school's register change for the return due",
            K::FollowUp => "follow-up one term on due",
            K::NoticeDue => "written notice of the off-site direction due",
            K::StepOverdue => "step overdue",
            K::StepEscalated => "step escalated to the coordinators",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::CASE_KINDS
            .into_iter()
            .chain([ReminderKind::Digest, ReminderKind::WeeklySummary])
            .find(|k| k.as_str() == raw)
    }

    /// The kind of a case reminder's key (`final_review`, `check_in_3`...).
    pub fn of_key(key: &str) -> Option<Self> {
        if let Some(n) = key.strip_prefix("check_in_") {
            let numbered = !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit());
            return numbered.then_some(ReminderKind::CheckIn);
        }
        // The escalation rule's two reminders, one each per owed step.
        let named = |step: &str| !step.is_empty();
        if let Some(step) = key.strip_prefix(super::escalation::OVERDUE) {
            return named(step).then_some(ReminderKind::StepOverdue);
        }
        if let Some(step) = key.strip_prefix(super::escalation::ESCALATED) {
            return named(step).then_some(ReminderKind::StepEscalated);
        }
        // Attendance reminders are one per school week, named by its Monday.
        let dated = |rest: &str| chrono::NaiveDate::parse_from_str(rest, "%Y-%m-%d").is_ok();
        if let Some(week) = key.strip_prefix("attendance_low_") {
            return dated(week).then_some(ReminderKind::AttendanceLow);
        }
        if let Some(week) = key.strip_prefix("attendance_") {
            return dated(week).then_some(ReminderKind::AttendanceDue);
        }
        Self::CASE_KINDS.into_iter().find(|k| {
            !matches!(
                k,
                ReminderKind::CheckIn
                    | ReminderKind::AttendanceDue
                    | ReminderKind::AttendanceLow
                    | ReminderKind::StepOverdue
                    | ReminderKind::StepEscalated
            ) && k.as_str() == key
        })
    }

    /// Marks the day itself (a review, a check-in), rather than giving notice of it: the
    /// digest lists these as due today, or overdue once their day has passed.
    pub fn marks_the_day(self) -> bool {
        !matches!(
            self,
            ReminderKind::MeetingDayBefore
                | ReminderKind::MidpointReviewNotice
                | ReminderKind::FinalReviewNotice
                | ReminderKind::Digest
                | ReminderKind::WeeklySummary
                | ReminderKind::AttendanceLow
                | ReminderKind::StepOverdue
                | ReminderKind::StepEscalated
        )
    }

    /// Whether a case in `state` can have this reminder (snoozing anything else is refused).
    pub fn applies_in(self, state: CaseState) -> bool {
        use CaseState as S;
        use ReminderKind as K;
        match self {
            K::ProposalNudge => state == S::Proposed,
            K::PanelNudge | K::MeetingDayBefore | K::MeetingToday | K::ApprovalNudge => {
                matches!(state, S::Accepted | S::Agreeing)
            }
            K::ChecklistAtStart => matches!(state, S::Accepted | S::Agreeing | S::Active),
            K::CheckIn
            | K::MidpointReviewNotice
            | K::MidpointReview
            | K::FinalReviewNotice
            | K::FinalReview
            | K::EndDate
            | K::RequestedReview
            | K::ExtensionConsent
            | K::HomeRegistration
            | K::AttendanceDue
            | K::AttendanceLow => state == S::Active,
            K::Digest | K::WeeklySummary => false,
            K::TransferNamedSchool
            | K::TransferVirtualSchool
            | K::TransferMainRegistration
            | K::TransferRemoval
            | K::TransferCpFile
            | K::TransferCpReceipt
            | K::TransferRecords => state == S::Transferring,
            K::ReintegrationMeeting
            | K::ReintegrationPlan
            | K::ReturnRegistrationDestination
            | K::ReturnRegistrationHome => state == S::Returning,
            // A closed case takes no snooze; the follow-up is planned for it all the same.
            K::FollowUp => false,
            K::NoticeDue => matches!(state, S::Accepted | S::Agreeing),
            // Which steps a case owes is checked against the case itself (`decide`).
            K::StepOverdue | K::StepEscalated => !state.is_closed(),
        }
    }
}
