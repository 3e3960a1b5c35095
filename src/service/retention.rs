//! Retention (admins only): closed cases older than the policy lose the pupil's details.
//!
//! [`Service::retention_plan`] only reads: it lists what the policy would remove. Then
//! [`Service::apply_retention`] does it, in transactions of a few hundred cases so the bot
//! is never held up for long, and writes one retention-log line per case (who, when, which
//! policy; never pupil details).
//!
//! Anonymising keeps each case's history (who did what, when) but rewrites every event
//! without the initials and the free text, and the snapshot is folded again from those
//! events, so a case still equals the fold of its events afterwards. Purging deletes the
//! case and its events through the one path the database's triggers allow. Either way the
//! case's Discord thread is queued for deletion (see `discord::membership`).

use chrono::{DateTime, Months, Utc};

use super::{Service, ServiceError};
use crate::config::{Retention, RetentionAction};
use crate::domain::attendance::AttendanceReport;
use crate::domain::permissions::require_admin;
use crate::domain::returning::ReturnHow;
use crate::domain::suitability::{Suitability, SuitabilityAnswer};
use crate::domain::{Actor, Case, CaseRef, Event, EventKind, Initials, Text};
use crate::store::retention::secure_delete;
use crate::store::{RetentionCandidate, RetentionNote, Store, StoreError};

/// Cases per transaction when applying.
const BATCH: usize = 250;

/// What the policy would remove today.
#[derive(Debug, Clone)]
pub struct RetentionPlan {
    pub policy: Retention,
    /// Cases that closed before this instant are due.
    pub cutoff: DateTime<Utc>,
    pub cases: Vec<RetentionCandidate>,
}

impl RetentionPlan {
    pub fn events(&self) -> i64 {
        self.cases.iter().map(|c| c.events).sum()
    }
}

/// What applying did.
#[derive(Debug, Clone)]
pub struct RetentionDone {
    pub plan: RetentionPlan,
    /// Whether the space the old details used could be scrubbed at once (false while
    /// another connection was reading; SQLite does it at its next checkpoint).
    pub scrubbed: bool,
}

/// What replaces free text in an anonymised case.
pub const REMOVED: &str = "[removed under the retention policy]";
/// What replaces the pupil's initials (initials must be letters, so a fixed one).
pub const NO_INITIALS: &str = "X";

impl Service {
    /// The cases the policy would anonymise or purge now. Reads only.
    pub async fn retention_plan(
        &self,
        actor: &Actor,
        policy: &Retention,
    ) -> Result<RetentionPlan, ServiceError> {
        require_admin(actor)?;
        let cutoff = cutoff(self.now(), policy);
        let mut conn = self
            .store()
            .pool()
            .acquire()
            .await
            .map_err(|e| ServiceError::internal(&StoreError::from(e), None))?;
        let anonymise = policy.action == RetentionAction::Anonymise;
        let cases = Store::retention_candidates(&mut conn, cutoff, anonymise)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        Ok(RetentionPlan {
            policy: *policy,
            cutoff,
            cases,
        })
    }

    /// Applies the policy: everything [`Service::retention_plan`] lists, logged per case.
    pub async fn apply_retention(
        &self,
        actor: &Actor,
        policy: &Retention,
    ) -> Result<RetentionDone, ServiceError> {
        let plan = self.retention_plan(actor, policy).await?;
        let note = RetentionNote {
            at: self.now(),
            actor: actor.user,
            policy_years: policy.closed_case_years,
        };
        for chunk in plan.cases.chunks(BATCH) {
            self.retention_batch(chunk, policy.action, note)
                .await
                .map_err(|e| ServiceError::internal(&e, None))?;
        }
        let scrubbed = self
            .store()
            .scrub_free_space()
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        tracing::info!(
            cases = plan.cases.len(),
            action = policy.action.past(),
            years = policy.closed_case_years,
            "retention applied"
        );
        Ok(RetentionDone { plan, scrubbed })
    }

    async fn retention_batch(
        &self,
        cases: &[RetentionCandidate],
        action: RetentionAction,
        note: RetentionNote,
    ) -> Result<(), StoreError> {
        let mut tx = self.store().begin_write().await?;
        secure_delete(&mut tx, true).await?;
        for candidate in cases {
            // The case's thread holds its history too: the bot deletes it on Discord (the
            // command line has no connection) and drops its ID only once that is done.
            Store::queue_thread_deletion(&mut tx, candidate.id, note.at).await?;
            match action {
                RetentionAction::Purge => Store::purge_case(&mut tx, candidate, note).await?,
                RetentionAction::Anonymise => {
                    let events: Vec<(i64, Event)> =
                        Store::events_for_retention(&mut tx, candidate.id)
                            .await?
                            .into_iter()
                            .map(|(seq, e)| {
                                let kind = anonymised(&e.kind);
                                (seq, Event { kind, ..e })
                            })
                            .collect();
                    let reference = CaseRef::parse(&candidate.reference)
                        .map_err(|e| StoreError::Corrupt(format!("case reference: {e}")))?;
                    let case = Case::from_events(reference, events.iter().map(|(_, e)| e))
                        .ok_or_else(|| StoreError::Corrupt("a case without a proposal".into()))?;
                    Store::anonymise_case(&mut tx, candidate, &events, &case, note).await?;
                }
            }
        }
        secure_delete(&mut tx, false).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Cases whose last event is before this are due: `years` whole years before `now`.
pub fn cutoff(now: DateTime<Utc>, policy: &Retention) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(12 * u32::from(policy.closed_case_years)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn removed() -> Text {
    Text::parse("text", REMOVED).expect("a valid text")
}

/// An event without the pupil's initials or any free text. Everything else stays: what
/// happened, dates, schools, ratings, answers, so statistics still add up.
///
/// Every event kind must be listed here (no wildcard): a new kind that carries free text
/// must say what retention does with it.
pub fn anonymised(kind: &EventKind) -> EventKind {
    use EventKind as E;
    let gone = removed;
    match kind {
        E::Proposed(p) => {
            let mut p = p.clone();
            p.pupil.initials = Initials::parse(NO_INITIALS).expect("valid initials");
            p.strategies_tried = gone();
            let answers = p
                .suitability
                .answers()
                .iter()
                .map(|a| SuitabilityAnswer {
                    answer: a.answer,
                    note: None,
                })
                .collect();
            p.suitability = Suitability::new(answers).unwrap_or(p.suitability);
            E::Proposed(p)
        }
        E::Accepted => E::Accepted,
        E::Declined { .. } => E::Declined { reason: gone() },
        E::Withdrawn { .. } => E::Withdrawn { reason: gone() },
        E::PanelDecided { approved, .. } => E::PanelDecided {
            approved: *approved,
            reason: gone(),
        },
        E::MeetingScheduled { at, .. } => E::MeetingScheduled {
            at: *at,
            place: None,
        },
        E::ParentConsentRecorded { on, .. } => E::ParentConsentRecorded {
            witnessed_by: gone(),
            on: *on,
        },
        E::PupilConsentRecorded { on, .. } => E::PupilConsentRecorded {
            on: *on,
            note: None,
        },
        E::EhcpAmendmentRecorded { on, .. } => E::EhcpAmendmentRecorded {
            on: *on,
            note: None,
        },
        E::VirtualSchoolConsulted { on, .. } => E::VirtualSchoolConsulted {
            on: *on,
            contact: gone(),
        },
        E::AgreementRecorded {
            terms,
            midpoint_review,
            final_review,
            signed_for,
        } => {
            let mut terms = terms.clone();
            terms.targets = gone();
            terms.pupil_champion = gone();
            terms.if_it_fails = gone();
            E::AgreementRecorded {
                terms,
                midpoint_review: *midpoint_review,
                final_review: *final_review,
                signed_for: signed_for.clone(),
            }
        }
        E::AgreementSigned { school } => E::AgreementSigned {
            school: school.clone(),
        },
        E::ReviewRescheduled { review, on, .. } => E::ReviewRescheduled {
            review: *review,
            on: *on,
            reason: gone(),
        },
        E::MoveStarted { on } => E::MoveStarted { on: *on },
        E::ChecklistRated { item, rag, .. } => E::ChecklistRated {
            item: item.clone(),
            rag: *rag,
            comment: None,
        },
        E::CheckInLogged { on, .. } => E::CheckInLogged {
            on: *on,
            note: gone(),
        },
        E::ReviewRecorded {
            review, held_on, ..
        } => E::ReviewRecorded {
            review: *review,
            held_on: *held_on,
            notes: gone(),
        },
        E::PermanentConfirmed { school } => E::PermanentConfirmed {
            school: school.clone(),
        },
        E::Completed { outcome, .. } => E::Completed {
            outcome: *outcome,
            note: gone(),
        },
        E::Terminated { .. } => E::Terminated { reason: gone() },
        E::ReminderSnoozed { key, until, .. } => E::ReminderSnoozed {
            key: key.clone(),
            until: *until,
            reason: gone(),
        },
        // The flags stay, as in the proposal; the reason may name circumstances.
        E::NeedsUpdated {
            ehcp, looked_after, ..
        } => E::NeedsUpdated {
            ehcp: *ehcp,
            looked_after: *looked_after,
            reason: gone(),
        },
        E::ExtensionRequested { school, weeks, .. } => E::ExtensionRequested {
            school: school.clone(),
            weeks: *weeks,
            reason: gone(),
        },
        E::ExtensionAgreed { .. } => kind.clone(),
        E::ReviewRequested { .. } => kind.clone(),
        E::OutcomeDisputed {
            school,
            outcome,
            confirmed,
            ..
        } => E::OutcomeDisputed {
            school: school.clone(),
            outcome: *outcome,
            reason: gone(),
            confirmed: confirmed.clone(),
        },
        // Schools and dates only: no free text to remove.
        E::RegistrationConfirmed { .. } => kind.clone(),
        // The figures stay for statistics; the note may say why the pupil was away.
        E::AttendanceReported { week, report } => E::AttendanceReported {
            week: *week,
            report: AttendanceReport {
                note: None,
                ..report.clone()
            },
        },
        E::AttendanceCorrected { week, report } => E::AttendanceCorrected {
            week: *week,
            report: AttendanceReport {
                note: None,
                ..report.clone()
            },
        },
        E::MeetingHeld { on, .. } => E::MeetingHeld {
            on: *on,
            positives: None,
            concerns: None,
        },
        // Roles only, no free text: kept, so statistics on who came still add up.
        E::MeetingAttendeesRecorded { attendance } => E::MeetingAttendeesRecorded {
            attendance: attendance.clone(),
        },
        E::ReviewDatesReworked {
            midpoint_review,
            final_review,
        } => E::ReviewDatesReworked {
            midpoint_review: *midpoint_review,
            final_review: *final_review,
        },
        // Who came and progress stay (statistics); the views are free text and go.
        E::ReviewDetailsRecorded { review, details } => {
            let mut details = details.clone();
            details.parent_view = None;
            details.pupil_view = None;
            E::ReviewDetailsRecorded {
                review: *review,
                details,
            }
        }
        E::ReviewAttendeesRecorded { review, attendance } => E::ReviewAttendeesRecorded {
            review: *review,
            attendance: attendance.clone(),
        },
        E::FinalReviewForwardAsked { school, on, .. } => E::FinalReviewForwardAsked {
            school: school.clone(),
            on: *on,
            reason: gone(),
        },
        E::FinalReviewBroughtForward { on, .. } => E::FinalReviewBroughtForward {
            on: *on,
            reason: gone(),
        },
        E::TransferBegun { on, roll_due, .. } => E::TransferBegun {
            on: *on,
            roll_due: *roll_due,
            note: gone(),
        },
        E::NamedSchoolAmended { on, .. } => E::NamedSchoolAmended {
            on: *on,
            note: None,
        },
        E::VirtualSchoolTold { on, .. } => E::VirtualSchoolTold {
            on: *on,
            contact: gone(),
        },
        // Dates only: no free text to remove.
        E::MainRegistrationMade { .. }
        | E::RemovedFromRoll { .. }
        | E::ChildProtectionFileRecorded { .. }
        | E::TransferRecordsSent { .. } => kind.clone(),
        // The lead is named by the school: a person's name goes with the other free text.
        E::ChildProtectionFileReceived { on, .. } => E::ChildProtectionFileReceived {
            on: *on,
            lead: gone(),
        },
        E::ExtraApprovalAsked { by } => E::ExtraApprovalAsked { by: *by },
        E::ExtraApprovalDecided {
            approved,
            by_role,
            reason,
        } => E::ExtraApprovalDecided {
            approved: *approved,
            by_role: *by_role,
            reason: reason.as_ref().map(|_| gone()),
        },
        E::ExamCoursesRecorded { continues, .. } => E::ExamCoursesRecorded {
            continues: *continues,
            note: None,
        },
        E::SafeguardingShared {
            on,
            nothing_to_share,
            ..
        } => E::SafeguardingShared {
            dsl: gone(),
            on: *on,
            nothing_to_share: *nothing_to_share,
        },
        E::SafeguardingConfirmed => E::SafeguardingConfirmed,
        E::LocalAuthorityConsentRecorded {
            on, parents_share, ..
        } => E::LocalAuthorityConsentRecorded {
            social_worker: gone(),
            on: *on,
            parents_share: *parents_share,
        },
        // How the pupil came home stays (statistics); the reason and note are free text.
        E::ReturnBegun { how } => E::ReturnBegun {
            how: match how {
                ReturnHow::Returned { .. } => ReturnHow::Returned { note: gone() },
                ReturnHow::Terminated { .. } => ReturnHow::Terminated { reason: gone() },
                ReturnHow::ConsentWithdrawn { on, .. } => ReturnHow::ConsentWithdrawn {
                    on: *on,
                    reason: gone(),
                },
            },
        },
        // Roles only, no free text.
        E::ReintegrationMeetingHeld { .. } => kind.clone(),
        // The plan names a member of staff and the pupil's support: all free text.
        E::ReintegrationPlanRecorded { .. } => E::ReintegrationPlanRecorded {
            support: gone(),
            targets: gone(),
            contact: gone(),
        },
        // Schools and dates only.
        E::RegistrationEnded { .. } => kind.clone(),
        // The figures stay for statistics (did the move last?); the note goes.
        E::FollowUpRecorded {
            school,
            on_roll,
            attendance,
            suspensions,
            ..
        } => E::FollowUpRecorded {
            school: school.clone(),
            on_roll: *on_roll,
            attendance: *attendance,
            suspensions: *suspensions,
            note: None,
        },
        // "How" is free text (it may name a person or an address): it goes, the dates stay.
        E::ParentCopyGiven { on, .. } => E::ParentCopyGiven {
            on: *on,
            how: gone(),
        },
        E::NoticeGiven {
            on, la_notified, ..
        } => E::NoticeGiven {
            on: *on,
            how: gone(),
            la_notified: *la_notified,
        },
        // Which field stays (audit); the reason may describe what was written.
        E::Redacted { seq, field, .. } => E::Redacted {
            seq: *seq,
            field: field.clone(),
            reason: gone(),
        },
        // Who leads and which state a reopen went back to: no free text.
        E::LeadChanged { .. } | E::Reopened { .. } => kind.clone(),
        E::ReopenAsked { .. } => E::ReopenAsked { reason: gone() },
        // No free text: the step's key, owner and action come from the protocol, not a person.
        E::OwnerPinged { .. } => kind.clone(),
    }
}
