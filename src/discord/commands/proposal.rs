//! `/proposal accept|decline|withdraw|needs`: the decision on a proposal, and correcting
//! the pupil's EHCP / looked-after status before the move starts.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{Action, Text};

/// Answer a proposal made to your school, or withdraw your own.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("accept", "decline", "withdraw", "needs")
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

/// Correct whether the pupil has an EHCP or is looked after, before the move starts.
#[poise::command(slash_command, guild_only)]
pub async fn needs(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Does the pupil have an EHCP?"] ehcp: bool,
    #[description = "Is the pupil a looked-after child?"] looked_after: bool,
    #[description = "What changed, or what was wrong"] reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::UpdateNeeds {
            ehcp,
            looked_after,
            reason,
        }),
    )
    .await
}
