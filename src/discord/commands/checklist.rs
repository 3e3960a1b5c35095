//! `/checklist show|rate`: the good-practice checklist, rated red / amber / green.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::autocomplete_case;
use super::choices::Rating;
use crate::discord::render::embed;
use crate::discord::reply::{act, read_visible_case};
use crate::discord::types::{Context, Error};
use crate::domain::checklist::Rag;
use crate::domain::{input, Action};
use crate::view;

/// The good-practice checklist for a case.
#[poise::command(slash_command, guild_only, subcommands("show", "rate"))]
pub async fn checklist(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

async fn autocomplete_item(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let needle = partial.to_lowercase();
    let choices = ctx
        .data()
        .service
        .partnership()
        .checklist
        .items
        .iter()
        .filter(|i| i.key.contains(&needle) || i.text.to_lowercase().contains(&needle))
        .map(|i| {
            serenity::AutocompleteChoice::new(
                view::truncate_label(&format!("{} — {}", i.group, i.text)),
                i.key.clone(),
            )
        })
        .take(25)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Show the checklist with each item's rating.
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_visible_case(ctx, &case).await?;
    if let Some((_, case)) = found {
        let card = view::checklist_card(&case, service.partnership());
        ctx.send(CreateReply::default().embed(embed(&card)).ephemeral(true))
            .await?;
    }
    Ok(())
}

/// Rate a checklist item red, amber or green, with a comment.
#[poise::command(slash_command, guild_only)]
pub async fn rate(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Checklist item"]
    #[autocomplete = "autocomplete_item"]
    item: String,
    #[description = "Rating"] rating: Rating,
    #[description = "Why this rating"] comment: Option<String>,
) -> Result<(), Error> {
    let rag = match rating {
        Rating::Red => Rag::Red,
        Rating::Amber => Rag::Amber,
        Rating::Green => Rag::Green,
    };
    let action = input::optional_text("comment", comment.as_deref())
        .map(|comment| Action::RateChecklist { item, rag, comment });
    act(ctx, &case, action).await
}
