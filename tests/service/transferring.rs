//! The transferring stage over a real database: a case both heads made permanent stays
//! open (listed, on the board, reminded) while the rolls change and the records follow; a
//! refused step writes nothing; the last step closes it, cancelling its reminders.

use chrono::{NaiveDate, NaiveTime};

use crate::common::*;
use crate::reminders::{active_case, pending, reminders};
use managed_moves::domain::{Action, CaseRef, CaseState, Outcome, RefusalKind, ReviewKind};
use managed_moves::stats::{Period, Stats};

async fn stats(w: &World) -> Stats {
    let period = Period {
        from: day(2026, 9, 1),
        to: day(2027, 8, 31),
    };
    w.service.stats(&w.coordinator(), period).await.unwrap()
}

/// An active move from Mon 16 Nov 2026 for six weeks, both reviews held on their days and
/// both heads' "permanent": the clock stands on the final review's day.
async fn transferring(w: &World) -> (CaseRef, NaiveDate) {
    let r = active_case(w, day(2026, 11, 16), 6).await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let case = w.service.show(&home, r).await.unwrap();
    let agreement = case.agreement.unwrap();
    let p = w.service.partnership();
    let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
    for (review, on) in [
        (ReviewKind::Midpoint, agreement.midpoint_review),
        (ReviewKind::Final, agreement.final_review),
    ] {
        w.clock.set(p.instant(on, ten));
        let held = Action::RecordReview {
            review,
            held_on: on,
            notes: text("Targets met."),
        };
        w.act(&home, r, held).await;
    }
    for head in [&home, &destination] {
        let permanent = Action::RecordOutcome {
            outcome: Outcome::Permanent,
            note: text("Stays at Hillcrest."),
        };
        w.act(head, r, permanent).await;
    }
    (r, agreement.final_review)
}

#[sqlx::test]
async fn a_transferring_case_stays_open_listed_and_reminded_until_its_last_step_closes_it(
    pool: sqlx::SqlitePool,
) {
    let w = world(pool).await;
    let (r, confirmed) = transferring(&w).await;
    let coordinator = w.coordinator();
    let case = w.service.show(&coordinator, r).await.unwrap();
    assert_eq!(case.state, CaseState::Transferring);

    // Open: in the open list, on the board, with its steps reminded.
    let open = w.service.list(&coordinator, true, 0).await.unwrap();
    assert!(open.iter().any(|c| c.reference == r), "listed as open");
    let board = w.service.store().urgent_open_cases(40).await.unwrap();
    assert!(board.cases.iter().any(|c| c.reference == r), "on the board");
    let keys: Vec<String> = reminders(&w, r)
        .await
        .into_iter()
        .filter(pending)
        .map(|x| x.key)
        .collect();
    for key in [
        "overdue_transfer_main_registration",
        "overdue_transfer_removal",
    ] {
        assert!(keys.contains(&key.to_string()), "{key} in {keys:?}");
    }
    assert!(!keys.iter().any(|k| k == "final_review"), "{keys:?}");
    // Statistics: still open, not yet a permanent transfer; its outcome was decided.
    let figures = stats(&w).await;
    assert_eq!((figures.totals.open, figures.totals.permanent), (1, 0));
    assert_eq!(figures.open_by_state.get("transferring"), Some(&1));
    let decided = figures.mean_days_to_outcome.expect("decided by both heads");

    // A backdated roll change and a removal recorded by the destination: one private
    // sentence each, and nothing written.
    let events = w.count("case_events").await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let backdated = Action::RecordMainRegistration {
        on: day(2026, 11, 30),
        la_notified: confirmed,
    };
    let refused = w.refused(&destination, r, backdated).await;
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(
        refused.message().contains("can't be backdated"),
        "{refused}"
    );
    let by_destination = Action::RecordRemovalFromRoll {
        on: confirmed,
        la_notified: confirmed,
    };
    let refused = w.refused(&destination, r, by_destination).await;
    assert_eq!(refused.kind, RefusalKind::NotPermitted);
    assert_eq!(
        w.count("case_events").await,
        events,
        "refusals write nothing"
    );

    // Two days on, the roll change, then the records: the case closes as permanent.
    w.clock.advance(chrono::Duration::days(2));
    let (on, la_notified) = (confirmed, confirmed);
    w.act(
        &destination,
        r,
        Action::RecordMainRegistration { on, la_notified },
    )
    .await;
    w.act(&home, r, Action::RecordRemovalFromRoll { on, la_notified })
        .await;
    let staff = w.staff_of(HOME);
    let sent = Action::RecordChildProtectionFile {
        sent_on: Some(confirmed),
    };
    w.act(&staff, r, sent).await;
    let received = Action::ConfirmChildProtectionReceipt {
        on: confirmed,
        lead: text("Mrs L. Evans, designated safeguarding lead"),
    };
    w.act(&w.staff_of(DESTINATION), r, received).await;
    w.act(
        &staff,
        r,
        Action::RecordTransferRecordsSent { on: confirmed },
    )
    .await;

    let case = w.service.show(&coordinator, r).await.unwrap();
    assert_eq!(case.state, CaseState::Completed);
    assert_eq!(case.outcome, Some(Outcome::Permanent));
    let left: Vec<_> = reminders(&w, r)
        .await
        .into_iter()
        .filter(pending)
        .map(|x| x.key)
        .collect();
    assert_eq!(
        left,
        ["overdue_follow_up", "escalated_follow_up"],
        "a closed case has no reminder left but its follow-up one term on"
    );
    let open = w.service.list(&coordinator, true, 0).await.unwrap();
    assert!(!open.iter().any(|c| c.reference == r), "no longer open");
    let figures = stats(&w).await;
    assert_eq!((figures.totals.open, figures.totals.permanent), (0, 1));
    assert_eq!(
        figures.mean_days_to_outcome,
        Some(decided),
        "the days to the heads' decision, not to the last record sent"
    );
}
