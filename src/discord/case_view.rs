//! A case opened from the board's menu: its card as `/case show` renders it (what the
//! person may see, as Discord may hold it), privately, with a row of the buttons they may
//! use on it now.

use poise::serenity_prelude as serenity;
use serenity::{
    ComponentInteraction, CreateActionRow, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
};

use super::ack::acknowledging;
use super::escalation::ping_button;
use super::lead::lead_button;
use super::render::{decision_buttons, embed, truncate, ButtonFamily};
use super::types::{Data, Error};
use crate::domain::next_step::next_steps;
use crate::domain::reminders::escalation::pingable;
use crate::domain::{may, ActionKind, Actor, Case, CaseRef, Context};
use crate::view;

/// The buttons a person has on a case now: each shown only when the domain would let them
/// act (`domain::may`), as its click checks again. A coordinator's: the extra approval,
/// where the policy gives it to the coordinators; "Take the lead" (unless they lead it);
/// and "Ping <owner>" for each overdue step a school owes.
pub fn buttons(case: &Case, actor: &Actor, ctx: &Context) -> Vec<CreateActionRow> {
    let allowed = |kind: ActionKind| may(actor, case, kind, ctx).is_ok();
    let reference = case.reference.to_string();
    let mut rows = Vec::new();
    if allowed(ActionKind::Accept) || allowed(ActionKind::Decline) {
        rows.extend(decision_buttons(ButtonFamily::Proposal, &reference));
    }
    if allowed(ActionKind::PanelDecide) {
        rows.extend(decision_buttons(ButtonFamily::Panel, &reference));
    }
    if allowed(ActionKind::DecideExtraApproval) {
        rows.extend(decision_buttons(ButtonFamily::ExtraApproval, &reference));
    }
    let mut coordinator = Vec::new();
    let leads = case.lead.as_ref().is_some_and(|l| l.user == actor.user);
    if allowed(ActionKind::TakeLead) && !leads {
        coordinator.push(lead_button(&case.reference));
    }
    if allowed(ActionKind::PingOwner) {
        let p = ctx.partnership;
        let today = p.today(ctx.now);
        let overdue = next_steps(case, p, today)
            .into_iter()
            .filter(|s| s.is_overdue(today) && pingable(&s.owner));
        // A row holds five buttons: the lead's and the four most overdue steps'.
        for step in overdue.take(4) {
            let label = truncate(&format!("Ping {}", step.owner.label(p)), 80);
            coordinator.push(ping_button(&case.reference, &step.key).label(label));
        }
    }
    if !coordinator.is_empty() {
        rows.push(CreateActionRow::Buttons(coordinator));
    }
    rows
}

/// Someone chose a case from the board's menu: the card and buttons, or one sentence.
pub async fn on_pick(
    http: &serenity::Http,
    data: &Data,
    click: &ComponentInteraction,
    actor: &Actor,
) -> Result<(), Error> {
    let chosen = match &click.data.kind {
        serenity::ComponentInteractionDataKind::StringSelect { values } => values.first(),
        _ => None,
    };
    let work = open(data, actor, chosen.map(String::as_str).unwrap_or_default());
    let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
    let (content, card, rows) = match result {
        Ok((card, rows)) => (String::new(), Some(card), rows),
        Err(sentence) => (sentence, None, Vec::new()),
    };
    if deferred {
        let mut followup = CreateInteractionResponseFollowup::new()
            .ephemeral(true)
            .components(rows);
        if let Some(card) = &card {
            followup = followup.embed(embed(card));
        } else {
            followup = followup.content(content);
        }
        click.create_followup(http, followup).await?;
    } else {
        let mut message = CreateInteractionResponseMessage::new()
            .ephemeral(true)
            .components(rows);
        if let Some(card) = &card {
            message = message.embed(embed(card));
        } else {
            message = message.content(content);
        }
        click
            .create_response(http, CreateInteractionResponse::Message(message))
            .await?;
    }
    Ok(())
}

/// The case as the person may see it, or the sentence saying why not.
async fn open(
    data: &Data,
    actor: &Actor,
    chosen: &str,
) -> Result<(view::Card, Vec<CreateActionRow>), String> {
    let reference = CaseRef::parse(chosen).map_err(|r| r.to_string())?;
    let service = &data.service;
    let case = service
        .show(actor, reference)
        .await
        .map_err(|e| e.to_string())?;
    let case = service.for_discord(case).await.map_err(|e| e.to_string())?;
    let p = service.partnership();
    let ctx = Context {
        partnership: p,
        now: service.now(),
    };
    Ok((view::case_card(&case, p), buttons(&case, actor, &ctx)))
}

#[cfg(test)]
mod tests {
    use super::buttons;
    use crate::domain::testkit::*;
    use serde_json::Value;

    fn ids(rows: Vec<serenity::all::CreateActionRow>) -> Vec<String> {
        rows.into_iter()
            .flat_map(|r| {
                let v: Value = serde_json::to_value(r).unwrap();
                v["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["custom_id"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    use poise::serenity_prelude as serenity;

    #[test]
    fn a_coordinator_gets_the_extra_approval_buttons_while_it_is_theirs_to_give() {
        let b = CaseBuilder::proposed().year(10).accepted();
        let ctx = b.context();
        assert_eq!(
            ids(buttons(b.case(), &coordinator(), &ctx)),
            vec![
                "mm:xapprove:MM-2026-0001",
                "mm:xdecline:MM-2026-0001",
                "mm:lead:MM-2026-0001"
            ]
        );
        // Not for a head, and not once the move needs no approval.
        assert!(ids(buttons(b.case(), &head_of(HOME), &ctx)).is_empty());
        let plain = CaseBuilder::proposed().accepted();
        assert_eq!(
            ids(buttons(plain.case(), &coordinator(), &plain.context())),
            vec!["mm:lead:MM-2026-0001"]
        );
    }

    #[test]
    fn the_destination_head_gets_accept_and_decline_on_a_proposal() {
        let b = CaseBuilder::proposed();
        let ctx = b.context();
        assert_eq!(
            ids(buttons(b.case(), &head_of(DESTINATION), &ctx)),
            vec!["mm:accept:MM-2026-0001", "mm:decline:MM-2026-0001"]
        );
        assert_eq!(
            ids(buttons(b.case(), &coordinator(), &ctx)),
            vec!["mm:lead:MM-2026-0001"]
        );
    }

    #[test]
    fn a_coordinator_can_ping_the_owner_of_each_overdue_step_a_school_owes_and_no_other() {
        // The proposal is due three school days on; a week later it is overdue.
        let b = CaseBuilder::proposed();
        let late = b.now() + chrono::Duration::days(7);
        let b = b
            .at(late)
            .act(&coordinator(), crate::domain::Action::TakeLead { to: None });
        let ctx = b.context();
        assert_eq!(
            ids(buttons(b.case(), &coordinator(), &ctx)),
            vec!["mm:ping:MM-2026-0001:answer_proposal"],
            "the lead's own button is gone; the overdue answer can be pinged"
        );
        assert!(ids(buttons(b.case(), &head_of(HOME), &ctx)).is_empty());
        // Not overdue yet: no ping.
        let fresh = CaseBuilder::proposed();
        assert!(
            !ids(buttons(fresh.case(), &coordinator(), &fresh.context()))
                .iter()
                .any(|id| id.starts_with("mm:ping"))
        );
    }
}
