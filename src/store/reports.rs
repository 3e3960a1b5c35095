//! Reads for statistics and exports.

use chrono::{DateTime, Utc};

use super::cases::{decode_case, timestamp};
use super::{Store, StoreError};
use crate::domain::Case;

impl Store {
    /// Every case proposed in `[from, to)`, oldest first.
    pub async fn cases_proposed_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Case>, StoreError> {
        let (from, to) = (timestamp(from), timestamp(to));
        let rows = sqlx::query_scalar!(
            "SELECT snapshot FROM cases WHERE created_at >= ? AND created_at < ? ORDER BY created_at",
            from,
            to
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|s| decode_case(s)).collect()
    }
}

impl Store {
    /// Every case that may have a figure before `to`: proposed before it, and open or
    /// changed since `changed_since` (a close, a follow-up). Oldest first.
    pub async fn cases_touching(
        &self,
        changed_since: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Case>, StoreError> {
        let (from, to) = (timestamp(changed_since), timestamp(to));
        let rows = sqlx::query_scalar!(
            "SELECT snapshot FROM cases WHERE created_at < ?
               AND (state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                    OR updated_at >= ?)
             ORDER BY created_at",
            to,
            from
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|s| decode_case(s)).collect()
    }
}
