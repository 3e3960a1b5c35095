//! Fixed choices, so Discord offers them as a list and nobody types them.

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Answer {
    Yes,
    No,
    Unsure,
}

impl Answer {
    pub fn word(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Unsure => "unsure",
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Reason {
    #[name = "At risk of exclusion"]
    Exclusion,
    #[name = "Attendance affecting access to education"]
    Attendance,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Rating {
    Red,
    Amber,
    Green,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Review {
    #[name = "Midpoint review"]
    Midpoint,
    #[name = "Final review"]
    Final,
}

impl Review {
    pub fn kind(self) -> crate::domain::ReviewKind {
        match self {
            Review::Midpoint => crate::domain::ReviewKind::Midpoint,
            Review::Final => crate::domain::ReviewKind::Final,
        }
    }
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Outcome {
    #[name = "Permanent transfer to the destination school"]
    Permanent,
    #[name = "Returned to the home school"]
    Returned,
}
