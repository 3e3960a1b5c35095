//! Parsing what people type (in Discord options, modals or the CLI) into typed values.
//! Every failure is a refusal naming the option and saying what a good value looks like.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::case::{MoveKind, MoveReason, Outcome, Pupil, ReviewKind};
use super::event::Proposal;
use super::ids::{Initials, SchoolKey, Text, YearGroup};
use super::refusal::Refusal;
use super::suitability::Suitability;

pub fn date(field: &'static str, raw: &str) -> Result<NaiveDate, Refusal> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map_err(|_| Refusal::invalid(field, "Dates look like 2026-12-01 (or 01/12/2026)."))
}

/// A local date and time, e.g. `2026-12-01 10:30`; the caller applies the time zone.
pub fn local_datetime(field: &'static str, raw: &str) -> Result<NaiveDateTime, Refusal> {
    let raw = raw.trim();
    let bad = || Refusal::invalid(field, "Give a date and time like 2026-12-01 10:30.");
    let (day, time) = raw.split_once([' ', 'T']).ok_or_else(bad)?;
    let day = date(field, day).map_err(|_| bad())?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| bad())?;
    Ok(day.and_time(time))
}

pub fn yes_no(field: &'static str, raw: &str) -> Result<bool, Refusal> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "true" => Ok(true),
        "n" | "no" | "false" => Ok(false),
        _ => Err(Refusal::invalid_owned(
            field,
            format!("Answer `{field}` with yes or no."),
        )),
    }
}

pub fn optional_text(field: &'static str, raw: Option<&str>) -> Result<Option<Text>, Refusal> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Text::parse(field, text).map(Some),
    }
}

pub fn review_kind(raw: &str) -> Result<ReviewKind, Refusal> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "midpoint" | "mid" | "interim" => Ok(ReviewKind::Midpoint),
        "final" | "end" => Ok(ReviewKind::Final),
        _ => Err(Refusal::invalid(
            "review",
            "Choose the midpoint or final review.",
        )),
    }
}

pub fn outcome(raw: &str) -> Result<Outcome, Refusal> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "permanent" | "transfer" => Ok(Outcome::Permanent),
        "returned" | "return" => Ok(Outcome::Returned),
        _ => Err(Refusal::invalid(
            "outcome",
            "The outcome is permanent or returned.",
        )),
    }
}

pub fn weeks(raw: i64) -> Result<u8, Refusal> {
    u8::try_from(raw)
        .ok()
        .filter(|w| (1..=52).contains(w))
        .ok_or_else(|| Refusal::invalid("weeks", "The length is a whole number of weeks, e.g. 12."))
}

/// A proposal as typed: every field raw, parsed together so all the checks run in one place.
#[derive(Debug, Clone, Default)]
pub struct ProposalInput {
    pub home: String,
    pub destination: String,
    pub initials: String,
    pub year: i64,
    pub reason: String,
    pub strategies_tried: String,
    pub return_possible: bool,
    pub ehcp: bool,
    pub looked_after: bool,
    /// "yes,no,unsure,..." in question order.
    pub answers: String,
    /// (question number from 1, note)
    pub notes: Vec<(usize, String)>,
    /// The pupil's attendance over the last term, in percent, if known.
    pub baseline_attendance: Option<f64>,
}

impl ProposalInput {
    pub fn parse(&self) -> Result<Proposal, Refusal> {
        let reason = MoveReason::parse(&self.reason).ok_or_else(|| {
            Refusal::invalid(
                "reason",
                "The reason is `exclusion` (at risk of exclusion) or `attendance`.",
            )
        })?;
        let notes: Vec<(usize, String)> = self
            .notes
            .iter()
            .map(|(n, text)| (n.wrapping_sub(1), text.clone()))
            .collect();
        Ok(Proposal {
            home: SchoolKey::parse(&self.home)?,
            destination: SchoolKey::parse(&self.destination)?,
            pupil: Pupil {
                initials: Initials::parse(&self.initials)?,
                year: YearGroup::new(self.year)?,
            },
            kind: if self.return_possible {
                MoveKind::ManagedMove
            } else {
                MoveKind::ManagedTransfer
            },
            reason,
            strategies_tried: Text::parse("tried", &self.strategies_tried)?,
            ehcp: self.ehcp,
            looked_after: self.looked_after,
            suitability: Suitability::parse(&self.answers, &notes)?,
            baseline_attendance: self
                .baseline_attendance
                .map(|b| super::attendance::Percent::parse("baseline", b))
                .transpose()?,
        })
    }
}

/// The agreement's terms as typed (slash-command options, a modal, or CLI flags).
#[derive(Debug, Clone, Default)]
pub struct AgreementTermsInput {
    pub start: String,
    pub weeks: i64,
    pub targets: String,
    pub pupil_champion: String,
    pub if_it_fails: String,
}

impl AgreementTermsInput {
    pub fn parse(&self) -> Result<super::case::AgreementTerms, Refusal> {
        super::review_record::check_targets(&self.targets)?;
        Ok(super::case::AgreementTerms {
            start: date("start", &self.start)?,
            weeks: weeks(self.weeks)?,
            targets: Text::parse("targets", &self.targets)?,
            pupil_champion: Text::parse_max("champion", &self.pupil_champion, 100)?,
            if_it_fails: Text::parse("if-fails", &self.if_it_fails)?,
        })
    }
}

/// Weeks added by an extension, from a slash-command or CLI integer: 1 to 52 (the policy's
/// maximum from the start is checked by `decide`, which knows the agreed length).
pub fn extra_weeks(weeks: i64) -> Result<u8, Refusal> {
    u8::try_from(weeks)
        .ok()
        .filter(|w| (1..=52).contains(w))
        .ok_or_else(|| {
            Refusal::invalid(
                "weeks",
                "Give the weeks to add as a whole number from 1 to 52.",
            )
        })
}
