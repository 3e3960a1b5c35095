//! Every path through the lifecycle (DOMAIN.md, "Case lifecycle" and "Endings").

use crate::domain::testkit::*;
use crate::domain::{
    Action, ActionKind, Actor, Capacity, CaseState, EventKind, MoveKind, Outcome, RefusalKind,
    ReviewKind,
};

fn refusal(builder: &CaseBuilder, actor: &Actor, action: Action) -> crate::domain::Refusal {
    builder
        .try_act(actor, &action)
        .expect_err("the rules should refuse this")
}

#[test]
fn home_head_can_propose_a_managed_move() {
    let case = CaseBuilder::proposed().build();
    assert_eq!(case.state, CaseState::Proposed);
    assert_eq!(case.kind, MoveKind::ManagedMove);
    assert_eq!(case.proposed.by, head_of(HOME).user);
    assert_eq!(case.proposed.at, now());
    assert_eq!(case.version, 1);
}

#[test]
fn destination_head_can_accept_a_proposal() {
    let case = CaseBuilder::proposed().accepted().build();
    assert_eq!(case.state, CaseState::Accepted);
    assert_eq!(case.decided.as_ref().unwrap().by, head_of(DESTINATION).user);
}

#[test]
fn destination_head_can_decline_a_proposal_which_closes_it() {
    let case = CaseBuilder::proposed().declined().build();
    assert_eq!(case.state, CaseState::Declined);
    assert!(case.state.is_closed());
    assert_eq!(
        case.closing_reason.as_ref().unwrap().as_str(),
        "No places in year 9."
    );
    assert_eq!(case.decided.as_ref().unwrap().by, head_of(DESTINATION).user);
}

#[test]
fn a_second_accept_is_refused_naming_who_accepted() {
    let b = CaseBuilder::proposed().accepted();
    let r = refusal(&b, &head_of(DESTINATION), Action::Accept);
    assert_eq!(r.kind, RefusalKind::WrongState);
    let who = head_of(DESTINATION).user;
    assert!(
        r.message()
            .contains(&format!("already accepted by <@{who}> on 2026-11-24")),
        "{r}"
    );
}

#[test]
fn the_destination_can_still_decline_while_the_move_is_being_agreed() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let action = sample_action(ActionKind::Decline, today()).unwrap();
    let case = b.act(&head_of(DESTINATION), action).build();
    assert_eq!(case.state, CaseState::Declined);
}

#[test]
fn an_active_move_can_no_longer_be_declined() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let action = sample_action(ActionKind::Decline, today()).unwrap();
    let r = refusal(&b, &head_of(DESTINATION), action);
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("/move terminate"), "{r}");
}

#[test]
fn home_head_can_withdraw_a_proposal_before_it_is_answered() {
    let case = CaseBuilder::proposed().withdrawn().build();
    assert_eq!(case.state, CaseState::Withdrawn);
    assert_eq!(
        case.closing_reason.as_ref().unwrap().as_str(),
        "Needs met at home after all."
    );
}

#[test]
fn home_head_can_withdraw_after_acceptance_while_the_move_has_not_started() {
    for b in [
        CaseBuilder::proposed().accepted(),
        CaseBuilder::proposed().accepted().agreed(),
    ] {
        assert_eq!(b.withdrawn().case().state, CaseState::Withdrawn);
    }
}

#[test]
fn an_active_move_cannot_be_withdrawn() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let action = sample_action(ActionKind::Withdraw, today()).unwrap();
    let r = refusal(&b, &head_of(HOME), action);
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("can't be withdrawn"), "{r}");
    assert!(
        r.message().contains("destination head can end it early"),
        "{r}"
    );
}

#[test]
fn the_move_starts_with_dual_registration_on_the_day() {
    let case = CaseBuilder::proposed().accepted().agreed().active().build();
    assert_eq!(case.state, CaseState::Active);
    assert_eq!(case.started_on, Some(today()));
}

#[test]
fn destination_head_can_terminate_active_move() {
    let case = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .terminated()
        .build();
    assert_eq!(case.state, CaseState::Terminated);
    assert_eq!(
        case.outcome,
        Some(Outcome::Returned),
        "the pupil returns home"
    );
    assert_eq!(
        case.closing_reason.as_ref().unwrap().as_str(),
        "Persistent failure to meet targets."
    );
}

#[test]
fn a_managed_transfer_ended_early_records_no_return() {
    // There is no home school to go back to: the panel decides what happens next.
    let case = CaseBuilder::new()
        .transfer()
        .propose()
        .accepted()
        .approved()
        .agreed()
        .active()
        .terminated()
        .build();
    assert_eq!(case.state, CaseState::Terminated);
    assert_eq!(case.outcome, None);
}

#[test]
fn only_the_destination_head_can_terminate() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let action = sample_action(ActionKind::Terminate, today()).unwrap();
    for actor in [head_of(HOME), staff_of(DESTINATION), coordinator()] {
        let r = refusal(&b, &actor, action.clone());
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{actor:?}");
        assert!(
            r.message().contains("Only the destination school's head"),
            "{r}"
        );
    }
}

#[test]
fn a_move_can_only_be_terminated_while_active() {
    let action = sample_action(ActionKind::Terminate, today()).unwrap();
    for b in [
        CaseBuilder::proposed().accepted(),
        CaseBuilder::proposed().accepted().agreed(),
    ] {
        let r = refusal(&b, &head_of(DESTINATION), action.clone());
        assert_eq!(r.kind, RefusalKind::WrongState);
        assert!(r.message().contains("only while the move is active"), "{r}");
    }
}

#[test]
fn a_returned_outcome_completes_the_case_with_the_pupil_back_home() {
    let case = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .returned()
        .build();
    assert_eq!(case.state, CaseState::Completed);
    assert_eq!(case.outcome, Some(Outcome::Returned));
    assert!(case.permanent_confirmed_by.is_empty());
}

#[test]
fn the_outcome_waits_for_the_final_review() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .reviewed(ReviewKind::Midpoint);
    let r = refusal(
        &b,
        &head_of(DESTINATION),
        Action::RecordOutcome {
            outcome: Outcome::Returned,
            note: text("Not working."),
        },
    );
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(r.message().contains("final review first"), "{r}");
}

#[test]
fn a_permanent_outcome_needs_both_heads_to_confirm() {
    let confirm = || Action::RecordOutcome {
        outcome: Outcome::Permanent,
        note: text("Settled."),
    };
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .reviewed(ReviewKind::Final);

    let b = b.act(&head_of(HOME), confirm());
    assert_eq!(b.case().state, CaseState::Active, "one head is not enough");
    assert!(b.case().permanent_confirmed_by.contains_key(&school(HOME)));
    assert_eq!(b.case().outcome, None);

    let again = refusal(&b, &head_of(HOME), confirm());
    assert_eq!(again.kind, RefusalKind::WrongState);
    assert!(again.message().contains("already confirmed"), "{again}");
    assert!(
        again.message().contains(DESTINATION),
        "names the school still to confirm: {again}"
    );

    let case = b.act(&head_of(DESTINATION), confirm()).build();
    assert_eq!(
        case.state,
        CaseState::Transferring,
        "both heads begin the transfer"
    );
    assert!(case.transfer.is_some());
    assert_eq!(case.permanent_confirmed_by.len(), 2);
}

#[test]
fn a_permanent_outcome_may_be_confirmed_by_the_destination_head_first() {
    let confirm = || Action::RecordOutcome {
        outcome: Outcome::Permanent,
        note: text("Settled."),
    };
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .reviewed(ReviewKind::Final);
    let b = b.act(&head_of(DESTINATION), confirm());
    assert_eq!(b.case().state, CaseState::Active);
    let r = refusal(&b, &head_of(DESTINATION), confirm());
    assert!(r.message().contains(HOME), "{r}");
    assert_eq!(
        b.act(&head_of(HOME), confirm()).case().state,
        CaseState::Transferring
    );
}

#[test]
fn a_head_of_both_schools_confirms_a_permanent_outcome_for_both_at_once() {
    let both = Actor {
        user: crate::domain::UserId(777),
        capacities: vec![
            Capacity::Head(school(HOME)),
            Capacity::Head(school(DESTINATION)),
        ],
    };
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .reviewed(ReviewKind::Final);
    let kinds = b
        .try_act(
            &both,
            &Action::RecordOutcome {
                outcome: Outcome::Permanent,
                note: text("Settled."),
            },
        )
        .unwrap();
    assert_eq!(
        kinds.len(),
        3,
        "two confirmations and the transfer begun: {kinds:?}"
    );
    assert!(matches!(kinds[2], EventKind::TransferBegun { .. }));
}

#[test]
fn managed_transfer_is_approved_by_the_panel_then_activated() {
    let b = CaseBuilder::proposed().transfer().accepted();
    assert_eq!(b.case().kind, MoveKind::ManagedTransfer);
    let b = b.approved();
    let panel = b.case().panel.as_ref().unwrap();
    assert!(panel.approved);
    assert_eq!(panel.recorded.by, seip().user);
    let case = b.agreed().active().build();
    assert_eq!(case.state, CaseState::Active);
}

#[test]
fn managed_transfer_rejected_by_the_panel_is_closed() {
    let case = CaseBuilder::proposed()
        .transfer()
        .accepted()
        .rejected()
        .build();
    assert_eq!(case.state, CaseState::Rejected);
    assert!(case.state.is_closed());
    assert_eq!(
        case.closing_reason.as_ref().unwrap().as_str(),
        "A managed move should be tried first."
    );
}

#[test]
fn managed_transfer_rejected_while_agreeing_is_closed_too() {
    let case = CaseBuilder::proposed()
        .transfer()
        .accepted()
        .agreed()
        .rejected()
        .build();
    assert_eq!(case.state, CaseState::Rejected);
}

#[test]
fn the_panel_decides_once() {
    let b = CaseBuilder::proposed().transfer().accepted().approved();
    let r = refusal(
        &b,
        &seip(),
        Action::PanelDecide {
            approve: false,
            reason: text("Changed our minds."),
        },
    );
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already decided"), "{r}");
}

#[test]
fn the_panel_decides_after_the_destination_head_accepts() {
    let b = CaseBuilder::proposed().transfer();
    let r = refusal(
        &b,
        &seip(),
        Action::PanelDecide {
            approve: true,
            reason: text("Fine."),
        },
    );
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(
        r.message()
            .contains("once the destination head has accepted"),
        "{r}"
    );
}

#[test]
fn a_managed_move_needs_no_panel_decision() {
    // SEIP members do not see managed moves at all; someone who is both SEIP and a
    // coordinator sees the case and is told the panel has no part in it.
    let both = Actor {
        user: crate::domain::UserId(778),
        capacities: vec![Capacity::Coordinator, Capacity::Seip],
    };
    let b = CaseBuilder::proposed().accepted();
    let r = refusal(
        &b,
        &both,
        Action::PanelDecide {
            approve: true,
            reason: text("Fine."),
        },
    );
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("Only a managed transfer"), "{r}");
}

#[test]
fn a_managed_transfer_has_no_returned_outcome() {
    let b = CaseBuilder::proposed()
        .transfer()
        .accepted()
        .approved()
        .agreed()
        .active()
        .reviewed(ReviewKind::Final);
    let r = refusal(
        &b,
        &head_of(DESTINATION),
        Action::RecordOutcome {
            outcome: Outcome::Returned,
            note: text("Not working."),
        },
    );
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("no return"), "{r}");
    assert_eq!(b.transferred().case().outcome, Some(Outcome::Permanent));
}

#[test]
fn a_managed_move_cannot_be_proposed_when_the_pupil_cannot_return() {
    let mut proposal = proposal();
    proposal.suitability = suitability(crate::domain::suitability::Answer::No);
    let r = crate::domain::propose(&head_of(HOME), &proposal, &ctx(now())).unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("managed transfer"), "{r}");
}

/// Someone who may attempt every action on the default case, so that only the state speaks.
fn everyone() -> Actor {
    Actor {
        user: crate::domain::UserId(779),
        capacities: vec![
            Capacity::Head(school(HOME)),
            Capacity::Head(school(DESTINATION)),
            Capacity::Coordinator,
            Capacity::Seip,
        ],
    }
}

#[test]
fn a_closed_case_refuses_every_action() {
    let closed = [
        CaseBuilder::proposed().declined(),
        CaseBuilder::proposed().withdrawn(),
        CaseBuilder::proposed().accepted().agreed().withdrawn(),
        CaseBuilder::proposed().transfer().accepted().rejected(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminated(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .returned(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .transferred(),
    ];
    for b in closed {
        assert!(b.case().state.is_closed());
        // The follow-up (tests/returning.rs) and an audited reopen (tests/reopen.rs) are
        // the changes a closed case takes.
        for kind in ActionKind::ALL.into_iter().filter(|k| {
            !matches!(
                k,
                ActionKind::RecordFollowUp | ActionKind::AskReopen | ActionKind::ConfirmReopen
            )
        }) {
            let Some(action) = sample_action(kind, today()) else {
                continue;
            };
            let r = refusal(&b, &everyone(), action);
            assert_eq!(
                r.kind,
                RefusalKind::WrongState,
                "{kind:?} on {}",
                b.case().state
            );
            assert!(r.message().contains("closed cases are read-only"), "{r}");
        }
    }
}

#[test]
fn a_panel_member_who_heads_a_school_on_the_case_cannot_decide_it() {
    let b = CaseBuilder::proposed().transfer().accepted();
    let mut conflicted = seip();
    conflicted.capacities.push(Capacity::Head(school(HOME)));
    let action = sample_action(ActionKind::PanelDecide, today()).unwrap();
    let r = refusal(&b, &conflicted, action);
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert!(r.message().contains("another panel member"), "{r}");
}

#[test]
fn a_transfer_cannot_be_proposed_when_the_pupil_can_return() {
    let mut p = proposal();
    p.kind = MoveKind::ManagedTransfer;
    p.suitability = suitability(crate::domain::suitability::Answer::Yes);
    let r = crate::domain::propose(&head_of(HOME), &p, &ctx(now())).unwrap_err();
    assert!(r.message().contains("can return"), "{r}");
}

#[test]
fn a_move_cannot_start_before_the_agreed_start_date() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let start = b.case().agreement.as_ref().unwrap().terms.start;
    let early = start.pred_opt().unwrap();
    if early
        < b.case()
            .meeting
            .as_ref()
            .map(|m| m.at.date_naive())
            .unwrap_or(early)
    {
        return;
    }
    let r = refusal(&b, &head_of(HOME), Action::StartMove { on: Some(early) });
    assert!(
        r.message().contains("starts") || r.message().contains("future"),
        "{r}"
    );
}

#[test]
fn a_review_cannot_be_held_before_the_move_started() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let started = b.case().started_on.unwrap();
    let action = Action::RecordReview {
        review: ReviewKind::Midpoint,
        held_on: started.pred_opt().unwrap(),
        notes: text("Too early"),
    };
    let r = refusal(&b, &head_of(DESTINATION), action);
    assert!(r.message().contains("before the move started"), "{r}");
}

#[test]
fn a_refusal_names_the_day_in_london_not_in_utc() {
    use chrono::TimeZone;
    // 00:30 on Friday 11 June 2027 in London is still the 10th in UTC.
    let late = chrono::Utc
        .with_ymd_and_hms(2027, 6, 10, 23, 30, 0)
        .unwrap();
    let b = CaseBuilder::proposed().at(late).accepted();
    let r = refusal(&b, &head_of(DESTINATION), Action::Accept);
    assert!(r.message().contains("on 2027-06-11"), "{r}");
}
