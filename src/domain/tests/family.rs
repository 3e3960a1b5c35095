//! The family's part and the law (DOMAIN.md, "Extra approvals and the family's part", the
//! Policy note): the parent's copy gates the start; under an off-site direction the written
//! notice does too, and the move starts no earlier than two school days after it.

use chrono::{NaiveDate, NaiveTime};

use crate::domain::decide::{earliest_start_after_notice, warnings};
use crate::domain::family::LegalBasis;
use crate::domain::testkit::*;
use crate::domain::{
    Action, ActionKind, CaseState, Event, EventKind, MoveReason, RefusalKind, UserId,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The builder's clock moved to 10:00 in London on `on`.
fn on_day(b: CaseBuilder, on: NaiveDate) -> CaseBuilder {
    let at = b
        .partnership()
        .instant(on, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    b.at(at)
}

fn off_site() -> CaseBuilder {
    CaseBuilder::new().with_policy(|p| p.legal_basis = LegalBasis::OffSiteDirection)
}

fn start(b: &CaseBuilder) -> Result<Vec<EventKind>, crate::domain::Refusal> {
    b.try_act(&head_of(HOME), &Action::StartMove { on: None })
}

fn notice(on: NaiveDate, la: Option<NaiveDate>) -> Action {
    Action::RecordNotice {
        on,
        how: text("By hand at the home school"),
        la_notified: la,
    }
}

const COPY_MISSING: &str = "give the parent/carer their copy of the agreement (`/document parent-copy`, then `/consent copy-given`)";

#[test]
fn a_move_does_not_start_until_the_parent_has_their_copy_of_the_agreement() {
    let b = CaseBuilder::proposed().accepted().agreed_without_copy();
    let r = start(&b).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert_eq!(
        r.message(),
        format!("Before the move can start: {COPY_MISSING}.")
    );
    let b = b.copy_given();
    assert!(start(&b).is_ok());
}

#[test]
fn a_partnership_may_turn_the_parent_copy_gate_off() {
    let b = CaseBuilder::new()
        .with_policy(|p| p.parent_copy_required = false)
        .propose()
        .accepted()
        .agreed_without_copy();
    assert!(start(&b).is_ok());
}

#[test]
fn an_agreement_recorded_again_needs_a_new_copy_for_the_parent() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let later = b.now() + chrono::Duration::hours(1);
    let b = b
        .at(later)
        .act(
            &head_of(HOME),
            Action::RecordAgreement {
                terms: terms(today(), 4),
            },
        )
        .act(&head_of(DESTINATION), Action::SignAgreement);
    let r = start(&b).unwrap_err();
    assert!(r.message().contains("copy of the agreement again"), "{r}");
    // The parent's and pupil's agreements belong to the old terms too: given again with
    // the new copy, the move can start.
    let b = b.copy_given();
    let gates = crate::domain::decide::missing_gates(b.case(), b.partnership());
    assert!(gates.iter().all(|g| !g.contains("copy")), "{gates:?}");
    let consent = |kind| sample_action(kind, today()).unwrap();
    let b = b
        .act(&head_of(HOME), consent(ActionKind::RecordParentConsent))
        .act(&head_of(HOME), consent(ActionKind::RecordPupilConsent));
    assert!(start(&b).is_ok());
}

#[test]
fn only_the_home_head_records_the_copy_and_only_once_there_is_an_agreement() {
    let b = CaseBuilder::proposed().accepted();
    let copy = sample_action(ActionKind::RecordParentCopy, today()).unwrap();
    let r = b.try_act(&head_of(HOME), &copy).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("no agreement yet"), "{r}");
    let b = b.agreed_without_copy();
    for who in [head_of(DESTINATION), staff_of(HOME), coordinator()] {
        let r = b.try_act(&who, &copy).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted);
    }
    let tomorrow = today().succ_opt().unwrap();
    let future = Action::RecordParentCopy {
        on: tomorrow,
        how: text("Posted"),
    };
    let r = b.try_act(&head_of(HOME), &future).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let before = Action::RecordParentCopy {
        on: today().pred_opt().unwrap(),
        how: text("Posted"),
    };
    let r = b.try_act(&head_of(HOME), &before).unwrap_err();
    assert!(r.message().contains("can't have been given before"), "{r}");
    let b = b.act(&head_of(HOME), copy);
    assert_eq!(b.case().parent_copy.as_ref().unwrap().on, today());
}

#[test]
fn a_managed_move_partnership_records_no_notice() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let r = b
        .try_act(&head_of(HOME), &notice(today(), None))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("no written notice"), "{r}");
}

#[test]
fn an_off_site_direction_needs_the_written_notice_before_the_start() {
    let b = off_site().propose().accepted().agreed();
    let r = start(&b).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(
        r.message()
            .contains("written notice of the off-site direction"),
        "{r}"
    );
}

#[test]
fn an_ehcp_pupil_needs_the_local_authority_given_notice_too() {
    let tuesday = day(2026, 11, 24);
    let b = on_day(off_site().ehcp(), tuesday)
        .propose()
        .accepted()
        .agreed();
    let b = b.act(&head_of(HOME), notice(tuesday, None));
    let b = on_day(b, day(2026, 11, 26));
    let r = start(&b).unwrap_err();
    assert!(r.message().contains("local authority notice"), "{r}");
    let b = b.act(&head_of(HOME), notice(tuesday, Some(tuesday)));
    assert!(start(&b).is_ok());
}

#[test]
fn an_off_site_direction_starts_no_earlier_than_two_school_days_after_the_notice() {
    let tuesday = day(2026, 11, 24);
    let b = on_day(off_site(), tuesday).propose().accepted().agreed();
    let b = b.act(&head_of(HOME), notice(tuesday, None));
    // One school day after: refused, in one sentence naming the earliest day.
    let wednesday = on_day(b.clone(), day(2026, 11, 25));
    let r = start(&wednesday).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("Thursday 26 November 2026"), "{r}");
    assert_eq!(wednesday.case().state, CaseState::Agreeing);
    // Two school days after: it starts.
    assert!(start(&on_day(b, day(2026, 11, 26))).is_ok());
}

#[test]
fn the_notice_period_counts_school_days_over_half_term_and_bank_holidays() {
    let p = off_site().partnership().clone();
    // Friday 23 October 2026 ends the half term; school resumes Monday 2 November.
    assert_eq!(
        earliest_start_after_notice(&p, day(2026, 10, 23)),
        day(2026, 11, 3)
    );
    // Friday 30 April 2027, then the May Day bank holiday on Monday 3 May.
    assert_eq!(
        earliest_start_after_notice(&p, day(2027, 4, 30)),
        day(2027, 5, 5)
    );
    // Given on a Thursday in term: the Monday after.
    assert_eq!(
        earliest_start_after_notice(&p, day(2026, 11, 26)),
        day(2026, 11, 30)
    );
}

#[test]
fn a_notice_given_before_half_term_lets_the_move_start_only_on_the_second_day_back() {
    let friday = day(2026, 10, 23);
    let b = on_day(off_site(), friday).propose().accepted().agreed();
    let b = b.act(&head_of(HOME), notice(friday, None));
    let r = start(&on_day(b.clone(), day(2026, 11, 2))).unwrap_err();
    assert!(r.message().contains("Tuesday 3 November 2026"), "{r}");
    assert!(start(&on_day(b, day(2026, 11, 3))).is_ok());
}

#[test]
fn the_notice_cannot_be_dated_in_the_future_or_before_the_proposal() {
    let b = off_site().propose().accepted().agreed();
    let tomorrow = today().succ_opt().unwrap();
    let r = b
        .try_act(&head_of(HOME), &notice(tomorrow, None))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let before = today() - chrono::Days::new(30);
    let r = b
        .try_act(&head_of(HOME), &notice(before, None))
        .unwrap_err();
    assert!(r.message().contains("before the move was proposed"), "{r}");
    let r = b
        .try_act(&head_of(DESTINATION), &notice(today(), None))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
}

#[test]
fn an_attendance_only_proposal_under_an_off_site_direction_gets_a_warning_not_a_refusal() {
    let mut proposal = proposal();
    proposal.reason = MoveReason::Attendance;
    let event = |p| Event {
        by: UserId(1),
        at: now(),
        kind: EventKind::Proposed(p),
    };
    let direction = off_site().partnership().clone();
    let warned = warnings(&[event(proposal.clone())], &direction);
    assert_eq!(warned.len(), 1);
    assert!(warned[0].contains("improving behaviour"));
    assert!(warnings(&[event(proposal.clone())], partnership()).is_empty());
    let mut exclusion = proposal;
    exclusion.reason = MoveReason::RiskOfExclusion;
    assert!(warnings(&[event(exclusion)], &direction).is_empty());
    // And the proposal itself goes ahead.
    let b = off_site().propose().accepted();
    assert_eq!(b.case().state, CaseState::Accepted);
}

#[test]
fn the_placement_is_named_after_the_legal_basis() {
    let mut policy = partnership().policy.clone();
    assert_eq!(policy.name(), "managed move");
    policy.legal_basis = LegalBasis::OffSiteDirection;
    assert_eq!(policy.name(), "off-site direction");
    policy.move_name = "placement".into();
    assert_eq!(policy.name(), "placement");
}

#[test]
fn school_times_for_the_notice_are_hours_and_minutes_and_read_as_one_line() {
    use crate::domain::family::{DocumentWording, SchoolDetails};
    let mut wording = DocumentWording::default();
    let details = SchoolDetails {
        day_starts: Some("08:40".into()),
        day_ends: Some("3pm".into()),
        breaks: vec!["10:50-11:10".into()],
        ..SchoolDetails::default()
    };
    wording.schools.insert("hillcrest".into(), details.clone());
    assert_eq!(
        wording.problems(),
        ["documents.schools.hillcrest.day_ends: write a time as HH:MM, e.g. 08:40"]
    );
    let fixed = SchoolDetails {
        day_ends: Some("15:10".into()),
        ..details
    };
    assert_eq!(
        fixed.session_times().as_deref(),
        Some("The school day starts 08:40 and ends 15:10; breaks: 10:50-11:10.")
    );
    assert_eq!(SchoolDetails::default().session_times(), None);
    // A school with no details leaves blanks; the default complaints wording stands in.
    let none = DocumentWording::default();
    assert_eq!(none.school(&school(DESTINATION)), SchoolDetails::default());
    assert!(none.complaints().contains("complaints procedure"));
}

#[test]
fn a_move_is_called_what_the_legal_basis_calls_it_and_a_transfer_stays_a_transfer() {
    use crate::domain::MoveKind;
    let mut policy = partnership().policy.clone();
    assert_eq!(policy.kind_name(MoveKind::ManagedMove), "managed move");
    policy.legal_basis = LegalBasis::OffSiteDirection;
    assert_eq!(
        policy.kind_name(MoveKind::ManagedMove),
        "off-site direction"
    );
    assert_eq!(
        policy.kind_name(MoveKind::ManagedTransfer),
        "managed transfer"
    );
    let b = off_site().propose();
    let card = crate::view::case_card(b.case(), b.partnership());
    let moved = card.fields.iter().find(|f| f.name == "Move").unwrap();
    assert!(
        moved.value.ends_with("(off-site direction)"),
        "{}",
        moved.value
    );
}

#[test]
fn the_notice_is_an_owed_step_reminded_once_overdue_until_it_is_recorded() {
    use crate::domain::reminders::family::last_notice_day;
    use crate::domain::reminders::{plan, ReminderKind, ReminderSettings};
    let p = off_site().partnership().clone();
    let cal = &p.calendar;
    // In term: two school days before Thursday 26 November is Tuesday 24th.
    assert_eq!(last_notice_day(cal, day(2026, 11, 26)), day(2026, 11, 24));
    // Over half-term: a start on Tuesday 3 November needs notice by Friday 23 October.
    assert_eq!(last_notice_day(cal, day(2026, 11, 3)), day(2026, 10, 23));
    // Over the May Day bank holiday: Wednesday 5 May 2027 needs notice by Friday 30 April.
    assert_eq!(last_notice_day(cal, day(2027, 5, 5)), day(2027, 4, 30));
    for start in [day(2026, 11, 26), day(2026, 11, 3), day(2027, 5, 5)] {
        assert_eq!(
            earliest_start_after_notice(&p, last_notice_day(cal, start)),
            start,
            "the two rules agree"
        );
    }

    let settings = ReminderSettings::default();
    let monday = day(2026, 11, 23);
    let b = on_day(off_site(), monday).propose().accepted().agreed();
    let due = |b: &CaseBuilder| {
        plan(b.case(), b.partnership(), &settings)
            .into_iter()
            .find(|r| r.key == "overdue_notice")
    };
    // Agreed today to start today, Monday 23rd: the last day was Thursday 19th, so the
    // notice is owed from today, as a step due today, and reminded two school days on
    // (the escalation rule) while none is recorded.
    let reminder = due(&b).expect("a notice reminder while none is recorded");
    assert_eq!(reminder.kind, ReminderKind::StepOverdue);
    assert_eq!(reminder.about, monday);
    assert_eq!(
        reminder.due_at,
        p.instant(day(2026, 11, 25), settings.send_at)
    );
    let b = b.act(&head_of(HOME), notice(monday, None));
    assert!(due(&b).is_none(), "recorded: no reminder");
    let managed = on_day(CaseBuilder::new(), monday)
        .propose()
        .accepted()
        .agreed();
    assert!(due(&managed).is_none(), "a managed move has no notice");
}

#[test]
fn the_history_calls_the_placement_what_the_legal_basis_calls_it() {
    let summary = |b: CaseBuilder| {
        let b = b.propose();
        b.events()[0].kind.summary(b.partnership())
    };
    assert_eq!(summary(off_site()), "Proposed an off-site direction");
    assert_eq!(summary(CaseBuilder::new()), "Proposed a managed move");
    assert_eq!(
        summary(CaseBuilder::new().transfer()),
        "Proposed a managed transfer"
    );
}
