//! Escalation over a real database (issue 15): an overdue step is queued once to its owner,
//! once more to the coordinators a period later, never again across a re-plan (a restart
//! re-plans every case); a snooze puts both off; a coordinator's ping is audited.

use managed_moves::domain::{Action, EventKind, MoveKind, RefusalKind};
use managed_moves::scheduler::replan_all;
use managed_moves::service::{Audience, Notice};
use sqlx::SqlitePool;

use super::*;

/// Proposed Tuesday 24 November 2026 at 10:00: the answer is due Friday 27th, overdue
/// (the head reminded) Tuesday 1 December, escalated Thursday 3rd.
async fn proposed(w: &World) -> CaseRef {
    w.clock.set(utc(2026, 11, 24, 10, 0));
    w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await
}

async fn queued_rows(w: &World) -> Vec<(String, String)> {
    sqlx::query_as("SELECT audience, payload FROM outbox WHERE kind = 'reminder' ORDER BY id")
        .fetch_all(w.service.store().pool())
        .await
        .unwrap()
}

#[sqlx::test]
async fn an_overdue_step_is_reminded_once_then_escalated_once_across_a_restart(pool: SqlitePool) {
    let w = world(pool).await;
    let r = proposed(&w).await;
    w.clock.set(utc(2026, 11, 30, 9, 0));
    tick(&w).await;
    assert!(
        queued_keys(&w).await.is_empty(),
        "overdue, not yet reminded"
    );
    w.clock.set(utc(2026, 12, 1, 8, 0));
    tick(&w).await;
    assert_eq!(queued_keys(&w).await, ["overdue_answer_proposal"]);
    let rows = queued_rows(&w).await;
    let n: Notification = serde_json::from_str(&rows[0].1).unwrap();
    assert_eq!(
        n.audience,
        Audience::Head {
            school: school(DESTINATION)
        }
    );
    // A restart re-plans every case; ticks later that day and the next send nothing new.
    replan_all(&w.service).await.unwrap();
    w.clock.set(utc(2026, 12, 2, 8, 0));
    tick(&w).await;
    assert_eq!(queued_keys(&w).await.len(), 1);
    w.clock.set(utc(2026, 12, 3, 8, 0));
    tick(&w).await;
    replan_all(&w.service).await.unwrap();
    tick(&w).await;
    w.clock.set(utc(2026, 12, 8, 8, 0));
    tick(&w).await;
    assert_eq!(
        queued_keys(&w).await,
        ["overdue_answer_proposal", "escalated_answer_proposal"]
    );
    let rows = queued_rows(&w).await;
    let n: Notification = serde_json::from_str(&rows[1].1).unwrap();
    assert_eq!(n.audience, Audience::Coordinators);
    // Answered: nothing is left to remind.
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    assert!(reminders(&w, r)
        .await
        .iter()
        .filter(|x| pending(x))
        .all(|x| !x.key.ends_with("answer_proposal")));
}

#[sqlx::test]
async fn a_snoozed_step_is_silent_until_its_new_day(pool: SqlitePool) {
    let w = world(pool).await;
    let r = proposed(&w).await;
    w.clock.set(utc(2026, 11, 30, 10, 0));
    let snooze = Action::SnoozeReminder {
        key: "answer_proposal".into(),
        until: day(2026, 12, 7),
        reason: text("The head is back on Monday."),
    };
    w.act(&w.coordinator(), r, snooze).await;
    for (d, h) in [(1, 8), (3, 8), (4, 8)] {
        w.clock.set(utc(2026, 12, d, h, 0));
        tick(&w).await;
    }
    assert!(queued_keys(&w).await.is_empty(), "silenced by the snooze");
    w.clock.set(utc(2026, 12, 7, 8, 0));
    tick(&w).await;
    assert_eq!(queued_keys(&w).await, ["overdue_answer_proposal"]);
    w.clock.set(utc(2026, 12, 9, 8, 0));
    tick(&w).await;
    assert_eq!(
        queued_keys(&w).await,
        ["overdue_answer_proposal", "escalated_answer_proposal"]
    );
}

#[sqlx::test]
async fn a_coordinators_ping_is_audited_and_calls_on_the_owing_head_in_the_thread(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let r = proposed(&w).await;
    let ping = Action::PingOwner {
        step: "answer_proposal".into(),
    };
    let events = w.count("case_events").await;
    let early = w.refused(&w.coordinator(), r, ping.clone()).await;
    assert_eq!(early.kind, RefusalKind::InvalidInput, "not overdue yet");
    w.clock.set(utc(2026, 11, 30, 10, 0));
    let head = w.refused(&w.head_of(HOME), r, ping.clone()).await;
    assert_eq!(head.kind, RefusalKind::NotPermitted);
    assert_eq!(
        w.count("case_events").await,
        events,
        "refusals write nothing"
    );
    w.notifier.take();
    w.act(&w.coordinator(), r, ping).await;
    let told = w.notifier.take();
    assert!(told.iter().any(|n| n.audience == Audience::CaseThread
        && n.notice
            == Notice::OwnerPinged {
                step: "answer_proposal".into()
            }));
    let history = w.service.history(&w.coordinator(), r).await.unwrap();
    let last = &history.last().unwrap().event;
    assert_eq!(last.by, w.coordinator().user);
    assert!(
        matches!(&last.kind, EventKind::OwnerPinged { owner, .. } if owner == "Hillcrest School head")
    );
}

/// A case stored by an older version (or under another calendar) is filed on the board by
/// the day it was then given; the start-up re-plan files it by its next step's due day.
#[sqlx::test]
async fn the_start_up_re_plan_files_a_case_again_by_its_next_steps_due_day(pool: SqlitePool) {
    let w = world(pool).await;
    let r = proposed(&w).await;
    let stored = || async {
        let due: Option<String> =
            sqlx::query_scalar("SELECT next_due_on FROM cases WHERE reference = ?")
                .bind(r.to_string())
                .fetch_one(w.service.store().pool())
                .await
                .unwrap();
        due
    };
    assert_eq!(
        stored().await.as_deref(),
        Some("2026-11-27"),
        "the answer's day"
    );
    sqlx::query("UPDATE cases SET next_due_on = NULL")
        .execute(w.service.store().pool())
        .await
        .unwrap();
    replan_all(&w.service).await.unwrap();
    assert_eq!(stored().await.as_deref(), Some("2026-11-27"));
}
