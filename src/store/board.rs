//! The coordinators' board by urgency (migration 0016): how many open cases each section
//! holds, summed from `board_counts` (one row per due day and wait, kept by triggers in the
//! case's own write transaction), and each section's most urgent cases, from one ordered
//! walk of `cases_board` per wait, stopped at the section's limit. Neither walks the open
//! cases, so the board costs the same at 100 or 100,000.

use chrono::{Days, NaiveDate};

use super::cases::decode_case;
use super::{Store, StoreError};
use crate::domain::urgency::{Section, WaitingOn};
use crate::domain::Case;

/// Sorts after every date (`YYYY-MM-DD`): the open end of the last section's range.
const AFTER_EVERY_DATE: &str = "~";

/// The day the board is drawn for, and what counts as waiting there.
#[derive(Debug, Clone, Copy)]
pub struct BoardDay {
    pub today: NaiveDate,
    /// The last day of "due this week" (`domain::urgency::week_end`).
    pub week_end: NaiveDate,
    /// The partnership's policy asks the SEIP panel to approve transfers.
    pub panel_needed: bool,
}

impl BoardDay {
    /// The stored waits whose cases fall in `section` on this day.
    fn waits(&self, section: Section) -> Vec<WaitingOn> {
        let waiting = section == Section::Waiting;
        WaitingOn::ALL
            .into_iter()
            .filter(|w| (w.effective(self.panel_needed) != WaitingOn::Nobody) == waiting)
            .collect()
    }

    /// The dates a section holds, `[from, to)` as stored text, and whether it also holds
    /// the cases with no date.
    fn dates(&self, section: Section) -> (String, String, bool) {
        let today = self.today.to_string();
        let after_week = (self.week_end + Days::new(1)).to_string();
        match section {
            Section::Overdue => (String::new(), today, false),
            Section::ThisWeek => (today, after_week, false),
            Section::Waiting => (String::new(), AFTER_EVERY_DATE.to_string(), true),
            Section::Running => (after_week, AFTER_EVERY_DATE.to_string(), true),
        }
    }
}

/// Open cases per section (indexed by [`Section::index`]) and in all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BoardCounts {
    pub sections: [u64; 4],
    pub open: u64,
}

impl BoardCounts {
    pub fn of(&self, section: Section) -> u64 {
        self.sections[section.index()]
    }
}

impl Store {
    /// How many open cases each section holds on `day`: sums over the due days kept in
    /// `board_counts`, never a walk over the cases.
    pub async fn board_counts(&self, day: &BoardDay) -> Result<BoardCounts, StoreError> {
        let today = day.today.to_string();
        let week_end = day.week_end.to_string();
        let rows = sqlx::query!(
            r#"SELECT waiting_on,
                      SUM(CASE WHEN due_on < ?1 THEN n ELSE 0 END) AS "overdue!: i64",
                      SUM(CASE WHEN due_on >= ?1 AND due_on <= ?2 THEN n ELSE 0 END) AS "week!: i64",
                      SUM(n) AS "all!: i64"
               FROM board_counts GROUP BY waiting_on"#,
            today,
            week_end
        )
        .fetch_all(&self.pool)
        .await?;
        let mut counts = BoardCounts::default();
        for row in rows {
            let count = |n: i64| u64::try_from(n).unwrap_or(0);
            let (overdue, week, all) = (count(row.overdue), count(row.week), count(row.all));
            let wait = WaitingOn::parse(&row.waiting_on).ok_or_else(|| {
                StoreError::Corrupt(format!("board_counts: unknown wait {:?}", row.waiting_on))
            })?;
            if wait.effective(day.panel_needed) == WaitingOn::Nobody {
                counts.sections[Section::Overdue.index()] += overdue;
                counts.sections[Section::ThisWeek.index()] += week;
                counts.sections[Section::Running.index()] += all - overdue - week;
            } else {
                counts.sections[Section::Waiting.index()] += all;
            }
            counts.open += all;
        }
        Ok(counts)
    }

    /// The `limit` most urgent cases of a section on `day`: by next date (none last), then
    /// the one unchanged longest. `order` is `domain::urgency::order` with the partnership,
    /// to merge a section's walks the way the index orders each.
    pub async fn board_section<K: Ord>(
        &self,
        day: &BoardDay,
        section: Section,
        limit: u32,
        order: impl Fn(&Case) -> K,
    ) -> Result<Vec<Case>, StoreError> {
        let (from, to, undated) = day.dates(section);
        let limit = i64::from(limit);
        let mut cases = Vec::new();
        if limit == 0 {
            return Ok(cases);
        }
        // One walk per wait (a section holds one or two), merged here: SQLite would sort
        // every matching case to order an `IN` by date.
        for wait in day.waits(section) {
            let wait = wait.as_str();
            let mut rows = sqlx::query_scalar!(
                r#"SELECT snapshot FROM cases INDEXED BY cases_board
                   WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                     AND waiting_on = ?1 AND next_due_on >= ?2 AND next_due_on < ?3
                   ORDER BY next_due_on, updated_at
                   LIMIT ?4"#,
                wait,
                from,
                to,
                limit
            )
            .fetch_all(&self.pool)
            .await?;
            let rest = limit - rows.len() as i64;
            if undated && rest > 0 {
                rows.extend(
                    sqlx::query_scalar!(
                        r#"SELECT snapshot FROM cases INDEXED BY cases_board
                           WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
                             AND waiting_on = ?1 AND next_due_on IS NULL
                           ORDER BY updated_at
                           LIMIT ?2"#,
                        wait,
                        rest
                    )
                    .fetch_all(&self.pool)
                    .await?,
                );
            }
            for row in rows {
                cases.push(decode_case(&row)?);
            }
        }
        cases.sort_by_cached_key(|c| order(c));
        cases.truncate(limit as usize);
        Ok(cases)
    }
}

#[cfg(test)]
mod tests;
