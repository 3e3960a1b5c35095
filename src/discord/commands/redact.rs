//! `/admin redact case note reason`: overwrite a note that should never have been written
//! (a full name typed into it). Admins only; audited; the bot then edits its posts that
//! showed the case. The note is chosen from a list of the case's notes (change number and
//! field), so nobody types a field's name.

use poise::serenity_prelude as serenity;

use super::autocomplete_case;
use super::dates::chosen_case;
use crate::discord::reply::{actor, in_time, refuse};
use crate::discord::types::{Context, Error};
use crate::domain::{CaseRef, Refusal};

/// Offers the chosen case's notes that may be redacted: change number, kind and field
/// (and the note's first words only where notes may be shown on Discord at all).
async fn autocomplete_note(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let mut choices = Vec::new();
    if let Some(reference) = chosen_case(ctx) {
        let me = actor(ctx).await;
        let service = &ctx.data().service;
        let show_text = service.partnership().privacy.notes_in_discord;
        if let Ok(notes) = service.redactable(&me, reference).await {
            for n in notes {
                let value = format!("{}:{}", n.seq, n.field);
                let mut label = format!("change {} · {} · {}", n.seq, n.what, n.field);
                if show_text {
                    label.push_str(&format!(" · “{}”", n.preview));
                }
                if label.contains(partial.trim()) || value.contains(partial.trim()) {
                    choices.push(serenity::AutocompleteChoice::new(
                        crate::view::truncate_label(&label),
                        value,
                    ));
                }
            }
        }
    }
    serenity::CreateAutocompleteResponse::new()
        .set_choices(choices.into_iter().rev().take(25).collect())
}

/// Redact a note that should never have been written (admins only; audited).
#[poise::command(slash_command, guild_only)]
pub async fn redact(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "The note to overwrite (pick from the list)"]
    #[autocomplete = "autocomplete_note"]
    note: String,
    #[description = "Why it is redacted (kept in the audit trail)"] reason: String,
) -> Result<(), Error> {
    let parsed = CaseRef::parse(&case).and_then(|r| {
        let (seq, field) = note
            .split_once(':')
            .and_then(|(s, f)| Some((s.parse::<u32>().ok()?, f.to_string())))
            .ok_or_else(|| Refusal::invalid("note", "Choose the note from the list offered."))?;
        Ok((r, seq, field))
    });
    let (reference, seq, field) = match parsed {
        Ok(p) => p,
        Err(r) => return refuse(ctx, r.message()).await,
    };
    let me = actor(ctx).await;
    let data = ctx.data();
    let done = data.service.redact(&me, reference, seq, &field, &reason);
    let message = match in_time(ctx, done).await {
        Ok(_) => {
            data.outbox.notify_one();
            format!("✔ Redacted the note in change {seq} of `{reference}`. The bot edits its posts that showed it; the redaction is in the case's history.")
        }
        Err(e) => e.to_string(),
    };
    refuse(ctx, &message).await
}
