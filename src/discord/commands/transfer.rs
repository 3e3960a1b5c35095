//! `/transfer ehcp-amended|virtual-school|registered|removed|cp-file|cp-received|records`:
//! the transferring stage after both heads confirm a permanent outcome (the roll change and
//! the records that follow the pupil). Every rule is the domain's (`decide::transferring`).

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::transfer::parse_cp_sent;
use crate::domain::{input, Action, Text};

/// After a permanent outcome: change rolls and send the records.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "ehcp_amended",
        "virtual_school",
        "registered",
        "removed",
        "cp_file",
        "cp_received",
        "records"
    )
)]
pub async fn transfer(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// EHCP pupil: the local authority amended the named school (either head; before the roll change).
#[poise::command(slash_command, guild_only, rename = "ehcp-amended")]
pub async fn ehcp_amended(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day the local authority amended the plan, e.g. 2027-02-01"] on: String,
    #[description = "A note for the record"] note: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordNamedSchoolAmended {
            on: input::date("on", &on)?,
            note: input::optional_text("note", note.as_deref())?,
        })
    })();
    act(ctx, &case, action).await
}

/// Looked-after child: record that the Virtual School was told of the transfer.
#[poise::command(slash_command, guild_only, rename = "virtual-school")]
pub async fn virtual_school(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day it was told, e.g. 2027-02-01"] on: String,
    #[description = "Who at the Virtual School was told (a role or member of staff)"]
    contact: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordVirtualSchoolTold {
            on: input::date("on", &on)?,
            contact: Text::parse("contact", &contact)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Destination head: your registration becomes the pupil's main one from this date.
#[poise::command(slash_command, guild_only)]
pub async fn registered(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The first day as the main registration (never before both heads confirmed)"]
    on: String,
    #[description = "The day your school told the local authority"] la_notified: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordMainRegistration {
            on: input::date("on", &on)?,
            la_notified: input::date("la_notified", &la_notified)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Home head: the pupil removed from your roll, on the destination's date.
#[poise::command(slash_command, guild_only)]
pub async fn removed(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day removed from roll: the destination's main registration date"]
    on: String,
    #[description = "The day your school told the local authority"] la_notified: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordRemovalFromRoll {
            on: input::date("on", &on)?,
            la_notified: input::date("la_notified", &la_notified)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Home school: the child-protection file sent (within five school days), or none.
#[poise::command(slash_command, guild_only, rename = "cp-file")]
pub async fn cp_file(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day it was sent, e.g. 2027-02-03, or none if there is no file"]
    sent: String,
) -> Result<(), Error> {
    let action =
        parse_cp_sent("sent", &sent).map(|sent_on| Action::RecordChildProtectionFile { sent_on });
    act(ctx, &case, action).await
}

/// Destination: your safeguarding lead confirms the child-protection file arrived.
#[poise::command(slash_command, guild_only, rename = "cp-received")]
pub async fn cp_received(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day it arrived, e.g. 2027-02-04"] on: String,
    #[description = "Your designated safeguarding lead, who received it"] lead: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::ConfirmChildProtectionReceipt {
            on: input::date("on", &on)?,
            lead: Text::parse("lead", &lead)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Home school: the common transfer file and educational record sent (within fifteen school days).
#[poise::command(slash_command, guild_only)]
pub async fn records(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The day they were sent, e.g. 2027-02-10"] on: String,
) -> Result<(), Error> {
    let action = input::date("on", &on).map(|on| Action::RecordTransferRecordsSent { on });
    act(ctx, &case, action).await
}
