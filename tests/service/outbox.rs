//! The admins' outbox: only admins may list, retry or discard; retry and discard are
//! audited; an unknown number changes nothing.

use crate::common;

use common::*;
use managed_moves::domain::MoveKind;
use managed_moves::service::outbox::{outbox_text, OutboxAction, OutboxAnswer};
use managed_moves::store::DeliveryError;
use sqlx::SqlitePool;

async fn oldest_row(w: &World) -> i64 {
    sqlx::query_scalar("SELECT MIN(id) FROM outbox")
        .fetch_one(w.service.store().pool())
        .await
        .expect("a row")
}

#[sqlx::test]
async fn only_admins_see_or_touch_the_outbox(pool: SqlitePool) {
    let w = world(pool).await;
    w.propose("riverside", "hillcrest", MoveKind::ManagedMove)
        .await;
    let id = oldest_row(&w).await;
    for actor in [w.coordinator(), w.head_of("riverside"), w.nobody()] {
        for action in [
            OutboxAction::List,
            OutboxAction::Retry(id),
            OutboxAction::Discard(id),
        ] {
            let e = w.service.outbox(&actor, action).await.expect_err("refused");
            assert!(e.refusal().is_some(), "{e}");
        }
    }
    assert_eq!(w.count("admin_audit").await, 0);
}

#[sqlx::test]
async fn a_set_aside_message_is_listed_retried_and_discarded_with_an_audit_line(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w
        .propose("riverside", "hillcrest", MoveKind::ManagedMove)
        .await;
    let store = w.service.store();
    let id = oldest_row(&w).await;
    let error = DeliveryError {
        status: Some(403),
        code: Some(50013),
        message: "Missing Permissions".into(),
    };
    store
        .set_aside(id, start_time(), &error)
        .await
        .expect("set aside");
    let admin = w.admin();

    let Ok(OutboxAnswer::Listed(rows)) = w.service.outbox(&admin, OutboxAction::List).await else {
        panic!("a list")
    };
    let text = outbox_text(&rows);
    assert!(text.contains(&format!("#{id}")), "{text}");
    assert!(text.contains(&r.to_string()), "{text}");
    assert!(
        text.contains("set aside · last error: HTTP 403, code 50013: Missing Permissions"),
        "{text}"
    );

    let retried = w.service.outbox(&admin, OutboxAction::Retry(id)).await;
    assert!(matches!(retried, Ok(OutboxAnswer::Retried(n)) if n == id));
    assert_eq!(store.set_aside_count().await.unwrap(), 0);
    let discarded = w.service.outbox(&admin, OutboxAction::Discard(id)).await;
    assert!(matches!(discarded, Ok(OutboxAnswer::Discarded(n)) if n == id));
    // Gone from the list; a second discard or a retry of it is refused and not audited.
    for again in [OutboxAction::Discard(id), OutboxAction::Retry(id)] {
        let e = w.service.outbox(&admin, again).await.expect_err("refused");
        assert!(e.to_string().contains("No undelivered message"), "{e}");
    }
    let audit: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT actor, action, outbox_id FROM admin_audit ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let who = admin.user.0 as i64;
    assert_eq!(
        audit,
        vec![(who, "retry".into(), id), (who, "discard".into(), id)]
    );
}
