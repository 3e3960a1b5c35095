//! A case is the fold of its events: replaying the stored history gives exactly the case
//! that was built step by step, and the snapshot survives a trip through JSON.

use crate::domain::testkit::*;
use crate::domain::{Case, CaseRef, Event, EventKind, ReviewKind, UserId};

fn paths() -> Vec<(&'static str, CaseBuilder)> {
    vec![
        ("proposed", CaseBuilder::proposed()),
        ("declined", CaseBuilder::proposed().declined()),
        (
            "withdrawn while agreeing",
            CaseBuilder::proposed().accepted().agreed().withdrawn(),
        ),
        (
            "rejected",
            CaseBuilder::proposed().transfer().accepted().rejected(),
        ),
        (
            "transfer made permanent",
            CaseBuilder::proposed()
                .transfer()
                .ehcp()
                .looked_after()
                .accepted()
                .approved()
                .agreed()
                .active()
                .reviewed(ReviewKind::Midpoint)
                .permanent(),
        ),
        (
            "transfer completed",
            CaseBuilder::proposed()
                .transfer()
                .ehcp()
                .looked_after()
                .accepted()
                .approved()
                .agreed()
                .active()
                .reviewed(ReviewKind::Midpoint)
                .transferred(),
        ),
        (
            "terminated",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .terminated(),
        ),
        (
            "returned",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .returned(),
        ),
    ]
}

#[test]
fn folding_the_events_gives_the_case_built_one_event_at_a_time() {
    for (name, b) in paths() {
        let folded =
            Case::from_events(CaseRef::new(2026, 1), b.events()).expect("starts with a proposal");
        assert_eq!(&folded, b.case(), "{name}");
    }
}

#[test]
fn a_case_snapshot_survives_json() {
    for (name, b) in paths() {
        let json = serde_json::to_string(b.case()).unwrap();
        let back: Case = serde_json::from_str(&json).unwrap();
        assert_eq!(&back, b.case(), "{name}");
    }
}

#[test]
fn events_survive_json() {
    for (name, b) in paths() {
        for event in b.events() {
            let json = serde_json::to_string(&event.kind).unwrap();
            let back: EventKind = serde_json::from_str(&json).unwrap();
            assert_eq!(back, event.kind, "{name}: {json}");
        }
    }
}

#[test]
fn the_version_counts_the_events_and_the_case_remembers_the_last_change() {
    for (name, b) in paths() {
        assert_eq!(b.case().version as usize, b.events().len(), "{name}");
        assert_eq!(b.case().updated_at, b.events().last().unwrap().at, "{name}");
    }
}

#[test]
fn the_audit_trail_records_who_did_what_in_order() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .terminated();
    let trail: Vec<(&str, UserId)> = b.events().iter().map(|e| (e.kind.name(), e.by)).collect();
    let (home, destination) = (head_of(HOME).user, head_of(DESTINATION).user);
    assert_eq!(
        trail,
        [
            ("proposed", home),
            ("accepted", destination),
            ("meeting_scheduled", coordinator().user),
            ("meeting_held", staff_of(DESTINATION).user),
            ("meeting_attendees_recorded", staff_of(DESTINATION).user),
            ("parent_consent_recorded", home),
            ("pupil_consent_recorded", home),
            ("safeguarding_shared", staff_of(HOME).user),
            ("safeguarding_confirmed", staff_of(DESTINATION).user),
            ("agreement_recorded", home),
            ("agreement_signed", destination),
            ("registration_confirmed", destination),
            ("parent_copy_given", home),
            ("move_started", home),
            ("return_begun", destination),
            ("reintegration_meeting_held", home),
            ("reintegration_plan_recorded", home),
            ("registration_ended", destination),
            ("registration_ended", home),
            ("terminated", home),
        ]
    );
    assert!(b.events().iter().all(|e| e.at == now()));
}

#[test]
fn a_history_must_start_with_a_proposal() {
    assert_eq!(Case::from_events(CaseRef::new(2026, 1), []), None);
    let accepted = Event {
        by: UserId(1),
        at: now(),
        kind: EventKind::Accepted,
    };
    assert_eq!(Case::from_events(CaseRef::new(2026, 1), [&accepted]), None);
}

#[test]
fn event_summaries_hold_no_pupil_details_or_free_text() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .terminated();
    for event in b.events() {
        let summary = event.kind.summary(b.partnership());
        for secret in [
            "J.S.",
            "Ms Patel",
            "Persistent failure",
            "Attend every lesson",
        ] {
            assert!(!summary.contains(secret), "{summary}");
        }
    }
}
