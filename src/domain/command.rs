//! Typed commands: what a slash command, a button, a modal or the CLI asks for, already
//! parsed into values that cannot be malformed.

use chrono::{DateTime, NaiveDate, Utc};

use super::attendance::AttendanceReport;
use super::case::{AgreementTerms, Outcome, ReviewKind};
use super::checklist::Rag;
use super::event::Proposal;
use super::ids::{CaseRef, SchoolKey, Text};
use super::meetings::Attendance;
use super::review_record::ReviewDetails;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Propose(Proposal),
    Case { reference: CaseRef, action: Action },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Accept,
    Decline {
        reason: Text,
    },
    Withdraw {
        reason: Text,
    },
    PanelDecide {
        approve: bool,
        reason: Text,
    },
    ScheduleMeeting {
        at: DateTime<Utc>,
        place: Option<Text>,
    },
    RecordParentConsent {
        witnessed_by: Text,
        on: NaiveDate,
        freely_given: bool,
    },
    RecordPupilConsent {
        on: NaiveDate,
        note: Option<Text>,
    },
    RecordEhcpAmendment {
        on: NaiveDate,
        note: Option<Text>,
    },
    RecordVirtualSchool {
        on: NaiveDate,
        contact: Text,
    },
    RecordAgreement {
        terms: AgreementTerms,
    },
    SignAgreement,
    RescheduleReview {
        review: ReviewKind,
        on: NaiveDate,
        reason: Text,
    },
    StartMove {
        on: Option<NaiveDate>,
    },
    RateChecklist {
        item: String,
        rag: Rag,
        comment: Option<Text>,
    },
    LogCheckIn {
        on: NaiveDate,
        note: Text,
    },
    RecordReview {
        review: ReviewKind,
        held_on: NaiveDate,
        notes: Text,
    },
    RecordOutcome {
        outcome: Outcome,
        note: Text,
    },
    Terminate {
        reason: Text,
    },
    /// Put off one of the case's reminders (by key, e.g. `final_review`) until a date.
    SnoozeReminder {
        key: String,
        until: NaiveDate,
        reason: Text,
    },
    /// Correct whether the pupil has an EHCP or is looked after, before the move starts:
    /// the flags decide which gates apply, so a wrong one would block or skip a gate.
    UpdateNeeds {
        ehcp: bool,
        looked_after: bool,
        reason: Text,
    },
    /// Lengthen an active placement by `weeks`: asked by one head, confirmed by the other
    /// (the same command, or its button), once.
    Extend {
        weeks: u8,
        reason: Text,
    },
    /// The parent/carer asked for a review on `on`.
    RecordReviewRequest {
        on: NaiveDate,
    },
    /// A school confirms its side of the dual registration: the destination its subsidiary
    /// registration, the home school code D. `None`: the one school on the case the actor
    /// works at.
    ConfirmRegistration {
        school: Option<SchoolKey>,
        from: NaiveDate,
        la_notified: NaiveDate,
    },
    /// The destination's figures for the school week containing `week` (any day of it).
    RecordAttendance {
        week: NaiveDate,
        report: AttendanceReport,
    },
    /// The initial meeting was held on a day: what was aired, and (from the CLI) who came.
    RecordMeetingHeld {
        on: NaiveDate,
        positives: Option<Text>,
        concerns: Option<Text>,
        attendance: Option<Attendance>,
    },
    /// Who came to the initial meeting already recorded as held (chosen from a menu).
    RecordMeetingAttendees {
        attendance: Attendance,
    },
    /// A recorded review's details: who came, progress on each target, the views.
    RecordReviewDetails {
        review: ReviewKind,
        details: ReviewDetails,
    },
    /// Who came to a review whose details are recorded (chosen from a menu).
    RecordReviewAttendees {
        review: ReviewKind,
        attendance: Attendance,
    },
    /// A head asks (or, the second, agrees) to hold the final review before the
    /// placement's last school week, with a reason: it takes both heads.
    BringFinalReviewForward {
        on: NaiveDate,
        reason: Text,
    },
    /// The home head gave the parent/carer their copy of the agreement on a day, and how.
    RecordParentCopy {
        on: NaiveDate,
        how: Text,
    },
    /// The home head gave the written notice of an off-site direction on a day, and how;
    /// for an EHCP pupil, the day the local authority was given notice too.
    RecordNotice {
        on: NaiveDate,
        how: Text,
        la_notified: Option<NaiveDate>,
    },
}

/// The action without its data: what permissions and the test matrix reason about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionKind {
    View,
    Accept,
    Decline,
    Withdraw,
    PanelDecide,
    ScheduleMeeting,
    RecordParentConsent,
    RecordPupilConsent,
    RecordEhcpAmendment,
    RecordVirtualSchool,
    RecordAgreement,
    SignAgreement,
    RescheduleReview,
    StartMove,
    RateChecklist,
    LogCheckIn,
    RecordReview,
    RecordOutcome,
    Terminate,
    SnoozeReminder,
    UpdateNeeds,
    Extend,
    RecordReviewRequest,
    ConfirmRegistration,
    RecordAttendance,
    RecordMeetingHeld,
    RecordMeetingAttendees,
    RecordReviewDetails,
    RecordReviewAttendees,
    BringFinalReviewForward,
    RecordParentCopy,
    RecordNotice,
}

impl ActionKind {
    pub const ALL: [ActionKind; 32] = [
        ActionKind::View,
        ActionKind::Accept,
        ActionKind::Decline,
        ActionKind::Withdraw,
        ActionKind::PanelDecide,
        ActionKind::ScheduleMeeting,
        ActionKind::RecordParentConsent,
        ActionKind::RecordPupilConsent,
        ActionKind::RecordEhcpAmendment,
        ActionKind::RecordVirtualSchool,
        ActionKind::RecordAgreement,
        ActionKind::SignAgreement,
        ActionKind::RescheduleReview,
        ActionKind::StartMove,
        ActionKind::RateChecklist,
        ActionKind::LogCheckIn,
        ActionKind::RecordReview,
        ActionKind::RecordOutcome,
        ActionKind::Terminate,
        ActionKind::SnoozeReminder,
        ActionKind::UpdateNeeds,
        ActionKind::Extend,
        ActionKind::RecordReviewRequest,
        ActionKind::ConfirmRegistration,
        ActionKind::RecordAttendance,
        ActionKind::RecordMeetingHeld,
        ActionKind::RecordMeetingAttendees,
        ActionKind::RecordReviewDetails,
        ActionKind::RecordReviewAttendees,
        ActionKind::BringFinalReviewForward,
        ActionKind::RecordParentCopy,
        ActionKind::RecordNotice,
    ];
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Accept => ActionKind::Accept,
            Action::Decline { .. } => ActionKind::Decline,
            Action::Withdraw { .. } => ActionKind::Withdraw,
            Action::PanelDecide { .. } => ActionKind::PanelDecide,
            Action::ScheduleMeeting { .. } => ActionKind::ScheduleMeeting,
            Action::RecordParentConsent { .. } => ActionKind::RecordParentConsent,
            Action::RecordPupilConsent { .. } => ActionKind::RecordPupilConsent,
            Action::RecordEhcpAmendment { .. } => ActionKind::RecordEhcpAmendment,
            Action::RecordVirtualSchool { .. } => ActionKind::RecordVirtualSchool,
            Action::RecordAgreement { .. } => ActionKind::RecordAgreement,
            Action::SignAgreement => ActionKind::SignAgreement,
            Action::RescheduleReview { .. } => ActionKind::RescheduleReview,
            Action::StartMove { .. } => ActionKind::StartMove,
            Action::RateChecklist { .. } => ActionKind::RateChecklist,
            Action::LogCheckIn { .. } => ActionKind::LogCheckIn,
            Action::RecordReview { .. } => ActionKind::RecordReview,
            Action::RecordOutcome { .. } => ActionKind::RecordOutcome,
            Action::Terminate { .. } => ActionKind::Terminate,
            Action::SnoozeReminder { .. } => ActionKind::SnoozeReminder,
            Action::UpdateNeeds { .. } => ActionKind::UpdateNeeds,
            Action::Extend { .. } => ActionKind::Extend,
            Action::RecordReviewRequest { .. } => ActionKind::RecordReviewRequest,
            Action::ConfirmRegistration { .. } => ActionKind::ConfirmRegistration,
            Action::RecordAttendance { .. } => ActionKind::RecordAttendance,
            Action::RecordMeetingHeld { .. } => ActionKind::RecordMeetingHeld,
            Action::RecordMeetingAttendees { .. } => ActionKind::RecordMeetingAttendees,
            Action::RecordReviewDetails { .. } => ActionKind::RecordReviewDetails,
            Action::RecordReviewAttendees { .. } => ActionKind::RecordReviewAttendees,
            Action::BringFinalReviewForward { .. } => ActionKind::BringFinalReviewForward,
            Action::RecordParentCopy { .. } => ActionKind::RecordParentCopy,
            Action::RecordNotice { .. } => ActionKind::RecordNotice,
        }
    }
}
