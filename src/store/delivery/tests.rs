//! The outbox's lines: one per destination, each in order, none held up by another.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{DeliveryError, OutboxState};
use crate::store::Store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap()
}

async fn case(store: &Store, id: i64) {
    sqlx::query(
        "INSERT INTO cases (id, reference, ref_year, ref_number, home_school, destination_school,
                            kind, state, pupil_initials, year_group, version, snapshot,
                            created_at, updated_at)
         VALUES (?, 'MM-2026-' || printf('%04d', ?), 2026, ?, 'a', 'b', 'managed_move',
                 'proposed', 'A.B.', 9, 1, '{}', '', '')",
    )
    .bind(id)
    .bind(id)
    .bind(id)
    .execute(store.pool())
    .await
    .unwrap();
}

/// Queues (case, audience, kind) in this order; returns their ids.
async fn queue(store: &Store, rows: &[(Option<i64>, &str, &str)]) -> Vec<i64> {
    let mut tx = store.begin_write().await.unwrap();
    let mut ids = Vec::new();
    for (case_id, audience, kind) in rows {
        ids.push(
            Store::enqueue(&mut tx, *case_id, audience, kind, "{}", now())
                .await
                .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

async fn heads(store: &Store) -> Vec<(i64, String)> {
    store
        .pending_heads(50)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.id, r.destination))
        .collect()
}

fn failure(status: u16, code: i64) -> DeliveryError {
    DeliveryError {
        status: Some(status),
        code: Some(code),
        message: "Unknown Channel".into(),
    }
}

#[tokio::test]
async fn each_destination_offers_only_its_oldest_pending_message() {
    let store = Store::in_memory().await.unwrap();
    case(&store, 1).await;
    case(&store, 2).await;
    let ids = queue(
        &store,
        &[
            (Some(1), "case_thread", "case_event"),
            (Some(1), "head", "proposal_received"),
            (Some(2), "case_thread", "case_event"),
            (Some(1), "coordinators", "board_changed"),
            (Some(2), "seip", "panel_decision_needed"),
            (Some(2), "coordinators", "board_changed"),
            (None, "coordinators", "digest"),
        ],
    )
    .await;
    let got = heads(&store).await;
    assert_eq!(
        got,
        vec![
            (ids[0], "case:1".to_string()),
            (ids[2], "case:2".to_string()),
            (ids[3], "board".to_string()),
            (ids[4], "seip".to_string()),
            (ids[6], "coordinators".to_string()),
        ]
    );
}

#[tokio::test]
async fn a_waiting_destination_holds_back_only_its_own_later_messages() {
    let store = Store::in_memory().await.unwrap();
    case(&store, 1).await;
    case(&store, 2).await;
    let ids = queue(
        &store,
        &[
            (Some(1), "case_thread", "case_event"),
            (Some(1), "case_thread", "case_event"),
            (Some(2), "case_thread", "case_event"),
        ],
    )
    .await;
    let later = now() + Duration::seconds(30);
    store
        .delay_delivery(ids[0], later, &failure(500, 0))
        .await
        .unwrap();
    // Case 1's head waits, and its second message stays behind it; case 2 is offered too.
    let got = store.pending_heads(50).await.unwrap();
    let got: Vec<_> = got
        .iter()
        .map(|r| (r.id, r.destination.as_str(), r.next_attempt_at, r.attempts))
        .collect();
    assert_eq!(
        got,
        vec![
            (ids[0], "case:1", Some(later), 1),
            (ids[2], "case:2", None, 0),
        ]
    );
}

#[tokio::test]
async fn a_set_aside_message_leaves_its_line_and_is_listed_with_its_error() {
    let store = Store::in_memory().await.unwrap();
    case(&store, 1).await;
    let ids = queue(
        &store,
        &[
            (Some(1), "case_thread", "case_event"),
            (Some(1), "case_thread", "case_event"),
        ],
    )
    .await;
    store
        .set_aside(ids[0], now(), &failure(404, 10003))
        .await
        .unwrap();
    assert_eq!(heads(&store).await, vec![(ids[1], "case:1".into())]);
    assert_eq!(store.set_aside_count().await.unwrap(), 1);
    let listed = store.undelivered(10).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].state, OutboxState::SetAside);
    assert_eq!(listed[0].case_reference.as_deref(), Some("MM-2026-0001"));
    assert_eq!(listed[0].attempts, 1);
    assert_eq!(listed[0].last_error, Some(failure(404, 10003)));
    assert_eq!(listed[1].state, OutboxState::Pending);

    // Retried: back in line, at its head; discarded: gone from every list.
    assert!(store.requeue(ids[0]).await.unwrap());
    assert_eq!(heads(&store).await, vec![(ids[0], "case:1".into())]);
    assert!(store.discard(ids[0], now()).await.unwrap());
    assert!(!store.discard(ids[0], now()).await.unwrap());
    assert!(!store.requeue(ids[0]).await.unwrap());
    assert_eq!(heads(&store).await, vec![(ids[1], "case:1".into())]);
    assert_eq!(store.set_aside_count().await.unwrap(), 0);
    assert_eq!(store.undelivered(10).await.unwrap().len(), 1);
}

#[tokio::test]
async fn finding_each_destination_s_head_uses_the_destination_index() {
    let store = Store::in_memory().await.unwrap();
    // Keep in step with `Store::pending_heads`.
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(
        "EXPLAIN QUERY PLAN
         SELECT o.id FROM outbox o
         WHERE o.sent_at IS NULL AND o.set_aside_at IS NULL AND o.discarded_at IS NULL
           AND o.id = (SELECT MIN(h.id) FROM outbox h
                       WHERE h.destination = o.destination AND h.sent_at IS NULL
                         AND h.set_aside_at IS NULL AND h.discarded_at IS NULL)
         ORDER BY o.id LIMIT 1000",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
    assert!(
        plan.iter().any(|d| d.contains("USING INDEX outbox_unsent")),
        "{plan:?}"
    );
    assert!(
        plan.iter()
            .any(|d| d.contains("USING INDEX outbox_pending_by_destination (destination=?)")),
        "{plan:?}"
    );
}
