//! The returning stage and the follow-up (DOMAIN.md, "The protocol in depth", "Endings"):
//! a return of a managed move passes through `returning` (meeting within five school days,
//! plan, both registers) before it closes with its outcome; one term after a move closes,
//! the school now responsible records the follow-up.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::attendance::Percent;
use crate::domain::permissions::authorize;
use crate::domain::returning::{follow_up_due, meeting_due, open_steps, ReturnHow, Step};
use crate::domain::testkit::*;
use crate::domain::{Action, ActionKind, CaseState, Outcome, RefusalKind, SchoolKey};

fn at_ten(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
}

fn meeting(on: NaiveDate) -> Action {
    Action::RecordReintegrationMeeting {
        on,
        attendance: sample_attendance(),
    }
}

fn plan() -> Action {
    sample_action(ActionKind::RecordReintegrationPlan, today()).unwrap()
}

fn end_registration(school: Option<&str>, on: NaiveDate) -> Action {
    Action::EndRegistration {
        school: school.map(|s| SchoolKey::parse(s).unwrap()),
        on,
        la_notified: on,
    }
}

fn follow_up() -> Action {
    Action::RecordFollowUp {
        on_roll: true,
        attendance: Percent::from_tenths(940),
        suspensions: 1,
        note: Some(text("Settled back in; one fixed-term suspension in March.")),
    }
}

fn active() -> CaseBuilder {
    CaseBuilder::proposed().accepted().agreed().active()
}

#[test]
fn the_reintegration_meeting_is_due_five_school_days_after_the_return_skipping_half_term() {
    // Returned Wednesday 21 October 2026: Thu, Fri, then October half-term, then Mon-Wed.
    assert_eq!(
        meeting_due(partnership(), day(2026, 10, 21)),
        day(2026, 11, 4)
    );
}

#[test]
fn the_reintegration_meeting_is_due_five_school_days_after_the_return_skipping_a_bank_holiday() {
    // Returned Thursday 29 April 2027: Fri, (Mon 3 May, early May bank holiday), Tue-Fri.
    assert_eq!(
        meeting_due(partnership(), day(2027, 4, 29)),
        day(2027, 5, 7)
    );
    // An ordinary week: Monday's return is due the next Monday.
    assert_eq!(
        meeting_due(partnership(), day(2026, 11, 23)),
        day(2026, 11, 30)
    );
}

#[test]
fn an_outcome_of_returned_enters_the_returning_stage_and_closes_completed_after_three_steps() {
    let b = active().returning();
    let case = b.case();
    assert_eq!(case.state, CaseState::Returning);
    assert!(!case.state.is_closed(), "returning is an open state");
    assert_eq!(case.outcome, None, "the outcome is recorded at the close");
    assert!(matches!(
        case.returning.as_ref().unwrap().how,
        ReturnHow::Returned { .. }
    ));
    let due = meeting_due(b.partnership(), b.today());
    let steps: Vec<(Step, NaiveDate)> = open_steps(case, b.partnership());
    assert_eq!(steps.len(), 4, "meeting, plan, both registers: {steps:?}");
    assert!(steps.iter().all(|(_, d)| *d == due));

    let returned_on = b.today();
    let b = b
        .act(&staff_of(HOME), meeting(returned_on))
        .act(&head_of(HOME), plan())
        .act(&staff_of(DESTINATION), end_registration(None, today()));
    assert_eq!(b.case().state, CaseState::Returning, "home's register open");
    assert_eq!(open_steps(b.case(), b.partnership()).len(), 1);
    let b = b.act(&staff_of(HOME), end_registration(None, today()));
    assert_eq!(b.case().state, CaseState::Completed);
    assert_eq!(b.case().outcome, Some(Outcome::Returned));
    assert!(b.case().closed_at.is_some());
    assert_eq!(b.events().last().unwrap().kind.name(), "completed");
}

#[test]
fn a_termination_closes_terminated_with_its_reason_once_the_steps_are_done() {
    let b = active().terminating();
    assert_eq!(b.case().state, CaseState::Returning);
    let b = b.reintegrated();
    assert_eq!(b.case().state, CaseState::Terminated);
    assert_eq!(b.case().outcome, Some(Outcome::Returned));
    assert_eq!(
        b.case().closing_reason.as_ref().unwrap().as_str(),
        "Persistent failure to meet targets."
    );
}

#[test]
fn the_steps_may_be_recorded_in_any_order() {
    let b = active()
        .terminating()
        .act(&head_of(HOME), end_registration(None, today()))
        .act(&head_of(DESTINATION), end_registration(None, today()))
        .act(&head_of(HOME), plan());
    assert_eq!(b.case().state, CaseState::Returning);
    let b = b.act(&head_of(HOME), meeting(today()));
    assert_eq!(b.case().state, CaseState::Terminated);
}

#[test]
fn the_home_head_records_a_withdrawn_consent_and_the_pupil_returns_home() {
    let withdrawn = sample_action(ActionKind::RecordConsentWithdrawn, today()).unwrap();
    let b = active().act(&head_of(HOME), withdrawn);
    assert_eq!(b.case().state, CaseState::Returning);
    assert!(matches!(
        b.case().returning.as_ref().unwrap().how,
        ReturnHow::ConsentWithdrawn { .. }
    ));
    let b = b.reintegrated();
    assert_eq!(b.case().state, CaseState::Terminated);
    assert_eq!(b.case().outcome, Some(Outcome::Returned));
}

#[test]
fn only_the_home_head_records_a_withdrawn_consent() {
    let b = active();
    let withdrawn = sample_action(ActionKind::RecordConsentWithdrawn, today()).unwrap();
    for who in [staff_of(HOME), head_of(DESTINATION), coordinator()] {
        let r = b.try_act(&who, &withdrawn).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{:?}", who.capacities);
    }
}

#[test]
fn a_withdrawn_consent_dated_in_the_future_or_before_the_start_is_refused() {
    let b = active();
    let future = Action::RecordConsentWithdrawn {
        on: b.today() + Duration::days(1),
        reason: text("Family moving away."),
    };
    let r = b.try_act(&head_of(HOME), &future).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let before = Action::RecordConsentWithdrawn {
        on: b.case().started_on.unwrap() - Duration::days(1),
        reason: text("Family moving away."),
    };
    let r = b.try_act(&head_of(HOME), &before).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("before the move started"), "{r}");
}

#[test]
fn a_managed_transfer_ended_early_closes_at_once_for_the_panel() {
    let b = CaseBuilder::proposed()
        .transfer()
        .accepted()
        .approved()
        .agreed()
        .active()
        .terminating();
    assert_eq!(b.case().state, CaseState::Terminated);
    assert_eq!(b.case().outcome, None);
    assert!(b.case().returning.is_none());
}

#[test]
fn only_the_home_school_records_the_reintegration_meeting_and_plan() {
    let b = active().terminating();
    for who in [head_of(DESTINATION), staff_of(DESTINATION), coordinator()] {
        for action in [meeting(today()), plan()] {
            let r = b.try_act(&who, &action).unwrap_err();
            assert_eq!(r.kind, RefusalKind::NotPermitted, "{:?}", who.capacities);
        }
    }
}

#[test]
fn each_school_changes_only_its_own_register() {
    let b = active().terminating();
    let r = b
        .try_act(
            &staff_of(HOME),
            &end_registration(Some(DESTINATION), today()),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    let r = b
        .try_act(&coordinator(), &end_registration(Some(HOME), today()))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
}

#[test]
fn a_register_change_before_the_start_is_refused() {
    let b = active().terminating();
    let start = b.case().started_on.unwrap();
    let r = b
        .try_act(
            &head_of(HOME),
            &end_registration(None, start - Duration::days(1)),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
}

#[test]
fn a_reintegration_meeting_before_the_return_or_in_the_future_is_refused() {
    let b = active().terminating();
    let r = b
        .try_act(&head_of(HOME), &meeting(b.today() - Duration::days(1)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("before"), "{r}");
    let r = b
        .try_act(&head_of(HOME), &meeting(b.today() + Duration::days(1)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
}

#[test]
fn while_returning_nothing_of_the_move_itself_is_recorded() {
    let b = active().terminating();
    let check_in = sample_action(ActionKind::LogCheckIn, b.today()).unwrap();
    let r = b.try_act(&head_of(HOME), &check_in).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    let again = sample_action(ActionKind::Terminate, b.today()).unwrap();
    let r = b.try_act(&head_of(DESTINATION), &again).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn the_steps_are_refused_outside_the_returning_stage() {
    let b = active();
    let r = b.try_act(&head_of(HOME), &plan()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("returning"), "{r}");
}

// Follow-up ------------------------------------------------------------------------------

#[test]
fn a_follow_up_on_an_open_case_is_refused() {
    for b in [active(), active().terminating()] {
        let r = b.try_act(&head_of(HOME), &follow_up()).unwrap_err();
        assert_eq!(r.kind, RefusalKind::WrongState);
        assert!(r.message().contains("still open"), "{r}");
        assert_eq!(
            authorize(&head_of(HOME), b.case(), ActionKind::RecordFollowUp),
            Ok(())
        );
    }
}

#[test]
fn the_follow_up_falls_due_sixty_school_days_after_the_close_and_not_before() {
    let b = active().returned();
    let closed = b.partnership().today(b.case().closed_at.unwrap());
    assert_eq!(closed, day(2027, 1, 5), "closed at the final review");
    let due = follow_up_due(b.case(), b.partnership()).unwrap();
    // Tue 5 Jan 2027 + 60 school days: past February half-term, Good Friday (26 March)
    // and the Easter holiday.
    assert_eq!(due, day(2027, 4, 21));
    let early = b.clone().at(at_ten(due - Duration::days(1)));
    let r = early.try_act(&head_of(HOME), &follow_up()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("due from Wed 21 Apr 2027"), "{r}");
    let on_time = b.at(at_ten(due)).act(&staff_of(HOME), follow_up());
    let done = on_time.case().follow_up.as_ref().unwrap();
    assert_eq!(done.school, school(HOME));
    assert!(done.on_roll);
    assert_eq!(on_time.case().state, CaseState::Completed, "still closed");
}

#[test]
fn the_follow_up_is_the_responsible_schools_after_a_return_and_taken_once() {
    let b = active().terminated();
    let due = follow_up_due(b.case(), b.partnership()).unwrap();
    let b = b.at(at_ten(due));
    for who in [head_of(DESTINATION), staff_of(DESTINATION), coordinator()] {
        let r = b.try_act(&who, &follow_up()).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{:?}", who.capacities);
    }
    let b = b.act(&head_of(HOME), follow_up());
    let r = b.try_act(&head_of(HOME), &follow_up()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("was recorded"), "{r}");
}

#[test]
fn after_a_permanent_transfer_the_destination_records_the_follow_up() {
    let b = active().transferred();
    assert_eq!(b.case().state, CaseState::Completed);
    let due = follow_up_due(b.case(), b.partnership()).unwrap();
    let b = b.at(at_ten(due));
    let r = b.try_act(&head_of(HOME), &follow_up()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    let b = b.act(&staff_of(DESTINATION), follow_up());
    assert_eq!(
        b.case().follow_up.as_ref().unwrap().school,
        school(DESTINATION)
    );
}

#[test]
fn cases_closed_before_a_move_ran_need_no_follow_up() {
    for b in [
        CaseBuilder::proposed().declined(),
        CaseBuilder::proposed().accepted().withdrawn(),
    ] {
        assert_eq!(follow_up_due(b.case(), b.partnership()), None);
        let later = b.now() + Duration::days(200);
        let r = b
            .at(later)
            .try_act(&head_of(HOME), &follow_up())
            .unwrap_err();
        assert_eq!(r.kind, RefusalKind::WrongState);
    }
}

#[test]
fn the_follow_up_interval_comes_from_the_policy() {
    let b = CaseBuilder::new()
        .with_policy(|p| p.follow_up_school_days = 5)
        .propose()
        .accepted()
        .agreed()
        .active()
        .returned();
    // Closed Tuesday 5 January 2027 (the final review) + 5 school days.
    assert_eq!(
        follow_up_due(b.case(), b.partnership()),
        Some(day(2027, 1, 12))
    );
}
