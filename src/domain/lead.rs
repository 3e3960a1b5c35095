//! A case's lead: the coordinator who owns it (issue 15, "a named owner"). Taken by a
//! coordinator for themselves, or handed to another coordinator; every change is an event.

use serde::{Deserialize, Serialize};

use super::case::Stamp;
use super::ids::UserId;

/// Who leads a case, and who made them lead and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub user: UserId,
    pub since: Stamp,
    /// The name the lead goes by, looked up by the service for showing (the people
    /// machinery, `people_names`); never stored with the case.
    #[serde(skip)]
    pub name: Option<String>,
}

impl Lead {
    /// "A. Khan", or "Discord user 42" when no name was noted for them yet.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) => name.clone(),
            None => format!("Discord user {}", self.user),
        }
    }
}

/// The coordinator a lead is handed to, as the front end found them: their user, and
/// whether their roles make them a coordinator (Discord knows their roles; the domain
/// does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadTarget {
    pub user: UserId,
    pub coordinator: bool,
}
