//! `managed-moves outbox list|retry ID|discard ID`: the admins' `/admin outbox`, for when
//! Discord itself is the problem. Same service function, same check, same audit.

use std::process::ExitCode;

use serde_json::json;

use super::output::Output;
use super::Who;
use crate::service::outbox::{outbox_text, OutboxAction, OutboxAnswer};
use crate::service::{Service, ServiceError};
use crate::store::OutboxState;

#[derive(Debug, clap::Args)]
pub struct OutboxArgs {
    #[command(subcommand)]
    pub action: OutboxCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum OutboxCommand {
    /// Messages not delivered yet: waiting to be retried, or set aside with Discord's error.
    List {
        #[command(flatten)]
        who: Who,
    },
    /// Put a message back in line (a running bot picks it up within half a minute).
    Retry {
        id: i64,
        #[command(flatten)]
        who: Who,
    },
    /// Give up on a message for good.
    Discard {
        id: i64,
        #[command(flatten)]
        who: Who,
    },
}

pub async fn run(
    args: OutboxArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let (who, action) = match &args.action {
        OutboxCommand::List { who } => (who, OutboxAction::List),
        OutboxCommand::Retry { id, who } => (who, OutboxAction::Retry(*id)),
        OutboxCommand::Discard { id, who } => (who, OutboxAction::Discard(*id)),
    };
    let actor = who.actor(service)?;
    let answer = service.outbox(&actor, action).await?;
    if out.is_json() {
        let value = match &answer {
            OutboxAnswer::Listed(rows) => {
                let rows: Vec<_> = rows
                    .iter()
                    .map(|r| {
                        let (state, until) = match &r.state {
                            OutboxState::Pending => ("pending", None),
                            OutboxState::WaitingUntil(at) => ("waiting", Some(at.clone())),
                            OutboxState::SetAside => ("set_aside", None),
                        };
                        let e = r.last_error.as_ref();
                        json!({
                            "id": r.id, "case": r.case_reference, "kind": r.kind,
                            "destination": r.destination, "attempts": r.attempts,
                            "state": state, "waiting_until": until,
                            "last_status": e.and_then(|e| e.status),
                            "last_code": e.and_then(|e| e.code),
                            "last_error": e.map(|e| e.message.clone()),
                        })
                    })
                    .collect();
                json!({ "ok": true, "messages": rows })
            }
            OutboxAnswer::Retried(id) => json!({ "ok": true, "retried": id }),
            OutboxAnswer::Discarded(id) => json!({ "ok": true, "discarded": id }),
        };
        return Ok(out.json(&value));
    }
    Ok(out.line(&match answer {
        OutboxAnswer::Listed(rows) => outbox_text(&rows),
        OutboxAnswer::Retried(id) => format!(
            "Message #{id} is back in line; a running bot delivers it within half a minute."
        ),
        OutboxAnswer::Discarded(id) => format!("Message #{id} is discarded; it will not be sent."),
    }))
}
