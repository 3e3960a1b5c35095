//! Interaction receipts: which Discord interaction caused which of a case's events, written
//! in the command's own transaction, so a second delivery of the same decision (a replayed
//! interaction, a double click) is answered from the first instead of recorded again.

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError, StoredEvent, Tx};
use crate::domain::Event;

/// A command already recorded for an interaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub interaction_id: u64,
    pub case_id: i64,
    pub first_seq: i64,
    pub last_seq: i64,
}

/// What to look for before recording a command from Discord.
#[derive(Debug, Clone, Copy)]
pub struct ReceiptQuery {
    pub interaction_id: u64,
    pub actor: u64,
    /// `None` when no earlier command can count as the same one (a new case).
    pub fingerprint: Option<u64>,
    /// Only commands recorded at or after this count as repeats.
    pub since: DateTime<Utc>,
}

impl Store {
    /// The receipt of this very interaction, or else of the same person's same command
    /// since `since`. Called inside the write transaction, so two deliveries racing each
    /// other are serialised by the write lock and the second sees the first's receipt.
    pub async fn find_receipt(
        tx: &mut Tx,
        q: &ReceiptQuery,
    ) -> Result<Option<Receipt>, StoreError> {
        let id = q.interaction_id as i64;
        let actor = q.actor as i64;
        let fingerprint = q.fingerprint.map(|f| f as i64);
        let since = timestamp(q.since);
        let row = sqlx::query!(
            r#"SELECT interaction_id AS "interaction_id!: i64", case_id, first_seq, last_seq
               FROM interaction_receipts
               WHERE interaction_id = ?1
                  OR (actor = ?2 AND fingerprint = ?3 AND fingerprint IS NOT NULL AND at >= ?4)
               ORDER BY interaction_id = ?1 DESC, at
               LIMIT 1"#,
            id,
            actor,
            fingerprint,
            since
        )
        .fetch_optional(&mut **tx)
        .await?;
        Ok(row.map(|r| Receipt {
            interaction_id: r.interaction_id as u64,
            case_id: r.case_id,
            first_seq: r.first_seq,
            last_seq: r.last_seq,
        }))
    }

    /// Records that `q.interaction_id` caused the case's events `first_seq..=last_seq`.
    /// The interaction ID is the primary key: a second receipt for it fails the transaction.
    pub async fn insert_receipt(
        tx: &mut Tx,
        q: &ReceiptQuery,
        case_id: i64,
        first_seq: i64,
        last_seq: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let id = q.interaction_id as i64;
        let actor = q.actor as i64;
        let fingerprint = q.fingerprint.map(|f| f as i64);
        let at = timestamp(at);
        sqlx::query!(
            "INSERT INTO interaction_receipts
                 (interaction_id, case_id, first_seq, last_seq, actor, fingerprint, at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            id,
            case_id,
            first_seq,
            last_seq,
            actor,
            fingerprint,
            at
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// The events a receipt names, oldest first: what the first delivery answered.
    pub async fn receipt_events(tx: &mut Tx, receipt: &Receipt) -> Result<Vec<Event>, StoreError> {
        let rows = sqlx::query!(
            "SELECT seq, at, actor, payload FROM case_events
             WHERE case_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            receipt.case_id,
            receipt.first_seq,
            receipt.last_seq
        )
        .fetch_all(&mut **tx)
        .await?;
        rows.into_iter()
            .map(|r| super::cases::decode_event(r.seq, &r.at, r.actor, &r.payload))
            .map(|e| e.map(|StoredEvent { event, .. }| event))
            .collect()
    }

    /// A case by its row ID (inside a transaction).
    pub async fn load_case_by_id(
        tx: &mut Tx,
        case_id: i64,
    ) -> Result<Option<crate::domain::Case>, StoreError> {
        let row = sqlx::query_scalar!("SELECT snapshot FROM cases WHERE id = ?", case_id)
            .fetch_optional(&mut **tx)
            .await?;
        row.map(|s| super::cases::decode_case(&s)).transpose()
    }
}
