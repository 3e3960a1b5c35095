//! The case lead's and the reopen's buttons, and the head's call to confirm a reopen in
//! the case thread (issue 15, parts 4 and 5). Clicks are handled in `components`.

use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateAllowedMentions, CreateButton, CreateMessage};

use super::render::{embed, mentions};
use crate::domain::{Case, CaseRef, Partnership, RoleId};
use crate::view;

/// "Take the lead": a coordinator leads the case (`mm:lead:<case>`).
pub fn lead_button(case: &CaseRef) -> CreateButton {
    CreateButton::new(format!("mm:lead:{case}"))
        .label("Take the lead")
        .style(serenity::ButtonStyle::Primary)
}

/// "Confirm the reopen": the head whose school's action closed the case
/// (`mm:reopen:<case>`).
pub fn reopen_button(case: &CaseRef) -> CreateButton {
    CreateButton::new(format!("mm:reopen:{case}"))
        .label("Confirm the reopen")
        .style(serenity::ButtonStyle::Success)
}

/// "@Head of X: a coordinator asks to reopen `REF`", with the case card (the reason is on
/// it, as `[privacy]` lets Discord show it) and the Confirm button.
pub fn reopen_asked_message(case: &Case, p: &Partnership, heads: &[RoleId]) -> CreateMessage {
    CreateMessage::new()
        .content(format!(
            "{} A coordinator asks to reopen `{}`, closed in error (the reason is on the card). If your school's decision closed it by mistake, confirm with the button or `/case reopen-confirm`; the case then goes back to {}.",
            mentions(heads),
            case.reference,
            case.before_close
                .as_ref()
                .map_or("where it was", |b| b.state.as_str())
        ))
        .embed(embed(&view::case_card(case, p)))
        .components(vec![CreateActionRow::Buttons(vec![reopen_button(
            &case.reference,
        )])])
        .allowed_mentions(CreateAllowedMentions::new().roles(heads.iter().map(|r| r.0)))
}
