//! Typed commands: what a slash command, a button, a modal or the CLI asks for, already
//! parsed into values that cannot be malformed.

use chrono::{DateTime, NaiveDate, Utc};

use super::approvals::ExamCourses;
use super::attendance::{AttendanceReport, Percent};
use super::case::{AgreementTerms, Outcome, ReviewKind};
use super::checklist::Rag;
use super::event::Proposal;
use super::ids::{CaseRef, SchoolKey, Text};
use super::lead::LeadTarget;
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
    /// Transferring: the local authority amended the school named in the EHCP (first).
    RecordNamedSchoolAmended {
        on: NaiveDate,
        note: Option<Text>,
    },
    /// Transferring: the Virtual School was told (a looked-after child).
    RecordVirtualSchoolTold {
        on: NaiveDate,
        contact: Text,
    },
    /// Transferring: the destination's registration becomes the main one from `on`.
    RecordMainRegistration {
        on: NaiveDate,
        la_notified: NaiveDate,
    },
    /// Transferring: the home school removes the pupil from its roll on `on` (the same date).
    RecordRemovalFromRoll {
        on: NaiveDate,
        la_notified: NaiveDate,
    },
    /// Transferring: the child-protection file sent on a day, or `None`: there is none.
    RecordChildProtectionFile {
        sent_on: Option<NaiveDate>,
    },
    /// Transferring: the destination's safeguarding lead confirms the file arrived.
    ConfirmChildProtectionReceipt {
        on: NaiveDate,
        lead: Text,
    },
    /// Transferring: the common transfer file and educational record sent.
    RecordTransferRecordsSent {
        on: NaiveDate,
    },
    /// The extra approval a partnership asks for in exam years (by the role its policy
    /// names): approve, or decline with a reason, which closes the case.
    DecideExtraApproval {
        approve: bool,
        reason: Option<Text>,
    },
    /// The destination says whether the pupil's exam courses can continue there.
    RecordExamCourses {
        continues: ExamCourses,
        note: Option<Text>,
    },
    /// The home school's designated safeguarding lead (`dsl`) shared what the destination
    /// needs to know on `on`, or recorded that there is nothing to share. Never the text.
    RecordSafeguarding {
        dsl: Text,
        on: NaiveDate,
        nothing_to_share: bool,
    },
    /// The destination confirms it received the safeguarding information.
    ConfirmSafeguarding,
    /// A looked-after child's consent from the local authority (parental responsibility),
    /// through the social worker; `parents_share` when the parents share it.
    RecordLocalAuthorityConsent {
        social_worker: Text,
        on: NaiveDate,
        parents_share: bool,
    },
    /// The parent/carer withdrew consent on `on` (home head): the pupil returns home.
    RecordConsentWithdrawn {
        on: NaiveDate,
        reason: Text,
    },
    /// The reintegration meeting at the home school was held, with who came.
    RecordReintegrationMeeting {
        on: NaiveDate,
        attendance: Attendance,
    },
    /// The home school's reintegration plan.
    RecordReintegrationPlan {
        support: Text,
        targets: Text,
        contact: Text,
    },
    /// A school's register change at the return. `None`: the one school on the case the
    /// actor works at.
    EndRegistration {
        school: Option<SchoolKey>,
        on: NaiveDate,
        la_notified: NaiveDate,
    },
    /// One term after the close: still on roll, attendance, suspensions since.
    RecordFollowUp {
        on_roll: bool,
        attendance: Percent,
        suspensions: u16,
        note: Option<Text>,
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
    /// A coordinator takes the lead on the case, or (`to`) hands it to another coordinator.
    TakeLead {
        to: Option<LeadTarget>,
    },
    /// A coordinator asks to reopen a case closed in error, with the reason.
    AskReopen {
        reason: Text,
    },
    /// A head of the school whose action closed the case confirms the reopen asked for.
    ConfirmReopen,
    /// A coordinator pings the owner of an overdue step (by its key from `next_step`): the
    /// bot calls on the owing head in the case thread. Audited; changes nothing else.
    PingOwner {
        step: String,
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
    RecordNamedSchoolAmended,
    RecordVirtualSchoolTold,
    RecordMainRegistration,
    RecordRemovalFromRoll,
    RecordChildProtectionFile,
    ConfirmChildProtectionReceipt,
    RecordTransferRecordsSent,
    DecideExtraApproval,
    RecordExamCourses,
    RecordSafeguarding,
    ConfirmSafeguarding,
    RecordLocalAuthorityConsent,
    RecordConsentWithdrawn,
    RecordReintegrationMeeting,
    RecordReintegrationPlan,
    EndRegistration,
    RecordFollowUp,
    RecordParentCopy,
    RecordNotice,
    TakeLead,
    AskReopen,
    ConfirmReopen,
    PingOwner,
}

impl ActionKind {
    pub const ALL: [ActionKind; 53] = [
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
        ActionKind::RecordNamedSchoolAmended,
        ActionKind::RecordVirtualSchoolTold,
        ActionKind::RecordMainRegistration,
        ActionKind::RecordRemovalFromRoll,
        ActionKind::RecordChildProtectionFile,
        ActionKind::ConfirmChildProtectionReceipt,
        ActionKind::RecordTransferRecordsSent,
        ActionKind::DecideExtraApproval,
        ActionKind::RecordExamCourses,
        ActionKind::RecordSafeguarding,
        ActionKind::ConfirmSafeguarding,
        ActionKind::RecordLocalAuthorityConsent,
        ActionKind::RecordConsentWithdrawn,
        ActionKind::RecordReintegrationMeeting,
        ActionKind::RecordReintegrationPlan,
        ActionKind::EndRegistration,
        ActionKind::RecordFollowUp,
        ActionKind::RecordParentCopy,
        ActionKind::RecordNotice,
        ActionKind::TakeLead,
        ActionKind::AskReopen,
        ActionKind::ConfirmReopen,
        ActionKind::PingOwner,
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
            Action::RecordNamedSchoolAmended { .. } => ActionKind::RecordNamedSchoolAmended,
            Action::RecordVirtualSchoolTold { .. } => ActionKind::RecordVirtualSchoolTold,
            Action::RecordMainRegistration { .. } => ActionKind::RecordMainRegistration,
            Action::RecordRemovalFromRoll { .. } => ActionKind::RecordRemovalFromRoll,
            Action::RecordChildProtectionFile { .. } => ActionKind::RecordChildProtectionFile,
            Action::ConfirmChildProtectionReceipt { .. } => {
                ActionKind::ConfirmChildProtectionReceipt
            }
            Action::RecordTransferRecordsSent { .. } => ActionKind::RecordTransferRecordsSent,
            Action::DecideExtraApproval { .. } => ActionKind::DecideExtraApproval,
            Action::RecordExamCourses { .. } => ActionKind::RecordExamCourses,
            Action::RecordSafeguarding { .. } => ActionKind::RecordSafeguarding,
            Action::ConfirmSafeguarding => ActionKind::ConfirmSafeguarding,
            Action::RecordLocalAuthorityConsent { .. } => ActionKind::RecordLocalAuthorityConsent,
            Action::RecordConsentWithdrawn { .. } => ActionKind::RecordConsentWithdrawn,
            Action::RecordReintegrationMeeting { .. } => ActionKind::RecordReintegrationMeeting,
            Action::RecordReintegrationPlan { .. } => ActionKind::RecordReintegrationPlan,
            Action::EndRegistration { .. } => ActionKind::EndRegistration,
            Action::RecordFollowUp { .. } => ActionKind::RecordFollowUp,
            Action::RecordParentCopy { .. } => ActionKind::RecordParentCopy,
            Action::RecordNotice { .. } => ActionKind::RecordNotice,
            Action::TakeLead { .. } => ActionKind::TakeLead,
            Action::AskReopen { .. } => ActionKind::AskReopen,
            Action::ConfirmReopen => ActionKind::ConfirmReopen,
            Action::PingOwner { .. } => ActionKind::PingOwner,
        }
    }
}
