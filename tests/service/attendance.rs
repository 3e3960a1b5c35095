//! Weekly attendance through the service over a real database: reports and corrections
//! stored as events, bad figures refused with nothing written, a missing week reminded
//! the next school day and listed in the digest, the baseline kept from the proposal.

use crate::common;
use crate::reminders::{active_case, pending, reminder, reminders, utc};

use common::*;
use managed_moves::domain::attendance::{AttendanceReport, Percent};
use managed_moves::domain::reminders::ReminderSettings;
use managed_moves::domain::{Action, Command, MoveKind, RefusalKind};
use managed_moves::scheduler::digest_lines;
use managed_moves::stats::Period;
use sqlx::SqlitePool;

fn week(possible: u16, attended: u16, authorised: u16, unauthorised: u16) -> AttendanceReport {
    AttendanceReport {
        possible,
        attended,
        authorised,
        unauthorised,
        late: 0,
        incidents: 0,
        suspensions: 0,
        note: None,
    }
}

fn record(on: chrono::NaiveDate, report: AttendanceReport) -> Action {
    Action::RecordAttendance { week: on, report }
}

#[sqlx::test]
async fn a_week_is_reported_then_corrected_each_as_an_event(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 11, 23), 6).await;
    w.clock.set(utc(2026, 11, 27, 15, 0));
    let staff = w.staff_of(DESTINATION);
    w.act(&staff, r, record(day(2026, 11, 25), week(10, 8, 2, 0)))
        .await;
    w.act(
        &w.head_of(DESTINATION),
        r,
        record(day(2026, 11, 27), week(10, 9, 1, 0)),
    )
    .await;
    let history = w.service.history(&w.coordinator(), r).await.unwrap();
    let names: Vec<&str> = history.iter().map(|e| e.event.kind.name()).collect();
    assert!(
        names.ends_with(&["attendance_reported", "attendance_corrected"]),
        "{names:?}"
    );
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let reported = &case.attendance[&day(2026, 11, 23)];
    assert_eq!(reported.report.attended, 9);
    assert_eq!(reported.recorded.by, staff.user);
    assert!(reported.corrected.is_some());
}

#[sqlx::test]
async fn bad_attendance_is_refused_in_one_sentence_and_writes_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 11, 23), 6).await;
    w.clock.set(utc(2026, 11, 27, 15, 0));
    let events = w.count("case_events").await;
    let staff = w.staff_of(DESTINATION);
    let over = w
        .refused(&staff, r, record(day(2026, 11, 27), week(10, 9, 1, 1)))
        .await;
    assert_eq!(over.kind, RefusalKind::InvalidInput);
    let outside = w
        .refused(&staff, r, record(day(2026, 11, 16), week(10, 10, 0, 0)))
        .await;
    assert_eq!(outside.field.as_deref(), Some("week"));
    let future = w
        .refused(&staff, r, record(day(2026, 12, 1), week(10, 10, 0, 0)))
        .await;
    assert_eq!(future.field.as_deref(), Some("week"));
    for who in [w.head_of(HOME), w.staff_of(HOME), w.coordinator()] {
        let refused = w
            .refused(&who, r, record(day(2026, 11, 27), week(10, 10, 0, 0)))
            .await;
        assert_eq!(refused.kind, RefusalKind::NotPermitted);
    }
    for refusal in [over, outside, future] {
        assert_eq!(refusal.message().matches(". ").count(), 0, "{refusal}");
    }
    assert_eq!(w.count("case_events").await, events);
}

#[sqlx::test]
async fn a_missing_report_is_due_the_next_school_day_reminded_once_overdue_and_in_the_digest(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 11, 23), 6).await;
    // The week of 23 November ends on Friday 27th and its report is owed by Monday
    // 30 November; still missing two school days on, the reminder goes out on Wednesday
    // 2 December at 08:00 in London (GMT).
    let due = reminder(&w, r, "overdue_attendance_2026-11-23").await;
    assert_eq!(due.kind, "step_overdue");
    assert_eq!(due.due_at, utc(2026, 12, 2, 8, 0));
    assert!(pending(&due));
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let p = w.service.partnership();
    let lines = digest_lines(
        std::slice::from_ref(&case),
        p,
        &ReminderSettings::default(),
        day(2026, 11, 30),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("report attendance for the week of 23 Nov")),
        "{lines:?}"
    );
    // Reported late on Monday: the reminder is no longer wanted.
    w.clock.set(utc(2026, 11, 30, 7, 0));
    w.act(
        &w.staff_of(DESTINATION),
        r,
        record(day(2026, 11, 23), week(10, 8, 2, 0)),
    )
    .await;
    let still: Vec<_> = reminders(&w, r)
        .await
        .into_iter()
        .filter(|x| x.key.ends_with("attendance_2026-11-23") && pending(x))
        .collect();
    assert!(still.is_empty(), "{still:?}");
    // 80% is at or below the threshold: the digest flags the week.
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let lines = digest_lines(
        std::slice::from_ref(&case),
        p,
        &ReminderSettings::default(),
        day(2026, 11, 30),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("week of Mon 23 Nov at or below the threshold")),
        "{lines:?}"
    );
    let board = managed_moves::view::board(std::slice::from_ref(&case), p, day(2026, 11, 30));
    assert!(
        board[0].text.contains("attendance low (week of 23 Nov)"),
        "{board:?}"
    );
}

#[sqlx::test]
async fn the_baseline_from_the_proposal_is_kept_and_counted_in_the_statistics(pool: SqlitePool) {
    let w = world(pool).await;
    let mut proposal = proposal(HOME, DESTINATION, MoveKind::ManagedMove);
    proposal.baseline_attendance = Some(Percent::parse("baseline", 72.5).unwrap());
    let outcome = w
        .service
        .execute(&w.head_of(HOME), Command::Propose(proposal))
        .await
        .unwrap();
    assert_eq!(
        outcome.case.baseline_attendance.map(|b| b.to_string()),
        Some("72.5%".to_string())
    );
    let stats = w
        .service
        .stats(
            &w.coordinator(),
            Period {
                from: day(2026, 9, 1),
                to: day(2026, 12, 31),
            },
        )
        .await
        .unwrap();
    // No week reported yet: the baseline waits for a placement to compare with.
    assert_eq!(stats.totals.attendance.placements, 0);
    assert_eq!(stats.totals.attendance.baseline, None);
}
