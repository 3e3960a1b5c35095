//! `/admin config|backup|outbox|redact`: for the partnership's admins.

use crate::discord::reply::{actor, in_time, refuse};
use crate::discord::types::{Context, Error};
use crate::service::outbox::{outbox_text, OutboxAction, OutboxAnswer};

/// Configuration, backups and undelivered messages (admins only).
#[poise::command(
    slash_command,
    guild_only,
    subcommands("config", "backup", "outbox", "super::redact::redact")
)]
pub async fn admin(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Check the running configuration: schools, roles, channels, policy.
#[poise::command(slash_command, guild_only)]
pub async fn config(ctx: Context<'_>) -> Result<(), Error> {
    let me = actor(ctx).await;
    match ctx.data().service.config_summary(&me) {
        Ok(summary) => refuse(ctx, &summary).await,
        Err(e) => refuse(ctx, &e.to_string()).await,
    }
}

/// Take a consistent backup of the database, next to it on the server.
#[poise::command(slash_command, guild_only)]
pub async fn backup(ctx: Context<'_>) -> Result<(), Error> {
    let me = actor(ctx).await;
    let data = ctx.data();
    // A copy of a large database takes a while: acknowledged first if so.
    let message = match in_time(ctx, data.service.backup(&me, &data.config.database_path)).await {
        Ok(path) => format!(
            "Backup written to `{}` on the bot's server.",
            path.display()
        ),
        Err(e) => e.to_string(),
    };
    refuse(ctx, &message).await
}

/// Messages the bot could not deliver yet: list them, or retry or discard one.
#[poise::command(slash_command, guild_only)]
pub async fn outbox(
    ctx: Context<'_>,
    #[description = "Put this message back in line, e.g. after fixing a permission"]
    #[min = 1]
    retry: Option<i64>,
    #[description = "Give up on this message for good"]
    #[min = 1]
    discard: Option<i64>,
) -> Result<(), Error> {
    let action = match (retry, discard) {
        (None, None) => OutboxAction::List,
        (Some(id), None) => OutboxAction::Retry(id),
        (None, Some(id)) => OutboxAction::Discard(id),
        (Some(_), Some(_)) => {
            return refuse(
                ctx,
                "Retry or discard, not both at once; nothing was changed.",
            )
            .await
        }
    };
    let me = actor(ctx).await;
    let message = match ctx.data().service.outbox(&me, action).await {
        Ok(OutboxAnswer::Listed(rows)) => outbox_text(&rows),
        Ok(OutboxAnswer::Retried(id)) => {
            // The sender delivers it now rather than on its next poll.
            ctx.data().outbox.notify_one();
            format!("Message #{id} is back in line and will be delivered shortly.")
        }
        Ok(OutboxAnswer::Discarded(id)) => {
            format!("Message #{id} is discarded; it will not be sent.")
        }
        Err(e) => e.to_string(),
    };
    refuse(ctx, &crate::discord::render::truncate(&message, 1990)).await
}
