//! `/move start|checkin|outcome|terminate|extend|registered`: the move while it runs, how
//! it ends, and each school's side of the dual registration.

use super::autocomplete_case;
use super::changes::extend;
use super::choices::Outcome;
use super::returning::consent_withdrawn;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, SchoolKey, Text};

/// The move itself: start it, check in, record the outcome, or end it early.
#[poise::command(
    slash_command,
    guild_only,
    rename = "move",
    subcommands(
        "start",
        "checkin",
        "outcome",
        "terminate",
        "extend",
        "registered",
        "consent_withdrawn"
    )
)]
pub async fn r#move(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Start the move (dual registration) once everything is recorded.
#[poise::command(slash_command, guild_only)]
pub async fn start(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "First day, if not today, e.g. 2026-12-01"] on: Option<String>,
) -> Result<(), Error> {
    let on = on.map(|d| input::date("on", &d)).transpose();
    act(ctx, &case, on.map(|on| Action::StartMove { on })).await
}

/// Log a regular check-in with the pupil.
#[poise::command(slash_command, guild_only)]
pub async fn checkin(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "How it is going (shown only on the case)"] note: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::LogCheckIn {
            on: input::date("on", &on)?,
            note: Text::parse("note", &note)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record the outcome after the final review (a permanent transfer needs both heads).
#[poise::command(slash_command, guild_only)]
pub async fn outcome(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "What was decided"] outcome: Outcome,
    #[description = "A note for the record"] note: String,
) -> Result<(), Error> {
    let outcome = match outcome {
        Outcome::Permanent => crate::domain::Outcome::Permanent,
        Outcome::Returned => crate::domain::Outcome::Returned,
    };
    act(
        ctx,
        &case,
        Text::parse("note", &note).map(|note| Action::RecordOutcome { outcome, note }),
    )
    .await
}

/// End an active move early (destination head); the pupil returns home.
#[poise::command(slash_command, guild_only)]
pub async fn terminate(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Why the move is ending (e.g. serious breach, targets persistently missed)"]
    reason: String,
) -> Result<(), Error> {
    act(
        ctx,
        &case,
        Text::parse("reason", &reason).map(|reason| Action::Terminate { reason }),
    )
    .await
}

/// Confirm your school's side of the dual registration (destination: subsidiary; home: code D).
#[poise::command(slash_command, guild_only)]
pub async fn registered(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "First day on the register (destination) or marked code D (home), e.g. 2026-12-01"]
    from: String,
    #[description = "The day your school told the local authority of the register change"]
    la_notified: String,
    #[description = "Your school's key, only if you work at both schools of the case"]
    school: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::ConfirmRegistration {
            school: school.as_deref().map(SchoolKey::parse).transpose()?,
            from: input::date("from", &from)?,
            la_notified: input::date("la_notified", &la_notified)?,
        })
    })();
    act(ctx, &case, action).await
}
