//! The names people had in the server, over time (`people_names`, migration 0015), for
//! documents that say who signed or recorded something.

use chrono::{DateTime, Utc};

use super::cases::timestamp;
use super::{Store, StoreError};
use crate::domain::people::{NameSeen, People};
use crate::domain::UserId;

impl Store {
    /// Records the name and role a user has now, unless they are the last ones seen for
    /// them (read first: most interactions change nothing, and a read takes no write lock).
    pub async fn note_name(
        &self,
        user: UserId,
        name: &str,
        role: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let id = user.0 as i64;
        let last = sqlx::query!(
            "SELECT display_name, role_label FROM people_names
             WHERE user_id = ? ORDER BY seen_from DESC LIMIT 1",
            id
        )
        .fetch_optional(&self.pool)
        .await?;
        if last.is_some_and(|l| l.display_name == name && l.role_label == role) {
            return Ok(());
        }
        let at = timestamp(at);
        sqlx::query!(
            "INSERT INTO people_names (user_id, display_name, role_label, seen_from)
             VALUES (?, ?, ?, ?) ON CONFLICT (user_id, seen_from) DO NOTHING",
            id,
            name,
            role,
            at
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every name seen for these users.
    pub async fn people_names(&self, users: &[UserId]) -> Result<People, StoreError> {
        let ids = serde_json::to_string(&users.iter().map(|u| u.0 as i64).collect::<Vec<_>>())
            .map_err(|e| StoreError::Corrupt(format!("encoding: {e}")))?;
        let rows = sqlx::query!(
            "SELECT user_id, display_name, role_label, seen_from FROM people_names
             WHERE user_id IN (SELECT value FROM json_each(?))",
            ids
        )
        .fetch_all(&self.pool)
        .await?;
        let seen = rows
            .into_iter()
            .map(|r| {
                let from = DateTime::parse_from_rfc3339(&r.seen_from)
                    .map_err(|e| StoreError::Corrupt(format!("name time: {e}")))?
                    .with_timezone(&Utc);
                Ok(NameSeen {
                    user: UserId(r.user_id as u64),
                    name: r.display_name,
                    role: r.role_label,
                    from,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(People::new(seen))
    }
}
