//! The case as Discord may see it, under `[privacy]`: the one path every Discord-bound
//! rendering (thread posts, cards, replies, buttons' answers, PDFs posted there) takes.
//!
//! Which parts of an event are free text is not listed again here: retention already
//! lists it for every event kind ([`super::retention::anonymised`], an exhaustive match,
//! so a new event kind must say what its free text is). A part is free text when
//! anonymising changes it; that part is replaced by "(kept locally)" and the case is
//! folded again from the events so withheld, exactly as retention folds an anonymised case.
//! The same comparison names the fields an admin may redact ([`free_text`]).

use serde_json::Value;

use super::retention::anonymised;
use super::{Service, ServiceError};
use crate::domain::privacy::{Privacy, KEPT_LOCALLY};
use crate::domain::{Case, Event, EventKind, Initials};

/// One free-text part of an event: where it is in the event's JSON (`/notes`,
/// `/suitability/answers/2/note`) and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeText {
    pub path: String,
    pub text: String,
}

/// Every free-text part of an event (never the initials: they are not a note).
pub fn free_text(kind: &EventKind) -> Vec<FreeText> {
    let (Ok(stored), Ok(gone)) = (
        serde_json::to_value(kind),
        serde_json::to_value(anonymised(kind)),
    ) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    differing(&stored, &gone, String::new(), &mut found);
    found
}

fn differing(stored: &Value, gone: &Value, path: String, found: &mut Vec<FreeText>) {
    match (stored, gone) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                if key == "initials" {
                    continue;
                }
                let other = b.get(key).unwrap_or(&Value::Null);
                differing(value, other, format!("{path}/{key}"), found);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differing(x, y, format!("{path}/{i}"), found);
            }
        }
        (Value::String(text), other) if other != stored => found.push(FreeText {
            path,
            text: text.clone(),
        }),
        _ => {}
    }
}

/// The event with each free-text part at `paths` replaced by `with`; `None` when the
/// result would not read back as an event (a part that is not text).
pub fn replaced(kind: &EventKind, paths: &[String], with: &str) -> Option<EventKind> {
    let mut value = serde_json::to_value(kind).ok()?;
    for path in paths {
        *value.pointer_mut(path)? = Value::String(with.to_string());
    }
    serde_json::from_value(value).ok()
}

/// An event as Discord may see it.
pub fn withheld(kind: &EventKind, privacy: &Privacy) -> EventKind {
    let mut kind = if privacy.notes_in_discord {
        kind.clone()
    } else {
        let paths: Vec<String> = free_text(kind).into_iter().map(|f| f.path).collect();
        // Should a part ever not take text, the retention form is the safe fallback.
        replaced(kind, &paths, KEPT_LOCALLY).unwrap_or_else(|| anonymised(kind))
    };
    if !privacy.pupil_initials_in_discord {
        if let EventKind::Proposed(p) = &mut kind {
            p.pupil.initials = Initials::withheld();
        }
    }
    kind
}

/// The case folded from its events as Discord may see them.
pub fn case_for_discord(case: &Case, events: &[Event], privacy: &Privacy) -> Option<Case> {
    let events: Vec<Event> = events
        .iter()
        .map(|e| Event {
            kind: withheld(&e.kind, privacy),
            ..e.clone()
        })
        .collect();
    Case::from_events(case.reference, events.iter())
}

impl Service {
    /// The case as anything sent to Discord may show it. Every Discord-bound rendering
    /// takes its case from here (the sender after loading it, replies, buttons' answers),
    /// so a new message cannot forget the rule. With both options on, the case as stored.
    pub async fn for_discord(&self, case: Case) -> Result<Case, ServiceError> {
        let case = self.withheld_for_discord(case).await?;
        // Folded again from the events, the lead's name (never stored) is looked up.
        Ok(self.name_lead(case).await)
    }

    async fn withheld_for_discord(&self, case: Case) -> Result<Case, ServiceError> {
        let privacy = &self.partnership().privacy;
        if privacy.discord_sees_all() {
            return Ok(case);
        }
        let found = self
            .store()
            .find_case(case.reference)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        let Some((id, _)) = found else {
            return Ok(blank(case));
        };
        let events: Vec<Event> = self
            .store()
            .history(id)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?
            .into_iter()
            .map(|s| s.event)
            .collect();
        Ok(case_for_discord(&case, &events, privacy).unwrap_or_else(|| blank(case)))
    }
}

/// A case whose events could not be read: the initials go at least (never sent as stored).
fn blank(mut case: Case) -> Case {
    case.pupil.initials = Initials::withheld();
    case
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::{partnership, CaseBuilder};
    use crate::domain::ReviewKind;
    use crate::view::case_card;

    fn closed() -> Privacy {
        Privacy {
            pupil_initials_in_discord: false,
            notes_in_discord: false,
            ..Privacy::default()
        }
    }

    fn long_case() -> CaseBuilder {
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .reviewed(ReviewKind::Final)
    }

    #[test]
    fn free_text_is_what_retention_removes_and_never_the_initials() {
        let b = CaseBuilder::proposed();
        let found = free_text(&b.events()[0].kind);
        assert!(found
            .iter()
            .any(|f| f.path == "/strategies_tried" && f.text.starts_with("Pastoral support")));
        assert!(found.iter().all(|f| !f.path.contains("initials")));
        let accepted = CaseBuilder::proposed().accepted();
        assert!(free_text(&accepted.events()[1].kind).is_empty());
    }

    #[test]
    fn a_case_for_discord_with_both_options_off_has_no_initials_and_no_note() {
        let b = long_case();
        let case = case_for_discord(b.case(), b.events(), &closed()).unwrap();
        let card = case_card(&case, partnership()).to_text();
        assert!(card.contains("Y9 pupil"), "{card}");
        assert!(card.contains(KEPT_LOCALLY), "{card}");
        assert!(!card.contains("J.S."), "{card}");
        let json = serde_json::to_string(&case).unwrap();
        for note in b.events().iter().flat_map(|e| free_text(&e.kind)) {
            assert!(!card.contains(&note.text), "{} in {card}", note.text);
            assert!(!json.contains(&note.text), "{}", note.text);
        }
        // Everything else is as stored: the state, dates and version.
        assert_eq!(case.state, b.case().state);
        assert_eq!(case.version, b.case().version);
        assert_eq!(
            case.agreement.as_ref().map(|a| a.final_review),
            b.case().agreement.as_ref().map(|a| a.final_review)
        );
    }

    #[test]
    fn each_option_withholds_only_its_own_part() {
        let b = long_case();
        let initials_only = Privacy {
            pupil_initials_in_discord: false,
            ..Privacy::default()
        };
        let case = case_for_discord(b.case(), b.events(), &initials_only).unwrap();
        let card = case_card(&case, partnership()).to_text();
        assert!(
            !card.contains("J.S.") && card.contains("Pastoral support"),
            "{card}"
        );
        let notes_only = Privacy {
            notes_in_discord: false,
            ..Privacy::default()
        };
        let case = case_for_discord(b.case(), b.events(), &notes_only).unwrap();
        let card = case_card(&case, partnership()).to_text();
        assert!(
            card.contains("J.S. Y9") && !card.contains("Pastoral support"),
            "{card}"
        );
    }
}
