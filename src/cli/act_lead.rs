//! `act lead|reopen|reopen-confirm`: a case's lead and reopening a case closed in error.

use clap::Subcommand;

use crate::domain::lead::LeadTarget;
use crate::domain::{Action, CaseRef, Command, Refusal, Text, UserId};

#[derive(Debug, Subcommand)]
pub enum LeadCommand {
    /// Take the lead on a case (coordinators), or hand it to another coordinator.
    Lead {
        case: String,
        /// The coordinator to hand the lead to (their Discord user ID); without it, you.
        #[arg(long, value_parser = super::guards::discord_id)]
        to: Option<u64>,
        /// Their roles, by name as in --role: the lead goes only to a `coordinator`.
        #[arg(long = "to-role")]
        to_role: Vec<String>,
    },
    /// Ask to reopen a case closed in error, with the reason (coordinators).
    Reopen {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Confirm the reopen a coordinator asked for (a head of the school whose action
    /// closed the case): it goes back to the state before it closed.
    ReopenConfirm { case: String },
}

impl LeadCommand {
    pub fn into_command(self) -> Result<Command, Refusal> {
        let (case, action) = match self {
            LeadCommand::Lead { case, to, to_role } => {
                let to = to.map(|user| LeadTarget {
                    user: UserId(user),
                    coordinator: to_role.iter().any(|r| r.trim() == "coordinator"),
                });
                (case, Action::TakeLead { to })
            }
            LeadCommand::Reopen { case, reason } => (
                case,
                Action::AskReopen {
                    reason: Text::parse("reason", &reason)?,
                },
            ),
            LeadCommand::ReopenConfirm { case } => (case, Action::ConfirmReopen),
        };
        Ok(Command::Case {
            reference: CaseRef::parse(&case)?,
            action,
        })
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::LeadCommand;
    use crate::domain::{Action, Command};

    #[derive(Parser)]
    struct One {
        #[command(subcommand)]
        verb: LeadCommand,
    }

    fn action(argv: &[&str]) -> Action {
        let one = One::try_parse_from(argv).expect("parses");
        match one.verb.into_command().expect("a command") {
            Command::Case { action, .. } => action,
            Command::Propose(_) => panic!("not a proposal"),
        }
    }

    #[test]
    fn the_lead_goes_to_you_or_to_the_coordinator_named() {
        let mine = action(&["mm", "lead", "MM-2026-0001"]);
        assert_eq!(mine, Action::TakeLead { to: None });
        let handed = action(&[
            "mm",
            "lead",
            "MM-2026-0001",
            "--to",
            "1501",
            "--to-role",
            "coordinator",
        ]);
        let Action::TakeLead { to: Some(target) } = handed else {
            panic!("{handed:?}")
        };
        assert!(target.coordinator && target.user.0 == 1501);
        // Without the coordinator role the domain refuses the hand-over.
        let to_head = action(&[
            "mm",
            "lead",
            "MM-2026-0001",
            "--to",
            "1011",
            "--to-role",
            "head:hillcrest",
        ]);
        assert!(matches!(to_head, Action::TakeLead { to: Some(t) } if !t.coordinator));
        let confirm = action(&["mm", "reopen-confirm", "MM-2026-0001"]);
        assert_eq!(confirm, Action::ConfirmReopen);
        let reopen = One::try_parse_from(["mm", "reopen", "MM-2026-0001", "--reason", " "]);
        assert!(reopen.expect("parses").verb.into_command().is_err());
    }
}
