//! Reading many cases at once: a person's list, the board, and suggestions as they type.
//! Each query reads only the cases it returns (see the indexes in migrations/0004 and 0006),
//! so its cost follows the page asked for, not the number of cases held.

use super::cases::{decode_case, encode};
use super::{Store, StoreError};
use crate::domain::{Case, CaseRef, CaseState, SchoolKey};

mod by_number;

/// Which cases a list should hold. Visibility is applied in SQL, so a person's list never
/// even loads a case they may not see.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    /// Everyone may see everything (coordinators).
    pub all: bool,
    /// Cases involving any of these schools (heads and staff).
    pub schools: Vec<SchoolKey>,
    /// Managed transfers (SEIP members).
    pub transfers: bool,
    pub open_only: bool,
    pub state: Option<CaseState>,
    /// At most this many; 0 means [`DEFAULT_LIMIT`].
    pub limit: u32,
}

/// What a list holds when its caller names no limit.
pub const DEFAULT_LIMIT: u32 = 500;

/// How many of the most recently changed closed cases suggestions look through (a few
/// years of a partnership's cases); any other is found by typing its whole reference.
pub const RECENT_CLOSED: i64 = 2_000;

/// Open cases, the most urgent first, and how many are open in all.
#[derive(Debug, Clone, Default)]
pub struct UrgentCases {
    pub cases: Vec<Case>,
    pub open: u64,
}

impl CaseFilter {
    pub fn limit(&self) -> i64 {
        i64::from(if self.limit == 0 {
            DEFAULT_LIMIT
        } else {
            self.limit
        })
    }
}

/// The part of a reference someone typed: only the characters a reference can hold.
fn reference_part(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The part of a reference someone typed, as a `LIKE` pattern: only the characters a
/// reference can hold are kept, so nothing typed can act as a wildcard.
fn reference_pattern(typed: &str) -> String {
    format!("%{}%", reference_part(typed))
}

impl Store {
    /// Cases matching a filter, most recently changed first.
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        let all = filter.all;
        let schools = encode(&filter.schools)?;
        let transfers = filter.transfers;
        let state = filter.state.map(|s| s.as_str());
        let limit = filter.limit();
        // Two texts so that SQLite walks an index in `updated_at` order and stops at the
        // limit: with the filter as parameters alone it would read and sort every case.
        // The indexes hold the filter's columns, so only the cases listed are read from the
        // table. INDEXED BY: without statistics the planner prefers the state index and
        // sorts, which is 30x slower at 100,000 cases (benches/BENCHMARKS.md).
        let rows = if filter.open_only {
            sqlx::query_scalar!(
                r#"SELECT snapshot FROM cases INDEXED BY cases_open_recent
                   WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                     AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                           OR destination_school IN (SELECT value FROM json_each(?2))
                           OR (?3 AND kind = 'managed_transfer'))
                     AND (?4 IS NULL OR state = ?4)
                   ORDER BY updated_at DESC
                   LIMIT ?5"#,
                all,
                schools,
                transfers,
                state,
                limit
            )
            .fetch_all(&self.pool)
            .await?
        } else {
            sqlx::query_scalar!(
                r#"SELECT snapshot FROM cases INDEXED BY cases_recent
                   WHERE (?1 OR home_school IN (SELECT value FROM json_each(?2))
                           OR destination_school IN (SELECT value FROM json_each(?2))
                           OR (?3 AND kind = 'managed_transfer'))
                     AND (?4 IS NULL OR state = ?4)
                   ORDER BY updated_at DESC
                   LIMIT ?5"#,
                all,
                schools,
                transfers,
                state,
                limit
            )
            .fetch_all(&self.pool)
            .await?
        };
        rows.iter().map(|s| decode_case(s)).collect()
    }

    /// Open cases, the most urgent first (by the next date something is due; cases
    /// awaiting a decision, with no date, last), up to `limit`, and the number open.
    pub async fn urgent_open_cases(&self, limit: u32) -> Result<UrgentCases, StoreError> {
        let limit = i64::from(limit);
        // Two ordered walks of one index rather than `ORDER BY next_due_on IS NULL`, which
        // SQLite could only answer by sorting every open case.
        let mut rows = sqlx::query_scalar!(
            r#"SELECT snapshot FROM cases INDEXED BY cases_open_due
               WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                 AND next_due_on IS NOT NULL
               ORDER BY next_due_on, updated_at
               LIMIT ?"#,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        let rest = limit - rows.len() as i64;
        if rest > 0 {
            rows.extend(
                sqlx::query_scalar!(
                    r#"SELECT snapshot FROM cases INDEXED BY cases_open_due
                       WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                         AND next_due_on IS NULL
                       ORDER BY updated_at
                       LIMIT ?"#,
                    rest
                )
                .fetch_all(&self.pool)
                .await?,
            );
        }
        let open = sqlx::query_scalar!(
            r#"SELECT COUNT(*) AS "n!: i64" FROM cases INDEXED BY cases_open_due
               WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')"#
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(UrgentCases {
            cases: rows
                .iter()
                .map(|s| decode_case(s))
                .collect::<Result<_, _>>()?,
            open: open.max(0) as u64,
        })
    }

    /// Cases the filter lets through whose reference contains what was typed: open ones
    /// first, then closed ones among the [`RECENT_CLOSED`] most recently changed, each group
    /// most recently changed first, up to the filter's limit. A complete reference is looked
    /// up directly, however old.
    pub async fn suggest_cases(
        &self,
        filter: &CaseFilter,
        typed: &str,
    ) -> Result<Vec<Case>, StoreError> {
        self.suggest_cases_among(filter, typed, RECENT_CLOSED).await
    }

    /// [`Store::suggest_cases`], looking through `recent_closed` closed cases.
    async fn suggest_cases_among(
        &self,
        filter: &CaseFilter,
        typed: &str,
        recent_closed: i64,
    ) -> Result<Vec<Case>, StoreError> {
        let all = filter.all;
        let schools = encode(&filter.schools)?;
        let transfers = filter.transfers;
        if let Ok(reference) = CaseRef::parse(typed.trim()) {
            let reference = reference.to_string();
            let row = sqlx::query_scalar!(
                r#"SELECT snapshot FROM cases
                   WHERE reference = ?4
                     AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                           OR destination_school IN (SELECT value FROM json_each(?2))
                           OR (?3 AND kind = 'managed_transfer'))"#,
                all,
                schools,
                transfers,
                reference
            )
            .fetch_optional(&self.pool)
            .await?;
            return row.iter().map(|s| decode_case(s)).collect();
        }
        // Digits of the number (what people usually type): by the number's index.
        if let Some(found) = self
            .suggest_by_number(filter, &reference_part(typed), recent_closed)
            .await?
        {
            return Ok(found);
        }
        self.suggest_by_pattern(filter, typed, recent_closed).await
    }

    /// [`Store::suggest_cases`] for any part of a reference, by a `LIKE` pattern.
    async fn suggest_by_pattern(
        &self,
        filter: &CaseFilter,
        typed: &str,
        recent_closed: i64,
    ) -> Result<Vec<Case>, StoreError> {
        let all = filter.all;
        let schools = encode(&filter.schools)?;
        let transfers = filter.transfers;
        let limit = filter.limit();
        let pattern = reference_pattern(typed);
        let mut rows = sqlx::query_scalar!(
            r#"SELECT snapshot FROM cases INDEXED BY cases_open_recent
               WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                 AND reference LIKE ?4
                 AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                       OR destination_school IN (SELECT value FROM json_each(?2))
                       OR (?3 AND kind = 'managed_transfer'))
               ORDER BY updated_at DESC
               LIMIT ?5"#,
            all,
            schools,
            transfers,
            pattern,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        let rest = limit - rows.len() as i64;
        if rest > 0 && !filter.open_only {
            // Closed cases: only among the most recently changed few thousand a person may
            // see, read from the index alone, so what is typed never makes SQLite read every
            // case ever kept. An older case is found by its whole reference (above).
            rows.extend(
                sqlx::query_scalar!(
                    r#"SELECT c.snapshot FROM (
                           SELECT id, reference, updated_at FROM cases INDEXED BY cases_recent
                           WHERE state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                             AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                                   OR destination_school IN (SELECT value FROM json_each(?2))
                                   OR (?3 AND kind = 'managed_transfer'))
                           ORDER BY updated_at DESC
                           LIMIT ?6) AS recent
                       JOIN cases c ON c.id = recent.id
                       WHERE recent.reference LIKE ?4
                       ORDER BY recent.updated_at DESC
                       LIMIT ?5"#,
                    all,
                    schools,
                    transfers,
                    pattern,
                    rest,
                    recent_closed
                )
                .fetch_all(&self.pool)
                .await?,
            );
        }
        rows.iter().map(|s| decode_case(s)).collect()
    }

    /// Managed moves in `years` whose extra approval is the SEIP panel's, most recently
    /// changed first: what SEIP members see beside the managed transfers when the policy
    /// gives the panel that approval (`[policy] extra_approval.by = "seip"`). Only SEIP
    /// members under that policy ask, so it reads the cases of those years without an index
    /// of its own rather than slow everyone's lists. `typed`: as for suggestions.
    pub async fn seip_approval_cases(
        &self,
        filter: &CaseFilter,
        years: &[u8],
        typed: Option<&str>,
    ) -> Result<Vec<Case>, StoreError> {
        let years = encode(&years)?;
        let state = filter.state.map(|s| s.as_str());
        let pattern = typed.map(reference_pattern);
        let (open_only, limit) = (filter.open_only, filter.limit());
        let rows = sqlx::query_scalar!(
            r#"SELECT snapshot FROM cases
               WHERE kind = 'managed_move'
                 AND year_group IN (SELECT value FROM json_each(?1))
                 AND json_extract(snapshot, '$.approval_asked') = 'seip'
                 AND (NOT ?2 OR state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected'))
                 AND (?3 IS NULL OR state = ?3)
                 AND (?4 IS NULL OR reference LIKE ?4)
               ORDER BY updated_at DESC
               LIMIT ?5"#,
            years,
            open_only,
            state,
            pattern,
            limit
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|s| decode_case(s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::reference_pattern;
    use crate::store::Store;

    async fn plan(sql: &str) -> String {
        let store = Store::in_memory().await.unwrap();
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .fetch_all(store.pool())
                .await
                .unwrap();
        rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("; ")
    }

    /// Keep in step with `Store::urgent_open_cases` and `Store::suggest_cases`: each walks
    /// an index in the order it returns, never sorting every case to find a few.
    #[tokio::test]
    async fn the_board_and_suggestions_walk_an_index_in_order() {
        let board = plan(
            "SELECT snapshot FROM cases INDEXED BY cases_open_due
             WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
               AND next_due_on IS NOT NULL ORDER BY next_due_on, updated_at LIMIT 40",
        )
        .await;
        assert!(board.contains("cases_open_due"), "{board}");
        assert!(!board.contains("TEMP B-TREE"), "no sort: {board}");
        let suggest = plan(
            "SELECT c.snapshot FROM (
                 SELECT id, reference, updated_at FROM cases INDEXED BY cases_recent
                 WHERE state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                   AND (0 OR home_school IN ('a'))
                 ORDER BY updated_at DESC LIMIT 2000) AS recent
             JOIN cases c ON c.id = recent.id
             WHERE recent.reference LIKE '%42%'
             ORDER BY recent.updated_at DESC LIMIT 25",
        )
        .await;
        assert!(
            suggest.contains("SCAN cases USING COVERING INDEX cases_recent"),
            "the recent closed cases come from the index alone: {suggest}"
        );
    }

    #[test]
    fn what_is_typed_never_becomes_a_wildcard() {
        assert_eq!(reference_pattern(" mm-2026-00"), "%MM-2026-00%");
        assert_eq!(reference_pattern("%_\\'42"), "%42%");
        assert_eq!(reference_pattern(""), "%%");
    }
}
