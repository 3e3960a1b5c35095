//! The family's part, as subcommands of `/consent` and `/document`: the parent's copy of
//! the agreement and, under an off-site direction, the written notice (DOMAIN.md, "Extra
//! approvals and the family's part").

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::{input, Action, Text};
use crate::service::reports::DocumentKind;

/// Record when and how the parent/carer was given their copy of the agreement.
#[poise::command(slash_command, guild_only, rename = "copy-given")]
pub async fn copy_given(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "When it was given, e.g. 2026-11-24"] on: String,
    #[description = "How, e.g. by hand at the meeting, posted, emailed"] how: String,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordParentCopy {
            on: input::date("on", &on)?,
            how: Text::parse("how", &how)?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record when and how the written notice of an off-site direction was given.
#[poise::command(slash_command, guild_only, rename = "notice-given")]
pub async fn notice_given(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "When the parent/carer was given it, e.g. 2026-11-24"] on: String,
    #[description = "How, e.g. by hand, posted first class"] how: String,
    #[description = "EHCP pupil: when the local authority was given notice"] la_notified: Option<
        String,
    >,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordNotice {
            on: input::date("on", &on)?,
            how: Text::parse("how", &how)?,
            la_notified: la_notified
                .as_deref()
                .map(|d| input::date("la_notified", d))
                .transpose()?,
        })
    })();
    act(ctx, &case, action).await
}

/// The parent/carer's plain-English copy of the agreement, as a PDF.
#[poise::command(slash_command, guild_only, rename = "parent-copy")]
pub async fn parent_copy(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    super::reports::send_document(ctx, &case, DocumentKind::ParentCopy).await
}

/// The written notice of an off-site direction, as a PDF.
#[poise::command(slash_command, guild_only)]
pub async fn notice(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The start the notice states, e.g. 2026-11-30 (default: the agreed start)"]
    start: Option<String>,
) -> Result<(), Error> {
    let start = match start
        .as_deref()
        .map(|d| input::date("start", d))
        .transpose()
    {
        Ok(start) => start,
        Err(refusal) => return crate::discord::reply::refuse(ctx, refusal.message()).await,
    };
    super::reports::send_document(ctx, &case, DocumentKind::Notice(start)).await
}
