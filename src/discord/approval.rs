//! The extra approval's call in the approving role's channel (the coordinators' board
//! channel, or the SEIP panel's), with Approve / Decline… buttons, as the panel's call is.

use poise::serenity_prelude::{CreateAllowedMentions, CreateMessage};

use super::render::{decision_buttons, mentions, ButtonFamily};
use crate::domain::{Capacity, Case, Partnership, RoleMap};
use crate::service::Audience;

/// The channel is shared, so no initials and no card: the reference, schools and year
/// group are enough to open the case with `/case show`.
pub(crate) fn needed_message(
    case: &Case,
    p: &Partnership,
    audience: &Audience,
    roles: &RoleMap,
) -> CreateMessage {
    let (capacity, who) = match audience {
        Audience::Seip => (Capacity::Seip, "the SEIP panel's"),
        _ => (Capacity::Coordinator, "the coordinators'"),
    };
    let roles = roles.roles_for(&capacity);
    CreateMessage::new()
        .content(format!(
            "{} The {} `{}` from {} to {} ({}) needs {who} extra approval before it can start (exam years). Open it with `/case show {}`.",
            mentions(&roles),
            case.kind.label(),
            case.reference,
            p.school_name(&case.home),
            p.school_name(&case.destination),
            case.pupil.year,
            case.reference
        ))
        .components(decision_buttons(
            ButtonFamily::ExtraApproval,
            &case.reference.to_string(),
        ))
        .allowed_mentions(CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)))
}
