//! Reminders, exactly once. Every command re-plans its case's reminders in its own
//! transaction ([`replan`], owned by the service, which this module sits above); [`tick`]
//! moves what is due into the outbox and marks it queued in one transaction; the outbox sender posts each row with a nonce derived from its ID
//! and marks it sent only after Discord answered. So a crash at any point neither loses a
//! reminder nor posts one twice. [`spawn`] runs ticks, sleeping until the next due time.

mod by_lead;
mod digest;
mod disputes;
mod ics;
mod message;
mod run;
mod tick;
mod upcoming;

use crate::domain::next_step;
use crate::service::Service;
use crate::store::{Store, StoreError};

pub use digest::{digest_lines, weekly_lines};
pub use ics::{case_calendar, school_calendar};
pub use message::{late_note, reminder_text};
pub use run::spawn;
pub use tick::{tick, TickReport};
pub use upcoming::{case_schedule, school_feed, CaseSchedule};

// Re-planning runs inside every command's transaction, so the service owns it; the
// scheduler only sends what was planned. Re-exported for the seeding and start-up paths.
pub use crate::service::replan::replan;

/// How many cases one start-up re-planning transaction covers. Each transaction holds the
/// write lock, and a command from Discord waits for it: a batch this size is a few
/// milliseconds, where one transaction over every open case held commands up for as long
/// as the whole re-plan took.
pub const REPLAN_BATCH: usize = 50;

/// Re-plans (and files on the board again) every case that may need it, [`REPLAN_BATCH`]
/// cases per transaction: at start-up, so that config changes (times, terms) and cases from before reminders existed
/// are planned too. Each case is read again inside its batch's transaction, so a command
/// that changed it meanwhile (and re-planned it itself) is not undone by a stale copy.
pub async fn replan_all(service: &Service) -> Result<usize, StoreError> {
    let now = service.now();
    let ids: Vec<i64> = {
        let mut conn = service.store().pool().acquire().await?;
        Store::cases_to_plan(&mut conn)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    };
    let (p, s) = (service.partnership(), service.reminder_settings());
    for batch in ids.chunks(REPLAN_BATCH) {
        let mut tx = service.store().begin_write().await?;
        for id in batch {
            if let Some(case) = Store::load_case_by_id(&mut tx, *id).await? {
                replan(&mut tx, *id, &case, p, s, now).await?;
                // The board files a case by its next step's due day, which the calendar
                // and policy decide: a case stored before, or under another config, is
                // filed again here.
                Store::refile(&mut tx, *id, next_step::next_due(&case, p)).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests;
