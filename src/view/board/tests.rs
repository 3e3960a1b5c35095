//! The board's sections: each case once, under the first section it matches (waiting on
//! a decision whatever its date), most urgent first, with counts for the footer.

use chrono::{Days, NaiveDate};

use super::{allotment, board, line, sections, totals};
use crate::domain::testkit::*;
use crate::domain::urgency::Section;
use crate::domain::{Case, CaseRef};

/// An active placement whose next review is on `due`.
fn active_due(number: u32, due: NaiveDate) -> Case {
    let mut case = CaseBuilder::proposed().accepted().agreed().active().build();
    case.reference = CaseRef::new(2026, number);
    case.agreement.as_mut().unwrap().midpoint_review = due;
    assert_eq!(case.next_due(), Some(due));
    case
}

fn numbered(mut case: Case, number: u32) -> Case {
    case.reference = CaseRef::new(2026, number);
    case
}

/// Wed 2 Dec 2026: two overdue, two due by Friday, a transfer waiting on the panel with
/// a long-past date, an exam-year move waiting on its approval, one due next week and one
/// with no date yet.
fn every_section() -> (Vec<Case>, chrono::DateTime<chrono::Utc>) {
    let today = day(2026, 12, 2);
    let mut panel = CaseBuilder::proposed().transfer().accepted().build();
    panel.reference = CaseRef::new(2026, 5);
    panel.agreement = None;
    let cases = vec![
        active_due(1, today - Days::new(1)),
        active_due(2, today - Days::new(9)),
        active_due(3, day(2026, 12, 4)),
        active_due(4, today),
        panel,
        numbered(CaseBuilder::proposed().year(10).accepted().build(), 6),
        active_due(7, day(2026, 12, 7)),
        numbered(CaseBuilder::proposed().build(), 8),
        numbered(CaseBuilder::proposed().declined().build(), 9),
    ];
    let now = partnership().instant(today, chrono::NaiveTime::from_hms_opt(9, 41, 0).unwrap());
    (cases, now)
}

fn refs(lines: &[super::BoardLine]) -> Vec<u32> {
    lines.iter().map(|l| l.reference.number).collect()
}

#[test]
fn each_open_case_appears_once_under_its_section_most_urgent_first() {
    let (cases, now) = every_section();
    let p = partnership();
    let board = sections(&cases, totals(&cases, p, p.today(now)), p, now);
    let got: Vec<(Section, Vec<u32>)> = board
        .sections
        .iter()
        .map(|s| (s.section, refs(&s.lines)))
        .collect();
    assert_eq!(
        got,
        vec![
            (Section::Overdue, vec![2, 1]),
            (Section::ThisWeek, vec![4, 3]),
            (Section::Waiting, vec![5, 6]),
            (Section::Running, vec![7, 8]),
        ]
    );
    assert_eq!(board.open, 8, "the declined case is closed");
}

#[test]
fn the_footer_counts_each_section_and_the_open_cases_and_says_when_in_london_time() {
    let (cases, now) = every_section();
    let p = partnership();
    let mut totals = totals(&cases, p, p.today(now));
    // The store's counts may hold more than were loaded.
    totals[Section::Running.index()] += 40;
    let board = sections(&cases, totals, p, now);
    assert_eq!(
        board.counts_line(),
        "2 overdue · 2 this week · 2 waiting · 42 running · 48 open · updated 09:41 Wed 2 Dec"
    );
    assert_eq!(board.sections[3].more(2), 40);
}

#[test]
fn a_transfer_leaves_waiting_when_the_policy_needs_no_panel() {
    let (cases, now) = every_section();
    let mut p = partnership().clone();
    p.policy.transfer_needs_panel = false;
    let board = sections(&cases, totals(&cases, &p, p.today(now)), &p, now);
    assert_eq!(refs(&board.sections[2].lines), vec![6]);
    // No meeting yet: no date, so last among the cases running normally.
    assert_eq!(refs(&board.sections[3].lines), vec![7, 5, 8]);
}

#[test]
fn the_flat_board_keeps_the_sections_order() {
    let (cases, now) = every_section();
    let p = partnership();
    assert_eq!(
        refs(&board(&cases, p, p.today(now))),
        vec![2, 1, 4, 3, 5, 6, 7, 8]
    );
}

#[test]
fn lines_name_schools_by_name_and_keep_the_flags_and_stage() {
    let (cases, now) = every_section();
    let p = partnership();
    let text = line(&cases[0], p, p.today(now));
    assert!(text.starts_with("`MM-2026-0001` Riverside"), "{text}");
    assert!(
        !text.contains("riverside") && !text.contains("hillcrest"),
        "{text}"
    );
    assert!(text.contains("overdue since 1 Dec"), "{text}");
    let transferring = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .permanent()
        .build();
    let text = line(&transferring, p, p.today(now));
    assert!(
        text.contains("next: Hillcrest School: main registration"),
        "{text}"
    );
}

#[test]
fn room_is_shared_out_in_turns_so_every_section_shows_its_most_urgent() {
    assert_eq!(allotment([100, 100, 100, 100], 25), [7, 6, 6, 6]);
    assert_eq!(allotment([1, 0, 2, 500], 25), [1, 0, 2, 22]);
    assert_eq!(allotment([3, 1, 0, 0], 25), [3, 1, 0, 0]);
    assert_eq!(allotment([0; 4], 25), [0; 4]);
}
