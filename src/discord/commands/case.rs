//! `/case show|list|history`: looking at cases (only those you may see).

use poise::CreateReply;

use super::autocomplete_case;
use super::case_ping::ping;
use super::leads::{lead, reopen, reopen_confirm};
use super::returning::follow_up;
use crate::discord::render::{embed, truncate};
use crate::discord::reply::{actor, in_time, read_case, read_visible_case, refuse};
use crate::discord::types::{Context, Error};
use crate::view;

/// Look at cases you are involved in.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "show",
        "list",
        "history",
        "follow_up",
        "lead",
        "reopen",
        "reopen_confirm",
        "ping"
    )
)]
pub async fn case(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Show one case.
#[poise::command(slash_command, guild_only)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_visible_case(ctx, &case).await?;
    if let Some((_, case)) = found {
        let p = service.partnership();
        let now = service.now();
        let card = view::case_card_on(&case, p, p.today(now));
        // The buttons the board's case view has: what this person may do on it now.
        let me = actor(ctx).await;
        let domain_ctx = crate::domain::Context {
            partnership: p,
            now,
        };
        let buttons = crate::discord::case_view::buttons(&case, &me, &domain_ctx);
        ctx.send(
            CreateReply::default()
                .embed(embed(&card))
                .components(buttons)
                .ephemeral(true),
        )
        .await?;
    }
    Ok(())
}

/// How many cases `/case list` asks for: about as many lines as one message holds.
const LIST_PAGE: u32 = 15;

/// List the cases you can see (open ones, or all).
#[poise::command(slash_command, guild_only)]
pub async fn list(
    ctx: Context<'_>,
    #[description = "Include closed cases"] all: Option<bool>,
) -> Result<(), Error> {
    let me = actor(ctx).await;
    let service = &ctx.data().service;
    // One more than shown, to know whether to say there are more.
    let listed = service.list(&me, !all.unwrap_or(false), LIST_PAGE + 1);
    match in_time(ctx, listed).await {
        Ok(cases) if cases.is_empty() => refuse(ctx, "No cases to show.").await,
        Ok(cases) => {
            let p = service.partnership();
            let lines = cases.iter().take(LIST_PAGE as usize).map(|c| {
                // Only the initials matter in a list line: withheld as `[privacy]` says.
                let mut pupil = c.pupil.clone();
                if !p.privacy.pupil_initials_in_discord {
                    pupil.initials = crate::domain::Initials::withheld();
                }
                format!(
                    "`{}` {} · {} · {} → {} · {}",
                    c.reference,
                    c.state,
                    pupil.label(),
                    p.school_name(&c.home),
                    p.school_name(&c.destination),
                    p.checklist.progress(&c.checklist)
                )
            });
            let body = page(lines, cases.len() > LIST_PAGE as usize);
            ctx.send(CreateReply::default().content(body).ephemeral(true))
                .await?;
            Ok(())
        }
        Err(e) => refuse(ctx, &e.to_string()).await,
    }
}

/// As many whole lines as one message holds, and a last line saying how to find the
/// rest when some are left out.
fn page(lines: impl Iterator<Item = String>, more: bool) -> String {
    const ROOM: usize = 1900;
    let mut body = String::new();
    let mut shown = 0;
    let mut cut = more;
    for line in lines {
        if body.len() + line.len() + 1 > ROOM - 160 {
            cut = true;
            break;
        }
        body.push_str(&line);
        body.push('\n');
        shown += 1;
    }
    if cut {
        body.push_str(&format!(
            "…the {shown} most recently changed are shown. Type part of a reference in `/case show` to find any other."
        ));
    }
    body.trim_end().to_string()
}

/// The most recent whole lines of a history that fit one message, in order, after a line
/// saying how many earlier ones are left out: the latest change is what people look for.
fn newest_first_fit(lines: &[String]) -> String {
    const ROOM: usize = 1900 - 200;
    let mut used = 0;
    let mut kept = 0;
    for line in lines.iter().rev() {
        if used + line.len() + 1 > ROOM {
            break;
        }
        used += line.len() + 1;
        kept += 1;
    }
    let left_out = lines.len() - kept;
    let mut out = Vec::with_capacity(kept + 1);
    if left_out > 0 {
        out.push(format!(
            "…{left_out} earlier change{} not shown (a coordinator's `/case export` has them all).",
            if left_out == 1 { "" } else { "s" }
        ));
    }
    out.extend(lines[left_out..].iter().cloned());
    out.join("\n")
}

/// Show a case's history: every change, who made it and when.
#[poise::command(slash_command, guild_only)]
pub async fn history(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
) -> Result<(), Error> {
    let service = &ctx.data().service;
    let found = read_case(
        ctx,
        &case,
        |me, r| async move { service.history(&me, r).await },
    )
    .await?;
    if let Some((reference, events)) = found {
        let lines = view::history_lines(&events, service.partnership());
        let body = format!("History of `{reference}`:\n{}", newest_first_fit(&lines));
        ctx.send(
            CreateReply::default()
                .content(truncate(&body, 1900))
                .ephemeral(true),
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::page;

    #[test]
    fn a_long_list_keeps_whole_lines_and_says_how_to_find_the_rest() {
        let lines = (0..40).map(|i| format!("`MM-2026-{i:04}` {}", "x".repeat(100)));
        let body = page(lines, false);
        assert!(body.chars().count() <= 1900, "{}", body.len());
        let shown = body.lines().filter(|l| l.starts_with("`MM-")).count();
        assert!(shown > 10 && shown < 40, "{shown}");
        assert!(body.ends_with("`/case show` to find any other."), "{body}");
        assert!(body.contains(&format!("the {shown} most recently changed")));

        let short = page(["`MM-2026-0001` one".to_string()].into_iter(), false);
        assert_eq!(short, "`MM-2026-0001` one");
        let more = page(["`MM-2026-0001` one".to_string()].into_iter(), true);
        assert!(more.contains("the 1 most recently changed"), "{more}");
    }

    #[test]
    fn a_long_history_keeps_the_newest_changes_and_counts_the_rest() {
        let lines: Vec<String> = (1..=200).map(|n| format!("change number {n}")).collect();
        let body = super::newest_first_fit(&lines);
        assert!(body.chars().count() <= 1900);
        assert!(body.ends_with("change number 200"), "{body}");
        let first = body.lines().next().unwrap();
        assert!(first.starts_with('…') && first.contains("earlier changes not shown"));
        let shown = body.lines().count() - 1;
        assert!(
            first.contains(&format!("…{} earlier", 200 - shown)),
            "{first}"
        );
        let short = super::newest_first_fit(&lines[..3]);
        assert_eq!(short, "change number 1\nchange number 2\nchange number 3");
    }
}
