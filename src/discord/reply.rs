//! Answers to the person who acted: always ephemeral, one sentence for a refusal, a card
//! for a success. Nobody is pinged by a reply.

use poise::CreateReply;

use super::render::embed;
use super::types::{Context, Data, Error};
use crate::domain::{Action, Actor, CaseRef, Command, Refusal, RoleId, UserId};
use crate::service::{Outcome, ServiceError};
use crate::view;

/// The actor a Discord member is, by their roles. For slash commands and components the
/// member comes with the interaction, so this makes no request.
pub async fn actor(ctx: Context<'_>) -> Actor {
    let roles: Vec<RoleId> = match ctx.author_member().await {
        Some(member) => member.roles.iter().map(|r| RoleId(r.get())).collect(),
        None => Vec::new(),
    };
    ctx.data()
        .service
        .actor(UserId(ctx.author().id.get()), &roles)
}

pub async fn refuse(ctx: Context<'_>, message: &str) -> Result<(), Error> {
    ctx.send(CreateReply::default().content(message).ephemeral(true))
        .await?;
    Ok(())
}

/// Runs a parsed case action, or shows why the input was refused.
pub async fn act(
    ctx: Context<'_>,
    case: &str,
    action: Result<Action, Refusal>,
) -> Result<(), Error> {
    let command = CaseRef::parse(case).and_then(|reference| {
        Ok(Command::Case {
            reference,
            action: action?,
        })
    });
    execute(ctx, command).await
}

/// Runs any command and answers with the outcome or the refusal.
pub async fn execute(ctx: Context<'_>, command: Result<Command, Refusal>) -> Result<(), Error> {
    let command = match command {
        Ok(c) => c,
        Err(refusal) => return refuse(ctx, refusal.message()).await,
    };
    let actor = actor(ctx).await;
    let result = ctx.data().service.execute(&actor, command).await;
    respond(ctx, result).await
}

pub async fn respond(ctx: Context<'_>, result: Result<Outcome, ServiceError>) -> Result<(), Error> {
    match result {
        Ok(outcome) => {
            let summary: Vec<String> = outcome
                .events
                .iter()
                .map(|e| format!("✔ {}", e.kind.summary()))
                .collect();
            let card = view::case_card(&outcome.case, ctx.data().service.partnership());
            ctx.send(
                CreateReply::default()
                    .content(summary.join("\n"))
                    .embed(embed(&card))
                    .ephemeral(true),
            )
            .await?;
            Ok(())
        }
        Err(e) => refuse(ctx, &e.to_string()).await,
    }
}

/// Errors poise reports: checks, bad arguments and our own failures, answered privately.
pub async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::CommandCheckFailed { .. } => {
            // Not the partnership's server: ignore without a word.
        }
        poise::FrameworkError::ArgumentParse { ctx, input, .. } => {
            let what = input
                .map(|i| format!(" (`{}`)", i.chars().take(40).collect::<String>()))
                .unwrap_or_default();
            let _ = refuse(
                ctx,
                &format!("One of the options isn't valid{what}. Check it and try again."),
            )
            .await;
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, error = %error, "command failed");
            let _ = refuse(
                ctx,
                "Something went wrong; nothing was changed. Please try again, or tell an admin.",
            )
            .await;
        }
        other => {
            if let Err(e) = poise::builtins::on_error(other).await {
                tracing::error!(error = %e, "error while handling an error");
            }
        }
    }
}

/// Runs a read about one case: parses the reference and calls `read` with the actor; a bad
/// reference or a refusal is answered privately and gives `None`.
pub async fn read_case<T, F, Fut>(
    ctx: Context<'_>,
    raw: &str,
    read: F,
) -> Result<Option<(CaseRef, T)>, Error>
where
    F: FnOnce(Actor, CaseRef) -> Fut,
    Fut: std::future::Future<Output = Result<T, ServiceError>>,
{
    let reference = match CaseRef::parse(raw) {
        Ok(r) => r,
        Err(e) => {
            refuse(ctx, e.message()).await?;
            return Ok(None);
        }
    };
    let me = actor(ctx).await;
    match read(me, reference).await {
        Ok(value) => Ok(Some((reference, value))),
        Err(e) => {
            refuse(ctx, &e.to_string()).await?;
            Ok(None)
        }
    }
}
