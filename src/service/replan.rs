//! Re-planning a case's reminders inside the command's own transaction. The service owns
//! it (every command ends with a re-plan), so it lives here, below the scheduler that only
//! sends what was planned: the dependency runs one way, scheduler -> service.

use chrono::{DateTime, Utc};

use super::Audience;
use crate::domain::reminders::{self, PlannedReminder, Recipients, ReminderSettings};
use crate::domain::{Case, Partnership};
use crate::store::{NewReminder, ReminderState, Store, StoreError, StoredReminder, Tx};

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
