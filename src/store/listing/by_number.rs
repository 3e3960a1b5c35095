//! Suggestions for the digits of a reference, found by the case number's index.
//!
//! What people type into autocomplete is usually the last digits of a reference
//! (`0042` for `MM-2026-0042`). Matching that with `reference LIKE '%0042%'` makes SQLite
//! test every open case a person may see and a few thousand closed ones (9.6 ms p99 at
//! 100,000 cases, benches/BENCHMARKS.md). Digits can only match inside the year or inside
//! the number (the dashes split them), so when no year holds them, the cases that match are
//! exactly those whose number, written as in a reference, holds them: a handful of numbers,
//! each looked up in `cases_by_number` (migrations/0017). The answer is the same as the
//! pattern's, in the same order; `tests` compares the two on a seeded database.

use std::collections::BTreeSet;

use super::super::cases::{decode_case, encode};
use super::super::{Store, StoreError};
use super::CaseFilter;
use crate::domain::Case;

/// More numbers than this, and the digits are too common for the index to help: the
/// pattern finds enough matches among the first cases it tests.
const MAX_NUMBERS: usize = 100;

/// How many numbers [`numbers_containing`] may try before giving up (microseconds of work).
const MAX_TRIED: u64 = 20_000;

/// The numbers from 1 to `max` whose place in a reference (`MM-2026-0042`: at least four
/// digits, zero-padded) holds `digits`, smallest first; None when `digits` is not all
/// digits or more than `cap` numbers (or too many tries) would match.
pub(super) fn numbers_containing(digits: &str, max: u32, cap: usize) -> Option<Vec<u32>> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let typed_len = u32::try_from(digits.len()).ok()?;
    let max = u64::from(max);
    let widest = max.to_string().len().max(4) as u32;
    if typed_len > widest {
        return Some(Vec::new());
    }
    let typed: u64 = digits.parse().ok()?;
    let mut found = BTreeSet::new();
    let mut tried = 0;
    // Every way of writing the typed digits at some place in a number of each width, with
    // any digits before and after them.
    for width in typed_len.max(4)..=widest {
        let free = width - typed_len;
        let lowest = if width == 4 { 1 } else { 10u64.pow(width - 1) };
        for after in 0..=free {
            let before = free - after;
            tried += 10u64.pow(free);
            if tried > MAX_TRIED {
                return None;
            }
            for head in 0..10u64.pow(before) {
                let start = (head * 10u64.pow(typed_len) + typed) * 10u64.pow(after);
                for tail in 0..10u64.pow(after) {
                    let n = start + tail;
                    if n < lowest || n > max {
                        continue;
                    }
                    found.insert(u32::try_from(n).ok()?);
                    if found.len() > cap {
                        return None;
                    }
                }
            }
        }
    }
    Some(found.into_iter().collect())
}

/// A case that matched, with the columns that order suggestions. The listing indexes end
/// in the same columns, so this is the order in which the pattern's queries walk them.
struct Matched {
    id: i64,
    open: bool,
    order: (String, String, String, String, String),
}

impl Store {
    /// [`Store::suggest_cases`] for typed digits that no year holds, through the case
    /// number's index; None when the digits are not such (the caller uses the pattern).
    /// `recent_closed`: as [`super::RECENT_CLOSED`].
    pub(super) async fn suggest_by_number(
        &self,
        filter: &CaseFilter,
        kept: &str,
        recent_closed: i64,
    ) -> Result<Option<Vec<Case>>, StoreError> {
        if kept.is_empty() || !kept.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(None);
        }
        // One subquery each, so that each is a single step down an index.
        let span = sqlx::query!(
            r#"SELECT (SELECT MIN(ref_year) FROM cases) AS "first?: i64",
                      (SELECT MAX(ref_year) FROM cases) AS "last?: i64",
                      (SELECT MAX(ref_number) FROM cases) AS "max?: i64""#
        )
        .fetch_one(&self.pool)
        .await?;
        let (Some(first), Some(last), Some(max)) = (span.first, span.last, span.max) else {
            return Ok(None);
        };
        if (first..=last).any(|year| year.to_string().contains(kept)) {
            return Ok(None);
        }
        let Some(numbers) = u32::try_from(max)
            .ok()
            .and_then(|max| numbers_containing(kept, max, MAX_NUMBERS))
        else {
            return Ok(None);
        };
        let matched = self.matching_numbers(filter, &numbers).await?;
        let limit = usize::try_from(filter.limit()).unwrap_or(usize::MAX);
        let (mut open, mut closed): (Vec<Matched>, Vec<Matched>) =
            matched.into_iter().partition(|m| m.open);
        open.sort_by(|a, b| b.order.cmp(&a.order));
        open.truncate(limit);
        let rest = limit - open.len();
        closed.sort_by(|a, b| b.order.cmp(&a.order));
        if rest == 0 || filter.open_only {
            closed.clear();
        } else if let Some(oldest) = closed.last() {
            // Closed cases only among the most recently changed few thousand a person may
            // see, as the pattern's query reads them: the last of those bounds the match.
            if let Some(bound) = self
                .recent_closed_bound(filter, &oldest.order, recent_closed)
                .await?
            {
                closed.retain(|m| m.order >= bound);
            }
        }
        closed.truncate(rest);
        let ids: Vec<i64> = open.iter().chain(&closed).map(|m| m.id).collect();
        self.snapshots_in_order(&ids).await.map(Some)
    }

    /// The visible cases with one of these numbers, read from `cases_by_number` alone.
    async fn matching_numbers(
        &self,
        filter: &CaseFilter,
        numbers: &[u32],
    ) -> Result<Vec<Matched>, StoreError> {
        let (all, transfers) = (filter.all, filter.transfers);
        let schools = encode(&filter.schools)?;
        let numbers = encode(&numbers)?;
        let rows = sqlx::query!(
            r#"SELECT id AS "id!: i64", updated_at, home_school, destination_school, kind, reference,
                      state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                          AS "open!: bool"
               FROM cases INDEXED BY cases_by_number
               WHERE ref_number IN (SELECT value FROM json_each(?4))
                 AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                       OR destination_school IN (SELECT value FROM json_each(?2))
                       OR (?3 AND kind = 'managed_transfer'))"#,
            all,
            schools,
            transfers,
            numbers
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| Matched {
                id: r.id,
                open: r.open,
                order: (
                    r.updated_at,
                    r.home_school,
                    r.destination_school,
                    r.kind,
                    r.reference,
                ),
            })
            .collect())
    }

    /// The last of the `recent_closed` most recently changed closed cases the filter lets
    /// through, in the order `cases_recent` holds them (and `cases_closed_recent`, which
    /// holds only closed cases, in the same order); None when fewer than that many come
    /// before `oldest` (every match that old or newer is then among them). The walk stops
    /// at `oldest`, so it reads no further back than the matches need.
    async fn recent_closed_bound(
        &self,
        filter: &CaseFilter,
        oldest: &(String, String, String, String, String),
        recent_closed: i64,
    ) -> Result<Option<(String, String, String, String, String)>, StoreError> {
        let (all, transfers) = (filter.all, filter.transfers);
        let schools = encode(&filter.schools)?;
        let (updated, home, destination, kind, reference) = oldest;
        let offset = recent_closed - 1;
        let row = sqlx::query!(
            r#"SELECT updated_at, home_school, destination_school, kind, reference
               FROM cases INDEXED BY cases_closed_recent
               WHERE state IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                 AND (?1 OR home_school IN (SELECT value FROM json_each(?2))
                       OR destination_school IN (SELECT value FROM json_each(?2))
                       OR (?3 AND kind = 'managed_transfer'))
                 AND (updated_at, home_school, destination_school, kind, reference)
                     >= (?4, ?5, ?6, ?7, ?8)
               ORDER BY updated_at DESC, home_school DESC, destination_school DESC, kind DESC,
                        reference DESC
               LIMIT 1 OFFSET ?9"#,
            all,
            schools,
            transfers,
            updated,
            home,
            destination,
            kind,
            reference,
            offset
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            (
                r.updated_at,
                r.home_school,
                r.destination_school,
                r.kind,
                r.reference,
            )
        }))
    }

    /// The cases with these ids, decoded, in the order given.
    async fn snapshots_in_order(&self, ids: &[i64]) -> Result<Vec<Case>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let json = encode(&ids)?;
        let rows = sqlx::query!(
            r#"SELECT id AS "id!: i64", snapshot FROM cases
               WHERE id IN (SELECT value FROM json_each(?))"#,
            json
        )
        .fetch_all(&self.pool)
        .await?;
        let mut rows: Vec<(usize, String)> = rows
            .into_iter()
            .map(|r| {
                (
                    ids.iter().position(|id| *id == r.id).unwrap_or(usize::MAX),
                    r.snapshot,
                )
            })
            .collect();
        rows.sort_by_key(|(at, _)| *at);
        rows.iter().map(|(_, s)| decode_case(s)).collect()
    }
}

#[cfg(test)]
mod tests;
