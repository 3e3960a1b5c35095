//! The good-practice checklist (seed 000, Section 2): items are data from config, ratings
//! are Red / Amber / Green with a comment and a stamp.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::case::Stamp;
use super::ids::Text;
use super::refusal::Refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "r" | "red" => Ok(Rag::Red),
            "a" | "amber" => Ok(Rag::Amber),
            "g" | "green" => Ok(Rag::Green),
            _ => Err(Refusal::invalid("rating", "Rate with red, amber or green.")),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }

    /// A coloured square, which reads at a glance in Discord and in a terminal.
    pub fn square(self) -> &'static str {
        match self {
            Rag::Red => "🟥",
            Rag::Amber => "🟧",
            Rag::Green => "🟩",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub rag: Rag,
    pub comment: Option<Text>,
    pub rated: Stamp,
}

/// One item of the checklist, e.g. `parents.transition-advice`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub key: String,
    pub group: String,
    pub text: String,
}

/// The partnership's checklist, in display order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Checklist {
    pub items: Vec<ChecklistItem>,
}

impl Checklist {
    pub fn item(&self, key: &str) -> Result<&ChecklistItem, Refusal> {
        let key = key.trim();
        self.items.iter().find(|i| i.key == key).ok_or_else(|| {
            Refusal::invalid(
                "item",
                "There is no checklist item with that key. `/checklist show` lists them.",
            )
        })
    }

    /// Groups in the order they first appear.
    pub fn groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for item in &self.items {
            if !groups.contains(&item.group.as_str()) {
                groups.push(&item.group);
            }
        }
        groups
    }

    pub fn progress(&self, ratings: &BTreeMap<String, Rating>) -> Progress {
        let mut progress = Progress::default();
        for item in &self.items {
            match ratings.get(&item.key).map(|r| r.rag) {
                Some(Rag::Green) => progress.green += 1,
                Some(Rag::Amber) => progress.amber += 1,
                Some(Rag::Red) => progress.red += 1,
                None => progress.unrated += 1,
            }
        }
        progress
    }
}

/// Counts per rating, e.g. "G 9 · A 4 · R 1 · – 2".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    pub green: usize,
    pub amber: usize,
    pub red: usize,
    pub unrated: usize,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "G {} · A {} · R {} · – {}",
            self.green, self.amber, self.red, self.unrated
        )
    }
}
