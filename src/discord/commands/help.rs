//! `/help`: the pages in the top-level `commands/` folder, compiled in.

use poise::CreateReply;

use crate::discord::reply::refuse;
use crate::discord::types::{Context, Error};

/// (command group, page). A test checks this list against the registered commands.
pub const PAGES: &[(&str, &str)] = &[
    ("propose", include_str!("../../../commands/propose.md")),
    ("proposal", include_str!("../../../commands/proposal.md")),
    ("meeting", include_str!("../../../commands/meeting.md")),
    ("consent", include_str!("../../../commands/consent.md")),
    ("agreement", include_str!("../../../commands/agreement.md")),
    ("move", include_str!("../../../commands/move.md")),
    ("review", include_str!("../../../commands/review.md")),
    ("dates", include_str!("../../../commands/dates.md")),
    ("checklist", include_str!("../../../commands/checklist.md")),
    ("case", include_str!("../../../commands/case.md")),
    ("panel", include_str!("../../../commands/panel.md")),
    ("stats", include_str!("../../../commands/stats.md")),
    ("document", include_str!("../../../commands/document.md")),
    ("admin", include_str!("../../../commands/admin.md")),
    ("help", include_str!("../../../commands/help.md")),
    (
        "attendance",
        include_str!("../../../commands/attendance.md"),
    ),
    ("transfer", include_str!("../../../commands/transfer.md")),
    ("approval", include_str!("../../../commands/approval.md")),
    (
        "safeguarding",
        include_str!("../../../commands/safeguarding.md"),
    ),
    ("return", include_str!("../../../commands/return.md")),
];

async fn autocomplete_topic(
    _: Context<'_>,
    partial: &str,
) -> poise::serenity_prelude::CreateAutocompleteResponse {
    let choices = PAGES
        .iter()
        .filter(|(name, _)| name.starts_with(partial.trim_start_matches('/')))
        .map(|(name, _)| {
            poise::serenity_prelude::AutocompleteChoice::new(format!("/{name}"), *name)
        })
        .collect();
    poise::serenity_prelude::CreateAutocompleteResponse::new().set_choices(choices)
}

/// How to use the bot: an overview, or one command's page.
#[poise::command(slash_command, guild_only)]
pub async fn help(
    ctx: Context<'_>,
    #[description = "A command, e.g. propose"]
    #[autocomplete = "autocomplete_topic"]
    command: Option<String>,
) -> Result<(), Error> {
    let text = match command.as_deref().map(|c| c.trim_start_matches('/')) {
        None => overview(),
        Some(name) => match PAGES.iter().find(|(n, _)| *n == name) {
            Some((_, page)) => page.to_string(),
            None => return refuse(ctx, "There is no such command. `/help` lists them all.").await,
        },
    };
    ctx.send(
        CreateReply::default()
            .content(crate::discord::render::truncate(&text, 1990))
            .ephemeral(true),
    )
    .await?;
    Ok(())
}

/// The first line (title) of every page.
fn overview() -> String {
    let mut out = String::from("**managed-moves** — commands (use `/help command` for details):\n");
    for (name, page) in PAGES {
        let summary = page
            .lines()
            .find(|l| !l.starts_with('#') && !l.trim().is_empty())
            .unwrap_or("");
        out.push_str(&format!("• `/{name}` — {summary}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::PAGES;

    #[test]
    fn every_registered_command_has_a_page_and_every_page_a_command() {
        let commands = super::super::all();
        let registered: Vec<&str> = commands.iter().map(|c| &*c.name).collect();
        for name in &registered {
            assert!(
                PAGES.iter().any(|(page, _)| page == name),
                "/{name} has no page in commands/"
            );
        }
        for (page, _) in PAGES {
            assert!(
                registered.contains(page),
                "commands/{page}.md names no registered command"
            );
        }
    }

    #[test]
    fn every_subcommand_is_documented_on_its_page() {
        for command in super::super::all() {
            let (_, page) = PAGES
                .iter()
                .find(|(p, _)| *p == command.name)
                .expect("page exists");
            assert!(
                page.starts_with(&format!("# /{}", command.name)),
                "page for /{} has the wrong title",
                command.name
            );
            for sub in &command.subcommands {
                let usage = format!("/{} {}", command.name, sub.name);
                assert!(
                    page.contains(&usage),
                    "commands/{}.md does not describe `{usage}`",
                    command.name
                );
            }
        }
    }

    #[test]
    fn the_commands_folder_holds_exactly_the_compiled_pages() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/commands");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("commands/ exists")
            .map(|e| {
                e.expect("readable")
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".md")
                    .to_string()
            })
            .collect();
        files.sort();
        let mut pages: Vec<String> = PAGES.iter().map(|(p, _)| p.to_string()).collect();
        pages.sort();
        assert_eq!(
            files, pages,
            "every file in commands/ must be listed in PAGES (and so shown by /help)"
        );
    }
}
