//! The coordinators' board as one Discord message: an embed with a part per section (its
//! most urgent cases, then "+N more", never cut silently), a footer with the counts and
//! the time of the update, and a menu of the cases shown, to open one privately.

use poise::serenity_prelude as serenity;
use serenity::{
    CreateActionRow, CreateEmbed, CreateEmbedFooter, CreateSelectMenu, CreateSelectMenuKind,
    CreateSelectMenuOption,
};

use super::render::{truncate_units, units};
use crate::view::{Board, BoardSection};

/// The board's menu: choosing a case answers with its card (`discord::case_view`).
pub const BOARD_MENU: &str = "board_case";
pub use crate::service::board::BOARD_LINES;
/// Discord allows 4,096 in a description; a little is kept spare.
const DESCRIPTION_MAX: usize = 4000;
/// A menu option's label and description: 100 each.
const OPTION_MAX: usize = 100;

const KEY: &str = "checklist G/A/R/– = green, amber, red, not yet rated";

/// The embed and the menu under it (none when no case is shown).
pub fn board_message(
    partnership: &str,
    board: &Board,
    set_aside: u64,
) -> (CreateEmbed, Vec<CreateActionRow>) {
    let shown = fit(board);
    let body = if board.open == 0 {
        "No open cases.".to_string()
    } else {
        body(board, &shown)
    };
    let footer = format!("{} · {KEY}", board.counts_line());
    let footer = match set_aside {
        0 => footer,
        1 => format!("⚠ 1 message could not be delivered: admins, see /admin outbox · {footer}"),
        n => format!("⚠ {n} messages could not be delivered: admins, see /admin outbox · {footer}"),
    };
    let embed = CreateEmbed::new()
        .title(truncate_units(
            &format!("Open cases · {partnership}"),
            super::render::NAME_MAX,
        ))
        .description(body)
        .colour(0x3B82F6)
        .footer(CreateEmbedFooter::new(truncate_units(
            &footer,
            super::render::FOOTER_MAX,
        )));
    (embed, menu(board, &shown))
}

/// How many lines of each section are shown: given out one section at a time, most
/// urgent section first, while the whole (with every "+N more") fits and the menu has room.
fn fit(board: &Board) -> Vec<usize> {
    let mut shown = vec![0; board.sections.len()];
    loop {
        let mut grew = false;
        for i in 0..shown.len() {
            if shown.iter().sum::<usize>() >= BOARD_LINES
                || shown[i] >= board.sections[i].lines.len()
            {
                continue;
            }
            shown[i] += 1;
            if units(&body(board, &shown)) > DESCRIPTION_MAX {
                shown[i] -= 1;
            } else {
                grew = true;
            }
        }
        if !grew {
            return shown;
        }
    }
}

/// Each section with cases: a heading with its count, its first `shown` lines, and how
/// many more it holds.
fn body(board: &Board, shown: &[usize]) -> String {
    let parts: Vec<String> = board
        .sections
        .iter()
        .zip(shown)
        .filter(|(s, _)| s.total > 0)
        .map(|(s, n)| part(s, *n))
        .collect();
    parts.join("\n\n")
}

fn part(s: &BoardSection, shown: usize) -> String {
    let mut text = format!("**{} · {}**", s.section.title(), s.total);
    for line in &s.lines[..shown] {
        text.push('\n');
        text.push_str(&line.text);
    }
    match s.more(shown) {
        0 => {}
        more => text.push_str(&format!("\n+{more} more")),
    }
    text
}

/// A menu of the cases shown, in the board's order.
fn menu(board: &Board, shown: &[usize]) -> Vec<CreateActionRow> {
    let options: Vec<CreateSelectMenuOption> = board
        .sections
        .iter()
        .zip(shown)
        .flat_map(|(s, n)| s.lines[..*n].iter().map(move |l| (s.section, l)))
        .map(|(section, line)| {
            CreateSelectMenuOption::new(
                truncate_units(&line.pick, OPTION_MAX),
                line.reference.to_string(),
            )
            .description(truncate_units(
                &format!("{} · {}", section.short(), line.state),
                OPTION_MAX,
            ))
        })
        .collect();
    if options.is_empty() {
        return Vec::new();
    }
    vec![CreateActionRow::SelectMenu(
        CreateSelectMenu::new(BOARD_MENU, CreateSelectMenuKind::String { options })
            .placeholder("Open a case (only you will see it)"),
    )]
}

#[cfg(test)]
mod tests;
