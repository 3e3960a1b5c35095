//! `/safeguarding shared|confirm`: before the start, the home school's designated
//! safeguarding lead passes on what the destination needs to know (or records that there
//! is nothing to pass on), and the destination confirms it. The bot records that it was
//! shared, when and by whom: never the information itself.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, Text};

/// Safeguarding information passed to the destination before the start.
#[poise::command(slash_command, guild_only, subcommands("shared", "confirm"))]
pub async fn safeguarding(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Record that your safeguarding lead shared what the destination needs (home school).
#[poise::command(slash_command, guild_only)]
pub async fn shared(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The designated safeguarding lead who shared it (name or role)"] dsl: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "True if there was nothing to share"] nothing_to_share: Option<bool>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordSafeguarding {
            dsl: Text::parse("dsl", &dsl)?,
            on: input::date("on", &on)?,
            nothing_to_share: nothing_to_share.unwrap_or(false),
        })
    })();
    act(ctx, &case, action).await
}

/// Confirm your school received the safeguarding information (destination).
#[poise::command(slash_command, guild_only)]
pub async fn confirm(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    act(ctx, &case, Ok(Action::ConfirmSafeguarding)).await
}
