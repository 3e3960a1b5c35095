//! Presentation shared by every front end: a case as a card of titled fields, the board of
//! open cases, a history. Discord turns a card into an embed; the CLI prints it as text.
//! Only initials, year group and the case reference ever identify the pupil.

mod approvals;
mod attendance;
pub mod board;
mod card;
mod changes;
mod family;
mod lead;
mod returning;
pub mod suitability;
mod transfer;

pub use attendance::{attendance_summary, attendance_table};
pub use board::{board, Board, BoardLine, BoardSection};
pub use card::{case_card, case_card_on, checklist_card, history_lines};

/// A neutral, renderable card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub title: String,
    pub colour: u32,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

impl Card {
    pub fn field(&mut self, name: impl Into<String>, value: impl Into<String>, inline: bool) {
        let value = value.into();
        if !value.is_empty() {
            self.fields.push(Field {
                name: name.into(),
                value,
                inline,
            });
        }
    }

    /// Plain text for a terminal.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.title);
        for f in &self.fields {
            if f.value.contains('\n') {
                out.push_str(&format!("  {}:\n", f.name));
                for line in f.value.lines() {
                    out.push_str(&format!("    {line}\n"));
                }
            } else {
                out.push_str(&format!("  {}: {}\n", f.name, f.value));
            }
        }
        if let Some(footer) = &self.footer {
            out.push_str(&format!("  ({footer})\n"));
        }
        out
    }
}

/// Embed colours by state: blue waits for a decision, amber is being agreed, green is
/// running, grey is closed well, red is closed early.
pub fn state_colour(state: crate::domain::CaseState) -> u32 {
    use crate::domain::CaseState as S;
    match state {
        S::Proposed => 0x3B82F6,
        S::Accepted | S::Agreeing => 0xF59E0B,
        S::Active | S::Transferring => 0x22C55E,
        S::Returning => 0xF59E0B,
        S::Completed => 0x6B7280,
        S::Terminated | S::Declined | S::Withdrawn | S::Rejected => 0xEF4444,
    }
}

/// Free text from people is shown as typed, but must never ping anyone or break layout:
/// mentions get a zero-width space after the `@`, and Markdown control characters are
/// escaped: emphasis, code, spoilers, quotes and headings; `<` so `<@id>`, `<#channel>` and
/// `<t:…>` show as typed; brackets so `[text](link)` can't disguise where a link goes; and
/// the backslash itself, so a typed `\*` can't undo the escaping.
pub fn defuse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '@' => out.push_str("@\u{200B}"),
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '<' | '#' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Autocomplete labels are at most 100 characters.
pub fn truncate_label(text: &str) -> String {
    if text.chars().count() <= 100 {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(99).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn typed_markdown_shows_as_typed() {
        assert_eq!(defuse(r"\*bold\*"), r"\\\*bold\\\*");
        assert_eq!(
            defuse("[school site](https://evil.example)"),
            r"\[school site\](https://evil.example)"
        );
        assert_eq!(defuse("<@&1> <t:0>"), "\\<@\u{200B}&1\\> \\<t:0\\>");
    }
}
