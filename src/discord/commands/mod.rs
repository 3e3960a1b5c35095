//! Slash commands, one file per group. Each handler only translates options into a domain
//! command and renders the answer; every rule is checked by the service.

mod admin;
mod agreement;
mod case;
mod checklist;
mod choices;
mod consent;
mod dates;
mod help;
mod meeting;
mod moves;
mod panel;
mod proposal;
mod propose;
mod reports;
mod review;

use poise::serenity_prelude as serenity;

use super::reply::actor;
use super::types::{Context, Data, Error};

pub use help::PAGES;

/// Every command the bot registers.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        propose::propose(),
        proposal::proposal(),
        meeting::meeting(),
        consent::consent(),
        agreement::agreement(),
        moves::r#move(),
        review::review(),
        dates::dates(),
        checklist::checklist(),
        case::case(),
        panel::panel(),
        reports::stats(),
        reports::document(),
        admin::admin(),
        help::help(),
    ]
}

/// Suggests the cases this person may see (never others), open ones first.
pub async fn autocomplete_case(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let actor = actor(ctx).await;
    let service = &ctx.data().service;
    let cases = service.list(&actor, false).await.unwrap_or_default();
    let p = service.partnership();
    let needle = partial.trim().to_ascii_uppercase();
    let mut choices: Vec<_> = cases
        .iter()
        .filter(|c| c.reference.to_string().contains(&needle))
        .map(|c| {
            let label = format!(
                "{} · {} · {} → {}",
                c.reference,
                c.state,
                p.school_name(&c.home),
                p.school_name(&c.destination)
            );
            (
                c.state.is_closed(),
                serenity::AutocompleteChoice::new(label, c.reference.to_string()),
            )
        })
        .collect();
    choices.sort_by_key(|(closed, _)| *closed);
    serenity::CreateAutocompleteResponse::new()
        .set_choices(choices.into_iter().take(25).map(|(_, c)| c).collect())
}
