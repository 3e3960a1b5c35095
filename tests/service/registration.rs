//! Dual registration over a real database: the destination's subsidiary registration gates
//! the start, the home school's code D is reminded (and in the digest) one school day after
//! it until confirmed, and each school confirms only its own side.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::common::*;
use crate::reminders::{active_case, pending, reminders};
use managed_moves::domain::{Action, MoveKind, RefusalKind};
use managed_moves::scheduler::digest_lines;

fn confirm(from: NaiveDate, la_notified: NaiveDate) -> Action {
    Action::ConfirmRegistration {
        school: None,
        from,
        la_notified,
    }
}

#[sqlx::test]
async fn the_home_schools_code_d_is_reminded_and_in_the_digest_until_it_is_confirmed(
    pool: sqlx::SqlitePool,
) {
    let w = world(pool).await;
    // Monday 16 November 2026: code D is due on Tuesday 17th; still owed two school days
    // later, the home school is reminded on Thursday 19th, 08:00 GMT (escalation).
    let start = day(2026, 11, 16);
    let r = active_case(&w, start, 6).await;
    let planned = reminders(&w, r).await;
    let code_d = planned
        .iter()
        .find(|x| x.key == "overdue_home_registration")
        .expect("a code D reminder once the move has started");
    assert!(pending(code_d));
    assert_eq!(
        code_d.due_at,
        Utc.with_ymd_and_hms(2026, 11, 19, 8, 0, 0).unwrap()
    );

    let p = w.service.partnership();
    let settings = w.service.reminder_settings();
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    let digest = digest_lines(std::slice::from_ref(&case), p, settings, day(2026, 11, 18));
    assert!(
        digest.iter().any(|l| l.contains(&r.to_string())
            && l.contains("record code D on the home register")
            && l.contains("overdue since Tue 17 Nov")),
        "{digest:?}"
    );

    // The destination's staff cannot confirm for the home school; its own staff can.
    let refused = w
        .refused(
            &w.staff_of(DESTINATION),
            r,
            Action::ConfirmRegistration {
                school: Some(school(HOME)),
                from: start,
                la_notified: start,
            },
        )
        .await;
    assert_eq!(refused.kind, RefusalKind::NotPermitted);
    w.act(&w.staff_of(HOME), r, confirm(start, start)).await;
    assert!(
        reminders(&w, r)
            .await
            .iter()
            .all(|x| !x.key.ends_with("home_registration") || !pending(x)),
        "the reminder is cancelled once the home school confirms"
    );
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.registrations.len(), 2);
    let digest = digest_lines(std::slice::from_ref(&case), p, settings, day(2026, 11, 18));
    assert!(!digest.iter().any(|l| l.contains("code D")), "{digest:?}");
}

#[sqlx::test]
async fn a_move_does_not_start_until_the_destination_has_registered_the_pupil(
    pool: sqlx::SqlitePool,
) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let today = w.service.partnership().today(w.service.now());
    w.agree(r, today, today, 6).await;
    w.act(&home, r, meeting_held(today)).await;
    let events = w.count("case_events").await;
    let refused = w
        .refused(&destination, r, Action::StartMove { on: None })
        .await;
    assert_eq!(refused.kind, RefusalKind::Blocked);
    assert!(
        refused.message().contains("subsidiary registration"),
        "{refused}"
    );
    assert_eq!(
        w.count("case_events").await,
        events,
        "a refusal writes nothing"
    );
    w.act(&w.staff_of(DESTINATION), r, confirm(today, today))
        .await;
    w.act(&destination, r, Action::StartMove { on: None }).await;
}
