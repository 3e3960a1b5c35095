//! Case threads in the database: which open cases' threads the daily membership pass looks
//! at, and retention handing a case's thread over for deletion without ever losing its ID.

use crate::common;

use common::*;
use managed_moves::config::Retention;
use managed_moves::domain::{Action, MoveKind};
use managed_moves::store::thread_marks;
use sqlx::SqlitePool;

async fn case_id(w: &World, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM cases WHERE reference = ?")
        .bind(reference)
        .fetch_one(w.service.store().pool())
        .await
        .expect("the case")
}

#[sqlx::test]
async fn the_membership_pass_sees_only_open_cases_threads(pool: SqlitePool) {
    let w = world(pool).await;
    let open = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let closed = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let no_thread = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(
        &w.head_of(HOME),
        closed,
        Action::Withdraw {
            reason: text("The family moved away."),
        },
    )
    .await;
    let store = w.service.store();
    let (open_id, closed_id) = (
        case_id(&w, &open.to_string()).await,
        case_id(&w, &closed.to_string()).await,
    );
    store.set_case_thread(open_id, 111).await.unwrap();
    store.set_case_thread(closed_id, 222).await.unwrap();
    let seen: Vec<(i64, u64)> = store
        .open_case_threads()
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _, thread)| (id, thread))
        .collect();
    assert_eq!(seen, vec![(open_id, 111)], "{no_thread} has no thread yet");
}

#[sqlx::test]
async fn retention_queues_the_thread_and_drops_its_id_only_once_deleted(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(
        &w.head_of(HOME),
        r,
        Action::Withdraw {
            reason: text("The family moved away."),
        },
    )
    .await;
    let store = w.service.store();
    let id = case_id(&w, &r.to_string()).await;
    store.set_case_thread(id, 4242).await.unwrap();
    for key in thread_marks(id) {
        store.set_bot_message(&key, 4242, 1).await.unwrap();
    }

    let policy = Retention::default();
    w.clock.advance(chrono::Duration::days(
        366 * (policy.closed_case_years as i64 + 1),
    ));
    let done = w
        .service
        .apply_retention(&w.admin(), &policy)
        .await
        .expect("retention");
    assert_eq!(done.plan.cases.len(), 1);

    assert_eq!(
        store.case_thread(id).await.unwrap(),
        None,
        "the case forgets it"
    );
    for key in thread_marks(id) {
        assert_eq!(
            store.bot_message(&key).await.unwrap(),
            None,
            "{key} dropped"
        );
    }
    assert_eq!(
        store.threads_to_delete().await.unwrap(),
        vec![4242],
        "kept until deleted"
    );
    store.thread_deleted(4242).await.unwrap();
    assert!(store.threads_to_delete().await.unwrap().is_empty());
}
