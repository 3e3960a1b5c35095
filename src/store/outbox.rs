//! The outbox: notifications written with the events that caused them, delivered later by
//! a sender that marks each one sent only after the far side accepted it.

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError, Tx};

/// One message for [`Store::enqueue_many`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewOutbox<'a> {
    pub case_id: Option<i64>,
    pub audience: &'a str,
    pub kind: &'a str,
    pub payload: &'a str,
}

#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub audience: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
}

impl Store {
    pub async fn enqueue(
        tx: &mut Tx,
        case_id: Option<i64>,
        audience: &str,
        kind: &str,
        payload: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let created = timestamp(now);
        let id = sqlx::query_scalar!(
            "INSERT INTO outbox (case_id, audience, kind, payload, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            case_id, audience, kind, payload, created
        )
        .fetch_one(&mut **tx)
        .await?;
        Ok(id)
    }

    /// Adds many messages in one statement and returns their ids in the order given.
    ///
    /// The scheduler queues up to a thousand at a time; one statement instead of one per row
    /// is what keeps a catch-up after downtime to a few milliseconds. The ids are chosen
    /// here, as SQLite would (one past the largest), which is safe because the caller holds
    /// the write lock (`BEGIN IMMEDIATE`): it is what lets each reminder name its message
    /// without relying on the order of `RETURNING`, which SQLite leaves unspecified.
    pub async fn enqueue_many(
        tx: &mut Tx,
        rows: &[NewOutbox<'_>],
        now: DateTime<Utc>,
    ) -> Result<Vec<i64>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let last =
            sqlx::query_scalar!(r#"SELECT COALESCE(MAX(id), 0) AS "last!: i64" FROM outbox"#)
                .fetch_one(&mut **tx)
                .await?;
        let ids: Vec<i64> = (1..=rows.len() as i64).map(|n| last + n).collect();
        #[derive(serde::Serialize)]
        struct Item<'a> {
            id: i64,
            #[serde(flatten)]
            row: &'a NewOutbox<'a>,
        }
        let items: Vec<Item> = ids
            .iter()
            .zip(rows)
            .map(|(&id, row)| Item { id, row })
            .collect();
        let json = serde_json::to_string(&items).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let created = timestamp(now);
        sqlx::query!(
            "INSERT INTO outbox (id, case_id, audience, kind, payload, created_at)
             SELECT value ->> 'id', value ->> 'case_id', value ->> 'audience', value ->> 'kind',
                    value ->> 'payload', ?
             FROM json_each(?)",
            created,
            json
        )
        .execute(&mut **tx)
        .await?;
        Ok(ids)
    }

    /// Undelivered messages, oldest first.
    pub async fn unsent(&self, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query_as!(
            OutboxRow,
            "SELECT id, case_id, audience, kind, payload, attempts FROM outbox
             WHERE sent_at IS NULL ORDER BY id LIMIT ?",
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows)
    }

    /// Marks a message delivered. Idempotent: a second mark changes nothing.
    pub async fn mark_sent(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        let at = timestamp(at);
        sqlx::query!(
            "UPDATE outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn note_attempt(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query!("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
