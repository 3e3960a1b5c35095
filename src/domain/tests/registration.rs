//! Dual registration (DOMAIN.md, "Dual registration"): each school confirms its own side,
//! the destination's subsidiary registration before the start, the home school's code D
//! within one school day of it (a reminder, and the digest while it is missing).

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use crate::domain::calendar::SchoolCalendar;
use crate::domain::reminders::{plan, ReminderSettings};
use crate::domain::testkit::*;
use crate::domain::{Action, CaseState, Event, EventKind, RefusalKind, SchoolKey, UserId};
use crate::domain::{Case, CaseRef};

fn register(school: Option<&str>, from: NaiveDate, la_notified: NaiveDate) -> Action {
    Action::ConfirmRegistration {
        school: school.map(|s| SchoolKey::parse(s).unwrap()),
        from,
        la_notified,
    }
}

#[test]
fn each_school_confirms_its_own_side_with_the_day_it_told_the_local_authority() {
    let next_week = today() + Days::new(7);
    let b = CaseBuilder::proposed()
        .accepted()
        .act(&staff_of(DESTINATION), register(None, next_week, today()))
        .act(&head_of(HOME), register(Some(HOME), today(), today()));
    let case = b.case();
    let dest = &case.registrations[&school(DESTINATION)];
    assert_eq!((dest.from, dest.la_notified), (next_week, today()));
    assert_eq!(dest.recorded.by, staff_of(DESTINATION).user);
    let home = &case.registrations[&school(HOME)];
    assert_eq!(home.recorded.by, head_of(HOME).user);
    assert_eq!(
        case.state,
        CaseState::Accepted,
        "registering is not agreeing"
    );
}

#[test]
fn a_school_never_confirms_the_other_schools_register() {
    let b = CaseBuilder::proposed().accepted();
    let r = b
        .try_act(
            &staff_of(HOME),
            &register(Some(DESTINATION), today(), today()),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert_eq!(
        r.message(),
        "Only Hillcrest School's own head or staff can confirm its registration."
    );
    let r = b
        .try_act(
            &head_of(DESTINATION),
            &register(Some(UNINVOLVED), today(), today()),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert_eq!(r.field.as_deref(), Some("school"));
}

#[test]
fn someone_at_both_schools_names_the_school_they_confirm_for() {
    let mut both = head_of(HOME);
    both.capacities
        .push(crate::domain::Capacity::Staff(school(DESTINATION)));
    let b = CaseBuilder::proposed().accepted();
    let r = b
        .try_act(&both, &register(None, today(), today()))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("school"));
    assert!(b
        .try_act(&both, &register(Some(DESTINATION), today(), today()))
        .is_ok());
}

#[test]
fn registration_dates_are_checked_and_a_refusal_records_nothing() {
    let b = CaseBuilder::proposed().accepted();
    let tomorrow = today() + Days::new(1);
    let before = today() - Days::new(30);
    let staff = staff_of(DESTINATION);
    let r = b
        .try_act(&staff, &register(None, today(), tomorrow))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput, "{r}");
    let r = b
        .try_act(&staff, &register(None, before, today()))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("from"));
    let r = b
        .try_act(&staff, &register(None, today(), before))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("la_notified"));
    // Registering ahead of the start is fine: the register changes from that day.
    assert!(b
        .try_act(&staff, &register(None, tomorrow, today()))
        .is_ok());
    assert!(b.case().registrations.is_empty());
}

#[test]
fn registration_waits_for_the_destination_to_accept() {
    let b = CaseBuilder::proposed();
    let r = b
        .try_act(&head_of(HOME), &register(None, today(), today()))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn the_move_starts_no_earlier_than_the_subsidiary_registration() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let later = today() + Days::new(7);
    let b = b.act(&head_of(DESTINATION), register(None, later, today()));
    let r = b
        .try_act(&head_of(DESTINATION), &Action::StartMove { on: None })
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("on"));
    assert!(r.message().contains(&later.to_string()), "{r}");
}

#[test]
fn once_the_move_runs_the_subsidiary_registration_must_cover_its_first_day() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let r = b
        .try_act(
            &staff_of(DESTINATION),
            &register(None, today() + Days::new(1), today()),
        )
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("from"));
    // The home school's code D may be confirmed (or corrected) while the move runs.
    let b = b.act(&staff_of(HOME), register(None, today(), today()));
    assert!(b.case().registrations.contains_key(&school(HOME)));
}

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// A case that started on `start` (built from events, so any date works), with or
/// without the home school's confirmation.
fn started(start: NaiveDate, home_confirmed: bool) -> Case {
    let at = |d: NaiveDate| d.and_hms_opt(10, 0, 0).unwrap().and_utc();
    let before = start - Days::new(14);
    let ev = |on: NaiveDate, kind| Event {
        by: UserId(1),
        at: at(on),
        kind,
    };
    let p = partnership();
    let (midpoint_review, final_review) = p.review_dates(start, 6);
    let mut events = vec![
        ev(before, EventKind::Proposed(proposal())),
        ev(before, EventKind::Accepted),
        ev(
            before,
            EventKind::AgreementRecorded {
                terms: terms(start, 6),
                midpoint_review,
                final_review,
                signed_for: school(HOME),
            },
        ),
        ev(
            before,
            EventKind::RegistrationConfirmed {
                school: school(DESTINATION),
                from: start,
                la_notified: before,
            },
        ),
        ev(start, EventKind::MoveStarted { on: start }),
    ];
    if home_confirmed {
        events.push(ev(
            start,
            EventKind::RegistrationConfirmed {
                school: school(HOME),
                from: start,
                la_notified: start,
            },
        ));
    }
    Case::from_events(CaseRef::new(2026, 1), &events).unwrap()
}

fn home_reminder(case: &Case) -> Option<DateTime<Utc>> {
    let mut p = partnership().clone();
    p.calendar = SchoolCalendar::default(); // weekends and bank holidays only
    plan(case, &p, &ReminderSettings::default())
        .into_iter()
        .find(|r| r.key == "overdue_home_registration")
        .map(|r| r.due_at)
}

#[test]
fn the_home_schools_code_d_is_reminded_once_overdue_across_the_autumn_clock_change() {
    // Friday 23 October 2026: due the next school day, Monday 26th (the clocks went back
    // on Sunday 25th); overdue two school days later: Wednesday 08:00 is 08:00 UTC.
    let case = started(day(2026, 10, 23), false);
    assert_eq!(home_reminder(&case), Some(utc(2026, 10, 28, 8)));
}

#[test]
fn the_home_schools_code_d_reminder_skips_a_bank_holiday_monday() {
    // Friday 28 August 2026; Monday 31st is the summer bank holiday: due Tuesday 1st,
    // reminded two school days later, Thursday 08:00 BST.
    let case = started(day(2026, 8, 28), false);
    assert_eq!(home_reminder(&case), Some(utc(2026, 9, 3, 7)));
}

#[test]
fn no_code_d_reminder_once_the_home_school_has_confirmed() {
    assert_eq!(home_reminder(&started(day(2026, 10, 23), true)), None);
    // Nor before the move starts: the home school's day is counted from the start.
    let agreed = CaseBuilder::proposed().accepted().agreed().build();
    assert_eq!(home_reminder(&agreed), None);
}
