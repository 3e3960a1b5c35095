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
        Recipients::ResponsibleSchool => Audience::Head {
            school: crate::domain::returning::responsible_school(case)
                .unwrap_or(&case.home)
                .clone(),
        },
        Recipients::HomeHead => Audience::Head {
            school: case.home.clone(),
        },
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The scheduler calls the service (ticks, digests, start-up re-plans); the service
    /// never calls back up, so the dependency runs one way and the service can be read
    /// and tested without the scheduler.
    #[test]
    fn the_service_never_imports_the_scheduler() {
        // Split so that this file does not find itself.
        let path_to_it = concat!("crate::", "scheduler");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/service");
        let mut offenders = Vec::new();
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("src/service exists") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "rs") {
                seen += 1;
                let source = std::fs::read_to_string(&path).expect("readable source");
                for (n, line) in source.lines().enumerate() {
                    let code = line.trim_start();
                    let imports = code.starts_with("use ") && code.contains("scheduler");
                    if !code.starts_with("//") && (imports || code.contains(path_to_it)) {
                        offenders.push(format!("{}:{}: {code}", path.display(), n + 1));
                    }
                }
            }
        }
        assert!(seen > 5, "read the service's files ({seen})");
        assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    }
}
