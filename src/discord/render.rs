//! Cards and buttons as Discord embeds and components (the board: `discord::board`).

use poise::serenity_prelude as serenity;
use serenity::{CreateActionRow, CreateButton, CreateEmbed, CreateEmbedFooter};

use crate::view::Card;

/// Discord's limits, so a long note never makes a post fail.
pub const FIELD_MAX: usize = 1024;
pub const FIELDS_MAX: usize = 25;
pub const NAME_MAX: usize = 256;
pub const FOOTER_MAX: usize = 2048;
/// Title, field names and values and footer together, in one embed (and one message).
pub const EMBED_TOTAL_MAX: usize = 6000;
pub const MESSAGE_MAX: usize = 2000;

/// A card as an embed within every limit of Discord's, however long the notes typed into
/// it: each field is cut to 1,024, and when they would pass 6,000 together the longest
/// values are cut to a common length, so short fields (the suitability answers, dates)
/// stay whole and every long note keeps its beginning.
pub fn embed(card: &Card) -> CreateEmbed {
    let title = truncate_units(&card.title, NAME_MAX);
    let footer = card.footer.as_ref().map(|f| truncate_units(f, FOOTER_MAX));
    let fields: Vec<(String, String, bool)> = card
        .fields
        .iter()
        .take(FIELDS_MAX)
        .map(|f| {
            let name = truncate_units(&f.name, NAME_MAX);
            (name, truncate_units(&f.value, FIELD_MAX), f.inline)
        })
        .collect();
    let fixed = units(&title)
        + footer.as_deref().map_or(0, units)
        + fields.iter().map(|(name, ..)| units(name)).sum::<usize>();
    let cap = common_cap(
        fields.iter().map(|(_, value, _)| units(value)),
        EMBED_TOTAL_MAX.saturating_sub(fixed),
    );
    let mut embed = CreateEmbed::new().title(title).colour(card.colour);
    for (name, value, inline) in fields {
        embed = embed.field(name, truncate_units(&value, cap), inline);
    }
    if let Some(footer) = footer {
        embed = embed.footer(CreateEmbedFooter::new(footer));
    }
    embed
}

/// Length as Discord counts it (UTF-16 code units: an emoji may count two).
pub fn units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The largest length every value may keep so that together they fit `budget`.
fn common_cap(lengths: impl Iterator<Item = usize> + Clone, budget: usize) -> usize {
    let fits = |cap: usize| lengths.clone().map(|l| l.min(cap)).sum::<usize>() <= budget;
    let (mut lo, mut hi) = (1, FIELD_MAX);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// At most `max` UTF-16 units, ending in "…" when cut.
pub fn truncate_units(text: &str, max: usize) -> String {
    if units(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + c.len_utf16() + 1 > max {
            break;
        }
        used += c.len_utf16();
        out.push(c);
    }
    out.push('…');
    out
}

/// Buttons carry the action and the case in their custom ID, so they keep working after a
/// restart: nothing about them is held in memory.
pub fn decision_buttons(kind: ButtonFamily, case: &str) -> Vec<CreateActionRow> {
    let (yes, no) = match kind {
        ButtonFamily::Proposal => (("accept", "Accept"), ("decline", "Decline…")),
        ButtonFamily::Panel => (("approve", "Approve…"), ("reject", "Reject…")),
        ButtonFamily::ExtraApproval => (("xapprove", "Approve"), ("xdecline", "Decline…")),
    };
    vec![CreateActionRow::Buttons(vec![
        CreateButton::new(format!("mm:{}:{case}", yes.0))
            .label(yes.1)
            .style(serenity::ButtonStyle::Success),
        CreateButton::new(format!("mm:{}:{case}", no.0))
            .label(no.1)
            .style(serenity::ButtonStyle::Danger),
    ])]
}

/// The one button that agrees to an extension another head asked for.
pub fn extension_button(case: &str) -> Vec<CreateActionRow> {
    vec![CreateActionRow::Buttons(vec![CreateButton::new(format!(
        "mm:extend:{case}"
    ))
    .label("Agree to the extension")
    .style(serenity::ButtonStyle::Success)])]
}

#[derive(Debug, Clone, Copy)]
pub enum ButtonFamily {
    Proposal,
    Panel,
    /// The extra approval for a move in an exam year (`xapprove` / `xdecline`).
    ExtraApproval,
}

/// At most `max` of Discord's characters (UTF-16 units, as its limits count them).
pub fn truncate(text: &str, max: usize) -> String {
    truncate_units(text, max)
}

/// Role mentions, space-separated. Each message also says which roles it may ping.
pub fn mentions(roles: &[crate::domain::RoleId]) -> String {
    roles
        .iter()
        .map(|r| format!("<@&{}>", r.0))
        .collect::<Vec<_>>()
        .join(" ")
}
