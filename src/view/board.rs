//! The coordinators' board: open cases in sections by urgency (overdue, due this week,
//! waiting on the panel or an approval, running normally), each case once, with its next
//! date, checklist progress, attendance flag and stage; and a footer's counts.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::attendance;
use crate::domain::next_step::{self, headline};
use crate::domain::urgency::{order, Section};
use crate::domain::{Case, CaseRef, CaseState, Partnership};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardLine {
    pub state: CaseState,
    pub reference: CaseRef,
    pub text: String,
    /// The case as the board's menu names it: reference and schools.
    pub pick: String,
}

/// One section: its most urgent lines (as many as were loaded) and how many it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardSection {
    pub section: Section,
    pub lines: Vec<BoardLine>,
    pub total: u64,
}

impl BoardSection {
    /// How many of the section's cases have no line.
    pub fn more(&self, shown: usize) -> u64 {
        self.total.saturating_sub(shown as u64)
    }
}

/// The whole board: the four sections in order, the open cases in all, and when it was
/// drawn (partnership time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    pub sections: Vec<BoardSection>,
    pub open: u64,
    pub updated: String,
}

impl Board {
    /// "3 overdue · 2 this week · 1 waiting · 40 running · 46 open · updated 09:41 Wed 2 Dec"
    pub fn counts_line(&self) -> String {
        let mut parts: Vec<String> = self
            .sections
            .iter()
            .map(|s| format!("{} {}", s.total, s.section.short()))
            .collect();
        parts.push(format!("{} open", self.open));
        parts.push(format!("updated {}", self.updated));
        parts.join(" · ")
    }
}

/// The board from each section's most urgent cases (any order; each goes under its own
/// section) and each section's count, `totals[section.index()]`, which the store keeps.
pub fn sections(cases: &[Case], totals: [u64; 4], p: &Partnership, now: DateTime<Utc>) -> Board {
    let today = p.today(now);
    let mut sections: Vec<BoardSection> = Section::ALL
        .into_iter()
        .map(|section| BoardSection {
            section,
            lines: Vec::new(),
            total: totals[section.index()],
        })
        .collect();
    for case in sorted_open(cases, p) {
        let section = Section::of_case(case, p, today);
        sections[section.index()]
            .lines
            .push(board_line(case, p, today));
    }
    for s in &mut sections {
        // Never fewer than the lines it has, should a count lag a case just written.
        s.total = s.total.max(s.lines.len() as u64);
    }
    Board {
        open: sections.iter().map(|s| s.total).sum(),
        sections,
        updated: now
            .with_timezone(&p.timezone)
            .format("%H:%M %a %-d %b")
            .to_string(),
    }
}

/// How many cases each section's count brings: for tests and the CLI, where every case
/// is at hand.
pub fn totals(cases: &[Case], p: &Partnership, today: NaiveDate) -> [u64; 4] {
    let mut totals = [0; 4];
    for case in cases.iter().filter(|c| !c.state.is_closed()) {
        totals[Section::of_case(case, p, today).index()] += 1;
    }
    totals
}

/// How many cases to load for each section so that `room` lines are shared out in turns,
/// most urgent section first: every section with cases shows its most urgent ones.
pub fn allotment(totals: [u64; 4], room: usize) -> [u32; 4] {
    let mut take = [0u32; 4];
    let mut left = room;
    while left > 0 {
        let before = left;
        for (i, total) in totals.iter().enumerate() {
            if left > 0 && u64::from(take[i]) < *total {
                take[i] += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    take
}

/// Lines for open cases in section order, most urgent first within each.
pub fn board(cases: &[Case], p: &Partnership, today: NaiveDate) -> Vec<BoardLine> {
    let mut open = sorted_open(cases, p);
    // Each key asks `next_step` for the case's steps: once per case, not per comparison.
    open.sort_by_cached_key(|c| Section::of_case(c, p, today));
    open.into_iter().map(|c| board_line(c, p, today)).collect()
}

/// The open cases, most urgent first (`domain::urgency::order`).
fn sorted_open<'a>(cases: &'a [Case], p: &Partnership) -> Vec<&'a Case> {
    let mut open: Vec<&Case> = cases.iter().filter(|c| !c.state.is_closed()).collect();
    open.sort_by_cached_key(|c| order(c, p));
    open
}

fn board_line(case: &Case, p: &Partnership, today: NaiveDate) -> BoardLine {
    BoardLine {
        state: case.state,
        reference: case.reference,
        text: line(case, p, today),
        pick: format!(
            "{} · {} → {}",
            case.reference,
            p.school_name(&case.home),
            p.school_name(&case.destination)
        ),
    }
}

/// One case's line: "`MM-2026-0042` Riverside School → Hillcrest School · agreeing ·
/// **Hillcrest School head: sign the agreement** · waiting 3 school days · G2 A0 R0 –14",
/// then any attendance flag and the lead. Who owes the next step comes from
/// `domain::next_step`, as on the card; schools by name.
pub fn line(case: &Case, p: &Partnership, today: NaiveDate) -> String {
    let owed = headline(case, p, today).unwrap_or_else(|| match next_step::next_due(case, p) {
        Some(d) => format!("next {}", d.format("%a %-d %b")),
        None => "nothing owed".to_string(),
    });
    // A returning case counts its steps; any other its checklist.
    let progress = match super::returning::board_status(case, p) {
        Some((_, steps)) => steps,
        None => p.checklist.progress(&case.checklist).to_string(),
    };
    format!(
        "`{}` {} → {} · {} · {owed} · {progress}{}{}",
        case.reference,
        p.school_name(&case.home),
        p.school_name(&case.destination),
        case.state,
        attendance_flag(case, p),
        super::lead::board_note(case),
    )
}

/// A flag when the latest reported week is at or below the attendance threshold (the
/// figure stays on the case; the board says only that a week is low, and which).
fn attendance_flag(case: &Case, p: &Partnership) -> String {
    let Some(monday) = attendance::latest_low(case, p.policy.attendance_threshold()) else {
        return String::new();
    };
    format!(" · 🚩 attendance low (week of {})", monday.format("%-d %b"))
}

#[cfg(test)]
mod tests;
