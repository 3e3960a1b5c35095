//! Escalation in Discord (issue 15): the "Ping" button on an escalated step's notice (and,
//! with the merge, on the board's case view) and the post that calls on the owing head.

use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateAllowedMentions, CreateButton, CreateMessage};

use super::render::mentions;
use crate::domain::next_step::{all_steps, Owner};
use crate::domain::{Capacity, Case, CaseRef, Partnership, RoleId};
use crate::service::Service;

/// The custom ID's verb: `mm:ping:<case>:<step key>`.
pub const PING: &str = "ping";

/// "Ping <owner>" for one overdue step of a case. The click is checked again on the server
/// (coordinators only, the step still overdue), whoever sees the button.
pub fn ping_button(case: &CaseRef, step_key: &str) -> CreateButton {
    CreateButton::new(format!("mm:{PING}:{case}:{step_key}"))
        .label("Ping the owner")
        .style(serenity::ButtonStyle::Primary)
}

/// The ping button as a row for a message.
pub fn ping_row(case: &CaseRef, step_key: &str) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![ping_button(case, step_key)])]
}

/// `<case>:<step>` from the rest of a ping button's custom ID.
pub fn parse_ping(rest: &str) -> Option<(&str, &str)> {
    rest.split_once(':').filter(|(_, step)| !step.is_empty())
}

/// The head roles a step's owner is called on by: the owing school's heads, or both
/// schools' for an outcome both heads owe.
pub fn owner_roles(service: &Service, case: &Case, owner: &Owner) -> Vec<RoleId> {
    let roles = service.roles();
    let heads = |school| roles.roles_for(&Capacity::Head(school));
    match owner {
        Owner::Head(school) | Owner::School(school) => heads(school.clone()),
        Owner::BothHeads => {
            let mut ids = heads(case.home.clone());
            ids.extend(heads(case.destination.clone()));
            ids
        }
        _ => Vec::new(),
    }
}

/// The post in the case thread after a coordinator's ping: mentions only the owing head
/// role(s), and says what is owed since when.
pub fn pinged_message(
    service: &Service,
    case: &Case,
    p: &Partnership,
    step: &str,
) -> CreateMessage {
    let found = all_steps(case, p).into_iter().find(|s| s.key == step);
    let Some(step) = found else {
        // Done between the ping and its delivery: nothing to call anyone for.
        return CreateMessage::new()
            .content(format!(
                "`{}`: the step a coordinator pinged about is done now.",
                case.reference
            ))
            .allowed_mentions(CreateAllowedMentions::new());
    };
    let roles = owner_roles(service, case, &step.owner);
    let text = format!(
        "🔔 {} A coordinator asks: `{}` ⚠️ overdue since {}: {}.",
        mentions(&roles),
        case.reference,
        step.due.format("%a %-d %b"),
        step.describe(p)
    );
    CreateMessage::new()
        .content(super::render::truncate(&text, 1990))
        .allowed_mentions(CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)))
}
