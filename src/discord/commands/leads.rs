//! `/case lead|reopen|reopen-confirm`: a case's lead (coordinators) and reopening a case
//! closed in error (asked by a coordinator, confirmed by the head whose school closed it).

use poise::serenity_prelude as serenity;

use super::autocomplete_case;
use crate::discord::reply::{act, in_time};
use crate::discord::types::{Context, Error};
use crate::domain::lead::LeadTarget;
use crate::domain::{Action, Capacity, RoleId, Text, UserId};

/// Take the lead on a case, or hand it to another coordinator.
#[poise::command(slash_command, guild_only)]
pub async fn lead(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The coordinator to hand the lead to (leave out to take it yourself)"]
    to: Option<serenity::User>,
) -> Result<(), Error> {
    // Looking them up and noting their name may wait (Discord, the database): within
    // the acknowledgement, like the command itself.
    let to = match to {
        Some(user) => Some(in_time(ctx, target(ctx, &user)).await),
        None => None,
    };
    act(ctx, &case, Ok(Action::TakeLead { to })).await
}

/// The member a lead is handed to, as their roles make them. Their name is noted, so the
/// card and the board can name the new lead.
async fn target(ctx: Context<'_>, user: &serenity::User) -> LeadTarget {
    let member = match ctx.guild_id() {
        Some(guild) => guild.member(ctx, user.id).await.ok(),
        None => None,
    };
    let roles: Vec<RoleId> = member
        .as_ref()
        .map(|m| m.roles.iter().map(|r| RoleId(r.get())).collect())
        .unwrap_or_default();
    let service = &ctx.data().service;
    let actor = service.actor(UserId(user.id.get()), &roles);
    let name = crate::discord::names::display_name(user, member.as_ref());
    service.note_name(&actor, &name).await;
    LeadTarget {
        user: actor.user,
        coordinator: actor.is(&Capacity::Coordinator),
    }
}

/// Ask to reopen a case closed in error; the head whose school closed it confirms.
#[poise::command(slash_command, guild_only)]
pub async fn reopen(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Why it was closed in error (shown only on the case)"] reason: String,
) -> Result<(), Error> {
    let action = Text::parse("reason", &reason).map(|reason| Action::AskReopen { reason });
    act(ctx, &case, action).await
}

/// Confirm the reopen a coordinator asked for: the case goes back to where it was.
#[poise::command(slash_command, guild_only, rename = "reopen-confirm")]
pub async fn reopen_confirm(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    act(ctx, &case, Ok(Action::ConfirmReopen)).await
}
