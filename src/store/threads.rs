//! Case threads beyond "which thread is this case's": the open cases' threads for the daily
//! membership pass, the marks the bot keeps about a thread, and the threads retention left
//! for the bot to delete (migrations/0010_threads_to_delete.sql).

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError, Tx};
use crate::domain::Case;

/// The marks kept in `bot_messages` about a case's thread (see `discord::threads`, and
/// `discord::sender` for the mark that a deleted thread was made again).
pub fn thread_marks(case_id: i64) -> [String; 5] {
    [
        format!("thread-asked:{case_id}"),
        format!("thread-intro:{case_id}"),
        format!("thread-team:{case_id}"),
        format!("thread-closed:{case_id}"),
        format!("thread-remade:{case_id}"),
    ]
}

impl Store {
    /// Every open case that has a thread: (case id, case, thread id).
    pub async fn open_case_threads(&self) -> Result<Vec<(i64, Case, u64)>, StoreError> {
        self.case_threads_where(false).await
    }

    /// Every closed case whose thread the bot has not yet recorded as archived and locked.
    pub async fn closed_case_threads_to_archive(
        &self,
    ) -> Result<Vec<(i64, Case, u64)>, StoreError> {
        self.case_threads_where(true).await
    }

    async fn case_threads_where(&self, closed: bool) -> Result<Vec<(i64, Case, u64)>, StoreError> {
        // Open or closed is the domain's to say, so the snapshot decides, not a list of
        // state names here.
        let rows = sqlx::query!(
            r#"SELECT c.id AS "id!: i64", c.snapshot, t.thread_id
               FROM case_threads t JOIN cases c ON c.id = t.case_id
               WHERE NOT (?1 AND EXISTS (SELECT 1 FROM bot_messages b
                                         WHERE b.key = 'thread-closed:' || t.case_id
                                           AND b.channel_id = t.thread_id))
               ORDER BY c.id"#,
            closed
        )
        .fetch_all(&self.pool)
        .await?;
        let mut found = Vec::new();
        for r in rows {
            let case: Case = serde_json::from_str(&r.snapshot)
                .map_err(|e| StoreError::Corrupt(format!("case snapshot: {e}")))?;
            if case.state.is_closed() == closed {
                found.push((r.id, case, r.thread_id as u64));
            }
        }
        Ok(found)
    }

    pub async fn forget_bot_message(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query!("DELETE FROM bot_messages WHERE key = ?", key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Inside retention's transaction: the case's thread (if any) is queued for the bot to
    /// delete on Discord, and the case forgets it and its marks, so nothing about the case
    /// is ever posted in it again.
    pub async fn queue_thread_deletion(
        tx: &mut Tx,
        case_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let at = timestamp(now);
        sqlx::query!(
            "INSERT OR IGNORE INTO threads_to_delete (thread_id, queued_at)
             SELECT thread_id, ? FROM case_threads WHERE case_id = ?",
            at,
            case_id
        )
        .execute(&mut **tx)
        .await?;
        sqlx::query!("DELETE FROM case_threads WHERE case_id = ?", case_id)
            .execute(&mut **tx)
            .await?;
        let [asked, intro, team, closed, remade] = thread_marks(case_id);
        sqlx::query!(
            "DELETE FROM bot_messages WHERE key IN (?, ?, ?, ?, ?)",
            asked,
            intro,
            team,
            closed,
            remade
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Threads waiting to be deleted on Discord, oldest first.
    pub async fn threads_to_delete(&self) -> Result<Vec<u64>, StoreError> {
        let rows = sqlx::query_scalar!(
            "SELECT thread_id FROM threads_to_delete ORDER BY queued_at, thread_id"
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|t| t as u64).collect())
    }

    /// Discord confirmed the thread is gone: only now is its ID dropped.
    pub async fn thread_deleted(&self, thread_id: u64) -> Result<(), StoreError> {
        let id = thread_id as i64;
        sqlx::query!("DELETE FROM threads_to_delete WHERE thread_id = ?", id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
