//! The stored schedule of reminders. The scheduler decides what to write; this file only
//! reads and writes rows, always inside the caller's transaction when it changes anything.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::cases::timestamp;
use super::{Store, StoreError, Tx};
use crate::domain::Case;

/// A reminder row as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReminder {
    pub id: i64,
    pub case_id: Option<i64>,
    pub key: String,
    pub kind: String,
    pub audience: String,
    pub about_on: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub state: ReminderState,
    pub late: bool,
    pub outbox_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderState {
    Pending,
    Queued,
    Cancelled,
}

/// What to store for one reminder.
#[derive(Debug, Clone)]
pub struct NewReminder<'a> {
    pub key: &'a str,
    pub kind: &'a str,
    pub audience: &'a str,
    pub about_on: NaiveDate,
    pub due_at: DateTime<Utc>,
}

/// A due reminder, with its case's reference (None for digests).
#[derive(Debug, Clone)]
pub struct DueReminder {
    pub row: StoredReminder,
    pub reference: Option<String>,
}

struct Row {
    id: i64,
    case_id: Option<i64>,
    key: String,
    kind: String,
    audience: String,
    about_on: String,
    due_at: String,
    state: String,
    late: bool,
    outbox_id: Option<i64>,
}

impl Row {
    fn decode(self) -> Result<StoredReminder, StoreError> {
        let state = match self.state.as_str() {
            "pending" => ReminderState::Pending,
            "queued" => ReminderState::Queued,
            "cancelled" => ReminderState::Cancelled,
            other => return Err(StoreError::Corrupt(format!("reminder state `{other}`"))),
        };
        Ok(StoredReminder {
            id: self.id,
            case_id: self.case_id,
            key: self.key,
            kind: self.kind,
            audience: self.audience,
            about_on: NaiveDate::parse_from_str(&self.about_on, "%Y-%m-%d")
                .map_err(|e| StoreError::Corrupt(format!("reminder date: {e}")))?,
            due_at: parse_time(&self.due_at)?,
            state,
            late: self.late,
            outbox_id: self.outbox_id,
        })
    }
}

fn parse_time(raw: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("reminder time: {e}")))
}

impl Store {
    /// Every reminder row of a case, by due time (inside a transaction or not).
    pub async fn case_reminders(
        conn: &mut SqliteConnection,
        case_id: i64,
    ) -> Result<Vec<StoredReminder>, StoreError> {
        let rows = sqlx::query_as!(
            Row,
            r#"SELECT id, case_id, key, kind, audience, about_on, due_at, state,
                      late AS "late: bool", outbox_id
               FROM reminders WHERE case_id = ? ORDER BY due_at, id"#,
            case_id
        )
        .fetch_all(conn)
        .await?;
        rows.into_iter().map(Row::decode).collect()
    }

    pub async fn reminders_of_case(&self, case_id: i64) -> Result<Vec<StoredReminder>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Self::case_reminders(&mut conn, case_id).await
    }

    pub async fn insert_reminder(
        tx: &mut Tx,
        case_id: i64,
        r: &NewReminder<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (about, due, now) = (r.about_on.to_string(), timestamp(r.due_at), timestamp(now));
        sqlx::query!(
            "INSERT INTO reminders (case_id, key, kind, audience, about_on, due_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
            case_id,
            r.key,
            r.kind,
            r.audience,
            about,
            due,
            now
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Sets a row's time and details and makes it pending again (a changed date, or a
    /// reminder that should go out once more for a new date).
    pub async fn reschedule_reminder(
        tx: &mut Tx,
        id: i64,
        r: &NewReminder<'_>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (about, due, now) = (r.about_on.to_string(), timestamp(r.due_at), timestamp(now));
        sqlx::query!(
            "UPDATE reminders SET kind = ?, audience = ?, about_on = ?, due_at = ?, state = 'pending',
                    queued_at = NULL, late = 0, outbox_id = NULL, updated_at = ?
             WHERE id = ?",
            r.kind, r.audience, about, due, now, id
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Cancels a reminder that has not been queued yet.
    pub async fn cancel_reminder(
        tx: &mut Tx,
        id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = timestamp(now);
        sqlx::query!(
            "UPDATE reminders SET state = 'cancelled', updated_at = ? WHERE id = ? AND state = 'pending'",
            now,
            id
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Adds a partnership-wide reminder (a digest) unless one with this key exists already.
    pub async fn ensure_partnership_reminder(
        tx: &mut Tx,
        r: &NewReminder<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let (about, due, now) = (r.about_on.to_string(), timestamp(r.due_at), timestamp(now));
        let done = sqlx::query!(
            "INSERT OR IGNORE INTO reminders (case_id, key, kind, audience, about_on, due_at, updated_at)
             VALUES (NULL, ?, ?, ?, ?, ?, ?)",
            r.key, r.kind, r.audience, about, due, now
        )
        .execute(&mut **tx)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Pending reminders due by `now`, oldest first. Served by the (state, due_at) index.
    ///
    /// The batch comes back as one JSON array in one row: sqlx hands each row of a result
    /// from SQLite's worker thread to the caller separately, and for a catch-up of a
    /// thousand those hand-overs were the tick's largest cost, and its slowest when the
    /// machine was busy (benches/BENCHMARKS.md, "The tick at 1,000 due").
    pub async fn due_reminders(
        tx: &mut Tx,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueReminder>, StoreError> {
        let now = timestamp(now);
        let json = sqlx::query_scalar!(
            r#"SELECT json_group_array(json_array(id, case_id, key, kind, audience, about_on,
                          due_at, state, late, outbox_id, reference) ORDER BY due_at, id)
                   AS "due!: String"
               FROM (SELECT r.id, r.case_id, r.key, r.kind, r.audience, r.about_on, r.due_at,
                            r.state, r.late, r.outbox_id, c.reference
                     FROM reminders r LEFT JOIN cases c ON c.id = r.case_id
                     WHERE r.state = 'pending' AND r.due_at <= ?
                     ORDER BY r.due_at, r.id
                     LIMIT ?)"#,
            now,
            limit
        )
        .fetch_one(&mut **tx)
        .await?;
        type DueRow = (
            i64,
            Option<i64>,
            String,
            String,
            String,
            String,
            String,
            String,
            i64,
            Option<i64>,
            Option<String>,
        );
        let rows: Vec<DueRow> = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("due reminders: {e}")))?;
        rows.into_iter()
            .map(|r| {
                let row = Row {
                    id: r.0,
                    case_id: r.1,
                    key: r.2,
                    kind: r.3,
                    audience: r.4,
                    about_on: r.5,
                    due_at: r.6,
                    state: r.7,
                    late: r.8 != 0,
                    outbox_id: r.9,
                };
                Ok(DueReminder {
                    row: row.decode()?,
                    reference: r.10,
                })
            })
            .collect()
    }

    /// Marks many pending reminders queued in one statement: `(reminder id, late, outbox id)`.
    pub async fn mark_reminders_queued(
        tx: &mut Tx,
        queued: &[(i64, bool, i64)],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if queued.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(queued).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = timestamp(now);
        // `+state`: without the plus, SQLite walks every pending reminder by the state
        // index and scans the batch for each (seconds at 10,000 cases); with it, it looks
        // up each of the batch's reminders by its id.
        sqlx::query!(
            "UPDATE reminders SET state = 'queued', queued_at = ?1, late = q.late,
                    outbox_id = q.outbox_id, updated_at = ?1
             FROM (SELECT value ->> 0 AS id, value ->> 1 AS late, value ->> 2 AS outbox_id
                   FROM json_each(?2)) AS q
             WHERE reminders.id = q.id AND +reminders.state = 'pending'",
            now,
            json
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Cancels many reminders that have not been queued yet, in one statement.
    pub async fn cancel_reminders(
        tx: &mut Tx,
        ids: &[i64],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if ids.is_empty() {
            return Ok(());
        }
        let json = serde_json::to_string(ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let now = timestamp(now);
        sqlx::query!(
            "UPDATE reminders SET state = 'cancelled', updated_at = ?
             WHERE +state = 'pending' AND id IN (SELECT value FROM json_each(?))",
            now,
            json
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// When the next pending reminder falls due, if any: how long the scheduler may sleep.
    pub async fn next_reminder_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let next = sqlx::query_scalar!(
            r#"SELECT MIN(due_at) AS "due?: String" FROM reminders WHERE state = 'pending'"#
        )
        .fetch_one(&self.pool)
        .await?;
        next.as_deref().map(parse_time).transpose()
    }

    /// Cases whose reminders may need planning: every open case, and any closed case that
    /// still has pending reminders (planned before it closed, e.g. by an older version).
    pub async fn cases_to_plan(
        conn: &mut SqliteConnection,
    ) -> Result<Vec<(i64, Case)>, StoreError> {
        let rows = sqlx::query!(
            "SELECT id, snapshot FROM cases
             WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                OR id IN (SELECT case_id FROM reminders WHERE state = 'pending')
             ORDER BY id"
        )
        .fetch_all(conn)
        .await?;
        rows.into_iter()
            .map(|r| {
                let case = serde_json::from_str(&r.snapshot)
                    .map_err(|e| StoreError::Corrupt(format!("case snapshot: {e}")))?;
                Ok((r.id, case))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
