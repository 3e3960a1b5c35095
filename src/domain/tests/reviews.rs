//! The timeline (DOMAIN.md, "Timeline"): review dates for several lengths, moved onto school
//! days; school-week counting; check-ins and reviews while the move is active.

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::policy::WeekCounting;
use crate::domain::testkit::*;
use crate::domain::{Action, CaseState, RefusalKind, ReviewKind};

fn at(year: i32, month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, d, 10, 0, 0).unwrap()
}

/// (midpoint, final) as recorded in the agreement of a case agreed at `start` for `weeks`.
fn agreed_review_dates(builder: CaseBuilder, weeks: u8) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let case = builder.weeks(weeks).propose().accepted().agreed().build();
    let agreement = case.agreement.expect("an agreement");
    assert_eq!(agreement.terms.weeks, weeks);
    (agreement.midpoint_review, agreement.final_review)
}

#[test]
fn reviews_fall_halfway_and_at_the_end_of_a_six_week_move() {
    // Tuesday 24 November 2026 + 3 and + 6 weeks; 5 January 2027 is the first day of term.
    assert_eq!(
        agreed_review_dates(CaseBuilder::new(), 6),
        (day(2026, 12, 15), day(2027, 1, 5))
    );
}

#[test]
fn a_midpoint_in_the_christmas_holiday_moves_to_the_first_school_day_of_term() {
    // Midpoint 22 December is in the holiday; 1 January is a bank holiday and 4 January a
    // closure day, so the review is on Tuesday 5 January.
    assert_eq!(
        agreed_review_dates(CaseBuilder::new(), 8),
        (day(2027, 1, 5), day(2027, 1, 19))
    );
}

#[test]
fn a_final_review_in_half_term_moves_to_the_monday_after() {
    // 12 weeks ends Tuesday 16 February 2027, in the February half-term.
    assert_eq!(
        agreed_review_dates(CaseBuilder::new(), 12),
        (day(2027, 1, 5), day(2027, 2, 22))
    );
}

#[test]
fn a_midpoint_on_a_bank_holiday_moves_to_the_next_school_day() {
    // From Monday 22 March 2027, 6 weeks is the early May bank holiday (Monday 3 May).
    let b = CaseBuilder::new().at(at(2027, 3, 22));
    assert_eq!(
        agreed_review_dates(b, 12),
        (day(2027, 5, 4), day(2027, 6, 14))
    );
}

#[test]
fn a_midpoint_in_october_half_term_moves_to_the_first_day_back() {
    // From Wednesday 7 October 2026, 3 weeks is Wednesday 28 October, in half-term.
    let b = CaseBuilder::new().at(at(2026, 10, 7));
    assert_eq!(
        agreed_review_dates(b, 6),
        (day(2026, 11, 2), day(2026, 11, 18))
    );
}

#[test]
fn counting_school_weeks_lets_holidays_not_use_up_the_placement() {
    let school = |b: CaseBuilder| b.with_policy(|p| p.week_counting = WeekCounting::School);
    // From Monday 5 October 2026: 15 and 30 school days, skipping October half-term.
    let from_october = CaseBuilder::new().at(at(2026, 10, 5));
    assert_eq!(
        agreed_review_dates(school(from_october.clone()), 6),
        (day(2026, 11, 2), day(2026, 11, 23))
    );
    // Counted in calendar weeks the same placement ends a week earlier.
    assert_eq!(
        agreed_review_dates(from_october, 6),
        (day(2026, 11, 2), day(2026, 11, 16))
    );
    // From 24 November: 20 and 40 school days, skipping Christmas and the closure day.
    assert_eq!(
        agreed_review_dates(school(CaseBuilder::new()), 8),
        (day(2027, 1, 6), day(2027, 2, 3))
    );
}

#[test]
fn the_review_point_is_a_policy() {
    let early = CaseBuilder::new().with_policy(|p| p.review_at = 0.25);
    assert_eq!(agreed_review_dates(early, 8).0, day(2026, 12, 8));
}

#[test]
fn review_dates_are_always_school_days() {
    let p = partnership();
    // Every start whose longest placement still ends inside the configured terms.
    let mut start = day(2026, 9, 3);
    while start <= day(2027, 4, 26) {
        for weeks in 1..=12 {
            let (mid, end) = p.review_dates(start, weeks);
            assert!(
                p.calendar.is_school_day(mid),
                "{start} + {weeks}w midpoint {mid}"
            );
            assert!(
                p.calendar.is_school_day(end),
                "{start} + {weeks}w final {end}"
            );
            assert!(
                start < mid && mid <= end,
                "{start} + {weeks}w: {mid}, {end}"
            );
        }
        start = start.succ_opt().unwrap();
    }
}

#[test]
fn a_rescheduled_review_on_a_bank_holiday_moves_to_the_next_school_day() {
    // A six-week move from late April: the midpoint falls in mid-May.
    let b = CaseBuilder::new()
        .at(at(2027, 4, 20))
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(
            &coordinator(),
            Action::RescheduleReview {
                review: ReviewKind::Midpoint,
                on: day(2027, 5, 3),
                reason: text("Parent away."),
            },
        );
    assert_eq!(
        b.case().agreement.as_ref().unwrap().midpoint_review,
        day(2027, 5, 4)
    );
    assert_eq!(b.case().next_due(), Some(day(2027, 5, 4)));
}

#[test]
fn a_review_cannot_be_rescheduled_before_the_move_starts_or_after_it_is_held() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let early = Action::RescheduleReview {
        review: ReviewKind::Final,
        on: day(2026, 11, 2),
        reason: text("Oops."),
    };
    let r = b.try_act(&coordinator(), &early).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("before the move starts"), "{r}");

    let b = b.reviewed(ReviewKind::Midpoint);
    let late = Action::RescheduleReview {
        review: ReviewKind::Midpoint,
        on: day(2027, 1, 12),
        reason: text("Late."),
    };
    let r = b.try_act(&coordinator(), &late).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already been held"), "{r}");
}

#[test]
fn a_rescheduled_review_keeps_the_timeline_in_order() {
    // Six weeks from Tuesday 24 November 2026: midpoint Tue 15 Dec, final Tue 5 Jan 2027.
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let move_to = |review, on| Action::RescheduleReview {
        review,
        on,
        reason: text("Availability."),
    };
    let refused = |action: Action, needle: &str| {
        let r = b.try_act(&coordinator(), &action).unwrap_err();
        assert_eq!(r.kind, RefusalKind::InvalidInput, "{r}");
        assert!(r.message().contains(needle), "{r}");
    };
    refused(
        move_to(ReviewKind::Midpoint, day(2027, 1, 5)),
        "must come before the final review (Tue 5 Jan 2027)",
    );
    refused(
        move_to(ReviewKind::Final, day(2026, 12, 14)),
        "must come after the midpoint review (Tue 15 Dec 2026)",
    );
    refused(
        move_to(ReviewKind::Final, day(2027, 2, 2)),
        "can't be after Tue 5 Jan 2027: the move was agreed for 6 weeks",
    );
    // Earlier is fine, and so is a midpoint moved a little later.
    let b = b
        .act(
            &coordinator(),
            move_to(ReviewKind::Final, day(2026, 12, 17)),
        )
        .act(
            &coordinator(),
            move_to(ReviewKind::Midpoint, day(2026, 12, 16)),
        );
    let agreement = b.case().agreement.clone().unwrap();
    assert_eq!(
        (agreement.midpoint_review, agreement.final_review),
        (day(2026, 12, 16), day(2026, 12, 17))
    );
    // Once the midpoint is held, the final review only has to follow the day it was held.
    let b = b.at(at(2026, 12, 16)).reviewed(ReviewKind::Midpoint);
    let r = b.try_act(
        &coordinator(),
        &move_to(ReviewKind::Final, day(2026, 12, 16)),
    );
    assert!(
        r.is_err(),
        "a final review on the day the midpoint was held"
    );
}

#[test]
fn reviews_are_rescheduled_only_once_there_is_an_agreement() {
    let b = CaseBuilder::proposed().accepted();
    let action = Action::RescheduleReview {
        review: ReviewKind::Final,
        on: day(2027, 1, 12),
        reason: text("Why not."),
    };
    let r = b.try_act(&coordinator(), &action).unwrap_err();
    assert!(r.message().contains("record the agreement first"), "{r}");
}

#[test]
fn the_next_date_due_is_the_midpoint_then_the_final_review() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    assert_eq!(b.case().next_due(), Some(day(2026, 12, 15)));
    let b = b.at(at(2026, 12, 15)).reviewed(ReviewKind::Midpoint);
    let final_review = b.case().agreement.as_ref().unwrap().final_review;
    assert_eq!(b.case().next_due(), Some(final_review));
    assert_eq!(
        b.returned().case().next_due(),
        None,
        "a closed case is due nothing"
    );
}

#[test]
fn a_review_is_recorded_once_it_has_happened() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let midpoint = |held_on| Action::RecordReview {
        review: ReviewKind::Midpoint,
        held_on,
        notes: text("Going well."),
    };
    let r = b
        .try_act(&staff_of(DESTINATION), &midpoint(day(2026, 12, 15)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("in the future"), "{r}");

    let b = b
        .at(at(2026, 12, 15))
        .act(&staff_of(DESTINATION), midpoint(day(2026, 12, 15)));
    let review = b.case().review(ReviewKind::Midpoint).unwrap();
    assert_eq!(
        (review.held_on, review.recorded.by),
        (day(2026, 12, 15), staff_of(DESTINATION).user)
    );

    let r = b
        .try_act(&head_of(HOME), &midpoint(day(2026, 12, 15)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already been recorded"), "{r}");
}

#[test]
fn reviews_and_check_ins_are_recorded_only_while_the_move_is_active() {
    let agreeing = CaseBuilder::proposed().accepted().agreed();
    let review = Action::RecordReview {
        review: ReviewKind::Midpoint,
        held_on: today(),
        notes: text("Hm."),
    };
    let check_in = Action::LogCheckIn {
        on: today(),
        note: text("Chat at lunch."),
    };
    for action in [review, check_in] {
        let r = agreeing.try_act(&head_of(HOME), &action).unwrap_err();
        assert_eq!(r.kind, RefusalKind::WrongState);
        assert!(r.message().contains("only while the move is active"), "{r}");
    }
}

#[test]
fn staff_log_check_ins_in_order() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let check_in = |on, note: &str| Action::LogCheckIn {
        on,
        note: text(note),
    };
    let b = b
        .at(at(2026, 11, 27))
        .act(
            &staff_of(DESTINATION),
            check_in(day(2026, 11, 26), "First week fine."),
        )
        .act(
            &staff_of(HOME),
            check_in(day(2026, 11, 27), "Called home, positive."),
        );
    let notes: Vec<&str> = b.case().check_ins.iter().map(|c| c.note.as_str()).collect();
    assert_eq!(notes, ["First week fine.", "Called home, positive."]);
    assert_eq!(b.case().state, CaseState::Active);
    let r = b
        .try_act(&staff_of(HOME), &check_in(day(2026, 11, 30), "Tomorrow."))
        .unwrap_err();
    assert!(r.message().contains("in the future"), "{r}");
}

#[test]
fn the_checklist_is_rated_from_acceptance_until_the_move_ends() {
    let item = partnership().checklist.items[3].key.clone();
    let rate = |rag| Action::RateChecklist {
        item: item.clone(),
        rag,
        comment: None,
    };
    let proposed = CaseBuilder::proposed();
    let r = proposed
        .try_act(&staff_of(HOME), &rate(crate::domain::checklist::Rag::Red))
        .unwrap_err();
    assert!(
        r.message()
            .contains("once the destination head has accepted"),
        "{r}"
    );

    let b = CaseBuilder::proposed()
        .accepted()
        .act(
            &staff_of(DESTINATION),
            rate(crate::domain::checklist::Rag::Red),
        )
        .agreed()
        .active()
        .act(&staff_of(HOME), rate(crate::domain::checklist::Rag::Green));
    let rating = &b.case().checklist[&item];
    assert_eq!(
        rating.rag,
        crate::domain::checklist::Rag::Green,
        "the latest rating stands"
    );
    assert_eq!(rating.rated.by, staff_of(HOME).user);
    let progress = partnership().checklist.progress(&b.case().checklist);
    assert_eq!((progress.green, progress.unrated), (1, 15));
}
