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

/// Notes the name in the background, as of now: the interaction must never wait for it
/// (another writer may hold the database, and Discord wants an answer within 3 s). Noted
/// as of the interaction's arrival, so it is in force for what the interaction records.
pub fn note(
    service: &Service,
    actor: &Actor,
    user: &serenity::User,
    member: Option<&serenity::Member>,
) {
    let (service, actor) = (service.clone(), actor.clone());
    let name = display_name(user, member);
    let at = service.now();
    tokio::spawn(async move { service.note_name_at(&actor, &name, at).await });
}
