//! `/meeting schedule`: the initial meeting at the destination school.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action};

/// The initial meeting at the destination school.
#[poise::command(slash_command, guild_only, subcommands("schedule"))]
pub async fn meeting(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Schedule the initial meeting (within the school day, at the destination school).
#[poise::command(slash_command, guild_only)]
pub async fn schedule(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Date and time, UK time, e.g. 2026-12-01 10:30"] at: String,
    #[description = "Where, e.g. meeting room 2"] place: Option<String>,
) -> Result<(), Error> {
    let p = ctx.data().service.partnership();
    let action = input::local_datetime("at", &at).and_then(|local| {
        Ok(Action::ScheduleMeeting {
            at: p.instant(local.date(), local.time()),
            place: input::optional_text("place", place.as_deref())?,
        })
    });
    act(ctx, &case, action).await
}
