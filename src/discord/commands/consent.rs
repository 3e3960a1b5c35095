//! `/consent parent|pupil|ehcp|virtual-school|local-authority`: what must be recorded before a
//! move starts (`copy-given` and `notice-given` live in `family.rs`).

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, Text};

/// Record agreements and consultations needed before the move starts.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "parent",
        "pupil",
        "ehcp",
        "virtual_school",
        "local_authority",
        "super::family::copy_given",
        "super::family::notice_given"
    )
)]
pub async fn consent(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Record the parent/carer's agreement, given freely, as heard by a named member of staff.
#[poise::command(slash_command, guild_only)]
pub async fn parent(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The member of staff who heard the parent agree"] witnessed_by: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "Was it given freely, with no pressure or threat of exclusion?"]
    freely_given: bool,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordParentConsent {
            witnessed_by: Text::parse("witnessed_by", &witnessed_by)?,
            on: input::date("on", &on)?,
            freely_given,
        })
    })();
    act(ctx, &case, action).await
}

/// Record the pupil's own agreement to the move.
#[poise::command(slash_command, guild_only)]
pub async fn pupil(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "Anything to note"] note: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordPupilConsent {
            on: input::date("on", &on)?,
            note: input::optional_text("note", note.as_deref())?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record the EHCP amendment that makes this move part of the plan.
#[poise::command(slash_command, guild_only)]
pub async fn ehcp(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Date of the amendment, e.g. 2026-11-24"] on: String,
    #[description = "Anything to note"] note: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordEhcpAmendment {
            on: input::date("on", &on)?,
            note: input::optional_text("note", note.as_deref())?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record the Virtual School consultation for a looked-after child.
#[poise::command(slash_command, guild_only, rename = "virtual-school")]
pub async fn virtual_school(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "Who was consulted (role or name of staff)"] contact: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordVirtualSchool {
            on: input::date("on", &on)?,
            contact: Text::parse("contact", &contact)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record a looked-after child's consent from the local authority, through the social worker.
#[poise::command(slash_command, guild_only, rename = "local-authority")]
pub async fn local_authority(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The social worker through whom the authority agreed (role or name)"]
    social_worker: String,
    #[description = "When, e.g. 2026-11-24"] on: String,
    #[description = "Do the parents share parental responsibility (then their agreement is needed too)?"]
    parents_share: bool,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordLocalAuthorityConsent {
            social_worker: Text::parse("social_worker", &social_worker)?,
            on: input::date("on", &on)?,
            parents_share,
        })
    })();
    act(ctx, &case, action).await
}
