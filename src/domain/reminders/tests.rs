//! Planning reminders: local times across the clock changes, bank holidays and half-term,
//! check-ins already logged, snoozes, and closed cases.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::*;
use crate::domain::calendar::SchoolCalendar;
use crate::domain::testkit::{proposal, terms, text};
use crate::domain::{Action, Actor, Capacity, CaseRef, Event, EventKind, SchoolKey, UserId};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

/// The example partnership (its terms and half-terms), or with no terms at all.
fn partnership(with_terms: bool) -> Partnership {
    let mut p = crate::domain::testkit::partnership().clone();
    if !with_terms {
        p.calendar = SchoolCalendar::default();
    }
    p
}

fn ev(at: DateTime<Utc>, kind: EventKind) -> Event {
    Event {
        by: UserId(1),
        at,
        kind,
    }
}

/// A case proposed on `proposed` (10:00 UTC) and nothing else yet.
fn proposed(proposed: NaiveDate) -> Vec<Event> {
    let at = proposed.and_hms_opt(10, 0, 0).unwrap().and_utc();
    vec![ev(at, EventKind::Proposed(proposal()))]
}

/// Accepted and agreed with the given review dates, then started on `start`.
fn active(p: &Partnership, start: NaiveDate, weeks: u8) -> Vec<Event> {
    let before = start - chrono::Days::new(14);
    let at = before.and_hms_opt(10, 0, 0).unwrap().and_utc();
    let (midpoint_review, final_review) = p.review_dates(start, weeks);
    let mut events = proposed(before);
    events.push(ev(at, EventKind::Accepted));
    events.push(ev(
        at,
        EventKind::AgreementRecorded {
            terms: terms(start, weeks),
            midpoint_review,
            final_review,
            signed_for: SchoolKey::parse("riverside").unwrap(),
        },
    ));
    events.push(ev(at, EventKind::MoveStarted { on: start }));
    events
}

fn case(events: &[Event]) -> Case {
    Case::from_events(CaseRef::new(2026, 1), events).unwrap()
}

fn due(plan: &[PlannedReminder], key: &str) -> Option<DateTime<Utc>> {
    plan.iter().find(|r| r.key == key).map(|r| r.due_at)
}

fn settings() -> ReminderSettings {
    ReminderSettings::default()
}

#[test]
fn reminders_are_at_eight_local_time_either_side_of_the_spring_clock_change() {
    let p = partnership(false);
    let mut events = active(&p, d(2026, 2, 2), 12);
    // Move the reviews either side of Sunday 29 March 2026, when the clocks go forward.
    for (review, on) in [
        (ReviewKind::Midpoint, d(2026, 3, 27)),
        (ReviewKind::Final, d(2026, 3, 30)),
    ] {
        let reason = text("Moved for the test.");
        events.push(ev(
            utc(2026, 3, 2, 9, 0),
            EventKind::ReviewRescheduled { review, on, reason },
        ));
    }
    let plan = plan(&case(&events), &p, &settings());
    assert_eq!(
        due(&plan, "midpoint_review"),
        Some(utc(2026, 3, 27, 8, 0)),
        "GMT"
    );
    assert_eq!(
        due(&plan, "final_review"),
        Some(utc(2026, 3, 30, 7, 0)),
        "BST"
    );
    // Five school days' notice: Friday 20 and Monday 23 March, both still GMT.
    assert_eq!(
        due(&plan, "midpoint_review_notice"),
        Some(utc(2026, 3, 20, 8, 0))
    );
    assert_eq!(
        due(&plan, "final_review_notice"),
        Some(utc(2026, 3, 23, 8, 0))
    );
}

#[test]
fn the_day_before_a_monday_meeting_is_the_friday_across_the_autumn_clock_change() {
    let p = partnership(false);
    let mut events = proposed(d(2026, 10, 12));
    let at = utc(2026, 10, 13, 9, 0);
    events.push(ev(at, EventKind::Accepted));
    // Monday 26 October 2026, 10:00 GMT (clocks went back on Sunday 25th).
    let meeting = utc(2026, 10, 26, 10, 0);
    events.push(ev(
        at,
        EventKind::MeetingScheduled {
            at: meeting,
            place: None,
        },
    ));
    let plan = plan(&case(&events), &p, &settings());
    assert_eq!(
        due(&plan, "meeting_day_before"),
        Some(utc(2026, 10, 23, 7, 0)),
        "08:00 BST"
    );
    assert_eq!(
        due(&plan, "meeting_today"),
        Some(utc(2026, 10, 26, 8, 0)),
        "08:00 GMT"
    );
}

#[test]
fn an_early_meeting_is_reminded_an_hour_before_it_starts() {
    let p = partnership(false);
    let mut events = proposed(d(2026, 11, 2));
    let at = utc(2026, 11, 3, 9, 0);
    events.push(ev(at, EventKind::Accepted));
    let meeting = utc(2026, 11, 10, 8, 30);
    events.push(ev(
        at,
        EventKind::MeetingScheduled {
            at: meeting,
            place: None,
        },
    ));
    let plan = plan(&case(&events), &p, &settings());
    assert_eq!(due(&plan, "meeting_today"), Some(utc(2026, 11, 10, 7, 30)));
}

#[test]
fn reviews_on_bank_holidays_are_reminded_on_the_next_school_day() {
    let p = partnership(false);
    // 6 weeks from Monday 13 April 2026: midpoint Mon 4 May and final Mon 25 May are both
    // bank holidays, so the agreement holds the Tuesdays after them.
    let events = active(&p, d(2026, 4, 13), 6);
    let c = case(&events);
    let agreement = c.agreement.as_ref().unwrap();
    assert_eq!(agreement.midpoint_review, d(2026, 5, 5));
    assert_eq!(agreement.final_review, d(2026, 5, 26));
    let plan = plan(&c, &p, &settings());
    assert_eq!(due(&plan, "midpoint_review"), Some(utc(2026, 5, 5, 7, 0)));
    assert_eq!(due(&plan, "final_review"), Some(utc(2026, 5, 26, 7, 0)));
}

#[test]
fn a_review_in_half_term_is_reminded_on_the_first_day_back() {
    let p = partnership(true);
    // 6 weeks from Monday 14 September 2026 ends on Monday 26 October: half-term.
    let c = case(&active(&p, d(2026, 9, 14), 6));
    assert_eq!(c.agreement.as_ref().unwrap().final_review, d(2026, 11, 2));
    let plan = plan(&c, &p, &settings());
    assert_eq!(due(&plan, "final_review"), Some(utc(2026, 11, 2, 8, 0)));
    // Check-ins every five school days never fall in the holiday.
    for r in plan.iter().filter(|r| r.kind == ReminderKind::CheckIn) {
        assert!(
            p.calendar.is_school_day(r.about),
            "{} on {}",
            r.key,
            r.about
        );
    }
    // The placement ends Sunday 25 October; the outcome nudge waits for the day after the review.
    assert_eq!(due(&plan, "end_date"), Some(utc(2026, 11, 3, 8, 0)));
}

#[test]
fn a_check_in_already_logged_in_a_period_needs_no_reminder() {
    let p = partnership(false);
    let mut events = active(&p, d(2026, 1, 5), 6);
    let before = plan(&case(&events), &p, &settings());
    assert_eq!(due(&before, "check_in_1"), Some(utc(2026, 1, 12, 8, 0)));
    assert!(due(&before, "check_in_2").is_some());
    let note = text("Fine.");
    events.push(ev(
        utc(2026, 1, 9, 15, 0),
        EventKind::CheckInLogged {
            on: d(2026, 1, 9),
            note,
        },
    ));
    let after = plan(&case(&events), &p, &settings());
    assert_eq!(due(&after, "check_in_1"), None);
    assert_eq!(due(&after, "check_in_2"), due(&before, "check_in_2"));
}

#[test]
fn a_snooze_delays_a_reminder_but_never_brings_it_forward() {
    let p = partnership(false);
    let mut events = active(&p, d(2026, 1, 5), 6);
    let original = due(&plan(&case(&events), &p, &settings()), "midpoint_review").unwrap();
    let snooze = |key: &str, until| EventKind::ReminderSnoozed {
        key: key.into(),
        until,
        reason: text("Head away."),
    };
    // Saturday 31 January -> Monday 2 February, 08:00.
    events.push(ev(
        utc(2026, 1, 20, 9, 0),
        snooze("midpoint_review", d(2026, 1, 31)),
    ));
    events.push(ev(
        utc(2026, 1, 20, 9, 0),
        snooze("final_review", d(2026, 1, 21)),
    ));
    let c = case(&events);
    let plan = plan(&c, &p, &settings());
    assert!(original < utc(2026, 2, 2, 8, 0));
    assert_eq!(due(&plan, "midpoint_review"), Some(utc(2026, 2, 2, 8, 0)));
    assert!(due(&plan, "final_review").unwrap() > utc(2026, 2, 2, 8, 0));
}

#[test]
fn a_closed_case_has_no_reminders() {
    let p = partnership(false);
    let mut events = active(&p, d(2026, 1, 5), 6);
    assert!(!plan(&case(&events), &p, &settings()).is_empty());
    let reason = text("Serious breach.");
    events.push(ev(utc(2026, 1, 20, 9, 0), EventKind::Terminated { reason }));
    // Only the follow-up one term on remains, an owed step: overdue, then escalated.
    let left: Vec<_> = plan(&case(&events), &p, &settings())
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(left, ["overdue_follow_up", "escalated_follow_up"]);
    events.push(ev(
        utc(2026, 5, 20, 9, 0),
        EventKind::FollowUpRecorded {
            school: SchoolKey::parse("riverside").unwrap(),
            on_roll: true,
            attendance: crate::domain::attendance::Percent::from_tenths(950),
            suspensions: 0,
            note: None,
        },
    ));
    assert!(plan(&case(&events), &p, &settings()).is_empty());
}

#[test]
fn an_unanswered_proposal_reminds_the_destination_head_once_overdue() {
    let p = partnership(true);
    // Thursday 26 November 2026 + 3 school days = Tuesday 1 December, the answer's due
    // day; two school days later, Thursday 3 December, the head is reminded; two more,
    // Monday 7 December, the coordinators.
    let plan = plan(&case(&proposed(d(2026, 11, 26))), &p, &settings());
    let keys: Vec<&str> = plan.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["overdue_answer_proposal", "escalated_answer_proposal"]
    );
    assert_eq!(plan[0].recipients, Recipients::DestinationHead);
    assert_eq!(plan[0].about, d(2026, 12, 1));
    assert_eq!(plan[0].due_at, utc(2026, 12, 3, 8, 0));
    assert_eq!(plan[1].recipients, Recipients::Coordinators);
    assert_eq!(plan[1].due_at, utc(2026, 12, 7, 8, 0));
}

#[test]
fn every_planned_key_names_its_kind() {
    let p = partnership(false);
    let plan = plan(&case(&active(&p, d(2026, 1, 5), 12)), &p, &settings());
    assert!(
        plan.iter().any(|r| r.key == "checklist_at_start"),
        "nothing rated yet"
    );
    for r in &plan {
        assert_eq!(ReminderKind::of_key(&r.key), Some(r.kind), "{}", r.key);
        assert!(r.kind.applies_in(CaseState::Active));
    }
    assert_eq!(ReminderKind::of_key("check_in_"), None);
    assert_eq!(ReminderKind::of_key("digest"), None);
}

fn head_of_home() -> Actor {
    Actor {
        user: UserId(7),
        capacities: vec![Capacity::Head(SchoolKey::parse("riverside").unwrap())],
    }
}

#[test]
fn snoozing_is_recorded_as_an_event_and_checked() {
    let p = partnership(false);
    let c = case(&active(&p, d(2026, 1, 5), 6));
    let ctx = crate::domain::Context {
        partnership: &p,
        now: utc(2026, 1, 20, 9, 0),
    };
    let snooze = |key: &str, until| Action::SnoozeReminder {
        key: key.into(),
        until,
        reason: text("Head away that week."),
    };
    let ok = crate::domain::decide(
        &c,
        &head_of_home(),
        &snooze("final_review", d(2026, 1, 23)),
        &ctx,
    );
    assert!(matches!(ok.unwrap()[0], EventKind::ReminderSnoozed { .. }));
    for (key, until) in [
        ("proposal_nudge", d(2026, 1, 23)),
        ("no_such_reminder", d(2026, 1, 23)),
        ("final_review", d(2026, 1, 20)),
        ("final_review", d(2026, 6, 1)),
    ] {
        let refused = crate::domain::decide(&c, &head_of_home(), &snooze(key, until), &ctx);
        assert!(refused.is_err(), "{key} until {until}");
    }
    let staff = Actor {
        user: UserId(8),
        capacities: vec![Capacity::Staff(SchoolKey::parse("riverside").unwrap())],
    };
    let refused = crate::domain::decide(&c, &staff, &snooze("final_review", d(2026, 1, 23)), &ctx);
    assert!(refused.is_err(), "staff make no scheduling decisions");
}

/// A move in an exam year accepted on `on` (10:00 UTC), waiting for the extra approval.
fn waiting_for_approval(on: NaiveDate, by: crate::domain::approvals::Approver) -> Vec<Event> {
    let at = on.and_hms_opt(10, 0, 0).unwrap().and_utc();
    let mut events = proposed(on);
    events.push(ev(at, EventKind::Accepted));
    events.push(ev(at, EventKind::ExtraApprovalAsked { by }));
    events
}

#[test]
fn the_extra_approval_is_reminded_once_overdue_across_half_term_and_bank_holidays() {
    use crate::domain::approvals::Approver;
    let p = partnership(true);
    // Accepted on Friday 23 October 2026, the last day before half-term: due on the third
    // school day after it, Wednesday 4 November (half-term week and the weekend skipped);
    // overdue two school days later, Friday 6 November, in the coordinators' channel.
    let plan = super::plan(
        &case(&waiting_for_approval(
            d(2026, 10, 23),
            Approver::Coordinator,
        )),
        &p,
        &settings(),
    );
    let nudge = plan
        .iter()
        .find(|r| r.key == "overdue_extra_approval")
        .expect("planned");
    assert_eq!(nudge.about, d(2026, 11, 4));
    assert_eq!(nudge.due_at, utc(2026, 11, 6, 8, 0));
    assert_eq!(nudge.recipients, Recipients::Coordinators);
    // Accepted on Thursday 17 December: Friday 18th is the first school day after it; the
    // holidays, New Year's Day and the closure day on Monday 4 January are skipped; due on
    // Wednesday 6 January, the third; the panel is reminded on Friday 8 January.
    let plan = super::plan(
        &case(&waiting_for_approval(d(2026, 12, 17), Approver::Seip)),
        &p,
        &settings(),
    );
    let nudge = plan
        .iter()
        .find(|r| r.key == "overdue_extra_approval")
        .unwrap();
    assert_eq!(nudge.about, d(2027, 1, 6));
    assert_eq!(p.today(nudge.due_at), d(2027, 1, 8));
    assert_eq!(nudge.recipients, Recipients::Panel);
    // Once approved, no reminder.
    let mut approved = waiting_for_approval(d(2026, 10, 23), Approver::Coordinator);
    approved.push(ev(
        utc(2026, 11, 2, 10, 0),
        EventKind::ExtraApprovalDecided {
            approved: true,
            by_role: Approver::Coordinator,
            reason: None,
        },
    ));
    assert_eq!(
        due(
            &super::plan(&case(&approved), &p, &settings()),
            "overdue_extra_approval"
        ),
        None
    );
}
