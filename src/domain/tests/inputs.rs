//! Bad input is refused with a message naming the option to fix, and changes nothing.

use chrono::{DateTime, NaiveTime, TimeZone, Utc};

use crate::domain::decide::{outside_hours, warnings};
use crate::domain::suitability::{Answer, Suitability, SuitabilityAnswer};
use crate::domain::testkit::*;
use crate::domain::{propose, Action, Initials, Refusal, RefusalKind, SchoolKey, Text, YearGroup};

fn assert_invalid(result: Result<impl std::fmt::Debug, Refusal>, field: &str, says: &str) {
    let r = result.expect_err("should be refused");
    assert_eq!(r.kind, RefusalKind::InvalidInput, "{r}");
    assert_eq!(r.field.as_deref(), Some(field), "{r}");
    assert!(r.message().contains(says), "{r:?} should say {says:?}");
}

#[test]
fn proposing_to_an_unknown_school_is_refused_listing_the_schools() {
    let mut p = proposal();
    p.destination = SchoolKey::parse("northgate").unwrap();
    assert_invalid(
        propose(&head_of(HOME), &p, &ctx(now())),
        "school",
        "Unknown school `northgate`. Choose one of: riverside, hillcrest, oakfield.",
    );
    let mut p = proposal();
    p.home = SchoolKey::parse("northgate").unwrap();
    assert_invalid(
        propose(&head_of(HOME), &p, &ctx(now())),
        "school",
        "Unknown school",
    );
}

#[test]
fn a_school_key_is_a_short_slug() {
    for bad in ["North Park", "", "-north", "north_park", &"x".repeat(33)] {
        assert_invalid(SchoolKey::parse(bad), "school", "lower-case letters");
    }
}

#[test]
fn a_move_is_to_another_school() {
    let mut p = proposal();
    p.destination = school(HOME);
    assert_invalid(
        propose(&head_of(HOME), &p, &ctx(now())),
        "destination",
        "another school",
    );
}

#[test]
fn a_year_group_outside_secondary_is_refused() {
    for year in [0, 6, 14, 99, -7] {
        assert_invalid(YearGroup::new(year), "year", "between 7 and 13");
    }
    assert_eq!(YearGroup::new(7).unwrap().get(), 7);
    assert_eq!(YearGroup::new(13).unwrap().get(), 13);
}

#[test]
fn initials_that_look_like_a_full_name_are_refused() {
    for name in [
        "John Smith",
        "Smith",
        "Jo",
        "J Smith",
        "jane",
        "Mary-Jane W",
    ] {
        assert_invalid(Initials::parse(name), "initials", "looks like a name");
    }
    assert_invalid(Initials::parse("SMITH"), "initials", "1-4 letters");
    assert_eq!(Initials::parse("j s").unwrap().as_str(), "J.S.");
}

#[test]
fn an_empty_reason_is_refused() {
    for blank in ["", "   ", "\n\t", "\u{7}"] {
        assert_invalid(Text::parse("reason", blank), "reason", "can't be empty");
    }
    assert_invalid(
        Text::parse("reason", &"x".repeat(1001)),
        "reason",
        "under 1000 characters",
    );
}

#[test]
fn invisible_characters_that_disguise_text_are_dropped() {
    // "Agreed" written right-to-left with an override, and zero-width spaces between letters.
    let disguised = "\u{202E}deergA\u{202C} by both\u{200B} heads\u{FEFF}";
    assert_eq!(
        Text::parse("note", disguised).unwrap().as_str(),
        "deergA by both heads"
    );
    assert_invalid(
        Text::parse("reason", "\u{200B}\u{2066}\u{2069}"),
        "reason",
        "can't be empty",
    );
    // Joiners that emoji and some scripts rely on stay.
    let family = "Met the family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
    assert_eq!(Text::parse("note", family).unwrap().as_str(), family);
}

#[test]
fn suitability_needs_all_eight_answers() {
    let seven = vec![
        SuitabilityAnswer {
            answer: Answer::Yes,
            note: None
        };
        7
    ];
    assert_invalid(Suitability::new(seven), "suitability", "Answer all 8");
    assert_invalid(
        Suitability::parse("yes,no,maybe", &[]),
        "suitability",
        "yes, no or unsure",
    );
}

fn accepted() -> CaseBuilder {
    CaseBuilder::proposed().accepted()
}

fn agreement(weeks: u8) -> Action {
    Action::RecordAgreement {
        terms: terms(today(), weeks),
    }
}

#[test]
fn a_placement_longer_than_the_policy_maximum_is_refused() {
    for weeks in [0, 13, 52] {
        assert_invalid(
            accepted().try_act(&head_of(HOME), &agreement(weeks)),
            "weeks",
            "1 to 12 weeks",
        );
    }
    assert!(accepted().try_act(&head_of(HOME), &agreement(12)).is_ok());
}

#[test]
fn the_maximum_length_comes_from_the_partnerships_policy() {
    let b = CaseBuilder::proposed()
        .with_policy(|p| p.max_weeks = 16)
        .accepted();
    assert!(b.try_act(&head_of(HOME), &agreement(16)).is_ok());
    assert_invalid(
        b.try_act(&head_of(HOME), &agreement(17)),
        "weeks",
        "1 to 16 weeks",
    );
}

#[test]
fn the_agreement_cannot_start_before_the_proposal() {
    let before = Action::RecordAgreement {
        terms: terms(day(2026, 11, 23), 6),
    };
    assert_invalid(
        accepted().try_act(&head_of(HOME), &before),
        "start",
        "before the proposal",
    );
}

#[test]
fn the_proposal_day_is_the_local_day_in_the_partnerships_time_zone() {
    // 23:30 UTC on Monday 5 October 2026 is 00:30 on Tuesday 6 October in London.
    let b = CaseBuilder::new()
        .at(Utc.with_ymd_and_hms(2026, 10, 5, 23, 30, 0).unwrap())
        .propose()
        .accepted();
    let on = |start| Action::RecordAgreement {
        terms: terms(start, 6),
    };
    assert_invalid(
        b.try_act(&head_of(HOME), &on(day(2026, 10, 5))),
        "start",
        "before the proposal",
    );
    assert!(b.try_act(&head_of(HOME), &on(day(2026, 10, 6))).is_ok());
}

fn london(on: chrono::NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    partnership().instant(on, NaiveTime::from_hms_opt(hour, minute, 0).unwrap())
}

fn meeting(at: DateTime<Utc>) -> Action {
    Action::ScheduleMeeting { at, place: None }
}

#[test]
fn a_meeting_on_a_weekend_or_holiday_is_refused() {
    let b = accepted();
    for (on, says) in [
        (
            day(2026, 11, 28),
            "Saturday 28 November 2026 is not a school day",
        ),
        (
            day(2026, 11, 29),
            "Sunday 29 November 2026 is not a school day",
        ),
        (
            day(2026, 12, 28),
            "Monday 28 December 2026 is not a school day",
        ),
        (
            day(2027, 2, 16),
            "Tuesday 16 February 2027 is not a school day",
        ),
        (day(2027, 1, 4), "Monday 4 January 2027 is not a school day"),
    ] {
        assert_invalid(
            b.try_act(&coordinator(), &meeting(london(on, 11, 0))),
            "date",
            says,
        );
    }
}

#[test]
fn a_meeting_outside_school_hours_is_accepted_with_a_warning() {
    let b = accepted();
    let p = partnership();
    for (hour, minute) in [(7, 59), (17, 1), (18, 30), (0, 0)] {
        let at = london(day(2026, 11, 25), hour, minute);
        assert!(
            b.try_act(&coordinator(), &meeting(at)).is_ok(),
            "{hour}:{minute}"
        );
        let warning = outside_hours(p, at).expect("a warning");
        assert!(
            warning.contains("outside school hours (08:00-17:00)"),
            "{warning}"
        );
    }
    for (hour, minute) in [(8, 0), (12, 30), (17, 0)] {
        let at = london(day(2026, 11, 25), hour, minute);
        assert!(b.try_act(&coordinator(), &meeting(at)).is_ok());
        assert_eq!(outside_hours(p, at), None, "{hour}:{minute}");
    }
}

#[test]
fn the_meeting_hours_come_from_the_policy() {
    let mut p = partnership().clone();
    p.policy.meeting_hours = "09:00-15:00".to_string().try_into().unwrap();
    assert!(outside_hours(&p, london(day(2026, 11, 25), 8, 30)).is_some());
    assert!(outside_hours(&p, london(day(2026, 11, 25), 15, 30)).is_some());
    assert_eq!(outside_hours(&p, london(day(2026, 11, 25), 10, 0)), None);
}

#[test]
fn school_hours_are_judged_in_london_time_across_the_clock_change() {
    let p = partnership();
    // 16:30 UTC in June is 17:30 in London: outside. 07:30 UTC is 08:30: inside.
    let late = Utc.with_ymd_and_hms(2027, 6, 8, 16, 30, 0).unwrap();
    assert!(outside_hours(p, late).unwrap().contains("17:30"));
    let early = Utc.with_ymd_and_hms(2027, 6, 8, 7, 30, 0).unwrap();
    assert_eq!(outside_hours(p, early), None);
    // After the clocks go back (25 Oct 2026), 16:30 UTC is 16:30 in London: inside.
    let winter = Utc.with_ymd_and_hms(2026, 10, 27, 16, 30, 0).unwrap();
    assert_eq!(outside_hours(p, winter), None);
    let summer = Utc.with_ymd_and_hms(2026, 10, 23, 16, 30, 0).unwrap();
    assert!(outside_hours(p, summer).is_some());
}

#[test]
fn the_warning_is_worked_out_from_the_recorded_event() {
    let b = accepted();
    let p = partnership();
    let at = london(day(2026, 11, 25), 18, 0);
    let kinds = b.try_act(&coordinator(), &meeting(at)).unwrap();
    let events: Vec<_> = kinds
        .into_iter()
        .map(|kind| crate::domain::Event {
            by: coordinator().user,
            at: now(),
            kind,
        })
        .collect();
    assert_eq!(warnings(&events, p).len(), 1);
    let inside = london(day(2026, 11, 25), 10, 0);
    let kinds = b.try_act(&coordinator(), &meeting(inside)).unwrap();
    let events: Vec<_> = kinds
        .into_iter()
        .map(|kind| crate::domain::Event {
            by: coordinator().user,
            at: now(),
            kind,
        })
        .collect();
    assert!(warnings(&events, p).is_empty());
}

#[test]
fn things_are_recorded_once_they_have_happened() {
    let b = accepted();
    let tomorrow = today().succ_opt().unwrap();
    let future = [
        Action::RecordParentConsent {
            witnessed_by: text("Ms Patel"),
            on: tomorrow,
            freely_given: true,
        },
        Action::RecordPupilConsent {
            on: tomorrow,
            note: None,
        },
    ];
    for action in future {
        assert_invalid(b.try_act(&head_of(HOME), &action), "date", "in the future");
    }
}

#[test]
fn a_move_cannot_be_recorded_as_started_on_a_future_day() {
    let b = accepted().agreed();
    let tomorrow = today().succ_opt().unwrap();
    assert_invalid(
        b.try_act(&head_of(HOME), &Action::StartMove { on: Some(tomorrow) }),
        "date",
        "in the future",
    );
    let case = b
        .act(&head_of(HOME), Action::StartMove { on: Some(today()) })
        .build();
    assert_eq!(case.started_on, Some(today()));
}

#[test]
fn an_unknown_checklist_item_is_refused() {
    let action = Action::RateChecklist {
        item: "parents.bake-sale".into(),
        rag: crate::domain::checklist::Rag::Amber,
        comment: None,
    };
    assert_invalid(
        accepted().try_act(&staff_of(HOME), &action),
        "item",
        "no checklist item",
    );
}
