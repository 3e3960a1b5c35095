//! Changes to a running placement (DOMAIN.md, "Meetings and reviews"): the extension both
//! heads agree once, a parent's request for a review, and an outcome one head gives against
//! the other's confirmation.

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::dates::placement_end;
use crate::domain::reminders::{plan, ReminderKind, ReminderSettings};
use crate::domain::testkit::*;
use crate::domain::{Action, CaseState, EventKind, Outcome, RefusalKind, ReviewKind};

fn at(year: i32, month: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, d, 10, 0, 0).unwrap()
}

fn extend(weeks: u8) -> Action {
    Action::Extend {
        weeks,
        reason: text("Settling well; more time to secure attendance."),
    }
}

fn requested(on: chrono::NaiveDate) -> Action {
    Action::RecordReviewRequest { on }
}

fn reminder_keys(b: &CaseBuilder) -> Vec<String> {
    plan(b.case(), b.partnership(), &ReminderSettings::default())
        .into_iter()
        .map(|r| r.key)
        .collect()
}

// Extension ------------------------------------------------------------------------------

#[test]
fn an_extension_applies_only_when_the_second_head_agrees_and_the_dates_follow() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active();
    let before = b.case().agreement.clone().unwrap();
    let b = b.act(&head_of(HOME), extend(2));
    let asked = b.case();
    assert_eq!(asked.agreement.as_ref().unwrap().terms.weeks, 6, "not yet");
    assert_eq!(
        asked.agreement.as_ref().unwrap().final_review,
        before.final_review
    );
    assert!(asked.pending_extension().is_some());

    let b = b.act(&head_of(DESTINATION), extend(2));
    let case = b.case();
    let agreement = case.agreement.as_ref().unwrap();
    assert_eq!(agreement.terms.weeks, 8);
    let (midpoint, final_review) = b.partnership().review_dates(agreement.terms.start, 8);
    assert_eq!(
        (agreement.midpoint_review, agreement.final_review),
        (midpoint, final_review)
    );
    assert!(agreement.final_review > before.final_review);
    assert!(placement_end(agreement, b.partnership()) > placement_end(&before, b.partnership()));
    let e = case.extension.as_ref().unwrap();
    assert_eq!((e.from_weeks, e.added), (6, 2));
    assert_eq!(e.agreed.as_ref().unwrap().0, school(DESTINATION));
    // Reminders follow: the final review's reminder is on the new day.
    let due = plan(case, b.partnership(), &ReminderSettings::default())
        .into_iter()
        .find(|r| r.kind == ReminderKind::FinalReview)
        .unwrap();
    assert_eq!(due.about, final_review);
}

#[test]
fn a_held_midpoint_review_keeps_its_date_when_the_placement_is_extended() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2026, 12, 15))
        .reviewed(ReviewKind::Midpoint);
    let midpoint = b.case().agreement.as_ref().unwrap().midpoint_review;
    let b = b
        .act(&head_of(HOME), extend(3))
        .act(&head_of(DESTINATION), extend(3));
    assert_eq!(
        b.case().agreement.as_ref().unwrap().midpoint_review,
        midpoint
    );
    assert_eq!(b.case().agreement.as_ref().unwrap().terms.weeks, 9);
}

#[test]
fn a_second_extension_is_refused() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(&head_of(HOME), extend(2))
        .act(&head_of(DESTINATION), extend(2));
    for head in [HOME, DESTINATION] {
        let r = b.try_act(&head_of(head), &extend(1)).unwrap_err();
        assert_eq!(r.kind, RefusalKind::WrongState);
        assert!(r.message().contains("already extended once"), "{r}");
    }
}

#[test]
fn an_extension_past_the_maximum_from_the_start_is_refused() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active();
    let r = b.try_act(&head_of(HOME), &extend(7)).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert_eq!(r.field.as_deref(), Some("weeks"));
    assert!(r.message().contains("at most 6"), "{r}");
    assert!(b.try_act(&head_of(HOME), &extend(6)).is_ok());
}

#[test]
fn by_default_a_placement_agreed_at_the_maximum_cannot_be_extended() {
    let b = CaseBuilder::new()
        .weeks(12)
        .propose()
        .accepted()
        .agreed()
        .active();
    let r = b.try_act(&head_of(HOME), &extend(1)).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("can't be extended"), "{r}");
}

#[test]
fn a_partnership_may_allow_longer_with_an_extension() {
    let b = CaseBuilder::new()
        .with_policy(|p| p.max_weeks_with_extension = Some(16))
        .weeks(12)
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(&head_of(HOME), extend(4))
        .act(&head_of(DESTINATION), extend(4));
    assert_eq!(b.case().agreement.as_ref().unwrap().terms.weeks, 16);
}

#[test]
fn the_head_who_asked_is_told_the_extension_needs_the_other_head() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(&head_of(DESTINATION), extend(2));
    let r = b.try_act(&head_of(DESTINATION), &extend(2)).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("needs the head of riverside"), "{r}");
}

#[test]
fn the_second_head_agrees_only_to_the_same_weeks() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(&head_of(HOME), extend(2));
    let r = b.try_act(&head_of(DESTINATION), &extend(3)).unwrap_err();
    assert_eq!(r.field.as_deref(), Some("weeks"));
    assert!(r.message().contains("by 2 weeks"), "{r}");
}

#[test]
fn an_extension_is_refused_before_the_move_starts_and_after_the_final_review() {
    let agreed = CaseBuilder::new().weeks(6).propose().accepted().agreed();
    let r = agreed.try_act(&head_of(HOME), &extend(2)).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    let reviewed = agreed
        .active()
        .at(at(2027, 1, 5))
        .reviewed(ReviewKind::Final);
    let r = reviewed.try_act(&head_of(HOME), &extend(2)).unwrap_err();
    assert!(r.message().contains("final review has been held"), "{r}");
}

#[test]
fn a_head_of_both_schools_asks_and_agrees_at_once() {
    let both = crate::domain::Actor {
        user: crate::domain::UserId(77),
        capacities: vec![
            crate::domain::Capacity::Head(school(HOME)),
            crate::domain::Capacity::Head(school(DESTINATION)),
        ],
    };
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active();
    let events = b.try_act(&both, &extend(2)).unwrap();
    assert!(matches!(events[0], EventKind::ExtensionRequested { .. }));
    assert!(matches!(
        events[1],
        EventKind::ExtensionAgreed { weeks: 8, .. }
    ));
}

#[test]
fn an_agreed_extension_asks_for_the_parents_agreement_again() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .act(&head_of(HOME), extend(2));
    assert!(!reminder_keys(&b).contains(&"overdue_extension_consent".to_string()));
    // Not while only asked: the length has not changed yet.
    let consent = sample_action(crate::domain::ActionKind::RecordParentConsent, b.today()).unwrap();
    assert_eq!(
        b.try_act(&head_of(HOME), &consent).unwrap_err().kind,
        RefusalKind::WrongState
    );
    let b = b.act(&head_of(DESTINATION), extend(2));
    assert!(b.case().awaits_parent_for_extension());
    assert!(reminder_keys(&b).contains(&"overdue_extension_consent".to_string()));
    let first = b.case().parent_consent.clone();
    let b = b.act(&head_of(HOME), consent.clone());
    assert_eq!(b.case().parent_consent, first, "the first agreement stays");
    assert!(b
        .case()
        .extension
        .as_ref()
        .unwrap()
        .parent_consent
        .is_some());
    assert!(!b.case().awaits_parent_for_extension());
    assert!(!reminder_keys(&b).contains(&"overdue_extension_consent".to_string()));
    // Recorded once: a second time is refused like any consent after the start.
    assert!(b.try_act(&head_of(HOME), &consent).is_err());
}

#[test]
fn a_final_review_after_the_placements_end_needs_an_extension() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active();
    let later = Action::RescheduleReview {
        review: ReviewKind::Final,
        on: day(2027, 1, 19),
        reason: text("Parent away."),
    };
    let r = b.try_act(&head_of(HOME), &later).unwrap_err();
    assert!(r.message().contains("needs an extension"), "{r}");
    let b = b
        .act(&head_of(HOME), extend(2))
        .act(&head_of(DESTINATION), extend(2));
    assert!(b.try_act(&head_of(HOME), &later).is_ok());
}

// Parent's request for a review -----------------------------------------------------------

#[test]
fn a_requested_review_is_due_within_ten_school_days_across_the_christmas_holiday() {
    // Mon 14 Dec: 15-18 Dec are four school days, term resumes Tue 5 Jan, so the tenth
    // school day is Tue 12 Jan.
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2026, 12, 14));
    let events = b
        .try_act(&head_of(DESTINATION), &requested(day(2026, 12, 14)))
        .unwrap();
    assert_eq!(
        events,
        vec![EventKind::ReviewRequested {
            on: day(2026, 12, 14),
            due: Some(day(2027, 1, 12)),
            recent: None,
        }]
    );
}

#[test]
fn a_requested_review_skips_a_bank_holiday() {
    // Mon 26 Apr 2027: Mon 3 May is the Early May bank holiday, so ten school days end on
    // Tue 11 May rather than Mon 10 May.
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2027, 4, 26));
    let b = b.act(&head_of(HOME), requested(day(2027, 4, 26)));
    let r = b.case().open_review_request().unwrap();
    assert_eq!(r.due, Some(day(2027, 5, 11)));
    let reminder = plan(b.case(), b.partnership(), &ReminderSettings::default())
        .into_iter()
        .find(|r| r.key == "overdue_requested_review")
        .expect("a reminder once the review is overdue");
    assert_eq!(reminder.kind, ReminderKind::StepOverdue);
    assert_eq!(reminder.about, day(2027, 5, 11));
    // Two school days after the due day; 08:00 in London is 07:00 UTC in summer time.
    assert_eq!(
        reminder.due_at,
        Utc.with_ymd_and_hms(2027, 5, 13, 7, 0, 0).unwrap()
    );
}

#[test]
fn a_request_on_the_night_the_clocks_go_forward_is_dated_in_local_time() {
    // 23:30 UTC on Mon 29 March 2027 is 00:30 on Tue 30 March in London (BST): the parent's
    // request "today" is not in the future.
    let late = Utc.with_ymd_and_hms(2027, 3, 29, 23, 30, 0).unwrap();
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(late);
    assert!(b
        .try_act(&head_of(HOME), &requested(day(2027, 3, 30)))
        .is_ok());
    let r = b
        .try_act(&head_of(HOME), &requested(day(2027, 3, 31)))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
}

#[test]
fn no_review_is_due_when_one_was_held_in_the_last_ten_weeks_and_the_bot_says_which() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2026, 12, 15))
        .reviewed(ReviewKind::Midpoint)
        .at(at(2027, 1, 11));
    let b = b.act(&head_of(HOME), requested(day(2027, 1, 11)));
    let r = b.case().review_requests.last().unwrap();
    assert_eq!(r.due, None);
    assert_eq!(r.recent.unwrap().review, ReviewKind::Midpoint);
    assert_eq!(r.recent.unwrap().held_on, day(2026, 12, 15));
    let said = b.events().last().unwrap().kind.summary(b.partnership());
    assert!(
        said.contains("midpoint review was held on 2026-12-15"),
        "{said}"
    );
    assert!(!reminder_keys(&b).contains(&"overdue_requested_review".to_string()));
}

#[test]
fn a_review_held_more_than_ten_weeks_before_does_not_count() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2026, 12, 15))
        .reviewed(ReviewKind::Midpoint)
        .at(at(2027, 3, 1));
    let events = b
        .try_act(&head_of(HOME), &requested(day(2027, 3, 1)))
        .unwrap();
    assert!(matches!(
        events[0],
        EventKind::ReviewRequested {
            due: Some(_),
            recent: None,
            ..
        }
    ));
}

#[test]
fn a_review_held_after_the_request_meets_it_and_its_reminder_goes() {
    let b = CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2026, 12, 1))
        .act(&head_of(HOME), requested(day(2026, 12, 1)));
    assert!(reminder_keys(&b).contains(&"overdue_requested_review".to_string()));
    // A second request while one is open is refused, naming the first.
    let r = b
        .try_act(&head_of(DESTINATION), &requested(day(2026, 12, 1)))
        .unwrap_err();
    assert!(r.message().contains("already asked"), "{r}");
    let b = b.at(at(2026, 12, 8)).reviewed(ReviewKind::Midpoint);
    assert!(b.case().open_review_request().is_none());
    assert!(!reminder_keys(&b).contains(&"overdue_requested_review".to_string()));
}

#[test]
fn a_request_before_the_move_or_in_the_future_is_refused() {
    let b = CaseBuilder::new().weeks(6).propose().accepted().agreed();
    let r = b.try_act(&head_of(HOME), &requested(today())).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    let b = b.active();
    let r = b
        .try_act(&head_of(HOME), &requested(day(2026, 11, 23)))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("on"));
    let r = b
        .try_act(&head_of(HOME), &requested(day(2026, 11, 25)))
        .unwrap_err();
    assert_eq!(r.field.as_deref(), Some("date"));
}

// Conflicting outcomes ---------------------------------------------------------------------

fn outcome(outcome: Outcome) -> Action {
    Action::RecordOutcome {
        outcome,
        note: text("Decided at the final review."),
    }
}

fn final_reviewed() -> CaseBuilder {
    CaseBuilder::new()
        .weeks(6)
        .propose()
        .accepted()
        .agreed()
        .active()
        .at(at(2027, 1, 5))
        .reviewed(ReviewKind::Final)
}

#[test]
fn returned_after_the_other_head_confirmed_permanent_is_a_dispute_not_an_outcome() {
    let b = final_reviewed()
        .act(&head_of(HOME), outcome(Outcome::Permanent))
        .at(at(2027, 1, 6));
    let b = b.act(&head_of(DESTINATION), outcome(Outcome::Returned));
    let case = b.case();
    assert_eq!(case.state, CaseState::Active, "not applied");
    assert_eq!(case.outcome, None);
    assert_eq!(case.open_disputes().len(), 1);
    let d = &case.open_disputes()[0];
    assert_eq!(d.school, school(DESTINATION));
    assert_eq!(d.recorded.by, head_of(DESTINATION).user);
    assert_eq!(d.reason.as_str(), "Decided at the final review.");
    // The head is told who confirmed what and when.
    let told = b.events().last().unwrap().kind.summary(b.partnership());
    let home_head = head_of(HOME).user;
    assert!(told.contains(&format!("<@{home_head}>")), "{told}");
    assert!(
        told.contains("permanent transfer for riverside on 2027-01-06"),
        "{told}"
    );
}

#[test]
fn a_second_returned_from_the_same_head_is_refused_naming_the_confirmation() {
    let b = final_reviewed()
        .act(&head_of(HOME), outcome(Outcome::Permanent))
        .act(&head_of(DESTINATION), outcome(Outcome::Returned));
    let r = b
        .try_act(&head_of(DESTINATION), &outcome(Outcome::Returned))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already recorded as a dispute"), "{r}");
    assert!(
        r.message().contains("permanent transfer for riverside"),
        "{r}"
    );
}

#[test]
fn the_dispute_ends_when_the_second_head_confirms_permanent() {
    let b = final_reviewed()
        .act(&head_of(HOME), outcome(Outcome::Permanent))
        .act(&head_of(DESTINATION), outcome(Outcome::Returned))
        .act(&head_of(DESTINATION), outcome(Outcome::Permanent));
    assert_eq!(b.case().state, CaseState::Transferring);
    assert!(b.case().open_disputes().is_empty());
}

#[test]
fn the_dispute_ends_when_the_first_head_agrees_to_a_return() {
    let b = final_reviewed()
        .act(&head_of(HOME), outcome(Outcome::Permanent))
        .act(&head_of(DESTINATION), outcome(Outcome::Returned))
        .act(&head_of(HOME), outcome(Outcome::Returned));
    assert_eq!(b.case().state, CaseState::Returning);
    assert!(b.case().open_disputes().is_empty());
    let b = b.reintegrated();
    assert_eq!(b.case().state, CaseState::Completed);
    assert_eq!(b.case().outcome, Some(Outcome::Returned));
    assert!(b.case().open_disputes().is_empty());
}

#[test]
fn returned_with_no_confirmation_yet_still_ends_the_move() {
    let b = final_reviewed()
        .act(&head_of(DESTINATION), outcome(Outcome::Returned))
        .reintegrated();
    assert_eq!(b.case().outcome, Some(Outcome::Returned));
    assert!(b.case().disputes.is_empty());
}

#[test]
fn the_board_shows_a_requested_review_due_before_the_scheduled_one() {
    let b = CaseBuilder::new()
        .weeks(12)
        .propose()
        .accepted()
        .agreed()
        .active();
    let midpoint = b.case().agreement.as_ref().unwrap().midpoint_review;
    assert_eq!(b.case().next_due(), Some(midpoint));
    let b = b
        .at(at(2026, 11, 26))
        .act(&head_of(HOME), requested(day(2026, 11, 26)));
    let due = b.case().open_review_request().unwrap().due.unwrap();
    assert!(due < midpoint);
    assert_eq!(b.case().next_due(), Some(due));
}
