//! `/move extend` and `/review requested`: changes to a running placement. Registered as
//! subcommands of their groups (`moves.rs`, `review.rs`); the rules are the domain's.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, Text};

/// Extend the placement (both heads agree: the second confirms with the same weeks).
#[poise::command(slash_command, guild_only)]
pub async fn extend(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Weeks to add to the agreed length"] weeks: i64,
    #[description = "Why the placement needs longer"] reason: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::Extend {
            weeks: input::extra_weeks(weeks)?,
            reason: Text::parse("reason", &reason)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record that the parent/carer asked for a review (either head).
#[poise::command(slash_command, guild_only)]
pub async fn requested(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day the parent asked, e.g. 2026-12-01"] on: String,
) -> Result<(), Error> {
    let action = input::date("on", &on).map(|on| Action::RecordReviewRequest { on });
    act(ctx, &case, action).await
}
