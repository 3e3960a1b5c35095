//! The name a member goes by in the server, noted as each interaction arrives, so
//! documents can say who signed or recorded something by name (item 10).

use poise::serenity_prelude as serenity;

use crate::domain::Actor;
use crate::service::Service;

/// Their server nickname, else their global display name, else their username.
pub fn display_name(user: &serenity::User, member: Option<&serenity::Member>) -> String {
    member
        .and_then(|m| m.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone())
}

pub async fn note(
    service: &Service,
    actor: &Actor,
    user: &serenity::User,
    member: Option<&serenity::Member>,
) {
    service.note_name(actor, &display_name(user, member)).await;
}
