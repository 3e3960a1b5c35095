//! The outbox as a queue with one line per destination (migration 0007): the sender takes
//! the head of every line, a transient failure makes its line wait (`next_attempt_at`), and
//! a permanent one is set aside (a dead letter) with what Discord said, so the line goes on.

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError};

/// One message the sender may deliver now: the oldest pending one of its destination.
#[derive(Debug, Clone)]
pub struct DueRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub audience: String,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    /// `case:<id>`, `seip`, `board` or `coordinators`: order holds within it.
    pub destination: String,
    /// Set after a transient failure: not to be tried before this.
    pub next_attempt_at: Option<DateTime<Utc>>,
}

/// What Discord answered when delivery failed, as kept on the row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryError {
    pub status: Option<u16>,
    pub code: Option<i64>,
    pub message: String,
}

/// Where a message stands, for the admins' list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    WaitingUntil(String),
    SetAside,
}

/// A message not yet delivered, for `/admin outbox` and `managed-moves outbox list`.
#[derive(Debug, Clone)]
pub struct UndeliveredRow {
    pub id: i64,
    pub case_reference: Option<String>,
    pub kind: String,
    pub destination: String,
    pub attempts: i64,
    pub state: OutboxState,
    pub last_error: Option<DeliveryError>,
}

impl Store {
    /// The head of each destination's line, oldest first: the one message of each that may
    /// go next. Later messages of a destination wait behind its head, even while the head
    /// backs off (`next_attempt_at`); set-aside and discarded messages are out of line.
    pub async fn pending_heads(&self, limit: i64) -> Result<Vec<DueRow>, StoreError> {
        let rows = sqlx::query!(
            r#"SELECT o.id AS "id!", o.case_id, o.audience, o.kind, o.payload, o.attempts,
                      o.destination AS "destination!: String", o.next_attempt_at
               FROM outbox o
               WHERE o.sent_at IS NULL AND o.set_aside_at IS NULL AND o.discarded_at IS NULL
                 AND o.id = (SELECT MIN(h.id) FROM outbox h
                             WHERE h.destination = o.destination AND h.sent_at IS NULL
                               AND h.set_aside_at IS NULL AND h.discarded_at IS NULL)
               ORDER BY o.id LIMIT ?"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| DueRow {
                id: r.id,
                case_id: r.case_id,
                audience: r.audience,
                kind: r.kind,
                payload: r.payload,
                attempts: r.attempts,
                destination: r.destination,
                next_attempt_at: r
                    .next_attempt_at
                    .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                    .map(|t| t.to_utc()),
            })
            .collect())
    }

    /// A transient failure: one more attempt, and the line waits until `retry_at`.
    pub async fn delay_delivery(
        &self,
        id: i64,
        retry_at: DateTime<Utc>,
        error: &DeliveryError,
    ) -> Result<(), StoreError> {
        let retry_at = timestamp(retry_at);
        let (status, code) = (error.status.map(i64::from), error.code);
        sqlx::query!(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?,
                    last_status = ?, last_code = ?, last_error = ?
             WHERE id = ? AND sent_at IS NULL",
            retry_at,
            status,
            code,
            error.message,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A permanent failure: kept with what Discord said, out of its line until an admin
    /// retries or discards it.
    pub async fn set_aside(
        &self,
        id: i64,
        at: DateTime<Utc>,
        error: &DeliveryError,
    ) -> Result<(), StoreError> {
        let at = timestamp(at);
        let (status, code) = (error.status.map(i64::from), error.code);
        sqlx::query!(
            "UPDATE outbox SET attempts = attempts + 1, set_aside_at = ?, next_attempt_at = NULL,
                    last_status = ?, last_code = ?, last_error = ?
             WHERE id = ? AND sent_at IS NULL",
            at,
            status,
            code,
            error.message,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// How many messages are set aside: what the board's footer tells the admins.
    pub async fn set_aside_count(&self) -> Result<i64, StoreError> {
        let n = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM outbox
               WHERE sent_at IS NULL AND set_aside_at IS NOT NULL AND discarded_at IS NULL"#
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    /// Every message not delivered and not discarded, oldest first, up to `limit`.
    pub async fn undelivered(&self, limit: i64) -> Result<Vec<UndeliveredRow>, StoreError> {
        let rows = sqlx::query!(
            r#"SELECT o.id AS "id!", c.reference AS "reference?", o.kind, o.attempts,
                      o.destination AS "destination!: String", o.next_attempt_at,
                      o.set_aside_at, o.last_status, o.last_code, o.last_error
               FROM outbox o LEFT JOIN cases c ON c.id = o.case_id
               WHERE o.sent_at IS NULL AND o.discarded_at IS NULL
               ORDER BY o.id LIMIT ?"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let state = match (r.set_aside_at, r.next_attempt_at) {
                    (Some(_), _) => OutboxState::SetAside,
                    (None, Some(at)) => OutboxState::WaitingUntil(at),
                    (None, None) => OutboxState::Pending,
                };
                let last_error = r.last_error.map(|message| DeliveryError {
                    status: r.last_status.and_then(|s| u16::try_from(s).ok()),
                    code: r.last_code,
                    message,
                });
                UndeliveredRow {
                    id: r.id,
                    case_reference: r.reference,
                    kind: r.kind,
                    destination: r.destination,
                    attempts: r.attempts,
                    state,
                    last_error,
                }
            })
            .collect())
    }

    /// Puts an undelivered message back at the head of its line, due now. False if there
    /// is no such message (delivered, discarded, or never existed).
    pub async fn requeue(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query!(
            "UPDATE outbox SET set_aside_at = NULL, next_attempt_at = NULL
             WHERE id = ? AND sent_at IS NULL AND discarded_at IS NULL",
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives up on an undelivered message for good; the row stays, marked. False if there
    /// is no such message.
    pub async fn discard(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let at = timestamp(at);
        let done = sqlx::query!(
            "UPDATE outbox SET discarded_at = ?
             WHERE id = ? AND sent_at IS NULL AND discarded_at IS NULL",
            at,
            id
        )
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records an admin's action for audit.
    pub async fn audit_admin(
        &self,
        at: DateTime<Utc>,
        actor: u64,
        action: &str,
        outbox_id: Option<i64>,
        detail: &str,
    ) -> Result<(), StoreError> {
        let (at, actor) = (timestamp(at), actor as i64);
        sqlx::query!(
            "INSERT INTO admin_audit (at, actor, action, outbox_id, detail) VALUES (?, ?, ?, ?, ?)",
            at,
            actor,
            action,
            outbox_id,
            detail
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets a case's thread and the marks about it, so the next delivery makes a new
    /// one: what healing does when Discord says the thread no longer exists.
    pub async fn forget_case_thread(&self, case_id: i64) -> Result<(), StoreError> {
        // Not the "made again" mark: a thread is made again once only.
        let [asked, intro, ..] = super::thread_marks(case_id);
        let mut tx = self.pool.begin().await?;
        sqlx::query!("DELETE FROM case_threads WHERE case_id = ?", case_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query!("DELETE FROM bot_messages WHERE key IN (?, ?)", asked, intro)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest pending message of a destination (0 if none).
    pub async fn last_pending_in(&self, destination: &str) -> Result<i64, StoreError> {
        let id = sqlx::query_scalar!(
            r#"SELECT COALESCE(MAX(id), 0) AS "id!: i64" FROM outbox
               WHERE destination = ? AND sent_at IS NULL AND set_aside_at IS NULL
                 AND discarded_at IS NULL"#,
            destination
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Marks a destination's pending messages up to `upto` delivered: one redraw of the
    /// board stands for every change queued before it.
    pub async fn mark_sent_through(
        &self,
        destination: &str,
        upto: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let at = timestamp(at);
        sqlx::query!(
            "UPDATE outbox SET sent_at = ?
             WHERE destination = ? AND id <= ? AND sent_at IS NULL AND set_aside_at IS NULL
               AND discarded_at IS NULL",
            at,
            destination,
            upto
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
