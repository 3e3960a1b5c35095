//! The stored schedule: local times across clock changes, school days, rescheduling,
//! snoozing and closing a case.

use managed_moves::domain::{Action, ReviewKind};
use sqlx::SqlitePool;

use super::*;

/// Started Monday 14 September 2026 for 6 weeks: the midpoint review falls on Monday 5
/// October (BST), the final on Monday 26 October, in half-term, after the clocks go back.
async fn autumn_case(w: &World) -> CaseRef {
    active_case(w, day(2026, 9, 14), 6).await
}

#[sqlx::test]
async fn reminders_go_out_at_eight_local_time_before_and_after_the_clock_change(pool: SqlitePool) {
    let w = world(pool).await;
    let r = autumn_case(&w).await;
    assert_eq!(
        reminder(&w, r, "midpoint_review").await.due_at,
        utc(2026, 10, 5, 7, 0),
        "08:00 BST"
    );
    assert_eq!(
        reminder(&w, r, "final_review").await.due_at,
        utc(2026, 11, 2, 8, 0),
        "08:00 GMT"
    );

    w.clock.set(utc(2026, 10, 5, 6, 59));
    tick(&w).await;
    assert!(
        !queued_keys(&w)
            .await
            .contains(&"midpoint_review".to_string()),
        "not before 08:00 BST"
    );
    w.clock.set(utc(2026, 10, 5, 7, 0));
    tick(&w).await;
    assert!(queued_keys(&w)
        .await
        .contains(&"midpoint_review".to_string()));

    w.clock.set(utc(2026, 11, 2, 7, 59));
    tick(&w).await;
    assert!(
        !queued_keys(&w).await.contains(&"final_review".to_string()),
        "07:59 GMT is too early"
    );
    w.clock.set(utc(2026, 11, 2, 8, 0));
    tick(&w).await;
    let keys = queued_keys(&w).await;
    assert_eq!(keys.iter().filter(|k| *k == "final_review").count(), 1);
    for (_, key, late) in queued(&w).await {
        // The review days themselves; a review overdue since October was caught up late.
        if key == "midpoint_review" || key == "final_review" {
            assert!(!late, "{key} was queued on time");
        }
    }
}

#[sqlx::test]
async fn a_review_in_half_term_or_on_a_bank_holiday_moves_to_the_next_school_day(pool: SqlitePool) {
    let w = world(pool).await;
    let r = autumn_case(&w).await;
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let agreement = case.agreement.unwrap();
    assert_eq!(
        agreement.final_review,
        day(2026, 11, 2),
        "26 October is half-term"
    );
    assert_eq!(
        reminder(&w, r, "final_review").await.about_on,
        day(2026, 11, 2)
    );

    // Three weeks from Monday 12 April 2027 ends on the early May bank holiday.
    let spring = active_case(&w, day(2027, 4, 12), 3).await;
    let case = w.service.show(&w.coordinator(), spring).await.unwrap();
    assert_eq!(case.agreement.unwrap().final_review, day(2027, 5, 4));
    assert_eq!(
        reminder(&w, spring, "final_review").await.due_at,
        utc(2027, 5, 4, 7, 0)
    );
}

#[sqlx::test]
async fn rescheduling_a_review_replaces_its_reminder(pool: SqlitePool) {
    let w = world(pool).await;
    let r = autumn_case(&w).await;
    let before = reminder(&w, r, "midpoint_review").await;
    let reason = text("Parent unavailable.");
    let move_to = |on| Action::RescheduleReview {
        review: ReviewKind::Midpoint,
        on,
        reason: reason.clone(),
    };
    w.act(&w.coordinator(), r, move_to(day(2026, 10, 8))).await;
    let after = reminder(&w, r, "midpoint_review").await;
    assert_eq!(
        (after.id, after.due_at),
        (before.id, utc(2026, 10, 8, 7, 0)),
        "same row, new time"
    );
    assert!(pending(&after));
    let notice = reminder(&w, r, "midpoint_review_notice").await;
    assert_eq!(notice.about_on, day(2026, 10, 8));

    w.clock.set(utc(2026, 10, 5, 9, 0));
    tick(&w).await;
    assert!(
        !queued_keys(&w)
            .await
            .contains(&"midpoint_review".to_string()),
        "the old day is quiet"
    );
    w.clock.set(utc(2026, 10, 8, 7, 0));
    tick(&w).await;
    assert_eq!(
        queued_keys(&w)
            .await
            .iter()
            .filter(|k| *k == "midpoint_review")
            .count(),
        1
    );

    // Sent already; moved again to a later day, it goes out once more, on that day.
    w.act(&w.head_of(DESTINATION), r, move_to(day(2026, 10, 13)))
        .await;
    assert!(pending(&reminder(&w, r, "midpoint_review").await));
    w.clock.set(utc(2026, 10, 13, 7, 0));
    tick(&w).await;
    assert_eq!(
        queued_keys(&w)
            .await
            .iter()
            .filter(|k| *k == "midpoint_review")
            .count(),
        2
    );
}

#[sqlx::test]
async fn a_terminated_case_cancels_its_pending_reminders(pool: SqlitePool) {
    let w = world(pool).await;
    let r = autumn_case(&w).await;
    assert!(reminders(&w, r).await.iter().filter(|x| pending(x)).count() >= 4);
    w.clock.set(utc(2026, 9, 22, 10, 0));
    let reason = text("Persistent failure to meet targets.");
    w.act(&w.head_of(DESTINATION), r, Action::Terminate { reason })
        .await;
    w.reintegrate(r, day(2026, 9, 22)).await;
    // Only the follow-up one term on (due Wednesday 6 January 2027) is left to send: as an
    // owed step, to its owner once overdue, then to the coordinators.
    let left: Vec<String> = reminders(&w, r)
        .await
        .iter()
        .filter(|x| pending(x))
        .map(|x| x.key.clone())
        .collect();
    assert_eq!(
        left,
        ["overdue_follow_up", "escalated_follow_up"],
        "nothing else left to send"
    );
    w.clock.set(utc(2027, 1, 1, 10, 0));
    tick(&w).await;
    assert!(queued_keys(&w).await.is_empty());
}

#[sqlx::test]
async fn a_snooze_is_an_event_and_moves_the_reminder(pool: SqlitePool) {
    let w = world(pool).await;
    let r = autumn_case(&w).await;
    let snooze = Action::SnoozeReminder {
        key: "midpoint_review".into(),
        until: day(2026, 10, 10),
        reason: text("Head away that week."),
    };
    w.act(&w.head_of(HOME), r, snooze.clone()).await;
    // Saturday 10 October: the next school day, Monday 12th, at 08:00 BST.
    assert_eq!(
        reminder(&w, r, "midpoint_review").await.due_at,
        utc(2026, 10, 12, 7, 0)
    );
    let history = w.service.history(&w.coordinator(), r).await.unwrap();
    assert_eq!(
        history.last().unwrap().event.kind.name(),
        "reminder_snoozed"
    );
    let refused = w.refused(&w.staff_of(DESTINATION), r, snooze).await;
    assert_eq!(
        refused.kind,
        managed_moves::domain::RefusalKind::NotPermitted
    );
}

#[sqlx::test]
async fn planning_never_schedules_into_the_past(pool: SqlitePool) {
    let w = world(pool).await;
    w.clock.set(utc(2026, 9, 7, 14, 0));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    // Tomorrow at 10:00: the day-before reminder (today 08:00) has gone, the morning one not.
    let at = utc(2026, 9, 8, 9, 0);
    w.act(
        &w.coordinator(),
        r,
        Action::ScheduleMeeting { at, place: None },
    )
    .await;
    let keys: Vec<String> = reminders(&w, r)
        .await
        .into_iter()
        .filter(pending)
        .map(|x| x.key)
        // The steps the case owes are reminded once overdue: days ahead, not in the past.
        .filter(|key| !key.starts_with("overdue_") && !key.starts_with("escalated_"))
        .collect();
    assert_eq!(keys, ["meeting_today"]);
    assert_eq!(
        reminder(&w, r, "meeting_today").await.due_at,
        utc(2026, 9, 8, 7, 0)
    );
}
