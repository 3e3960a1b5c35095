//! `/case ping case step`: a coordinator calls on the owner of an overdue step in the
//! case thread (issue 15). The same action as the "Ping the owner" button; audited.

use poise::serenity_prelude as serenity;

use super::autocomplete_case;
use super::dates::chosen_case;
use crate::discord::reply::{act, actor};
use crate::discord::types::{Context, Error};
use crate::domain::reminders::escalation::overdue_steps;
use crate::domain::Action;

/// Offers the chosen case's overdue steps (only on a case the person may see).
async fn autocomplete_overdue_step(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let mut choices = Vec::new();
    if let Some(reference) = chosen_case(ctx) {
        let me = actor(ctx).await;
        let service = &ctx.data().service;
        if let Ok(case) = service.show(&me, reference).await {
            let p = service.partnership();
            let today = p.today(service.now());
            for step in overdue_steps(&case, p, today)
                .into_iter()
                .filter(|s| s.key.contains(partial.trim()))
            {
                let label = crate::discord::render::truncate(&step.describe(p), 100);
                choices.push(serenity::AutocompleteChoice::new(label, step.key));
            }
        }
    }
    serenity::CreateAutocompleteResponse::new().set_choices(choices.into_iter().take(25).collect())
}

/// Ping the owner of an overdue step in the case thread (coordinators).
#[poise::command(slash_command, guild_only)]
pub async fn ping(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which overdue step (offered once the case is chosen)"]
    #[autocomplete = "autocomplete_overdue_step"]
    step: String,
) -> Result<(), Error> {
    let action = Ok(Action::PingOwner {
        step: step.trim().to_string(),
    });
    act(ctx, &case, action).await
}
