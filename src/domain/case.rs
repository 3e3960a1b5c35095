//! A case, as the sum of its events. Built only by [`Case::apply`]; never edited directly.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::approvals::{
    Approver, ExamCoursesRecord, ExtraApproval, LocalAuthorityConsent, SafeguardingShare,
};
use super::attendance::{Percent, WeekAttendance};
use super::changes::{Dispute, Extension, ReviewRequest};
use super::checklist::Rating;
use super::event::{Event, EventKind};
use super::family::{CopyGiven, NoticeGiven};
use super::ids::{CaseRef, Initials, SchoolKey, Text, UserId, YearGroup};
use super::lead::Lead;
use super::meetings::MeetingHeld;
use super::registration::Registration;
use super::reopen::{BeforeClose, ReopenAsk, Reopening};
use super::returning::{
    FollowUp, RegistrationEnd, Reintegration, ReintegrationMeeting, ReintegrationPlan,
};
use super::review_record::ReviewDetails;
use super::suitability::Suitability;
use super::transfer::{CpFile, CpReceipt, RollChange, Transfer, VirtualSchoolTold};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Proposed,
    Accepted,
    Agreeing,
    Active,
    Completed,
    Terminated,
    Declined,
    Withdrawn,
    /// A managed transfer the SEIP panel did not approve, or a move the extra approval
    /// (exam years) declined.
    Rejected,
    /// Both heads confirmed a permanent transfer: open while the rolls change and the
    /// records follow (see `domain::transfer`).
    Transferring,
    /// A managed move's pupil is going home: reintegration meeting, plan and the register
    /// changes, then the case closes with its outcome (DOMAIN.md, "Endings").
    Returning,
}

impl CaseState {
    pub const ALL: [CaseState; 11] = [
        CaseState::Proposed,
        CaseState::Accepted,
        CaseState::Agreeing,
        CaseState::Active,
        CaseState::Completed,
        CaseState::Terminated,
        CaseState::Declined,
        CaseState::Withdrawn,
        CaseState::Rejected,
        CaseState::Transferring,
        CaseState::Returning,
    ];

    pub fn is_closed(self) -> bool {
        matches!(
            self,
            CaseState::Completed
                | CaseState::Terminated
                | CaseState::Declined
                | CaseState::Withdrawn
                | CaseState::Rejected
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Proposed => "proposed",
            CaseState::Accepted => "accepted",
            CaseState::Agreeing => "agreeing",
            CaseState::Active => "active",
            CaseState::Completed => "completed",
            CaseState::Terminated => "terminated",
            CaseState::Declined => "declined",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Rejected => "rejected",
            CaseState::Transferring => "transferring",
            CaseState::Returning => "returning",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

impl std::fmt::Display for CaseState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A managed move keeps the right to return; a managed transfer does not, and needs the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    ManagedMove,
    ManagedTransfer,
}

impl MoveKind {
    pub fn label(self) -> &'static str {
        match self {
            MoveKind::ManagedMove => "managed move",
            MoveKind::ManagedTransfer => "managed transfer",
        }
    }
}

/// Why a move is considered (DOMAIN.md, "Why a move is considered").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveReason {
    RiskOfExclusion,
    Attendance,
}

impl MoveReason {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "exclusion" | "risk-of-exclusion" | "risk_of_exclusion" => Some(Self::RiskOfExclusion),
            "attendance" => Some(Self::Attendance),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MoveReason::RiskOfExclusion => "at risk of exclusion",
            MoveReason::Attendance => "attendance affecting access to education",
        }
    }
}

/// Only initials and year group: the bot holds nothing else that identifies a child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub initials: Initials,
    pub year: YearGroup,
}

impl Pupil {
    /// "J.S. Y9", or "Y9 pupil" where the initials are withheld (a case shown on Discord
    /// under `[privacy] pupil_initials_in_discord = false`).
    pub fn label(&self) -> String {
        if self.initials.is_withheld() {
            format!("{} pupil", self.year)
        } else {
            format!("{} {}", self.initials, self.year)
        }
    }
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: UserId,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentConsent {
    /// The member of staff who heard the parent agree, freely and without pressure.
    pub witnessed_by: Text,
    pub on: NaiveDate,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedRecord {
    pub on: NaiveDate,
    pub note: Option<Text>,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualSchoolConsultation {
    pub on: NaiveDate,
    /// Who at the Virtual School was consulted (a role or name of staff, not the pupil).
    pub contact: Text,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelDecision {
    pub approved: bool,
    pub reason: Text,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub at: DateTime<Utc>,
    pub place: Option<Text>,
    pub recorded: Stamp,
}

/// What everyone signs at the initial meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreementTerms {
    pub start: NaiveDate,
    pub weeks: u8,
    pub targets: Text,
    pub pupil_champion: Text,
    pub if_it_fails: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    pub terms: AgreementTerms,
    pub midpoint_review: NaiveDate,
    pub final_review: NaiveDate,
    /// One signature per school, by a head of that school.
    pub signatures: BTreeMap<SchoolKey, Stamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewKind {
    Midpoint,
    Final,
}

impl ReviewKind {
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::Midpoint => "midpoint review",
            ReviewKind::Final => "final review",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub held_on: NaiveDate,
    pub notes: Text,
    pub recorded: Stamp,
}

/// One head's request to bring the final review forward, waiting for the other head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForwardAsked {
    pub school: SchoolKey,
    pub on: NaiveDate,
    pub reason: Text,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckIn {
    pub on: NaiveDate,
    pub note: Text,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The pupil transfers permanently to the destination school (both heads confirm).
    Permanent,
    /// The pupil returns to the home school.
    Returned,
}

impl Outcome {
    /// One word, as the heads chose it in `/move outcome`.
    pub fn short(self) -> &'static str {
        match self {
            Outcome::Permanent => "permanent",
            Outcome::Returned => "returned",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Outcome::Permanent => "permanent transfer to the destination school",
            Outcome::Returned => "returned to the home school",
        }
    }
}

/// The case: who, where, why, and everything recorded since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub reference: CaseRef,
    pub state: CaseState,
    pub kind: MoveKind,
    pub home: SchoolKey,
    pub destination: SchoolKey,
    pub pupil: Pupil,
    pub reason: MoveReason,
    pub strategies_tried: Text,
    pub ehcp: bool,
    pub looked_after: bool,
    pub suitability: Suitability,
    pub proposed: Stamp,
    pub decided: Option<Stamp>,
    pub closing_reason: Option<Text>,
    pub panel: Option<PanelDecision>,
    pub meeting: Option<Meeting>,
    pub parent_consent: Option<ParentConsent>,
    pub pupil_consent: Option<DatedRecord>,
    pub ehcp_amendment: Option<DatedRecord>,
    pub virtual_school: Option<VirtualSchoolConsultation>,
    pub agreement: Option<Agreement>,
    pub started_on: Option<NaiveDate>,
    pub checklist: BTreeMap<String, Rating>,
    pub check_ins: Vec<CheckIn>,
    pub reviews: BTreeMap<String, Review>,
    /// A permanent outcome waits for the second head; this holds the first confirmation.
    pub permanent_confirmed_by: BTreeMap<SchoolKey, Stamp>,
    pub outcome: Option<Outcome>,
    /// Reminders put off, by reminder key, until a local date (the latest snooze wins).
    #[serde(default)]
    pub snoozed: BTreeMap<String, NaiveDate>,
    /// The one extension both heads may agree (asked by one, agreed by the other).
    #[serde(default)]
    pub extension: Option<Extension>,
    /// The parent/carer's requests for a review, oldest first.
    #[serde(default)]
    pub review_requests: Vec<ReviewRequest>,
    /// Outcomes a head gave that conflict with the other head's confirmation.
    #[serde(default)]
    pub disputes: Vec<Dispute>,
    /// The initial meeting as held, with who came (absent in cases stored before it existed).
    #[serde(default)]
    pub meeting_held: Option<MeetingHeld>,
    /// Each recorded review's details, by review key (`midpoint`, `final`).
    #[serde(default)]
    pub review_details: BTreeMap<String, ReviewDetails>,
    /// One head's request to hold the final review early, waiting for the other head.
    #[serde(default)]
    pub final_forward_asked: Option<ForwardAsked>,
    /// The day both heads agreed to hold the final review, before the last school week.
    #[serde(default)]
    pub final_brought_forward: Option<NaiveDate>,
    /// How many events have been applied; the store uses it to detect lost updates.
    pub version: u32,
    pub updated_at: DateTime<Utc>,
    /// Each school's side of the dual registration, by school.
    #[serde(default)]
    pub registrations: BTreeMap<SchoolKey, Registration>,
    /// Weekly attendance reports during the placement, by the week's Monday.
    #[serde(default)]
    pub attendance: BTreeMap<NaiveDate, WeekAttendance>,
    /// The pupil's attendance over the last term, given at the proposal.
    #[serde(default)]
    pub baseline_attendance: Option<Percent>,
    /// The transferring stage, once both heads confirmed a permanent transfer.
    #[serde(default)]
    pub transfer: Option<Transfer>,
    /// Who must give the extra approval for this year group (asked at acceptance).
    #[serde(default)]
    pub approval_asked: Option<Approver>,
    #[serde(default)]
    pub extra_approval: Option<ExtraApproval>,
    /// Whether the pupil's exam courses can continue, as the destination said.
    #[serde(default)]
    pub exam_courses: Option<ExamCoursesRecord>,
    /// That the home school's safeguarding lead passed on what the destination needs.
    #[serde(default)]
    pub safeguarding: Option<SafeguardingShare>,
    /// A looked-after child's consent from the local authority.
    #[serde(default)]
    pub la_consent: Option<LocalAuthorityConsent>,
    /// How many different sets of terms the agreement has had (0: none yet). Consents
    /// belong to the terms they were given for.
    #[serde(default)]
    pub terms_version: u32,
    /// The terms version the parent's agreement was given for (one given before the first
    /// agreement counts as given for it).
    #[serde(default)]
    pub parent_consent_terms: Option<u32>,
    #[serde(default)]
    pub pupil_consent_terms: Option<u32>,
    /// Who recorded the agreement again with different terms, and when (the latest).
    #[serde(default)]
    pub terms_changed: Option<Stamp>,
    /// The returning stage: how the pupil came home and which steps are done.
    #[serde(default)]
    pub returning: Option<Reintegration>,
    /// When the case closed (absent in cases closed before it was kept).
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// One term on: still on roll and attending at the school now responsible?
    #[serde(default)]
    pub follow_up: Option<FollowUp>,
    /// When the parent/carer was given their copy of the agreement, and how.
    #[serde(default)]
    pub parent_copy: Option<CopyGiven>,
    /// When the written notice of an off-site direction was given, and how.
    #[serde(default)]
    pub notice: Option<NoticeGiven>,
    /// The coordinator who leads the case, if one took the lead. (These four are left out
    /// of the stored snapshot when empty, as most cases never have them.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Lead>,
    /// What the closing event changed, kept while the case is closed so that a reopen
    /// can put it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before_close: Option<BeforeClose>,
    /// A coordinator's request to reopen the closed case, waiting for a head.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopen_asked: Option<ReopenAsk>,
    /// The latest reopen, for the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reopened: Option<Reopening>,
}

impl Case {
    /// Starts a case from its first event, which must be `Proposed`.
    pub fn from_events<'a>(
        reference: CaseRef,
        events: impl IntoIterator<Item = &'a Event>,
    ) -> Option<Case> {
        let mut events = events.into_iter();
        let first = events.next()?;
        let EventKind::Proposed(p) = &first.kind else {
            return None;
        };
        let mut case = Case {
            reference,
            state: CaseState::Proposed,
            kind: p.kind,
            home: p.home.clone(),
            destination: p.destination.clone(),
            pupil: p.pupil.clone(),
            reason: p.reason,
            strategies_tried: p.strategies_tried.clone(),
            ehcp: p.ehcp,
            looked_after: p.looked_after,
            suitability: p.suitability.clone(),
            proposed: first.stamp(),
            decided: None,
            closing_reason: None,
            panel: None,
            meeting: None,
            parent_consent: None,
            pupil_consent: None,
            ehcp_amendment: None,
            virtual_school: None,
            agreement: None,
            started_on: None,
            checklist: BTreeMap::new(),
            check_ins: Vec::new(),
            reviews: BTreeMap::new(),
            permanent_confirmed_by: BTreeMap::new(),
            outcome: None,
            snoozed: BTreeMap::new(),
            extension: None,
            review_requests: Vec::new(),
            disputes: Vec::new(),
            meeting_held: None,
            review_details: BTreeMap::new(),
            final_forward_asked: None,
            final_brought_forward: None,
            version: 1,
            updated_at: first.at,
            registrations: BTreeMap::new(),
            attendance: BTreeMap::new(),
            baseline_attendance: p.baseline_attendance,
            transfer: None,
            approval_asked: None,
            extra_approval: None,
            exam_courses: None,
            safeguarding: None,
            la_consent: None,
            terms_version: 0,
            parent_consent_terms: None,
            pupil_consent_terms: None,
            terms_changed: None,
            returning: None,
            closed_at: None,
            follow_up: None,
            parent_copy: None,
            notice: None,
            lead: None,
            before_close: None,
            reopen_asked: None,
            reopened: None,
        };
        for event in events {
            case.apply(event);
        }
        Some(case)
    }

    /// Folds one event into the case. Events were validated by `decide`, so this never fails.
    pub fn apply(&mut self, event: &Event) {
        use EventKind as E;
        let stamp = event.stamp();
        // What a closing event changes, as it was, kept if the event does close the case.
        let before_close = if self.state.is_closed() {
            None
        } else {
            BeforeClose::of(self, &event.kind, stamp.clone())
        };
        match &event.kind {
            E::Proposed(_) => {}
            E::Accepted => {
                self.state = CaseState::Accepted;
                self.decided = Some(stamp);
            }
            E::Declined { reason } => self.close(CaseState::Declined, reason, stamp),
            E::Withdrawn { reason } => self.close(CaseState::Withdrawn, reason, stamp),
            E::PanelDecided { approved, reason } => {
                self.panel = Some(PanelDecision {
                    approved: *approved,
                    reason: reason.clone(),
                    recorded: stamp.clone(),
                });
                if !approved {
                    self.close(CaseState::Rejected, reason, stamp);
                }
            }
            E::MeetingScheduled { at, place } => {
                self.begin_agreeing();
                self.meeting = Some(Meeting {
                    at: *at,
                    place: place.clone(),
                    recorded: stamp,
                });
            }
            E::ParentConsentRecorded { witnessed_by, on } if self.awaits_parent_for_extension() => {
                if let Some(extension) = &mut self.extension {
                    extension.parent_consent = Some(ParentConsent {
                        witnessed_by: witnessed_by.clone(),
                        on: *on,
                        recorded: stamp,
                    });
                }
            }
            E::ParentConsentRecorded { witnessed_by, on } => {
                self.begin_agreeing();
                self.parent_consent_terms = Some(self.terms_version.max(1));
                self.parent_consent = Some(ParentConsent {
                    witnessed_by: witnessed_by.clone(),
                    on: *on,
                    recorded: stamp,
                });
            }
            E::PupilConsentRecorded { on, note } => {
                self.begin_agreeing();
                self.pupil_consent_terms = Some(self.terms_version.max(1));
                self.pupil_consent = Some(DatedRecord {
                    on: *on,
                    note: note.clone(),
                    recorded: stamp,
                });
            }
            E::EhcpAmendmentRecorded { on, note } => {
                self.begin_agreeing();
                self.ehcp_amendment = Some(DatedRecord {
                    on: *on,
                    note: note.clone(),
                    recorded: stamp,
                });
            }
            E::VirtualSchoolConsulted { on, contact } => {
                self.begin_agreeing();
                self.virtual_school = Some(VirtualSchoolConsultation {
                    on: *on,
                    contact: contact.clone(),
                    recorded: stamp,
                });
            }
            E::AgreementRecorded {
                terms,
                midpoint_review,
                final_review,
                signed_for,
            } => {
                self.begin_agreeing();
                match &self.agreement {
                    None => self.terms_version = self.terms_version.max(1),
                    Some(before) if before.terms != *terms => {
                        self.terms_version = self.terms_version.max(1) + 1;
                        self.terms_changed = Some(stamp.clone());
                    }
                    Some(_) => {}
                }
                let mut signatures = BTreeMap::new();
                signatures.insert(signed_for.clone(), stamp);
                self.agreement = Some(Agreement {
                    terms: terms.clone(),
                    midpoint_review: *midpoint_review,
                    final_review: *final_review,
                    signatures,
                });
            }
            E::AgreementSigned { school } => {
                if let Some(agreement) = &mut self.agreement {
                    agreement.signatures.insert(school.clone(), stamp);
                }
            }
            E::ReviewRescheduled { review, on, .. } => {
                if let Some(agreement) = &mut self.agreement {
                    match review {
                        ReviewKind::Midpoint => agreement.midpoint_review = *on,
                        ReviewKind::Final => agreement.final_review = *on,
                    }
                }
            }
            E::MoveStarted { on } => {
                self.state = CaseState::Active;
                self.started_on = Some(*on);
            }
            E::ChecklistRated { item, rag, comment } => {
                self.checklist.insert(
                    item.clone(),
                    Rating {
                        rag: *rag,
                        comment: comment.clone(),
                        rated: stamp,
                    },
                );
            }
            E::CheckInLogged { on, note } => self.check_ins.push(CheckIn {
                on: *on,
                note: note.clone(),
                recorded: stamp,
            }),
            E::ReviewRecorded {
                review,
                held_on,
                notes,
            } => {
                self.reviews.insert(
                    review_key(*review).to_string(),
                    Review {
                        held_on: *held_on,
                        notes: notes.clone(),
                        recorded: stamp,
                    },
                );
            }
            E::PermanentConfirmed { school } => {
                self.permanent_confirmed_by.insert(school.clone(), stamp);
            }
            E::Completed { outcome, note } => {
                self.outcome = Some(*outcome);
                self.close(CaseState::Completed, note, stamp);
            }
            E::Terminated { reason } => {
                // A managed move ended early returns the pupil home. A managed transfer has
                // no home school to return to: what happens next is the panel's to decide,
                // so no outcome is recorded for it.
                self.outcome = (self.kind == MoveKind::ManagedMove).then_some(Outcome::Returned);
                self.close(CaseState::Terminated, reason, stamp);
            }
            E::ReminderSnoozed { key, until, .. } => {
                self.snoozed.insert(key.clone(), *until);
            }
            E::NeedsUpdated {
                ehcp, looked_after, ..
            } => {
                self.ehcp = *ehcp;
                self.looked_after = *looked_after;
            }
            E::ExtensionRequested {
                school,
                weeks,
                reason,
            } => {
                let from_weeks = self.agreement.as_ref().map_or(0, |a| a.terms.weeks);
                self.extension = Some(Extension {
                    asked_for: school.clone(),
                    added: *weeks,
                    reason: reason.clone(),
                    asked: stamp,
                    from_weeks,
                    agreed: None,
                    parent_consent: None,
                });
            }
            E::ExtensionAgreed {
                school,
                weeks,
                midpoint_review,
                final_review,
                ..
            } => {
                if let Some(agreement) = &mut self.agreement {
                    agreement.terms.weeks = *weeks;
                    agreement.midpoint_review = *midpoint_review;
                    agreement.final_review = *final_review;
                }
                if let Some(extension) = &mut self.extension {
                    extension.agreed = Some((school.clone(), stamp));
                }
            }
            E::ReviewRequested { on, due, recent } => self.review_requests.push(ReviewRequest {
                on: *on,
                due: *due,
                recent: *recent,
                recorded: stamp,
            }),
            E::OutcomeDisputed {
                school,
                outcome,
                reason,
                ..
            } => self.disputes.push(Dispute {
                school: school.clone(),
                outcome: *outcome,
                reason: reason.clone(),
                recorded: stamp,
            }),
            // A second confirmation by the same school corrects the first.
            E::RegistrationConfirmed {
                school,
                from,
                la_notified,
            } => {
                self.registrations.insert(
                    school.clone(),
                    Registration {
                        from: *from,
                        la_notified: *la_notified,
                        recorded: stamp,
                    },
                );
            }
            E::AttendanceReported { week, report } => {
                self.attendance.insert(
                    *week,
                    WeekAttendance {
                        report: report.clone(),
                        recorded: stamp,
                        corrected: None,
                    },
                );
            }
            E::AttendanceCorrected { week, report } => {
                if let Some(reported) = self.attendance.get_mut(week) {
                    reported.report = report.clone();
                    reported.corrected = Some(stamp);
                }
            }
            E::MeetingHeld {
                on,
                positives,
                concerns,
            } => {
                self.begin_agreeing();
                self.meeting_held = Some(MeetingHeld {
                    on: *on,
                    positives: positives.clone(),
                    concerns: concerns.clone(),
                    attendance: None,
                    recorded: stamp,
                });
            }
            E::MeetingAttendeesRecorded { attendance } => {
                if let Some(held) = &mut self.meeting_held {
                    held.attendance = Some(attendance.clone());
                }
            }
            E::ReviewDatesReworked {
                midpoint_review,
                final_review,
            } => {
                if let Some(agreement) = &mut self.agreement {
                    agreement.midpoint_review = *midpoint_review;
                    agreement.final_review = *final_review;
                }
            }
            E::ReviewDetailsRecorded { review, details } => {
                self.review_details
                    .insert(review_key(*review).to_string(), details.clone());
            }
            E::ReviewAttendeesRecorded { review, attendance } => {
                if let Some(details) = self.review_details.get_mut(review_key(*review)) {
                    details.attendance = Some(attendance.clone());
                }
            }
            E::FinalReviewForwardAsked { school, on, reason } => {
                self.final_forward_asked = Some(ForwardAsked {
                    school: school.clone(),
                    on: *on,
                    reason: reason.clone(),
                    recorded: stamp,
                });
            }
            E::FinalReviewBroughtForward { on, .. } => {
                self.final_forward_asked = None;
                self.final_brought_forward = Some(*on);
                if let Some(agreement) = &mut self.agreement {
                    agreement.final_review = *on;
                }
            }
            E::TransferBegun { on, roll_due, note } => {
                self.state = CaseState::Transferring;
                self.transfer = Some(Transfer {
                    begun_on: *on,
                    roll_due: *roll_due,
                    note: note.clone(),
                    named_school_amended: None,
                    virtual_school_told: None,
                    main_registration: None,
                    removal: None,
                    cp_due: None,
                    records_due: None,
                    cp_file: None,
                    cp_receipt: None,
                    records_sent: None,
                });
            }
            E::NamedSchoolAmended { .. }
            | E::VirtualSchoolTold { .. }
            | E::MainRegistrationMade { .. }
            | E::RemovedFromRoll { .. }
            | E::ChildProtectionFileRecorded { .. }
            | E::ChildProtectionFileReceived { .. }
            | E::TransferRecordsSent { .. } => self.apply_transfer_step(&event.kind, stamp),
            E::ExtraApprovalAsked { by } => self.approval_asked = Some(*by),
            E::ExtraApprovalDecided {
                approved,
                by_role,
                reason,
            } => {
                self.extra_approval = Some(ExtraApproval {
                    approved: *approved,
                    by_role: *by_role,
                    reason: reason.clone(),
                    recorded: stamp.clone(),
                });
                // A decline closes the case, as the panel's rejection does (`decide`
                // requires its reason).
                if let (false, Some(reason)) = (approved, reason) {
                    self.close(CaseState::Rejected, reason, stamp);
                }
            }
            E::ExamCoursesRecorded { continues, note } => {
                self.exam_courses = Some(ExamCoursesRecord {
                    continues: *continues,
                    note: note.clone(),
                    recorded: stamp,
                });
            }
            E::ReturnBegun { how } => {
                self.state = CaseState::Returning;
                self.returning = Some(Reintegration::new(how.clone(), stamp));
            }
            E::ReintegrationMeetingHeld { on, attendance } => {
                if let Some(r) = &mut self.returning {
                    r.meeting = Some(ReintegrationMeeting {
                        on: *on,
                        attendance: attendance.clone(),
                        recorded: stamp,
                    });
                }
            }
            E::ReintegrationPlanRecorded {
                support,
                targets,
                contact,
            } => {
                if let Some(r) = &mut self.returning {
                    r.plan = Some(ReintegrationPlan {
                        support: support.clone(),
                        targets: targets.clone(),
                        contact: contact.clone(),
                        recorded: stamp,
                    });
                }
            }
            E::RegistrationEnded {
                school,
                on,
                la_notified,
            } => {
                if let Some(r) = &mut self.returning {
                    r.registration_ended.insert(
                        school.clone(),
                        RegistrationEnd {
                            on: *on,
                            la_notified: *la_notified,
                            recorded: stamp,
                        },
                    );
                }
            }
            E::FollowUpRecorded {
                school,
                on_roll,
                attendance,
                suspensions,
                note,
            } => {
                self.follow_up = Some(FollowUp {
                    school: school.clone(),
                    on_roll: *on_roll,
                    attendance: *attendance,
                    suspensions: *suspensions,
                    note: note.clone(),
                    recorded: stamp,
                });
            }
            // Recorded again (a correction): the destination confirms it again.
            E::SafeguardingShared {
                dsl,
                on,
                nothing_to_share,
            } => {
                self.begin_agreeing();
                self.safeguarding = Some(SafeguardingShare {
                    nothing_to_share: *nothing_to_share,
                    dsl: dsl.clone(),
                    on: *on,
                    recorded: stamp,
                    confirmed: None,
                });
            }
            E::SafeguardingConfirmed => {
                if let Some(shared) = &mut self.safeguarding {
                    shared.confirmed = Some(stamp);
                }
            }
            E::LocalAuthorityConsentRecorded {
                social_worker,
                on,
                parents_share,
            } => {
                self.begin_agreeing();
                self.la_consent = Some(LocalAuthorityConsent {
                    social_worker: social_worker.clone(),
                    on: *on,
                    parents_share: *parents_share,
                    for_terms: self.terms_version.max(1),
                    recorded: stamp,
                });
            }
            E::ParentCopyGiven { on, how } => {
                self.parent_copy = Some(CopyGiven {
                    on: *on,
                    how: how.clone(),
                    recorded: stamp,
                });
            }
            E::NoticeGiven {
                on,
                how,
                la_notified,
            } => {
                self.notice = Some(NoticeGiven {
                    on: *on,
                    how: how.clone(),
                    la_notified: *la_notified,
                    recorded: stamp,
                });
            }
            // The redacted event itself was rewritten; the case is folded again from it.
            E::Redacted { .. } => {}
            E::LeadChanged { lead, .. } => {
                self.lead = Some(Lead {
                    user: *lead,
                    since: stamp,
                    name: None,
                });
            }
            E::ReopenAsked { reason } => {
                self.reopen_asked = Some(ReopenAsk {
                    reason: reason.clone(),
                    asked: stamp,
                });
            }
            E::Reopened { state } => self.reopen(*state, stamp),
            // An audit entry only: the step stays owed until it is done.
            E::OwnerPinged { .. } => {}
        }
        if let Some(before) = before_close.filter(|_| self.state.is_closed()) {
            self.before_close = Some(before);
            self.reopen_asked = None;
        }
        self.version += 1;
        self.updated_at = event.at;
    }

    /// The transferring stage's steps; each later record of a step replaces the earlier.
    fn apply_transfer_step(&mut self, kind: &EventKind, stamp: Stamp) {
        use EventKind as E;
        let Some(t) = &mut self.transfer else {
            return;
        };
        match kind {
            E::NamedSchoolAmended { on, note } => {
                t.named_school_amended = Some(DatedRecord {
                    on: *on,
                    note: note.clone(),
                    recorded: stamp,
                });
            }
            E::VirtualSchoolTold { on, contact } => {
                t.virtual_school_told = Some(VirtualSchoolTold {
                    on: *on,
                    contact: contact.clone(),
                    recorded: stamp,
                });
            }
            E::MainRegistrationMade { on, la_notified } => {
                t.main_registration = Some(RollChange {
                    on: *on,
                    la_notified: *la_notified,
                    recorded: stamp,
                });
            }
            E::RemovedFromRoll {
                on,
                la_notified,
                cp_due,
                records_due,
            } => {
                t.removal = Some(RollChange {
                    on: *on,
                    la_notified: *la_notified,
                    recorded: stamp,
                });
                t.cp_due = Some(*cp_due);
                t.records_due = Some(*records_due);
            }
            E::ChildProtectionFileRecorded { sent_on } => {
                t.cp_file = Some(CpFile {
                    sent_on: *sent_on,
                    recorded: stamp,
                });
            }
            E::ChildProtectionFileReceived { on, lead } => {
                t.cp_receipt = Some(CpReceipt {
                    on: *on,
                    lead: lead.clone(),
                    recorded: stamp,
                });
            }
            E::TransferRecordsSent { on } => {
                t.records_sent = Some(DatedRecord {
                    on: *on,
                    note: None,
                    recorded: stamp,
                });
            }
            _ => {}
        }
    }

    /// Back to the state before the closing event: the fields closing changed are put
    /// back, the closing ones cleared, everything else kept. `state` (the event's) serves
    /// only a case closed before the close was kept.
    fn reopen(&mut self, state: CaseState, confirmed: Stamp) {
        let before = self.before_close.take();
        self.state = before.as_ref().map_or(state, |b| b.state);
        if let Some(b) = before {
            self.decided = b.decided;
            self.outcome = b.outcome;
            self.panel = b.panel;
            self.extra_approval = b.extra_approval;
        }
        self.closed_at = None;
        self.closing_reason = None;
        if let Some(ask) = self.reopen_asked.take() {
            self.reopened = Some(Reopening {
                reason: ask.reason,
                asked: ask.asked,
                confirmed,
                state: self.state,
            });
        }
    }

    fn begin_agreeing(&mut self) {
        if self.state == CaseState::Accepted {
            self.state = CaseState::Agreeing;
        }
    }

    fn close(&mut self, state: CaseState, reason: &Text, stamp: Stamp) {
        self.state = state;
        self.closed_at = Some(stamp.at);
        self.closing_reason = Some(reason.clone());
        if self.decided.is_none() {
            self.decided = Some(stamp);
        }
    }

    pub fn involves(&self, school: &SchoolKey) -> bool {
        &self.home == school || &self.destination == school
    }

    pub fn review(&self, kind: ReviewKind) -> Option<&Review> {
        self.reviews.get(review_key(kind))
    }

    /// The next date someone should act on, for the board and reminders.
    pub fn next_due(&self) -> Option<NaiveDate> {
        if self.state.is_closed() {
            return None;
        }
        let agreement = self.agreement.as_ref();
        match self.state {
            CaseState::Active => {
                let agreement = agreement?;
                let review = if self.review(ReviewKind::Midpoint).is_none() {
                    agreement.midpoint_review
                } else {
                    agreement.final_review
                };
                // A review the parent asked for may fall due before the scheduled one.
                let requested = self.open_review_request().and_then(|r| r.due);
                Some(requested.map_or(review, |due| due.min(review)))
            }
            CaseState::Transferring => super::transfer::next_due(self),
            // Five school days after the return: a week, near enough to order the board in
            // SQL; the board, card and reminders count the real day with the calendar.
            CaseState::Returning => self
                .returning
                .as_ref()
                .map(|r| r.begun.at.date_naive() + chrono::Days::new(7)),
            _ => self
                .meeting
                .as_ref()
                .map(|m| m.at.date_naive())
                .or(agreement.map(|a| a.terms.start)),
        }
    }
}

pub fn review_key(kind: ReviewKind) -> &'static str {
    match kind {
        ReviewKind::Midpoint => "midpoint",
        ReviewKind::Final => "final",
    }
}
