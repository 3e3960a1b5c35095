//! The service over a real SQLite database: one transaction per command, events stored in
//! order with who and when, the outbox written with them, refusals writing nothing, and
//! each person seeing only the cases they may see.

use crate::common;

use common::*;
use managed_moves::domain::permissions::NO_ROLE;
use managed_moves::domain::{
    Action, Actor, Capacity, Case, CaseRef, CaseState, Command, MoveKind, Outcome, RefusalKind,
    ReviewKind, UserId,
};
use managed_moves::service::{Audience, Notice, Notification};
use sqlx::SqlitePool;

/// Accepted, agreed (6 weeks from 24 November 2026) and started.
async fn active_move(w: &World) -> CaseRef {
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = day(2026, 11, 24);
    w.agree(r, today, today, 6).await;
    w.act(&home, r, meeting_held(today)).await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: today,
        la_notified: today,
    };
    w.act(&destination, r, registered).await;
    w.act(&home, r, Action::StartMove { on: None }).await;
    r
}

#[sqlx::test]
async fn a_managed_move_runs_end_to_end_and_its_history_is_kept(pool: SqlitePool) {
    let w = world(pool).await;
    let (home, destination, staff) = (
        w.head_of(HOME),
        w.head_of(DESTINATION),
        w.staff_of(DESTINATION),
    );
    let r = active_move(&w).await;
    assert_eq!(r.to_string(), "MM-2026-0001");

    w.act(
        &staff,
        r,
        Action::LogCheckIn {
            on: day(2026, 11, 24),
            note: text("Settling in."),
        },
    )
    .await;
    w.clock.set(at(2026, 12, 15));
    w.act(
        &staff,
        r,
        Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: day(2026, 12, 15),
            notes: text("On track."),
        },
    )
    .await;
    w.clock.set(at(2027, 1, 5));
    w.act(
        &home,
        r,
        Action::RecordReview {
            review: ReviewKind::Final,
            held_on: day(2027, 1, 5),
            notes: text("Targets met."),
        },
    )
    .await;
    let permanent = || Action::RecordOutcome {
        outcome: Outcome::Permanent,
        note: text("Stays at Hillcrest."),
    };
    w.act(&home, r, permanent()).await;
    assert_eq!(
        w.service.show(&home, r).await.unwrap().state,
        CaseState::Active,
        "waits for the second head"
    );
    w.act(&destination, r, permanent()).await;

    // Both heads: the transfer begins (roll change and records, `transferring.rs`).
    let case = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(case.state, CaseState::Transferring);

    let history = w.service.history(&staff, r).await.unwrap();
    let trail: Vec<(i64, &str, UserId)> = history
        .iter()
        .map(|s| (s.seq, s.event.kind.name(), s.event.by))
        .collect();
    let (h, d, c, s) = (
        home.user,
        destination.user,
        w.coordinator().user,
        staff.user,
    );
    assert_eq!(
        trail,
        [
            (1, "proposed", h),
            (2, "accepted", d),
            (3, "extra_approval_asked", d),
            (4, "meeting_scheduled", c),
            (5, "parent_consent_recorded", h),
            (6, "pupil_consent_recorded", h),
            (7, "agreement_recorded", h),
            (8, "agreement_signed", d),
            (9, "safeguarding_shared", h),
            (10, "safeguarding_confirmed", d),
            (11, "extra_approval_decided", c),
            (12, "exam_courses_recorded", d),
            (13, "parent_copy_given", h),
            (14, "meeting_held", h),
            (15, "meeting_attendees_recorded", h),
            (16, "registration_confirmed", d),
            (17, "move_started", h),
            (18, "check_in_logged", s),
            (19, "review_recorded", s),
            (20, "review_recorded", h),
            (21, "permanent_confirmed", h),
            (22, "permanent_confirmed", d),
            (23, "transfer_begun", d),
        ]
    );
    let times: Vec<_> = history.iter().map(|s| s.event.at).collect();
    assert_eq!(times[0], start_time());
    assert_eq!(times[17], start_time(), "the check-in");
    assert_eq!(times[18], at(2026, 12, 15), "the midpoint review");
    assert_eq!(times[19], at(2027, 1, 5), "the final review");
    assert_eq!(times[22], at(2027, 1, 5), "the transfer begun");

    let events: Vec<_> = history.iter().map(|s| s.event.clone()).collect();
    let folded = Case::from_events(r, &events).unwrap();
    assert_eq!(
        folded, case,
        "the stored snapshot is the fold of the stored events"
    );
    assert_eq!(case.version as usize, history.len());
}

#[sqlx::test]
async fn case_references_are_sequential_within_a_year(pool: SqlitePool) {
    let w = world(pool).await;
    let first = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let second = w
        .propose(DESTINATION, UNINVOLVED, MoveKind::ManagedTransfer)
        .await;
    assert_eq!(
        (first.to_string().as_str(), second.to_string().as_str()),
        ("MM-2026-0001", "MM-2026-0002")
    );
    w.clock.set(at(2027, 1, 5));
    assert_eq!(
        w.propose(HOME, UNINVOLVED, MoveKind::ManagedMove)
            .await
            .to_string(),
        "MM-2027-0001"
    );
}

#[sqlx::test]
async fn proposals_made_at_the_same_moment_get_different_references(pool: SqlitePool) {
    let w = world(pool).await;
    let (a, b) = tokio::join!(
        w.propose(HOME, DESTINATION, MoveKind::ManagedMove),
        w.propose(UNINVOLVED, DESTINATION, MoveKind::ManagedMove),
    );
    let mut numbers = [a.number, b.number];
    numbers.sort();
    assert_eq!(numbers, [1, 2]);
}

#[sqlx::test]
async fn a_refusal_writes_nothing(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    w.notifier.take();
    let before = w.service.show(&w.coordinator(), r).await.unwrap();
    let (events, outbox, cases) = (
        w.count("case_events").await,
        w.count("outbox").await,
        w.count("cases").await,
    );

    let attempts: Vec<(Actor, Action, RefusalKind)> = vec![
        (
            w.staff_of(DESTINATION),
            Action::Decline {
                reason: text("No."),
            },
            RefusalKind::NotPermitted,
        ),
        (
            w.head_of(DESTINATION),
            Action::Accept,
            RefusalKind::WrongState,
        ),
        (
            w.head_of(HOME),
            Action::RecordAgreement {
                terms: terms(day(2026, 11, 24), 13),
            },
            RefusalKind::InvalidInput,
        ),
        (
            w.head_of(HOME),
            Action::StartMove { on: None },
            RefusalKind::Blocked,
        ),
        (
            w.head_of(UNINVOLVED),
            Action::Withdraw {
                reason: text("Hm."),
            },
            RefusalKind::NotFound,
        ),
        (
            w.head_of(HOME),
            Action::RecordParentConsent {
                witnessed_by: text("Mr Jones"),
                on: day(2026, 11, 24),
                freely_given: false,
            },
            RefusalKind::Blocked,
        ),
    ];
    for (actor, action, kind) in attempts {
        let what = action.kind();
        assert_eq!(w.refused(&actor, r, action).await.kind, kind, "{what:?}");
    }
    let refused_proposal = w
        .service
        .execute(
            &w.staff_of(HOME),
            Command::Propose(proposal(HOME, UNINVOLVED, MoveKind::ManagedMove)),
        )
        .await;
    assert_eq!(
        refusal(refused_proposal.unwrap_err()).kind,
        RefusalKind::NotPermitted
    );

    assert_eq!(w.count("case_events").await, events);
    assert_eq!(w.count("outbox").await, outbox);
    assert_eq!(w.count("cases").await, cases);
    let after = w.service.show(&w.coordinator(), r).await.unwrap();
    assert_eq!(after.version, before.version);
    assert_eq!(after, before);
    assert!(
        w.notifier.take().is_empty(),
        "nobody is told about a refusal"
    );
}

#[sqlx::test]
async fn two_heads_accepting_at_once_record_one_acceptance(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    // Two people hold the destination head role (say, the head and a deputy).
    let head = w.person(110, Capacity::Head(school(DESTINATION)));
    let deputy = w.person(111, Capacity::Head(school(DESTINATION)));
    let (a, b) = tokio::join!(
        w.service.act(&head, r, Action::Accept),
        w.service.act(&deputy, r, Action::Accept),
    );
    let (winner, loser) = match (a, b) {
        (Ok(_), Err(e)) => (head.user, e),
        (Err(e), Ok(_)) => (deputy.user, e),
        (a, b) => panic!(
            "exactly one accept should succeed: {:?} / {:?}",
            a.is_ok(),
            b.is_ok()
        ),
    };
    let loser = refusal(loser);
    assert_eq!(loser.kind, RefusalKind::WrongState);
    assert!(
        loser
            .message()
            .contains(&format!("already accepted by <@{winner}>")),
        "{loser}"
    );

    let history = w.service.history(&head, r).await.unwrap();
    let accepted: Vec<_> = history
        .iter()
        .filter(|s| s.event.kind.name() == "accepted")
        .collect();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].event.by, winner);
    // The proposal, the acceptance and (Year 10) the extra approval it asks for.
    assert_eq!(history.len(), 3);
}

#[sqlx::test]
async fn notifications_are_written_to_the_outbox_with_the_events(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w
        .propose(HOME, DESTINATION, MoveKind::ManagedTransfer)
        .await;
    let told = w.notifier.take();
    let rows = w.service.store().unsent(100).await.unwrap();
    let stored: Vec<Notification> = rows
        .iter()
        .map(|row| serde_json::from_str(&row.payload).unwrap())
        .collect();
    assert_eq!(
        stored, told,
        "the outbox holds exactly what the notifier was told"
    );
    let expected = [
        (
            Audience::CaseThread,
            Notice::CaseEvent {
                seq: 1,
                summary: "Proposed a managed transfer".into(),
                by: w.head_of(HOME).user,
            },
        ),
        (
            Audience::Head {
                school: school(DESTINATION),
            },
            Notice::ProposalReceived,
        ),
        (Audience::Coordinators, Notice::BoardChanged),
    ];
    let got: Vec<_> = stored
        .iter()
        .map(|n| (n.audience.clone(), n.notice.clone()))
        .collect();
    assert_eq!(got, expected);
    assert!(stored.iter().all(|n| n.case == r));
    let labels: Vec<(&str, &str)> = rows
        .iter()
        .map(|row| (row.audience.as_str(), row.kind.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("case_thread", "case_event"),
            ("head", "proposal_received"),
            ("coordinators", "board_changed")
        ]
    );
    assert!(rows
        .iter()
        .all(|row| row.case_id.is_some() && row.attempts == 0));

    // Accepting a transfer calls the SEIP panel.
    w.act(&w.head_of(DESTINATION), r, Action::Accept).await;
    let told = w.notifier.take();
    assert!(
        told.iter()
            .any(|n| n.audience == Audience::Seip && n.notice == Notice::PanelDecisionNeeded),
        "{told:?}"
    );
    assert_eq!(
        w.service.store().unsent(100).await.unwrap().len(),
        3 + told.len()
    );
}

#[sqlx::test]
async fn a_closed_case_is_read_only(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.act(
        &w.head_of(DESTINATION),
        r,
        Action::Decline {
            reason: text("No space in year 10."),
        },
    )
    .await;
    let events = w.count("case_events").await;
    let actors = [
        w.head_of(HOME),
        w.head_of(DESTINATION),
        w.staff_of(HOME),
        w.coordinator(),
    ];
    let actions = [
        Action::Accept,
        Action::Withdraw {
            reason: text("Too late."),
        },
        Action::ScheduleMeeting {
            at: w.meeting_at(day(2026, 11, 25)),
            place: None,
        },
        Action::RecordPupilConsent {
            on: day(2026, 11, 24),
            note: None,
        },
        Action::LogCheckIn {
            on: day(2026, 11, 24),
            note: text("Hello."),
        },
    ];
    let mut read_only = 0;
    for actor in &actors {
        for action in &actions {
            let refused = w.refused(actor, r, action.clone()).await;
            if refused.message().contains("closed cases are read-only") {
                read_only += 1;
            } else {
                assert_eq!(refused.kind, RefusalKind::NotPermitted, "{refused}");
            }
        }
    }
    // Permitted, so refused only for being closed: 4 each for the heads (all but accept or
    // withdraw), the staff member's check-in and the coordinator's meeting.
    assert_eq!(read_only, 10);
    assert_eq!(w.count("case_events").await, events);
    assert_eq!(
        w.service.show(&w.head_of(HOME), r).await.unwrap().state,
        CaseState::Declined
    );
}

#[sqlx::test]
async fn each_person_lists_only_the_cases_they_may_see(pool: SqlitePool) {
    let w = world(pool).await;
    let a = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let b = w
        .propose(DESTINATION, UNINVOLVED, MoveKind::ManagedTransfer)
        .await;
    let c = w.propose(UNINVOLVED, HOME, MoveKind::ManagedMove).await;
    w.act(
        &w.head_of(HOME),
        c,
        Action::Decline {
            reason: text("Full."),
        },
    )
    .await;

    let listed = |cases: Vec<Case>| {
        let mut refs: Vec<CaseRef> = cases.iter().map(|c| c.reference).collect();
        refs.sort();
        refs
    };
    let expectations = [
        ("head of riverside", w.head_of(HOME), vec![a, c]),
        ("head of hillcrest", w.head_of(DESTINATION), vec![a, b]),
        ("head of oakfield", w.head_of(UNINVOLVED), vec![b, c]),
        ("staff of riverside", w.staff_of(HOME), vec![a, c]),
        ("staff of hillcrest", w.staff_of(DESTINATION), vec![a, b]),
        ("SEIP", w.seip(), vec![b]),
        ("coordinator", w.coordinator(), vec![a, b, c]),
        ("admin", w.admin(), vec![]),
    ];
    for (who, actor, want) in expectations {
        assert_eq!(
            listed(w.service.list(&actor, false, 0).await.unwrap()),
            want,
            "{who}"
        );
        let open: Vec<CaseRef> = want.into_iter().filter(|r| *r != c).collect();
        assert_eq!(
            listed(w.service.list(&actor, true, 0).await.unwrap()),
            open,
            "{who}, open only"
        );
    }
}

#[sqlx::test]
async fn a_case_outside_your_school_looks_like_no_case_at_all(pool: SqlitePool) {
    let w = world(pool).await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let missing = CaseRef::new(2026, 99);
    for outsider in [w.head_of(UNINVOLVED), w.seip(), w.admin()] {
        let seen = refusal(w.service.show(&outsider, r).await.unwrap_err());
        let none = refusal(w.service.show(&outsider, missing).await.unwrap_err());
        assert_eq!(seen.kind, RefusalKind::NotFound);
        assert_eq!(
            seen.message().replace(&r.to_string(), "REF"),
            none.message().replace(&missing.to_string(), "REF")
        );
        let history = refusal(w.service.history(&outsider, r).await.unwrap_err());
        assert_eq!(history, seen);
        let acted = w
            .refused(
                &outsider,
                r,
                Action::Withdraw {
                    reason: text("Hm."),
                },
            )
            .await;
        assert_eq!(acted, seen);
    }
}

#[sqlx::test]
async fn someone_without_a_role_is_refused_everything_the_same_way(pool: SqlitePool) {
    let w = world(pool).await;
    let nobody = w.nobody();
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let missing = CaseRef::new(2026, 99);
    let no_role = |e| {
        let r = refusal(e);
        assert_eq!(r.kind, RefusalKind::NotPermitted);
        assert_eq!(r.message(), NO_ROLE);
    };
    for reference in [r, missing] {
        no_role(w.service.show(&nobody, reference).await.unwrap_err());
        no_role(w.service.history(&nobody, reference).await.unwrap_err());
        no_role(
            w.service
                .act(&nobody, reference, Action::Accept)
                .await
                .unwrap_err(),
        );
    }
    no_role(w.service.list(&nobody, false, 0).await.unwrap_err());
    let mut p = proposal(HOME, DESTINATION, MoveKind::ManagedMove);
    no_role(
        w.service
            .execute(&nobody, Command::Propose(p.clone()))
            .await
            .unwrap_err(),
    );
    p.destination = school("northgate");
    no_role(
        w.service
            .execute(&nobody, Command::Propose(p))
            .await
            .unwrap_err(),
    );
    assert_eq!(w.count("case_events").await, 1);
}

#[sqlx::test]
async fn a_terminated_move_is_stored_closed_with_the_pupil_returning_home(pool: SqlitePool) {
    let w = world(pool).await;
    let r = active_move(&w).await;
    let refused = w
        .refused(
            &w.head_of(HOME),
            r,
            Action::Terminate {
                reason: text("Not working."),
            },
        )
        .await;
    assert_eq!(refused.kind, RefusalKind::NotPermitted);
    w.act(
        &w.head_of(DESTINATION),
        r,
        Action::Terminate {
            reason: text("Serious breach of policy."),
        },
    )
    .await;
    // A managed move goes home through the returning stage: still open, still listed.
    let case = w.service.store().find_case(r).await.unwrap().unwrap().1;
    assert_eq!(case.state, CaseState::Returning);
    let open = w.service.list(&w.coordinator(), true, 0).await.unwrap();
    assert_eq!(open.len(), 1, "a returning case stays on the board");
    let today = w.service.partnership().today(w.service.now());
    w.reintegrate(r, today).await;
    let case = w.service.store().find_case(r).await.unwrap().unwrap().1;
    assert_eq!(case.state, CaseState::Terminated);
    assert_eq!(case.outcome, Some(Outcome::Returned));
    assert_eq!(case.next_due(), None);
    let open = w.service.list(&w.coordinator(), true, 0).await.unwrap();
    assert!(open.is_empty(), "a terminated case leaves the board");
}

/// The board's and autocomplete's own queries against a plain oracle: every case loaded and
/// sorted or filtered in Rust, on a seeded partnership of 1,500 cases.
#[sqlx::test]
async fn the_board_and_suggestions_agree_with_sorting_everything(pool: SqlitePool) {
    use managed_moves::cli::seed::{self, SeedOptions};
    use managed_moves::store::CaseFilter;
    let w = world(pool).await;
    seed::seed(w.service.store(), &config(), &SeedOptions::new(1_500))
        .await
        .expect("seed");
    let everything = CaseFilter {
        all: true,
        limit: u32::MAX,
        ..CaseFilter::default()
    };
    let all = w.service.store().list_cases(&everything).await.unwrap();
    // The board files a case by the day its next step is due (`next_step::next_due`).
    let p = w.service.partnership();
    let due = |c: &Case| managed_moves::domain::next_step::next_due(c, p);
    let mut open: Vec<_> = all.iter().filter(|c| !c.state.is_closed()).collect();
    open.sort_by_key(|c| (due(c).is_none(), due(c), c.updated_at));
    assert!(open.len() > 40, "enough open cases to cut: {}", open.len());

    let urgent = w.service.store().urgent_open_cases(40).await.unwrap();
    assert_eq!(urgent.open, open.len() as u64);
    // Compared by sort key: cases that tie may come in either order.
    let key = |c: &Case| (due(c).is_none(), due(c), c.updated_at);
    let got: Vec<_> = urgent.cases.iter().map(key).collect();
    let want: Vec<_> = open.iter().take(40).map(|c| key(c)).collect();
    assert_eq!(got, want, "the 40 most urgent, in order");
    assert!(urgent.cases.iter().all(|c| !c.state.is_closed()));

    // A head typing the last digits of a reference: only their school's cases, open first.
    let head = w.head_of(HOME);
    let typed = "0042";
    let suggested = w.service.suggest(&head, typed, 25).await.unwrap();
    let mut expected: Vec<_> = all
        .iter()
        .filter(|c| c.home == school(HOME) || c.destination == school(HOME))
        .filter(|c| c.reference.to_string().contains(typed))
        .collect();
    let key = |c: &Case| (c.state.is_closed(), std::cmp::Reverse(c.updated_at));
    expected.sort_by_key(|c| key(c));
    let got: Vec<_> = suggested.iter().map(key).collect();
    let want: Vec<_> = expected.iter().take(25).map(|c| key(c)).collect();
    assert!(
        !want.is_empty(),
        "the seed has cases ending in {typed} for {HOME}"
    );
    assert_eq!(got, want);
    assert!(suggested
        .iter()
        .all(|c| expected.iter().any(|e| e.reference == c.reference)));
    // The whole reference of a case the head may not see suggests nothing.
    let hidden = all
        .iter()
        .find(|c| c.home != school(HOME) && c.destination != school(HOME))
        .unwrap();
    let none = w
        .service
        .suggest(&head, &hidden.reference.to_string(), 25)
        .await
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
}
