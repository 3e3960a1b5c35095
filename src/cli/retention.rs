//! `managed-moves retention`: shows what the retention policy would remove; `--apply` does it.

use std::process::ExitCode;

use serde_json::json;

use super::output::Output;
use super::Who;
use crate::config::{Config, RetentionAction};
use crate::service::{Service, ServiceError};

/// How many cases the text listing names before summing up the rest.
const SHOWN: usize = 25;

#[derive(Debug, clap::Args)]
pub struct RetentionArgs {
    #[command(flatten)]
    pub who: Who,
    /// Do it. Without this, nothing is changed: the command only lists what it would do.
    #[arg(long)]
    pub apply: bool,
}

pub async fn run(
    args: RetentionArgs,
    service: &Service,
    config: &Config,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let policy = &config.retention;
    let (plan, scrubbed) = if args.apply {
        let done = service.apply_retention(&actor, policy).await?;
        (done.plan, Some(done.scrubbed))
    } else {
        (service.retention_plan(&actor, policy).await?, None)
    };
    let action = policy.action;
    if out.is_json() {
        let cases: Vec<_> = plan
            .cases
            .iter()
            .map(|c| {
                json!({ "reference": c.reference, "state": c.state, "closed_at": c.closed_at, "events": c.events })
            })
            .collect();
        return Ok(out.json(&json!({
            "ok": true,
            "applied": args.apply,
            "action": action.as_str(),
            "closed_case_years": policy.closed_case_years,
            "cutoff": plan.cutoff,
            "cases": cases,
        })));
    }
    let what = match action {
        RetentionAction::Anonymise => "the pupil's initials and every note removed from the case and its history; dates, schools, states and outcomes kept for statistics",
        RetentionAction::Purge => "each case and its whole history deleted; one line per case stays in the retention log",
    };
    let cutoff = plan
        .cutoff
        .with_timezone(&service.partnership().timezone)
        .format("%-d %b %Y");
    let mut text = format!(
        "Retention policy ([retention] in the config): closed cases are {} {} years after they close, so cases closed before {cutoff}.\n",
        action.past(),
        policy.closed_case_years
    );
    if plan.cases.is_empty() {
        text.push_str("No case is due. Nothing was changed.");
        return Ok(out.line(&text));
    }
    let verb = if args.apply {
        action.past()
    } else {
        "would be"
    };
    let tail = if args.apply {
        String::new()
    } else {
        format!(" {}", action.past())
    };
    text.push_str(&format!(
        "{} cases ({} events) {verb}{tail}: {what}.\n",
        plan.cases.len(),
        plan.events()
    ));
    for c in plan.cases.iter().take(SHOWN) {
        text.push_str(&format!(
            "  {}  {:<10} closed {}  {} events\n",
            c.reference,
            c.state,
            c.closed_at.format("%Y-%m-%d"),
            c.events
        ));
    }
    if plan.cases.len() > SHOWN {
        text.push_str(&format!(
            "  … and {} more (--json lists them all).\n",
            plan.cases.len() - SHOWN
        ));
    }
    match scrubbed {
        None => text.push_str("Nothing has been changed. Run again with --apply to do it."),
        Some(scrubbed) => {
            text.push_str("Done, and recorded in the retention log.");
            // This command has no Discord connection: the running bot deletes the threads.
            text.push_str(
                " The cases' Discord threads are deleted by the running bot at its next wake-up.",
            );
            if !scrubbed {
                text.push_str(" The freed space will be overwritten at SQLite's next checkpoint (the database was busy).");
            }
            text.push_str(" Backups made before today still hold these details: replace them too.");
        }
    }
    Ok(out.line(&text))
}
