//! `dates`, `ics`, `feed` and `tick`: a case's calendar and reminders from a terminal, and
//! one scheduler step by hand (the bot's outbox sender then delivers what it queued).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::output::{say, Output};
use super::Who;
use crate::domain::CaseRef;
use crate::scheduler::{case_calendar, case_schedule, school_feed, tick};
use crate::service::{Service, ServiceError};

#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Show a case's dates and the reminders still to come (with their keys, for snoozing).
    Dates {
        case: String,
        #[command(flatten)]
        who: Who,
    },
    /// Write a case's dates as an iCalendar file (stdout, or --output FILE).
    Ics {
        case: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace --output if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Write one school's calendar feed: the dates of its open cases you may see.
    Feed {
        school: String,
        #[command(flatten)]
        who: Who,
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace --output if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Run one scheduler step now: queue every reminder that is due for the bot to post.
    Tick,
}

pub async fn run(
    command: ScheduleCommand,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let p = service.partnership();
    match command {
        ScheduleCommand::Dates { case, who } => {
            let actor = who.actor(service)?;
            let schedule = case_schedule(service, &actor, CaseRef::parse(&case)?).await?;
            Ok(out.line(&schedule.lines(p, service.now()).join("\n")))
        }
        ScheduleCommand::Ics {
            case,
            who,
            output,
            force,
        } => {
            let actor = who.actor(service)?;
            let schedule = case_schedule(service, &actor, CaseRef::parse(&case)?).await?;
            let ics = case_calendar(&schedule.case, p, service.now());
            write(out, output.as_deref(), &ics, force)
        }
        ScheduleCommand::Feed {
            school,
            who,
            output,
            force,
        } => {
            let actor = who.actor(service)?;
            let ics = school_feed(service, &actor, &school).await?;
            write(out, output.as_deref(), &ics, force)
        }
        ScheduleCommand::Tick => {
            let now = service.now();
            let report = tick(service, now)
                .await
                .map_err(|e| ServiceError::internal(&e, None))?;
            let next = report.next_due.map_or("nothing pending".to_string(), |t| {
                t.with_timezone(&p.timezone)
                    .format("%a %-d %b %Y %H:%M")
                    .to_string()
            });
            Ok(out.line(&format!(
                "Queued {} reminder(s), {} late. Next due: {next}.",
                report.queued, report.late
            )))
        }
    }
}

/// The calendar to a file, or as is to stdout (even with --json: it is a file format).
fn write(
    out: &Output,
    path: Option<&Path>,
    ics: &str,
    force: bool,
) -> Result<ExitCode, ServiceError> {
    match path {
        None => {
            say!("{ics}");
            Ok(ExitCode::SUCCESS)
        }
        Some(path) => match super::guards::write_private(path, ics.as_bytes(), force) {
            Ok(()) => Ok(out.line(&format!("Wrote {}.", path.display()))),
            Err(e) => Ok(out.fatal(&format!("cannot write {}: {e}", path.display()))),
        },
    }
}
