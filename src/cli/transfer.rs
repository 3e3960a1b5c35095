//! `managed-moves act transfer ...`: the transferring stage's steps, one per verb, as the
//! `/transfer` slash commands (see `commands/transfer.md`).

use clap::Subcommand;

use crate::domain::{input, Action, Refusal, Text};

#[derive(Debug, Subcommand)]
pub enum TransferCommand {
    /// EHCP pupil: the local authority amended the named school (either head; first).
    EhcpAmended {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Looked-after child: the Virtual School was told (either school's head or staff).
    VirtualSchool {
        case: String,
        #[arg(long)]
        on: String,
        /// Who at the Virtual School was told (a role or a member of staff).
        #[arg(long)]
        contact: String,
    },
    /// Destination head: the registration becomes the main one from this date.
    Registered {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        la_notified: String,
    },
    /// Home head: the pupil removed from the roll on the destination's date.
    Removed {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        la_notified: String,
    },
    /// Home school: the child-protection file sent on a date, or `none`.
    CpFile {
        case: String,
        /// The day it was sent, or `none` when there is no child-protection file.
        #[arg(long)]
        sent: String,
    },
    /// Destination: its safeguarding lead confirms the child-protection file arrived.
    CpReceived {
        case: String,
        #[arg(long)]
        on: String,
        /// The receiving designated safeguarding lead.
        #[arg(long)]
        lead: String,
    },
    /// Home school: the common transfer file and educational record sent.
    Records {
        case: String,
        #[arg(long)]
        on: String,
    },
}

impl TransferCommand {
    /// The case reference typed and the action it asks for.
    pub fn into_action(self) -> Result<(String, Action), Refusal> {
        use TransferCommand as T;
        let date = input::date;
        Ok(match self {
            T::EhcpAmended { case, on, note } => (
                case,
                Action::RecordNamedSchoolAmended {
                    on: date("on", &on)?,
                    note: input::optional_text("note", note.as_deref())?,
                },
            ),
            T::VirtualSchool { case, on, contact } => (
                case,
                Action::RecordVirtualSchoolTold {
                    on: date("on", &on)?,
                    contact: Text::parse("contact", &contact)?,
                },
            ),
            T::Registered {
                case,
                on,
                la_notified,
            } => (
                case,
                Action::RecordMainRegistration {
                    on: date("on", &on)?,
                    la_notified: date("la_notified", &la_notified)?,
                },
            ),
            T::Removed {
                case,
                on,
                la_notified,
            } => (
                case,
                Action::RecordRemovalFromRoll {
                    on: date("on", &on)?,
                    la_notified: date("la_notified", &la_notified)?,
                },
            ),
            T::CpFile { case, sent } => (
                case,
                Action::RecordChildProtectionFile {
                    sent_on: crate::domain::transfer::parse_cp_sent("sent", &sent)?,
                },
            ),
            T::CpReceived { case, on, lead } => (
                case,
                Action::ConfirmChildProtectionReceipt {
                    on: date("on", &on)?,
                    lead: Text::parse("lead", &lead)?,
                },
            ),
            T::Records { case, on } => (
                case,
                Action::RecordTransferRecordsSent {
                    on: date("on", &on)?,
                },
            ),
        })
    }
}
