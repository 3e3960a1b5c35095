//! What to tell whom after a command: derived from the events, written to the outbox in
//! the same transaction, then handed to a `Notifier` to wake whoever delivers them.

use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::approvals::Approver;
use crate::domain::reminders::ReminderKind;
use crate::domain::{Case, CaseRef, Event, EventKind, MoveKind, Partnership, SchoolKey, UserId};

/// Who a message is for. Case details only ever go to the case's private thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Audience {
    /// The case's private thread (everyone with a role on the case).
    CaseThread,
    /// The head(s) of one school, called to act, in the case thread.
    Head { school: SchoolKey },
    /// The coordinators' channel: the board of open cases.
    Coordinators,
    /// The SEIP panel's channel.
    Seip,
}

impl Audience {
    pub fn label(&self) -> &'static str {
        match self {
            Audience::CaseThread => "case_thread",
            Audience::Head { .. } => "head",
            Audience::Coordinators => "coordinators",
            Audience::Seip => "seip",
        }
    }
}

/// What happened, in terms a front end can render. Free text and pupil details are not
/// copied here: the renderer loads the case, so the outbox never holds them twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    /// An event, for the case's history in its thread.
    CaseEvent {
        seq: u32,
        summary: String,
        by: UserId,
    },
    /// A new proposal waits for the destination head (with Accept / Decline buttons).
    ProposalReceived,
    /// A managed transfer waits for the panel (with Approve / Reject buttons).
    PanelDecisionNeeded,
    /// A managed transfer ended early: there is no home school to return to, so the
    /// panel is told it must decide what happens next.
    TransferEnded,
    /// The board of open cases needs redrawing.
    BoardChanged,
    /// Both schools have signed: the agreement PDF goes to the case thread for the records.
    AgreementDocument,
    /// A scheduled reminder about the case, queued once by the scheduler. `late` when it
    /// was queued well after `due_at` (the bot was down): the message says so.
    Reminder {
        key: String,
        kind: ReminderKind,
        about: NaiveDate,
        due_at: DateTime<Utc>,
        late: bool,
    },
    /// The coordinators' morning digest for a school day: what is due today and overdue.
    Digest { on: NaiveDate, late: bool },
    /// The coordinators' weekly summary.
    WeeklySummary { on: NaiveDate, late: bool },
    /// One head asked to extend the placement: the other head is asked to agree (with an
    /// Agree button).
    ExtensionAsked,
    /// A move in an exam year waits for the extra approval (with Approve / Decline buttons),
    /// in the approving role's channel.
    ExtraApprovalNeeded,
    /// An admin redacted a note: the bot edits its posts in the case's thread that showed
    /// the case (cards, the agreement PDF) to the case as it is now.
    Redacted,
    /// A coordinator asked to reopen a closed case: the head(s) whose school's action closed
    /// it are asked to confirm (with a Confirm button), in the case thread.
    ReopenAsked,
    /// A coordinator pinged the owner of an overdue step: the bot calls on the owing head
    /// in the case thread (issue 15).
    OwnerPinged { step: String },
}

impl Notice {
    pub fn label(&self) -> &'static str {
        match self {
            Notice::CaseEvent { .. } => "case_event",
            Notice::ProposalReceived => "proposal_received",
            Notice::PanelDecisionNeeded => "panel_decision_needed",
            Notice::TransferEnded => "transfer_ended",
            Notice::BoardChanged => "board_changed",
            Notice::AgreementDocument => "agreement_document",
            Notice::Reminder { .. } => "reminder",
            Notice::Digest { .. } => "digest",
            Notice::WeeklySummary { .. } => "weekly_summary",
            Notice::ExtensionAsked => "extension_asked",
            Notice::ExtraApprovalNeeded => "extra_approval_needed",
            Notice::Redacted => "redacted",
            Notice::ReopenAsked => "reopen_asked",
            Notice::OwnerPinged { .. } => "owner_pinged",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub case: CaseRef,
    pub audience: Audience,
    pub notice: Notice,
}

/// A notification about no single case (the coordinators' digests): stored in the outbox
/// with no case ID, in place of a [`Notification`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnershipNotification {
    pub audience: Audience,
    pub notice: Notice,
}

/// Derives the notifications for events just applied to `case` (whose state is after them).
pub fn notifications_for(
    case: &Case,
    events: &[Event],
    partnership: &Partnership,
) -> Vec<Notification> {
    let mut out = Vec::new();
    let mut push = |audience, notice| {
        out.push(Notification {
            case: case.reference,
            audience,
            notice,
        })
    };
    let first_seq = case.version - events.len() as u32 + 1;
    for (i, event) in events.iter().enumerate() {
        push(
            Audience::CaseThread,
            Notice::CaseEvent {
                seq: first_seq + i as u32,
                summary: event.kind.summary(partnership),
                by: event.by,
            },
        );
        match &event.kind {
            EventKind::Proposed(_) => push(
                Audience::Head {
                    school: case.destination.clone(),
                },
                Notice::ProposalReceived,
            ),
            EventKind::Accepted
                if case.kind == MoveKind::ManagedTransfer
                    && partnership.policy.transfer_needs_panel =>
            {
                push(Audience::Seip, Notice::PanelDecisionNeeded)
            }
            EventKind::Terminated { .. } if case.kind == MoveKind::ManagedTransfer => {
                push(Audience::Seip, Notice::TransferEnded)
            }
            // Still waiting after this command: a head of both schools agreed at once.
            EventKind::ExtensionRequested { school, .. } if case.pending_extension().is_some() => {
                let other = if school == &case.home {
                    &case.destination
                } else {
                    &case.home
                };
                push(
                    Audience::Head {
                        school: other.clone(),
                    },
                    Notice::ExtensionAsked,
                )
            }
            // The school(s) whose action closed the case confirm; `case` still holds it.
            EventKind::ReopenAsked { .. } => {
                if let Some(before) = &case.before_close {
                    for school in [&case.home, &case.destination] {
                        if before.side.includes(case, school) {
                            push(
                                Audience::Head {
                                    school: school.clone(),
                                },
                                Notice::ReopenAsked,
                            );
                        }
                    }
                }
            }
            EventKind::ExtraApprovalAsked { by } => match by {
                Approver::Coordinator => push(Audience::Coordinators, Notice::ExtraApprovalNeeded),
                Approver::Seip => push(Audience::Seip, Notice::ExtraApprovalNeeded),
                Approver::Off => {}
            },
            EventKind::OwnerPinged { step, .. } => push(
                Audience::CaseThread,
                Notice::OwnerPinged { step: step.clone() },
            ),
            _ => {}
        }
    }
    let signing = events.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::AgreementSigned { .. } | EventKind::AgreementRecorded { .. }
        )
    });
    let fully_signed = case.agreement.as_ref().is_some_and(|a| {
        a.signatures.contains_key(&case.home) && a.signatures.contains_key(&case.destination)
    });
    if signing && fully_signed {
        push(Audience::CaseThread, Notice::AgreementDocument);
    }
    // Every change can move a case on the board (state, next date, checklist progress);
    // the sender redraws the one board message, so several in a row cost one edit.
    push(Audience::Coordinators, Notice::BoardChanged);
    out
}

/// Told after each successful command; implementations must not block (wake a sender).
pub trait Notifier: Send + Sync {
    fn notify(&self, notifications: &[Notification]);
}

/// For the CLI and demo: the outbox keeps everything for the bot to deliver later.
#[derive(Debug, Default)]
pub struct NoopNotifier;

impl Notifier for NoopNotifier {
    fn notify(&self, _: &[Notification]) {}
}

/// For tests: remembers every notification.
#[derive(Debug, Default)]
pub struct RecordingNotifier(Mutex<Vec<Notification>>);

impl RecordingNotifier {
    pub fn take(&self) -> Vec<Notification> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, notifications: &[Notification]) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(notifications);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::CaseBuilder;

    fn seip_notices(builder: CaseBuilder) -> Vec<Notice> {
        let b = builder.propose().accepted();
        let b = if b.case().kind == MoveKind::ManagedTransfer {
            b.approved()
        } else {
            b
        };
        let before = b.events().len();
        let b = b.agreed().active().terminated();
        let events = &b.events()[before..];
        notifications_for(b.case(), events, b.partnership())
            .into_iter()
            .filter(|n| n.audience == Audience::Seip)
            .map(|n| n.notice)
            .collect()
    }

    #[test]
    fn the_panel_hears_when_a_transfer_ends_early_but_not_a_move() {
        assert_eq!(
            seip_notices(CaseBuilder::new().transfer()),
            [Notice::TransferEnded]
        );
        assert_eq!(seip_notices(CaseBuilder::new()), []);
    }
}
