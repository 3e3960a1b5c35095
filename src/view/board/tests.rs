//! The board's sections: each case once, under the first section it matches (waiting on
//! a decision whatever its date), most urgent first, with counts for the footer.

use chrono::{Days, NaiveDate};

use super::{allotment, board, line, sections, totals};
use crate::domain::next_step::next_due;
use crate::domain::testkit::*;
use crate::domain::urgency::Section;
use crate::domain::{Action, Case, CaseRef};

/// An active placement, started Tue 24 Nov with the home school's code D recorded, whose
/// next review is on `due`: its first weekly report is due on Mon 30 Nov.
fn active_due(number: u32, due: NaiveDate) -> Case {
    let home = head_of(HOME);
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today(),
        la_notified: today(),
    };
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let mut case = b.act(&home, registered).build();
    case.reference = CaseRef::new(2026, number);
    case.agreement.as_mut().unwrap().midpoint_review = due;
    assert_eq!(
        next_due(&case, partnership()),
        Some(due.min(day(2026, 11, 30)))
    );
    case
}

fn numbered(mut case: Case, number: u32) -> Case {
    case.reference = CaseRef::new(2026, number);
    case
}

/// Thu 26 Nov 2026, by who owes the next step and by when: two overdue reviews, two due
/// by Friday and a proposal to answer by Friday, a transfer waiting on the panel, an
/// exam-year move waiting on its approval, and one due next week.
fn every_section() -> (Vec<Case>, chrono::DateTime<chrono::Utc>) {
    let today = day(2026, 11, 26);
    let mut panel = CaseBuilder::proposed().transfer().accepted().build();
    panel.reference = CaseRef::new(2026, 5);
    panel.agreement = None;
    let cases = vec![
        active_due(1, today - Days::new(1)),
        active_due(2, today - Days::new(2)),
        active_due(3, day(2026, 11, 27)),
        active_due(4, today),
        panel,
        numbered(CaseBuilder::proposed().year(10).accepted().build(), 6),
        active_due(7, day(2026, 11, 30)),
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
            (Section::ThisWeek, vec![4, 3, 8]),
            (Section::Waiting, vec![5, 6]),
            (Section::Running, vec![7]),
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
        "2 overdue · 3 this week · 2 waiting · 41 running · 48 open · updated 09:41 Thu 26 Nov"
    );
    assert_eq!(board.sections[3].more(1), 40);
}

#[test]
fn a_transfer_leaves_waiting_when_the_policy_needs_no_panel() {
    let (cases, now) = every_section();
    let mut p = partnership().clone();
    p.policy.transfer_needs_panel = false;
    let board = sections(&cases, totals(&cases, &p, p.today(now)), &p, now);
    assert_eq!(refs(&board.sections[2].lines), vec![6]);
    // Its meeting is owed within a school week of the acceptance: after the review of 7.
    assert_eq!(refs(&board.sections[3].lines), vec![7, 5]);
}

#[test]
fn the_flat_board_keeps_the_sections_order() {
    let (cases, now) = every_section();
    let p = partnership();
    assert_eq!(
        refs(&board(&cases, p, p.today(now))),
        vec![2, 1, 4, 3, 8, 5, 6, 7]
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
    assert!(
        text.contains(
            "**Hillcrest School: hold the midpoint review** · ⚠️ overdue since Wed 25 Nov"
        ),
        "{text}"
    );
    let transferring = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .permanent();
    let text = line(transferring.case(), p, transferring.today());
    assert!(
        text.contains("**Hillcrest School: register the pupil on the main roll**"),
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
