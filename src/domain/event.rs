//! What happened to a case. Events are the audit trail: appended, never edited.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::approvals::{Approver, ExamCourses};
use super::attendance::{AttendanceReport, Percent};
use super::case::{
    AgreementTerms, CaseState, MoveKind, MoveReason, Outcome, Pupil, ReviewKind, Stamp,
};
use super::changes::{Confirmation, HeldReview};
use super::checklist::Rag;
use super::ids::{SchoolKey, Text, UserId};
use super::meetings::Attendance;
use super::partnership::Partnership;
use super::returning::ReturnHow;
use super::review_record::ReviewDetails;
use super::suitability::Suitability;

/// One change to a case, with who made it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
}

impl Event {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            by: self.by,
            at: self.at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub home: SchoolKey,
    pub destination: SchoolKey,
    pub pupil: Pupil,
    pub kind: MoveKind,
    pub reason: MoveReason,
    pub strategies_tried: Text,
    pub ehcp: bool,
    pub looked_after: bool,
    pub suitability: Suitability,
    /// The pupil's attendance over the last term, if the home school gave it.
    #[serde(default)]
    pub baseline_attendance: Option<Percent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    Proposed(Proposal),
    Accepted,
    Declined {
        reason: Text,
    },
    Withdrawn {
        reason: Text,
    },
    PanelDecided {
        approved: bool,
        reason: Text,
    },
    MeetingScheduled {
        at: DateTime<Utc>,
        place: Option<Text>,
    },
    ParentConsentRecorded {
        witnessed_by: Text,
        on: NaiveDate,
    },
    PupilConsentRecorded {
        on: NaiveDate,
        note: Option<Text>,
    },
    EhcpAmendmentRecorded {
        on: NaiveDate,
        note: Option<Text>,
    },
    VirtualSchoolConsulted {
        on: NaiveDate,
        contact: Text,
    },
    AgreementRecorded {
        terms: AgreementTerms,
        midpoint_review: NaiveDate,
        final_review: NaiveDate,
        signed_for: SchoolKey,
    },
    AgreementSigned {
        school: SchoolKey,
    },
    ReviewRescheduled {
        review: ReviewKind,
        on: NaiveDate,
        reason: Text,
    },
    MoveStarted {
        on: NaiveDate,
    },
    ChecklistRated {
        item: String,
        rag: Rag,
        comment: Option<Text>,
    },
    CheckInLogged {
        on: NaiveDate,
        note: Text,
    },
    ReviewRecorded {
        review: ReviewKind,
        held_on: NaiveDate,
        notes: Text,
    },
    PermanentConfirmed {
        school: SchoolKey,
    },
    Completed {
        outcome: Outcome,
        note: Text,
    },
    Terminated {
        reason: Text,
    },
    /// A reminder put off until a later school day, with the reason (for the audit trail).
    ReminderSnoozed {
        key: String,
        until: NaiveDate,
        reason: Text,
    },
    /// The pupil's EHCP / looked-after flags corrected before the move started.
    NeedsUpdated {
        ehcp: bool,
        looked_after: bool,
        reason: Text,
    },
    /// The head of `school` asked to lengthen the placement by `weeks`; the other head's
    /// agreement applies it.
    ExtensionRequested {
        school: SchoolKey,
        weeks: u8,
        reason: Text,
    },
    /// The other head (of `school`) agreed: the placement now runs `weeks` in all, and the
    /// reviews not yet held move to these dates.
    ExtensionAgreed {
        school: SchoolKey,
        added: u8,
        weeks: u8,
        midpoint_review: NaiveDate,
        final_review: NaiveDate,
    },
    /// The parent/carer asked for a review on `on`: one is due by `due`, or none because
    /// `recent` was held in the weeks before.
    ReviewRequested {
        on: NaiveDate,
        due: Option<NaiveDate>,
        recent: Option<HeldReview>,
    },
    /// A head's outcome not applied because the other head had confirmed a different one
    /// (`confirmed`): kept as a dispute until the heads agree.
    OutcomeDisputed {
        school: SchoolKey,
        outcome: Outcome,
        reason: Text,
        confirmed: Vec<Confirmation>,
    },
    /// One school's side of the dual registration confirmed (or corrected).
    RegistrationConfirmed {
        school: SchoolKey,
        from: NaiveDate,
        la_notified: NaiveDate,
    },
    /// The destination's figures for one school week (named by its Monday).
    AttendanceReported {
        week: NaiveDate,
        report: AttendanceReport,
    },
    /// A week's figures corrected: the new figures replace the old, which stay in history.
    AttendanceCorrected {
        week: NaiveDate,
        report: AttendanceReport,
    },
    /// The initial meeting was held (DOMAIN.md, "Meetings and reviews: who was there").
    MeetingHeld {
        on: NaiveDate,
        positives: Option<Text>,
        concerns: Option<Text>,
    },
    /// Who came to the initial meeting; a later one replaces an earlier one.
    MeetingAttendeesRecorded {
        attendance: Attendance,
    },
    /// The review dates worked out again from the day the move actually started, when it
    /// started later than the agreement said (DOMAIN.md, "Meetings and reviews").
    ReviewDatesReworked {
        midpoint_review: NaiveDate,
        final_review: NaiveDate,
    },
    /// A recorded review's details; a later one replaces an earlier one.
    ReviewDetailsRecorded {
        review: ReviewKind,
        details: ReviewDetails,
    },
    /// Who came to a review, chosen after its details.
    ReviewAttendeesRecorded {
        review: ReviewKind,
        attendance: Attendance,
    },
    /// One head asks to hold the final review early, on a day, with a reason.
    FinalReviewForwardAsked {
        school: SchoolKey,
        on: NaiveDate,
        reason: Text,
    },
    /// Both heads agreed: the final review is on this day, before the last school week.
    FinalReviewBroughtForward {
        on: NaiveDate,
        reason: Text,
    },
    /// Both heads confirmed a permanent transfer on `on`: the case enters the transferring
    /// stage (roll change, records) and closes when every step is recorded.
    TransferBegun {
        on: NaiveDate,
        roll_due: NaiveDate,
        note: Text,
    },
    /// The local authority amended the school named in the pupil's EHCP.
    NamedSchoolAmended {
        on: NaiveDate,
        note: Option<Text>,
    },
    /// The Virtual School was told of the permanent transfer of a looked-after child.
    VirtualSchoolTold {
        on: NaiveDate,
        contact: Text,
    },
    /// The destination made its registration the main one from `on`.
    MainRegistrationMade {
        on: NaiveDate,
        la_notified: NaiveDate,
    },
    /// The home school removed the pupil from its roll on `on` (the same date); the records
    /// are due by the dates given, worked out with the school calendar.
    RemovedFromRoll {
        on: NaiveDate,
        la_notified: NaiveDate,
        cp_due: NaiveDate,
        records_due: NaiveDate,
    },
    /// The home school sent the child-protection file on a day, or holds none (`None`).
    ChildProtectionFileRecorded {
        sent_on: Option<NaiveDate>,
    },
    /// The destination's safeguarding lead confirmed the child-protection file arrived.
    ChildProtectionFileReceived {
        on: NaiveDate,
        lead: Text,
    },
    /// The home school sent the common transfer file and the educational record.
    TransferRecordsSent {
        on: NaiveDate,
    },
    /// The case is in a year group whose moves need an extra approval, by this role.
    ExtraApprovalAsked {
        by: Approver,
    },
    /// The extra approval's decision; a decline closes the case.
    ExtraApprovalDecided {
        approved: bool,
        by_role: Approver,
        reason: Option<Text>,
    },
    /// The destination says whether the pupil's exam courses can continue.
    ExamCoursesRecorded {
        continues: ExamCourses,
        note: Option<Text>,
    },
    /// The home school's DSL shared the safeguarding information (or there was none).
    SafeguardingShared {
        dsl: Text,
        on: NaiveDate,
        nothing_to_share: bool,
    },
    /// The destination received the safeguarding information.
    SafeguardingConfirmed,
    /// A looked-after child's consent from the local authority, through the social worker.
    LocalAuthorityConsentRecorded {
        social_worker: Text,
        on: NaiveDate,
        parents_share: bool,
    },
    /// A managed move's pupil is going home: the case enters the returning stage.
    ReturnBegun {
        how: ReturnHow,
    },
    /// The reintegration meeting at the home school was held; a later one replaces it.
    ReintegrationMeetingHeld {
        on: NaiveDate,
        attendance: Attendance,
    },
    /// The home school's reintegration plan; a later one replaces it.
    ReintegrationPlanRecorded {
        support: Text,
        targets: Text,
        contact: Text,
    },
    /// One school's register change at the return (destination: subsidiary registration
    /// ended; home: code D stopped).
    RegistrationEnded {
        school: SchoolKey,
        on: NaiveDate,
        la_notified: NaiveDate,
    },
    /// One term after the close: the school now responsible says how the pupil is doing.
    FollowUpRecorded {
        school: SchoolKey,
        on_roll: bool,
        attendance: Percent,
        suspensions: u16,
        note: Option<Text>,
    },
    /// The parent/carer was given their copy of the agreement (DOMAIN.md, "the family's part").
    ParentCopyGiven {
        on: NaiveDate,
        how: Text,
    },
    /// The written notice of an off-site direction was given to the parent (and, for an
    /// EHCP pupil, to the local authority); a later one replaces an earlier one.
    NoticeGiven {
        on: NaiveDate,
        how: Text,
        #[serde(default)]
        la_notified: Option<NaiveDate>,
    },
    /// An admin overwrote a free-text part of event `seq` (`field`, a JSON pointer such as
    /// `/note`) that should never have been written, e.g. a full name typed into a note.
    Redacted {
        seq: u32,
        field: String,
        reason: Text,
    },
    /// A coordinator took the lead on the case (`from`: the lead before, if any), or
    /// handed it to another coordinator (`by` is then not `lead`).
    LeadChanged {
        lead: UserId,
        from: Option<UserId>,
    },
    /// A coordinator asked to reopen a case closed in error; a head of the school whose
    /// action closed it must confirm (`domain::reopen`).
    ReopenAsked {
        reason: Text,
    },
    /// The head confirmed: the case is back in `state`, the one it had before it closed.
    Reopened {
        state: CaseState,
    },
    /// A coordinator pinged the owner of an overdue step (escalation, issue 15): the step's
    /// key, and who owed what as the step read then ("Hillcrest School head", "sign the
    /// agreement (`/agreement sign`)"), so the audit reads the same after the step is done.
    OwnerPinged {
        step: String,
        owner: String,
        what: String,
    },
}

impl EventKind {
    /// A stable name for the event, stored in its own column so the audit reads well in SQL.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Proposed(_) => "proposed",
            EventKind::Accepted => "accepted",
            EventKind::Declined { .. } => "declined",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::PanelDecided { .. } => "panel_decided",
            EventKind::MeetingScheduled { .. } => "meeting_scheduled",
            EventKind::ParentConsentRecorded { .. } => "parent_consent_recorded",
            EventKind::PupilConsentRecorded { .. } => "pupil_consent_recorded",
            EventKind::EhcpAmendmentRecorded { .. } => "ehcp_amendment_recorded",
            EventKind::VirtualSchoolConsulted { .. } => "virtual_school_consulted",
            EventKind::AgreementRecorded { .. } => "agreement_recorded",
            EventKind::AgreementSigned { .. } => "agreement_signed",
            EventKind::ReviewRescheduled { .. } => "review_rescheduled",
            EventKind::MoveStarted { .. } => "move_started",
            EventKind::ChecklistRated { .. } => "checklist_rated",
            EventKind::CheckInLogged { .. } => "check_in_logged",
            EventKind::ReviewRecorded { .. } => "review_recorded",
            EventKind::PermanentConfirmed { .. } => "permanent_confirmed",
            EventKind::Completed { .. } => "completed",
            EventKind::Terminated { .. } => "terminated",
            EventKind::ReminderSnoozed { .. } => "reminder_snoozed",
            EventKind::NeedsUpdated { .. } => "needs_updated",
            EventKind::ExtensionRequested { .. } => "extension_requested",
            EventKind::ExtensionAgreed { .. } => "extension_agreed",
            EventKind::ReviewRequested { .. } => "review_requested",
            EventKind::OutcomeDisputed { .. } => "outcome_disputed",
            EventKind::RegistrationConfirmed { .. } => "registration_confirmed",
            EventKind::AttendanceReported { .. } => "attendance_reported",
            EventKind::AttendanceCorrected { .. } => "attendance_corrected",
            EventKind::MeetingHeld { .. } => "meeting_held",
            EventKind::MeetingAttendeesRecorded { .. } => "meeting_attendees_recorded",
            EventKind::ReviewDatesReworked { .. } => "review_dates_reworked",
            EventKind::ReviewDetailsRecorded { .. } => "review_details_recorded",
            EventKind::ReviewAttendeesRecorded { .. } => "review_attendees_recorded",
            EventKind::FinalReviewForwardAsked { .. } => "final_review_forward_asked",
            EventKind::FinalReviewBroughtForward { .. } => "final_review_brought_forward",
            EventKind::TransferBegun { .. } => "transfer_begun",
            EventKind::NamedSchoolAmended { .. } => "named_school_amended",
            EventKind::VirtualSchoolTold { .. } => "virtual_school_told",
            EventKind::MainRegistrationMade { .. } => "main_registration_made",
            EventKind::RemovedFromRoll { .. } => "removed_from_roll",
            EventKind::ChildProtectionFileRecorded { .. } => "child_protection_file_recorded",
            EventKind::ChildProtectionFileReceived { .. } => "child_protection_file_received",
            EventKind::TransferRecordsSent { .. } => "transfer_records_sent",
            EventKind::ExtraApprovalAsked { .. } => "extra_approval_asked",
            EventKind::ExtraApprovalDecided { .. } => "extra_approval_decided",
            EventKind::ExamCoursesRecorded { .. } => "exam_courses_recorded",
            EventKind::SafeguardingShared { .. } => "safeguarding_shared",
            EventKind::SafeguardingConfirmed => "safeguarding_confirmed",
            EventKind::LocalAuthorityConsentRecorded { .. } => "local_authority_consent_recorded",
            EventKind::ReturnBegun { .. } => "return_begun",
            EventKind::ReintegrationMeetingHeld { .. } => "reintegration_meeting_held",
            EventKind::ReintegrationPlanRecorded { .. } => "reintegration_plan_recorded",
            EventKind::RegistrationEnded { .. } => "registration_ended",
            EventKind::FollowUpRecorded { .. } => "follow_up_recorded",
            EventKind::ParentCopyGiven { .. } => "parent_copy_given",
            EventKind::NoticeGiven { .. } => "notice_given",
            EventKind::Redacted { .. } => "redacted",
            EventKind::LeadChanged { .. } => "lead_changed",
            EventKind::ReopenAsked { .. } => "reopen_asked",
            EventKind::Reopened { .. } => "reopened",
            EventKind::OwnerPinged { .. } => "owner_pinged",
        }
    }

    /// A one-line summary with no pupil details and no free text, safe for any audience
    /// that may see the case at all (history lists, thread posts, logs). A move is called
    /// what the partnership's policy calls it (an off-site direction, say).
    pub fn summary(&self, partnership: &Partnership) -> String {
        let policy = &partnership.policy;
        // Schools by name, never by their config key.
        let name = |school: &SchoolKey| partnership.school_name(school);
        match self {
            EventKind::Proposed(p) => {
                let name = policy.kind_name(p.kind);
                format!("Proposed {} {name}", super::family::article(name))
            }
            EventKind::Accepted => "Accepted the proposal".into(),
            EventKind::Declined { .. } => "Declined the proposal".into(),
            EventKind::Withdrawn { .. } => "Withdrew the proposal".into(),
            EventKind::PanelDecided { approved: true, .. } => {
                "SEIP panel approved the transfer".into()
            }
            EventKind::PanelDecided {
                approved: false, ..
            } => "SEIP panel rejected the transfer".into(),
            // Date only: the time is shown in the partnership's zone on the case card.
            EventKind::MeetingScheduled { at, .. } => {
                format!(
                    "Scheduled the initial meeting for {}",
                    at.format("%Y-%m-%d")
                )
            }
            EventKind::ParentConsentRecorded { on, .. } => {
                format!("Recorded parent/carer agreement given on {on}")
            }
            EventKind::PupilConsentRecorded { on, .. } => {
                format!("Recorded the pupil's agreement given on {on}")
            }
            EventKind::EhcpAmendmentRecorded { on, .. } => {
                format!("Recorded the EHCP amendment of {on}")
            }
            EventKind::VirtualSchoolConsulted { on, .. } => {
                format!("Recorded Virtual School consultation on {on}")
            }
            EventKind::AgreementRecorded { terms, .. } => format!(
                "Recorded the agreement: start {}, {} weeks",
                terms.start, terms.weeks
            ),
            EventKind::AgreementSigned { school } => format!("Signed the agreement for {}", name(school)),
            EventKind::ReviewRescheduled { review, on, .. } => {
                format!("Moved the {} to {on}", review.label())
            }
            EventKind::MoveStarted { on } => {
                format!("Started the move on {on} (dual registration)")
            }
            EventKind::ChecklistRated { item, rag, .. } => format!("Rated {item} {}", rag.label()),
            EventKind::CheckInLogged { on, .. } => format!("Logged a check-in on {on}"),
            EventKind::ReviewRecorded {
                review, held_on, ..
            } => format!("Recorded the {} held on {held_on}", review.label()),
            EventKind::PermanentConfirmed { school } => {
                format!("Confirmed permanent transfer for {}", name(school))
            }
            EventKind::Completed { outcome, .. } => format!("Completed: {}", outcome.label()),
            // Not "the pupil returns home": a managed transfer has no home school to return to.
            EventKind::Terminated { .. } => "Ended the move early".into(),
            // The key was checked by `decide` (a known reminder key): never free text.
            EventKind::ReminderSnoozed { key, until, .. } => {
                format!("Snoozed the `{key}` reminder until {until}")
            }
            // Which flag changed is a pupil detail: the case card shows it to those who may see.
            EventKind::NeedsUpdated { .. } => {
                "Corrected the pupil's EHCP / looked-after status".into()
            }
            EventKind::ExtensionRequested { school, weeks, .. } => format!(
                "Asked for {} to extend the placement by {weeks} week{}; it needs the other head's agreement",
                name(school),
                plural(*weeks)
            ),
            EventKind::ExtensionAgreed {
                school,
                added,
                weeks,
                final_review,
                ..
            } => format!(
                "Agreed for {}: placement extended by {added} week{} to {weeks} weeks, final review {final_review}; record the parent's agreement to the new length",
                name(school),
                plural(*added)
            ),
            EventKind::ReviewRequested { on, due: Some(due), .. } => {
                format!("Recorded the parent's request for a review of {on}: a review is due by {due}")
            }
            EventKind::ReviewRequested {
                on, recent: held, ..
            } => match held {
                Some(h) => format!(
                    "Recorded the parent's request for a review of {on}: none is due, the {} was held on {}",
                    h.review.label(),
                    h.held_on
                ),
                None => format!("Recorded the parent's request for a review of {on}"),
            },
            // Who confirmed what and when, so the head sees why theirs was not applied.
            EventKind::OutcomeDisputed {
                school,
                outcome,
                confirmed,
                ..
            } => {
                let others: Vec<String> = confirmed
                    .iter()
                    .map(|c| {
                        format!(
                            "<@{}> confirmed a permanent transfer for {} on {}",
                            c.by,
                            c.school,
                            c.at.format("%Y-%m-%d")
                        )
                    })
                    .collect();
                format!(
                    "Not applied: \"{}\" for {} conflicts with the other head's decision ({}); recorded as a dispute until the heads agree",
                    outcome.short(),
                    name(school),
                    others.join("; ")
                )
            }
            EventKind::RegistrationConfirmed { school, from, .. } => {
                format!(
                    "Confirmed {}'s side of the dual registration, from {from}",
                    name(school)
                )
            }
            // The figures are the pupil's: the case card and `/attendance show` give them.
            EventKind::AttendanceReported { week, .. } => {
                format!("Reported attendance for the week of {week}")
            }
            EventKind::AttendanceCorrected { week, .. } => {
                format!("Corrected attendance for the week of {week}")
            }
            EventKind::MeetingHeld { on, .. } => {
                format!("Recorded the initial meeting as held on {on}")
            }
            // Short, as history lists are paged: the case card shows who came, by role.
            EventKind::MeetingAttendeesRecorded { attendance } => format!(
                "Recorded who attended the initial meeting ({})",
                attendance.attendees().len()
            ),
            EventKind::ReviewDatesReworked {
                midpoint_review,
                final_review,
            } => format!(
                "Reviews follow the actual start: midpoint {midpoint_review}, final {final_review}"
            ),
            EventKind::ReviewDetailsRecorded { review, .. } => {
                format!(
                    "Recorded the {}'s progress on each target and views",
                    review.label()
                )
            }
            EventKind::ReviewAttendeesRecorded {
                review, attendance, ..
            } => format!(
                "Recorded who came to the {} ({})",
                review.label(),
                attendance.attendees().len()
            ),
            EventKind::FinalReviewForwardAsked { school, on, .. } => format!(
                "Asked for {} to bring the final review forward to {on}; the other head must agree",
                name(school)
            ),
            EventKind::FinalReviewBroughtForward { on, .. } => {
                format!("Both heads agreed to bring the final review forward to {on}")
            }
            EventKind::TransferBegun { on, .. } => format!(
                "Both heads confirmed the permanent transfer on {on}: the pupil now changes rolls and the records follow"
            ),
            EventKind::NamedSchoolAmended { on, .. } => {
                format!("Recorded the local authority's amendment of the EHCP's named school on {on}")
            }
            EventKind::VirtualSchoolTold { on, .. } => {
                format!("Recorded that the Virtual School was told of the transfer on {on}")
            }
            EventKind::MainRegistrationMade { on, .. } => {
                format!("The destination made its registration the main one from {on}")
            }
            EventKind::RemovedFromRoll {
                on,
                cp_due,
                records_due,
                ..
            } => format!(
                "The home school removed the pupil from its roll on {on}; any child-protection file is due by {cp_due}, the common transfer file and educational record by {records_due}"
            ),
            EventKind::ChildProtectionFileRecorded { sent_on: Some(on) } => {
                format!("Sent the child-protection file on {on}")
            }
            EventKind::ChildProtectionFileRecorded { sent_on: None } => {
                "Recorded that there is no child-protection file to send".into()
            }
            EventKind::ChildProtectionFileReceived { on, .. } => format!(
                "The destination's safeguarding lead confirmed receipt of the child-protection file on {on}"
            ),
            EventKind::TransferRecordsSent { on } => {
                format!("Sent the common transfer file and educational record on {on}")
            }
            EventKind::ExtraApprovalAsked { by } => {
                format!("The move needs an extra approval by {} (exam years)", by.label())
            }
            EventKind::ExtraApprovalDecided { approved: true, by_role, .. } => {
                format!("Approved the move for {} (extra approval)", by_role.label())
            }
            EventKind::ExtraApprovalDecided { by_role, .. } => {
                format!("Declined the move for {} (extra approval)", by_role.label())
            }
            EventKind::ExamCoursesRecorded { continues, .. } => {
                format!("Recorded whether the exam courses can continue: {}", continues.label())
            }
            // That it was shared, when: never what was shared (the card names the DSL).
            EventKind::SafeguardingShared { on, nothing_to_share: false, .. } => {
                format!("Recorded that the safeguarding lead shared what the destination needs to know on {on}")
            }
            EventKind::SafeguardingShared { on, .. } => {
                format!("Recorded that the safeguarding lead had nothing to share ({on})")
            }
            EventKind::SafeguardingConfirmed => {
                "Confirmed the destination received the safeguarding information".into()
            }
            EventKind::LocalAuthorityConsentRecorded { on, .. } => {
                format!("Recorded the local authority's agreement given on {on}")
            }
            // How, not why: the reason is free text, shown on the card to those who may see.
            EventKind::ReturnBegun { how } => format!(
                "The pupil returns to the home school ({}): reintegration meeting, plan and register changes to record",
                how.label()
            ),
            EventKind::ReintegrationMeetingHeld { on, attendance } => format!(
                "Recorded the reintegration meeting held on {on} ({} attended)",
                attendance.attendees().len()
            ),
            EventKind::ReintegrationPlanRecorded { .. } => {
                "Recorded the reintegration plan".into()
            }
            EventKind::RegistrationEnded { school, on, .. } => {
                format!(
                    "Recorded {}'s register change for the return from {on}",
                    name(school)
                )
            }
            // Whether the pupil stayed is a pupil detail: the card and `/stats` give it.
            EventKind::FollowUpRecorded { school, .. } => {
                format!("Recorded {}'s follow-up one term on", name(school))
            }
            // How it was given is free text: the case card shows it.
            EventKind::ParentCopyGiven { on, .. } => {
                format!("Recorded the parent/carer's copy of the agreement as given on {on}")
            }
            EventKind::NoticeGiven {
                on, la_notified, ..
            } => match la_notified {
                Some(la) => format!(
                    "Recorded the written notice as given to the parent/carer on {on} and to the local authority on {la}"
                ),
                None => format!("Recorded the written notice as given to the parent/carer on {on}"),
            },
            // Which note and why are for the audit trail; the post says only that it happened.
            EventKind::Redacted { seq, .. } => {
                format!("An admin redacted a note in change {seq}")
            }
            // A mention renders as the member's name in Discord and pings nobody there
            // (every post is sent with no allowed mentions).
            EventKind::LeadChanged { lead, from } => match from {
                Some(before) => format!("<@{lead}> leads the case, after <@{before}>"),
                None => format!("<@{lead}> leads the case"),
            },
            // The reason is free text: the card shows it to those who may see the case.
            EventKind::ReopenAsked { .. } => "Asked to reopen the case, closed in error; a head of the school whose action closed it must confirm".into(),
            EventKind::Reopened { state } => {
                format!("Reopened the case: it is {state} again, as before it closed")
            }
            // Derived from the step by `decide`, never typed: school names and the step.
            EventKind::OwnerPinged { owner, what, .. } => {
                format!("Pinged {owner}: {what} (overdue)")
            }
        }
    }
}

fn plural(n: u8) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
