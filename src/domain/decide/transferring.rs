//! The transferring stage (see `domain::transfer`): both heads' "permanent" begins it; each
//! step is recorded by the school that owns it; the last step closes the case with the
//! outcome permanent.

use chrono::NaiveDate;

use crate::domain::case::{Case, CaseState, Outcome};
use crate::domain::command::ActionKind;
use crate::domain::event::{Event, EventKind};
use crate::domain::ids::Text;
use crate::domain::partnership::Partnership;
use crate::domain::refusal::Refusal;
use crate::domain::transfer::{self, Transfer, ROLL_CHANGE_SCHOOL_DAYS};

use super::guards::not_in_future;

/// The event that begins the stage, once both heads have confirmed, on `today`.
pub(super) fn begin(note: &Text, today: NaiveDate, p: &Partnership) -> EventKind {
    EventKind::TransferBegun {
        on: today,
        roll_due: p.calendar.add_school_days(today, ROLL_CHANGE_SCHOOL_DAYS),
        note: note.clone(),
    }
}

fn show(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}

/// May this step be recorded now, whatever its data?
pub(super) fn may(kind: ActionKind, case: &Case) -> Result<(), Refusal> {
    use ActionKind as K;
    let t = stage(case)?;
    match kind {
        K::RecordNamedSchoolAmended if !case.ehcp => Err(Refusal::wrong_state(
            "The pupil has no EHCP, so there is no named school to amend.",
        )),
        K::RecordVirtualSchoolTold if !case.looked_after => Err(Refusal::wrong_state(
            "The pupil is not looked after, so there is no Virtual School to tell.",
        )),
        K::RecordNamedSchoolAmended | K::RecordMainRegistration if t.removal.is_some() => {
            Err(roll_changed(t))
        }
        K::RecordMainRegistration if case.ehcp && t.named_school_amended.is_none() => {
            Err(Refusal::blocked(
                "For a pupil with an EHCP the local authority amends the named school first: record it with `/transfer ehcp-amended`.",
            ))
        }
        K::RecordRemovalFromRoll if t.removal.is_some() => Err(roll_changed(t)),
        K::RecordRemovalFromRoll if t.main_registration.is_none() => Err(Refusal::blocked(
            "The home school removes the pupil from its roll only after the destination confirms its main registration.",
        )),
        K::RecordChildProtectionFile | K::RecordTransferRecordsSent if t.removal.is_none() => {
            Err(Refusal::blocked(
                "The records follow the removal from roll: record the roll change first.",
            ))
        }
        K::RecordChildProtectionFile if t.cp_receipt.is_some() => Err(Refusal::wrong_state(
            "The destination has already confirmed the child-protection file arrived.",
        )),
        K::ConfirmChildProtectionReceipt
            if t.cp_file.as_ref().and_then(|f| f.sent_on).is_none() =>
        {
            Err(Refusal::blocked(
                "No child-protection file has been recorded as sent.",
            ))
        }
        _ => Ok(()),
    }
}

fn stage(case: &Case) -> Result<&Transfer, Refusal> {
    match (&case.transfer, case.state) {
        (Some(t), CaseState::Transferring) => Ok(t),
        _ => Err(Refusal::wrong_state(
            "That is a step of the transfer, recorded once both heads have confirmed a permanent transfer.",
        )),
    }
}

fn roll_changed(t: &Transfer) -> Refusal {
    let on = t.removal.as_ref().map_or(t.begun_on, |r| r.on);
    Refusal::wrong_state(format!(
        "The home school has already removed the pupil from its roll on {}; the roll change is done.",
        show(on)
    ))
}

pub(super) fn named_school_amended(
    case: &Case,
    on: NaiveDate,
    note: &Option<Text>,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    finish(
        case,
        EventKind::NamedSchoolAmended {
            on,
            note: note.clone(),
        },
    )
}

pub(super) fn virtual_school_told(
    case: &Case,
    on: NaiveDate,
    contact: &Text,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    finish(
        case,
        EventKind::VirtualSchoolTold {
            on,
            contact: contact.clone(),
        },
    )
}

/// The destination's main registration: never before both heads confirmed (never
/// backdated), nor before the destination admitted the pupil.
pub(super) fn main_registration(
    case: &Case,
    on: NaiveDate,
    la_notified: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    let t = stage(case)?;
    roll_date(case, t, on, la_notified, today)?;
    finish(case, EventKind::MainRegistrationMade { on, la_notified })
}

/// The home school's removal: on the destination's date, after its confirmation.
pub(super) fn removal(
    case: &Case,
    on: NaiveDate,
    la_notified: NaiveDate,
    today: NaiveDate,
    p: &Partnership,
) -> Result<Vec<EventKind>, Refusal> {
    let t = stage(case)?;
    roll_date(case, t, on, la_notified, today)?;
    let main = t.main_registration.as_ref().map(|m| m.on);
    if let Some(main) = main.filter(|m| *m != on) {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The removal from roll must be on the destination's main registration date, {}.",
                show(main)
            ),
        ));
    }
    finish(
        case,
        EventKind::RemovedFromRoll {
            on,
            la_notified,
            cp_due: transfer::cp_file_due(&p.calendar, on),
            records_due: transfer::records_due(&p.calendar, on),
        },
    )
}

fn roll_date(
    case: &Case,
    t: &Transfer,
    on: NaiveDate,
    la_notified: NaiveDate,
    today: NaiveDate,
) -> Result<(), Refusal> {
    if on < t.begun_on {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The roll change can't be backdated: both heads confirmed the transfer on {}.",
                show(t.begun_on)
            ),
        ));
    }
    if let Some(admitted) = transfer::admitted_on(case).filter(|a| on < *a) {
        return Err(Refusal::invalid_owned(
            "on",
            format!(
                "The roll change can't be before the destination admitted the pupil on {}.",
                show(admitted)
            ),
        ));
    }
    not_in_future(on, today)?;
    not_in_future(la_notified, today)
}

pub(super) fn cp_file(
    case: &Case,
    sent_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    if let Some(on) = sent_on {
        not_in_future(on, today)?;
    }
    finish(case, EventKind::ChildProtectionFileRecorded { sent_on })
}

pub(super) fn cp_receipt(
    case: &Case,
    on: NaiveDate,
    lead: &Text,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    let t = stage(case)?;
    not_in_future(on, today)?;
    if let Some(sent) = t.cp_file.as_ref().and_then(|f| f.sent_on) {
        if on < sent {
            return Err(Refusal::invalid_owned(
                "on",
                format!(
                    "The file can't have arrived before it was sent on {}.",
                    show(sent)
                ),
            ));
        }
    }
    finish(
        case,
        EventKind::ChildProtectionFileReceived {
            on,
            lead: lead.clone(),
        },
    )
}

pub(super) fn records_sent(
    case: &Case,
    on: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<EventKind>, Refusal> {
    not_in_future(on, today)?;
    finish(case, EventKind::TransferRecordsSent { on })
}

/// The step's event, and `Completed { outcome: Permanent }` when it was the last step.
fn finish(case: &Case, step: EventKind) -> Result<Vec<EventKind>, Refusal> {
    let mut after = case.clone();
    after.apply(&Event {
        by: case.proposed.by,
        at: case.updated_at,
        kind: step.clone(),
    });
    let mut events = vec![step];
    if let (Some(t), true) = (&after.transfer, transfer::is_done(&after)) {
        events.push(EventKind::Completed {
            outcome: Outcome::Permanent,
            note: t.note.clone(),
        });
    }
    Ok(events)
}
