//! `/dates show|snooze|reschedule`: a case's dates and reminders, its calendar file, and
//! putting off a reminder or moving a review (both recorded as events, with a reason).

use poise::serenity_prelude as serenity;
use poise::CreateReply;
use serenity::{CommandDataOption, CommandDataOptionValue};

use super::autocomplete_case;
use super::choices::Review;
use crate::discord::render::truncate;
use crate::discord::reply::{act, actor, read_case};
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, CaseRef, Text};
use crate::scheduler::{case_calendar, case_schedule};
use crate::store::ReminderState;

/// A case's dates and reminders.
#[poise::command(slash_command, guild_only, subcommands("show", "snooze", "reschedule"))]
pub async fn dates(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show a case's upcoming dates and reminders, with a calendar file (.ics) to import.
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_case(ctx, &case, |me, r| async move {
        case_schedule(service, &me, r).await
    })
    .await?;
    let Some((reference, schedule)) = found else {
        return Ok(());
    };
    let (p, now) = (service.partnership(), service.now());
    let body = truncate(&schedule.lines(p, now).join("\n"), 1900);
    let ics = case_calendar(&schedule.case, p, now);
    let file = serenity::CreateAttachment::bytes(ics.into_bytes(), format!("{reference}.ics"));
    ctx.send(
        CreateReply::default()
            .content(body)
            .attachment(file)
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// The case chosen (or typed) so far in a command's `case` option, for an autocomplete of
/// that case's reminders, steps or notes.
pub(super) fn chosen_case(ctx: Context<'_>) -> Option<CaseRef> {
    let typed = match ctx {
        poise::Context::Application(a) => typed_case(&a.interaction.data.options),
        poise::Context::Prefix(_) => None,
    };
    typed.and_then(|t| CaseRef::parse(&t).ok())
}

/// The `case` option typed so far, to offer that case's reminders.
pub(super) fn typed_case(options: &[CommandDataOption]) -> Option<String> {
    options.iter().find_map(|o| match &o.value {
        CommandDataOptionValue::SubCommand(inner) => typed_case(inner),
        CommandDataOptionValue::String(v) if o.name == "case" => Some(v.clone()),
        CommandDataOptionValue::Autocomplete { value, .. } if o.name == "case" => {
            Some(value.clone())
        }
        _ => None,
    })
}

/// Offers the steps the chosen case owes (snoozing one silences its overdue reminder and
/// escalation), then its reminders still to come (only a case the person may see).
async fn autocomplete_reminder(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let mut choices = Vec::new();
    if let Some(reference) = chosen_case(ctx) {
        let me = actor(ctx).await;
        let service = &ctx.data().service;
        if let Ok(schedule) = case_schedule(service, &me, reference).await {
            let p = service.partnership();
            let today = p.today(service.now());
            for step in crate::domain::next_step::next_steps(&schedule.case, p, today)
                .into_iter()
                .filter(|s| s.key.contains(partial.trim()))
            {
                let label = truncate(&format!("step: {}", step.describe(p)), 100);
                choices.push(serenity::AutocompleteChoice::new(label, step.key));
            }
            let tz = &p.timezone;
            for r in schedule
                .reminders
                .iter()
                .filter(|r| r.state != ReminderState::Cancelled && r.key.contains(partial.trim()))
            {
                let when = r.due_at.with_timezone(tz).format("%a %-d %b %H:%M");
                let label = format!("{} · {when}", r.key);
                choices.push(serenity::AutocompleteChoice::new(label, r.key.clone()));
            }
        }
    }
    serenity::CreateAutocompleteResponse::new().set_choices(choices.into_iter().take(25).collect())
}

/// Put off one of a case's reminders until a later day, with a reason.
#[poise::command(slash_command, guild_only)]
pub async fn snooze(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which reminder (offered once the case is chosen)"]
    #[autocomplete = "autocomplete_reminder"]
    reminder: String,
    #[description = "Remind again on this day, e.g. 2027-01-12"] until: String,
    #[description = "Why it waits"] reason: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::SnoozeReminder {
            key: reminder.trim().to_string(),
            until: input::date("until", &until)?,
            reason: Text::parse("reason", &reason)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Move a review to another date (it lands on the next school day), with a reason.
#[poise::command(slash_command, guild_only)]
pub async fn reschedule(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which review"] review: Review,
    #[description = "New date, e.g. 2027-01-12"] on: String,
    #[description = "Why it moves"] reason: String,
) -> Result<(), Error> {
    super::review::reschedule_review(ctx, &case, review, &on, &reason).await
}
