//! The scheduler's queries cost what is due, not what is stored: checked on SQLite's own
//! query plans, and on a table with many future rows and a few due ones.

use chrono::{TimeZone, Utc};

use crate::store::{NewReminder, Store};

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
