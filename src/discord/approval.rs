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

#[cfg(test)]
mod tests {
    use super::needed_message;
    use crate::domain::approvals::Approver;
    use crate::domain::testkit::CaseBuilder;
    use crate::domain::{Capacity, RoleId, RoleMap};
    use crate::service::Audience;

    #[test]
    fn the_panels_call_pings_the_panel_with_the_buttons_and_no_initials() {
        let b = CaseBuilder::new()
            .with_policy(|p| p.extra_approval.by = Approver::Seip)
            .year(11)
            .propose()
            .accepted();
        let mut roles = RoleMap::default();
        roles.grant(RoleId(77), Capacity::Seip);
        roles.grant(RoleId(88), Capacity::Coordinator);
        let message = needed_message(b.case(), b.partnership(), &Audience::Seip, &roles);
        let json = serde_json::to_value(&message).unwrap();
        let content = json["content"].as_str().unwrap();
        assert!(content.starts_with("<@&77> "), "{content}");
        assert!(
            content.contains("the SEIP panel's extra approval"),
            "{content}"
        );
        assert!(
            content.contains("Y11") && !content.contains("J.S."),
            "{content}"
        );
        assert_eq!(json["allowed_mentions"]["roles"], serde_json::json!(["77"]));
        let buttons = json["components"].to_string();
        assert!(buttons.contains("mm:xapprove:MM-2026-0001"), "{buttons}");
        assert!(buttons.contains("mm:xdecline:MM-2026-0001"), "{buttons}");
    }
}
