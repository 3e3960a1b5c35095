//! `/admin config|backup`: for the partnership's admins.

use crate::discord::reply::{actor, in_time, refuse};
use crate::discord::types::{Context, Error};

/// Configuration and backups (admins only).
#[poise::command(slash_command, guild_only, subcommands("config", "backup"))]
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
