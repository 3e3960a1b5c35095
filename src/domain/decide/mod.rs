//! The case state machine: given a case, an actor, an action and the time, either the
//! events that record it or a refusal that says why not. No I/O, no clock reads.
//!
//! Two questions, kept apart. [`may`] asks "may this person take this kind of action on
//! this case now?" from the case, the actor and the time alone, so a front end can ask it
//! before anyone types a reason. [`decide`] asks it first, then checks the action's data
//! and builds the events. Both grow by stage of the case: one module per stage, each with
//! its own `may` and the builders of its events.

mod active;
mod agreeing;
mod anytime;
mod approval;
mod attendance;
mod changes;
mod consents;
mod escalation;
mod family;
mod follow_up;
mod gates;
mod guards;
mod lead;
mod meeting;
mod panel;
mod proposal;
mod registration;
mod reopen;
mod returning;
mod reviews;
mod safeguarding;
mod transferring;

use chrono::{DateTime, NaiveDate, Utc};

use super::case::{Case, CaseState};
use super::command::{Action, ActionKind};
use super::event::EventKind;
use super::partnership::Partnership;
use super::permissions::{authorize, Actor};
use super::refusal::Refusal;

pub use consents::missing as missing_consents;
pub use family::{copy_is_current, earliest_start_after_notice, NOTICE_SCHOOL_DAYS};
pub use gates::missing_gates;
pub use meeting::{outside_hours, warnings};
pub use proposal::propose;
pub use reviews::last_school_week_starts;

use guards::not_in_future;

/// What the decision needs to know about the world.
pub struct Context<'a> {
    pub partnership: &'a Partnership,
    pub now: DateTime<Utc>,
}

impl Context<'_> {
    fn today(&self) -> NaiveDate {
        self.partnership.today(self.now)
    }
}

/// May `actor` take an action of this kind on `case` now, whatever data it carries? Who
/// they are (the permission matrix), whether the case is open, and whether its stage
/// allows it. A refusal here is exactly the one [`decide`] would give for any data.
pub fn may(actor: &Actor, case: &Case, kind: ActionKind, ctx: &Context) -> Result<(), Refusal> {
    use ActionKind as K;
    authorize(actor, case, kind)?;
    if kind == K::View {
        return Ok(());
    }
    // The one change a closed case takes.
    if kind == K::RecordFollowUp {
        return follow_up::may(case, ctx);
    }
    // A case closed in error: asked by a coordinator, confirmed by a head.
    if kind == K::AskReopen {
        return reopen::may_ask(case, ctx);
    }
    if kind == K::ConfirmReopen {
        return reopen::may_confirm(case, actor, ctx);
    }
    if case.state.is_closed() {
        return Err(Refusal::wrong_state(format!(
            "Case {} is {}; closed cases are read-only.",
            case.reference, case.state
        )));
    }
    // The move is over while the pupil returns: only that stage's steps remain.
    if case.state == CaseState::Returning && kind != K::TakeLead {
        returning::only_its_steps(kind)?;
    }
    match kind {
        K::View => Ok(()), // answered above, before the closed check
        K::Accept | K::Decline | K::Withdraw | K::UpdateNeeds => {
            proposal::may(kind, case, ctx.partnership)
        }
        K::PanelDecide => panel::may(case, actor, ctx.partnership),
        K::ScheduleMeeting
        | K::RecordParentConsent
        | K::RecordPupilConsent
        | K::RecordEhcpAmendment
        | K::RecordVirtualSchool
        | K::RecordAgreement
        | K::SignAgreement
        | K::StartMove => agreeing::may(kind, case, actor, ctx.partnership),
        K::RescheduleReview | K::LogCheckIn | K::RecordReview | K::RecordOutcome | K::Terminate => {
            active::may(kind, case)
        }
        K::RateChecklist | K::SnoozeReminder => anytime::may(kind, case),
        K::Extend | K::RecordReviewRequest => changes::may(kind, case, actor, ctx.partnership),
        K::ConfirmRegistration => registration::may(kind, case),
        K::RecordAttendance => attendance::may(case),
        K::RecordMeetingHeld | K::RecordMeetingAttendees => meeting::may(kind, case),
        K::RecordReviewDetails => reviews::may_detail(case),
        K::RecordReviewAttendees => reviews::may_choose_attendees(case),
        K::BringFinalReviewForward => {
            reviews::may_bring_forward(case, ctx.partnership, ctx.today())
        }
        K::RecordNamedSchoolAmended
        | K::RecordVirtualSchoolTold
        | K::RecordMainRegistration
        | K::RecordRemovalFromRoll
        | K::RecordChildProtectionFile
        | K::ConfirmChildProtectionReceipt
        | K::RecordTransferRecordsSent => transferring::may(kind, case),
        K::DecideExtraApproval => approval::may_decide(case, actor, ctx.partnership),
        K::RecordExamCourses => approval::may_exam_courses(case, ctx.partnership),
        K::RecordSafeguarding => safeguarding::may_share(case),
        K::ConfirmSafeguarding => safeguarding::may_confirm(case),
        K::RecordLocalAuthorityConsent => consents::may_local_authority(case),
        K::RecordConsentWithdrawn
        | K::RecordReintegrationMeeting
        | K::RecordReintegrationPlan
        | K::EndRegistration => returning::may(kind, case),
        K::RecordFollowUp => follow_up::may(case, ctx), // answered above, before the closed check
        K::RecordParentCopy | K::RecordNotice => family::may(kind, case, ctx.partnership),
        // Any open case has a lead to take; a closed one is read-only (above).
        K::TakeLead => Ok(()),
        // Answered above, before the closed check.
        K::AskReopen => reopen::may_ask(case, ctx),
        K::ConfirmReopen => reopen::may_confirm(case, actor, ctx),
        // Any open case may owe a step; which one is checked with the data.
        K::PingOwner => Ok(()),
    }
}

/// Decides one action on an existing case: [`may`], then the action's own data.
pub fn decide(
    case: &Case,
    actor: &Actor,
    action: &Action,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    may(actor, case, action.kind(), ctx)?;
    use Action as A;
    let today = ctx.today();
    let one = |event| Ok(vec![event]);
    match action {
        A::Accept => Ok(approval::on_accept(case, ctx.partnership)),
        A::Decline { reason } => one(EventKind::Declined {
            reason: reason.clone(),
        }),
        A::Withdraw { reason } => one(EventKind::Withdrawn {
            reason: reason.clone(),
        }),
        A::UpdateNeeds {
            ehcp,
            looked_after,
            reason,
        } => proposal::update_needs(case, *ehcp, *looked_after, reason),
        A::PanelDecide { approve, reason } => one(EventKind::PanelDecided {
            approved: *approve,
            reason: reason.clone(),
        }),
        A::ScheduleMeeting { at, place } => {
            agreeing::check_school_day(ctx.partnership, *at)?;
            one(EventKind::MeetingScheduled {
                at: *at,
                place: place.clone(),
            })
        }
        A::RecordParentConsent {
            witnessed_by,
            on,
            freely_given,
        } => {
            if !freely_given {
                return Err(Refusal::blocked(
                    "Parental agreement must be given freely, never under threat of exclusion. Record it only when the parent has agreed freely.",
                ));
            }
            not_in_future(*on, today)?;
            one(EventKind::ParentConsentRecorded {
                witnessed_by: witnessed_by.clone(),
                on: *on,
            })
        }
        A::RecordPupilConsent { on, note } => {
            not_in_future(*on, today)?;
            one(EventKind::PupilConsentRecorded {
                on: *on,
                note: note.clone(),
            })
        }
        A::RecordEhcpAmendment { on, note } => {
            not_in_future(*on, today)?;
            one(EventKind::EhcpAmendmentRecorded {
                on: *on,
                note: note.clone(),
            })
        }
        A::RecordVirtualSchool { on, contact } => {
            not_in_future(*on, today)?;
            one(EventKind::VirtualSchoolConsulted {
                on: *on,
                contact: contact.clone(),
            })
        }
        A::RecordAgreement { terms } => agreeing::record_agreement(case, actor, terms, ctx),
        A::SignAgreement => agreeing::sign(case, actor),
        A::StartMove { on } => agreeing::start(case, *on, ctx),
        A::RescheduleReview { review, on, reason } => {
            active::reschedule_review(case, *review, *on, reason, ctx.partnership)
        }
        A::LogCheckIn { on, note } => {
            not_in_future(*on, today)?;
            one(EventKind::CheckInLogged {
                on: *on,
                note: note.clone(),
            })
        }
        A::RecordReview {
            review,
            held_on,
            notes,
        } => active::record_review(case, *review, *held_on, notes, today, ctx.partnership),
        A::RecordOutcome { outcome, note } => {
            active::record_outcome(case, actor, *outcome, note, today, ctx.partnership)
        }
        A::Terminate { reason } => Ok(returning::terminate(case, reason)),
        A::RateChecklist { item, rag, comment } => {
            let item = ctx.partnership.checklist.item(item)?;
            one(EventKind::ChecklistRated {
                item: item.key.clone(),
                rag: *rag,
                comment: comment.clone(),
            })
        }
        A::SnoozeReminder { key, until, reason } => {
            anytime::check_snooze(case, key, *until, today, ctx.partnership)?;
            one(EventKind::ReminderSnoozed {
                key: key.clone(),
                until: *until,
                reason: reason.clone(),
            })
        }
        A::Extend { weeks, reason } => {
            changes::extend(case, actor, *weeks, reason, ctx.partnership)
        }
        A::RecordReviewRequest { on } => changes::request_review(case, *on, today, ctx.partnership),
        A::ConfirmRegistration {
            school,
            from,
            la_notified,
        } => registration::confirm(case, actor, school.as_ref(), *from, *la_notified, ctx),
        A::RecordAttendance { week, report } => {
            attendance::record(case, *week, report, ctx.partnership, today)
        }
        A::RecordMeetingHeld {
            on,
            positives,
            concerns,
            attendance,
        } => meeting::held(
            case,
            *on,
            positives,
            concerns,
            attendance,
            ctx.partnership,
            today,
        ),
        A::RecordMeetingAttendees { attendance } => meeting::attendees(attendance),
        A::RecordReviewDetails { review, details } => reviews::details(case, *review, details),
        A::RecordReviewAttendees { review, attendance } => {
            reviews::attendees(case, *review, attendance)
        }
        A::BringFinalReviewForward { on, reason } => {
            reviews::bring_forward(case, actor, *on, reason, ctx.partnership, today)
        }
        A::RecordNamedSchoolAmended { on, note } => {
            transferring::named_school_amended(case, *on, note, today)
        }
        A::RecordVirtualSchoolTold { on, contact } => {
            transferring::virtual_school_told(case, *on, contact, today)
        }
        A::RecordMainRegistration { on, la_notified } => {
            transferring::main_registration(case, *on, *la_notified, today)
        }
        A::RecordRemovalFromRoll { on, la_notified } => {
            transferring::removal(case, *on, *la_notified, today, ctx.partnership)
        }
        A::RecordChildProtectionFile { sent_on } => transferring::cp_file(case, *sent_on, today),
        A::ConfirmChildProtectionReceipt { on, lead } => {
            transferring::cp_receipt(case, *on, lead, today)
        }
        A::RecordTransferRecordsSent { on } => transferring::records_sent(case, *on, today),
        A::DecideExtraApproval { approve, reason } => {
            approval::decide(case, *approve, reason, ctx.partnership)
        }
        A::RecordExamCourses { continues, note } => approval::exam_courses(*continues, note),
        A::RecordSafeguarding {
            dsl,
            on,
            nothing_to_share,
        } => {
            not_in_future(*on, today)?;
            one(EventKind::SafeguardingShared {
                dsl: dsl.clone(),
                on: *on,
                nothing_to_share: *nothing_to_share,
            })
        }
        A::ConfirmSafeguarding => one(EventKind::SafeguardingConfirmed),
        A::RecordLocalAuthorityConsent {
            social_worker,
            on,
            parents_share,
        } => {
            not_in_future(*on, today)?;
            one(EventKind::LocalAuthorityConsentRecorded {
                social_worker: social_worker.clone(),
                on: *on,
                parents_share: *parents_share,
            })
        }
        A::RecordConsentWithdrawn { on, reason } => {
            returning::consent_withdrawn(case, *on, reason, today)
        }
        A::RecordReintegrationMeeting { on, attendance } => {
            returning::meeting(case, *on, attendance, ctx)
        }
        A::RecordReintegrationPlan {
            support,
            targets,
            contact,
        } => returning::plan(case, support, targets, contact),
        A::EndRegistration {
            school,
            on,
            la_notified,
        } => returning::end_registration(case, actor, school.as_ref(), *on, *la_notified, ctx),
        A::RecordFollowUp {
            on_roll,
            attendance,
            suspensions,
            note,
        } => follow_up::record(case, *on_roll, *attendance, *suspensions, note),
        A::RecordParentCopy { on, how } => {
            family::record_copy(case, *on, how, ctx.partnership, today)
        }
        A::RecordNotice {
            on,
            how,
            la_notified,
        } => family::record_notice(case, *on, how, *la_notified, ctx.partnership, today),
        A::TakeLead { to } => lead::take(case, actor, to.as_ref()),
        A::AskReopen { reason } => one(EventKind::ReopenAsked {
            reason: reason.clone(),
        }),
        A::ConfirmReopen => reopen::confirm(case),
        A::PingOwner { step } => escalation::ping(case, step, ctx.partnership, today),
    }
}
