//! Changes to a running placement over a real database: the extension both heads agree
//! (audited, reminders follow), a parent's request for a review (its reminder), and an
//! outcome disputed between the heads (not applied, in the coordinators' digest).

use managed_moves::domain::{Action, EventKind, Outcome, RefusalKind, ReviewKind};
use managed_moves::scheduler::digest_lines;
use managed_moves::service::reports::DocumentKind;
use managed_moves::service::{Audience, Notice};
use managed_moves::store::ReminderState;
use sqlx::SqlitePool;

use crate::common::*;
use crate::reminders::{active_case, reminder, reminders};

fn extend(weeks: u8) -> Action {
    Action::Extend {
        weeks,
        reason: text("Attendance improving; more time to secure it."),
    }
}

#[sqlx::test]
async fn an_extension_agreed_by_both_heads_is_audited_and_moves_the_final_review_reminder(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let r = active_case(&w, day(2027, 1, 11), 6).await;
    let before = reminder(&w, r, "final_review").await.about_on;
    assert_eq!(before, day(2027, 2, 22));
    w.notifier.take();

    w.act(&w.head_of(HOME), r, extend(2)).await;
    // The other head is asked, in the thread, with the Agree button.
    let asked = w.notifier.take();
    assert!(asked.iter().any(|n| n.notice == Notice::ExtensionAsked
        && n.audience
            == Audience::Head {
                school: school(DESTINATION)
            }));
    assert_eq!(
        reminder(&w, r, "final_review").await.about_on,
        before,
        "not yet"
    );

    w.act(&w.head_of(DESTINATION), r, extend(2)).await;
    let after = reminder(&w, r, "final_review").await;
    assert_eq!(after.about_on, day(2027, 3, 8));
    assert_eq!(after.state, ReminderState::Pending);
    assert!(
        reminders(&w, r)
            .await
            .iter()
            .any(|x| x.key == "overdue_extension_consent" && x.state == ReminderState::Pending),
        "the parent's agreement to the new length is reminded"
    );
    let history = w.service.history(&w.coordinator(), r).await.unwrap();
    let names: Vec<&str> = history.iter().map(|e| e.event.kind.name()).collect();
    assert!(
        names.ends_with(&["extension_requested", "extension_agreed"]),
        "{names:?}"
    );
    assert_eq!(
        history.last().unwrap().event.by,
        w.head_of(DESTINATION).user
    );
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.agreement.unwrap().terms.weeks, 8);
}

#[sqlx::test]
async fn a_refused_extension_writes_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2027, 1, 11), 6).await;
    let events = w.count("case_events").await;
    let staff = w.refused(&w.staff_of(DESTINATION), r, extend(2)).await;
    assert_eq!(staff.kind, RefusalKind::NotPermitted);
    let past = w.refused(&w.head_of(HOME), r, extend(7)).await;
    assert_eq!(past.field.as_deref(), Some("weeks"));
    w.act(&w.head_of(HOME), r, extend(2)).await;
    w.act(&w.head_of(DESTINATION), r, extend(2)).await;
    let events = events + 2;
    let again = w.refused(&w.head_of(HOME), r, extend(1)).await;
    assert_eq!(again.kind, RefusalKind::WrongState);
    assert_eq!(w.count("case_events").await, events);
}

#[sqlx::test]
async fn a_parents_request_plans_a_review_reminder_that_a_held_review_cancels(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2027, 1, 11), 6).await;
    w.clock.set(at(2027, 1, 18));
    w.act(
        &w.head_of(DESTINATION),
        r,
        Action::RecordReviewRequest {
            on: day(2027, 1, 18),
        },
    )
    .await;
    let due = reminder(&w, r, "overdue_requested_review").await;
    assert_eq!(
        due.about_on,
        day(2027, 2, 1),
        "ten school days after Mon 18 Jan"
    );
    assert_eq!(due.state, ReminderState::Pending);
    w.clock.set(at(2027, 1, 25));
    w.act(
        &w.head_of(HOME),
        r,
        Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: day(2027, 1, 25),
            notes: text("Brought forward at the parent's request."),
        },
    )
    .await;
    assert_eq!(
        reminder(&w, r, "overdue_requested_review").await.state,
        ReminderState::Cancelled
    );
}

#[sqlx::test]
async fn a_disputed_outcome_is_not_applied_and_shows_in_the_digest(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_case(&w, day(2027, 1, 11), 6).await;
    // The midpoint review comes first (`policy.midpoint_required`).
    w.clock.set(at(2027, 2, 1));
    w.act(
        &w.head_of(HOME),
        r,
        Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: day(2027, 2, 1),
            notes: text("On track."),
        },
    )
    .await;
    w.clock.set(at(2027, 2, 22));
    w.act(
        &w.head_of(HOME),
        r,
        Action::RecordReview {
            review: ReviewKind::Final,
            held_on: day(2027, 2, 22),
            notes: text("Mixed progress."),
        },
    )
    .await;
    let outcome = |o| Action::RecordOutcome {
        outcome: o,
        note: text("Our view at the final review."),
    };
    w.act(&w.head_of(HOME), r, outcome(Outcome::Permanent))
        .await;
    let said = w
        .service
        .act(&w.head_of(DESTINATION), r, outcome(Outcome::Returned))
        .await
        .unwrap();
    let told = said.events[0].kind.summary(w.service.partnership());
    assert!(
        told.contains(&format!("<@{}>", w.head_of(HOME).user)),
        "{told}"
    );
    assert!(said.case.outcome.is_none());
    let cases = w.service.list(&w.coordinator(), true, 0).await.unwrap();
    let p = w.service.partnership();
    let lines = digest_lines(&cases, p, w.service.reminder_settings(), day(2027, 2, 23));
    assert!(
        lines.iter().any(|l| l.contains("outcome disputed")),
        "{lines:?}"
    );
    assert!(matches!(
        said.events[0].kind,
        EventKind::OutcomeDisputed { .. }
    ));
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[sqlx::test]
async fn the_agreement_pdf_says_the_placement_was_extended_and_the_parent_agreed_again(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let r = active_case(&w, day(2027, 1, 11), 6).await;
    w.clock.set(at(2027, 1, 20));
    w.act(&w.head_of(HOME), r, extend(2)).await;
    w.act(&w.head_of(DESTINATION), r, extend(2)).await;
    let pdf = |w: &World| {
        let service = w.service.clone();
        let coordinator = w.coordinator();
        async move {
            let doc = service
                .document(&coordinator, r, DocumentKind::Agreement)
                .await
                .unwrap();
            // Long rows wrap: compare with single spaces.
            pdf_text(&doc.bytes)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        }
    };
    let shown = pdf(&w).await;
    assert!(
        shown
            .contains("8 weeks (extended from 6 weeks by both heads on Wednesday 20 January 2027)"),
        "{shown}"
    );
    assert!(shown.contains("not yet recorded"), "{shown}");
    w.act(
        &w.head_of(HOME),
        r,
        Action::RecordParentConsent {
            witnessed_by: text("Mr Jones, head of year"),
            on: day(2027, 1, 20),
            freely_given: true,
        },
    )
    .await;
    let shown = pdf(&w).await;
    assert!(
        shown.contains("agreed freely on Wednesday 20 January 2027, as heard by Mr Jones"),
        "{shown}"
    );
    assert!(
        !reminders(&w, r)
            .await
            .iter()
            .any(|x| x.key == "extension_consent" && x.state == ReminderState::Pending),
        "recorded: no more reminder"
    );
}
