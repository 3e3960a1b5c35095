//! Reviews that mean something (DOMAIN.md, "Meetings and reviews: who was there"): review
//! dates follow the real start (clock changes included), the midpoint comes first, and the
//! final review falls in the placement's last school week (bank holidays included).

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::decide::last_school_week_starts;
use crate::domain::testkit::*;
use crate::domain::{Action, EventKind, RefusalKind, ReviewKind};

fn at(year: i32, month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, d, 10, 0, 0).unwrap()
}

fn final_on(held_on: chrono::NaiveDate) -> Action {
    Action::RecordReview {
        review: ReviewKind::Final,
        held_on,
        notes: text("Targets met."),
    }
}

#[test]
fn the_reviews_are_worked_out_again_when_the_move_starts_late() {
    // Agreed on Tuesday 24 November 2026 for 6 weeks from that day; started Monday 30th.
    let b = CaseBuilder::proposed().accepted().agreed();
    let home = head_of(HOME);
    let events = b
        .clone()
        .at(at(2026, 11, 30))
        .try_act(&home, &Action::StartMove { on: None })
        .unwrap();
    // Midpoint 21 December is in the holiday (and 4 January a closure day): 5 January.
    assert_eq!(
        events[1],
        EventKind::ReviewDatesReworked {
            midpoint_review: day(2027, 1, 5),
            final_review: day(2027, 1, 11),
        }
    );
    let started = b.at(at(2026, 11, 30)).active();
    let agreement = started.case().agreement.clone().unwrap();
    assert_eq!(agreement.midpoint_review, day(2027, 1, 5));
    assert_eq!(agreement.final_review, day(2027, 1, 11));
}

#[test]
fn a_move_started_on_the_agreed_day_keeps_the_agreed_dates() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let events = b
        .try_act(&head_of(HOME), &Action::StartMove { on: None })
        .unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
}

#[test]
fn the_real_start_is_the_london_day_even_just_after_midnight_in_summer_time() {
    // Agreed on Thursday 1 October 2026; started at 00:30 BST on Tuesday 13 October, which
    // is still Monday 12th in UTC. Six weeks from the 13th is Tuesday 24 November.
    let b = CaseBuilder::new()
        .at(at(2026, 10, 1))
        .propose()
        .accepted()
        .agreed();
    let just_after_midnight = Utc.with_ymd_and_hms(2026, 10, 12, 23, 30, 0).unwrap();
    let started = b.at(just_after_midnight).active();
    assert_eq!(started.case().started_on, Some(day(2026, 10, 13)));
    let agreement = started.case().agreement.clone().unwrap();
    assert_eq!(agreement.final_review, day(2026, 11, 24));
}

/// Agreed and started on Monday 11 January 2027 for 4 weeks: midpoint Monday 25 January,
/// final Monday 8 February; the last school week runs from Tuesday 2 February.
fn four_weeks_in_spring() -> CaseBuilder {
    CaseBuilder::new()
        .at(at(2027, 1, 11))
        .weeks(4)
        .propose()
        .accepted()
        .agreed()
        .active()
}

#[test]
fn the_final_review_needs_the_midpoint_review_first() {
    let b = four_weeks_in_spring().at(at(2027, 2, 8));
    let r = b
        .try_act(&head_of(HOME), &final_on(day(2027, 2, 8)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(r.message().contains("midpoint review first"), "{r}");
    // A partnership may not require it.
    let relaxed = CaseBuilder::new()
        .with_policy(|p| p.midpoint_required = false)
        .at(at(2027, 1, 11))
        .weeks(4)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2027, 2, 8));
    assert!(relaxed
        .try_act(&head_of(HOME), &final_on(day(2027, 2, 8)))
        .is_ok());
}

#[test]
fn the_final_review_is_refused_before_the_placements_last_school_week() {
    let b = four_weeks_in_spring()
        .reviewed(ReviewKind::Midpoint)
        .at(at(2027, 2, 2));
    assert_eq!(
        last_school_week_starts(b.partnership(), day(2027, 1, 11), 4),
        day(2027, 2, 2)
    );
    let r = b
        .try_act(&head_of(HOME), &final_on(day(2027, 2, 1)))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("on"));
    assert!(r.message().contains("Tue 2 Feb 2027"), "{r}");
    assert!(b
        .try_act(&head_of(HOME), &final_on(day(2027, 2, 2)))
        .is_ok());
}

fn forward(on: chrono::NaiveDate) -> Action {
    Action::BringFinalReviewForward {
        on,
        reason: text("Both heads agree the targets are met."),
    }
}

#[test]
fn bringing_the_final_review_forward_takes_both_heads() {
    let b = four_weeks_in_spring()
        .reviewed(ReviewKind::Midpoint)
        .at(at(2027, 1, 27));
    // One head alone cannot: not by rescheduling, and a request is not an agreement.
    let moved = Action::RescheduleReview {
        review: ReviewKind::Final,
        on: day(2027, 1, 28),
        reason: text("Targets met."),
    };
    let r = b.try_act(&head_of(DESTINATION), &moved).unwrap_err();
    assert!(r.message().contains("takes both heads"), "{r}");
    let asked = b.act(&head_of(DESTINATION), forward(day(2027, 1, 28)));
    assert_eq!(asked.case().final_brought_forward, None);
    assert_eq!(
        asked.case().agreement.as_ref().unwrap().final_review,
        day(2027, 2, 8)
    );
    let asked_again = asked.try_act(&head_of(DESTINATION), &forward(day(2027, 1, 28)));
    assert!(matches!(
        asked_again.unwrap()[0],
        EventKind::FinalReviewForwardAsked { .. }
    ));
    // The other head asking for another day is a new request, not an agreement.
    let other_day = asked
        .try_act(&head_of(HOME), &forward(day(2027, 1, 29)))
        .unwrap();
    assert!(matches!(
        other_day[0],
        EventKind::FinalReviewForwardAsked { .. }
    ));
    // The other head agreeing to the same day brings it forward.
    let agreed = asked
        .act(&head_of(HOME), forward(day(2027, 1, 28)))
        .at(at(2027, 1, 28));
    assert_eq!(agreed.case().final_brought_forward, Some(day(2027, 1, 28)));
    assert_eq!(
        agreed.case().agreement.as_ref().unwrap().final_review,
        day(2027, 1, 28)
    );
    assert!(agreed
        .try_act(&head_of(HOME), &final_on(day(2027, 1, 28)))
        .is_ok());
    let r = agreed
        .try_act(&head_of(HOME), &final_on(day(2027, 1, 27)))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("on"));
}

#[test]
fn a_final_review_is_brought_forward_only_between_the_midpoint_and_the_last_week() {
    let b = four_weeks_in_spring()
        .reviewed(ReviewKind::Midpoint)
        .at(at(2027, 1, 27));
    for (on, says) in [
        (day(2027, 1, 26), "today or later"),
        (day(2027, 1, 30), "school day"),
        (day(2027, 2, 2), "needs no agreement"),
    ] {
        let r = b.try_act(&head_of(HOME), &forward(on)).unwrap_err();
        assert!(r.message().contains(says), "{on}: {r}");
    }
    for who in [staff_of(HOME), coordinator()] {
        let r = b.try_act(&who, &forward(day(2027, 1, 28))).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{who:?}");
    }
}

#[test]
fn with_no_room_before_the_last_week_nothing_can_be_brought_forward() {
    // Six weeks from 24 November: the midpoint (15 December) starts the last school week,
    // which reaches back over the Christmas holiday.
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let r = crate::domain::may(
        &head_of(HOME),
        b.case(),
        crate::domain::ActionKind::BringFinalReviewForward,
        &b.context(),
    )
    .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn the_final_review_comes_after_the_midpoint_review() {
    let b = CaseBuilder::new()
        .with_policy(|p| p.midpoint_required = true)
        .at(at(2027, 1, 11))
        .weeks(4)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2027, 2, 3))
        .act(
            &head_of(HOME),
            Action::RecordReview {
                review: ReviewKind::Midpoint,
                held_on: day(2027, 2, 3),
                notes: text("Late midpoint."),
            },
        );
    let r = b
        .try_act(&head_of(HOME), &final_on(day(2027, 2, 2)))
        .unwrap_err();
    assert!(r.message().contains("after the midpoint review"), "{r}");
}

#[test]
fn a_bank_holiday_in_the_last_week_does_not_shorten_it() {
    // Four calendar weeks from Monday 5 April 2027 end on the early May bank holiday
    // (Monday 3 May), so the placement's last day is Tuesday 4 May; its last five school
    // days, skipping the bank holiday, start on Tuesday 27 April.
    let p = partnership();
    assert_eq!(
        last_school_week_starts(p, day(2027, 4, 5), 4),
        day(2027, 4, 27)
    );
}

fn details_of(progress: Vec<crate::domain::review_record::Progress>) -> Action {
    let mut details = sample_review_details();
    details.progress = progress;
    Action::RecordReviewDetails {
        review: ReviewKind::Midpoint,
        details,
    }
}

#[test]
fn a_reviews_details_give_progress_on_each_target_in_order() {
    use crate::domain::review_record::Progress::*;
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .reviewed(ReviewKind::Midpoint);
    // The sample agreement has two targets.
    for wrong in [vec![Met], vec![Met, Partly, NotMet]] {
        let r = b.try_act(&staff_of(HOME), &details_of(wrong)).unwrap_err();
        assert_eq!(r.field.as_deref(), Some("targets"), "{r}");
        assert!(r.message().contains("2 target(s)"), "{r}");
    }
    let b = b.act(&staff_of(DESTINATION), details_of(vec![Met, NotMet]));
    let recorded = &b.case().review_details["midpoint"];
    assert_eq!(recorded.progress, [Met, NotMet]);
    assert_eq!(
        recorded.parent_view.as_ref().map(|t| t.as_str()),
        Some("Much happier going to school.")
    );
}

#[test]
fn a_reviews_details_wait_for_the_review_itself() {
    use crate::domain::review_record::Progress::*;
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let r = b
        .try_act(&head_of(HOME), &details_of(vec![Met, Met]))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    let b = b.reviewed(ReviewKind::Midpoint);
    let for_final = Action::RecordReviewDetails {
        review: ReviewKind::Final,
        details: sample_review_details(),
    };
    let r = b.try_act(&head_of(HOME), &for_final).unwrap_err();
    assert!(
        r.message().contains("final review has not been recorded"),
        "{r}"
    );
}

#[test]
fn the_record_says_whether_the_sen_team_or_virtual_school_were_invited_and_came() {
    use crate::domain::meetings::{Attendance, Attendee, PupilPresence};
    use crate::domain::review_record::invitation_lines;
    let case = CaseBuilder::new()
        .ehcp()
        .looked_after()
        .propose()
        .accepted()
        .agreed()
        .active()
        .build();
    let mut details = sample_review_details();
    details.invited = vec![Attendee::LaSenOfficer, Attendee::VirtualSchool];
    details.attendance = Some(
        Attendance::new(
            vec![Attendee::ParentCarer, Attendee::VirtualSchool],
            PupilPresence::Whole,
        )
        .unwrap(),
    );
    assert_eq!(
        invitation_lines(&case, &details),
        [
            "LA SEN officer: invited, did not come",
            "Virtual School: invited, came",
            "social worker: not invited, did not come",
        ]
    );
    let plain = CaseBuilder::proposed().accepted().agreed().active().build();
    assert!(invitation_lines(&plain, &details).is_empty());
}
