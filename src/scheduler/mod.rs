//! Reminders, exactly once. Every command re-plans its case's reminders in its own
//! transaction ([`replan`]); [`tick`] moves what is due into the outbox and marks it queued
//! in one transaction; the outbox sender posts each row with a nonce derived from its ID
//! and marks it sent only after Discord answered. So a crash at any point neither loses a
//! reminder nor posts one twice. [`spawn`] runs ticks, sleeping until the next due time.

mod digest;
mod ics;
mod message;
mod run;
mod tick;
mod upcoming;

use chrono::{DateTime, Utc};

use crate::domain::reminders::{self, PlannedReminder, Recipients, ReminderSettings};
use crate::domain::{Case, Partnership};
use crate::service::{Audience, Service};
use crate::store::{NewReminder, ReminderState, Store, StoreError, StoredReminder, Tx};

pub use digest::{digest_lines, weekly_lines};
pub use ics::{case_calendar, school_calendar};
pub use message::{late_note, reminder_text};
pub use run::spawn;
pub use tick::{tick, TickReport};
pub use upcoming::{case_schedule, school_feed, CaseSchedule};

/// Where a reminder for `case` is posted.
pub fn audience(recipients: Recipients, case: &Case) -> Audience {
    match recipients {
        Recipients::CaseTeam => Audience::CaseThread,
        Recipients::DestinationHead => Audience::Head {
            school: case.destination.clone(),
        },
        Recipients::Panel => Audience::Seip,
        Recipients::Coordinators => Audience::Coordinators,
    }
}

/// Brings a case's stored reminders in line with its plan, inside the command's
/// transaction. Planning never schedules into the past: a reminder whose time has already
/// gone when it is first planned (or re-planned to a new time) is not sent, because the
/// person acting has just seen the case. Only reminders missed while the bot was down are
/// caught up, by [`tick`], once, marked late.
pub async fn replan(
    tx: &mut Tx,
    case_id: i64,
    case: &Case,
    p: &Partnership,
    settings: &ReminderSettings,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let planned = reminders::plan(case, p, settings);
    let existing = Store::case_reminders(tx, case_id).await?;
    for r in &planned {
        let audience = serde_json::to_string(&audience(r.recipients, case))
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let new = NewReminder {
            key: &r.key,
            kind: r.kind.as_str(),
            audience: &audience,
            about_on: r.about,
            due_at: r.due_at,
        };
        let future = r.due_at > now;
        match existing.iter().find(|e| e.key == r.key) {
            None if future => Store::insert_reminder(tx, case_id, &new, now).await?,
            None => {}
            Some(e) => match e.state {
                ReminderState::Pending if unchanged(e, &new) => {}
                ReminderState::Pending if future => {
                    Store::reschedule_reminder(tx, e.id, &new, now).await?
                }
                ReminderState::Pending => Store::cancel_reminder(tx, e.id, now).await?,
                // Sent already: again only for a new, future time (a moved review, a snooze).
                ReminderState::Queued if future && e.due_at != r.due_at => {
                    Store::reschedule_reminder(tx, e.id, &new, now).await?
                }
                ReminderState::Cancelled if future => {
                    Store::reschedule_reminder(tx, e.id, &new, now).await?
                }
                ReminderState::Queued | ReminderState::Cancelled => {}
            },
        }
    }
    for e in existing
        .iter()
        .filter(|e| e.state == ReminderState::Pending)
    {
        if !planned.iter().any(|r: &PlannedReminder| r.key == e.key) {
            Store::cancel_reminder(tx, e.id, now).await?;
        }
    }
    Ok(())
}

fn unchanged(e: &StoredReminder, new: &NewReminder<'_>) -> bool {
    e.due_at == new.due_at
        && e.kind == new.kind
        && e.audience == new.audience
        && e.about_on == new.about_on
}

/// How many cases one start-up re-planning transaction covers. Each transaction holds the
/// write lock, and a command from Discord waits for it: a batch this size is a few
/// milliseconds, where one transaction over every open case held commands up for as long
/// as the whole re-plan took.
pub const REPLAN_BATCH: usize = 50;

/// Re-plans every case that may need it, [`REPLAN_BATCH`] cases per transaction: at
/// start-up, so that config changes (times, terms) and cases from before reminders existed
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
            }
        }
        tx.commit().await?;
    }
    Ok(ids.len())
}

#[cfg(test)]
mod tests;
