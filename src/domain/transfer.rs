//! The transferring stage (DOMAIN.md, "The protocol in depth", "Endings"): after both heads
//! confirm a permanent transfer the case stays open while the pupil changes rolls and the
//! records follow. The destination makes its registration the main one and the home school
//! removes the pupil from its roll on the same date, never before the day both heads
//! confirmed (an earlier date would be off-rolling on paper); for an EHCP pupil the local
//! authority amends the named school first; for a looked-after child the Virtual School is
//! told. The home school then sends any child-protection file within five school days of the
//! removal (the receiving safeguarding lead confirms it came) and the common transfer file
//! and educational record within fifteen. The case closes, outcome permanent, when all of
//! this is recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::calendar::SchoolCalendar;
use super::case::{Case, DatedRecord, Stamp};
use super::ids::Text;
use super::refusal::Refusal;

/// School days after the removal from roll within which any child-protection file goes.
/// Counted in school days, so a removal in a holiday gives the first five of the new term.
pub const CP_FILE_SCHOOL_DAYS: u32 = 5;
/// School days after the removal within which the common transfer file and educational
/// record go.
pub const RECORDS_SCHOOL_DAYS: u32 = 15;
/// The roll change has no statutory deadline; the partnership expects it within a school
/// week of the heads' decision, so a pupil is not left on two rolls with no placement.
pub const ROLL_CHANGE_SCHOOL_DAYS: u32 = 5;

/// One school's side of the roll change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollChange {
    /// The first day of the destination's main registration / the day the home school
    /// took the pupil off its roll: one date for both.
    pub on: NaiveDate,
    /// The day the school told the local authority.
    pub la_notified: NaiveDate,
    pub recorded: Stamp,
}

/// The child-protection file: sent on a day, or there was none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpFile {
    /// `None`: the home school holds no child-protection file for the pupil.
    pub sent_on: Option<NaiveDate>,
    pub recorded: Stamp,
}

/// The destination's safeguarding lead confirmed the file arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpReceipt {
    pub on: NaiveDate,
    /// The receiving designated safeguarding lead (a member of staff, never the pupil).
    pub lead: Text,
    pub recorded: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualSchoolTold {
    pub on: NaiveDate,
    pub contact: Text,
    pub recorded: Stamp,
}

/// Everything recorded since both heads confirmed a permanent transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// The day both heads had confirmed: the roll change is never earlier.
    pub begun_on: NaiveDate,
    /// When the roll change is expected (a reminder and the board's date until it is done).
    pub roll_due: NaiveDate,
    /// The heads' note on the outcome, kept for the closing record.
    pub note: Text,
    #[serde(default)]
    pub named_school_amended: Option<DatedRecord>,
    #[serde(default)]
    pub virtual_school_told: Option<VirtualSchoolTold>,
    #[serde(default)]
    pub main_registration: Option<RollChange>,
    #[serde(default)]
    pub removal: Option<RollChange>,
    /// Worked out from the removal date with the school calendar when it is recorded.
    #[serde(default)]
    pub cp_due: Option<NaiveDate>,
    #[serde(default)]
    pub records_due: Option<NaiveDate>,
    #[serde(default)]
    pub cp_file: Option<CpFile>,
    #[serde(default)]
    pub cp_receipt: Option<CpReceipt>,
    /// The common transfer file and educational record sent.
    #[serde(default)]
    pub records_sent: Option<DatedRecord>,
}

/// The last day the child-protection file may go: five school days after the removal, or,
/// when the removal falls outside term, the fifth school day of the new term.
pub fn cp_file_due(cal: &SchoolCalendar, removal: NaiveDate) -> NaiveDate {
    cal.add_school_days(removal, CP_FILE_SCHOOL_DAYS)
}

/// The last day the common transfer file and educational record may go.
pub fn records_due(cal: &SchoolCalendar, removal: NaiveDate) -> NaiveDate {
    cal.add_school_days(removal, RECORDS_SCHOOL_DAYS)
}

/// The day the destination admitted the pupil: its registration from the dual registration,
/// else the day the move started.
pub fn admitted_on(case: &Case) -> Option<NaiveDate> {
    case.registrations
        .get(&case.destination)
        .map(|r| r.from)
        .or(case.started_on)
}

/// One step of the stage, for the card, the board and reminders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub key: &'static str,
    pub label: &'static str,
    /// What was recorded, in words; `None` while the step is open.
    pub done: Option<String>,
    /// The day it is due by, while open (if it can be worked out yet).
    pub due: Option<NaiveDate>,
}

fn show(day: NaiveDate) -> String {
    day.format("%a %-d %b %Y").to_string()
}

/// "sent Mon 1 Feb 2027", saying so when it was after the day it was due.
fn sent(on: NaiveDate, due: Option<NaiveDate>) -> String {
    match due.filter(|d| on > *d) {
        Some(due) => format!("sent {}, late (due {})", show(on), show(due)),
        None => format!("sent {}", show(on)),
    }
}

/// The steps that apply to this case, in the order they are done.
pub fn steps(case: &Case) -> Vec<Step> {
    let Some(t) = &case.transfer else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if case.ehcp {
        out.push(Step {
            key: "transfer_named_school",
            label: "EHCP: the local authority amends the named school (first)",
            done: t
                .named_school_amended
                .as_ref()
                .map(|r| format!("amended {}", show(r.on))),
            due: Some(t.roll_due),
        });
    }
    if case.looked_after {
        out.push(Step {
            key: "transfer_virtual_school",
            label: "Virtual School told",
            done: t
                .virtual_school_told
                .as_ref()
                .map(|v| format!("told {}", show(v.on))),
            due: Some(t.roll_due),
        });
    }
    let roll = |word: &str, r: &RollChange| {
        format!("{word} {}, LA told {}", show(r.on), show(r.la_notified))
    };
    out.push(Step {
        key: "transfer_main_registration",
        label: "Destination: main registration",
        done: t.main_registration.as_ref().map(|r| roll("from", r)),
        due: Some(t.roll_due),
    });
    out.push(Step {
        key: "transfer_removal",
        label: "Home school: removal from roll (same date)",
        done: t.removal.as_ref().map(|r| roll("on", r)),
        due: Some(t.roll_due),
    });
    out.push(Step {
        key: "transfer_cp_file",
        label: "Child-protection file sent (within 5 school days)",
        done: t.cp_file.as_ref().map(|f| match f.sent_on {
            Some(on) => sent(on, t.cp_due),
            None => "no child-protection file".into(),
        }),
        due: t.cp_due,
    });
    if t.cp_file.as_ref().is_some_and(|f| f.sent_on.is_some()) {
        out.push(Step {
            key: "transfer_cp_receipt",
            label: "Receipt confirmed by the destination's safeguarding lead",
            done: t
                .cp_receipt
                .as_ref()
                .map(|r| format!("{} on {}", r.lead.as_str(), show(r.on))),
            due: t.cp_due,
        });
    }
    out.push(Step {
        key: "transfer_records",
        label: "Common transfer file and educational record sent (within 15 school days)",
        done: t.records_sent.as_ref().map(|r| sent(r.on, t.records_due)),
        due: t.records_due,
    });
    out
}

/// Every step is recorded: the case can close.
pub fn is_done(case: &Case) -> bool {
    case.transfer.is_some() && steps(case).iter().all(|s| s.done.is_some())
}

/// The earliest date an open step is due by, for the board.
pub fn next_due(case: &Case) -> Option<NaiveDate> {
    steps(case)
        .iter()
        .filter(|s| s.done.is_none())
        .filter_map(|s| s.due)
        .min()
}

/// "none" (no child-protection file), or the day it was sent.
pub fn parse_cp_sent(field: &'static str, raw: &str) -> Result<Option<NaiveDate>, Refusal> {
    if raw.trim().eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    super::input::date(field, raw)
        .map(Some)
        .map_err(|_| Refusal::invalid(field, "Give the day it was sent, like 2026-12-01, or none."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn no_child_protection_file_is_written_none_and_anything_else_must_be_a_date() {
        assert_eq!(parse_cp_sent("sent", " None "), Ok(None));
        assert_eq!(
            parse_cp_sent("sent", "2027-02-09"),
            Ok(Some(day(2027, 2, 9)))
        );
        let r = parse_cp_sent("sent", "last week").unwrap_err();
        assert!(r.message().contains("or none"), "{r}");
    }

    #[test]
    fn a_record_sent_after_its_due_day_says_it_was_late() {
        let due = Some(day(2027, 2, 16));
        assert_eq!(sent(day(2027, 2, 16), due), "sent Tue 16 Feb 2027");
        assert_eq!(
            sent(day(2027, 2, 17), due),
            "sent Wed 17 Feb 2027, late (due Tue 16 Feb 2027)"
        );
    }
}
