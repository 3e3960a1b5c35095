//! The termly report's chart: the statistics chart drawn from the term's figures, for the
//! schools the reader may see.

use super::report::{TermFigures, TermReport};
use super::{AttendanceFigures, ChartError, Period, SchoolFigures, Stats};
use crate::domain::{Partnership, SchoolKey};

/// The chart as PNG. `only`: a head's schools (the endings then are theirs, not the
/// partnership's).
pub fn render_term_png(
    report: &TermReport,
    p: &Partnership,
    only: Option<&[SchoolKey]>,
) -> Result<Vec<u8>, ChartError> {
    let schools: std::collections::BTreeMap<SchoolKey, SchoolFigures> = report
        .schools
        .iter()
        .filter(|(key, _)| only.is_none_or(|o| o.contains(key)))
        .map(|(key, f)| (key.clone(), as_school_figures(f)))
        .collect();
    let totals = match only {
        None => as_school_figures(&report.totals),
        Some(_) => schools.values().fold(SchoolFigures::default(), |mut t, f| {
            t.permanent += f.permanent;
            t.returned += f.returned;
            t.terminated += f.terminated;
            t.declined += f.declined;
            t.withdrawn += f.withdrawn;
            t.rejected += f.rejected;
            t
        }),
    };
    let stats = Stats {
        period: Period {
            from: report.term.start,
            to: report.as_of,
        },
        cases: 0,
        schools,
        totals,
        open_by_state: Default::default(),
        mean_days_to_agreement: None,
        mean_days_to_outcome: None,
        flows: Default::default(),
        follow_ups: Default::default(),
    };
    super::render_png(&stats, p)
}

fn as_school_figures(f: &TermFigures) -> SchoolFigures {
    let mut attendance = AttendanceFigures::default();
    attendance.placements = f.placements;
    attendance.during = f.attendance();
    attendance.baseline = f.baseline();
    attendance.with_baseline = f.with_baseline();
    attendance.weeks_reported = f.weeks_reported;
    attendance.weeks_missing = f.weeks_missing;
    SchoolFigures {
        sent: f.sent,
        received: f.received,
        permanent: f.permanent,
        returned: f.returned,
        terminated: f.terminated,
        declined: f.declined,
        withdrawn: f.withdrawn,
        rejected: f.rejected,
        open: 0,
        attendance,
    }
}
