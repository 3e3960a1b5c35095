//! `/stats` and `/document`: the partnership's figures and termly report, and a case's paper
//! records.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::autocomplete_case;
use super::choices::Review;
use crate::discord::reply::{actor, in_time, read_case, refuse};
use crate::discord::types::{Context, Error};
use crate::service::reports::{Document, DocumentKind};
use crate::stats;

/// The partnership's figures and the termly report (coordinators; heads for their school).
#[poise::command(slash_command, guild_only, subcommands("figures", "report"))]
pub async fn stats(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The figures for a period, with a chart (coordinators; heads see their own school's).
#[poise::command(slash_command, guild_only)]
pub async fn figures(
    ctx: Context<'_>,
    #[description = "First day, e.g. 2026-09-01 (default: start of the school year)"] from: Option<
        String,
    >,
    #[description = "Last day, e.g. 2027-07-21 (default: today)"] to: Option<String>,
) -> Result<(), Error> {
    let me = actor(ctx).await;
    let service = &ctx.data().service;
    let p = service.partnership();
    let period = match stats::Period::parse(p.today(service.now()), from.as_deref(), to.as_deref())
    {
        Ok(period) => period,
        Err(refusal) => return refuse(ctx, refusal.message()).await,
    };
    let figures = match in_time(ctx, service.stats(&me, period)).await {
        Ok(figures) => figures,
        Err(e) => return refuse(ctx, &e.to_string()).await,
    };
    let embed = serenity::CreateEmbed::new()
        .title(format!("Managed moves · {} to {}", period.from, period.to))
        .description(crate::discord::render::truncate(&figures.summary(p), 4000))
        .colour(0x3B82F6)
        .image("attachment://stats.png");
    let mut reply = CreateReply::default().embed(embed).ephemeral(true);
    match stats::render_png(&figures, p) {
        Ok(png) => reply = reply.attachment(serenity::CreateAttachment::bytes(png, "stats.png")),
        Err(e) => {
            tracing::warn!(error = %e, "stats chart could not be drawn; sending figures only")
        }
    }
    ctx.send(reply).await?;
    Ok(())
}

/// The termly report for the partnership's board, as a PDF and a CSV.
#[poise::command(slash_command, guild_only)]
pub async fn report(
    ctx: Context<'_>,
    #[description = "Term, e.g. autumn-2026 (default: this term, or the last one finished)"]
    term: Option<String>,
    #[description = "The version for sharing beyond the partnership: counts under 5 read <5"]
    public: Option<bool>,
) -> Result<(), Error> {
    let me = actor(ctx).await;
    let service = &ctx.data().service;
    let asked = service.term_report(&me, term.as_deref(), public.unwrap_or(false));
    let files = match in_time(ctx, asked).await {
        Ok(files) => files,
        Err(e) => return refuse(ctx, &e.to_string()).await,
    };
    let version = if files.table.public {
        ", the version for sharing beyond the partnership"
    } else {
        ""
    };
    let reply = CreateReply::default()
        .content(format!(
            "The termly report for the {} ({}{version}): the PDF for the board and the figures as CSV.",
            files.table.term_title.to_lowercase(),
            files.table.scope
        ))
        .attachment(file(files.pdf))
        .attachment(file(files.csv))
        .ephemeral(true);
    ctx.send(reply).await?;
    Ok(())
}

/// A case's records as files: the agreement, a review record, or the whole record.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "agreement",
        "review",
        "export",
        "super::family::parent_copy",
        "super::family::notice"
    )
)]
pub async fn document(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// The agreement as a PDF.
#[poise::command(slash_command, guild_only)]
pub async fn agreement(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    send_document(ctx, &case, DocumentKind::Agreement).await
}

/// A review record as a PDF.
#[poise::command(slash_command, guild_only)]
pub async fn review(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Which review"] review: Review,
) -> Result<(), Error> {
    send_document(ctx, &case, DocumentKind::Review(review.kind())).await
}

/// The whole case record as text and JSON (coordinators only).
#[poise::command(slash_command, guild_only)]
pub async fn export(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_case(ctx, &case, |me, r| async move {
        service.export_for_discord(&me, r).await
    })
    .await?;
    if let Some((reference, (text, json))) = found {
        let reply = CreateReply::default()
            .content(format!(
                "The whole record of `{reference}`. Keep it as securely as the case itself."
            ))
            .attachment(file(text))
            .attachment(file(json))
            .ephemeral(true);
        ctx.send(reply).await?;
    }
    Ok(())
}

pub(super) async fn send_document(
    ctx: Context<'_>,
    case: &str,
    kind: DocumentKind,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_case(ctx, case, |me, r| async move {
        service.document_for_discord(&me, r, kind).await
    })
    .await?;
    if let Some((_, doc)) = found {
        ctx.send(CreateReply::default().attachment(file(doc)).ephemeral(true))
            .await?;
    }
    Ok(())
}

fn file(doc: Document) -> serenity::CreateAttachment {
    serenity::CreateAttachment::bytes(doc.bytes, doc.filename)
}
