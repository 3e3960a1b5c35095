//! Redaction: only admins; the note is overwritten in the stored event and the case, an
//! audited event says who, when and why, the bot is told to edit its posts; anything
//! else (a change or field with no note, an empty reason, a second redaction) is refused
//! and writes nothing.

use crate::common;

use common::*;
use managed_moves::domain::{Case, EventKind, MoveKind};
use managed_moves::service::redaction::REDACTED;
use managed_moves::service::{Audience, Notice};
use sqlx::SqlitePool;

const TRIED: &str = "Attendance panel, part-time timetable, family support worker.";

#[sqlx::test]
async fn an_admin_redacts_a_note_and_the_history_says_who_when_and_why(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w
        .propose("riverside", "hillcrest", MoveKind::ManagedMove)
        .await;
    let admin = w.admin();
    let notes = w.service.redactable(&admin, r).await.unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.seq == 1 && n.field == "/strategies_tried" && TRIED.starts_with(&n.preview)),
        "{notes:?}"
    );
    let before = w.count("outbox").await;
    let outcome = w
        .service
        .redact(
            &admin,
            r,
            1,
            "/strategies_tried",
            "A full name was typed in",
        )
        .await
        .expect("redacted");
    assert_eq!(outcome.case.strategies_tried.as_str(), REDACTED);
    assert!(outcome
        .notifications
        .iter()
        .any(|n| n.audience == Audience::CaseThread && n.notice == Notice::Redacted));
    assert!(
        w.count("outbox").await > before,
        "the bot is told to edit its posts"
    );

    // Stored: the first event no longer holds the text, the last says who, when and why,
    // and the case is still the fold of its events.
    let history = w.service.history(&w.coordinator(), r).await.unwrap();
    let EventKind::Proposed(p) = &history[0].event.kind else {
        panic!("the first event is the proposal")
    };
    assert_eq!(p.strategies_tried.as_str(), REDACTED);
    let last = history.last().unwrap();
    assert_eq!(last.event.by, admin.user);
    assert_eq!(last.event.at, w.service.now());
    match &last.event.kind {
        EventKind::Redacted { seq, field, reason } => {
            assert_eq!((*seq, field.as_str()), (1, "/strategies_tried"));
            assert_eq!(reason.as_str(), "A full name was typed in");
        }
        other => panic!("expected a redaction, got {other:?}"),
    }
    let folded = Case::from_events(r, history.iter().map(|e| &e.event)).unwrap();
    let stored = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(folded, stored);
    let raw: Vec<String> = sqlx::query_scalar("SELECT payload FROM case_events")
        .fetch_all(w.service.store().pool())
        .await
        .unwrap();
    assert!(raw.iter().all(|p| !p.contains("family support worker")));
    let snapshots: Vec<String> = sqlx::query_scalar("SELECT snapshot FROM cases")
        .fetch_all(w.service.store().pool())
        .await
        .unwrap();
    assert!(snapshots
        .iter()
        .all(|s| !s.contains("family support worker")));
    // Redacted already: no longer offered, and refused a second time.
    let notes = w.service.redactable(&admin, r).await.unwrap();
    assert!(notes.iter().all(|n| n.field != "/strategies_tried"));
    let again = w
        .service
        .redact(&admin, r, 1, "/strategies_tried", "twice")
        .await;
    assert!(again.is_err());
}

#[sqlx::test]
async fn only_admins_redact_and_a_wrong_note_or_empty_reason_writes_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w
        .propose("riverside", "hillcrest", MoveKind::ManagedMove)
        .await;
    let events = w.count("case_events").await;
    let outbox = w.count("outbox").await;
    for actor in [w.coordinator(), w.head_of("riverside"), w.nobody()] {
        let e = w
            .service
            .redact(&actor, r, 1, "/strategies_tried", "a name")
            .await
            .unwrap_err();
        assert!(!refusal(e).message().is_empty());
        assert!(w.service.redactable(&actor, r).await.is_err());
    }
    let admin = w.admin();
    for (seq, field, reason) in [
        (1, "/home", "a name"),
        (1, "/pupil/initials", "a name"),
        (7, "/strategies_tried", "a name"),
        (1, "/strategies_tried", "   "),
    ] {
        let refused = w.service.redact(&admin, r, seq, field, reason).await;
        assert!(refused.is_err(), "{seq} {field} {reason:?}");
    }
    assert_eq!(w.count("case_events").await, events);
    assert_eq!(w.count("outbox").await, outbox);
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.strategies_tried.as_str(), TRIED);
}
