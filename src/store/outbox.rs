//! The outbox: notifications written with the events that caused them, delivered later by
//! a sender that marks each one sent only after the far side accepted it.

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError, Tx};

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
