//! Retention: finding closed cases past the policy's age, and the one path that may rewrite
//! (anonymise) or delete (purge) a case's events (see migrations/0004_retention.sql).
//! What to write is decided by the service; this file only reads and writes rows, inside the
//! caller's transaction.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::cases::timestamp;
use super::{Store, StoreError, Tx};
use crate::domain::{Case, Event, UserId};

/// A closed case old enough for the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionCandidate {
    pub id: i64,
    pub reference: String,
    pub state: String,
    /// When its last event (the one that closed it) happened.
    pub closed_at: DateTime<Utc>,
    pub events: i64,
}

/// One line of the retention log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionLogEntry {
    pub at: DateTime<Utc>,
    pub actor: UserId,
    pub action: String,
    pub case_reference: String,
    pub state: String,
    pub closed_at: DateTime<Utc>,
    pub events: i64,
    pub policy_years: i64,
}

/// Who ran retention, when, under which policy: written to the retention log.
#[derive(Debug, Clone, Copy)]
pub struct RetentionNote {
    pub at: DateTime<Utc>,
    pub actor: UserId,
    pub policy_years: u16,
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("retention time: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("encoding: {e}")))
}

impl Store {
    /// Closed cases whose last event is before `cutoff`, oldest first. With `anonymise`,
    /// cases already anonymised are left out.
    pub async fn retention_candidates(
        conn: &mut SqliteConnection,
        cutoff: DateTime<Utc>,
        anonymise: bool,
    ) -> Result<Vec<RetentionCandidate>, StoreError> {
        let cutoff = timestamp(cutoff);
        let rows = sqlx::query!(
            r#"SELECT c.id AS "id!: i64", c.reference, c.state, c.updated_at, c.version
               FROM cases c
               WHERE c.state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                 AND c.updated_at < ?1
                 AND NOT (?2 AND EXISTS (SELECT 1 FROM retention_log r
                                         WHERE r.case_id = c.id AND r.action = 'anonymised'))
               ORDER BY c.updated_at, c.id"#,
            cutoff,
            anonymise
        )
        .fetch_all(conn)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(RetentionCandidate {
                    id: r.id,
                    reference: r.reference,
                    state: r.state,
                    closed_at: parse_time(&r.updated_at)?,
                    events: r.version,
                })
            })
            .collect()
    }

    /// A case's events with their positions, read inside the retention transaction.
    pub async fn events_for_retention(
        tx: &mut Tx,
        case_id: i64,
    ) -> Result<Vec<(i64, Event)>, StoreError> {
        let rows = sqlx::query!(
            "SELECT seq, at, actor, payload FROM case_events WHERE case_id = ? ORDER BY seq",
            case_id
        )
        .fetch_all(&mut **tx)
        .await?;
        rows.into_iter()
            .map(|r| {
                let kind = serde_json::from_str(&r.payload)
                    .map_err(|e| StoreError::Corrupt(format!("event payload: {e}")))?;
                Ok((
                    r.seq,
                    Event {
                        by: UserId(r.actor as u64),
                        at: parse_time(&r.at)?,
                        kind,
                    },
                ))
            })
            .collect()
    }

    /// Rewrites a closed case's events and snapshot without the pupil's details, and logs
    /// it. `events` are the case's events, redacted, with their positions; `case` is the
    /// case folded from them.
    pub async fn anonymise_case(
        tx: &mut Tx,
        candidate: &RetentionCandidate,
        events: &[(i64, Event)],
        case: &Case,
        note: RetentionNote,
    ) -> Result<(), StoreError> {
        let id = candidate.id;
        unlock(tx, id).await?;
        for (seq, event) in events {
            let payload = json(&event.kind)?;
            sqlx::query!(
                "UPDATE case_events SET payload = ? WHERE case_id = ? AND seq = ?",
                payload,
                id,
                seq
            )
            .execute(&mut **tx)
            .await?;
        }
        relock(tx, id).await?;
        let snapshot = json(case)?;
        let initials = case.pupil.initials.as_str();
        let changed = sqlx::query!(
            "UPDATE cases SET snapshot = ?, pupil_initials = ? WHERE id = ? AND version = ?",
            snapshot,
            initials,
            id,
            candidate.events
        )
        .execute(&mut **tx)
        .await?;
        if changed.rows_affected() != 1 {
            return Err(StoreError::Conflict);
        }
        log(tx, "anonymised", Some(id), candidate, note).await
    }

    /// Deletes a closed case and everything that hangs off it, leaving one log line.
    pub async fn purge_case(
        tx: &mut Tx,
        candidate: &RetentionCandidate,
        note: RetentionNote,
    ) -> Result<(), StoreError> {
        let id = candidate.id;
        sqlx::query!("DELETE FROM reminders WHERE case_id = ?", id)
            .execute(&mut **tx)
            .await?;
        sqlx::query!("DELETE FROM outbox WHERE case_id = ?", id)
            .execute(&mut **tx)
            .await?;
        sqlx::query!("DELETE FROM case_threads WHERE case_id = ?", id)
            .execute(&mut **tx)
            .await?;
        unlock(tx, id).await?;
        sqlx::query!("DELETE FROM case_events WHERE case_id = ?", id)
            .execute(&mut **tx)
            .await?;
        relock(tx, id).await?;
        sqlx::query!(
            "UPDATE retention_log SET case_id = NULL WHERE case_id = ?",
            id
        )
        .execute(&mut **tx)
        .await?;
        let deleted = sqlx::query!(
            "DELETE FROM cases WHERE id = ? AND version = ? AND state = ?",
            id,
            candidate.events,
            candidate.state
        )
        .execute(&mut **tx)
        .await?;
        if deleted.rows_affected() != 1 {
            return Err(StoreError::Conflict);
        }
        log(tx, "purged", None, candidate, note).await
    }

    /// The retention log, newest first.
    pub async fn retention_log(&self) -> Result<Vec<RetentionLogEntry>, StoreError> {
        let rows = sqlx::query!(
            "SELECT at, actor, action, case_reference, state, closed_at, events, policy_years
             FROM retention_log ORDER BY id DESC"
        )
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(RetentionLogEntry {
                    at: parse_time(&r.at)?,
                    actor: UserId(r.actor as u64),
                    action: r.action,
                    case_reference: r.case_reference,
                    state: r.state,
                    closed_at: parse_time(&r.closed_at)?,
                    events: r.events,
                    policy_years: r.policy_years,
                })
            })
            .collect()
    }

    /// Makes the space freed by retention unreadable: overwritten on the pages, and the
    /// write-ahead log (which held old copies) folded into the file and emptied. Best
    /// effort while other connections read: returns whether the log could be emptied.
    pub async fn scrub_free_space(&self) -> Result<bool, StoreError> {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(self.pool())
            .await?;
        Ok(busy == 0)
    }
}

/// Turns SQLite's secure delete on for this transaction's connection, so that rows the
/// retention path deletes or rewrites are overwritten with zeros, not left in free space.
pub async fn secure_delete(tx: &mut Tx, on: bool) -> Result<(), StoreError> {
    let pragma = if on {
        "PRAGMA secure_delete = ON"
    } else {
        "PRAGMA secure_delete = OFF"
    };
    sqlx::query(pragma).execute(&mut **tx).await?;
    Ok(())
}

pub(super) async fn unlock(tx: &mut Tx, case_id: i64) -> Result<(), StoreError> {
    sqlx::query!("INSERT INTO retention_unlock (case_id) VALUES (?)", case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) async fn relock(tx: &mut Tx, case_id: i64) -> Result<(), StoreError> {
    sqlx::query!("DELETE FROM retention_unlock WHERE case_id = ?", case_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn log(
    tx: &mut Tx,
    action: &str,
    case_id: Option<i64>,
    candidate: &RetentionCandidate,
    note: RetentionNote,
) -> Result<(), StoreError> {
    let at = timestamp(note.at);
    let actor = note.actor.0 as i64;
    let closed = timestamp(candidate.closed_at);
    let years = i64::from(note.policy_years);
    sqlx::query!(
        "INSERT INTO retention_log (at, actor, action, case_id, case_reference, state, closed_at, events, policy_years)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        at,
        actor,
        action,
        case_id,
        candidate.reference,
        candidate.state,
        closed,
        candidate.events,
        years
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}
