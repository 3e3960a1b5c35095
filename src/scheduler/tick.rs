//! One scheduler step: queue everything due, in one write transaction.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};

use crate::domain::partnership::SCHOOL_DAY_END;
use crate::domain::reminders::ReminderKind;
use crate::domain::CaseRef;
use crate::service::{Audience, Notice, Notification, PartnershipNotification, Service};
use crate::store::{DueReminder, NewOutbox, NewReminder, Store, StoreError, StoredReminder, Tx};

/// At most this many reminders per transaction, so a long catch-up never holds the write
/// lock for long (a thousand take a few milliseconds); the loop runs again at once while
/// there is more.
const BATCH: i64 = 1_000;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Reminders moved to the outbox (each exactly once).
    pub queued: usize,
    /// Of those, how many were queued well after their time (after downtime).
    pub late: usize,
    /// A full batch was queued: run again without sleeping.
    pub more: bool,
    /// When the next pending reminder falls due.
    pub next_due: Option<DateTime<Utc>>,
}

/// Queues every pending reminder due by `now`: an outbox row for each, and the reminder
/// marked queued, committed together. Also makes sure the coordinators' next digests exist.
pub async fn tick(service: &Service, now: DateTime<Utc>) -> Result<TickReport, StoreError> {
    let store = service.store();
    let late_after = service.reminder_settings().late_after;
    let mut tx = store.begin_write().await?;
    ensure_digests(&mut tx, service, now).await?;
    let due = Store::due_reminders(&mut tx, now, BATCH).await?;
    let mut report = TickReport {
        more: due.len() as i64 == BATCH,
        ..TickReport::default()
    };
    let today = service.partnership().today(now);
    let superseded = superseded_while_down(&due, now, late_after);
    // Decide everything first, then write it in three statements: one round trip per
    // reminder to SQLite's worker thread is what made a catch-up of a thousand slow.
    let mut cancelled = Vec::new();
    let mut to_queue = Vec::new();
    for reminder in &due {
        if is_stale_digest(&reminder.row, today) || superseded.contains(&reminder.row.id) {
            cancelled.push(reminder.row.id);
            continue;
        }
        let late = now - reminder.row.due_at > late_after;
        let Some((audience, notice, payload)) = payload(reminder, late)? else {
            // Written by an older or newer version and not understood: never send it.
            tracing::warn!(
                reminder = reminder.row.id,
                "cancelled an unreadable reminder"
            );
            cancelled.push(reminder.row.id);
            continue;
        };
        to_queue.push((reminder, late, audience.label(), notice, payload));
    }
    let messages: Vec<NewOutbox> = to_queue
        .iter()
        .map(|(reminder, _, audience, kind, payload)| NewOutbox {
            case_id: reminder.row.case_id,
            audience,
            kind,
            payload,
        })
        .collect();
    let outbox_ids = Store::enqueue_many(&mut tx, &messages, now).await?;
    let queued: Vec<(i64, bool, i64)> = to_queue
        .iter()
        .zip(&outbox_ids)
        .map(|((reminder, late, ..), &outbox)| (reminder.row.id, *late, outbox))
        .collect();
    Store::mark_reminders_queued(&mut tx, &queued, now).await?;
    Store::cancel_reminders(&mut tx, &cancelled, now).await?;
    report.queued = queued.len();
    report.late = queued.iter().filter(|(_, late, _)| *late).count();
    tx.commit().await?;
    report.next_due = store.next_reminder_due().await?;
    if report.queued > 0 {
        tracing::info!(
            queued = report.queued,
            late = report.late,
            "reminders queued"
        );
    }
    Ok(report)
}

/// After downtime, several reminders of one kind for one case can be overdue at once (a
/// weekly check-in missed three times). One late reminder says it all: the older ones of
/// the same kind and case are cancelled instead of posted. Escalation's reminders are one
/// per step, each about a different thing: they are grouped by their key, never merged.
fn group(r: &DueReminder) -> &str {
    let steps = [
        ReminderKind::StepOverdue.as_str(),
        ReminderKind::StepEscalated.as_str(),
    ];
    if steps.contains(&r.row.kind.as_str()) {
        &r.row.key
    } else {
        &r.row.kind
    }
}

fn superseded_while_down(
    due: &[DueReminder],
    now: DateTime<Utc>,
    late_after: chrono::Duration,
) -> std::collections::HashSet<i64> {
    // (case, kind) -> (due time, reminder id) of the newest overdue one.
    type Newest<'a> = std::collections::HashMap<(Option<i64>, &'a str), (DateTime<Utc>, i64)>;
    let mut newest = Newest::new();
    for r in due.iter().filter(|r| now - r.row.due_at > late_after) {
        let entry = newest
            .entry((r.row.case_id, group(r)))
            .or_insert((r.row.due_at, r.row.id));
        if r.row.due_at >= entry.0 {
            *entry = (r.row.due_at, r.row.id);
        }
    }
    due.iter()
        .filter(|r| now - r.row.due_at > late_after)
        .filter(|r| {
            newest
                .get(&(r.row.case_id, group(r)))
                .is_some_and(|(_, id)| *id != r.row.id)
        })
        .map(|r| r.row.id)
        .collect()
}

/// A digest superseded while the bot was down: a morning digest for a day already gone
/// (today's covers it), or a weekly summary a week old. Case reminders are always caught
/// up, once, marked late; so is a weekly summary missed by a few days.
fn is_stale_digest(row: &StoredReminder, today: NaiveDate) -> bool {
    match ReminderKind::parse(&row.kind) {
        Some(ReminderKind::Digest) => row.about_on < today,
        Some(ReminderKind::WeeklySummary) => row.about_on + Days::new(7) <= today,
        _ => false,
    }
}

/// The outbox payload (with its audience and notice label): a case notification, or a
/// partnership-wide one for digests.
type Payload = (Audience, &'static str, String);

fn payload(r: &DueReminder, late: bool) -> Result<Option<Payload>, StoreError> {
    let row = &r.row;
    let (Ok(audience), Some(kind)) = (
        serde_json::from_str::<Audience>(&row.audience),
        ReminderKind::parse(&row.kind),
    ) else {
        return Ok(None);
    };
    let on = row.about_on;
    let partnership = |notice: Notice| {
        let label = notice.label();
        let json = to_json(&PartnershipNotification {
            audience: audience.clone(),
            notice,
        })?;
        Ok(Some((audience.clone(), label, json)))
    };
    match (kind, &r.reference) {
        (ReminderKind::Digest, None) => partnership(Notice::Digest { on, late }),
        (ReminderKind::WeeklySummary, None) => partnership(Notice::WeeklySummary { on, late }),
        (ReminderKind::Digest | ReminderKind::WeeklySummary, Some(_)) | (_, None) => Ok(None),
        (_, Some(reference)) => {
            let Ok(case) = CaseRef::parse(reference) else {
                return Ok(None);
            };
            let notice = Notice::Reminder {
                key: row.key.clone(),
                kind,
                about: on,
                due_at: row.due_at,
                late,
            };
            let label = notice.label();
            let json = to_json(&Notification {
                case,
                audience: audience.clone(),
                notice,
            })?;
            Ok(Some((audience, label, json)))
        }
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Today's and the next school day's digest, and this and next week's summary, each one
/// row with a key per date, so none is ever queued twice. Today's are added only while
/// the school day lasts: a digest missed in the morning goes out late, once, but a bot
/// restarted in the evening does not post the morning's news.
async fn ensure_digests(
    tx: &mut Tx,
    service: &Service,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (p, s) = (service.partnership(), service.reminder_settings());
    let today = p.today(now);
    let end = NaiveTime::from_hms_opt(SCHOOL_DAY_END.0, SCHOOL_DAY_END.1, 0).expect("valid time");
    let today_open = now < p.instant(today, end);
    let mut wanted: Vec<(ReminderKind, NaiveDate, NaiveTime)> = Vec::new();
    if let Some(at) = s.digest_at {
        let next = p.calendar.add_school_days(today, 1);
        wanted.push((ReminderKind::Digest, today, at));
        wanted.push((ReminderKind::Digest, next, at));
    }
    if let Some((weekday, at)) = s.weekly_summary {
        let ahead =
            (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        let first = today + Days::new(ahead.into());
        wanted.push((ReminderKind::WeeklySummary, first, at));
        wanted.push((ReminderKind::WeeklySummary, first + Days::new(7), at));
    }
    let audience = to_json(&Audience::Coordinators)?;
    for (kind, day, at) in wanted {
        let due_at = p.instant(day, at);
        if !p.calendar.is_school_day(day) || (day == today && !today_open) {
            continue;
        }
        let key = digest_key(kind, day);
        let new = NewReminder {
            key: &key,
            kind: kind.as_str(),
            audience: &audience,
            about_on: day,
            due_at,
        };
        Store::ensure_partnership_reminder(tx, &new, now).await?;
    }
    Ok(())
}

/// `digest_2026-11-24`, `weekly_summary_2026-11-27`.
pub fn digest_key(kind: ReminderKind, day: NaiveDate) -> String {
    format!("{}_{day}", kind.as_str())
}
