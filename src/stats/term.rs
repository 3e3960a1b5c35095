//! The school terms a termly report can cover: autumn, spring and summer, each made of the
//! half-terms configured in `[calendar] terms`. Pure: a function of the calendar.
//!
//! A half-term belongs to the term its first day falls in: autumn from August to December,
//! spring from January to March, summer from April to July (Easter moves, but a summer term
//! never starts before April, nor a spring half-term after March). The term is named by its
//! season and the calendar year of its first day, e.g. `autumn-2026`, `spring-2027`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Season {
    Spring,
    Summer,
    Autumn,
}

impl Season {
    fn of(day: NaiveDate) -> Season {
        match day.month() {
            1..=3 => Season::Spring,
            4..=7 => Season::Summer,
            _ => Season::Autumn,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Season::Spring => "spring",
            Season::Summer => "summer",
            Season::Autumn => "autumn",
        }
    }
}

/// One term: its name and the first and last day of its half-terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SchoolTerm {
    pub season: Season,
    pub year: i32,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl SchoolTerm {
    /// `autumn-2026`: what people type and what the files are named by.
    pub fn key(&self) -> String {
        format!("{}-{}", self.season.as_str(), self.year)
    }

    /// "Autumn term 2026".
    pub fn title(&self) -> String {
        let season = self.season.as_str();
        let mut chars = season.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
        format!("{first}{} term {}", chars.as_str(), self.year)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }
}

/// Every term the configured half-terms make, oldest first.
pub fn terms(calendar: &SchoolCalendar) -> Vec<SchoolTerm> {
    let mut out: Vec<SchoolTerm> = Vec::new();
    let mut halves = calendar.terms.clone();
    halves.sort_by_key(|t| t.start);
    for half in halves {
        let (season, year) = (Season::of(half.start), half.start.year());
        match out.last_mut() {
            Some(t) if t.season == season && t.year == year => {
                t.start = t.start.min(half.start);
                t.end = t.end.max(half.end);
            }
            _ => out.push(SchoolTerm {
                season,
                year,
                start: half.start,
                end: half.end,
            }),
        }
    }
    out
}

/// The term asked for (`autumn-2026`, or `Autumn 2026`), or by default the term `today` is
/// in, else the last one that has finished.
pub fn choose(
    calendar: &SchoolCalendar,
    asked: Option<&str>,
    today: NaiveDate,
) -> Result<SchoolTerm, Refusal> {
    let all = terms(calendar);
    if all.is_empty() {
        return Err(Refusal::invalid(
            "term",
            "No terms are configured ([calendar] terms), so there is no termly report.",
        ));
    }
    match asked.map(str::trim).filter(|a| !a.is_empty()) {
        Some(asked) => {
            let wanted = asked.to_ascii_lowercase().replace([' ', '_'], "-");
            all.iter()
                .find(|t| t.key() == wanted)
                .copied()
                .ok_or_else(|| {
                    let known: Vec<String> = all.iter().map(SchoolTerm::key).collect();
                    Refusal::invalid_owned(
                        "term",
                        format!(
                            "That term is not in the configured calendar; choose one of: {}.",
                            known.join(", ")
                        ),
                    )
                })
        }
        None => all
            .iter()
            .rev()
            .find(|t| t.start <= today)
            .copied()
            .ok_or_else(|| {
                Refusal::invalid(
                    "term",
                    "No term has begun yet; name one, e.g. the first in the calendar.",
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::Term;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The example config's half-terms for 2026-27.
    fn calendar() -> SchoolCalendar {
        let half = |a, b| Term { start: a, end: b };
        SchoolCalendar {
            terms: vec![
                half(d(2026, 9, 3), d(2026, 10, 23)),
                half(d(2026, 11, 2), d(2026, 12, 18)),
                half(d(2027, 1, 5), d(2027, 2, 12)),
                half(d(2027, 2, 22), d(2027, 3, 26)),
                half(d(2027, 4, 12), d(2027, 5, 28)),
                half(d(2027, 6, 7), d(2027, 7, 21)),
            ],
            ..SchoolCalendar::default()
        }
    }

    #[test]
    fn half_terms_make_autumn_spring_and_summer_terms() {
        let keys: Vec<(String, NaiveDate, NaiveDate)> = terms(&calendar())
            .iter()
            .map(|t| (t.key(), t.start, t.end))
            .collect();
        assert_eq!(
            keys,
            [
                ("autumn-2026".into(), d(2026, 9, 3), d(2026, 12, 18)),
                ("spring-2027".into(), d(2027, 1, 5), d(2027, 3, 26)),
                ("summer-2027".into(), d(2027, 4, 12), d(2027, 7, 21)),
            ]
        );
    }

    #[test]
    fn the_default_term_is_the_current_one_or_the_last_finished() {
        let cal = calendar();
        let key = |today| choose(&cal, None, today).unwrap().key();
        assert_eq!(key(d(2026, 12, 2)), "autumn-2026");
        // In the Christmas holiday: the autumn term has just finished.
        assert_eq!(key(d(2026, 12, 28)), "autumn-2026");
        assert_eq!(key(d(2027, 4, 1)), "spring-2027");
        assert_eq!(key(d(2027, 8, 20)), "summer-2027");
        assert!(choose(&cal, None, d(2026, 8, 1)).is_err(), "none begun");
    }

    #[test]
    fn a_term_is_named_loosely_and_one_not_configured_is_refused() {
        let cal = calendar();
        let term = choose(&cal, Some(" Spring 2027 "), d(2026, 12, 2)).unwrap();
        assert_eq!(term.title(), "Spring term 2027");
        assert!(
            term.contains(d(2027, 2, 16)),
            "half-term week is in the term"
        );
        let refused = choose(&cal, Some("autumn-2025"), d(2026, 12, 2)).unwrap_err();
        assert!(
            refused
                .message()
                .contains("autumn-2026, spring-2027, summer-2027"),
            "{}",
            refused.message()
        );
        assert!(choose(&SchoolCalendar::default(), None, d(2026, 12, 2)).is_err());
    }
}
