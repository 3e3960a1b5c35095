//! `/agreement record|sign`: what everyone agreed at the initial meeting.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{Action, AgreementTermsInput};

/// The agreement made at the initial meeting.
#[poise::command(slash_command, guild_only, subcommands("record", "sign"))]
pub async fn agreement(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Record the agreement (start, length, targets, champion, plan if it fails); signs for your school.
#[poise::command(slash_command, guild_only)]
pub async fn record(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Start date, e.g. 2026-12-01"] start: String,
    #[description = "Length in weeks (up to the partnership's maximum)"]
    #[min = 1]
    #[max = 52]
    weeks: i64,
    #[description = "Behaviour and/or attendance targets the pupil commits to"] targets: String,
    #[description = "The pupil champion named at the meeting"] champion: String,
    #[description = "What happens if the move does not work out"] if_fails: String,
) -> Result<(), Error> {
    let terms = AgreementTermsInput {
        start,
        weeks,
        targets,
        pupil_champion: champion,
        if_it_fails: if_fails,
    }
    .parse();
    act(
        ctx,
        &case,
        terms.map(|terms| Action::RecordAgreement { terms }),
    )
    .await
}

/// Sign the recorded agreement for your school.
#[poise::command(slash_command, guild_only)]
pub async fn sign(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    act(ctx, &case, Ok(Action::SignAgreement)).await
}
