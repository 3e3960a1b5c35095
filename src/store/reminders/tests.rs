//! The scheduler's queries cost what is due, not what is stored: checked on SQLite's own
//! query plans, and on a table with many future rows and a few due ones.

use chrono::{TimeZone, Utc};

use crate::store::{NewOutbox, NewReminder, Store};

/// The query plan's detail lines for a statement.
async fn plan(store: &Store, sql: &'static str) -> Vec<String> {
    let rows: Vec<(i64, i64, i64, String)> =
        sqlx::query_as(sql).fetch_all(store.pool()).await.unwrap();
    rows.into_iter().map(|r| r.3).collect()
}

#[tokio::test]
async fn the_due_query_and_the_next_due_time_use_the_index() {
    let store = Store::in_memory().await.unwrap();
    // Keep in step with `Store::due_reminders` and `Store::next_reminder_due`.
    let due = plan(
        &store,
        "EXPLAIN QUERY PLAN
         SELECT r.id, r.case_id, r.key, r.kind, r.audience, r.about_on, r.due_at, r.state,
                r.late, r.outbox_id, c.reference
         FROM reminders r LEFT JOIN cases c ON c.id = r.case_id
         WHERE r.state = 'pending' AND r.due_at <= '2026-11-24T08:00:00.000000Z'
         ORDER BY r.due_at, r.id
         LIMIT 100",
    )
    .await;
    assert!(
        due[0].contains("USING INDEX reminders_due (state=? AND due_at<?)"),
        "{due:?}"
    );
    assert!(
        due.iter().all(|d| !d.starts_with("SCAN")),
        "no full scan: {due:?}"
    );
    let next = plan(
        &store,
        "EXPLAIN QUERY PLAN SELECT MIN(due_at) FROM reminders WHERE state = 'pending'",
    )
    .await;
    assert!(next.iter().any(|d| d.contains("reminders_due")), "{next:?}");
}

#[tokio::test]
async fn many_future_reminders_and_a_few_due_ones() {
    let store = Store::in_memory().await.unwrap();
    // 20 000 partnership-wide rows due in 2030, as if from many cases.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO reminders (case_id, key, kind, audience, about_on, due_at, updated_at)
         SELECT NULL, 'future_' || i, 'weekly_summary', '{\"to\":\"coordinators\"}', '2030-01-01',
                '2030-01-01T08:00:00.000000Z', '2026-01-01T00:00:00.000000Z' FROM n",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    let mut tx = store.begin_write().await.unwrap();
    for (i, key) in ["a", "b", "c"].into_iter().enumerate() {
        let r = NewReminder {
            key,
            kind: "digest",
            audience: "{\"to\":\"coordinators\"}",
            about_on: now.date_naive(),
            due_at: now - chrono::Duration::minutes(i as i64),
        };
        assert!(Store::ensure_partnership_reminder(&mut tx, &r, now)
            .await
            .unwrap());
        assert!(
            !Store::ensure_partnership_reminder(&mut tx, &r, now)
                .await
                .unwrap(),
            "once per key"
        );
    }
    let due = Store::due_reminders(&mut tx, now, 100).await.unwrap();
    let keys: Vec<&str> = due.iter().map(|d| d.row.key.as_str()).collect();
    assert_eq!(keys, ["c", "b", "a"], "only what is due, oldest first");
    tx.rollback().await.unwrap();
}

#[tokio::test]
async fn a_batch_queues_each_reminder_with_its_own_message() {
    let store = Store::in_memory().await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    let mut tx = store.begin_write().await.unwrap();
    // A message already in the outbox: the batch's ids follow it.
    let earlier = Store::enqueue(&mut tx, None, "coordinators", "digest", "{}", now)
        .await
        .unwrap();
    for key in ["a", "b", "c", "d"] {
        let r = NewReminder {
            key,
            kind: "digest",
            audience: "{\"to\":\"coordinators\"}",
            about_on: now.date_naive(),
            due_at: now,
        };
        Store::ensure_partnership_reminder(&mut tx, &r, now)
            .await
            .unwrap();
    }
    let due = Store::due_reminders(&mut tx, now, 100).await.unwrap();
    let id = |key: &str| due.iter().find(|d| d.row.key == key).unwrap().row.id;
    let payloads: Vec<String> = ["a", "b", "c"]
        .iter()
        .map(|k| format!("{{\"key\":\"{k}\"}}"))
        .collect();
    let messages: Vec<NewOutbox> = payloads
        .iter()
        .map(|payload| NewOutbox {
            case_id: None,
            audience: "coordinators",
            kind: "digest",
            payload,
        })
        .collect();
    let ids = Store::enqueue_many(&mut tx, &messages, now).await.unwrap();
    assert_eq!(ids, [earlier + 1, earlier + 2, earlier + 3]);
    let queued = [
        (id("a"), false, ids[0]),
        (id("b"), true, ids[1]),
        (id("c"), false, ids[2]),
    ];
    Store::mark_reminders_queued(&mut tx, &queued, now)
        .await
        .unwrap();
    Store::cancel_reminders(&mut tx, &[id("c"), id("d")], now)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let rows: Vec<(String, String, bool, Option<String>)> = sqlx::query_as(
        "SELECT r.key, r.state, r.late, o.payload FROM reminders r
         LEFT JOIN outbox o ON o.id = r.outbox_id ORDER BY r.key",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let payload = |k: &str| Some(format!("{{\"key\":\"{k}\"}}"));
    assert_eq!(
        rows,
        [
            ("a".into(), "queued".into(), false, payload("a")),
            ("b".into(), "queued".into(), true, payload("b")),
            // Queued already: a cancel touches only pending rows.
            ("c".into(), "queued".into(), false, payload("c")),
            ("d".into(), "cancelled".into(), false, None),
        ]
    );
}

/// Keep in step with `Store::mark_reminders_queued` and `Store::cancel_reminders`: a batch
/// is looked up by id, never by walking every pending reminder through the state index.
#[tokio::test]
async fn a_batch_finds_its_reminders_by_id() {
    let store = Store::in_memory().await.unwrap();
    for sql in [
        "EXPLAIN QUERY PLAN
         UPDATE reminders SET state = 'queued', queued_at = '', late = q.late,
                outbox_id = q.outbox_id, updated_at = ''
         FROM (SELECT value ->> 0 AS id, value ->> 1 AS late, value ->> 2 AS outbox_id
               FROM json_each('[[1,0,1]]')) AS q
         WHERE reminders.id = q.id AND +reminders.state = 'pending'",
        "EXPLAIN QUERY PLAN
         UPDATE reminders SET state = 'cancelled', updated_at = ''
         WHERE +state = 'pending' AND id IN (SELECT value FROM json_each('[1]'))",
    ] {
        let details = plan(&store, sql).await;
        assert!(
            details
                .iter()
                .any(|d| d.contains("SEARCH reminders USING INTEGER PRIMARY KEY")),
            "{details:?}"
        );
        assert!(
            details.iter().all(|d| !d.contains("reminders_due")),
            "{details:?}"
        );
    }
}
