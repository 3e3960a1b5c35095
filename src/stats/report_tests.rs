//! The termly report's figures and who sees which: counted by what fell in the term, small
//! numbers hidden in the public version, a head's totals withheld where they would give
//! away another school's small number.

use chrono::{TimeZone, Utc};

use super::report::compute;
use super::report_table::{table, Audience, COLUMNS};
use super::term;
use crate::domain::testkit::*;
use crate::domain::{Case, CaseRef, SchoolKey};

fn autumn() -> term::SchoolTerm {
    term::choose(&partnership().calendar, Some("autumn-2026"), today()).unwrap()
}

/// `n` copies of a case, each with its own reference, proposed by `home`.
fn copies(case: &Case, home: &str, n: u32, first: u32) -> Vec<Case> {
    (0..n)
        .map(|i| {
            let mut c = case.clone();
            c.reference = CaseRef::new(2026, first + i);
            c.home = school(home);
            c
        })
        .collect()
}

fn column(name: &str) -> usize {
    COLUMNS.iter().position(|(n, _)| *n == name).unwrap()
}

fn everyone() -> Audience {
    Audience {
        schools: None,
        public: false,
    }
}

#[test]
fn the_terms_figures_count_what_fell_in_the_term() {
    let started = CaseBuilder::proposed().accepted().agreed().active().build();
    let declined = CaseBuilder::proposed().declined().build();
    let cases = [started.clone(), declined];
    let report = compute(&cases, partnership(), autumn(), day(2026, 12, 2));
    assert_eq!(report.as_of, day(2026, 12, 2), "the term still runs");
    let riverside = &report.schools[&school(HOME)];
    let hillcrest = &report.schools[&school(DESTINATION)];
    assert_eq!((riverside.sent, riverside.received), (2, 0));
    assert_eq!((hillcrest.sent, hillcrest.received), (0, 2));
    assert_eq!((report.totals.sent, report.totals.received), (2, 2));
    assert_eq!(hillcrest.declined, 1);
    assert_eq!(report.totals.declined, 1, "each case once");
    assert_eq!(report.totals.started, 1);
    let days = partnership()
        .calendar
        .school_days_between(today(), started.started_on.unwrap());
    assert_eq!(report.totals.median_days_to_start(), Some(f64::from(days)));
    assert_eq!(report.schools[&school(UNINVOLVED)], Default::default());
    assert_eq!(report.flows[&(school(HOME), school(DESTINATION))], 2);

    // The spring term saw none of it.
    let spring = term::choose(&partnership().calendar, Some("spring-2027"), today()).unwrap();
    let later = compute(&cases, partnership(), spring, day(2027, 3, 1));
    assert_eq!(later.totals.sent, 0);
    assert_eq!(later.totals.declined, 0);
}

#[test]
fn the_median_time_to_start_is_the_middle_case() {
    let mut f = super::TermFigures::default();
    assert_eq!(f.median_days_to_start(), None);
    f.days_to_start = vec![9, 3, 5];
    assert_eq!(f.median_days_to_start(), Some(5.0));
    f.days_to_start.push(7);
    assert_eq!(f.median_days_to_start(), Some(6.0));
}

/// Six moves from Riverside and one from Oakfield, all to Hillcrest.
fn seven_moves() -> Vec<Case> {
    let case = CaseBuilder::proposed().build();
    let mut cases = copies(&case, HOME, 6, 1);
    cases.extend(copies(&case, UNINVOLVED, 1, 7));
    cases
}

#[test]
fn the_public_version_shows_counts_under_five_as_under_five() {
    // Two weeks on: Hillcrest's answers are overdue.
    let report = compute(&seven_moves(), partnership(), autumn(), day(2026, 12, 10));
    let public = Audience {
        schools: None,
        public: true,
    };
    let t = table(&report, &Default::default(), partnership(), &public);
    let row = |name: &str| {
        &t.schools
            .iter()
            .find(|(s, _)| s.starts_with(name))
            .unwrap()
            .1
    };
    let sent = column("sent");
    assert_eq!(row("Riverside")[sent], "6");
    assert_eq!(row("Oakfield")[sent], "<5");
    assert_eq!(row("Hillcrest")[sent], "0", "zero identifies nobody");
    assert_eq!(row("Hillcrest")[column("received")], "7");
    assert_eq!(row("Oakfield")[column("net_received")], "<5");
    // 7 - 6 would give Oakfield's 1 away: the total is rounded.
    let totals = t.totals.as_ref().unwrap();
    assert_eq!(totals[sent], "about 5");
    assert_eq!(
        totals[column("received")],
        "7",
        "no received count is hidden"
    );
    assert!(t.overdue_steps.is_empty(), "no case references in public");
    assert!(t.flows.iter().any(|(_, n)| n == "<5"), "{:?}", t.flows);
    let csv = t.csv();
    assert!(!csv.contains("MM-"), "{csv}");
    assert!(csv.contains("autumn-2026,Oakfield"), "{csv}");

    // The coordinators' version is exact and lists the overdue answers by case.
    let full = table(&report, &Default::default(), partnership(), &everyone());
    assert_eq!(full.totals.as_ref().unwrap()[sent], "7");
    assert_eq!(full.overdue_steps.len(), 7, "{:?}", full.overdue_steps);
    assert!(full.overdue_steps[0].contains("Hillcrest School head: answer the proposal"));
}

#[test]
fn a_head_sees_their_school_and_only_totals_that_hide_no_small_number() {
    let cases = seven_moves();
    let report = compute(&cases, partnership(), autumn(), today());
    let riverside: Vec<SchoolKey> = vec![school(HOME)];
    let elsewhere: Vec<Case> = cases
        .iter()
        .filter(|c| !c.involves(&riverside[0]))
        .cloned()
        .collect();
    let rest = compute(&elsewhere, partnership(), autumn(), today()).totals;
    let head = Audience {
        schools: Some(riverside),
        public: false,
    };
    let t = table(&report, &rest, partnership(), &head);
    assert_eq!(t.schools.len(), 1);
    assert_eq!(t.schools[0].0, "Riverside Academy");
    assert_eq!(t.scope, "Riverside Academy only");
    let totals = t.totals.as_ref().unwrap();
    assert_eq!(totals[column("sent")], "withheld", "Oakfield's one move");
    assert_eq!(totals[column("declined")], "0", "nothing elsewhere");
    assert!(
        t.overdue_by_owner.is_empty(),
        "Hillcrest owes the answers, not Riverside: {:?}",
        t.overdue_by_owner
    );
    assert!(t.overdue_steps.is_empty());

    // Five moves elsewhere: the total no longer gives a school's small number away.
    let case = CaseBuilder::proposed().build();
    let mut many = copies(&case, HOME, 6, 1);
    many.extend(copies(&case, UNINVOLVED, 5, 7));
    let report = compute(&many, partnership(), autumn(), today());
    let rest = compute(&many[6..], partnership(), autumn(), today()).totals;
    let t = table(&report, &rest, partnership(), &head);
    assert_eq!(t.totals.unwrap()[column("sent")], "11");
}

#[test]
fn attendance_counts_the_weeks_of_the_term_at_the_school_taking_the_pupil() {
    use crate::domain::attendance::AttendanceReport;
    use crate::domain::Action;
    let staff = staff_of(DESTINATION);
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .at(Utc.with_ymd_and_hms(2026, 12, 16, 10, 0, 0).unwrap());
    let monday = day(2026, 11, 30);
    let b = b.act(
        &staff,
        Action::RecordAttendance {
            week: monday,
            report: AttendanceReport::of_ten(9),
        },
    );
    let report = compute(&[b.build()], partnership(), autumn(), day(2026, 12, 18));
    let hillcrest = &report.schools[&school(DESTINATION)];
    assert_eq!(hillcrest.placements, 1);
    assert_eq!(hillcrest.attendance(), Some(90.0));
    assert!(hillcrest.weeks_missing >= 1, "other weeks went unreported");
    assert_eq!(report.schools[&school(HOME)].placements, 0);
    assert!(
        hillcrest.overdue_steps >= hillcrest.weeks_missing,
        "a missing week is an overdue step"
    );
}
