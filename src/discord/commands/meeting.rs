//! `/meeting schedule` and `/meeting held`: the initial meeting at the destination school,
//! planned and then recorded as held with who came.

use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateSelectMenu, CreateSelectMenuKind, CreateSelectMenuOption};

use super::autocomplete_case;
use crate::discord::reply::{act, act_with};
use crate::discord::types::{Context, Error};
use crate::domain::meetings::{Attendee, PupilPresence, PUPIL_PREFIX};
use crate::domain::{input, Action, CaseRef};

/// The initial meeting at the destination school.
#[poise::command(slash_command, guild_only, subcommands("schedule", "held"))]
pub async fn meeting(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Schedule the initial meeting (a school day; outside school hours is allowed, with a warning).
#[poise::command(slash_command, guild_only)]
pub async fn schedule(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Date and time, UK time, e.g. 2026-12-01 10:30"] at: String,
    #[description = "Where, e.g. meeting room 2"] place: Option<String>,
) -> Result<(), Error> {
    let p = ctx.data().service.partnership();
    let action = input::local_datetime("at", &at).and_then(|local| {
        Ok(Action::ScheduleMeeting {
            at: p.instant(local.date(), local.time()),
            place: input::optional_text("place", place.as_deref())?,
        })
    });
    act(ctx, &case, action).await
}

/// Record the initial meeting as held; then choose who came from the menu in the reply.
#[poise::command(slash_command, guild_only)]
pub async fn held(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day it was held, e.g. 2026-12-01"] on: String,
    #[description = "Positives aired at the meeting"] positives: Option<String>,
    #[description = "Concerns aired at the meeting"] concerns: Option<String>,
) -> Result<(), Error> {
    let action = input::date("on", &on).and_then(|on| {
        Ok(Action::RecordMeetingHeld {
            on,
            positives: input::optional_text("positives", positives.as_deref())?,
            concerns: input::optional_text("concerns", concerns.as_deref())?,
            attendance: None,
        })
    });
    // The menu goes with the success only; a refusal is one sentence and nothing else.
    let menu = CaseRef::parse(&case).map(attendees_menu).ok();
    act_with(ctx, &case, action, menu.into_iter().collect()).await
}

/// Who came, as one multi-select: the attendees by role and at most one answer for the
/// pupil (none chosen: the pupil was not there). Its custom ID holds only the case, so it
/// keeps working after a restart; the choice is checked again on the server.
pub fn attendees_menu(case: CaseRef) -> CreateActionRow {
    attendees_menu_with_id(format!("mm:attendees:{case}"))
}

/// The same menu under another custom ID (a review's: `mm:attendees-final:<case>`).
pub fn attendees_menu_with_id(custom_id: String) -> CreateActionRow {
    let mut options: Vec<CreateSelectMenuOption> = Attendee::ALL
        .into_iter()
        .map(|a| CreateSelectMenuOption::new(a.label(), a.key()))
        .collect();
    options.extend([PupilPresence::Whole, PupilPresence::Part].map(|p| {
        CreateSelectMenuOption::new(
            format!("Pupil: {}", presence_label(p)),
            format!("{PUPIL_PREFIX}{}", p.key()),
        )
    }));
    let count = options.len() as u8;
    CreateActionRow::SelectMenu(
        CreateSelectMenu::new(custom_id, CreateSelectMenuKind::String { options })
            .placeholder("Who attended? (pupil: pick one, or none if absent)")
            .min_values(1)
            .max_values(count),
    )
}

fn presence_label(p: PupilPresence) -> &'static str {
    match p {
        PupilPresence::Whole => "there for the whole meeting",
        PupilPresence::Part => "there for part of it",
        PupilPresence::Absent => "not there",
    }
}
