//! Where the Discord front end posts: case threads and messages edited in place.

use super::{Store, StoreError};
use crate::domain::Case;

impl Store {
    pub async fn case_thread(&self, case_id: i64) -> Result<Option<u64>, StoreError> {
        let row = sqlx::query_scalar!(
            "SELECT thread_id FROM case_threads WHERE case_id = ?",
            case_id
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|t| t as u64))
    }

    pub async fn set_case_thread(&self, case_id: i64, thread_id: u64) -> Result<(), StoreError> {
        let thread = thread_id as i64;
        sqlx::query!(
            "INSERT INTO case_threads (case_id, thread_id) VALUES (?, ?)
             ON CONFLICT (case_id) DO UPDATE SET thread_id = excluded.thread_id",
            case_id,
            thread
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// (channel, message) of a message the bot edits in place, e.g. the board.
    pub async fn bot_message(&self, key: &str) -> Result<Option<(u64, u64)>, StoreError> {
        let row = sqlx::query!(
            "SELECT channel_id, message_id FROM bot_messages WHERE key = ?",
            key
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.channel_id as u64, r.message_id as u64)))
    }

    pub async fn set_bot_message(
        &self,
        key: &str,
        channel: u64,
        message: u64,
    ) -> Result<(), StoreError> {
        let (channel, message) = (channel as i64, message as i64);
        sqlx::query!(
            "INSERT INTO bot_messages (key, channel_id, message_id) VALUES (?, ?, ?)
             ON CONFLICT (key) DO UPDATE SET channel_id = excluded.channel_id, message_id = excluded.message_id",
            key, channel, message
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn case_by_id(&self, case_id: i64) -> Result<Option<Case>, StoreError> {
        let row = sqlx::query_scalar!("SELECT snapshot FROM cases WHERE id = ?", case_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|s| super::cases::decode_case(&s)).transpose()
    }
}
