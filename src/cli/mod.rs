//! The command line: the same service as the bot, so every command can be tried without
//! Discord. `managed-moves` with no arguments runs the bot when DISCORD_TOKEN is set and
//! the demo when it is not.

mod act;
mod act_lead;
pub mod act_returning;
mod check;
mod demo;
mod guards;
mod outbox;
mod output;
mod privacy;
mod redact;
mod reports;
mod retention;
mod schedule;
pub mod seed;
mod transfer;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use crate::config::{Config, Secret, DEFAULT_CONFIG_PATH};
use crate::domain::{CaseRef, RoleId, UserId};
use crate::service::{NoopNotifier, Service, ServiceError, SystemClock};
use crate::store::Store;

pub use act::ActCommand;

const DEFAULT_DEMO_DATABASE: &str = "data/demo.db";
use output::Output;

#[derive(Debug, Parser)]
#[command(
    name = "managed-moves",
    version,
    about = "Managed moves between partnership schools: a Discord bot and its CLI."
)]
pub struct Cli {
    /// The config file.
    #[arg(long, global = true, env = "MANAGED_MOVES_CONFIG", default_value = DEFAULT_CONFIG_PATH)]
    pub config: PathBuf,
    /// Override the database file named in the config.
    #[arg(long, global = true, env = "MANAGED_MOVES_DATABASE")]
    pub database: Option<PathBuf>,
    /// Print JSON instead of text (for scripts).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Option<TopCommand>,
}

#[derive(Debug, Subcommand)]
pub enum TopCommand {
    /// Start the Discord bot (needs DISCORD_TOKEN).
    Run,
    /// Walk a whole sample case, start to finish, in a scratch database.
    Demo {
        /// Where to keep the demo's database (replaced on each run; only a file the demo
        /// made, or a new one).
        #[arg(long, default_value = DEFAULT_DEMO_DATABASE)]
        demo_database: PathBuf,
    },
    /// Take one action as a user, e.g. `act --as 42 --role head:riverside accept MM-2026-0001`.
    Act {
        #[command(flatten)]
        who: Who,
        #[command(subcommand)]
        action: Box<ActCommand>,
    },
    /// Show one case.
    Show {
        case: String,
        #[command(flatten)]
        who: Who,
    },
    /// List the cases you can see.
    List {
        #[command(flatten)]
        who: Who,
        /// Include closed cases.
        #[arg(long)]
        all: bool,
    },
    /// The coordinators' board: open cases by urgency, who owes each next step.
    Board {
        #[command(flatten)]
        who: Who,
    },
    /// Show a case's history (the audit trail).
    History {
        case: String,
        #[command(flatten)]
        who: Who,
    },
    /// Check the config file and report every problem.
    CheckConfig {
        /// Also check the server's channels as start-up does (needs DISCORD_TOKEN).
        #[arg(long)]
        discord: bool,
    },
    /// Copy the live database to a new file, safely while the bot runs.
    Backup { target: PathBuf },
    #[command(flatten)]
    Schedule(schedule::ScheduleCommand),
    /// The partnership's figures (coordinators), or your school's (heads).
    Stats(reports::StatsArgs),
    /// Write the termly report for the partnership's board: a PDF and a CSV.
    Report(reports::ReportArgs),
    /// Write a case's agreement, the parent's copy, the notice or a review record as a PDF.
    Document(reports::DocumentArgs),
    /// Write a case's whole record as text and JSON (coordinators only).
    Export(reports::ExportArgs),
    /// Fill the database with N realistic cases (for benchmarks; see benches/BENCHMARKS.md).
    Seed(seed::SeedArgs),
    /// Show what the retention policy would remove (admins); --apply to do it.
    Retention(retention::RetentionArgs),
    /// Messages the bot could not deliver (admins): list, retry ID, discard ID.
    Outbox(outbox::OutboxArgs),
    /// The data map for your data protection officer: what is kept where, who sees it,
    /// when it goes (from this config).
    Privacy,
    /// Redact a note that should never have been written (admins): without --change, list
    /// the case's notes.
    Redact(redact::RedactArgs),
}

/// Who is acting: a user ID and their roles (IDs, or names like head:riverside).
#[derive(Debug, clap::Args)]
pub struct Who {
    /// Your Discord user ID (any real-looking ID when trying things out, never 0).
    #[arg(long = "as", value_name = "USER_ID", value_parser = guards::discord_id)]
    pub user: u64,
    /// A role: a Discord role ID, or head:SCHOOL, staff:SCHOOL, coordinator, seip, admin.
    #[arg(long = "role", value_name = "ROLE")]
    pub roles: Vec<String>,
}

/// What `run` says without a token: a service manager sees the failure and the fix.
pub const NO_TOKEN: &str = "DISCORD_TOKEN is not set, so the bot cannot start. Set it to the bot's token (Discord Developer Portal -> your application -> Bot -> Reset Token), e.g. in the service's environment file; see README \"Set up in your server\".";

pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    let token = Secret::discord_token_from_env();
    // Only the bot logs its progress by default: the demo and the other commands print
    // to stdout, and log lines in between would break up what they print.
    let running_bot = token.is_some() && matches!(cli.command, None | Some(TopCommand::Run));
    crate::telemetry::init(if running_bot {
        "warn,managed_moves=info"
    } else {
        "warn"
    });
    let out = Output::new(cli.json);
    let mut config = match Config::load(&cli.config) {
        Ok(config) => config,
        Err(e) => return out.fatal(&e.to_string()),
    };
    if let Some(db) = &cli.database {
        config.database_path = db.clone();
    }
    let command = match (cli.command, &token) {
        (Some(command), _) => command,
        (None, Some(_)) => TopCommand::Run,
        // A newcomer's `cargo run`: show the whole process without Discord.
        (None, None) => {
            out.line("DISCORD_TOKEN is not set, so the bot is not starting. Running the demo instead.\nSet DISCORD_TOKEN to run the bot; see README \"Set up in your server\".\n");
            TopCommand::Demo {
                demo_database: PathBuf::from(DEFAULT_DEMO_DATABASE),
            }
        }
    };
    match command {
        TopCommand::CheckConfig { discord } => {
            check::run(&cli.config, &config, discord, &out).await
        }
        TopCommand::Demo { demo_database } => demo::run(&config, &demo_database, &out).await,
        TopCommand::Privacy => privacy::run(&config, &out),
        TopCommand::Seed(args) => seed::run(&config, args, &out).await,
        TopCommand::Run => match token {
            Some(token) => crate::discord::run(config, token).await,
            None => out.fatal(NO_TOKEN),
        },
        other => {
            let service = match open_service(&config).await {
                Ok(s) => s,
                Err(code) => return out.fatal(&code),
            };
            run_with_service(other, &service, &config, &out).await
        }
    }
}

async fn open_service(config: &Config) -> Result<Service, String> {
    let store = Store::open(&config.database_path).await.map_err(|e| {
        format!(
            "cannot open the database {}: {e}",
            config.database_path.display()
        )
    })?;
    Ok(Service::new(
        store,
        config,
        Arc::new(SystemClock),
        Arc::new(NoopNotifier),
    ))
}

async fn run_with_service(
    command: TopCommand,
    service: &Service,
    config: &Config,
    out: &Output,
) -> ExitCode {
    let p = service.partnership();
    let result = async {
        match command {
            TopCommand::Act { who, action } => {
                let actor = who.actor(service)?;
                // The name documents give this user: the configured one, else the ID.
                if let Some(name) = config.people.get(&who.user) {
                    service.note_name(&actor, name).await;
                }
                let command = action.into_command(p)?;
                let outcome = service.execute(&actor, command).await?;
                Ok(out.outcome(&outcome, p))
            }
            TopCommand::Show { case, who } => {
                let actor = who.actor(service)?;
                let case = service.show(&actor, CaseRef::parse(&case)?).await?;
                Ok(out.case(&case, p, p.today(service.now())))
            }
            TopCommand::List { who, all } => {
                let actor = who.actor(service)?;
                let cases = service.list(&actor, !all, 0).await?;
                Ok(out.list(&cases, p))
            }
            TopCommand::Board { who } => {
                let actor = who.actor(service)?;
                if !actor.is(&crate::domain::Capacity::Coordinator) {
                    let refusal =
                        crate::domain::Refusal::not_permitted("Only coordinators see the board.");
                    return Err(refusal.into());
                }
                let board = service
                    .board()
                    .await
                    .map_err(|e| ServiceError::internal(&e, None))?;
                Ok(out.board(&board))
            }
            TopCommand::History { case, who } => {
                let actor = who.actor(service)?;
                let events = service.history(&actor, CaseRef::parse(&case)?).await?;
                Ok(out.history(&events, p))
            }
            TopCommand::Stats(args) => reports::stats(args, service, out).await,
            TopCommand::Report(args) => reports::report(args, service, out).await,
            TopCommand::Document(args) => reports::document(args, service, out).await,
            TopCommand::Export(args) => reports::export(args, service, out).await,
            TopCommand::Schedule(command) => schedule::run(command, service, out).await,
            TopCommand::Retention(args) => retention::run(args, service, config, out).await,
            TopCommand::Outbox(args) => outbox::run(args, service, out).await,
            TopCommand::Redact(args) => redact::run(args, service, out).await,
            TopCommand::Backup { target } => {
                service
                    .store()
                    .backup_to(&target)
                    .await
                    .map_err(|e| ServiceError::internal(&e, None))?;
                Ok(out.line(&format!(
                    "Backed up {} to {}.",
                    config.database_path.display(),
                    target.display()
                )))
            }
            TopCommand::Run
            | TopCommand::Demo { .. }
            | TopCommand::CheckConfig { .. }
            | TopCommand::Privacy
            | TopCommand::Seed(_) => {
                unreachable!("handled in main")
            }
        }
    }
    .await;
    result.unwrap_or_else(|e: ServiceError| out.error(&e))
}

impl Who {
    fn actor(&self, service: &Service) -> Result<crate::domain::Actor, ServiceError> {
        let roles = self
            .roles
            .iter()
            .map(|r| resolve_role(service, r))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        Ok(service.actor(UserId(self.user), &roles))
    }
}

/// A role given by ID, or by name for convenience when trying the CLI.
fn resolve_role(service: &Service, raw: &str) -> Result<Vec<RoleId>, ServiceError> {
    use crate::domain::{Capacity, Refusal, SchoolKey};
    if raw.trim().starts_with(|c: char| c.is_ascii_digit()) {
        let id = guards::discord_id(raw).map_err(|e| Refusal::invalid_owned("role", e))?;
        return Ok(vec![RoleId(id)]);
    }
    let capacity = match raw.trim().split_once(':') {
        Some(("head", school)) => Capacity::Head(SchoolKey::parse(school)?),
        Some(("staff", school)) => Capacity::Staff(SchoolKey::parse(school)?),
        None if raw == "coordinator" => Capacity::Coordinator,
        None if raw == "seip" => Capacity::Seip,
        None if raw == "admin" => Capacity::Admin,
        _ => {
            return Err(Refusal::invalid(
                "role",
                "A role is a Discord role ID or one of head:SCHOOL, staff:SCHOOL, coordinator, seip, admin.",
            )
            .into())
        }
    };
    let ids = service.roles().roles_for(&capacity);
    if ids.is_empty() {
        return Err(Refusal::invalid(
            "role",
            "No role in the config grants that; check the school key.",
        )
        .into());
    }
    Ok(ids)
}
