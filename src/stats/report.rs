//! The termly report's figures: per school and for the partnership, what happened in one
//! term. Each figure counts what fell in the term: moves proposed (sent and received: the
//! fair-share ledger), outcomes decided, follow-ups recorded, moves started, weeks of
//! attendance, and steps that went overdue. Pure: a function of cases, a term and a day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::overdue::{overdue_steps, OverdueStep, StepOwner};
use super::term::SchoolTerm;
use crate::domain::attendance::{missing_reports, Percent};
use crate::domain::returning::{closed_at, ReturnHow};
use crate::domain::{Case, CaseState, Outcome, Partnership, SchoolKey};

/// One school's figures (or the partnership's) for the term.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TermFigures {
    /// Moves this school proposed in the term.
    pub sent: usize,
    /// Moves proposed to this school in the term.
    pub received: usize,
    /// Outcomes decided in the term, in cases involving the school.
    pub permanent: usize,
    pub returned: usize,
    pub terminated: usize,
    pub declined: usize,
    pub withdrawn: usize,
    pub rejected: usize,
    /// Follow-ups recorded in the term by this school, and how many found the pupil on roll.
    pub followed_up: usize,
    pub lasted: usize,
    /// Moves that started in the term, and school days from proposal to start for each.
    pub started: usize,
    #[serde(skip)]
    pub(super) days_to_start: Vec<u32>,
    /// Placements at this school with attendance reported for weeks in the term.
    pub placements: usize,
    pub sessions_attended: u32,
    pub sessions_possible: u32,
    #[serde(skip)]
    pub(super) baselines: Vec<f64>,
    pub weeks_reported: usize,
    pub weeks_missing: usize,
    /// Steps this school (its head or staff) owed that went overdue in the term.
    pub overdue_steps: usize,
}

impl TermFigures {
    /// Median school days from proposal to start, when any move started.
    pub fn median_days_to_start(&self) -> Option<f64> {
        let mut days = self.days_to_start.clone();
        days.sort_unstable();
        let n = days.len();
        match n {
            0 => None,
            _ if n % 2 == 1 => Some(f64::from(days[n / 2])),
            _ => Some(f64::from(days[n / 2 - 1] + days[n / 2]) / 2.0),
        }
    }

    /// Attendance in the term's reported weeks, 0-100 to one decimal place.
    pub fn attendance(&self) -> Option<f64> {
        (self.sessions_possible > 0)
            .then(|| Percent::of(self.sessions_attended, self.sessions_possible).as_f64())
    }

    /// The mean of the placements' baselines (last term), when any was given.
    pub fn baseline(&self) -> Option<f64> {
        (!self.baselines.is_empty()).then(|| {
            let mean = self.baselines.iter().sum::<f64>() / self.baselines.len() as f64;
            (mean * 10.0).round() / 10.0
        })
    }

    pub fn with_baseline(&self) -> usize {
        self.baselines.len()
    }
}

/// The report's figures, for the whole partnership.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermReport {
    pub term: SchoolTerm,
    /// The day the figures run to: the term's last day, or today while the term runs.
    pub as_of: NaiveDate,
    /// Every school of the partnership, zeros included.
    pub schools: BTreeMap<SchoolKey, TermFigures>,
    /// Each case counted once.
    pub totals: TermFigures,
    /// (from, to) -> moves proposed in the term.
    pub flows: BTreeMap<(SchoolKey, SchoolKey), usize>,
    pub overdue: Vec<OverdueStep>,
}

impl TermReport {
    /// Steps that went overdue, by who owed them (a step both heads owed counts for each).
    pub fn overdue_by_owner(&self) -> BTreeMap<StepOwner, usize> {
        let mut by = BTreeMap::new();
        for owner in self.overdue.iter().flat_map(|s| &s.owners) {
            *by.entry(owner.clone()).or_insert(0) += 1;
        }
        by
    }
}

/// Figures for `term` from `cases` (any that may have touched it), as of `today`.
pub fn compute(cases: &[Case], p: &Partnership, term: SchoolTerm, today: NaiveDate) -> TermReport {
    let as_of = today.min(term.end);
    let mut schools: BTreeMap<SchoolKey, TermFigures> = p
        .schools
        .iter()
        .map(|s| (s.key.clone(), TermFigures::default()))
        .collect();
    let mut totals = TermFigures::default();
    let mut flows = BTreeMap::new();
    let mut overdue = Vec::new();
    for case in cases {
        let mut each = |key: &SchoolKey, f: &dyn Fn(&mut TermFigures)| {
            if let Some(figures) = schools.get_mut(key) {
                f(figures);
            }
        };
        let both = [&case.home, &case.destination];
        if term.contains(p.today(case.proposed.at)) {
            *flows
                .entry((case.home.clone(), case.destination.clone()))
                .or_insert(0) += 1;
            totals.sent += 1;
            totals.received += 1;
            each(&case.home, &|f| f.sent += 1);
            each(&case.destination, &|f| f.received += 1);
        }
        if let Some(ending) = ending_in(case, p, &term) {
            ending(&mut totals);
            for key in both {
                each(key, &|f| ending(f));
            }
        }
        if let Some(follow_up) = &case.follow_up {
            if term.contains(p.today(follow_up.recorded.at)) {
                let count = |f: &mut TermFigures| {
                    f.followed_up += 1;
                    f.lasted += usize::from(follow_up.on_roll);
                };
                count(&mut totals);
                each(&follow_up.school, &count);
            }
        }
        if let Some(start) = case.started_on.filter(|d| term.contains(*d)) {
            let days = p
                .calendar
                .school_days_between(p.today(case.proposed.at), start);
            let count = |f: &mut TermFigures| {
                f.started += 1;
                f.days_to_start.push(days);
            };
            count(&mut totals);
            for key in both {
                each(key, &count);
            }
        }
        let placement = |f: &mut TermFigures| add_placement(f, case, p, &term, as_of);
        placement(&mut totals);
        each(&case.destination, &placement);
        for step in overdue_steps(case, p, &term, as_of) {
            totals.overdue_steps += 1;
            let mut owing: Vec<&SchoolKey> = step.owners.iter().map(StepOwner::school).collect();
            owing.dedup();
            for key in owing {
                each(key, &|f| f.overdue_steps += 1);
            }
            overdue.push(step);
        }
    }
    overdue.sort_by_key(|s| (s.due, s.reference));
    TermReport {
        term,
        as_of,
        schools,
        totals,
        flows,
        overdue,
    }
}

/// How the case's outcome counts, when it was decided in the term: a permanent transfer
/// when both heads confirmed, a return or termination when it began, a proposal that
/// closed (declined, withdrawn, rejected) when it closed.
fn ending_in(case: &Case, p: &Partnership, term: &SchoolTerm) -> Option<fn(&mut TermFigures)> {
    let confirmed = || case.permanent_confirmed_by.values().map(|s| s.at).max();
    let returned = || case.returning.as_ref().map(|r| r.begun.at);
    let early = |f: &mut TermFigures| f.terminated += 1;
    let back = |f: &mut TermFigures| f.returned += 1;
    let (at, count): (_, fn(&mut TermFigures)) = match case.state {
        CaseState::Transferring => (confirmed(), |f| f.permanent += 1),
        CaseState::Completed if case.outcome == Some(Outcome::Permanent) => {
            (confirmed().or_else(|| closed_at(case)), |f| {
                f.permanent += 1
            })
        }
        CaseState::Returning => match case.returning.as_ref().map(|r| &r.how) {
            Some(ReturnHow::Terminated { .. }) => (returned(), early),
            _ => (returned(), back),
        },
        CaseState::Completed => (returned().or_else(|| closed_at(case)), back),
        CaseState::Terminated => (returned().or_else(|| closed_at(case)), early),
        CaseState::Declined => (closed_at(case), |f| f.declined += 1),
        CaseState::Withdrawn => (closed_at(case), |f| f.withdrawn += 1),
        CaseState::Rejected => (closed_at(case), |f| f.rejected += 1),
        _ => return None,
    };
    at.filter(|at| term.contains(p.today(*at))).map(|_| count)
}

/// The placement's weeks in the term: sessions, its baseline, and reports missing.
fn add_placement(
    f: &mut TermFigures,
    case: &Case,
    p: &Partnership,
    term: &SchoolTerm,
    as_of: NaiveDate,
) {
    f.weeks_missing += missing_reports(case, p, as_of)
        .iter()
        .filter(|w| term.contains(w.due))
        .count();
    let weeks: Vec<_> = case
        .attendance
        .iter()
        .filter(|(monday, _)| term.contains(**monday) && **monday <= as_of)
        .map(|(_, w)| w)
        .collect();
    if weeks.is_empty() {
        return;
    }
    f.placements += 1;
    f.weeks_reported += weeks.len();
    for w in weeks {
        f.sessions_attended += u32::from(w.report.attended);
        f.sessions_possible += u32::from(w.report.possible);
    }
    if let Some(baseline) = case.baseline_attendance {
        f.baselines.push(baseline.as_f64());
    }
}
