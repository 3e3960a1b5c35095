//! The eight suitability questions asked before proposing (seed 000, Section 1).

use serde::{Deserialize, Serialize};

use super::ids::Text;
use super::refusal::Refusal;

/// (key, question) in the help sheet's order. Keys are stable; wording may be improved.
pub const QUESTIONS: [(&str, &str); 8] = [
    ("outcomes", "Does this move best preserve the pupil's chances of good educational outcomes?"),
    ("needs", "Are the pupil's underlying needs understood, and will a move help rather than harm them?"),
    ("practical", "Are practical impediments (distance, cost, peer relationships) surmountable?"),
    ("heads-agree", "Have the heads of both schools agreed to the move?"),
    ("agencies", "Have other agencies' views been taken into account (EHCP amendment, Virtual School for LAC)?"),
    ("best-endeavours", "Will the receiving school make best endeavours and reasonable adjustments?"),
    ("parents", "Do the parents agree, and can they support the pupil through the move?"),
    ("can-return", "Can the pupil return if the move does not work out?"),
];

/// Index of the "can the pupil return" question, which decides move versus transfer.
pub const CAN_RETURN: usize = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Unsure,
}

impl Answer {
    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => Ok(Answer::Yes),
            "n" | "no" => Ok(Answer::No),
            "u" | "unsure" | "?" => Ok(Answer::Unsure),
            _ => Err(Refusal::invalid(
                "suitability",
                "Answer each suitability question with yes, no or unsure.",
            )),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unsure => "unsure",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuitabilityAnswer {
    pub answer: Answer,
    pub note: Option<Text>,
}

/// All eight answers, in question order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suitability(Vec<SuitabilityAnswer>);

impl Suitability {
    pub fn new(answers: Vec<SuitabilityAnswer>) -> Result<Self, Refusal> {
        if answers.len() != QUESTIONS.len() {
            return Err(Refusal::invalid_owned(
                "suitability",
                format!(
                    "Answer all {} suitability questions (you gave {}).",
                    QUESTIONS.len(),
                    answers.len()
                ),
            ));
        }
        Ok(Self(answers))
    }

    /// Parses "yes,no,unsure,..." with optional notes by position.
    pub fn parse(answers: &str, notes: &[(usize, String)]) -> Result<Self, Refusal> {
        let mut parsed: Vec<SuitabilityAnswer> = answers
            .split(',')
            .filter(|a| !a.trim().is_empty())
            .map(|a| Answer::parse(a).map(|answer| SuitabilityAnswer { answer, note: None }))
            .collect::<Result<_, _>>()?;
        for (index, note) in notes {
            let slot = parsed.get_mut(*index).ok_or_else(|| {
                Refusal::invalid(
                    "suitability",
                    "A note names a question that does not exist (1-8).",
                )
            })?;
            slot.note = Some(Text::parse("suitability note", note)?);
        }
        Self::new(parsed)
    }

    pub fn answers(&self) -> &[SuitabilityAnswer] {
        &self.0
    }

    pub fn can_return(&self) -> Answer {
        self.0[CAN_RETURN].answer
    }
}
