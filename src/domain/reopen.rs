//! Reopening a case closed in error (issue 15, part 5). Closing changes a few fields
//! (the state, the outcome, the decision that closed it); the case keeps what they were,
//! so a reopen puts back exactly the state before the closing event and keeps the rest.
//! A coordinator asks, with a reason; a head of the school whose action closed the case
//! confirms (coordinators decide nothing on a school's behalf), within
//! `[policy] reopen_within_school_days` of the close, and never after a roll change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::approvals::ExtraApproval;
use super::case::{Case, CaseState, Outcome, PanelDecision, Stamp};
use super::event::EventKind;
use super::ids::{SchoolKey, Text};
use super::partnership::Partnership;
use super::returning::ReturnHow;

/// Which school's head confirms a reopen: the one whose action closed the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosingSide {
    /// Withdrawn, the parent's consent withdrawn (both the home head's), and a rejection
    /// by the panel or the extra approval: not a school's decision, so the home school,
    /// which proposed the move and keeps the duty of care, speaks for the pupil.
    Home,
    /// Declined, or ended early: the destination head's decisions.
    Destination,
    /// Completed: the outcome both heads recorded, so either head confirms.
    Either,
}

impl ClosingSide {
    /// Whether the head of `school` speaks for this side on `case`.
    pub fn includes(self, case: &Case, school: &SchoolKey) -> bool {
        match self {
            ClosingSide::Home => school == &case.home,
            ClosingSide::Destination => school == &case.destination,
            ClosingSide::Either => case.involves(school),
        }
    }

    /// The school (or schools) whose head confirms, by name, for a refusal or the card.
    pub fn schools(self, case: &Case, p: &Partnership) -> String {
        match self {
            ClosingSide::Home => p.school_name(&case.home),
            ClosingSide::Destination => p.school_name(&case.destination),
            ClosingSide::Either => format!(
                "{} or {}",
                p.school_name(&case.home),
                p.school_name(&case.destination)
            ),
        }
    }
}

/// What the closing event changed, as it was just before, and who closed the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeforeClose {
    pub state: CaseState,
    pub decided: Option<Stamp>,
    pub outcome: Option<Outcome>,
    pub panel: Option<PanelDecision>,
    pub extra_approval: Option<ExtraApproval>,
    /// The closing event's author and time.
    pub closed: Stamp,
    pub side: ClosingSide,
}

impl BeforeClose {
    /// Taken before an event that may close the case is folded in (kept only if it did).
    pub fn of(case: &Case, closing: &EventKind, closed: Stamp) -> Option<Self> {
        let side = closing_side(case, closing)?;
        Some(Self {
            state: case.state,
            decided: case.decided.clone(),
            outcome: case.outcome,
            panel: case.panel.clone(),
            extra_approval: case.extra_approval.clone(),
            closed,
            side,
        })
    }
}

/// Whose action a closing event is; `None` for an event that never closes a case.
fn closing_side(case: &Case, event: &EventKind) -> Option<ClosingSide> {
    use EventKind as E;
    Some(match event {
        E::Declined { .. } => ClosingSide::Destination,
        E::Withdrawn { .. } | E::PanelDecided { .. } | E::ExtraApprovalDecided { .. } => {
            ClosingSide::Home
        }
        E::Terminated { .. } => match case.returning.as_ref().map(|r| &r.how) {
            Some(ReturnHow::ConsentWithdrawn { .. }) => ClosingSide::Home,
            _ => ClosingSide::Destination,
        },
        E::Completed { .. } => ClosingSide::Either,
        _ => return None,
    })
}

/// A coordinator's request to reopen, waiting for the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReopenAsk {
    pub reason: Text,
    pub asked: Stamp,
}

/// The latest reopen: why, who asked, who confirmed, and the state the case went back to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reopening {
    pub reason: Text,
    pub asked: Stamp,
    pub confirmed: Stamp,
    pub state: CaseState,
}

/// Whether the pupil's roll has changed: a transfer's main registration or removal from
/// roll recorded. Registers are the law's record of where a child is; a reopen never
/// pretends they did not change.
pub fn roll_changed(case: &Case) -> bool {
    case.transfer
        .as_ref()
        .is_some_and(|t| t.main_registration.is_some() || t.removal.is_some())
}

/// The last school day a closed case may be reopened on: `[policy]
/// reopen_within_school_days` school days after the day it closed.
pub fn reopen_until(before: &BeforeClose, p: &Partnership) -> NaiveDate {
    let closed_on = p.today(before.closed.at);
    p.calendar
        .add_school_days(closed_on, u32::from(p.policy.reopen_within_school_days))
}

/// Whether a closed case may still be reopened on `today`: no more than the window's
/// school days have passed since the day it closed (so a weekend straight after the
/// last one does not end it). `Err` holds the window's last school day.
pub fn within_window(
    before: &BeforeClose,
    p: &Partnership,
    today: NaiveDate,
) -> Result<(), NaiveDate> {
    let closed_on = p.today(before.closed.at);
    let days = u32::from(p.policy.reopen_within_school_days);
    if p.calendar.school_days_between(closed_on, today) <= days {
        Ok(())
    } else {
        Err(reopen_until(before, p))
    }
}
