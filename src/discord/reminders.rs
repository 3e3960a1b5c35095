//! Reminders and digests as Discord messages. The words come from `scheduler` (shared with
//! the CLI); here they get the right mentions, buttons and embed. Every post carries the
//! outbox row's nonce, like the sender's others.

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, CreateAllowedMentions, CreateEmbed, CreateEmbedFooter, CreateMessage, Http, Nonce,
};

use super::render::{decision_buttons, mentions, truncate, ButtonFamily};
use super::types::Error;
use crate::config::Config;
use crate::domain::reminders::ReminderKind;
use crate::domain::{Capacity, Case, RoleId};
use crate::scheduler::{digest_lines, late_note, reminder_text, weekly_lines};
use crate::service::{Audience, Notice, Notification, PartnershipNotification, Service};
use crate::store::{CaseFilter, OutboxRow};

/// A reminder about `case` (`note` holds a `Notice::Reminder`), mentioning whoever it
/// calls on: case-team reminders mention the heads and staff of both schools (in the
/// case's private thread); nudges come with the buttons to decide.
pub fn case_reminder(service: &Service, case: &Case, note: &Notification) -> CreateMessage {
    let Notice::Reminder {
        ref key,
        kind,
        about,
        due_at,
        late,
    } = note.notice
    else {
        return CreateMessage::new().content(format!("Reminder for `{}`.", case.reference));
    };
    let p = service.partnership();
    // The approval nudge calls on the coordinators in their channel, not the case team.
    let mention = match (kind, &note.audience) {
        (
            ReminderKind::ApprovalNudge | ReminderKind::StepOverdue | ReminderKind::StepEscalated,
            Audience::Coordinators,
        ) => service.roles().roles_for(&Capacity::Coordinator),
        _ => called_on(service, case, &note.audience),
    };
    let mut text = format!(
        "⏰ {} {}",
        mentions(&mention),
        reminder_text(kind, key, case, p, about)
    );
    if late {
        text = format!("{text}\n_{}_", late_note(due_at, p));
    }
    let reference = case.reference.to_string();
    let message = CreateMessage::new()
        .content(truncate(&text, 1990))
        .allowed_mentions(CreateAllowedMentions::new().roles(mention.iter().map(|r| r.0)));
    match kind {
        ReminderKind::ProposalNudge => {
            message.components(decision_buttons(ButtonFamily::Proposal, &reference))
        }
        ReminderKind::PanelNudge => {
            message.components(decision_buttons(ButtonFamily::Panel, &reference))
        }
        ReminderKind::ApprovalNudge => {
            message.components(decision_buttons(ButtonFamily::ExtraApproval, &reference))
        }
        // The coordinators can call on the owing head from the escalation itself.
        ReminderKind::StepEscalated => {
            use crate::domain::reminders::escalation::{pingable, step_key};
            let step = step_key(key);
            let owed = crate::domain::next_step::all_steps(case, p)
                .into_iter()
                .find(|s| s.key == step);
            match owed {
                Some(s) if pingable(&s.owner) => {
                    message.components(super::escalation::ping_row(&case.reference, step))
                }
                _ => message,
            }
        }
        _ => message,
    }
}

/// The roles a reminder mentions.
fn called_on(service: &Service, case: &Case, audience: &Audience) -> Vec<RoleId> {
    let roles = service.roles();
    match audience {
        Audience::Head { school } => roles.roles_for(&Capacity::Head(school.clone())),
        Audience::Seip => roles.roles_for(&Capacity::Seip),
        Audience::CaseThread | Audience::Coordinators => [&case.home, &case.destination]
            .into_iter()
            .flat_map(|school| {
                let mut ids = roles.roles_for(&Capacity::Head(school.clone()));
                ids.extend(roles.roles_for(&Capacity::Staff(school.clone())));
                ids
            })
            .collect(),
    }
}

/// Posts a coordinators' digest (an outbox row with no case) in their channel.
pub async fn deliver_digest(
    http: &Http,
    service: &Service,
    config: &Config,
    row: &OutboxRow,
    nonce: Nonce,
) -> Result<(), Error> {
    let note: PartnershipNotification = serde_json::from_str(&row.payload)?;
    let Some(message) = partnership_message(service, &note.notice).await? else {
        tracing::warn!(
            outbox = row.id,
            "skipped a partnership notification it cannot show"
        );
        return Ok(());
    };
    ChannelId::new(config.discord.board_channel_id)
        .send_message(http, message.nonce(nonce).enforce_nonce(true))
        .await?;
    Ok(())
}

/// The coordinators' digest or weekly summary, from the open cases as they are now.
async fn partnership_message(
    service: &Service,
    notice: &Notice,
) -> Result<Option<CreateMessage>, Error> {
    let (title, on, late, weekly) = match notice {
        Notice::Digest { on, late } => ("Morning digest", *on, *late, false),
        Notice::WeeklySummary { on, late } => ("Weekly summary", *on, *late, true),
        _ => return Ok(None),
    };
    // Every open case, however many: the summary counts them.
    let filter = CaseFilter {
        all: true,
        open_only: true,
        limit: u32::MAX,
        ..Default::default()
    };
    let mut cases = service.store().list_cases(&filter).await?;
    // The digest is split by lead, by name.
    service.name_leads(&mut cases).await;
    let (p, s) = (service.partnership(), service.reminder_settings());
    let lines = if weekly {
        weekly_lines(&cases, p, s, on)
    } else {
        digest_lines(&cases, p, s, on)
    };
    let mut embed = CreateEmbed::new()
        .title(format!("{title} · {}", on.format("%a %-d %b %Y")))
        .description(truncate(&lines.join("\n"), 4000))
        .colour(0x3B82F6);
    if late {
        embed = embed.footer(CreateEmbedFooter::new(
            "Sent late: the bot was offline at the usual time.",
        ));
    }
    Ok(Some(
        CreateMessage::new()
            .embed(embed)
            .allowed_mentions(CreateAllowedMentions::new()),
    ))
}
