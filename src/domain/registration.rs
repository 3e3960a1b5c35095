//! Dual registration (DOMAIN.md, "Dual registration"): while a move runs the pupil is on
//! both registers. The destination adds a subsidiary registration (part of starting the
//! move); the home school keeps the main one and marks the sessions spent away with code D,
//! within one school day of the start. Each school confirms its own side, with the day it
//! told the local authority of the register change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::case::{Case, Stamp};
use super::ids::SchoolKey;

/// One school's confirmation of its side of the dual registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    /// The first day the register shows the change.
    pub from: NaiveDate,
    /// The day the school notified the local authority of the register change.
    pub la_notified: NaiveDate,
    pub recorded: Stamp,
}

/// Which side of the dual registration a school on the case keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The home school: main registration, sessions away marked with code D.
    MainCodeD,
    /// The destination school: a subsidiary registration.
    Subsidiary,
}

impl Side {
    pub fn of(case: &Case, school: &SchoolKey) -> Option<Side> {
        if school == &case.destination {
            Some(Side::Subsidiary)
        } else if school == &case.home {
            Some(Side::MainCodeD)
        } else {
            None
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Side::MainCodeD => "main registration, code D",
            Side::Subsidiary => "subsidiary registration",
        }
    }
}

/// "from Mon 30 Nov 2026, LA told Fri 27 Nov 2026", or what is still missing.
pub fn describe(case: &Case, school: &SchoolKey) -> String {
    let side = Side::of(case, school).map_or("registration", Side::label);
    match case.registrations.get(school) {
        Some(r) => format!(
            "{side} from {}, LA told {}",
            r.from.format("%a %-d %b %Y"),
            r.la_notified.format("%a %-d %b %Y")
        ),
        None => format!("{side}: not confirmed yet"),
    }
}
