//! Newtypes that parse once at the edge and can never hold a bad value.
//!
//! Every constructor returns a [`Refusal`] whose text can be shown to the person who typed
//! the value: short, specific and saying what to do instead.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::refusal::Refusal;

/// A Discord user (snowflake). Also used by the CLI, where any number will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct UserId(pub u64);

/// A Discord role (snowflake), mapped to a partnership role in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RoleId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl fmt::Display for RoleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A school's short stable key from config, e.g. `north-park`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SchoolKey(String);

impl SchoolKey {
    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        let key = raw.trim().to_ascii_lowercase();
        let ok_chars = key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if key.is_empty() || key.len() > 32 || !ok_chars || key.starts_with('-') {
            return Err(Refusal::invalid(
                "school",
                "School keys are 1-32 lower-case letters, digits or dashes, e.g. `north-park`.",
            ));
        }
        Ok(Self(key))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SchoolKey {
    type Error = Refusal;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<SchoolKey> for String {
    fn from(value: SchoolKey) -> Self {
        value.0
    }
}

impl fmt::Display for SchoolKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A pupil's initials: the only part of their name the bot ever holds.
///
/// Accepts `JS`, `J.S.`, `J S` or `j.s`; stores `J.S.`. A word of two or more letters with
/// any lower-case letter (`Jo`, `john`), or several words of which one is long (`J Smith`),
/// looks like a name and is refused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Initials(String);

impl Initials {
    pub const MAX_LETTERS: usize = 4;

    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        let trimmed = raw.trim();
        let words: Vec<&str> = trimmed
            .split(['.', ' ', '-'])
            .filter(|w| !w.is_empty())
            .collect();
        let looks_like_name = words.iter().any(|w| w.chars().count() > 1) && words.len() > 1
            || words
                .iter()
                .any(|w| w.chars().count() > 1 && w.chars().any(|c| c.is_lowercase()));
        if looks_like_name {
            return Err(Refusal::invalid(
                "initials",
                "That looks like a name. Enter the pupil's initials only, in capitals, e.g. `J.S.`.",
            ));
        }
        let letters: Vec<char> = words.iter().flat_map(|w| w.chars()).collect();
        if letters.is_empty()
            || letters.len() > Self::MAX_LETTERS
            || !letters.iter().all(|c| c.is_alphabetic())
        {
            return Err(Refusal::invalid(
                "initials",
                "Initials are 1-4 letters, e.g. `J.S.`.",
            ));
        }
        let mut out = String::new();
        for c in letters {
            out.extend(c.to_uppercase());
            out.push('.');
        }
        Ok(Self(out))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Initials kept off Discord (`[privacy] pupil_initials_in_discord = false`): only ever
    /// in a case folded for Discord, never stored (it would not parse back).
    pub fn withheld() -> Self {
        Self(String::new())
    }

    pub fn is_withheld(&self) -> bool {
        self.0.is_empty()
    }
}

impl TryFrom<String> for Initials {
    type Error = Refusal;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Initials> for String {
    fn from(value: Initials) -> Self {
        value.0
    }
}

impl fmt::Display for Initials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Year group at secondary school: 7 to 13 (sixth form included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct YearGroup(u8);

impl YearGroup {
    pub fn new(year: i64) -> Result<Self, Refusal> {
        if (7..=13).contains(&year) {
            Ok(Self(year as u8))
        } else {
            Err(Refusal::invalid(
                "year",
                "Year group must be between 7 and 13.",
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for YearGroup {
    type Error = Refusal;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value.into())
    }
}

impl From<YearGroup> for u8 {
    fn from(value: YearGroup) -> Self {
        value.0
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Y{}", self.0)
    }
}

/// A case reference people can say on the phone: `MM-2026-0007`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseRef {
    pub year: u16,
    pub number: u32,
}

impl CaseRef {
    pub fn new(year: u16, number: u32) -> Self {
        Self { year, number }
    }

    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        let bad = || Refusal::invalid("case", "Case references look like `MM-2026-0007`.");
        let upper = raw.trim().to_ascii_uppercase();
        let rest = upper.strip_prefix("MM-").ok_or_else(bad)?;
        let (year, number) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || number.is_empty() || number.len() > 6 {
            return Err(bad());
        }
        let year: u16 = year.parse().map_err(|_| bad())?;
        let number: u32 = number.parse().map_err(|_| bad())?;
        if number == 0 {
            return Err(bad());
        }
        Ok(Self { year, number })
    }
}

impl FromStr for CaseRef {
    type Err = Refusal;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for CaseRef {
    type Error = Refusal;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CaseRef> for String {
    fn from(value: CaseRef) -> Self {
        value.to_string()
    }
}

impl fmt::Display for CaseRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MM-{}-{:04}", self.year, self.number)
    }
}

/// Free text typed by a person: trimmed, never empty, bounded, without control characters.
///
/// Mentions are defused when rendered, not here, so the record keeps what was typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    pub const MAX_CHARS: usize = 1000;

    /// `field` names the option in the refusal ("reason", "note", ...).
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, Refusal> {
        Self::parse_max(field, raw, Self::MAX_CHARS)
    }

    pub fn parse_max(field: &'static str, raw: &str, max: usize) -> Result<Self, Refusal> {
        let cleaned: String = raw
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| (!c.is_control() || *c == '\n') && !is_disguising(*c))
            .collect();
        let cleaned = cleaned.trim();
        if cleaned.is_empty() {
            let what = describe(field);
            return Err(Refusal::invalid_owned(
                field,
                format!("The {what} can't be empty."),
            ));
        }
        if cleaned.chars().count() > max {
            return Err(Refusal::invalid_owned(
                field,
                format!(
                    "Please keep the {} under {max} characters.",
                    describe(field)
                ),
            ));
        }
        Ok(Self(cleaned.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Invisible characters that change how the text around them reads without showing
/// themselves: direction overrides and isolates (which can make "approve" display as
/// "evorppa" or hide part of a note), zero-width spaces, word joiners and byte-order marks.
/// The joiners that emoji and some scripts need (U+200C, U+200D) are kept.
fn is_disguising(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
    )
}

/// How an option is called in a sentence ("The plan if it fails can't be empty.").
fn describe(field: &str) -> &str {
    match field {
        "tried" => "list of what has been tried",
        "witnessed_by" | "witnessed-by" => "name of the member of staff",
        "if-fails" | "if_fails" => "plan if it fails",
        "champion" => "pupil champion",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_are_normalised() {
        assert_eq!(Initials::parse("j.s").unwrap().as_str(), "J.S.");
        assert_eq!(Initials::parse(" J.S. ").unwrap().as_str(), "J.S.");
        assert_eq!(Initials::parse("a b c").unwrap().as_str(), "A.B.C.");
        assert_eq!(Initials::parse("JS").unwrap().as_str(), "J.S.");
    }

    #[test]
    fn initials_that_look_like_a_name_are_refused() {
        for name in ["John Smith", "John", "Jo", "john", "J. Smith", "Smith J"] {
            let err = Initials::parse(name).unwrap_err();
            assert!(err.message().contains("looks like a name"), "{name}: {err}");
        }
    }

    #[test]
    fn initials_must_be_letters_and_short() {
        assert!(Initials::parse("").is_err());
        assert!(Initials::parse("ABCDE").is_err());
        assert!(Initials::parse("J5").is_err());
        assert!(Initials::parse("@everyone").is_err());
    }

    #[test]
    fn year_group_is_secondary() {
        assert!(YearGroup::new(6).is_err());
        assert!(YearGroup::new(14).is_err());
        assert_eq!(YearGroup::new(9).unwrap().to_string(), "Y9");
    }

    #[test]
    fn case_ref_round_trips() {
        let r = CaseRef::parse("mm-2026-7").unwrap();
        assert_eq!(r.to_string(), "MM-2026-0007");
        assert_eq!(CaseRef::parse(&r.to_string()).unwrap(), r);
        for bad in ["", "MM-26-1", "MM-2026-0", "XX-2026-0001", "MM-2026-abc"] {
            assert!(CaseRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn text_is_trimmed_bounded_and_cleaned() {
        assert!(Text::parse("reason", "   ").is_err());
        assert_eq!(Text::parse("reason", " a\u{7}b ").unwrap().as_str(), "ab");
        assert!(Text::parse("reason", &"x".repeat(1001)).is_err());
    }

    #[test]
    fn school_keys_are_slugs() {
        assert_eq!(
            SchoolKey::parse("North-Park").unwrap().as_str(),
            "north-park"
        );
        assert!(SchoolKey::parse("north park").is_err());
        assert!(SchoolKey::parse("").is_err());
    }
}
