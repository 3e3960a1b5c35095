//! The initial meeting through the service: recorded as held with who came, in one
//! transaction; refusals write nothing; the start waits for it.

use crate::common;

use common::*;
use managed_moves::domain::meetings::{Attendance, Attendee, PupilPresence};
use managed_moves::domain::{Action, CaseRef, CaseState, MoveKind, RefusalKind};
use sqlx::SqlitePool;

/// Accepted on 24 November 2026 with the meeting scheduled that day, consents and the
/// agreement recorded and signed: everything but the meeting held.
async fn agreed_but_not_held(w: &World) -> CaseRef {
    let destination = w.head_of(DESTINATION);
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = day(2026, 11, 24);
    w.agree(r, today, today, 6).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today,
        la_notified: today,
    };
    w.act(&destination, r, registered).await;
    r
}

#[sqlx::test]
async fn the_move_starts_only_once_the_meeting_is_held_with_who_came(pool: SqlitePool) {
    let w = world(pool).await;
    let r = agreed_but_not_held(&w).await;
    let start = Action::StartMove { on: None };
    let refused = w.refused(&w.head_of(HOME), r, start.clone()).await;
    assert_eq!(refused.kind, RefusalKind::Blocked);
    assert!(refused
        .message()
        .contains("record the initial meeting as held"));

    let held = Action::RecordMeetingHeld {
        on: day(2026, 11, 24),
        positives: Some(text("Keen to start.")),
        concerns: Some(text("Long bus journey.")),
        attendance: None,
    };
    w.act(&w.staff_of(DESTINATION), r, held).await;
    let refused = w.refused(&w.head_of(HOME), r, start.clone()).await;
    assert!(
        refused
            .message()
            .contains("record who attended the initial meeting"),
        "{refused}"
    );

    let attendance = Attendance::new(
        vec![Attendee::ParentCarer, Attendee::PupilChampion],
        PupilPresence::Part,
    )
    .unwrap();
    let chosen = Action::RecordMeetingAttendees { attendance };
    w.act(&w.coordinator(), r, chosen).await;
    w.act(&w.head_of(HOME), r, start).await;

    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.state, CaseState::Active);
    let held = case.meeting_held.expect("kept in the snapshot");
    assert_eq!(held.on, day(2026, 11, 24));
    let came = held.attendance.expect("who came");
    assert!(came.came(Attendee::PupilChampion) && !came.came(Attendee::HomeStaff));
    assert_eq!(came.pupil, PupilPresence::Part);
    let names: Vec<String> = w
        .service
        .history(&w.coordinator(), r)
        .await
        .unwrap()
        .iter()
        .map(|e| e.event.kind.name().to_string())
        .collect();
    assert!(names.contains(&"meeting_held".to_string()));
    assert!(names.contains(&"meeting_attendees_recorded".to_string()));
}

#[sqlx::test]
async fn a_future_meeting_day_or_nobody_there_is_refused_and_writes_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = agreed_but_not_held(&w).await;
    let events = w.count("case_events").await;
    let future = Action::RecordMeetingHeld {
        on: day(2026, 11, 25),
        positives: None,
        concerns: None,
        attendance: None,
    };
    let refused = w.refused(&w.staff_of(HOME), r, future).await;
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(!refused.message().contains('\n'));
    // Attendees left empty never become an action: the parse refuses first.
    let empty = Attendance::parse("", "whole").unwrap_err();
    assert_eq!(empty.field.as_deref(), Some("attendees"));
    assert_eq!(w.count("case_events").await, events);
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert!(case.meeting_held.is_none());
}

#[sqlx::test]
async fn an_uninvolved_head_is_told_the_case_does_not_exist(pool: SqlitePool) {
    let w = world(pool).await;
    let r = agreed_but_not_held(&w).await;
    let events = w.count("case_events").await;
    let refused = w
        .refused(&w.head_of(UNINVOLVED), r, meeting_held(day(2026, 11, 24)))
        .await;
    assert_eq!(refused.kind, RefusalKind::NotFound);
    assert_eq!(w.count("case_events").await, events);
}

#[sqlx::test]
async fn a_late_start_moves_the_review_dates_and_their_reminders(pool: SqlitePool) {
    let w = world(pool).await;
    let r = agreed_but_not_held(&w).await;
    w.act(&w.head_of(HOME), r, meeting_held(day(2026, 11, 24)))
        .await;
    // Agreed to start on Tuesday 24 November; started on Monday 30 November.
    w.clock.set(at(2026, 11, 30));
    w.act(&w.head_of(HOME), r, Action::StartMove { on: None })
        .await;
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let agreement = case.agreement.unwrap();
    assert_eq!(agreement.midpoint_review, day(2027, 1, 5));
    assert_eq!(agreement.final_review, day(2027, 1, 11));
    let (id, _) = w.service.store().find_case(r).await.unwrap().unwrap();
    let reminders = w.service.store().reminders_of_case(id).await.unwrap();
    let about = |key: &str| {
        reminders
            .iter()
            .filter(|x| x.key == key && x.state == managed_moves::store::ReminderState::Pending)
            .map(|x| x.about_on)
            .next()
    };
    assert_eq!(about("midpoint_review"), Some(day(2027, 1, 5)));
    assert_eq!(about("final_review"), Some(day(2027, 1, 11)));
}
