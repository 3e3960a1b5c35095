//! Attendance during placements against the pupils' attendance last term, and the weekly
//! reports and reviews that came late or not at all: per school and overall.

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::attendance::{self, missing_reports, Percent};
use crate::domain::{Case, Partnership, ReviewKind};

/// Figures for a set of placements. Percentages are 0-100 to one decimal place.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AttendanceFigures {
    /// Placements with at least one weekly report.
    pub placements: usize,
    /// Sessions attended over sessions possible, across every reported week.
    pub during: Option<f64>,
    /// The mean of the baselines given for those placements (last term), when any.
    pub baseline: Option<f64>,
    /// How many of those placements gave a baseline.
    pub with_baseline: usize,
    pub weeks_reported: usize,
    /// Weeks whose report was due before the end of the period and never came.
    pub weeks_missing: usize,
    /// Reviews recorded as held after the day they were scheduled for.
    pub reviews_held_late: usize,
    #[serde(skip)]
    sessions: (u32, u32),
    #[serde(skip)]
    baselines: Vec<f64>,
}

impl AttendanceFigures {
    /// Adds one case: its placement's attendance (when `placement`) and its late reviews.
    pub(super) fn add(&mut self, case: &Case, p: &Partnership, as_of: NaiveDate, placement: bool) {
        self.reviews_held_late += reviews_held_late(case);
        if !placement {
            return;
        }
        self.weeks_missing += missing_reports(case, p, as_of).len();
        if case.attendance.is_empty() {
            return;
        }
        self.placements += 1;
        self.weeks_reported += case.attendance.len();
        let (attended, possible) = attendance::sessions(&case.attendance);
        self.sessions.0 += attended;
        self.sessions.1 += possible;
        if let Some(baseline) = case.baseline_attendance {
            self.baselines.push(baseline.as_f64());
        }
        self.during = Some(Percent::of(self.sessions.0, self.sessions.1).as_f64());
        self.with_baseline = self.baselines.len();
        self.baseline = (!self.baselines.is_empty()).then(|| {
            let mean = self.baselines.iter().sum::<f64>() / self.baselines.len() as f64;
            (mean * 10.0).round() / 10.0
        });
    }

    /// One line, e.g. "attendance 87.5% in 3 placements (baseline 80.0%, 2 given)".
    pub fn line(&self) -> String {
        let during = match self.during {
            Some(d) => format!(
                "attendance {d:.1}% in {} placement(s) (last term: {})",
                self.placements,
                self.baseline.map_or_else(
                    || "no baseline given".to_string(),
                    |b| format!("{b:.1}%, {} given", self.with_baseline)
                )
            ),
            None => "no weekly attendance reported".to_string(),
        };
        format!(
            "{during}; {} weekly report(s), {} missing; {} review(s) held late",
            self.weeks_reported, self.weeks_missing, self.reviews_held_late
        )
    }
}

/// Reviews held after their scheduled day (a rescheduled review counts from its new day).
fn reviews_held_late(case: &Case) -> usize {
    let Some(agreement) = &case.agreement else {
        return 0;
    };
    [
        (ReviewKind::Midpoint, agreement.midpoint_review),
        (ReviewKind::Final, agreement.final_review),
    ]
    .into_iter()
    .filter(|(kind, due)| case.review(*kind).is_some_and(|r| r.held_on > *due))
    .count()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::domain::attendance::{AttendanceReport, Percent};
    use crate::domain::testkit::*;
    use crate::domain::{Action, Case, ReviewKind};
    use crate::stats::{compute, render_attendance_png, render_png, Period};

    fn week(attended: u16) -> AttendanceReport {
        AttendanceReport::of_ten(attended)
    }

    /// Active from 24 November 2026 with a baseline of 70%, three weeks reported (the
    /// week of 7 December missing by 15 December) and the midpoint review held a day late.
    fn placement() -> CaseBuilder {
        let staff = staff_of(DESTINATION);
        let report = |b: CaseBuilder, monday, attended| {
            b.act(
                &staff,
                Action::RecordAttendance {
                    week: monday,
                    report: week(attended),
                },
            )
        };
        let b = CaseBuilder::new()
            .propose()
            .accepted()
            .agreed()
            .active()
            .at(Utc.with_ymd_and_hms(2026, 12, 16, 10, 0, 0).unwrap());
        let b = report(b, day(2026, 11, 23), 8);
        let b = report(b, day(2026, 11, 30), 9);
        let b = report(b, day(2026, 12, 14), 10);
        b.reviewed(ReviewKind::Midpoint)
    }

    fn with_baseline(mut case: Case, baseline: u16) -> Case {
        case.baseline_attendance = Some(Percent::from_tenths(baseline));
        case
    }

    fn period() -> Period {
        Period {
            from: day(2026, 9, 1),
            to: day(2026, 12, 16),
        }
    }

    #[test]
    fn attendance_during_placements_is_compared_with_the_baseline_per_school_and_overall() {
        let b = placement();
        let case = with_baseline(b.case().clone(), 700);
        let stats = compute(&[case], b.partnership(), period(), None);
        let overall = &stats.totals.attendance;
        assert_eq!(overall.placements, 1);
        assert_eq!(overall.during, Some(90.0));
        assert_eq!(overall.baseline, Some(70.0));
        assert_eq!(overall.weeks_reported, 3);
        assert_eq!(overall.weeks_missing, 1, "the week of 7 December");
        // Midpoint due Tue 15 Dec, held Wed 16 Dec.
        assert_eq!(overall.reviews_held_late, 1);
        let hillcrest = &stats.schools[&school(DESTINATION)].attendance;
        assert_eq!(hillcrest.during, Some(90.0));
        assert_eq!(hillcrest.weeks_missing, 1);
        let riverside = &stats.schools[&school(HOME)].attendance;
        assert_eq!(riverside.placements, 0, "riverside received no placement");
        assert_eq!(
            riverside.reviews_held_late, 1,
            "but the late review was in its case"
        );
        let summary = stats.summary(b.partnership());
        assert!(
            summary.contains("Attendance during placements: attendance 90.0% in 1 placement(s) (last term: 70.0%, 1 given); 3 weekly report(s), 1 missing; 1 review(s) held late."),
            "{summary}"
        );
    }

    #[test]
    fn a_head_sees_only_their_school_attendance_figures() {
        let b = placement();
        let stats = compute(
            &[b.case().clone()],
            b.partnership(),
            period(),
            Some(&[school(UNINVOLVED)]),
        );
        assert_eq!(stats.totals.attendance.placements, 0);
        assert_eq!(stats.schools.len(), 1);
    }

    /// Writes the README's sample charts when `MM_WRITE_SAMPLES` is set; otherwise checks
    /// they draw.
    #[test]
    fn the_attendance_charts_draw() {
        let b = placement();
        let case = with_baseline(b.case().clone(), 825);
        let one = render_attendance_png(&case, b.partnership()).unwrap();
        let stats = compute(std::slice::from_ref(&case), b.partnership(), period(), None);
        let all = render_png(&stats, b.partnership()).unwrap();
        assert!(one.starts_with(b"\x89PNG") && all.starts_with(b"\x89PNG"));
        if std::env::var_os("MM_WRITE_SAMPLES").is_some() {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/samples");
            std::fs::write(format!("{dir}/attendance-chart.png"), one).unwrap();
        }
    }
}
