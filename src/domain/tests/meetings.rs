//! The initial meeting, held (DOMAIN.md, "Meetings and reviews: who was there"): recorded
//! by either school's head or staff or a coordinator, with who came; refused in the future
//! or with nobody there; needed before the move starts.

use crate::domain::meetings::{Attendance, Attendee, PupilPresence};
use crate::domain::testkit::*;
use crate::domain::{Action, ActionKind, CaseState, EventKind, RefusalKind};

fn held_on(on: chrono::NaiveDate) -> Action {
    Action::RecordMeetingHeld {
        on,
        positives: Some(text("Keen to start.")),
        concerns: None,
        attendance: None,
    }
}

#[test]
fn a_meeting_held_in_the_future_is_refused_and_changes_nothing() {
    let b = CaseBuilder::proposed().accepted().meeting_scheduled();
    let tomorrow = today().succ_opt().unwrap();
    let r = b
        .try_act(&staff_of(DESTINATION), &held_on(tomorrow))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("in the future"), "{r}");
    assert!(b.case().meeting_held.is_none());
}

#[test]
fn a_meeting_held_before_the_proposal_is_refused() {
    let b = CaseBuilder::proposed().accepted();
    let before = today() - chrono::Days::new(30);
    let r = b.try_act(&head_of(HOME), &held_on(before)).unwrap_err();
    assert_eq!(r.field.as_deref(), Some("on"));
}

#[test]
fn either_schools_staff_or_a_coordinator_record_the_meeting_held_then_who_came() {
    for who in [
        staff_of(HOME),
        staff_of(DESTINATION),
        coordinator(),
        head_of(HOME),
    ] {
        let b = CaseBuilder::proposed()
            .accepted()
            .act(&who, held_on(today()));
        let held = b.case().meeting_held.clone().expect("recorded");
        assert_eq!(held.on, today());
        assert_eq!(
            held.positives.as_ref().map(|t| t.as_str()),
            Some("Keen to start.")
        );
        assert_eq!(held.attendance, None);
        assert_eq!(b.case().state, CaseState::Agreeing);
        let b = b.act(
            &who,
            Action::RecordMeetingAttendees {
                attendance: sample_attendance(),
            },
        );
        let came = b.case().meeting_held.clone().unwrap().attendance.unwrap();
        assert!(came.came(Attendee::PupilChampion));
        assert_eq!(came.pupil, PupilPresence::Whole);
    }
}

#[test]
fn the_cli_records_the_meeting_and_who_came_in_one_step() {
    let b = CaseBuilder::proposed().accepted();
    let attendance = Attendance::parse("parent,la-sen", "part").unwrap();
    let events = b
        .try_act(
            &head_of(DESTINATION),
            &Action::RecordMeetingHeld {
                on: today(),
                positives: None,
                concerns: Some(text("Transport.")),
                attendance: Some(attendance.clone()),
            },
        )
        .unwrap();
    assert!(matches!(events[0], EventKind::MeetingHeld { .. }));
    assert_eq!(
        events[1],
        EventKind::MeetingAttendeesRecorded { attendance }
    );
}

#[test]
fn who_came_is_refused_before_the_meeting_is_recorded_as_held() {
    let b = CaseBuilder::proposed().accepted();
    let r = b
        .try_act(
            &staff_of(HOME),
            &Action::RecordMeetingAttendees {
                attendance: sample_attendance(),
            },
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("/meeting held"), "{r}");
}

#[test]
fn the_meeting_is_recorded_as_held_once() {
    let b = CaseBuilder::proposed().accepted().meeting_held();
    let r = b.try_act(&head_of(HOME), &held_on(today())).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already recorded as held"), "{r}");
}

#[test]
fn an_uninvolved_school_and_the_panel_may_not_record_the_meeting() {
    let b = CaseBuilder::proposed().accepted();
    for who in [staff_of(UNINVOLVED), head_of(UNINVOLVED), seip(), admin()] {
        let r = b.try_act(&who, &held_on(today())).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotFound, "{who:?}");
    }
}

#[test]
fn the_meeting_cannot_be_recorded_once_the_move_has_started() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let r = b
        .try_act(
            &staff_of(HOME),
            &Action::RecordMeetingAttendees {
                attendance: sample_attendance(),
            },
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert_eq!(
        crate::domain::may(
            &staff_of(HOME),
            b.case(),
            ActionKind::RecordMeetingHeld,
            &b.context()
        )
        .unwrap_err()
        .kind,
        RefusalKind::WrongState
    );
}
