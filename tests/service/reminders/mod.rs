//! Reminders end to end over a real SQLite database, with a manual clock: planned by each
//! command, queued once by `tick`, caught up once after downtime, cancelled when a case
//! closes, and never duplicated by a crash between queueing and sending.

use crate::common;

mod delivery;
mod escalation;
mod schedule;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use common::*;
use managed_moves::domain::{Action, CaseRef, MoveKind};
use managed_moves::service::{Notice, Notification};
use managed_moves::store::{ReminderState, StoredReminder};

pub fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

/// Proposed a week before `start` (a school day in the example config's terms), agreed for
/// `weeks`, and started on `start` at 10:00 UTC.
pub async fn active_case(w: &World, start: NaiveDate, weeks: u8) -> CaseRef {
    let before = start - Days::new(7);
    w.clock.set(before.and_hms_opt(10, 0, 0).unwrap().and_utc());
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.agree(r, before, start, weeks).await;
    let meeting_day = w.service.partnership().calendar.on_or_after(before);
    w.clock.set(start.and_hms_opt(10, 0, 0).unwrap().and_utc());
    w.act(&home, r, meeting_held(meeting_day)).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: start,
        la_notified: start,
    };
    w.act(&destination, r, registered).await;
    w.act(&home, r, Action::StartMove { on: None }).await;
    r
}

pub async fn reminders(w: &World, r: CaseRef) -> Vec<StoredReminder> {
    let (id, _) = w.service.store().find_case(r).await.unwrap().unwrap();
    w.service.store().reminders_of_case(id).await.unwrap()
}

pub async fn reminder(w: &World, r: CaseRef, key: &str) -> StoredReminder {
    let all = reminders(w, r).await;
    all.into_iter()
        .find(|x| x.key == key)
        .unwrap_or_else(|| panic!("no reminder {key}"))
}

pub fn pending(r: &StoredReminder) -> bool {
    r.state == ReminderState::Pending
}

/// One scheduler step at the clock's time.
pub async fn tick(w: &World) -> managed_moves::scheduler::TickReport {
    managed_moves::scheduler::tick(&w.service, w.service.now())
        .await
        .unwrap()
}

/// Reminder notifications in the outbox (sent or not), with their outbox IDs.
pub async fn queued(w: &World) -> Vec<(i64, String, bool)> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, payload FROM outbox WHERE kind = 'reminder' AND case_id IS NOT NULL ORDER BY id",
    )
    .fetch_all(w.service.store().pool())
    .await
    .unwrap();
    rows.into_iter()
        .map(|(id, payload)| {
            let n: Notification = serde_json::from_str(&payload).unwrap();
            match n.notice {
                Notice::Reminder { key, late, .. } => (id, key, late),
                other => panic!("not a reminder: {other:?}"),
            }
        })
        .collect()
}

pub async fn queued_keys(w: &World) -> Vec<String> {
    queued(w).await.into_iter().map(|(_, key, _)| key).collect()
}
