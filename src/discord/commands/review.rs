//! `/review record|reschedule|requested`: the midpoint and final reviews.

use super::autocomplete_case;
use super::changes::requested;
use super::choices::Review;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, Text};

/// The midpoint and final reviews.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("record", "reschedule", "requested")
)]
pub async fn review(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Record a review that has been held.
#[poise::command(slash_command, guild_only)]
pub async fn record(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which review"] review: Review,
    #[description = "When it was held, e.g. 2026-11-24"] on: String,
    #[description = "Progress against targets, decisions, next steps"] notes: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordReview {
            review: review.kind(),
            held_on: input::date("on", &on)?,
            notes: Text::parse("notes", &notes)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Move a review to another date (it lands on the next school day), with a reason.
#[poise::command(slash_command, guild_only)]
pub async fn reschedule(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which review"] review: Review,
    #[description = "New date, e.g. 2027-01-12"] on: String,
    #[description = "Why it moves"] reason: String,
) -> Result<(), Error> {
    reschedule_review(ctx, &case, review, &on, &reason).await
}

/// Shared by `/review reschedule` and `/dates reschedule`: one parse, one action.
pub(super) async fn reschedule_review(
    ctx: Context<'_>,
    case: &str,
    review: Review,
    on: &str,
    reason: &str,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RescheduleReview {
            review: review.kind(),
            on: input::date("on", on)?,
            reason: Text::parse("reason", reason)?,
        })
    })();
    act(ctx, case, action).await
}
