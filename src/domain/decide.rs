//! The case state machine: given a case, an actor, an action and the time, either the
//! events that record it or a refusal that says why not. No I/O, no clock reads.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::case::{Agreement, Case, CaseState, MoveKind, Outcome, ReviewKind};
use super::command::Action;
use super::event::{EventKind, Proposal};
use super::partnership::{Partnership, SCHOOL_DAY_END, SCHOOL_DAY_START};
use super::permissions::{authorize, can_propose, Actor, NO_ROLE};
use super::refusal::Refusal;
use super::reminders::{ReminderKind, MAX_SNOOZE_DAYS};
use super::suitability::Answer;

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

/// Validates a proposal; returns its first event.
pub fn propose(actor: &Actor, proposal: &Proposal, ctx: &Context) -> Result<EventKind, Refusal> {
    let p = ctx.partnership;
    // Someone with no role learns nothing from what they typed, not even the school list.
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    p.school(&proposal.home)?;
    p.school(&proposal.destination)?;
    can_propose(actor, &proposal.home)?;
    if proposal.home == proposal.destination {
        return Err(Refusal::invalid(
            "destination",
            "A move must be to another school of the partnership.",
        ));
    }
    if proposal.kind == MoveKind::ManagedTransfer
        && proposal.suitability.can_return() == Answer::Yes
    {
        return Err(Refusal::invalid(
            "return",
            "You answered that the pupil can return, but proposed a transfer with no return. Propose a managed move (return possible = yes), or change the answer.",
        ));
    }
    if proposal.kind == MoveKind::ManagedMove && proposal.suitability.can_return() == Answer::No {
        return Err(Refusal::invalid(
            "return",
            "You answered that the pupil cannot return: that is a managed transfer, not a managed move. Propose it with return possible = no.",
        ));
    }
    Ok(EventKind::Proposed(proposal.clone()))
}

/// Decides one action on an existing case.
pub fn decide(
    case: &Case,
    actor: &Actor,
    action: &Action,
    ctx: &Context,
) -> Result<Vec<EventKind>, Refusal> {
    authorize(actor, case, action.kind())?;
    if case.state.is_closed() {
        return Err(Refusal::wrong_state(format!(
            "Case {} is {}; closed cases are read-only.",
            case.reference, case.state
        )));
    }
    use Action as A;
    use CaseState as S;
    let state = case.state;
    let before_start = matches!(state, S::Accepted | S::Agreeing);
    let today = ctx.today();
    let events = match action {
        A::Accept => {
            require_proposed(case)?;
            vec![EventKind::Accepted]
        }
        // The destination may say no at any point before the move starts (DOMAIN: Endings).
        A::Decline { reason } => {
            if state == S::Active {
                return Err(Refusal::wrong_state(
                    "The move has started, so it can't be declined. As destination head you can end it early with `/move terminate`.",
                ));
            }
            vec![EventKind::Declined {
                reason: reason.clone(),
            }]
        }
        A::Withdraw { reason } => {
            if state == S::Active {
                return Err(Refusal::wrong_state(
                    "The move has started, so it can't be withdrawn. The destination head can end it early, or record the outcome after the final review.",
                ));
            }
            vec![EventKind::Withdrawn {
                reason: reason.clone(),
            }]
        }
        A::PanelDecide { approve, reason } => {
            if case.kind != MoveKind::ManagedTransfer
                || !ctx.partnership.policy.transfer_needs_panel
            {
                return Err(Refusal::wrong_state(
                    "Only a managed transfer needs the SEIP panel's decision.",
                ));
            }
            if !actor.headed_schools_on(case).is_empty() {
                return Err(Refusal::not_permitted(
                    "You head one of the schools on this case, so another panel member must record the decision.",
                ));
            }
            if let Some(decision) = &case.panel {
                return Err(Refusal::wrong_state(format!(
                    "The panel already decided on {}: recorded by <@{}>.",
                    decision.recorded.at.date_naive(),
                    decision.recorded.by
                )));
            }
            if !before_start {
                return Err(Refusal::wrong_state(
                    "The panel decides once the destination head has accepted the transfer.",
                ));
            }
            vec![EventKind::PanelDecided {
                approved: *approve,
                reason: reason.clone(),
            }]
        }
        A::ScheduleMeeting { at, place } => {
            require_before_start(case, "schedule the initial meeting")?;
            check_within_school_day(ctx.partnership, *at)?;
            vec![EventKind::MeetingScheduled {
                at: *at,
                place: place.clone(),
            }]
        }
        A::RecordParentConsent {
            witnessed_by,
            on,
            freely_given,
        } => {
            require_before_start(case, "record the parent's agreement")?;
            if !freely_given {
                return Err(Refusal::blocked(
                    "Parental agreement must be given freely, never under threat of exclusion. Record it only when the parent has agreed freely.",
                ));
            }
            not_in_future(*on, today)?;
            vec![EventKind::ParentConsentRecorded {
                witnessed_by: witnessed_by.clone(),
                on: *on,
            }]
        }
        A::RecordPupilConsent { on, note } => {
            require_before_start(case, "record the pupil's agreement")?;
            not_in_future(*on, today)?;
            vec![EventKind::PupilConsentRecorded {
                on: *on,
                note: note.clone(),
            }]
        }
        A::RecordEhcpAmendment { on, note } => {
            require_before_start(case, "record the EHCP amendment")?;
            if !case.ehcp {
                return Err(Refusal::wrong_state(
                    "This case is not marked as an EHCP pupil, so no plan amendment is needed.",
                ));
            }
            not_in_future(*on, today)?;
            vec![EventKind::EhcpAmendmentRecorded {
                on: *on,
                note: note.clone(),
            }]
        }
        A::RecordVirtualSchool { on, contact } => {
            require_before_start(case, "record the Virtual School consultation")?;
            if !case.looked_after {
                return Err(Refusal::wrong_state("This case is not marked as a looked-after child, so no Virtual School consultation is needed."));
            }
            not_in_future(*on, today)?;
            vec![EventKind::VirtualSchoolConsulted {
                on: *on,
                contact: contact.clone(),
            }]
        }
        A::RecordAgreement { terms } => {
            require_before_start(case, "record the agreement")?;
            let max = ctx.partnership.policy.max_weeks;
            if terms.weeks == 0 || terms.weeks > max {
                return Err(Refusal::invalid_owned(
                    "weeks",
                    format!(
                        "A placement runs for 1 to {max} weeks under this partnership's policy."
                    ),
                ));
            }
            if terms.start < ctx.partnership.today(case.proposed.at) {
                return Err(Refusal::invalid(
                    "start",
                    "The start date can't be before the proposal was made.",
                ));
            }
            let (midpoint_review, final_review) =
                ctx.partnership.review_dates(terms.start, terms.weeks);
            let signed_for = actor.headed_schools_on(case).remove(0);
            vec![EventKind::AgreementRecorded {
                terms: terms.clone(),
                midpoint_review,
                final_review,
                signed_for,
            }]
        }
        A::SignAgreement => {
            require_before_start(case, "sign the agreement")?;
            let agreement = case.agreement.as_ref().ok_or_else(|| {
                Refusal::wrong_state(
                    "There is no agreement to sign yet. Record it first with `/agreement record`.",
                )
            })?;
            let school = actor
                .headed_schools_on(case)
                .into_iter()
                .find(|s| !agreement.signatures.contains_key(s))
                .ok_or_else(|| {
                    Refusal::wrong_state("You have already signed this agreement for your school.")
                })?;
            vec![EventKind::AgreementSigned { school }]
        }
        A::RescheduleReview { review, on, reason } => {
            let agreement = case.agreement.as_ref().ok_or_else(|| {
                Refusal::wrong_state(
                    "Reviews are scheduled by the agreement; record the agreement first.",
                )
            })?;
            if case.review(*review).is_some() {
                return Err(Refusal::wrong_state(format!(
                    "The {} has already been held.",
                    review.label()
                )));
            }
            if *on < agreement.terms.start {
                return Err(Refusal::invalid(
                    "date",
                    "A review can't be before the move starts.",
                ));
            }
            let moved = ctx.partnership.calendar.on_or_after(*on);
            review_stays_in_order(agreement, case, *review, moved, ctx.partnership)?;
            vec![EventKind::ReviewRescheduled {
                review: *review,
                on: moved,
                reason: reason.clone(),
            }]
        }
        A::StartMove { on } => {
            require_before_start(case, "start the move")?;
            let missing = missing_gates(case, ctx.partnership);
            if !missing.is_empty() {
                return Err(Refusal::blocked(format!(
                    "Before the move can start: {}.",
                    missing.join("; ")
                )));
            }
            let on = on.unwrap_or(today);
            not_in_future(on, today)?;
            check_start_date(case, ctx.partnership, on)?;
            vec![EventKind::MoveStarted { on }]
        }
        A::RateChecklist { item, rag, comment } => {
            if !matches!(state, S::Accepted | S::Agreeing | S::Active) {
                return Err(Refusal::wrong_state(
                    "The checklist opens once the destination head has accepted.",
                ));
            }
            let item = ctx.partnership.checklist.item(item)?;
            vec![EventKind::ChecklistRated {
                item: item.key.clone(),
                rag: *rag,
                comment: comment.clone(),
            }]
        }
        A::LogCheckIn { on, note } => {
            require_active(case, "log a check-in")?;
            not_in_future(*on, today)?;
            vec![EventKind::CheckInLogged {
                on: *on,
                note: note.clone(),
            }]
        }
        A::RecordReview {
            review,
            held_on,
            notes,
        } => {
            require_active(case, "record a review")?;
            not_in_future(*held_on, today)?;
            if case.started_on.is_some_and(|start| *held_on < start) {
                return Err(Refusal::invalid(
                    "date",
                    "A review can't be held before the move started.",
                ));
            }

            if case.review(*review).is_some() {
                return Err(Refusal::wrong_state(format!(
                    "The {} has already been recorded.",
                    review.label()
                )));
            }
            vec![EventKind::ReviewRecorded {
                review: *review,
                held_on: *held_on,
                notes: notes.clone(),
            }]
        }
        A::RecordOutcome { outcome, note } => {
            require_active(case, "record the outcome")?;
            if case.review(ReviewKind::Final).is_none() {
                return Err(Refusal::blocked(
                    "Record the final review first; the outcome is decided there.",
                ));
            }
            if *outcome == Outcome::Returned && case.kind == MoveKind::ManagedTransfer {
                return Err(Refusal::invalid(
                    "outcome",
                    "A managed transfer has no return: its outcome is a permanent transfer, confirmed by both heads.",
                ));
            }
            decide_outcome(case, actor, *outcome, note)?
        }
        A::Terminate { reason } => {
            require_active(case, "end the move early")?;
            vec![EventKind::Terminated {
                reason: reason.clone(),
            }]
        }
        A::UpdateNeeds {
            ehcp,
            looked_after,
            reason,
        } => {
            // Also while proposed: the destination head should decide on the right facts.
            if case.state != CaseState::Proposed {
                require_before_start(case, "change the pupil's EHCP or looked-after status")?;
            }
            if (*ehcp, *looked_after) == (case.ehcp, case.looked_after) {
                return Err(Refusal::wrong_state(
                    "The case already says that: nothing to change.",
                ));
            }
            vec![EventKind::NeedsUpdated {
                ehcp: *ehcp,
                looked_after: *looked_after,
                reason: reason.clone(),
            }]
        }
        A::SnoozeReminder { key, until, reason } => {
            check_snooze(case, key, *until, today)?;
            vec![EventKind::ReminderSnoozed {
                key: key.clone(),
                until: *until,
                reason: reason.clone(),
            }]
        }
    };
    Ok(events)
}

fn decide_outcome(
    case: &Case,
    actor: &Actor,
    outcome: Outcome,
    note: &super::ids::Text,
) -> Result<Vec<EventKind>, Refusal> {
    if outcome == Outcome::Returned {
        return Ok(vec![EventKind::Completed {
            outcome,
            note: note.clone(),
        }]);
    }
    // A permanent transfer needs both heads: each confirms for their own school.
    let mut confirmed: Vec<_> = case.permanent_confirmed_by.keys().cloned().collect();
    let mine: Vec<_> = actor
        .headed_schools_on(case)
        .into_iter()
        .filter(|s| !confirmed.contains(s))
        .collect();
    if mine.is_empty() {
        let other = if confirmed.contains(&case.home) {
            &case.destination
        } else {
            &case.home
        };
        return Err(Refusal::wrong_state(format!(
            "You have already confirmed the permanent transfer; it now needs the head of {other}."
        )));
    }
    let mut events = Vec::new();
    for school in mine {
        confirmed.push(school.clone());
        events.push(EventKind::PermanentConfirmed { school });
    }
    if confirmed.contains(&case.home) && confirmed.contains(&case.destination) {
        events.push(EventKind::Completed {
            outcome,
            note: note.clone(),
        });
    }
    Ok(events)
}

/// Everything that must be recorded before a move can become active, as short instructions.
pub fn missing_gates(case: &Case, partnership: &Partnership) -> Vec<String> {
    let mut missing = Vec::new();
    if case.meeting.is_none() {
        missing.push("schedule the initial meeting".to_string());
    }
    match &case.agreement {
        None => missing.push("record the agreement".to_string()),
        Some(agreement) => {
            for school in [&case.home, &case.destination] {
                if !agreement.signatures.contains_key(school) {
                    missing.push(format!(
                        "the head of {} must sign the agreement",
                        partnership.school_name(school)
                    ));
                }
            }
        }
    }
    if case.parent_consent.is_none() {
        missing.push("record the parent/carer's agreement".to_string());
    }
    if partnership.policy.pupil_consent_required && case.pupil_consent.is_none() {
        missing.push("record the pupil's agreement".to_string());
    }
    if case.ehcp && case.ehcp_amendment.is_none() {
        missing.push("record the EHCP amendment".to_string());
    }
    if case.looked_after && case.virtual_school.is_none() {
        missing.push("record the Virtual School consultation".to_string());
    }
    let panel_needed =
        case.kind == MoveKind::ManagedTransfer && partnership.policy.transfer_needs_panel;
    if panel_needed && !case.panel.as_ref().is_some_and(|d| d.approved) {
        missing.push("the SEIP panel must approve the transfer".to_string());
    }
    missing
}

/// A snooze names one of this case's reminders and a later day, within reason.
fn check_snooze(case: &Case, key: &str, until: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    let applies = ReminderKind::of_key(key).is_some_and(|k| k.applies_in(case.state));
    if !applies {
        return Err(Refusal::invalid(
            "reminder",
            "That is not one of this case's reminders. `/dates show` lists them.",
        ));
    }
    let latest = today + chrono::Days::new(MAX_SNOOZE_DAYS);
    if until <= today || until > latest {
        return Err(Refusal::invalid_owned(
            "until",
            format!("Snooze until a day after today and within {MAX_SNOOZE_DAYS} days."),
        ));
    }
    Ok(())
}

/// The move starts after the initial meeting, on a school day, not before the agreed start.
fn check_start_date(case: &Case, p: &Partnership, on: NaiveDate) -> Result<(), Refusal> {
    if let Some(meeting) = &case.meeting {
        let meeting_day = p.today(meeting.at);
        if on < meeting_day {
            return Err(Refusal::blocked(format!(
                "The initial meeting is on {meeting_day}; the move starts after it."
            )));
        }
    }
    if let Some(agreement) = &case.agreement {
        if on < agreement.terms.start {
            return Err(Refusal::invalid_owned(
                "on",
                format!(
                    "The agreement starts the move on {}; start it then or later.",
                    agreement.terms.start
                ),
            ));
        }
    }
    if !p.calendar.is_school_day(on) {
        return Err(Refusal::invalid("on", "The move starts on a school day."));
    }
    Ok(())
}

fn require_proposed(case: &Case) -> Result<(), Refusal> {
    if case.state == CaseState::Proposed {
        return Ok(());
    }
    let by = case
        .decided
        .as_ref()
        .map(|s| format!(" by <@{}> on {}", s.by, s.at.date_naive()))
        .unwrap_or_default();
    Err(Refusal::wrong_state(format!(
        "This proposal was already accepted{by}."
    )))
}

fn require_before_start(case: &Case, what: &str) -> Result<(), Refusal> {
    match case.state {
        CaseState::Accepted | CaseState::Agreeing => Ok(()),
        CaseState::Proposed => Err(Refusal::wrong_state(format!(
            "You can {what} once the destination head has accepted the proposal."
        ))),
        _ => Err(Refusal::wrong_state(format!(
            "The move has already started, so you can't {what} now."
        ))),
    }
}

fn require_active(case: &Case, what: &str) -> Result<(), Refusal> {
    if case.state == CaseState::Active {
        Ok(())
    } else {
        Err(Refusal::wrong_state(format!(
            "You can {what} only while the move is active."
        )))
    }
}

fn not_in_future(day: NaiveDate, today: NaiveDate) -> Result<(), Refusal> {
    if day > today {
        Err(Refusal::invalid(
            "date",
            "That date is in the future; record things once they have happened.",
        ))
    } else {
        Ok(())
    }
}

fn check_within_school_day(p: &Partnership, at: DateTime<Utc>) -> Result<(), Refusal> {
    let local = at.with_timezone(&p.timezone);
    let day = local.date_naive();
    if !p.calendar.is_school_day(day) {
        return Err(Refusal::invalid_owned(
            "date",
            format!(
                "{} is not a school day; the meeting is held within the normal school day.",
                day.format("%A %-d %B %Y")
            ),
        ));
    }
    let start =
        NaiveTime::from_hms_opt(SCHOOL_DAY_START.0, SCHOOL_DAY_START.1, 0).expect("valid time");
    let end = NaiveTime::from_hms_opt(SCHOOL_DAY_END.0, SCHOOL_DAY_END.1, 0).expect("valid time");
    if local.time() < start || local.time() > end {
        return Err(Refusal::invalid(
            "time",
            "The meeting is held within the normal school day: pick a time between 08:00 and 17:00.",
        ));
    }
    Ok(())
}

/// A rescheduled review keeps the timeline's order: the midpoint before the final review,
/// and the final review no later than the agreed length allows (DOMAIN.md, "Timeline":
/// a move runs for the weeks the meeting chose, up to the maximum). Lengthening a move is
/// a new agreement, not a moved review.
fn review_stays_in_order(
    agreement: &Agreement,
    case: &Case,
    review: ReviewKind,
    on: NaiveDate,
    p: &Partnership,
) -> Result<(), Refusal> {
    let show = |d: NaiveDate| d.format("%a %-d %b %Y").to_string();
    match review {
        ReviewKind::Midpoint if on >= agreement.final_review => Err(Refusal::invalid_owned(
            "date",
            format!(
                "The midpoint review must come before the final review ({}).",
                show(agreement.final_review)
            ),
        )),
        ReviewKind::Final => {
            let midpoint = case
                .review(ReviewKind::Midpoint)
                .map_or(agreement.midpoint_review, |held| held.held_on);
            let (_, latest) = p.review_dates(agreement.terms.start, agreement.terms.weeks);
            if on <= midpoint {
                Err(Refusal::invalid_owned(
                    "date",
                    format!(
                        "The final review must come after the midpoint review ({}).",
                        show(midpoint)
                    ),
                ))
            } else if on > latest {
                Err(Refusal::invalid_owned(
                    "date",
                    format!(
                        "The final review can't be after {}: the move was agreed for {} weeks.",
                        show(latest),
                        agreement.terms.weeks
                    ),
                ))
            } else {
                Ok(())
            }
        }
        ReviewKind::Midpoint => Ok(()),
    }
}
