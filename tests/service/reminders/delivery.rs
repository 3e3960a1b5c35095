//! Handing reminders to the outbox: exactly once through crashes and downtime, digests
//! once a school day, the loop that sleeps until woken, and the calendar file.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use managed_moves::service::PartnershipNotification;
use sqlx::SqlitePool;
use tokio::sync::Notify;

use super::*;

#[sqlx::test]
async fn a_crash_between_queued_and_sent_never_duplicates_a_reminder(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 9, 14), 6).await;
    w.clock.set(utc(2026, 10, 5, 7, 0));
    tick(&w).await;
    let (outbox_id, _, _) = queued(&w)
        .await
        .into_iter()
        .find(|(_, k, _)| k == "midpoint_review")
        .unwrap();
    assert_eq!(
        reminder(&w, r, "midpoint_review").await.outbox_id,
        Some(outbox_id)
    );

    // The sender posted it (nonce mm-outbox-<id>) and died before marking it sent. After a
    // restart, ticks find nothing new to queue, and the sender retries the same row, so
    // Discord sees the same nonce and keeps one message.
    for minutes in [0, 1, 60 * 24] {
        w.clock
            .set(utc(2026, 10, 5, 7, 0) + chrono::Duration::minutes(minutes));
        tick(&w).await;
    }
    let midpoint: Vec<_> = queued(&w)
        .await
        .into_iter()
        .filter(|(_, k, _)| k == "midpoint_review")
        .collect();
    assert_eq!(midpoint.len(), 1, "queued once");
    let unsent = w.service.store().unsent(1000).await.unwrap();
    assert!(
        unsent.iter().any(|row| row.id == outbox_id),
        "still waiting, under the same ID"
    );

    w.service
        .store()
        .mark_sent(outbox_id, w.service.now())
        .await
        .unwrap();
    tick(&w).await;
    assert_eq!(
        queued(&w)
            .await
            .iter()
            .filter(|(_, k, _)| k == "midpoint_review")
            .count(),
        1
    );
}

#[sqlx::test]
async fn after_downtime_each_missed_reminder_is_sent_once_marked_late(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 9, 14), 6).await;
    // Down from the start until Wednesday 7 October, 09:30 BST.
    w.clock.set(utc(2026, 10, 7, 8, 30));
    let report = tick(&w).await;
    let sent = queued(&w).await;
    let keys: Vec<&str> = sent.iter().map(|(_, k, _)| k.as_str()).collect();
    for key in ["check_in_3", "midpoint_review_notice", "midpoint_review"] {
        assert_eq!(
            keys.iter().filter(|k| **k == key).count(),
            1,
            "{key} once in {keys:?}"
        );
    }
    // Three missed weekly check-ins make one late reminder, not three.
    for key in ["check_in_1", "check_in_2"] {
        assert!(
            !keys.contains(&key),
            "{key} superseded by check_in_3: {keys:?}"
        );
    }
    assert!(
        sent.iter().all(|(_, _, late)| *late),
        "every one says it is late"
    );
    // And this morning's digest, 1h45 late; not the ones of the days before.
    assert_eq!(
        (report.queued, report.late),
        (sent.len() + 1, sent.len() + 1)
    );
    assert!(!keys.contains(&"final_review"), "not due yet");

    let again = tick(&w).await;
    assert_eq!(again.queued, 0, "a second tick sends nothing again");
    assert_eq!(queued(&w).await.len(), sent.len());
    assert!(reminders(&w, r).await.iter().filter(|x| x.late).count() >= 3);
}

async fn digests(w: &World) -> Vec<PartnershipNotification> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT payload FROM outbox WHERE case_id IS NULL ORDER BY id")
            .fetch_all(w.service.store().pool())
            .await
            .unwrap();
    rows.into_iter()
        .map(|(p,)| serde_json::from_str(&p).unwrap())
        .collect()
}

#[sqlx::test]
async fn digests_go_out_once_per_school_day_and_a_missed_weekly_summary_once_late(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    // Tuesday 24 November 2026: before, at and after 07:45 GMT.
    w.clock.set(utc(2026, 11, 24, 7, 0));
    tick(&w).await;
    assert!(digests(&w).await.is_empty());
    for minute in [45, 46, 50] {
        w.clock.set(utc(2026, 11, 24, 7, minute));
        tick(&w).await;
    }
    let sent = digests(&w).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].notice,
        Notice::Digest {
            on: day(2026, 11, 24),
            late: false
        }
    );
    // Saturday and Sunday have none; Monday's comes at 07:45.
    w.clock.set(utc(2026, 11, 28, 9, 0));
    tick(&w).await;
    w.clock.set(utc(2026, 11, 30, 7, 45));
    tick(&w).await;
    let days: Vec<_> = digests(&w)
        .await
        .into_iter()
        .filter_map(|d| match d.notice {
            Notice::Digest { on, .. } => Some(on),
            _ => None,
        })
        .collect();
    assert_eq!(days, [day(2026, 11, 24), day(2026, 11, 30)]);
    // Friday's weekly summary was missed (no tick from Tuesday to Saturday): sent once, late.
    let weekly: Vec<_> = digests(&w)
        .await
        .into_iter()
        .filter(|d| matches!(d.notice, Notice::WeeklySummary { .. }))
        .collect();
    assert_eq!(weekly.len(), 1);
    assert_eq!(
        weekly[0].notice,
        Notice::WeeklySummary {
            on: day(2026, 11, 27),
            late: true
        }
    );
}

#[sqlx::test]
async fn the_scheduler_sleeps_until_woken_and_stops_on_shutdown(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 9, 14), 6).await;
    let (wake, outbox, stop) = (
        Arc::new(Notify::new()),
        Arc::new(Notify::new()),
        Arc::new(Notify::new()),
    );
    let stopped = stop.clone();
    let handle = managed_moves::scheduler::spawn(
        w.service.clone(),
        wake.clone(),
        outbox.clone(),
        async move { stopped.notified().await },
    );
    w.clock.set(utc(2026, 10, 5, 7, 0));
    wake.notify_one();
    tokio::time::timeout(StdDuration::from_secs(5), outbox.notified())
        .await
        .expect("the sender is woken");
    assert!(!pending(&reminder(&w, r, "midpoint_review").await));
    stop.notify_one();
    tokio::time::timeout(StdDuration::from_secs(5), handle)
        .await
        .expect("stops")
        .unwrap();
}

#[sqlx::test]
async fn a_case_calendar_names_the_case_and_never_the_pupil(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2026, 9, 14), 6).await;
    let schedule = managed_moves::scheduler::case_schedule(&w.service, &w.head_of(HOME), r)
        .await
        .unwrap();
    let ics = managed_moves::scheduler::case_calendar(
        &schedule.case,
        w.service.partnership(),
        w.service.now(),
    );
    assert!(
        ics.contains(&format!("SUMMARY:{r} · Final review")),
        "{ics}"
    );
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20261102"),
        "the real, moved date"
    );
    assert!(!ics.contains("A.B."), "no initials in a calendar");
    let feed =
        managed_moves::scheduler::school_feed(&w.service, &w.head_of(UNINVOLVED), UNINVOLVED)
            .await
            .unwrap();
    assert!(
        !feed.contains(&r.to_string()),
        "a school sees only its own cases"
    );
    assert!(
        managed_moves::scheduler::case_schedule(&w.service, &w.head_of(UNINVOLVED), r)
            .await
            .is_err()
    );
}
