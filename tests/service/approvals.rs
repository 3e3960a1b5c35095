//! Issue 14, items 4, 6, 7 and 11, through the service and a real database: the extra
//! approval asked in the coordinators' channel and refused without writing anything, the
//! agreement PDF listing each consent with its terms, the safeguarding record, and a head
//! of two schools' statistics.

use managed_moves::domain::approvals::Approver;
use managed_moves::domain::{Action, ActionKind, Capacity, CaseState, MoveKind, RefusalKind};
use managed_moves::service::reports::DocumentKind;
use managed_moves::service::{Audience, Notice};
use managed_moves::stats::Period;
use sqlx::SqlitePool;

use crate::common::{day, terms, text, world, world_with, DESTINATION, HOME, UNINVOLVED};

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[sqlx::test]
async fn accepting_a_year_10_move_asks_the_coordinators_in_their_channel(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.notifier.take();
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    let sent = w.notifier.take();
    assert!(
        sent.iter().any(
            |n| n.audience == Audience::Coordinators && n.notice == Notice::ExtraApprovalNeeded
        ),
        "{sent:?}"
    );
    assert_eq!(
        w.count("outbox WHERE kind = 'extra_approval_needed' AND audience = 'coordinators'")
            .await,
        1
    );
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.approval_asked, Some(Approver::Coordinator));
}

#[sqlx::test]
async fn a_refused_approval_writes_nothing_and_the_coordinators_approval_is_kept(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    let (events, outbox) = (w.count("case_events").await, w.count("outbox").await);
    let approve = || Action::DecideExtraApproval {
        approve: true,
        reason: None,
    };
    for who in [w.head_of(HOME), w.staff_of(DESTINATION), w.seip()] {
        let refused = w.refused(&who, r, approve()).await;
        assert!(
            matches!(
                refused.kind,
                RefusalKind::NotPermitted | RefusalKind::NotFound
            ),
            "{refused:?}"
        );
    }
    assert_eq!(w.count("case_events").await, events, "nothing written");
    assert_eq!(w.count("outbox").await, outbox, "nothing sent");
    // The form is not even opened for someone who may not decide.
    assert!(w
        .service
        .would_allow(&w.head_of(HOME), r, ActionKind::DecideExtraApproval)
        .await
        .is_err());
    w.act(&w.coordinator(), r, approve()).await;
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let approval = case.extra_approval.expect("recorded");
    assert!(approval.approved);
    assert_eq!(approval.recorded.by, w.coordinator().user);
    assert_eq!(case.state, CaseState::Accepted);
}

#[sqlx::test]
async fn the_agreement_lists_each_consent_with_the_terms_it_was_given_for(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let on = day(2026, 11, 24);
    w.agree(r, on, day(2026, 11, 30), 6).await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    // New terms after both consents: the parent agrees again, the pupil not yet.
    w.act(
        &home,
        r,
        Action::RecordAgreement {
            terms: terms(day(2026, 11, 30), 8),
        },
    )
    .await;
    w.act(&destination, r, Action::SignAgreement).await;
    let parent = Action::RecordParentConsent {
        witnessed_by: text("Mr Jones, head of year"),
        on,
        freely_given: true,
    };
    w.act(&home, r, parent).await;
    let refused = w
        .refused(&destination, r, Action::StartMove { on: None })
        .await;
    assert!(
        refused
            .message()
            .contains("record the pupil's agreement again (the terms changed on 2026-11-24)"),
        "{refused}"
    );
    assert!(!refused.message().contains("parent/carer"), "{refused}");
    let doc = w
        .service
        .document(&w.coordinator(), r, DocumentKind::Agreement)
        .await
        .unwrap();
    let text = pdf_text(&doc.bytes);
    assert!(
        text.contains("for version 2 of the terms (the current)"),
        "{text}"
    );
    assert!(
        text.contains("for version 1 of the terms (earlier terms: to be given again)"),
        "{text}"
    );
    assert!(text.contains("Safeguarding information"), "{text}");
    assert!(text.contains("Extra approval"), "{text}");
}

#[sqlx::test]
async fn the_safeguarding_record_names_the_lead_but_never_holds_the_information(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    let early = w
        .refused(&w.staff_of(DESTINATION), r, Action::ConfirmSafeguarding)
        .await;
    assert_eq!(early.kind, RefusalKind::Blocked);
    let shared = Action::RecordSafeguarding {
        dsl: text("Mrs J. Reid"),
        on: day(2026, 11, 23),
        nothing_to_share: false,
    };
    w.act(&w.staff_of(HOME), r, shared).await;
    w.act(&w.staff_of(DESTINATION), r, Action::ConfirmSafeguarding)
        .await;
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let record = case.safeguarding.expect("recorded");
    assert_eq!(record.dsl.as_str(), "Mrs J. Reid");
    assert_eq!(record.on, day(2026, 11, 23));
    assert_eq!(record.recorded.by, w.staff_of(HOME).user);
    assert_eq!(
        record.confirmed.map(|c| c.by),
        Some(w.staff_of(DESTINATION).user)
    );
}

#[sqlx::test]
async fn a_head_of_two_schools_sees_both_schools_statistics(pool: SqlitePool) {
    let w = world(pool).await;
    w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.propose(UNINVOLVED, HOME, MoveKind::ManagedMove).await;
    let mut roles = p_roles(&w, HOME);
    roles.extend(p_roles(&w, DESTINATION));
    let both = w.service.actor(managed_moves::domain::UserId(4242), &roles);
    let period = Period {
        from: day(2026, 9, 1),
        to: day(2026, 12, 31),
    };
    let stats = w.service.stats(&both, period).await.unwrap();
    let keys: Vec<&str> = stats.schools.keys().map(|k| k.as_str()).collect();
    assert_eq!(keys, vec![DESTINATION, HOME]);
    assert_eq!(stats.cases, 2);
    let one = w
        .service
        .stats(&w.head_of(DESTINATION), period)
        .await
        .unwrap();
    assert_eq!(one.cases, 1);
}

fn p_roles(w: &crate::common::World, school: &str) -> Vec<managed_moves::domain::RoleId> {
    w.service
        .roles()
        .roles_for(&Capacity::Head(crate::common::school(school)))
}

#[sqlx::test]
async fn where_the_panel_gives_the_extra_approval_its_members_find_those_moves(pool: SqlitePool) {
    let w = world_with(pool, |c| {
        c.partnership.policy.extra_approval.by = Approver::Seip;
    })
    .await;
    // A Year 10 managed move (the service tests' pupil), accepted: the panel's to approve.
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let seip = w.seip();
    assert!(w.service.list(&seip, true, 0).await.unwrap().is_empty());
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    let listed = w.service.list(&seip, true, 0).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.reference).collect::<Vec<_>>(), [r]);
    let reference = r.to_string();
    for typed in ["", &reference[reference.len() - 4..], reference.as_str()] {
        let offered = w.service.suggest(&seip, typed, 25).await.unwrap();
        assert!(offered.iter().any(|c| c.reference == r), "{typed:?}");
    }
    // The head of an uninvolved school still sees nothing of it.
    let outsider = w.head_of(UNINVOLVED);
    assert!(w.service.list(&outsider, true, 0).await.unwrap().is_empty());
}
