//! `may` (may this actor take this kind of action on this case now, whatever its data?)
//! agrees with `decide`: when `may` refuses, `decide` gives that same refusal for any data;
//! when `may` allows, some data succeeds and no data is refused for who the actor is.
//! Checked over every capacity × every action kind × cases in every state. Which kinds
//! each state allows is written out by hand in `stages.rs`; this checks that the data an
//! action carries never changes that answer, and that `may` is never stricter than needed.

use chrono::Days;
use proptest::prelude::*;
use proptest::sample::Index;

use crate::domain::reminders::ReminderKind;
use crate::domain::testkit::*;
use crate::domain::{
    decide, may, Action, ActionKind, Actor, Case, CaseState, Outcome, Refusal, RefusalKind,
    ReviewKind,
};

fn actors() -> Vec<(&'static str, Actor)> {
    vec![
        ("head of home", head_of(HOME)),
        ("head of destination", head_of(DESTINATION)),
        ("head of uninvolved", head_of(UNINVOLVED)),
        ("staff of home", staff_of(HOME)),
        ("staff of destination", staff_of(DESTINATION)),
        ("coordinator", coordinator()),
        ("seip", seip()),
        ("admin", admin()),
        ("no role", nobody()),
        // Someone on a panel who also heads one of the schools: refused by the stage check,
        // not by the matrix.
        (
            "seip and head of home",
            Actor {
                capacities: [seip().capacities, head_of(HOME).capacities].concat(),
                ..head_of(HOME)
            },
        ),
    ]
}

/// Cases in every state, managed moves and transfers, with and without the extra gates.
fn cases() -> Vec<(&'static str, CaseBuilder)> {
    let moved = || CaseBuilder::proposed();
    let transfer = || CaseBuilder::new().transfer().propose();
    vec![
        ("proposed", moved()),
        ("accepted", moved().accepted()),
        ("meeting scheduled", moved().accepted().meeting_scheduled()),
        ("agreed", moved().accepted().agreed()),
        (
            "agreed, ehcp",
            CaseBuilder::new().ehcp().propose().accepted().agreed(),
        ),
        (
            "agreed, looked after",
            CaseBuilder::new()
                .looked_after()
                .propose()
                .accepted()
                .agreed(),
        ),
        ("active", moved().accepted().agreed().active()),
        (
            // On the final review's day (5 January 2027), so the final review can be held.
            "midpoint held",
            moved()
                .accepted()
                .agreed()
                .active()
                .reviewed(ReviewKind::Midpoint)
                .at(
                    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 1, 5, 10, 0, 0).unwrap(),
                ),
        ),
        (
            "final held",
            moved()
                .accepted()
                .agreed()
                .active()
                .reviewed(ReviewKind::Final),
        ),
        ("declined", moved().declined()),
        ("withdrawn", moved().withdrawn()),
        ("returned", moved().accepted().agreed().active().returned()),
        (
            "terminated",
            moved().accepted().agreed().active().terminated(),
        ),
        ("transfer proposed", transfer()),
        ("transfer accepted", transfer().accepted()),
        ("transfer approved", transfer().accepted().approved()),
        ("transfer rejected", transfer().accepted().rejected()),
        (
            "transfer final held",
            transfer()
                .accepted()
                .approved()
                .agreed()
                .active()
                .reviewed(ReviewKind::Final),
        ),
        (
            "transfer permanent",
            transfer()
                .accepted()
                .approved()
                .agreed()
                .active()
                .permanent(),
        ),
        (
            "transferring, ehcp, looked after, registered",
            CaseBuilder::new()
                .ehcp()
                .looked_after()
                .propose()
                .accepted()
                .agreed()
                .active()
                .permanent()
                .main_registered(),
        ),
        (
            "transferring, removed from roll",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .permanent()
                .removed_from_roll(),
        ),
        (
            "transferred",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .transferred(),
        ),
    ]
}

/// Actions of `kind` with data that is valid for `case` today (so that one of them is
/// allowed whenever the kind is), plus the variants that take the other branches.
fn candidates(kind: ActionKind, case: &Case, b: &CaseBuilder) -> Vec<Action> {
    let today = b.today();
    let note = || text("Candidate.");
    let mut all: Vec<Action> = sample_action(kind, today).into_iter().collect();
    match kind {
        ActionKind::PanelDecide => all.push(Action::PanelDecide {
            approve: false,
            reason: note(),
        }),
        ActionKind::UpdateNeeds => all.push(Action::UpdateNeeds {
            ehcp: !case.ehcp,
            looked_after: case.looked_after,
            reason: note(),
        }),
        ActionKind::RecordReview => all.push(Action::RecordReview {
            review: ReviewKind::Final,
            held_on: today,
            notes: note(),
        }),
        // Once the move runs, the subsidiary registration must cover its first day.
        ActionKind::ConfirmRegistration => {
            if let Some(started) = case.started_on {
                all.push(Action::ConfirmRegistration {
                    school: None,
                    from: started,
                    la_notified: started,
                });
            }
        }
        ActionKind::RecordChildProtectionFile => {
            all.push(Action::RecordChildProtectionFile { sent_on: None })
        }
        ActionKind::RecordOutcome => all.push(Action::RecordOutcome {
            outcome: Outcome::Permanent,
            note: note(),
        }),
        ActionKind::RescheduleReview => {
            if let Some(agreement) = &case.agreement {
                for (review, on) in [
                    (ReviewKind::Midpoint, agreement.midpoint_review),
                    (ReviewKind::Final, agreement.final_review),
                ] {
                    all.push(Action::RescheduleReview {
                        review,
                        on,
                        reason: note(),
                    });
                }
            }
        }
        ActionKind::SnoozeReminder => {
            for reminder in ReminderKind::CASE_KINDS {
                let key = match reminder {
                    ReminderKind::CheckIn => "check_in_1".to_string(),
                    other => other.as_str().to_string(),
                };
                all.push(Action::SnoozeReminder {
                    key,
                    until: today + Days::new(7),
                    reason: note(),
                });
            }
        }
        _ => {}
    }
    all
}

/// A refusal that only who the actor is can explain; data never causes one.
fn about_the_actor(refusal: &Refusal) -> bool {
    matches!(
        refusal.kind,
        RefusalKind::NotPermitted | RefusalKind::NotFound
    )
}

/// Every way `may` and `decide` disagree on one case, as readable lines.
fn disagreements(label: &str, b: &CaseBuilder) -> Vec<String> {
    let case = b.case();
    let ctx = b.context();
    let mut found = Vec::new();
    for (who, actor) in actors() {
        for kind in ActionKind::ALL {
            let verdict = may(&actor, case, kind, &ctx);
            let decided: Vec<_> = candidates(kind, case, b)
                .into_iter()
                .map(|action| (decide(case, &actor, &action, &ctx), action))
                .collect();
            let at = format!("{label} / {who} / {kind:?}");
            match &verdict {
                Err(refusal) => {
                    for (result, action) in &decided {
                        if result.as_ref().err() != Some(refusal) {
                            found.push(format!(
                                "{at}: may refused ({refusal}) but decide {action:?} gave {result:?}"
                            ));
                        }
                    }
                }
                Ok(()) => {
                    for (result, action) in &decided {
                        if let Err(r) = result {
                            if about_the_actor(r) {
                                found.push(format!(
                                    "{at}: may allowed but decide {action:?} refused the actor: {r}"
                                ));
                            }
                        }
                    }
                    let any_ok = decided.iter().any(|(r, _)| r.is_ok());
                    // A ping needs a step past its due day: that is the calendar, not the
                    // stage (domain::tests::escalation pings one that is overdue).
                    let timed = kind == ActionKind::PingOwner;
                    if kind != ActionKind::View && !timed && !any_ok {
                        found.push(format!(
                            "{at}: may allowed but no data succeeds: {:?}",
                            decided.iter().map(|(r, _)| r).collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn may_refuses_exactly_what_decide_refuses_for_who_or_when() {
    let mut found = Vec::new();
    for (label, b) in cases() {
        found.extend(disagreements(label, &b));
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn a_closed_case_can_still_be_viewed_but_nothing_else() {
    let b = CaseBuilder::proposed().declined();
    let (case, ctx) = (b.case(), b.context());
    assert_eq!(case.state, CaseState::Declined);
    // Someone the matrix lets do everything, so only the case's state can refuse.
    let everyone = Actor {
        capacities: [head_of(HOME), head_of(DESTINATION), coordinator(), seip()]
            .into_iter()
            .flat_map(|a| a.capacities)
            .collect(),
        ..head_of(HOME)
    };
    assert_eq!(may(&everyone, case, ActionKind::View, &ctx), Ok(()));
    // A declined case has no move to follow up: refused, in its own words.
    // Reopening has its own rules (tests/reopen.rs).
    for kind in ActionKind::ALL.into_iter().filter(|k| {
        !matches!(
            k,
            ActionKind::View
                | ActionKind::RecordFollowUp
                | ActionKind::AskReopen
                | ActionKind::ConfirmReopen
        )
    }) {
        let refusal = may(&everyone, case, kind, &ctx).expect_err("closed cases are read-only");
        assert_eq!(refusal.kind, RefusalKind::WrongState, "{kind:?}");
        assert!(refusal.message().contains("closed cases are read-only"));
    }
    let refusal = may(&everyone, case, ActionKind::RecordFollowUp, &ctx).unwrap_err();
    assert_eq!(refusal.kind, RefusalKind::WrongState);
    assert!(
        refusal.message().contains("no move to follow up"),
        "{refusal}"
    );
}

#[test]
fn the_reason_forms_are_refused_before_anyone_types_a_reason() {
    // Declining a started move and a panel decision on a managed move are refused by
    // kind alone: the same sentence decide gives, with no reason to hand.
    let active = CaseBuilder::proposed().accepted().agreed().active();
    let refusal = may(
        &head_of(DESTINATION),
        active.case(),
        ActionKind::Decline,
        &active.context(),
    )
    .expect_err("a started move can't be declined");
    assert!(refusal.message().contains("can't be declined"), "{refusal}");

    let accepted = CaseBuilder::proposed().accepted();
    let refusal = may(
        &seip(),
        accepted.case(),
        ActionKind::PanelDecide,
        &accepted.context(),
    )
    .expect_err("a managed move has no panel decision");
    assert_eq!(
        refusal.kind,
        RefusalKind::NotFound,
        "SEIP can't see a managed move"
    );

    let transfer = CaseBuilder::new().transfer().propose().accepted();
    assert_eq!(
        may(
            &seip(),
            transfer.case(),
            ActionKind::PanelDecide,
            &transfer.context()
        ),
        Ok(())
    );
}

#[test]
fn starting_is_refused_by_kind_until_every_gate_is_recorded() {
    let b = CaseBuilder::proposed().accepted().meeting_scheduled();
    let refusal = may(
        &head_of(HOME),
        b.case(),
        ActionKind::StartMove,
        &b.context(),
    )
    .expect_err("gates are missing");
    assert_eq!(refusal.kind, RefusalKind::Blocked);
    assert!(
        refusal.message().contains("record the agreement"),
        "{refusal}"
    );
    let agreed = CaseBuilder::proposed().accepted().agreed();
    assert_eq!(
        may(
            &head_of(HOME),
            agreed.case(),
            ActionKind::StartMove,
            &agreed.context()
        ),
        Ok(())
    );
}

fn people() -> Vec<Actor> {
    actors().into_iter().map(|(_, a)| a).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Along random histories, whatever the data: a refusal from `may` is `decide`'s
    /// refusal, and `decide` never refuses the actor when `may` let them through.
    #[test]
    fn along_random_histories_decide_refuses_by_kind_only_what_may_refuses(
        start in any::<Index>(),
        steps in prop::collection::vec((any::<Index>(), any::<Index>(), any::<Index>(), 0u64..12), 0..30),
    ) {
        let people = people();
        let starts = cases();
        let mut b = start.get(&starts).1.clone();
        for (who, kind, data, days) in steps {
            let later = b.now() + chrono::Duration::days(days as i64);
            b = b.at(later);
            let actor = who.get(&people);
            let kind = *kind.get(&ActionKind::ALL[1..]);
            let menu = candidates(kind, b.case(), &b);
            let action = data.get(&menu);
            let verdict = may(actor, b.case(), kind, &b.context());
            match (verdict, b.try_act(actor, action)) {
                (Err(refusal), decided) => prop_assert_eq!(decided, Err(refusal)),
                (Ok(()), Err(refusal)) => prop_assert!(!about_the_actor(&refusal), "{:?}", refusal),
                (Ok(()), Ok(_)) => b = b.act(actor, action.clone()),
            }
        }
    }
}
