//! The returning stage and the follow-up over a real database: the parent's withdrawn
//! consent sends the pupil home through the stage, its reminders are planned and dropped
//! as the steps are recorded, and the follow-up one term on is audited and refused early.

use crate::common;

use common::*;
use managed_moves::domain::attendance::Percent;
use managed_moves::domain::{Action, CaseRef, CaseState, MoveKind, Outcome, RefusalKind};
use sqlx::SqlitePool;

async fn active_move(w: &World) -> CaseRef {
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = day(2026, 11, 24);
    w.agree(r, today, today, 6).await;
    w.act(&home, r, meeting_held(today)).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today,
        la_notified: today,
    };
    w.act(&destination, r, registered).await;
    w.act(&home, r, Action::StartMove { on: None }).await;
    r
}

async fn pending_keys(w: &World, r: CaseRef) -> Vec<String> {
    let (id, _) = w.service.store().find_case(r).await.unwrap().unwrap();
    let mut keys: Vec<String> = w
        .service
        .store()
        .reminders_of_case(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|x| x.state == managed_moves::store::ReminderState::Pending)
        .map(|x| x.key)
        .collect();
    keys.sort();
    keys
}

fn follow_up() -> Action {
    Action::RecordFollowUp {
        on_roll: true,
        attendance: Percent::from_tenths(955),
        suspensions: 0,
        note: None,
    }
}

#[sqlx::test]
async fn a_withdrawn_consent_sends_the_pupil_home_through_the_returning_stage(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_move(&w).await;
    let withdrawn = Action::RecordConsentWithdrawn {
        on: day(2026, 11, 24),
        reason: text("The family want the pupil back at the home school."),
    };
    let refused = w.refused(&w.staff_of(HOME), r, withdrawn.clone()).await;
    assert_eq!(refused.kind, RefusalKind::NotPermitted);
    w.act(&w.head_of(HOME), r, withdrawn).await;
    let case = w.service.store().find_case(r).await.unwrap().unwrap().1;
    assert_eq!(case.state, CaseState::Returning);
    assert_eq!(
        pending_keys(&w, r).await,
        [
            "escalated_reintegration_meeting",
            "escalated_reintegration_plan",
            "escalated_return_registration_destination",
            "escalated_return_registration_home",
            "overdue_reintegration_meeting",
            "overdue_reintegration_plan",
            "overdue_return_registration_destination",
            "overdue_return_registration_home"
        ],
        "the placement's reminders gave way to the stage's steps (the escalation rule's)"
    );
    w.reintegrate(r, day(2026, 11, 24)).await;
    let case = w.service.store().find_case(r).await.unwrap().unwrap().1;
    assert_eq!(case.state, CaseState::Terminated);
    assert_eq!(case.outcome, Some(Outcome::Returned));
    assert_eq!(
        pending_keys(&w, r).await,
        ["escalated_follow_up", "overdue_follow_up"]
    );
    // It calls on the head of the school now responsible: the home school after a return.
    let (id, _) = w.service.store().find_case(r).await.unwrap().unwrap();
    let reminders = w.service.store().reminders_of_case(id).await.unwrap();
    let follow_up = reminders
        .iter()
        .find(|x| x.key == "overdue_follow_up")
        .unwrap();
    assert!(
        follow_up.audience.contains("head") && follow_up.audience.contains(HOME),
        "{}",
        follow_up.audience
    );
}

#[sqlx::test]
async fn the_follow_up_is_refused_early_and_then_recorded_once_as_an_event(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_move(&w).await;
    let reason = text("Serious breach of policy.");
    w.act(&w.head_of(DESTINATION), r, Action::Terminate { reason })
        .await;
    w.reintegrate(r, day(2026, 11, 24)).await;
    let events = w.count("case_events").await;
    let early = w.refused(&w.head_of(HOME), r, follow_up()).await;
    assert_eq!(early.kind, RefusalKind::WrongState);
    assert_eq!(
        w.count("case_events").await,
        events,
        "a refusal writes nothing"
    );
    // 24 November 2026 + 60 school days (past Christmas and February half-term):
    // Wednesday 10 March 2027; the day before is still early.
    w.clock.set(at(2027, 3, 9));
    let early = w.refused(&w.head_of(HOME), r, follow_up()).await;
    assert!(early.message().contains("Wed 10 Mar 2027"), "{early}");
    w.clock.set(at(2027, 3, 10));
    w.act(&w.staff_of(HOME), r, follow_up()).await;
    assert_eq!(w.count("case_events").await, events + 1);
    assert!(
        pending_keys(&w, r).await.is_empty(),
        "its reminder is done with"
    );
    let again = w.refused(&w.head_of(HOME), r, follow_up()).await;
    assert_eq!(again.kind, RefusalKind::WrongState);
}
