//! Cases and their events. A command's events and the case's new snapshot are written in
//! one transaction; the snapshot's version must match what was read, or nothing is written.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::SqliteConnection;

use super::{Store, StoreError, Tx};
use crate::domain::urgency::WaitingOn;
use crate::domain::{Case, CaseRef, Event};

/// What the board and lists need of a case.
pub type CaseSummary = Case;

#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub seq: i64,
    pub event: Event,
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

pub(super) fn decode_case(snapshot: &str) -> Result<Case, StoreError> {
    serde_json::from_str(snapshot).map_err(|e| corrupt("case snapshot", e))
}

pub(super) fn encode<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| corrupt("encoding", e))
}

impl Store {
    /// The next free reference for a year; called inside the write transaction.
    pub async fn next_reference(tx: &mut Tx, year: u16) -> Result<CaseRef, StoreError> {
        let year_i = i64::from(year);
        let next = sqlx::query_scalar!(
            r#"SELECT COALESCE(MAX(ref_number), 0) + 1 AS "next!: i64" FROM cases WHERE ref_year = ?"#,
            year_i
        )
        .fetch_one(&mut **tx)
        .await?;
        Ok(CaseRef::new(year, next as u32))
    }

    /// Inserts a new case with its first events.
    /// `due`: the day the case's most pressing step is due by (`next_step::next_due`),
    /// which the board sorts and files it by.
    pub async fn insert_case(
        tx: &mut Tx,
        case: &Case,
        due: Option<NaiveDate>,
        events: &[Event],
    ) -> Result<i64, StoreError> {
        let reference = case.reference.to_string();
        let year = i64::from(case.reference.year);
        let number = i64::from(case.reference.number);
        let home = case.home.as_str();
        let destination = case.destination.as_str();
        let kind = encode(&case.kind)?.trim_matches('"').to_string();
        let state = case.state.as_str();
        let initials = case.pupil.initials.as_str();
        let year_group = i64::from(case.pupil.year.get());
        let due = due.map(|d| d.to_string());
        let waiting = WaitingOn::of(case).as_str();
        let version = i64::from(case.version);
        let snapshot = encode(case)?;
        let created = timestamp(case.proposed.at);
        let updated = timestamp(case.updated_at);
        let id = sqlx::query_scalar!(
            r#"INSERT INTO cases (reference, ref_year, ref_number, home_school, destination_school, kind,
                   state, pupil_initials, year_group, next_due_on, version, snapshot, created_at, updated_at,
                   waiting_on)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"#,
            reference, year, number, home, destination, kind, state, initials, year_group, due,
            version, snapshot, created, updated, waiting
        )
        .fetch_one(&mut **tx)
        .await?;
        insert_events(tx, id, 1, events).await?;
        Ok(id)
    }

    /// Appends events and stores the new snapshot, if nobody changed the case meanwhile.
    pub async fn append(
        tx: &mut Tx,
        case_id: i64,
        read_version: u32,
        case: &Case,
        due: Option<NaiveDate>,
        events: &[Event],
    ) -> Result<(), StoreError> {
        let state = case.state.as_str();
        let due = due.map(|d| d.to_string());
        let waiting = WaitingOn::of(case).as_str();
        let version = i64::from(case.version);
        let read = i64::from(read_version);
        let snapshot = encode(case)?;
        let updated = timestamp(case.updated_at);
        let result = sqlx::query!(
            "UPDATE cases SET state = ?, next_due_on = ?, waiting_on = ?, version = ?, snapshot = ?,
                 updated_at = ?
             WHERE id = ? AND version = ?",
            state, due, waiting, version, snapshot, updated, case_id, read
        )
        .execute(&mut **tx)
        .await?;
        if result.rows_affected() != 1 {
            return Err(StoreError::Conflict);
        }
        // A case's version is the number of its events, so the next event's position follows.
        insert_events(tx, case_id, read + 1, events).await
    }

    /// Files a case on the board by `due` (its next step's due day), if it is not already.
    pub async fn refile(
        tx: &mut Tx,
        case_id: i64,
        due: Option<NaiveDate>,
    ) -> Result<(), StoreError> {
        let due = due.map(|d| d.to_string());
        sqlx::query!(
            "UPDATE cases SET next_due_on = ?1 WHERE id = ?2 AND next_due_on IS NOT ?1",
            due,
            case_id
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Loads a case by reference with its row ID (inside a transaction or not).
    pub async fn load_case(
        conn: &mut SqliteConnection,
        reference: CaseRef,
    ) -> Result<Option<(i64, Case)>, StoreError> {
        let reference = reference.to_string();
        let row = sqlx::query!(
            "SELECT id, snapshot FROM cases WHERE reference = ?",
            reference
        )
        .fetch_optional(conn)
        .await?;
        row.map(|r| Ok((r.id, decode_case(&r.snapshot)?)))
            .transpose()
    }

    pub async fn find_case(&self, reference: CaseRef) -> Result<Option<(i64, Case)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::load_case(&mut conn, reference).await
    }

    /// A case's full history, oldest first.
    pub async fn history(&self, case_id: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = sqlx::query!(
            "SELECT seq, at, actor, payload FROM case_events WHERE case_id = ? ORDER BY seq",
            case_id
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| decode_event(r.seq, &r.at, r.actor, &r.payload))
            .collect()
    }
}

/// One stored event row, read back.
pub(super) fn decode_event(
    seq: i64,
    at: &str,
    actor: i64,
    payload: &str,
) -> Result<StoredEvent, StoreError> {
    let at = DateTime::parse_from_rfc3339(at)
        .map_err(|e| corrupt("event time", e))?
        .with_timezone(&Utc);
    let kind = serde_json::from_str(payload).map_err(|e| corrupt("event payload", e))?;
    Ok(StoredEvent {
        seq,
        event: Event {
            by: crate::domain::UserId(actor as u64),
            at,
            kind,
        },
    })
}

async fn insert_events(
    tx: &mut Tx,
    case_id: i64,
    first_seq: i64,
    events: &[Event],
) -> Result<(), StoreError> {
    for (offset, event) in events.iter().enumerate() {
        let seq = first_seq + offset as i64;
        let at = timestamp(event.at);
        let actor = event.by.0 as i64;
        let kind = event.kind.name();
        let payload = encode(&event.kind)?;
        sqlx::query!(
            "INSERT INTO case_events (case_id, seq, at, actor, kind, payload) VALUES (?, ?, ?, ?, ?, ?)",
            case_id, seq, at, actor, kind, payload
        )
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
