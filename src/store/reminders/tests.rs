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

/// The due batch comes back as one JSON array: every field as stored, whatever the text
/// holds, a case's reference beside its reminders, in due order.
#[tokio::test]
async fn the_due_batch_keeps_every_field_as_stored() {
    let store = Store::in_memory().await.unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 8, 0, 0).unwrap();
    sqlx::query(
        "INSERT INTO cases (id, reference, ref_year, ref_number, home_school, destination_school,
                            kind, state, pupil_initials, year_group, version, snapshot,
                            created_at, updated_at)
         VALUES (7, 'MM-2026-0007', 2026, 7, 'a', 'b', 'managed_move', 'active', 'AB', 9, 1,
                 '{}', '', '')",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let odd = "check_in \"3\" \\ é ✓\n";
    sqlx::query(
        "INSERT INTO reminders (id, case_id, key, kind, audience, about_on, due_at, state, late,
                                outbox_id, updated_at)
         VALUES (1, 7, ?, 'check_in', '{\"to\":\"case_thread\"}', '2026-11-25',
                 '2026-11-24T07:00:00.000000Z', 'pending', 0, NULL, ''),
                (2, NULL, 'digest_2026-11-24', 'digest', '{\"to\":\"coordinators\"}',
                 '2026-11-24', '2026-11-24T06:00:00.123456Z', 'pending', 1, NULL, ''),
                (3, 7, 'later', 'check_in', '{}', '2026-11-30',
                 '2026-11-30T07:00:00.000000Z', 'pending', 0, NULL, '')",
    )
    .bind(odd)
    .execute(store.pool())
    .await
    .unwrap();
    let mut tx = store.begin_write().await.unwrap();
    let due = Store::due_reminders(&mut tx, now, 100).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(due.len(), 2, "only what is due");
    let (digest, check_in) = (&due[0], &due[1]);
    assert_eq!(digest.row.id, 2, "oldest first");
    assert_eq!(digest.row.case_id, None);
    assert_eq!(digest.reference, None);
    assert!(digest.row.late);
    assert_eq!(
        digest.row.due_at,
        Utc.with_ymd_and_hms(2026, 11, 24, 6, 0, 0).unwrap()
            + chrono::Duration::microseconds(123_456)
    );
    assert_eq!(check_in.row.key, odd);
    assert_eq!(check_in.row.case_id, Some(7));
    assert_eq!(check_in.reference.as_deref(), Some("MM-2026-0007"));
    assert_eq!(check_in.row.audience, "{\"to\":\"case_thread\"}");
    assert_eq!(check_in.row.about_on.to_string(), "2026-11-25");
    assert!(!check_in.row.late);
    assert_eq!(check_in.row.outbox_id, None);
    let mut tx = store.begin_write().await.unwrap();
    let one = Store::due_reminders(&mut tx, now, 1).await.unwrap();
    assert_eq!(one.iter().map(|d| d.row.id).collect::<Vec<_>>(), [2]);
    let none = Store::due_reminders(&mut tx, now - chrono::Duration::days(1), 10)
        .await
        .unwrap();
    assert!(none.is_empty());
}
