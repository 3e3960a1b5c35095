//! `/attendance record|show`: the destination's weekly report, and the weeks so far as a
//! table and a chart.

use poise::serenity_prelude as serenity;
use poise::CreateReply;

use super::autocomplete_case;
use crate::discord::reply::{act, read_visible_case};
use crate::discord::types::{Context, Error};
use crate::domain::attendance::AttendanceInput;
use crate::domain::{input, Action};
use crate::{stats, view};

/// Weekly attendance during the placement.
#[poise::command(slash_command, guild_only, subcommands("record", "show"))]
pub async fn attendance(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Report a school week's attendance (destination head or staff); again to correct it.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn record(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Any day of the school week, e.g. 2026-11-23"] week: String,
    #[description = "Possible sessions that week (two a school day)"] possible: i64,
    #[description = "Sessions attended"] attended: i64,
    #[description = "Authorised absences (sessions)"] authorised: Option<i64>,
    #[description = "Unauthorised absences (sessions)"] unauthorised: Option<i64>,
    #[description = "Late marks"] late: Option<i64>,
    #[description = "Behaviour incidents"] incidents: Option<i64>,
    #[description = "Suspensions"] suspensions: Option<i64>,
    #[description = "A short note (shown only on the case)"] note: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordAttendance {
            week: input::date("week", &week)?,
            report: AttendanceInput {
                possible,
                attended,
                authorised,
                unauthorised,
                late,
                incidents,
                suspensions,
                note,
            }
            .parse()?,
        })
    })();
    act(ctx, &case, action).await
}

/// The weeks so far in a table, with a chart against the threshold and the baseline.
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_visible_case(ctx, &case).await?;
    let Some((reference, case)) = found else {
        return Ok(());
    };
    let p = service.partnership();
    let table = view::attendance_table(&case, p, p.today(service.now()));
    let mut embed = serenity::CreateEmbed::new()
        .title(format!("Attendance · {reference}"))
        .description(table)
        .colour(view::state_colour(case.state));
    let mut reply = CreateReply::default().ephemeral(true);
    match stats::render_attendance_png(&case, p) {
        Ok(png) => {
            embed = embed.image("attachment://attendance.png");
            reply = reply.attachment(serenity::CreateAttachment::bytes(png, "attendance.png"));
        }
        Err(e) => tracing::warn!(error = %e, "attendance chart could not be drawn; table only"),
    }
    ctx.send(reply.embed(embed)).await?;
    Ok(())
}
