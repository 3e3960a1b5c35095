//! Answers to the person who acted: always ephemeral, one sentence for a refusal, a card
//! for a success. Nobody is pinged by a reply. A write that is slow (waiting for the
//! database) is acknowledged first, within Discord's 3 s ([`super::ack`]).

use poise::serenity_prelude::CreateActionRow;
use poise::CreateReply;

use super::ack::acknowledging;
use super::render::embed;
use super::types::{Context, Data, Error};
use crate::domain::{Action, Actor, CaseRef, Command, Refusal, RoleId, UserId};
use crate::service::{Outcome, ServiceError};
use crate::view;

/// The actor a Discord member is, by their roles. For slash commands and components the
/// member comes with the interaction, so this makes no request.
pub async fn actor(ctx: Context<'_>) -> Actor {
    let member = ctx.author_member().await;
    let roles: Vec<RoleId> = match &member {
        Some(member) => member.roles.iter().map(|r| RoleId(r.get())).collect(),
        None => Vec::new(),
    };
    let service = &ctx.data().service;
    let actor = service.actor(UserId(ctx.author().id.get()), &roles);
    // The name they go by now, for documents that say who did what (item 10).
    super::names::note(service, &actor, ctx.author(), member.as_deref());
    actor
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
    act_with(ctx, case, action, Vec::new()).await
}

/// [`act`], with components (e.g. a menu for the next step) under the answer on success.
pub async fn act_with(
    ctx: Context<'_>,
    case: &str,
    action: Result<Action, Refusal>,
    components: Vec<CreateActionRow>,
) -> Result<(), Error> {
    let command = CaseRef::parse(case).and_then(|reference| {
        Ok(Command::Case {
            reference,
            action: action?,
        })
    });
    execute_with(ctx, command, components).await
}

/// Runs any command and answers with the outcome or the refusal. The command is recorded
/// once per interaction: a replayed interaction or a double click gets the first answer.
pub async fn execute(ctx: Context<'_>, command: Result<Command, Refusal>) -> Result<(), Error> {
    execute_with(ctx, command, Vec::new()).await
}

async fn execute_with(
    ctx: Context<'_>,
    command: Result<Command, Refusal>,
    components: Vec<CreateActionRow>,
) -> Result<(), Error> {
    let command = match command {
        Ok(c) => c,
        Err(refusal) => return refuse(ctx, refusal.message()).await,
    };
    let actor = actor(ctx).await;
    let service = &ctx.data().service;
    let work = async {
        match interaction_id(ctx) {
            Some(id) => service.execute_interaction(&actor, command, id).await,
            None => service.execute(&actor, command).await,
        }
    };
    // Poise remembers the deferral: `ctx.send` then sends the answer as the follow-up.
    let result = in_time(ctx, work).await;
    respond_with(ctx, result, components).await
}

/// Runs a slash command's work (a read, a backup, a chart), acknowledging the interaction
/// first if the work is slow, so Discord's 3 s never run out; `ctx.send` afterwards answers
/// as a follow-up.
pub async fn in_time<T>(ctx: Context<'_>, work: impl std::future::Future<Output = T>) -> T {
    acknowledging(work, || ctx.defer_ephemeral()).await.0
}

fn interaction_id(ctx: Context<'_>) -> Option<u64> {
    match ctx {
        poise::Context::Application(a) => Some(a.interaction.id.get()),
        poise::Context::Prefix(_) => None,
    }
}

/// Shown when a change was saved but its card could not be sent: never "nothing changed".
pub const SAVED_BUT_NOT_SHOWN: &str =
    "✔ Done. The answer could not be shown in full; `/case show` has the case as it is now.";

/// What a saved change did, a ✔ line per event, then any warnings (a meeting outside
/// school hours): the answer to a command, a button or a form alike.
pub fn done_summary(outcome: &Outcome, p: &crate::domain::Partnership) -> String {
    outcome
        .events
        .iter()
        .map(|e| format!("✔ {}", e.kind.summary(p)))
        .chain(crate::domain::decide::warnings(&outcome.events, p))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn respond_with(
    ctx: Context<'_>,
    result: Result<Outcome, ServiceError>,
    components: Vec<CreateActionRow>,
) -> Result<(), Error> {
    match result {
        Ok(mut outcome) => {
            let service = &ctx.data().service;
            let p = service.partnership();
            // The change is saved: a case that cannot be folded for Discord is not shown.
            outcome.case = match service.for_discord(outcome.case).await {
                Ok(case) => case,
                Err(_) => {
                    ctx.send(
                        CreateReply::default()
                            .content(SAVED_BUT_NOT_SHOWN)
                            .ephemeral(true),
                    )
                    .await?;
                    return Ok(());
                }
            };
            let card = view::case_card(&outcome.case, p);
            let sent = ctx
                .send(
                    CreateReply::default()
                        .content(done_summary(&outcome, p))
                        .embed(embed(&card))
                        .components(components)
                        .ephemeral(true),
                )
                .await;
            // The change is committed: an error from here on must not reach `on_error`,
            // whose answer would say that nothing was changed.
            if let Err(e) = sent {
                tracing::warn!(error = %e, case = %outcome.case.reference, "change saved; its answer failed");
                let plain = CreateReply::default()
                    .content(SAVED_BUT_NOT_SHOWN)
                    .ephemeral(true);
                if let Err(e) = ctx.send(plain).await {
                    tracing::warn!(error = %e, "could not tell the person either");
                }
            }
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
                // Not "nothing was changed": this cannot know whether a change was saved.
                "Something went wrong. Check the case with `/case show` before trying again, or tell an admin.",
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
    match in_time(ctx, read(me, reference)).await {
        Ok(value) => Ok(Some((reference, value))),
        Err(e) => {
            refuse(ctx, &e.to_string()).await?;
            Ok(None)
        }
    }
}

/// [`read_case`] for the case itself, as the person may see it: what `/case show`,
/// `/checklist show` and `/attendance show` render; as Discord may hold it (`[privacy]`).
pub async fn read_visible_case(
    ctx: Context<'_>,
    raw: &str,
) -> Result<Option<(CaseRef, crate::domain::Case)>, Error> {
    let service = &ctx.data().service;
    read_case(ctx, raw, |me, r| async move {
        service.for_discord(service.show(&me, r).await?).await
    })
    .await
}
