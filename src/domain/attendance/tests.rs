//! Weekly attendance: school weeks of the placement and their due days (bank holidays,
//! holidays, clock changes), the figures' checks, corrections, the threshold and its runs.

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::reminders::{plan, ReminderKind, ReminderSettings};
use crate::domain::testkit::*;
use crate::domain::{Action, RefusalKind};

fn report(possible: u16, attended: u16) -> AttendanceReport {
    AttendanceReport {
        possible,
        attended,
        authorised: possible.saturating_sub(attended),
        unauthorised: 0,
        late: 0,
        incidents: 0,
        suspensions: 0,
        note: None,
    }
}

fn record(week: NaiveDate, possible: u16, attended: u16) -> Action {
    Action::RecordAttendance {
        week,
        report: report(possible, attended),
    }
}

fn at(year: i32, month: u32, d: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, d, hour, 0, 0).unwrap()
}

/// Active from Tuesday 24 November 2026 for six weeks (final review Tue 5 January).
fn active() -> CaseBuilder {
    CaseBuilder::new().propose().accepted().agreed().active()
}

/// Active from Monday 1 March 2027 for six weeks: Good Friday (26 March) ends the term.
fn active_in_spring() -> CaseBuilder {
    CaseBuilder::new()
        .at(at(2027, 3, 1, 10))
        .propose()
        .accepted()
        .agreed()
        .active()
}

fn staff() -> crate::domain::Actor {
    staff_of(DESTINATION)
}

#[test]
fn placement_weeks_skip_the_christmas_holiday_and_end_with_the_final_review() {
    let b = active();
    let weeks = placement_weeks(b.case(), b.partnership());
    let mondays: Vec<_> = weeks.iter().map(|w| w.monday).collect();
    assert_eq!(
        mondays,
        vec![
            day(2026, 11, 23),
            day(2026, 11, 30),
            day(2026, 12, 7),
            day(2026, 12, 14),
            day(2027, 1, 4),
        ]
    );
    // The first week starts on the Tuesday the move started; the last holds only the
    // final review, as 4 January is a closure day.
    assert_eq!(weeks[0].first_day, day(2026, 11, 24));
    assert_eq!(weeks[0].due, day(2026, 11, 27));
    assert_eq!(weeks[4].first_day, day(2027, 1, 5));
    assert_eq!(weeks[4].due, day(2027, 1, 5));
}

#[test]
fn a_report_is_due_on_thursday_when_friday_is_a_bank_holiday() {
    let b = active_in_spring();
    let week = placement_weeks(b.case(), b.partnership())
        .into_iter()
        .find(|w| w.monday == day(2027, 3, 22))
        .expect("the week of 22 March");
    assert_eq!(week.due, day(2027, 3, 25), "Good Friday is a bank holiday");
}

#[test]
fn a_missing_report_is_reminded_as_an_overdue_step_across_a_clock_change() {
    let b = active_in_spring();
    let reminders = plan(b.case(), b.partnership(), &ReminderSettings::default());
    let due = reminders
        .iter()
        .find(|r| r.key == "overdue_attendance_2027-03-22")
        .expect("a reminder for the week of 22 March");
    assert_eq!(due.kind, ReminderKind::StepOverdue);
    // The report is due the school day after Thursday 25 March (Good Friday): after the
    // Easter holiday, Monday 12 April; overdue two school days later, in British Summer
    // Time: 08:00 in London is 07:00 UTC.
    assert_eq!(due.about, day(2027, 4, 12));
    assert_eq!(due.due_at, at(2027, 4, 14, 7));
    assert_eq!(
        ReminderKind::of_key(&due.key),
        Some(ReminderKind::StepOverdue)
    );
    assert!(
        !reminders
            .iter()
            .any(|r| r.kind == ReminderKind::AttendanceDue),
        "the per-week reminder is the rule's now"
    );
}

#[test]
fn a_reported_week_has_no_reminder() {
    let b = active().at(at(2026, 11, 27, 15));
    let b = b.act(&staff(), record(day(2026, 11, 27), 8, 8));
    let reminders = plan(b.case(), b.partnership(), &ReminderSettings::default());
    assert!(!reminders
        .iter()
        .any(|r| r.key.ends_with("attendance_2026-11-23")));
    assert!(reminders
        .iter()
        .any(|r| r.key == "overdue_attendance_2026-11-30"));
}

#[test]
fn a_week_is_reported_by_any_day_of_it_and_named_by_its_monday() {
    let b = active().at(at(2026, 11, 27, 15));
    let b = b.act(&staff(), record(day(2026, 11, 26), 8, 7));
    let week = &b.case().attendance[&day(2026, 11, 23)];
    assert_eq!(week.report.percent(), Percent::from_tenths(875));
    assert!(week.corrected.is_none());
}

#[test]
fn a_second_report_for_the_same_week_is_a_correction_event() {
    let b = active().at(at(2026, 11, 27, 15));
    let b = b.act(&staff(), record(day(2026, 11, 24), 8, 7));
    let events = b
        .try_act(&staff(), &record(day(2026, 11, 27), 8, 8))
        .unwrap();
    assert!(matches!(
        events.as_slice(),
        [crate::domain::EventKind::AttendanceCorrected { week, .. }] if *week == day(2026, 11, 23)
    ));
    let b = b.act(&staff(), record(day(2026, 11, 27), 8, 8));
    let week = &b.case().attendance[&day(2026, 11, 23)];
    assert_eq!(week.report.attended, 8);
    assert!(week.corrected.is_some());
    // The same figures again change nothing.
    let same = b
        .try_act(&staff(), &record(day(2026, 11, 27), 8, 8))
        .unwrap_err();
    assert_eq!(same.kind, RefusalKind::WrongState);
}

#[test]
fn a_week_outside_the_placement_is_refused() {
    let b = active().at(at(2027, 1, 5, 15));
    for outside in [day(2026, 11, 16), day(2026, 12, 22), day(2027, 1, 11)] {
        let refusal = b.try_act(&staff(), &record(outside, 8, 8)).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::InvalidInput, "{outside}");
        assert_eq!(refusal.field.as_deref(), Some("week"));
    }
}

#[test]
fn a_week_not_yet_started_is_refused() {
    let b = active().at(at(2026, 11, 27, 15));
    let refusal = b
        .try_act(&staff(), &record(day(2026, 12, 1), 8, 8))
        .unwrap_err();
    assert_eq!(refusal.field.as_deref(), Some("week"));
}

#[test]
fn a_week_starts_by_the_local_date_not_the_utc_one() {
    // 23:30 UTC on Sunday 11 April 2027 is 00:30 on Monday 12 April in London (BST).
    let b = active_in_spring().at(Utc.with_ymd_and_hms(2027, 4, 11, 23, 30, 0).unwrap());
    assert!(b.try_act(&staff(), &record(day(2027, 4, 12), 2, 2)).is_ok());
}

#[test]
fn attended_plus_absences_over_possible_is_refused() {
    let b = active().at(at(2026, 11, 27, 15));
    let mut over = report(8, 6);
    over.unauthorised = 1;
    over.authorised = 2;
    let refusal = b
        .try_act(
            &staff(),
            &Action::RecordAttendance {
                week: day(2026, 11, 24),
                report: over,
            },
        )
        .unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::InvalidInput);
    assert!(refusal.message().contains("(9)"), "{}", refusal.message());
    assert!(report(8, 9).check().is_err());
    assert!(report(0, 0).check().is_err());
    assert!(report(11, 10).check().is_err());
}

#[test]
fn negative_numbers_are_refused_when_typed() {
    let input = AttendanceInput {
        possible: 10,
        attended: 8,
        unauthorised: Some(-2),
        ..AttendanceInput::default()
    };
    let refusal = input.parse().unwrap_err();
    assert_eq!(refusal.field.as_deref(), Some("unauthorised"));
    assert!(refusal.message().contains("negative"));
    let good = AttendanceInput {
        possible: 10,
        attended: 8,
        authorised: Some(2),
        ..AttendanceInput::default()
    };
    assert_eq!(good.parse().unwrap().percent(), Percent::from_tenths(800));
}

#[test]
fn only_the_destination_reports_attendance() {
    let b = active().at(at(2026, 11, 27, 15));
    let action = record(day(2026, 11, 24), 8, 8);
    assert!(b.try_act(&head_of(DESTINATION), &action).is_ok());
    assert!(b.try_act(&staff_of(DESTINATION), &action).is_ok());
    for who in [head_of(HOME), staff_of(HOME), coordinator()] {
        let refusal = b.try_act(&who, &action).unwrap_err();
        assert_eq!(refusal.kind, RefusalKind::NotPermitted);
    }
}

#[test]
fn attendance_is_refused_before_the_move_starts() {
    let b = CaseBuilder::new().propose().accepted().agreed();
    let refusal = b
        .try_act(&staff(), &record(day(2026, 11, 24), 8, 8))
        .unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::WrongState);
}

#[test]
fn a_week_at_the_threshold_counts_as_low() {
    let threshold = Percent::from_tenths(900);
    assert!(is_low(&report(10, 9), threshold));
    assert!(!is_low(&report(10, 10), threshold));
    assert!(is_low(&report(8, 7), threshold));
}

#[test]
fn two_low_weeks_in_a_row_remind_the_heads_to_bring_a_review_forward() {
    let b = active()
        .at(at(2026, 11, 27, 15))
        .act(&staff(), record(day(2026, 11, 27), 8, 6))
        .at(at(2026, 12, 4, 15))
        .act(&staff(), record(day(2026, 12, 4), 10, 9));
    let (case, p) = (b.case(), b.partnership());
    assert_eq!(
        low_runs(case, p, p.policy.attendance_threshold()),
        vec![day(2026, 11, 30)]
    );
    let low = plan(case, p, &ReminderSettings::default())
        .into_iter()
        .find(|r| r.kind == ReminderKind::AttendanceLow)
        .expect("a reminder to bring a review forward");
    assert_eq!(low.key, "attendance_low_2026-11-30");
    // Reported on Friday 4 December; the reminder goes out on Monday 7 December.
    assert_eq!(low.due_at, at(2026, 12, 7, 8));
}

#[test]
fn one_low_week_between_good_ones_is_flagged_but_not_a_run() {
    let b = active()
        .at(at(2026, 11, 27, 15))
        .act(&staff(), record(day(2026, 11, 27), 8, 8))
        .at(at(2026, 12, 4, 15))
        .act(&staff(), record(day(2026, 12, 4), 10, 7));
    let (case, p) = (b.case(), b.partnership());
    let threshold = p.policy.attendance_threshold();
    assert_eq!(latest_low(case, threshold), Some(day(2026, 11, 30)));
    assert!(low_runs(case, p, threshold).is_empty());
    assert_eq!(overall(&case.attendance), Some(Percent::of(15, 18)));
}

#[test]
fn a_stricter_threshold_from_policy_flags_more_weeks() {
    let b = active()
        .with_policy(|p| p.attendance_threshold = 95.0)
        .at(at(2026, 11, 27, 15))
        .act(&staff(), record(day(2026, 11, 27), 10, 9));
    let p = b.partnership();
    assert_eq!(p.policy.attendance_threshold(), Percent::from_tenths(950));
    assert!(latest_low(b.case(), p.policy.attendance_threshold()).is_some());
}

#[test]
fn missing_reports_are_the_weeks_past_their_due_day() {
    let b = active()
        .at(at(2026, 12, 8, 10))
        .act(&staff(), record(day(2026, 11, 27), 8, 8));
    let missing: Vec<_> = missing_reports(b.case(), b.partnership(), b.today())
        .into_iter()
        .map(|w| w.monday)
        .collect();
    assert_eq!(missing, vec![day(2026, 11, 30)]);
}

#[test]
fn percentages_round_to_one_decimal_place() {
    assert_eq!(Percent::of(2, 3).to_string(), "66.7%");
    assert_eq!(
        Percent::parse("baseline", 82.5).unwrap().to_string(),
        "82.5%"
    );
    assert!(Percent::parse("baseline", 101.0).is_err());
    assert!(Percent::parse("baseline", -1.0).is_err());
}

#[test]
fn a_threshold_outside_0_to_100_is_a_config_problem() {
    let p = partnership_with(|p| p.attendance_threshold = 120.0);
    assert!(p
        .policy
        .problems()
        .iter()
        .any(|problem| problem.starts_with("policy.attendance_threshold")));
    assert!(partnership().policy.problems().is_empty());
    assert_eq!(
        partnership().policy.attendance_threshold(),
        Percent::from_tenths(900)
    );
}
