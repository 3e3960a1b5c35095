//! Partnership statistics: who proposed, received and sent moves, how they ended, how long
//! agreement and outcome took, and the balance of moves between schools. Pure: a function of
//! cases and a period, so the figures are easy to test against seeded cases.

mod attendance;
mod attendance_chart;
mod chart;
mod follow_up;
mod overdue;
mod report;
mod report_chart;
mod report_table;
#[cfg(test)]
mod report_tests;
pub mod term;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::{input, Case, CaseState, Outcome, Partnership, Refusal, SchoolKey};

pub use attendance::AttendanceFigures;
pub use attendance_chart::render_attendance_png;
pub use chart::{render_png, ChartError};
pub use follow_up::{FollowUpFigures, Lasted};
pub use overdue::{overdue_steps, OverdueStep, StepOwner};
pub use report::{compute as compute_term, TermFigures, TermReport};
pub use report_chart::render_term_png;
pub use report_table::{table as report_table, Audience, ReportTable, COLUMNS};
pub use term::SchoolTerm;

/// A period of proposal dates, inclusive, in the partnership's local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period people ask for; by default the school year so far, from 1 September.
    pub fn parse(
        today: NaiveDate,
        from: Option<&str>,
        to: Option<&str>,
    ) -> Result<Period, Refusal> {
        let to = to
            .map(|d| input::date("to", d))
            .transpose()?
            .unwrap_or(today);
        let september = |year| NaiveDate::from_ymd_opt(year, 9, 1).expect("1 September exists");
        let year_start = if to.month() >= 9 {
            september(to.year())
        } else {
            september(to.year() - 1)
        };
        let from = from
            .map(|d| input::date("from", d))
            .transpose()?
            .unwrap_or(year_start);
        if to < from {
            return Err(Refusal::invalid("to", "The period ends before it starts."));
        }
        Ok(Period { from, to })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SchoolFigures {
    /// Moves this school proposed (sent).
    pub sent: usize,
    /// Moves proposed to this school (received).
    pub received: usize,
    pub permanent: usize,
    pub returned: usize,
    pub terminated: usize,
    pub declined: usize,
    pub withdrawn: usize,
    pub rejected: usize,
    pub open: usize,
    /// Weekly attendance in placements at this school (as the destination) against the
    /// baseline, its missing reports, and reviews held late in its cases.
    pub attendance: AttendanceFigures,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub period: Period,
    pub cases: usize,
    /// By school key, every school of the partnership (zeros included).
    pub schools: BTreeMap<SchoolKey, SchoolFigures>,
    /// How the cases in scope ended, each case counted once.
    pub totals: SchoolFigures,
    /// Open cases by state.
    pub open_by_state: BTreeMap<String, usize>,
    /// Mean days from proposal to a fully signed agreement, when any.
    pub mean_days_to_agreement: Option<f64>,
    /// Mean days from proposal to the outcome (completed or terminated), when any.
    pub mean_days_to_outcome: Option<f64>,
    /// (from, to) -> number of moves proposed from `from` to `to`.
    pub flows: BTreeMap<(SchoolKey, SchoolKey), usize>,
    /// How many moves lasted: on roll at the follow-up, by outcome and by school.
    pub follow_ups: FollowUpFigures,
}

/// Figures for cases proposed within `period`. `only` restricts them to some schools' cases
/// (a head sees only their own school's figures; a head of two schools, both).
pub fn compute(
    cases: &[Case],
    p: &Partnership,
    period: Period,
    only: Option<&[SchoolKey]>,
) -> Stats {
    let in_scope: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            let proposed = p.today(c.proposed.at);
            period.from <= proposed && proposed <= period.to
        })
        .filter(|c| only.is_none_or(|schools| schools.iter().any(|s| c.involves(s))))
        .collect();
    let mut schools: BTreeMap<SchoolKey, SchoolFigures> = p
        .schools
        .iter()
        .filter(|s| only.is_none_or(|o| o.contains(&s.key)))
        .map(|s| (s.key.clone(), SchoolFigures::default()))
        .collect();
    let mut totals = SchoolFigures::default();
    let mut open_by_state = BTreeMap::new();
    let mut flows = BTreeMap::new();
    let (mut agreement_days, mut outcome_days) = (Vec::new(), Vec::new());
    let mut follow_ups = FollowUpFigures::default();
    for case in &in_scope {
        follow_ups.add(case, only);
        *flows
            .entry((case.home.clone(), case.destination.clone()))
            .or_insert(0) += 1;
        if let Some(f) = schools.get_mut(&case.home) {
            f.sent += 1;
        }
        if let Some(f) = schools.get_mut(&case.destination) {
            f.received += 1;
        }
        count_ending(&mut totals, case);
        totals.attendance.add(case, p, period.to, true);
        if let Some(f) = schools.get_mut(&case.destination) {
            f.attendance.add(case, p, period.to, true);
        }
        if let Some(f) = schools.get_mut(&case.home) {
            f.attendance.add(case, p, period.to, false);
        }
        for key in [&case.home, &case.destination] {
            if let Some(f) = schools.get_mut(key) {
                count_ending(f, case);
            }
        }
        if !case.state.is_closed() {
            *open_by_state
                .entry(case.state.as_str().to_string())
                .or_insert(0) += 1;
        }
        if let Some(signed) = fully_signed_at(case) {
            agreement_days.push(days_between(case.proposed.at, signed));
        }
        if let Some(decided) = outcome_decided_at(case) {
            outcome_days.push(days_between(case.proposed.at, decided));
        }
    }
    Stats {
        period,
        cases: in_scope.len(),
        schools,
        totals,
        open_by_state,
        mean_days_to_agreement: mean(&agreement_days),
        mean_days_to_outcome: mean(&outcome_days),
        flows,
        follow_ups,
    }
}

fn count_ending(f: &mut SchoolFigures, case: &Case) {
    match case.state {
        CaseState::Completed if case.outcome == Some(Outcome::Permanent) => f.permanent += 1,
        CaseState::Completed => f.returned += 1,
        CaseState::Terminated => f.terminated += 1,
        CaseState::Declined => f.declined += 1,
        CaseState::Withdrawn => f.withdrawn += 1,
        CaseState::Rejected => f.rejected += 1,
        _ => f.open += 1,
    }
}

/// When the outcome was decided: for a permanent transfer, the second head's confirmation
/// (the roll change and records that follow are not deciding, and a transferring case has
/// decided); otherwise when the case ended.
fn outcome_decided_at(case: &Case) -> Option<DateTime<Utc>> {
    let confirmed = || case.permanent_confirmed_by.values().map(|s| s.at).max();
    // A return is decided when it begins; the returning stage's steps come after.
    let returned = || case.returning.as_ref().map(|r| r.begun.at);
    // When it closed: a follow-up changes the case later, but not its outcome.
    let closed = || crate::domain::returning::closed_at(case).or(Some(case.updated_at));
    match case.state {
        CaseState::Transferring => confirmed(),
        CaseState::Returning => returned(),
        CaseState::Completed if case.outcome == Some(Outcome::Permanent) => {
            confirmed().or_else(closed)
        }
        CaseState::Completed | CaseState::Terminated => returned().or_else(closed),
        _ => None,
    }
}

/// When the last of both schools' signatures was made.
fn fully_signed_at(case: &Case) -> Option<DateTime<Utc>> {
    let agreement = case.agreement.as_ref()?;
    let home = agreement.signatures.get(&case.home)?;
    let destination = agreement.signatures.get(&case.destination)?;
    Some(home.at.max(destination.at))
}

fn days_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    (to - from).num_minutes() as f64 / (24.0 * 60.0)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

impl Stats {
    /// A plain-text summary (embed description, CLI output).
    pub fn summary(&self, p: &Partnership) -> String {
        let mut out = format!(
            "{} cases proposed {} to {}.\n",
            self.cases, self.period.from, self.period.to
        );
        let days = |d: Option<f64>| {
            d.map(|d| format!("{d:.1} days"))
                .unwrap_or_else(|| "–".into())
        };
        out.push_str(&format!(
            "Average time to a signed agreement: {}; to an outcome: {}.\n",
            days(self.mean_days_to_agreement),
            days(self.mean_days_to_outcome)
        ));
        if !self.open_by_state.is_empty() {
            let open: Vec<String> = self
                .open_by_state
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            out.push_str(&format!("Open: {}.\n", open.join(", ")));
        }
        for (key, f) in &self.schools {
            out.push_str(&format!(
                "{}: sent {}, received {}; permanent {}, returned {}, terminated {}, declined {}, withdrawn {}, rejected {}, open {}.\n",
                p.school_name(key),
                f.sent, f.received, f.permanent, f.returned, f.terminated, f.declined, f.withdrawn, f.rejected, f.open
            ));
        }
        out.push_str(&format!(
            "Attendance during placements: {}.\n",
            self.totals.attendance.line()
        ));
        for (key, f) in &self.schools {
            out.push_str(&format!(
                "{} (placements it received): {}.\n",
                p.school_name(key),
                f.attendance.line()
            ));
        }
        out.push_str(&self.follow_ups.line(p));
        out.push('\n');
        for ((from, to), n) in &self.flows {
            out.push_str(&format!(
                "{} → {}: {n}\n",
                p.school_name(from),
                p.school_name(to)
            ));
        }
        out
    }
}
