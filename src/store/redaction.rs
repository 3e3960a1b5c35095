//! Redaction: rewriting one event's payload, through the same unlock the retention path
//! uses (the audit trail is append-only otherwise; see migrations/0004). What to write is
//! decided by the service; this only writes the row, inside the caller's transaction.

use super::retention::{relock, unlock};
use super::{Store, StoreError, Tx};
use crate::domain::EventKind;

impl Store {
    /// Replaces the payload of event `seq` of a case (its time, actor and kind stay).
    pub async fn rewrite_event(
        tx: &mut Tx,
        case_id: i64,
        seq: i64,
        kind: &EventKind,
    ) -> Result<(), StoreError> {
        let payload = serde_json::to_string(kind)
            .map_err(|e| StoreError::Corrupt(format!("encoding: {e}")))?;
        unlock(tx, case_id).await?;
        let id = case_id;
        sqlx::query!(
            "UPDATE case_events SET payload = ? WHERE case_id = ? AND seq = ?",
            payload,
            id,
            seq
        )
        .execute(&mut **tx)
        .await?;
        relock(tx, case_id).await
    }
}
