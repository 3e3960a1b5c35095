//! The returning stage and the follow-up (DOMAIN.md, "The protocol in depth", "Endings").
//!
//! A managed move that ends with the pupil going home (outcome "returned", ended early by
//! the destination head, or the parent's consent withdrawn) does not close at once: the
//! home school holds a reintegration meeting within five school days of the return, writes
//! a reintegration plan, and each school changes its own register. The case closes, with
//! the outcome it would have had, when all three are done. One term after any move closes
//! the school now responsible records whether the pupil is still on roll.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::attendance::Percent;
use super::case::{Case, CaseState, Outcome, Stamp};
use super::event::EventKind;
use super::ids::{SchoolKey, Text};
use super::meetings::Attendance;
use super::partnership::Partnership;

/// The reintegration meeting is held within this many school days of the return.
pub const MEETING_WITHIN_SCHOOL_DAYS: u32 = 5;

/// How the pupil came to return home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum ReturnHow {
    /// The heads recorded the outcome "returned" after the final review.
    Returned { note: Text },
    /// The destination head ended the move early.
    Terminated { reason: Text },
    /// The parent/carer withdrew their consent on `on`; the home head recorded it.
    ConsentWithdrawn { on: NaiveDate, reason: Text },
}

impl ReturnHow {
    pub fn label(&self) -> &'static str {
        match self {
            ReturnHow::Returned { .. } => "outcome: returned to the home school",
            ReturnHow::Terminated { .. } => "ended early by the destination school",
            ReturnHow::ConsentWithdrawn { .. } => "the parent/carer withdrew consent",
        }
    }

    /// The event that closes the case once the stage is done: the one that would have
    /// closed it at once before this stage existed, so the outcome reads as it always did.
    pub fn closing_event(&self) -> EventKind {
        match self {
            ReturnHow::Returned { note } => EventKind::Completed {
                outcome: Outcome::Returned,
                note: note.clone(),
            },
            ReturnHow::Terminated { reason } | ReturnHow::ConsentWithdrawn { reason, .. } => {
                EventKind::Terminated {
                    reason: reason.clone(),
                }
            }
        }
    }
}

/// The reintegration meeting at the home school, as held, with who came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReintegrationMeeting {
    pub on: NaiveDate,
    pub attendance: Attendance,
    pub recorded: Stamp,
}

/// The home school's plan for the pupil's return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReintegrationPlan {
    pub support: Text,
    pub targets: Text,
    /// The named member of staff the family and pupil go to (staff, never the pupil).
    pub contact: Text,
    pub recorded: Stamp,
}

/// One school's register change at the return: the destination ends the subsidiary
/// registration, the home school stops marking code D.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationEnd {
    /// The first day the register shows the change.
    pub on: NaiveDate,
    pub la_notified: NaiveDate,
    pub recorded: Stamp,
}

/// The returning stage of a case: how it began and which steps are done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reintegration {
    pub how: ReturnHow,
    pub begun: Stamp,
    #[serde(default)]
    pub meeting: Option<ReintegrationMeeting>,
    #[serde(default)]
    pub plan: Option<ReintegrationPlan>,
    #[serde(default)]
    pub registration_ended: BTreeMap<SchoolKey, RegistrationEnd>,
}

impl Reintegration {
    pub fn new(how: ReturnHow, begun: Stamp) -> Self {
        Self {
            how,
            begun,
            meeting: None,
            plan: None,
            registration_ended: BTreeMap::new(),
        }
    }

    /// The day of the return: the day it was recorded, in the partnership's zone.
    pub fn returned_on(&self, p: &Partnership) -> NaiveDate {
        p.today(self.begun.at)
    }

    /// The last day the reintegration meeting may be held.
    pub fn meeting_due(&self, p: &Partnership) -> NaiveDate {
        meeting_due(p, self.returned_on(p))
    }

    /// Every step done: both schools' registers, the meeting and the plan.
    pub fn is_done(&self, case: &Case) -> bool {
        self.meeting.is_some() && self.plan.is_some() && both_registers(case, self)
    }
}

fn both_registers(case: &Case, r: &Reintegration) -> bool {
    r.registration_ended.contains_key(&case.home)
        && r.registration_ended.contains_key(&case.destination)
}

/// Five school days after the return (not counting the day itself), skipping weekends,
/// bank holidays and the partnership's holidays and closures.
pub fn meeting_due(p: &Partnership, returned_on: NaiveDate) -> NaiveDate {
    p.calendar
        .add_school_days(returned_on, MEETING_WITHIN_SCHOOL_DAYS)
}

/// A step of the returning stage, for the card, board, reminders and digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Meeting,
    Plan,
    /// The named school's register change.
    Registration(Side),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Home,
    Destination,
}

impl Step {
    pub const ALL: [Step; 4] = [
        Step::Meeting,
        Step::Plan,
        Step::Registration(Side::Destination),
        Step::Registration(Side::Home),
    ];

    pub fn label(self) -> &'static str {
        match self {
            Step::Meeting => "reintegration meeting at the home school",
            Step::Plan => "reintegration plan (support, targets, named contact)",
            Step::Registration(Side::Destination) => "destination ends the subsidiary registration",
            Step::Registration(Side::Home) => "home school stops code D",
        }
    }

    /// The reminder key (and kind) for this step.
    pub fn key(self) -> &'static str {
        match self {
            Step::Meeting => "reintegration_meeting",
            Step::Plan => "reintegration_plan",
            Step::Registration(Side::Destination) => "return_registration_destination",
            Step::Registration(Side::Home) => "return_registration_home",
        }
    }

    pub fn school(self, case: &Case) -> &SchoolKey {
        match self {
            Step::Registration(Side::Destination) => &case.destination,
            _ => &case.home,
        }
    }

    pub fn done(self, case: &Case, r: &Reintegration) -> bool {
        match self {
            Step::Meeting => r.meeting.is_some(),
            Step::Plan => r.plan.is_some(),
            Step::Registration(_) => r.registration_ended.contains_key(self.school(case)),
        }
    }

    /// When the step is due: the meeting within five school days of the return; the plan
    /// and the register changes by the same day, so the pupil comes back to a plan and a
    /// register that shows them.
    pub fn due(self, r: &Reintegration, p: &Partnership) -> NaiveDate {
        r.meeting_due(p)
    }
}

/// The steps still to do, with their due dates, for a case in the returning stage.
pub fn open_steps(case: &Case, p: &Partnership) -> Vec<(Step, NaiveDate)> {
    let Some(r) = case
        .returning
        .as_ref()
        .filter(|_| case.state == CaseState::Returning)
    else {
        return Vec::new();
    };
    Step::ALL
        .into_iter()
        .filter(|s| !s.done(case, r))
        .map(|s| (s, s.due(r, p)))
        .collect()
}

/// One term on: whether the pupil is still on roll and attending at the school now
/// responsible for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub school: SchoolKey,
    pub on_roll: bool,
    pub attendance: Percent,
    /// Suspensions since the case closed.
    pub suspensions: u16,
    pub note: Option<Text>,
    pub recorded: Stamp,
}

/// The school responsible for the pupil once the case closed: home after a return,
/// destination after a permanent transfer. Cases that closed before a move ran
/// (declined, withdrawn, rejected) and a managed transfer ended early (the panel decides
/// what next) need no follow-up.
pub fn responsible_school(case: &Case) -> Option<&SchoolKey> {
    match (case.state, case.outcome) {
        (CaseState::Completed, Some(Outcome::Permanent)) => Some(&case.destination),
        (CaseState::Completed | CaseState::Terminated, Some(Outcome::Returned)) => Some(&case.home),
        _ => None,
    }
}

/// The instant the case closed (cases stored before it was kept: their last change, which
/// was the close, as closed cases were read-only).
pub fn closed_at(case: &Case) -> Option<DateTime<Utc>> {
    case.state
        .is_closed()
        .then(|| case.closed_at.unwrap_or(case.updated_at))
}

/// The day the follow-up falls due: `[policy] follow_up_school_days` after the close.
pub fn follow_up_due(case: &Case, p: &Partnership) -> Option<NaiveDate> {
    responsible_school(case)?;
    let closed = p.today(closed_at(case)?);
    Some(
        p.calendar
            .add_school_days(closed, u32::from(p.policy.follow_up_school_days)),
    )
}
