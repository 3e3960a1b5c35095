//! `/review record|reschedule|requested`: the midpoint and final reviews.

use super::autocomplete_case;
use super::changes::requested;
use super::choices::Review;
use super::meeting::attendees_menu_with_id;
use crate::discord::reply::{act, act_with};
use crate::discord::types::{Context, Error};
use crate::domain::case::review_key;
use crate::domain::meetings::Attendee;
use crate::domain::review_record::{Progress, ReviewDetails};
use crate::domain::{input, Action, CaseRef, Refusal, Text};

/// The midpoint and final reviews.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("record", "reschedule", "requested", "details", "forward")
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

/// A recorded review's progress on each target and the views; then who came, from a menu.
#[poise::command(slash_command, guild_only)]
pub async fn details(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which review"] review: Review,
    #[description = "Progress on each target in order: met, partly or not-met, e.g. met, partly"]
    targets: String,
    #[description = "The parent's or carer's view"] parent_view: Option<String>,
    #[description = "The pupil's view"] pupil_view: Option<String>,
    #[description = "Who was invited: la-sen, virtual-school, social-worker (comma-separated)"]
    invited: Option<String>,
) -> Result<(), Error> {
    let kind = review.kind();
    let action = (|| {
        let invited = invited
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                Attendee::parse(s).ok_or_else(|| {
                    Refusal::invalid(
                        "invited",
                        "Invited is a list of la-sen, virtual-school, social-worker.",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Action::RecordReviewDetails {
            review: kind,
            details: ReviewDetails {
                attendance: None,
                progress: Progress::parse_list(&targets)?,
                parent_view: input::optional_text("parent_view", parent_view.as_deref())?,
                pupil_view: input::optional_text("pupil_view", pupil_view.as_deref())?,
                invited,
            },
        })
    })();
    let menu = CaseRef::parse(&case)
        .map(|r| attendees_menu_with_id(format!("mm:attendees-{}:{r}", review_key(kind))))
        .ok();
    act_with(ctx, &case, action, menu.into_iter().collect()).await
}

/// Hold the final review before the placement's last week: both heads ask for the same day.
#[poise::command(slash_command, guild_only)]
pub async fn forward(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day to hold the final review, e.g. 2027-01-28"] on: String,
    #[description = "Why it comes early"] reason: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::BringFinalReviewForward {
            on: input::date("on", &on)?,
            reason: Text::parse("reason", &reason)?,
        })
    })();
    act(ctx, &case, action).await
}
