//! Why the bot said no, in words the person can act on.

use serde::{Deserialize, Serialize};

/// What kind of "no" this is; front ends may style them differently, but all show the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The input itself is wrong (a bad date, an unknown school, a name for initials).
    InvalidInput,
    /// The person's roles do not allow this action on this case.
    NotPermitted,
    /// The case is not in a state where this action makes sense.
    WrongState,
    /// Something required must be recorded first (consent, EHCP, Virtual School, panel).
    Blocked,
    /// No such case, or none that this person may see (deliberately indistinguishable).
    NotFound,
}

/// A refusal: nothing was changed, and the message says why in one or two sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    pub kind: RefusalKind,
    /// The option the person should fix, when there is one.
    pub field: Option<String>,
    message: String,
}

impl Refusal {
    fn new(kind: RefusalKind, field: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            kind,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }

    pub fn invalid(field: &str, message: &'static str) -> Self {
        Self::new(RefusalKind::InvalidInput, Some(field), message)
    }

    pub fn invalid_owned(field: &str, message: String) -> Self {
        Self::new(RefusalKind::InvalidInput, Some(field), message)
    }

    pub fn not_permitted(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::NotPermitted, None, message)
    }

    pub fn wrong_state(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::WrongState, None, message)
    }

    pub fn blocked(message: impl Into<String>) -> Self {
        Self::new(RefusalKind::Blocked, None, message)
    }

    /// Used both for "no such case" and "a case you may not see", so that a refusal never
    /// confirms that a case exists.
    pub fn case_not_found(reference: impl std::fmt::Display) -> Self {
        Self::new(
            RefusalKind::NotFound,
            None,
            format!("There is no case {reference} that you can see. Check the reference with `/case list`."),
        )
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}
