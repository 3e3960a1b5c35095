//! Buttons and modals. A click is checked against the clicker's roles again, on the server,
//! whatever message it came from; custom IDs hold the action and case, so buttons keep
//! working after a restart. A decision is recorded once per interaction (a replay or a
//! double click gets the first answer), and one that waits for the database is acknowledged
//! within Discord's 3 s ([`super::ack`]). A button that opens a form cannot be acknowledged
//! first (the form must be the first response), so the check before the form only reads:
//! readers never wait for a writer in WAL mode.

use poise::serenity_prelude as serenity;
use serenity::{
    ActionRowComponent, ComponentInteraction, CreateActionRow, CreateInputText,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage,
    CreateModal, InputTextStyle, ModalInteraction,
};

use super::ack::acknowledging;
use super::render::embed;
use super::reply::{done_summary, SAVED_BUT_NOT_SHOWN};
use super::types::{Data, Error};
use crate::domain::meetings::Attendance;
use crate::domain::{Action, Actor, CaseRef, Refusal, ReviewKind, RoleId, Text, UserId};
use crate::service::ServiceError;
use crate::view;

pub async fn on_event(
    ctx: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let serenity::FullEvent::InteractionCreate { interaction } = event else {
        return Ok(());
    };
    let data = ctx.user_data;
    let http = &ctx.serenity_context.http;
    match interaction {
        serenity::Interaction::Component(click) if in_guild(data, click.guild_id) => {
            on_click(http, data, click).await
        }
        serenity::Interaction::Modal(submit) if in_guild(data, submit.guild_id) => {
            on_submit(http, data, submit).await
        }
        _ => Ok(()),
    }
}

fn in_guild(data: &Data, guild: Option<serenity::GuildId>) -> bool {
    guild.map(|g| g.get()) == Some(data.config.discord.guild_id)
}

/// `mm:<verb>:<case>` -> (verb, case)
fn parse_custom_id(id: &str) -> Option<(&str, &str)> {
    let rest = id.strip_prefix("mm:")?;
    rest.split_once(':')
}

fn actor_of(data: &Data, user: serenity::UserId, member: Option<&serenity::Member>) -> Actor {
    let roles: Vec<RoleId> = member
        .map(|m| m.roles.iter().map(|r| RoleId(r.get())).collect())
        .unwrap_or_default();
    data.service.actor(UserId(user.get()), &roles)
}

async fn on_click(
    http: &serenity::Http,
    data: &Data,
    click: &ComponentInteraction,
) -> Result<(), Error> {
    // A case chosen from the board's menu: shown privately, nothing written.
    if click.data.custom_id == super::board::BOARD_MENU {
        let actor = actor_of(data, click.user.id, click.member.as_ref());
        return super::case_view::on_pick(http, data, click, &actor).await;
    }
    let Some((verb, case)) = parse_custom_id(&click.data.custom_id) else {
        return Ok(());
    };
    let actor = actor_of(data, click.user.id, click.member.as_ref());
    super::names::note(&data.service, &actor, &click.user, click.member.as_ref());
    match verb {
        // A decision that needs a reason opens a modal first; the modal submit acts.
        "decline" | "reject" | "approve" => {
            let title = match verb {
                "decline" => "Decline the proposal",
                "reject" => "Reject the transfer",
                _ => "Approve the transfer",
            };
            let modal = CreateModal::new(format!("mm:{verb}:{case}"), title).components(vec![
                CreateActionRow::InputText(
                    CreateInputText::new(
                        InputTextStyle::Paragraph,
                        "Reason (shared with both schools)",
                        "reason",
                    )
                    .min_length(3)
                    .max_length(1000)
                    .required(true),
                ),
            ]);
            // Check permission before showing the form, so nobody fills it in for nothing.
            if let Err(refusal) = check_may(data, &actor, case, verb).await {
                return answer_private(http, click, &refusal).await;
            }
            click
                .create_response(http, CreateInteractionResponse::Modal(modal))
                .await?;
            Ok(())
        }
        // The extra approval (exam years): approving needs no reason; declining opens a
        // form for it.
        "xapprove" => {
            let action = Ok(Action::DecideExtraApproval {
                approve: true,
                reason: None,
            });
            let work = run(data, &actor, case, action, click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        "xdecline" => {
            let modal = CreateModal::new(format!("mm:{verb}:{case}"), "Decline the move")
                .components(vec![CreateActionRow::InputText(
                    CreateInputText::new(
                        InputTextStyle::Paragraph,
                        "Reason (shared with both schools)",
                        "reason",
                    )
                    .min_length(3)
                    .max_length(1000)
                    .required(true),
                )]);
            if let Err(refusal) = check_may(data, &actor, case, verb).await {
                return answer_private(http, click, &refusal).await;
            }
            click
                .create_response(http, CreateInteractionResponse::Modal(modal))
                .await?;
            Ok(())
        }
        // A coordinator takes the lead (`/case show`, the board's case view); a head
        // confirms the reopen asked in the case thread.
        "lead" | "reopen" => {
            let action = if verb == "lead" {
                Action::TakeLead { to: None }
            } else {
                Action::ConfirmReopen
            };
            let work = run(data, &actor, case, Ok(action), click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        "accept" => {
            let work = run(data, &actor, case, Ok(Action::Accept), click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        // The other head agrees to the extension asked for in the case thread.
        "extend" => {
            let work = async {
                let action = super::extension::agreeing_action(data, &actor, case).await;
                run(data, &actor, case, action, click.id.get()).await
            };
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        // Who came to the initial meeting, from the menu under `/meeting held`'s answer.
        "attendees" => {
            let values = match &click.data.kind {
                serenity::ComponentInteractionDataKind::StringSelect { values } => values.clone(),
                _ => Vec::new(),
            };
            let action = Attendance::from_menu(&values)
                .map(|attendance| Action::RecordMeetingAttendees { attendance });
            let work = run(data, &actor, case, action, click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        // Who came to a review, from the menu under `/review details`' answer.
        "attendees-midpoint" | "attendees-final" => {
            let values = match &click.data.kind {
                serenity::ComponentInteractionDataKind::StringSelect { values } => values.clone(),
                _ => Vec::new(),
            };
            let review = if verb == "attendees-final" {
                ReviewKind::Final
            } else {
                ReviewKind::Midpoint
            };
            let action = Attendance::from_menu(&values)
                .map(|attendance| Action::RecordReviewAttendees { review, attendance });
            let work = run(data, &actor, case, action, click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        // A coordinator pings the owner of an overdue step (`mm:ping:<case>:<step>`).
        super::escalation::PING => {
            let action = super::escalation::parse_ping(case)
                .map(|(_, step)| Action::PingOwner {
                    step: step.to_string(),
                })
                .ok_or_else(|| Refusal::invalid("step", "That button names no step."));
            let reference = super::escalation::parse_ping(case).map_or(case, |(c, _)| c);
            let work = run(data, &actor, reference, action, click.id.get());
            let (result, deferred) = acknowledging(work, || click.defer_ephemeral(http)).await;
            answer(http, Interaction::Click(click), deferred, result).await
        }
        // A button from a version that had other verbs: say so rather than leave Discord
        // showing "This interaction failed".
        _ => {
            let refusal = Refusal::wrong_state(
                "This button is no longer in use. Use the slash commands (see `/help`).",
            );
            answer_private(http, click, &refusal).await
        }
    }
}

async fn on_submit(
    http: &serenity::Http,
    data: &Data,
    submit: &ModalInteraction,
) -> Result<(), Error> {
    let Some((verb, case)) = parse_custom_id(&submit.data.custom_id) else {
        return Ok(());
    };
    let actor = actor_of(data, submit.user.id, submit.member.as_ref());
    super::names::note(&data.service, &actor, &submit.user, submit.member.as_ref());
    let reason = modal_value(submit, "reason").unwrap_or_default();
    let action = Text::parse("reason", &reason).and_then(|reason| match verb {
        "decline" => Ok(Action::Decline { reason }),
        "reject" | "approve" => Ok(Action::PanelDecide {
            approve: verb == "approve",
            reason,
        }),
        "xdecline" => Ok(Action::DecideExtraApproval {
            approve: false,
            reason: Some(reason),
        }),
        _ => Err(Refusal::invalid(
            "form",
            "That form is not one this bot knows.",
        )),
    });
    let work = run(data, &actor, case, action, submit.id.get());
    let (result, deferred) = acknowledging(work, || submit.defer_ephemeral(http)).await;
    answer(http, Interaction::Submit(submit), deferred, result).await
}

fn modal_value(submit: &ModalInteraction, field: &str) -> Option<String> {
    submit
        .data
        .components
        .iter()
        .flat_map(|row| &row.components)
        .find_map(|c| match c {
            ActionRowComponent::InputText(input) if input.custom_id == field => input.value.clone(),
            _ => None,
        })
}

/// Runs the action; Ok holds the confirmation and the case card, Err the refusal sentence.
async fn run(
    data: &Data,
    actor: &Actor,
    case: &str,
    action: Result<Action, Refusal>,
    interaction_id: u64,
) -> Result<(String, view::Card), String> {
    let reference = CaseRef::parse(case).map_err(|r| r.to_string())?;
    let action = action.map_err(|r| r.to_string())?;
    let service = &data.service;
    match service
        .act_interaction(actor, reference, action, interaction_id)
        .await
    {
        Ok(outcome) => {
            let p = service.partnership();
            let summary = done_summary(&outcome, p);
            let case = service
                .for_discord(outcome.case)
                .await
                .map_err(|_| SAVED_BUT_NOT_SHOWN.to_string())?;
            Ok((summary, view::case_card(&case, p)))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Would this decision be allowed now, whatever reason is typed? Asked before opening a
/// reason form: the domain's `may` (who, the case's state, the panel), which needs no
/// reason, with nothing written.
async fn check_may(data: &Data, actor: &Actor, case: &str, verb: &str) -> Result<(), Refusal> {
    use crate::domain::ActionKind;
    let reference = CaseRef::parse(case)?;
    let kind = match verb {
        "decline" => ActionKind::Decline,
        "xdecline" => ActionKind::DecideExtraApproval,
        _ => ActionKind::PanelDecide,
    };
    data.service
        .would_allow(actor, reference, kind)
        .await
        .map_err(|e| match e {
            ServiceError::Refused(r) => r,
            ServiceError::Internal { .. } | ServiceError::Busy => Refusal::blocked(e.to_string()),
        })
}

async fn answer_private(
    http: &serenity::Http,
    click: &ComponentInteraction,
    refusal: &Refusal,
) -> Result<(), Error> {
    let message = CreateInteractionResponseMessage::new()
        .content(refusal.message())
        .ephemeral(true);
    click
        .create_response(http, CreateInteractionResponse::Message(message))
        .await?;
    Ok(())
}

/// A click or a form submit: the two interactions a decision comes from.
#[derive(Clone, Copy)]
enum Interaction<'a> {
    Click(&'a ComponentInteraction),
    Submit(&'a ModalInteraction),
}

impl Interaction<'_> {
    /// The first response, or after an acknowledgement the follow-up that replaces its
    /// "thinking…" message.
    async fn send(
        self,
        http: &serenity::Http,
        deferred: bool,
        content: String,
        card: Option<&view::Card>,
    ) -> Result<(), serenity::Error> {
        if deferred {
            let mut followup = CreateInteractionResponseFollowup::new()
                .content(content)
                .ephemeral(true);
            if let Some(card) = card {
                followup = followup.embed(embed(card));
            }
            match self {
                Interaction::Click(c) => c.create_followup(http, followup).await.map(|_| ()),
                Interaction::Submit(m) => m.create_followup(http, followup).await.map(|_| ()),
            }
        } else {
            let mut message = CreateInteractionResponseMessage::new()
                .content(content)
                .ephemeral(true);
            if let Some(card) = card {
                message = message.embed(embed(card));
            }
            let response = CreateInteractionResponse::Message(message);
            match self {
                Interaction::Click(c) => c.create_response(http, response).await,
                Interaction::Submit(m) => m.create_response(http, response).await,
            }
        }
    }
}

/// Answers a decision. After a success the change is saved whatever happens to the answer,
/// so a failed answer is logged and retried as a plain line, never reported as an error
/// (whose wording would be that nothing was changed).
async fn answer(
    http: &serenity::Http,
    to: Interaction<'_>,
    deferred: bool,
    result: Result<(String, view::Card), String>,
) -> Result<(), Error> {
    match result {
        Ok((text, card)) => {
            if let Err(e) = to.send(http, deferred, text, Some(&card)).await {
                tracing::warn!(error = %e, "decision saved; its answer failed");
                let plain = SAVED_BUT_NOT_SHOWN.to_owned();
                if let Err(e) = to.send(http, deferred, plain, None).await {
                    tracing::warn!(error = %e, "could not tell the person either");
                }
            }
            Ok(())
        }
        Err(text) => Ok(to.send(http, deferred, text, None).await?),
    }
}
