//! `/panel approve|reject`: the SEIP panel's decision on a managed transfer.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{Action, Text};

/// The SEIP panel's decision on a managed transfer.
#[poise::command(slash_command, guild_only, subcommands("approve", "reject"))]
pub async fn panel(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Approve a managed transfer on the panel's behalf.
#[poise::command(slash_command, guild_only)]
pub async fn approve(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The panel's reasons"] reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::PanelDecide {
            approve: true,
            reason,
        }),
    )
    .await
}

/// Reject a managed transfer on the panel's behalf; the case closes.
#[poise::command(slash_command, guild_only)]
pub async fn reject(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The panel's reasons"] reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::PanelDecide {
            approve: false,
            reason,
        }),
    )
    .await
}
