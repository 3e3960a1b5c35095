//! `Service::would_allow`, asked before a reason form opens: by kind of action, with no
//! data, it gives the refusal the command itself would give, and it writes nothing.

use crate::common;

use common::*;
use managed_moves::domain::{Action, ActionKind, MoveKind, RefusalKind};
use sqlx::SqlitePool;

/// Rows in every table a command writes, to show that asking wrote none.
async fn written(w: &World) -> [i64; 4] {
    [
        w.count("cases").await,
        w.count("case_events").await,
        w.count("outbox").await,
        w.count("reminders").await,
    ]
}

#[sqlx::test]
async fn asking_whether_a_decision_is_allowed_answers_as_the_decision_would_and_writes_nothing(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let before = written(&w).await;

    // The destination head may decline a proposal: the form opens.
    w.service
        .would_allow(&destination, r, ActionKind::Decline)
        .await
        .expect("the destination head may decline");
    // The home head may not, and hears the same sentence the decline itself gives.
    let asked = refusal(
        w.service
            .would_allow(&home, r, ActionKind::Decline)
            .await
            .expect_err("the home head may not decline"),
    );
    let done = w
        .refused(
            &home,
            r,
            Action::Decline {
                reason: text("No places."),
            },
        )
        .await;
    assert_eq!(asked, done);
    assert_eq!(asked.kind, RefusalKind::NotPermitted);

    // A panel decision on a managed move: SEIP members can't see the case at all.
    let hidden = refusal(
        w.service
            .would_allow(&w.seip(), r, ActionKind::PanelDecide)
            .await
            .expect_err("SEIP can't see a managed move"),
    );
    assert_eq!(hidden.kind, RefusalKind::NotFound);
    assert_eq!(written(&w).await, before, "asking wrote nothing");
}

#[sqlx::test]
async fn a_decision_the_case_has_moved_past_is_refused_before_the_form(pool: SqlitePool) {
    let w = world(pool).await;
    let destination = w.head_of(DESTINATION);
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(
        &destination,
        r,
        Action::Decline {
            reason: text("No places in year 10."),
        },
    )
    .await;
    let before = written(&w).await;
    let asked = refusal(
        w.service
            .would_allow(&destination, r, ActionKind::Decline)
            .await
            .expect_err("a declined case is closed"),
    );
    assert_eq!(asked.kind, RefusalKind::WrongState);
    assert!(
        asked.message().contains("closed cases are read-only"),
        "{asked}"
    );
    assert_eq!(written(&w).await, before);
}
