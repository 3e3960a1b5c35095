//! Recorded once: a command from a Discord interaction keeps the interaction's ID with its
//! events, so the same interaction delivered twice, or the same person's same command on the
//! same case sent again within the double-click window under a new ID, gets the first answer
//! and writes nothing. Commands without an interaction (the CLI) are not affected.

use crate::common;

use chrono::TimeDelta;
use common::*;
use managed_moves::domain::{Action, Command, MoveKind, RefusalKind};
use managed_moves::service::DOUBLE_CLICK_WINDOW;
use sqlx::SqlitePool;

fn decline(reason: &str) -> Action {
    Action::Decline {
        reason: text(reason),
    }
}

#[sqlx::test]
async fn the_same_interaction_delivered_twice_is_recorded_once(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let head = w.head_of(DESTINATION);
    let (events, outbox) = (w.count("case_events").await, w.count("outbox").await);

    let first = w
        .service
        .act_interaction(&head, r, Action::Accept, 1_111)
        .await
        .expect("accepted");
    // Long after any double-click window: the same ID is still the same interaction.
    w.clock.advance(TimeDelta::hours(1));
    let replay = w
        .service
        .act_interaction(&head, r, Action::Accept, 1_111)
        .await
        .expect("a replay gets the first answer, not a refusal");

    assert!(!first.repeated && replay.repeated);
    assert_eq!(replay.events, first.events, "the first answer");
    assert!(replay.notifications.is_empty(), "nothing is sent again");
    // The acceptance, and (Year 10) the extra approval it asks for: once.
    assert_eq!(
        w.count("case_events").await,
        events + first.events.len() as i64,
        "one acceptance"
    );
    assert_eq!(first.events.len(), 2);
    assert_eq!(
        w.count("outbox").await,
        outbox + first.notifications.len() as i64
    );
    assert_eq!(w.count("interaction_receipts").await, 1);
}

#[sqlx::test]
async fn a_double_click_within_the_window_is_recorded_once(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let head = w.head_of(DESTINATION);
    let events = w.count("case_events").await;

    let first = w
        .service
        .act_interaction(&head, r, decline("No place in year 9"), 2_001)
        .await
        .expect("declined");
    w.clock.advance(DOUBLE_CLICK_WINDOW - TimeDelta::seconds(1));
    // A second tab: a new interaction ID, the same person, action, inputs and case.
    let second = w
        .service
        .act_interaction(&head, r, decline("No place in year 9"), 2_002)
        .await
        .expect("the first answer, not 'already declined'");

    assert!(second.repeated);
    assert_eq!(second.events, first.events);
    assert_eq!(w.count("case_events").await, events + 1);
    assert_eq!(
        w.count("interaction_receipts").await,
        1,
        "the repeat writes no receipt either"
    );
}

#[sqlx::test]
async fn the_same_click_after_the_window_is_a_new_command(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let head = w.head_of(DESTINATION);
    w.service
        .act_interaction(&head, r, Action::Accept, 3_001)
        .await
        .expect("accepted");
    w.clock.advance(DOUBLE_CLICK_WINDOW + TimeDelta::seconds(1));
    let late = w
        .service
        .act_interaction(&head, r, Action::Accept, 3_002)
        .await
        .expect_err("decided afresh: the case is already accepted");
    assert_eq!(refusal(late).kind, RefusalKind::WrongState);
}

#[sqlx::test]
async fn different_inputs_cases_or_people_are_never_taken_for_a_repeat(pool: SqlitePool) {
    let w = world(pool).await;
    let one = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let two = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let head = w.head_of(DESTINATION);

    // The same click on two cases, at the same moment: two acceptances.
    let a = w.service.act_interaction(&head, one, Action::Accept, 4_001);
    let a = a.await.expect("first case accepted");
    let b = w.service.act_interaction(&head, two, Action::Accept, 4_002);
    let b = b.await.expect("second case accepted");
    assert!(!a.repeated && !b.repeated);

    // Another action on the same case, at the same moment, is a new command.
    let other = w
        .service
        .act_interaction(&head, one, decline("Changed our mind"), 4_003)
        .await
        .expect("the decline is decided on its merits");
    assert!(!other.repeated);
    assert_eq!(other.events[0].kind.name(), "declined");

    // Another person's same command is theirs: here refused, since they may not accept.
    let staff = w.staff_of(DESTINATION);
    let theirs = w
        .service
        .act_interaction(&staff, two, Action::Accept, 4_004)
        .await;
    assert!(theirs.is_err(), "staff may not accept: {theirs:?}");
}

#[sqlx::test]
async fn a_replayed_proposal_makes_one_case_and_a_new_one_makes_another(pool: SqlitePool) {
    let w = world(pool).await;
    let home = w.head_of(HOME);
    let command = || Command::Propose(proposal(HOME, DESTINATION, MoveKind::ManagedMove));

    let first = w.service.execute_interaction(&home, command(), 5_001).await;
    let first = first.expect("proposed");
    let replay = w.service.execute_interaction(&home, command(), 5_001).await;
    let replay = replay.expect("the first answer");
    assert!(replay.repeated);
    assert_eq!(replay.case.reference, first.case.reference);
    assert_eq!(w.count("cases").await, 1);

    // Two pupils can share initials and year: a second proposal is never merged.
    let another = w.service.execute_interaction(&home, command(), 5_002).await;
    let another = another.expect("a second case");
    assert_ne!(another.case.reference, first.case.reference);
    assert_eq!(w.count("cases").await, 2);
}

#[sqlx::test]
async fn commands_from_the_cli_are_never_taken_for_a_repeat(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let head = w.head_of(DESTINATION);
    w.act(&head, r, Action::Accept).await;
    let again = w.refused(&head, r, Action::Accept).await;
    assert_eq!(again.kind, RefusalKind::WrongState);
    assert_eq!(w.count("interaction_receipts").await, 0);
}

/// Pending reminders as (case, key), in order.
async fn pending(w: &World) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT case_id, key FROM reminders WHERE state = 'pending' ORDER BY 1, 2")
        .fetch_all(w.service.store().pool())
        .await
        .unwrap()
}

#[sqlx::test]
async fn the_start_up_re_plan_plans_every_case_batch_by_batch(pool: SqlitePool) {
    let w = world(pool).await;
    let cases = 2 * managed_moves::scheduler::REPLAN_BATCH + 1;
    for _ in 0..cases {
        w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    }
    let planned = pending(&w).await;
    let with_a_plan: std::collections::BTreeSet<i64> = planned.iter().map(|p| p.0).collect();
    assert_eq!(with_a_plan.len(), cases, "each proposal has a reminder");

    // As for cases from before reminders existed: no plan at all.
    sqlx::query("DELETE FROM reminders")
        .execute(w.service.store().pool())
        .await
        .unwrap();
    let n = managed_moves::scheduler::replan_all(&w.service).await;
    assert_eq!(n.expect("re-planned"), cases);
    assert_eq!(
        pending(&w).await,
        planned,
        "every batch planned, the last one too"
    );
}
