//! Slash commands, one file per group. Each handler only translates options into a domain
//! command and renders the answer; every rule is checked by the service.

mod admin;
mod agreement;
mod approval;
mod attendance;
mod case;
mod case_ping;
mod changes;
mod checklist;
mod choices;
mod consent;
mod dates;
mod family;
mod help;
mod leads;
mod meeting;
mod moves;
mod panel;
mod proposal;
mod propose;
mod redact;
mod reports;
mod returning;
mod review;
mod safeguarding;
mod transfer;

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
        attendance::attendance(),
        transfer::transfer(),
        approval::approval(),
        safeguarding::safeguarding(),
        returning::r#return(),
    ]
}

/// Suggests the cases this person may see (never others) whose reference contains what
/// they typed, open ones first. The filtering happens in the database, so it stays quick
/// however many cases the partnership has kept.
pub async fn autocomplete_case(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let actor = actor(ctx).await;
    let service = &ctx.data().service;
    // Discord shows at most 25 choices.
    let cases = service
        .suggest(&actor, partial, 25)
        .await
        .unwrap_or_default();
    let p = service.partnership();
    let choices = cases
        .iter()
        .map(|c| {
            let label = format!(
                "{} · {} · {} → {}",
                c.reference,
                c.state,
                p.school_name(&c.home),
                p.school_name(&c.destination)
            );
            serenity::AutocompleteChoice::new(label, c.reference.to_string())
        })
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}
