//! `/proposal accept|decline|withdraw`: the decision on a proposal.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{Action, Text};

/// Answer a proposal made to your school, or withdraw your own.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("accept", "decline", "withdraw")
)]
pub async fn proposal(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Accept a proposal made to your school.
#[poise::command(slash_command, guild_only)]
pub async fn accept(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    act(ctx, &case, Ok(Action::Accept)).await
}

/// Decline a proposal made to your school, with a reason both schools will see.
#[poise::command(slash_command, guild_only)]
pub async fn decline(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Why not (shared with the home school)"] reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::Decline { reason }),
    )
    .await
}

/// Withdraw your school's proposal before the move starts.
#[poise::command(slash_command, guild_only)]
pub async fn withdraw(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Why it is withdrawn"] reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::Withdraw { reason }),
    )
    .await
}
