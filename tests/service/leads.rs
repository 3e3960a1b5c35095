//! Case leads and reopening (issue 15, parts 4 and 5) through the service: audited events,
//! names from the people machinery, the head called to confirm, reminders planned again,
//! and every bad input refused with one sentence and nothing written.

use crate::common;

use common::*;
use managed_moves::domain::lead::LeadTarget;
use managed_moves::domain::{Action, Capacity, CaseState, MoveKind};
use managed_moves::service::{Audience, Notice};
use managed_moves::store::ReminderState;
use managed_moves::view;
use sqlx::SqlitePool;

fn hand_to(w: &World, user: u64) -> Action {
    let actor = w.person(user, Capacity::Coordinator);
    Action::TakeLead {
        to: Some(LeadTarget {
            user: actor.user,
            coordinator: true,
        }),
    }
}

#[sqlx::test]
async fn a_lead_taken_and_handed_over_is_named_on_the_card_and_the_board(pool: SqlitePool) {
    let w = world(pool).await;
    let first = w.coordinator();
    let second = w.person(950, Capacity::Coordinator);
    w.service.note_name(&first, "A. Khan").await;
    w.service.note_name(&second, "B. Osei").await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.notifier.take();

    w.act(&first, r, Action::TakeLead { to: None }).await;
    let p = w.service.partnership();
    let case = w.service.show(&first, r).await.unwrap();
    let card = view::case_card(&case, p).to_text();
    assert!(card.contains("Lead: A. Khan"), "{card}");
    // The case thread is told, in its history.
    let told = w.notifier.take();
    assert!(told.iter().any(|n| n.audience == Audience::CaseThread
        && matches!(&n.notice, Notice::CaseEvent { summary, .. } if summary == &format!("<@{}> leads the case", first.user))));

    w.act(&first, r, hand_to(&w, 950)).await;
    let mut cases = w.service.list(&first, true, 0).await.unwrap();
    w.service.name_leads(&mut cases).await;
    let board = view::board(&cases, p, p.today(w.service.now()));
    assert!(board[0].text.ends_with(" · lead: B. Osei"), "{board:?}");
    let history = w.service.history(&first, r).await.unwrap();
    let leads: Vec<&str> = history
        .iter()
        .map(|e| e.event.kind.name())
        .filter(|n| *n == "lead_changed")
        .collect();
    assert_eq!(leads.len(), 2, "both changes are audited");
    // The new lead reads the case the same way.
    let case = w.service.show(&second, r).await.unwrap();
    assert_eq!(
        case.lead.as_ref().and_then(|l| l.name.clone()).as_deref(),
        Some("B. Osei")
    );
}

#[sqlx::test]
async fn bad_lead_inputs_are_refused_and_write_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let events = w.count("case_events").await;
    let take = Action::TakeLead { to: None };
    let head = w.refused(&w.head_of(HOME), r, take.clone()).await;
    assert_eq!(head.message(), "Only coordinators can lead a case.");
    let unseen = w.refused(&w.head_of(UNINVOLVED), r, take.clone()).await;
    assert!(unseen.message().starts_with("There is no case"), "{unseen}");
    let not_coordinator = Action::TakeLead {
        to: Some(LeadTarget {
            user: w.head_of(HOME).user,
            coordinator: false,
        }),
    };
    let r2 = w.refused(&w.coordinator(), r, not_coordinator).await;
    assert!(r2.message().contains("not a coordinator"), "{r2}");
    assert_eq!(w.count("case_events").await, events);
}

#[sqlx::test]
async fn a_reopen_asked_and_confirmed_puts_the_case_back_and_plans_its_reminders(pool: SqlitePool) {
    let w = world(pool).await;
    let (coordinator, destination) = (w.coordinator(), w.head_of(DESTINATION));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let nudge = |w: &World| {
        let store = w.service.store().clone();
        async move {
            let (id, _) = store.find_case(r).await.unwrap().unwrap();
            let all = store.reminders_of_case(id).await.unwrap();
            all.into_iter()
                .find(|x| x.key == "overdue_answer_proposal")
                .map(|x| x.state)
        }
    };
    assert_eq!(nudge(&w).await, Some(ReminderState::Pending));
    let decline = Action::Decline {
        reason: text("No places in year 9."),
    };
    w.act(&destination, r, decline).await;
    assert_eq!(nudge(&w).await, Some(ReminderState::Cancelled));
    w.notifier.take();

    let ask = Action::AskReopen {
        reason: text("Declined by mistake: a place came free."),
    };
    w.act(&coordinator, r, ask).await;
    // The destination head, whose decline closed it, is called to confirm.
    let called: Vec<Audience> = w
        .notifier
        .take()
        .into_iter()
        .filter(|n| n.notice == Notice::ReopenAsked)
        .map(|n| n.audience)
        .collect();
    assert_eq!(
        called,
        [Audience::Head {
            school: school(DESTINATION)
        }]
    );
    let case = w.service.show(&coordinator, r).await.unwrap();
    assert_eq!(
        case.state,
        CaseState::Declined,
        "asking changes nothing yet"
    );
    let card = view::case_card(&case, w.service.partnership()).to_text();
    assert!(card.contains("Reopen asked"), "{card}");

    w.act(&destination, r, Action::ConfirmReopen).await;
    let case = w.service.show(&coordinator, r).await.unwrap();
    assert_eq!(case.state, CaseState::Proposed);
    assert_eq!(case.closing_reason, None);
    assert_eq!(
        nudge(&w).await,
        Some(ReminderState::Pending),
        "reminders planned again"
    );
    let names: Vec<&str> = w
        .service
        .history(&coordinator, r)
        .await
        .unwrap()
        .iter()
        .map(|e| e.event.kind.name())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(3)
        .collect();
    assert_eq!(names, ["reopened", "reopen_asked", "declined"]);
    // Open again: the board lists it.
    let open = w.service.list(&coordinator, true, 0).await.unwrap();
    assert!(open.iter().any(|c| c.reference == r));
}

#[sqlx::test]
async fn bad_reopen_inputs_are_refused_and_write_nothing(pool: SqlitePool) {
    let w = world_with(pool, |c| c.partnership.policy.reopen_within_school_days = 2).await;
    let (coordinator, home, destination) =
        (w.coordinator(), w.head_of(HOME), w.head_of(DESTINATION));
    let ask = || Action::AskReopen {
        reason: text("Closed in error."),
    };
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let events = w.count("case_events").await;
    let open = w.refused(&coordinator, r, ask()).await;
    assert!(open.message().contains("was never closed"), "{open}");
    let decline = Action::Decline {
        reason: text("No places in year 9."),
    };
    w.act(&destination, r, decline).await;
    let events = events + 1;
    let nobody_asked = w.refused(&destination, r, Action::ConfirmReopen).await;
    assert!(
        nobody_asked.message().starts_with("Nobody has asked"),
        "{nobody_asked}"
    );
    let a_head_asks = w.refused(&destination, r, ask()).await;
    assert!(
        a_head_asks.message().contains("Only coordinators"),
        "{a_head_asks}"
    );
    w.act(&coordinator, r, ask()).await;
    let events = events + 1;
    let wrong_school = w.refused(&home, r, Action::ConfirmReopen).await;
    assert!(
        wrong_school
            .message()
            .starts_with("Only a head of Hillcrest"),
        "{wrong_school}"
    );
    let staff = w
        .refused(&w.staff_of(DESTINATION), r, Action::ConfirmReopen)
        .await;
    assert!(staff.message().starts_with("Only a head"), "{staff}");
    let coordinator_confirms = w.refused(&coordinator, r, Action::ConfirmReopen).await;
    assert!(
        coordinator_confirms.message().starts_with("Only a head"),
        "{coordinator_confirms}"
    );
    // A fortnight later the window (two school days) has closed.
    w.clock.set(w.service.now() + chrono::Duration::days(14));
    let late = w.refused(&destination, r, Action::ConfirmReopen).await;
    assert!(
        late.message().contains("only within 2 school days"),
        "{late}"
    );
    assert_eq!(w.count("case_events").await, events);
}
