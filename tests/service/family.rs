//! The family's part over a real database (issue 14, items 5 and 8): the parent's copy of
//! the agreement as a PDF and as a start gate, and, for a partnership whose legal basis is
//! an off-site direction, the written notice, its two school days, and the wording.

use std::sync::Arc;

use managed_moves::domain::family::LegalBasis;
use managed_moves::domain::{Action, CaseRef, CaseState, Command, MoveKind, RefusalKind};
use managed_moves::service::reports::DocumentKind;
use managed_moves::service::{ManualClock, RecordingNotifier, Service};
use managed_moves::store::Store;

use crate::common::*;

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

/// The example partnership, its placements under an off-site direction.
async fn off_site_world(pool: sqlx::SqlitePool) -> World {
    let store = Store::from_pool(pool).await.expect("store");
    let clock = Arc::new(ManualClock::new(start_time()));
    let notifier = Arc::new(RecordingNotifier::default());
    let mut config = config();
    config.partnership.policy.legal_basis = LegalBasis::OffSiteDirection;
    let service = Service::new(store, &config, clock.clone(), notifier.clone());
    World {
        service,
        clock,
        notifier,
    }
}

/// Agreed on Tuesday 24 November 2026 to start then, meeting held, registered: what is
/// left is the copy (recorded by `agree`), the notice (off-site) and the start.
async fn agreed(w: &World) -> CaseRef {
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = day(2026, 11, 24);
    w.agree(r, today, today, 6).await;
    let dest = w.head_of(DESTINATION);
    w.act(&dest, r, meeting_held(today)).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today,
        la_notified: today,
    };
    w.act(&dest, r, registered).await;
    r
}

#[sqlx::test]
async fn the_parents_copy_is_plain_english_with_the_partnerships_own_wording_and_blanks(
    pool: sqlx::SqlitePool,
) {
    let w = world(pool).await;
    let r = agreed(&w).await;
    let doc = w
        .service
        .document(&w.head_of(HOME), r, DocumentKind::ParentCopy)
        .await
        .expect("the parent's copy");
    assert_eq!(doc.filename, format!("{r}-parent-copy.pdf"));
    let text = pdf_text(&doc.bytes);
    for needle in [
        "Your copy of the managed move agreement",
        "Attendance above 90%",
        "Midpoint review",
        "Final review",
        "Pupil champion",
        // Config's contact lines, per school, and its complaints wording.
        "01632 960 101",
        "01632 960 202",
        "complaints procedure",
        "ask for a review",
        // Blanks for what the bot does not hold.
        "________",
        // Recorded by `agree`.
        "By hand at the initial meeting",
    ] {
        assert!(text.contains(needle), "no {needle:?} in:\n{text}");
    }
    // Nothing about an off-site direction for a managed-move partnership.
    assert!(!text.contains("off-site"));
}

#[sqlx::test]
async fn the_move_waits_for_the_parents_copy_and_the_home_head_records_it(pool: sqlx::SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = day(2026, 11, 24);
    let (home, dest) = (w.head_of(HOME), w.head_of(DESTINATION));
    // Everything but the copy: a fresh agreement recorded after `agree`'s copy.
    w.agree(r, today, today, 6).await;
    w.clock.advance(chrono::Duration::minutes(5));
    w.act(
        &home,
        r,
        Action::RecordAgreement {
            terms: terms(today, 4),
        },
    )
    .await;
    w.act(&dest, r, Action::SignAgreement).await;
    w.act(&dest, r, meeting_held(today)).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today,
        la_notified: today,
    };
    w.act(&dest, r, registered).await;
    let refused = w.refused(&home, r, Action::StartMove { on: None }).await;
    assert_eq!(refused.kind, RefusalKind::Blocked);
    assert!(
        refused.message().contains("copy of the agreement again"),
        "{refused}"
    );
    // The destination head may not record what the home school gave.
    let copy = Action::RecordParentCopy {
        on: today,
        how: text("Posted first class"),
    };
    let refused = w.refused(&dest, r, copy.clone()).await;
    assert_eq!(refused.kind, RefusalKind::NotPermitted);
    w.act(&home, r, copy).await;
    // The new terms need the parent's and pupil's agreement again too (consents belong to
    // the terms they were given for).
    let parent = Action::RecordParentConsent {
        witnessed_by: text("Mr Jones, head of year"),
        on: today,
        freely_given: true,
    };
    w.act(&home, r, parent).await;
    let pupil = Action::RecordPupilConsent {
        on: today,
        note: None,
    };
    w.act(&home, r, pupil).await;
    w.act(&home, r, Action::StartMove { on: None }).await;
    let case = w.service.show(&home, r).await.unwrap();
    assert_eq!(case.state, CaseState::Active);
    assert_eq!(case.parent_copy.unwrap().how.as_str(), "Posted first class");
}

#[sqlx::test]
async fn a_managed_move_partnership_has_no_notice_to_write_or_record(pool: sqlx::SqlitePool) {
    let w = world(pool).await;
    let r = agreed(&w).await;
    let home = w.head_of(HOME);
    let err = w
        .service
        .document(&home, r, DocumentKind::Notice(None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not off-site direction"), "{err}");
    let notice = Action::RecordNotice {
        on: day(2026, 11, 24),
        how: text("By hand"),
        la_notified: None,
    };
    assert_eq!(
        w.refused(&home, r, notice).await.kind,
        RefusalKind::WrongState
    );
}

#[sqlx::test]
async fn the_notice_states_the_placement_and_is_refused_for_a_start_under_two_school_days_away(
    pool: sqlx::SqlitePool,
) {
    let w = off_site_world(pool).await;
    let r = agreed(&w).await;
    let home = w.head_of(HOME);
    let before = w.service.show(&home, r).await.unwrap().version;
    // The agreed start is today: under two school days away, so no notice is written.
    let notice = |start| w.service.document(&home, r, DocumentKind::Notice(start));
    let said = notice(None).await.unwrap_err().to_string();
    assert!(
        said.contains("Thursday 26 November 2026 at the earliest"),
        "{said}"
    );
    let said = notice(Some(day(2026, 11, 25)))
        .await
        .unwrap_err()
        .to_string();
    assert!(said.contains("at the earliest"), "{said}");
    let said = notice(Some(day(2026, 11, 28)))
        .await
        .unwrap_err()
        .to_string();
    assert!(said.contains("not a school day"), "{said}");
    let said = notice(Some(day(2026, 11, 23)))
        .await
        .unwrap_err()
        .to_string();
    assert!(said.contains("can't state an earlier start"), "{said}");
    assert_eq!(w.service.show(&home, r).await.unwrap().version, before);

    // Stating a start on Thursday 26th, two school days away, it is written.
    let doc = notice(Some(day(2026, 11, 26))).await.expect("the notice");
    assert_eq!(doc.filename, format!("{r}-notice.pdf"));
    let text = pdf_text(&doc.bytes);
    for needle in [
        "Written notice of an off-site direction",
        "to improve their behaviour",
        "Attendance above 90%",
        "Hillcrest School, Hill Road",
        "The head of year, at student reception",
        "Thursday 26 November 2026",
        // Six weeks from Thursday 26 November, less the Christmas holidays and the closure
        // day on 4 January: 17 school days before Christmas and 2 in January.
        "6 weeks: 19 school days",
        "starts 08:35 and ends 15:00",
        "10:45-11:05",
        "________",
    ] {
        assert!(text.contains(needle), "no {needle:?} in:\n{text}");
    }
    // The parent's copy follows the legal basis too.
    let copy = w
        .service
        .document(&home, r, DocumentKind::ParentCopy)
        .await
        .unwrap();
    let copy = pdf_text(&copy.bytes);
    assert!(
        copy.contains("Your copy of the off-site direction agreement"),
        "{copy}"
    );
    assert!(copy.contains("off-site direction"), "{copy}");
}

#[sqlx::test]
async fn an_off_site_direction_starts_two_school_days_after_the_notice(pool: sqlx::SqlitePool) {
    let w = off_site_world(pool).await;
    let r = agreed(&w).await;
    let home = w.head_of(HOME);
    w.act(
        &home,
        r,
        Action::RecordParentCopy {
            on: day(2026, 11, 24),
            how: text("By hand"),
        },
    )
    .await;
    let refused = w.refused(&home, r, Action::StartMove { on: None }).await;
    assert!(
        refused
            .message()
            .contains("written notice of the off-site direction"),
        "{refused}"
    );
    let notice = Action::RecordNotice {
        on: day(2026, 11, 24),
        how: text("By hand at the home school"),
        la_notified: None,
    };
    w.act(&home, r, notice).await;
    // Wednesday 25th: one school day after the notice.
    w.clock.set(at(2026, 11, 25));
    let refused = w.refused(&home, r, Action::StartMove { on: None }).await;
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(
        refused.message().contains("Thursday 26 November 2026"),
        "{refused}"
    );
    // Thursday 26th: it starts.
    w.clock.set(at(2026, 11, 26));
    w.act(&home, r, Action::StartMove { on: None }).await;
    let case = w.service.show(&home, r).await.unwrap();
    assert_eq!(case.started_on, Some(day(2026, 11, 26)));
}

#[sqlx::test]
async fn an_attendance_only_proposal_under_an_off_site_direction_is_warned_not_refused(
    pool: sqlx::SqlitePool,
) {
    let w = off_site_world(pool).await;
    // The common proposal's reason is attendance.
    let command = Command::Propose(proposal(HOME, DESTINATION, MoveKind::ManagedMove));
    let outcome = w
        .service
        .execute(&w.head_of(HOME), command)
        .await
        .expect("proposed");
    let warnings =
        managed_moves::domain::decide::warnings(&outcome.events, w.service.partnership());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("improving behaviour"));
}
