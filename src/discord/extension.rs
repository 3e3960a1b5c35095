//! The extension's ask in the case thread and its Agree button: the other head agrees to
//! the same weeks and reason the first head gave, as `/move extend` with them would.

use poise::serenity_prelude as serenity;
use serenity::{CreateAllowedMentions, CreateMessage};

use super::render::{embed, extension_button, mentions};
use super::types::Data;
use crate::domain::{Action, Actor, Case, CaseRef, Partnership, Refusal, RoleId};
use crate::service::ServiceError;
use crate::view;

/// "@Head of X: the head of Y asks to extend `REF` by N weeks", with the Agree button.
pub fn asked_message(case: &Case, p: &Partnership, heads: &[RoleId]) -> CreateMessage {
    let (asker, weeks) = case
        .pending_extension()
        .map(|e| (p.school_name(&e.asked_for), e.added))
        .unwrap_or(("the other school".to_string(), 0));
    CreateMessage::new()
        .content(format!(
            "{} The head of {asker} asks to extend the placement `{}` by {weeks} week{}. Agree with the button, or with `/move extend` and the same weeks.",
            mentions(heads),
            case.reference,
            if weeks == 1 { "" } else { "s" }
        ))
        .embed(embed(&view::case_card(case, p)))
        .components(extension_button(&case.reference.to_string()))
        .allowed_mentions(CreateAllowedMentions::new().roles(heads.iter().map(|r| r.0)))
}

/// The action the Agree button stands for: the pending extension's weeks and reason.
/// None pending (already agreed, or never asked) is refused before anything is written.
pub async fn agreeing_action(data: &Data, actor: &Actor, case: &str) -> Result<Action, Refusal> {
    let reference = CaseRef::parse(case)?;
    let case = data
        .service
        .show(actor, reference)
        .await
        .map_err(|e| match e {
            ServiceError::Refused(r) => r,
            ServiceError::Internal { .. } | ServiceError::Busy => Refusal::blocked(e.to_string()),
        })?;
    match case.pending_extension() {
        Some(e) => Ok(Action::Extend {
            weeks: e.added,
            reason: e.reason.clone(),
        }),
        None if case.extension.is_some() => Err(Refusal::wrong_state(
            "This extension has already been agreed.",
        )),
        None => Err(Refusal::wrong_state(
            "There is no extension waiting for agreement on this case.",
        )),
    }
}
