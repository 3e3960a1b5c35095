//! Pure logic, no I/O: the case state machine, suitability, checklist, policy, the
//! school-day calendar and permissions. Typed commands in; events or a refusal out.

pub mod approvals;
pub mod attendance;
pub mod calendar;
pub mod case;
pub mod changes;
pub mod checklist;
pub mod command;
pub mod dates;
pub mod decide;
pub mod event;
pub mod family;
pub mod ids;
pub mod input;
pub mod lead;
pub mod meetings;
pub mod next_step;
pub mod partnership;
pub mod people;
pub mod permissions;
pub mod policy;
pub mod privacy;
pub mod refusal;
pub mod registration;
pub mod reminders;
pub mod reopen;
pub mod returning;
pub mod review_record;
pub mod suitability;
pub mod transfer;
pub mod urgency;

pub use case::{Case, CaseState, MoveKind, MoveReason, Outcome, Pupil, ReviewKind};
pub use command::{Action, ActionKind, Command};
pub use decide::{decide, may, propose, Context};
pub use event::{Event, EventKind, Proposal};
pub use ids::{CaseRef, Initials, RoleId, SchoolKey, Text, UserId, YearGroup};
pub use input::{AgreementTermsInput, ProposalInput};
pub use partnership::{Partnership, School};
pub use permissions::{Actor, Capacity, RoleMap};
pub use refusal::{Refusal, RefusalKind};

#[cfg(test)]
pub mod testkit;

#[cfg(test)]
mod tests;
