//! A case's dates and reminders for `/dates show` and the CLI, and a school's calendar
//! feed, each only for someone who may see the cases in it.

use chrono::{DateTime, Utc};

use crate::domain::dates::{case_dates, CaseDate};
use crate::domain::reminders::ReminderKind;
use crate::domain::{Actor, Case, CaseRef, Partnership, Refusal, SchoolKey};
use crate::service::{Service, ServiceError};
use crate::store::{ReminderState, StoredReminder};

#[derive(Debug, Clone)]
pub struct CaseSchedule {
    pub case: Case,
    pub dates: Vec<CaseDate>,
    /// Reminders still to go out or already sent, by due time (cancelled ones left out).
    pub reminders: Vec<StoredReminder>,
}

/// A case's dates and reminders, if the actor may see the case.
pub async fn case_schedule(
    service: &Service,
    actor: &Actor,
    reference: CaseRef,
) -> Result<CaseSchedule, ServiceError> {
    let case = service.show(actor, reference).await?;
    let label = reference.to_string();
    let internal = |e| ServiceError::internal(&e, Some(&label));
    let (id, _) = service
        .store()
        .find_case(reference)
        .await
        .map_err(internal)?
        .ok_or_else(|| Refusal::case_not_found(reference))?;
    let mut reminders = service
        .store()
        .reminders_of_case(id)
        .await
        .map_err(internal)?;
    reminders.retain(|r| r.state != ReminderState::Cancelled);
    Ok(CaseSchedule {
        dates: case_dates(&case, service.partnership()),
        case,
        reminders,
    })
}

/// The .ics feed of a school's open cases that the actor may see.
pub async fn school_feed(
    service: &Service,
    actor: &Actor,
    school: &str,
) -> Result<String, ServiceError> {
    let p = service.partnership();
    let key = SchoolKey::parse(school)?;
    p.school(&key)?;
    // A calendar feed must hold every date, however many cases.
    let cases = service.list(actor, true, u32::MAX).await?;
    Ok(super::school_calendar(&cases, &key, p, service.now()))
}

impl CaseSchedule {
    /// Plain lines: the dates (✓ once held), then the reminders and their state.
    pub fn lines(&self, p: &Partnership, now: DateTime<Utc>) -> Vec<String> {
        let tz = &p.timezone;
        let mut out = vec![format!("Dates for `{}`:", self.case.reference)];
        if self.dates.is_empty() {
            out.push("No dates yet: the initial meeting and the agreement set them.".into());
        }
        for d in &self.dates {
            let when = match d.at {
                Some(at) => at
                    .with_timezone(tz)
                    .format("%a %-d %b %Y, %H:%M")
                    .to_string(),
                None => d.day.format("%a %-d %b %Y").to_string(),
            };
            let done = if d.done { " ✓" } else { "" };
            out.push(format!("• {} · {when}{done}", d.what.label()));
        }
        let upcoming: Vec<&StoredReminder> = self
            .reminders
            .iter()
            .filter(|r| r.state == ReminderState::Pending && r.due_at > now)
            .collect();
        if !upcoming.is_empty() {
            out.push("Reminders to come (snooze one with its key):".into());
        }
        let steps = crate::domain::next_step::all_steps(&self.case, p);
        for r in upcoming {
            let what = match ReminderKind::parse(&r.kind) {
                // The owner's reminder names its step: "step overdue: Hillcrest School head:
                // sign the agreement (`/agreement sign`)"; its escalation, after it, only
                // says so (one message's room).
                Some(k @ ReminderKind::StepOverdue) => {
                    let key = crate::domain::reminders::escalation::step_key(&r.key);
                    match steps.iter().find(|s| s.key == key) {
                        Some(step) => format!("{}: {}", k.label(), step.describe(p)),
                        None => k.label().to_string(),
                    }
                }
                Some(k) => k.label().to_string(),
                None => "reminder".to_string(),
            };
            let when = r.due_at.with_timezone(tz).format("%a %-d %b %H:%M");
            out.push(format!("• `{}` · {when} · {what}", r.key));
        }
        out
    }
}
