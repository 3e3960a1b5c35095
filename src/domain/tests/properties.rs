//! Random sequences of actions by random people never panic, and every case they leave is
//! one the lifecycle can reach.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::Index;

use crate::domain::decide::missing_gates;
use crate::domain::testkit::*;
use crate::domain::{
    Action, ActionKind, Actor, Case, CaseRef, CaseState, MoveKind, Outcome, ReviewKind,
};

fn actors() -> Vec<Actor> {
    vec![
        head_of(HOME),
        head_of(DESTINATION),
        head_of(UNINVOLVED),
        staff_of(HOME),
        staff_of(DESTINATION),
        coordinator(),
        seip(),
        admin(),
        nobody(),
    ]
}

/// Every sample action, plus the variants that take other branches (and some bad input).
fn actions(today: NaiveDate) -> Vec<Action> {
    let mut all: Vec<Action> = ActionKind::ALL
        .into_iter()
        .filter_map(|k| sample_action(k, today))
        .collect();
    let note = || text("Variant.");
    all.extend([
        Action::PanelDecide {
            approve: false,
            reason: note(),
        },
        Action::RecordOutcome {
            outcome: Outcome::Permanent,
            note: note(),
        },
        Action::RecordReview {
            review: ReviewKind::Final,
            held_on: today,
            notes: note(),
        },
        Action::RecordParentConsent {
            witnessed_by: note(),
            on: today,
            freely_given: false,
        },
        Action::RecordAgreement {
            terms: terms(today, 13),
        },
        Action::RecordAgreement {
            terms: terms(today - Days::new(400), 8),
        },
        Action::RescheduleReview {
            review: ReviewKind::Final,
            on: today + Days::new(50),
            reason: note(),
        },
        Action::StartMove {
            on: Some(today + Days::new(3)),
        },
        Action::LogCheckIn {
            on: today + Days::new(1),
            note: note(),
        },
    ]);
    all
}

fn start(stage: u8, transfer: bool, ehcp: bool, looked_after: bool) -> CaseBuilder {
    let mut b = CaseBuilder::new();
    if transfer {
        b = b.transfer();
    }
    if ehcp {
        b = b.ehcp();
    }
    if looked_after {
        b = b.looked_after();
    }
    let b = b.propose();
    if stage == 0 {
        return b;
    }
    let b = b.accepted();
    if stage == 1 {
        return b;
    }
    let b = if transfer { b.approved() } else { b }.agreed();
    if stage == 2 {
        return b;
    }
    b.active()
}

/// States each state may move to in one successful command.
fn may_follow(from: CaseState, to: CaseState) -> bool {
    use CaseState as S;
    from == to
        || matches!(
            (from, to),
            (S::Proposed, S::Accepted | S::Declined | S::Withdrawn)
                | (
                    S::Accepted,
                    S::Agreeing | S::Declined | S::Withdrawn | S::Rejected
                )
                | (
                    S::Agreeing,
                    S::Active | S::Declined | S::Withdrawn | S::Rejected
                )
                | (S::Active, S::Completed | S::Terminated | S::Returning)
                | (S::Returning, S::Completed | S::Terminated)
        )
}

/// What must hold of any case the lifecycle can reach.
fn check_reachable(case: &Case, b: &CaseBuilder) -> Result<(), TestCaseError> {
    let p = b.partnership();
    if case.started_on.is_some() {
        prop_assert!(
            missing_gates(case, p).is_empty(),
            "started with gates missing: {:?}",
            missing_gates(case, p)
        );
    }
    match case.state {
        CaseState::Proposed => prop_assert!(case.decided.is_none()),
        CaseState::Active => prop_assert!(case.started_on.is_some() && case.outcome.is_none()),
        CaseState::Completed => {
            prop_assert!(
                case.review(ReviewKind::Final).is_some(),
                "completed without a final review"
            );
            match case.outcome {
                Some(Outcome::Permanent) => prop_assert!(
                    case.permanent_confirmed_by.contains_key(&case.home)
                        && case.permanent_confirmed_by.contains_key(&case.destination),
                    "permanent without both heads"
                ),
                Some(Outcome::Returned) => {
                    prop_assert_eq!(case.kind, MoveKind::ManagedMove, "a transfer has no return")
                }
                None => prop_assert!(false, "completed without an outcome"),
            }
        }
        CaseState::Terminated => {
            prop_assert!(case.started_on.is_some());
            // A move ended early returns the pupil home; a transfer has no home to return to.
            let returned = (case.kind == MoveKind::ManagedMove).then_some(Outcome::Returned);
            prop_assert_eq!(case.outcome, returned);
        }
        CaseState::Rejected => {
            prop_assert_eq!(case.kind, MoveKind::ManagedTransfer);
            prop_assert!(case.panel.as_ref().is_some_and(|d| !d.approved));
        }
        CaseState::Transferring => {
            prop_assert!(
                case.permanent_confirmed_by.contains_key(&case.home)
                    && case.permanent_confirmed_by.contains_key(&case.destination),
                "transferring without both heads"
            );
            prop_assert!(case.transfer.is_some() && case.outcome.is_none());
        }
        CaseState::Declined | CaseState::Withdrawn | CaseState::Accepted | CaseState::Agreeing => {
            prop_assert!(case.started_on.is_none());
        }
        // Only a managed move returns, and only after it started.
        CaseState::Returning => {
            prop_assert!(case.started_on.is_some() && case.returning.is_some());
            prop_assert_eq!(case.kind, MoveKind::ManagedMove);
        }
    }
    if case.state.is_closed() {
        prop_assert!(case.closing_reason.is_some());
    }
    prop_assert_eq!(case.version as usize, b.events().len());
    let folded = Case::from_events(CaseRef::new(2026, 1), b.events());
    prop_assert_eq!(folded.as_ref(), Some(case));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_actions_never_panic_and_leave_a_reachable_case(
        stage in 0u8..4,
        transfer: bool,
        ehcp: bool,
        looked_after: bool,
        steps in prop::collection::vec((any::<Index>(), any::<Index>(), 0u64..12), 0..40),
    ) {
        let people = actors();
        let mut b = start(stage, transfer, ehcp, looked_after);
        check_reachable(b.case(), &b)?;
        for (who, what, days) in steps {
            let later = b.now() + chrono::Duration::days(days as i64);
            b = b.at(later);
            let menu = actions(b.today());
            let (actor, action) = (who.get(&people), what.get(&menu));
            let before = b.case().state;
            match b.try_act(actor, action) {
                Ok(events) => {
                    // The follow-up is the one change a closed case takes.
                    use crate::domain::ActionKind as K;
                    let follow_up = action.kind() == K::RecordFollowUp;
                    // ...and the audited reopen of a case closed in error.
                    let reopen = matches!(action.kind(), K::AskReopen | K::ConfirmReopen);
                    prop_assert!(!before.is_closed() || follow_up || reopen, "{:?} changed a closed case", action.kind());
                    prop_assert!(!events.is_empty());
                    let closed_from = b.case().before_close.as_ref().map(|c| c.state);
                    b = b.act(actor, action.clone());
                    let after = b.case().state;
                    if action.kind() == K::ConfirmReopen {
                        prop_assert_eq!(Some(after), closed_from, "a reopen goes back to the state before the close");
                    } else {
                        prop_assert!(may_follow(before, after), "{before} -> {after} by {:?}", action.kind());
                    }
                }
                Err(refusal) => prop_assert!(!refusal.message().is_empty()),
            }
            check_reachable(b.case(), &b)?;
        }
    }
}
