//! `/return meeting|plan|registered`: the returning stage's three steps; with
//! `/move consent-withdrawn` (the home head records the parent's withdrawal) and
//! `/case follow-up` (one term after a close), which sit in their own groups.

use super::autocomplete_case;
use crate::cli::act_returning::follow_up as follow_up_action;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::meetings::Attendance;
use crate::domain::{input, Action, SchoolKey, Text};

/// The pupil's return to the home school: reintegration meeting, plan and registers.
#[poise::command(
    slash_command,
    guild_only,
    rename = "return",
    subcommands("meeting", "plan", "registered")
)]
pub async fn r#return(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Record the reintegration meeting at the home school (within five school days of the return).
#[poise::command(slash_command, guild_only)]
pub async fn meeting(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day it was held, e.g. 2026-12-01"] on: String,
    #[description = "Who came, e.g. parent,home-staff,champion (see /help return)"]
    attendees: String,
    #[description = "Was the pupil there: whole, part or none"] pupil: String,
) -> Result<(), Error> {
    let action = input::date("on", &on).and_then(|on| {
        Ok(Action::RecordReintegrationMeeting {
            on,
            attendance: Attendance::parse(&attendees, &pupil)?,
        })
    });
    act(ctx, &case, action).await
}

/// Record the home school's reintegration plan: support, targets and a named contact.
#[poise::command(slash_command, guild_only)]
pub async fn plan(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The support the pupil will have (shown only on the case)"] support: String,
    #[description = "The targets for the return"] targets: String,
    #[description = "The named member of staff the family and pupil go to"] contact: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordReintegrationPlan {
            support: Text::parse("support", &support)?,
            targets: Text::parse("targets", &targets)?,
            contact: Text::parse("contact", &contact)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Your school's register change for the return (destination: subsidiary ended; home: code D stopped).
#[poise::command(slash_command, guild_only)]
pub async fn registered(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The first day the register shows the change, e.g. 2026-12-01"] on: String,
    #[description = "The day your school told the local authority"] la_notified: String,
    #[description = "Your school's key, only if you work at both schools of the case"]
    school: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::EndRegistration {
            school: school.as_deref().map(SchoolKey::parse).transpose()?,
            on: input::date("on", &on)?,
            la_notified: input::date("la_notified", &la_notified)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record that the parent/carer withdrew consent (home head): the pupil returns home.
#[poise::command(slash_command, guild_only, rename = "consent-withdrawn")]
pub async fn consent_withdrawn(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day the parent/carer withdrew it, e.g. 2026-12-01"] on: String,
    #[description = "What the parent/carer said (shown only on the case)"] reason: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordConsentWithdrawn {
            on: input::date("on", &on)?,
            reason: Text::parse("reason", &reason)?,
        })
    })();
    act(ctx, &case, action).await
}

/// One term after a case closed: is the pupil still on roll and attending?
#[poise::command(slash_command, guild_only, rename = "follow-up")]
pub async fn follow_up(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Is the pupil still on your school's roll: yes or no"] on_roll: String,
    #[description = "Attendance since the case closed, in percent, e.g. 93.5"] attendance: f64,
    #[description = "Suspensions since the case closed"] suspensions: Option<i64>,
    #[description = "A note (shown only on the case)"] note: Option<String>,
) -> Result<(), Error> {
    let action = follow_up_action(
        &on_roll,
        attendance,
        suspensions.unwrap_or(0),
        note.as_deref(),
    );
    act(ctx, &case, action).await
}
