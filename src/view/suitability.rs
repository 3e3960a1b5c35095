//! The eight suitability answers, shown wherever the case is (DOMAIN.md, "Suitability"):
//! the proposal in the thread, the case card, `/case show`, the CLI and the agreement PDF.
//! A "no" or "unsure" is marked so the destination head sees it before accepting.

use crate::domain::suitability::{Answer, Suitability, QUESTIONS};

/// Short names of the questions, in order, for lists where the full wording is too long.
pub const SHORT: [&str; 8] = [
    "Outcomes preserved",
    "Needs understood, move helps",
    "Practical impediments surmountable",
    "Both heads agreed",
    "Other agencies' views taken",
    "Best endeavours and adjustments",
    "Parents agree and can support",
    "Pupil can return",
];

/// The mark beside an answer: a concern stands out, a "yes" does not.
pub fn mark(answer: Answer) -> &'static str {
    match answer {
        Answer::Yes => "✅",
        Answer::No | Answer::Unsure => "⚠️",
    }
}

/// Whether an answer needs the destination head's attention.
pub fn is_concern(answer: Answer) -> bool {
    !matches!(answer, Answer::Yes)
}

/// Question numbers (1-8) answered "no" or "unsure".
pub fn concerns(s: &Suitability) -> Vec<usize> {
    s.answers()
        .iter()
        .enumerate()
        .filter(|(_, a)| is_concern(a.answer))
        .map(|(i, _)| i + 1)
        .collect()
}

/// One line a question, without notes: "⚠️ 4. Both heads agreed: **unsure**". At most
/// about 400 characters, so it always fits an embed field whole.
pub fn answer_lines(s: &Suitability) -> String {
    s.answers()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let answer = if is_concern(a.answer) {
                format!("**{}**", a.answer.label())
            } else {
                a.answer.label().to_string()
            };
            format!("{} {}. {}: {answer}", mark(a.answer), i + 1, SHORT[i])
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Said to the destination head while the proposal waits for them.
pub const BEFORE_ACCEPTING: &str = "Read them before accepting.";

/// A one-line summary for the top of the card.
pub fn summary(s: &Suitability) -> String {
    match concerns(s).as_slice() {
        [] => "All eight answered yes.".to_string(),
        list => {
            let numbers: Vec<String> = list.iter().map(usize::to_string).collect();
            format!(
                "⚠️ {} of 8 answered no or unsure (question {}).",
                list.len(),
                numbers.join(", ")
            )
        }
    }
}

/// The notes, one per answered question: (field name, note as typed). Concerns first.
pub fn notes(s: &Suitability) -> Vec<(String, String)> {
    let mut out: Vec<(bool, String, String)> = s
        .answers()
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            let note = a.note.as_ref()?;
            let name = format!(
                "{} {}. {}: {}",
                mark(a.answer),
                i + 1,
                SHORT[i],
                a.answer.label()
            );
            Some((!is_concern(a.answer), name, note.as_str().to_string()))
        })
        .collect();
    out.sort_by_key(|(yes, ..)| *yes);
    out.into_iter()
        .map(|(_, name, note)| (name, note))
        .collect()
}

/// Plain text for documents: the full question, the answer (flagged when a concern) and
/// the note.
pub fn document_rows(s: &Suitability) -> Vec<(String, String)> {
    s.answers()
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let flag = if is_concern(a.answer) {
                " (needs attention)"
            } else {
                ""
            };
            let mut value = format!("{}{flag}", a.answer.label().to_uppercase());
            if let Some(note) = &a.note {
                value.push_str(" - ");
                value.push_str(note.as_str());
            }
            (format!("{}. {}", i + 1, QUESTIONS[i].1), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::suitability::Suitability;

    #[test]
    fn a_no_or_unsure_is_marked_and_summarised_with_its_question_number() {
        let s = Suitability::parse(
            "yes,yes,yes,unsure,yes,yes,yes,no",
            &[(3, "Destination head away".into()), (0, "Good".into())],
        )
        .unwrap();
        assert_eq!(concerns(&s), vec![4, 8]);
        assert!(summary(&s).contains("2 of 8") && summary(&s).contains("4, 8"));
        let lines = answer_lines(&s);
        assert_eq!(lines.lines().count(), 8);
        assert!(
            lines.contains("⚠️ 4. Both heads agreed: **unsure**"),
            "{lines}"
        );
        assert!(lines.contains("⚠️ 8. Pupil can return: **no**"), "{lines}");
        assert!(lines.contains("✅ 1. Outcomes preserved: yes"), "{lines}");
        let notes = notes(&s);
        assert_eq!(
            notes[0].0, "⚠️ 4. Both heads agreed: unsure",
            "concerns first"
        );
        assert_eq!(notes[1].1, "Good");
        let rows = document_rows(&s);
        assert_eq!(
            rows[3].1,
            "UNSURE (needs attention) - Destination head away"
        );
        assert!(rows[7].0.starts_with("8. Can the pupil return"));
    }
}

#[cfg(test)]
mod card_tests {
    use crate::domain::suitability::Suitability;
    use crate::domain::testkit::{now, partnership, proposal};
    use crate::domain::{Case, CaseRef, Event, EventKind, UserId};

    #[test]
    fn the_cli_card_shows_every_answer_and_each_note_in_full() {
        let note = "Bus route checked and a travel buddy found ".repeat(23);
        let mut proposed = proposal();
        proposed.suitability =
            Suitability::parse("yes,no,yes,yes,yes,yes,yes,yes", &[(1, note.clone())]).unwrap();
        let event = Event {
            by: UserId(1),
            at: now(),
            kind: EventKind::Proposed(proposed),
        };
        let case = Case::from_events(CaseRef::new(2026, 1), [&event]).unwrap();
        let text = crate::view::case_card(&case, partnership()).to_text();
        assert!(text.contains(note.trim()), "the note in full:\n{text}");
        assert!(
            text.contains("⚠️ 2. Needs understood, move helps: **no**"),
            "{text}"
        );
        assert!(
            text.contains("1 of 8 answered no or unsure (question 2)"),
            "{text}"
        );
        assert_eq!(text.matches("✅").count(), 7, "{text}");
    }
}
