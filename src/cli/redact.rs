//! `managed-moves redact CASE`: lists a case's notes an admin may redact; with `--change`,
//! `--field` and `--reason`, overwrites one (audited). The running bot then edits its posts.

use std::process::ExitCode;

use serde_json::json;

use super::output::Output;
use super::Who;
use crate::domain::{CaseRef, Refusal};
use crate::service::{Service, ServiceError};

#[derive(Debug, clap::Args)]
pub struct RedactArgs {
    /// The case, e.g. MM-2026-0001.
    pub case: String,
    #[command(flatten)]
    pub who: Who,
    /// The change (its number in `history`) whose note to overwrite.
    #[arg(long)]
    pub change: Option<u32>,
    /// Which note of that change, as listed without --change, e.g. /note.
    #[arg(long)]
    pub field: Option<String>,
    /// Why (kept in the audit trail).
    #[arg(long)]
    pub reason: Option<String>,
}

pub async fn run(
    args: RedactArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let reference = CaseRef::parse(&args.case)?;
    let (change, field, reason) = match (args.change, args.field, args.reason) {
        (None, None, None) => {
            let notes = service.redactable(&actor, reference).await?;
            if out.is_json() {
                let notes: Vec<_> = notes
                    .iter()
                    .map(|n| json!({ "change": n.seq, "kind": n.what, "field": n.field, "text": n.preview }))
                    .collect();
                return Ok(out.json(&json!({ "ok": true, "notes": notes })));
            }
            let lines: Vec<String> = notes
                .iter()
                .map(|n| {
                    format!(
                        "change {} · {} · --field {} · “{}”",
                        n.seq, n.what, n.field, n.preview
                    )
                })
                .collect();
            return Ok(out.line(&if lines.is_empty() {
                format!("`{reference}` has no notes to redact.")
            } else {
                lines.join("\n")
            }));
        }
        (Some(c), Some(f), Some(r)) => (c, f, r),
        _ => {
            return Err(Refusal::invalid(
                "redact",
                "Give --change, --field and --reason together (or none, to list the notes).",
            )
            .into())
        }
    };
    let outcome = service
        .redact(&actor, reference, change, &field, &reason)
        .await?;
    Ok(out.outcome(&outcome, service.partnership()))
}
