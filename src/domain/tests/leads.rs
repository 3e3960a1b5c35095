//! A case's lead (issue 15, part 4): coordinators take it or hand it on; audited.

use crate::domain::lead::LeadTarget;
use crate::domain::testkit::*;
use crate::domain::{Action, Actor, Capacity, EventKind, RefusalKind, UserId};

fn coordinator_numbered(user: u64) -> Actor {
    Actor {
        user: UserId(user),
        capacities: vec![Capacity::Coordinator],
    }
}

fn hand_to(user: UserId, coordinator: bool) -> Action {
    Action::TakeLead {
        to: Some(LeadTarget { user, coordinator }),
    }
}

#[test]
fn a_coordinator_takes_the_lead_then_hands_it_to_another_coordinator() {
    let first = coordinator();
    let second = coordinator_numbered(9_001);
    let b = CaseBuilder::proposed().accepted();
    let b = b.act(&first, Action::TakeLead { to: None });
    let lead = b.case().lead.as_ref().expect("a lead");
    assert_eq!((lead.user, lead.since.by), (first.user, first.user));
    assert_eq!(
        b.events().last().map(|e| &e.kind),
        Some(&EventKind::LeadChanged {
            lead: first.user,
            from: None
        })
    );
    let b = b.act(&first, hand_to(second.user, true));
    let lead = b.case().lead.as_ref().expect("a lead");
    assert_eq!((lead.user, lead.since.by), (second.user, first.user));
    // Both changes stay in the audit trail.
    let changes: Vec<_> = b
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::LeadChanged { .. }))
        .collect();
    assert_eq!(changes.len(), 2);
    assert_eq!(
        changes[1].kind,
        EventKind::LeadChanged {
            lead: second.user,
            from: Some(first.user)
        }
    );
    // The second coordinator may take it back for the first? No: the first takes it back.
    let b = b.act(&first, Action::TakeLead { to: None });
    assert_eq!(b.case().lead.as_ref().map(|l| l.user), Some(first.user));
}

#[test]
fn handing_the_lead_to_someone_who_is_not_a_coordinator_is_refused() {
    let b = CaseBuilder::proposed();
    let r = b
        .try_act(&coordinator(), &hand_to(head_of(HOME).user, false))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("not a coordinator"), "{r}");
}

#[test]
fn taking_a_lead_you_already_have_is_refused() {
    let b = CaseBuilder::proposed().act(&coordinator(), Action::TakeLead { to: None });
    let r = b
        .try_act(&coordinator(), &Action::TakeLead { to: None })
        .unwrap_err();
    assert!(r.message().starts_with("You already lead case"), "{r}");
    let other = coordinator_numbered(9_002);
    let r = b
        .try_act(&other, &hand_to(coordinator().user, true))
        .unwrap_err();
    assert!(r.message().contains("already leads"), "{r}");
}

#[test]
fn only_coordinators_lead_and_a_head_of_another_school_learns_nothing() {
    let b = CaseBuilder::proposed();
    let take = Action::TakeLead { to: None };
    let r = b.try_act(&head_of(HOME), &take).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert_eq!(r.message(), "Only coordinators can lead a case.");
    let r = b.try_act(&head_of(UNINVOLVED), &take).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotFound);
}

#[test]
fn a_closed_case_takes_no_lead_but_a_returning_one_does() {
    let take = Action::TakeLead { to: None };
    let closed = CaseBuilder::proposed().declined();
    let r = closed.try_act(&coordinator(), &take).unwrap_err();
    assert!(r.message().contains("closed cases are read-only"), "{r}");
    let returning = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .terminating();
    assert!(returning.try_act(&coordinator(), &take).is_ok());
}
