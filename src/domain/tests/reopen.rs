//! Reopening a case closed in error (issue 15, part 5): asked by a coordinator with a
//! reason, confirmed by a head of the school whose action closed it, within the window,
//! never after a roll change; the case returns to exactly the state before the close.

use chrono::Duration;

use crate::domain::testkit::*;
use crate::domain::{Action, ActionKind, CaseState, EventKind, RefusalKind};

fn ask() -> Action {
    sample_action(ActionKind::AskReopen, today()).unwrap()
}

fn asked(b: CaseBuilder) -> CaseBuilder {
    b.act(&coordinator(), ask())
}

#[test]
fn a_declined_proposal_reopened_is_proposed_again_with_the_close_cleared() {
    let open = CaseBuilder::proposed();
    let before = open.case().clone();
    let b = asked(open.declined());
    assert_eq!(b.case().state, CaseState::Declined);
    let b = b.act(&head_of(DESTINATION), Action::ConfirmReopen);
    let case = b.case();
    assert_eq!(case.state, CaseState::Proposed);
    // Closing fields cleared; what closing set back as it was.
    assert_eq!(case.closing_reason, None);
    assert_eq!(case.closed_at, None);
    assert_eq!(case.decided, before.decided);
    assert_eq!(case.before_close, None);
    assert_eq!(case.reopen_asked, None);
    let reopened = case.reopened.as_ref().expect("the reopen is on the case");
    assert_eq!(reopened.state, CaseState::Proposed);
    assert_eq!(reopened.asked.by, coordinator().user);
    assert_eq!(reopened.confirmed.by, head_of(DESTINATION).user);
    assert!(reopened.reason.as_str().contains("by mistake"));
    // The log keeps the close, the ask and the reopen.
    let names: Vec<&str> = b.events().iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        names[names.len() - 3..],
        ["declined", "reopen_asked", "reopened"]
    );
    // And the case goes on as any proposed case: the destination head may accept.
    let accepted = b.accepted();
    assert_eq!(accepted.case().state, CaseState::Accepted);
}

#[test]
fn everything_recorded_before_the_close_is_kept() {
    let agreed = CaseBuilder::proposed().accepted().agreed();
    let before = agreed.case().clone();
    let b = asked(agreed.withdrawn()).act(&head_of(HOME), Action::ConfirmReopen);
    let case = b.case();
    assert_eq!(case.state, before.state);
    assert_eq!(case.agreement, before.agreement);
    assert_eq!(case.parent_consent, before.parent_consent);
    assert_eq!(case.checklist, before.checklist);
    assert_eq!(case.decided, before.decided);
}

#[test]
fn a_rejected_transfer_reopened_waits_for_the_panel_again() {
    let b = CaseBuilder::new().transfer().propose().accepted();
    let closed = asked(b.rejected());
    assert!(closed.case().panel.is_some());
    let b = closed.act(&head_of(HOME), Action::ConfirmReopen);
    assert_eq!(b.case().state, CaseState::Accepted);
    assert_eq!(
        b.case().panel,
        None,
        "the rejection is undone, kept only in the log"
    );
    assert!(b
        .try_act(
            &seip(),
            &sample_action(ActionKind::PanelDecide, today()).unwrap()
        )
        .is_ok());
}

#[test]
fn a_completed_return_reopens_into_its_returning_stage_for_either_head() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .returned();
    assert_eq!(b.case().state, CaseState::Completed);
    let b = asked(b).act(&head_of(HOME), Action::ConfirmReopen);
    assert_eq!(b.case().state, CaseState::Returning);
    assert_eq!(b.case().outcome, None);
}

#[test]
fn a_case_that_was_never_closed_is_refused() {
    let b = CaseBuilder::proposed().accepted();
    let r = b.try_act(&coordinator(), &ask()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("was never closed"), "{r}");
    let r = b
        .try_act(&head_of(DESTINATION), &Action::ConfirmReopen)
        .unwrap_err();
    assert!(r.message().contains("was never closed"), "{r}");
}

#[test]
fn outside_the_window_counted_in_school_days_is_refused() {
    let b = CaseBuilder::proposed()
        .with_policy(|p| p.reopen_within_school_days = 3)
        .declined();
    let p = b.partnership().clone();
    let last = p.calendar.add_school_days(b.today(), 3);
    // The last school day of the window, and the (non-school) days straight after it.
    let at_last = b.now() + Duration::days((last - b.today()).num_days());
    assert!(b
        .clone()
        .at(at_last)
        .try_act(&coordinator(), &ask())
        .is_ok());
    let next_school_day = p.calendar.add_school_days(last, 1);
    let too_late = b.now() + Duration::days((next_school_day - b.today()).num_days());
    let r = b
        .clone()
        .at(too_late)
        .try_act(&coordinator(), &ask())
        .unwrap_err();
    assert!(
        r.message().contains("only within 3 school days of closing"),
        "{r}"
    );
    assert!(
        r.message().contains(&last.format("%-d %b %Y").to_string()),
        "{r}"
    );
}

#[test]
fn a_reopen_asked_lapses_with_the_window() {
    let b = asked(
        CaseBuilder::proposed()
            .with_policy(|p| p.reopen_within_school_days = 1)
            .declined(),
    );
    let later = b.now() + Duration::days(14);
    let r = b
        .clone()
        .at(later)
        .try_act(&head_of(DESTINATION), &Action::ConfirmReopen)
        .unwrap_err();
    assert!(r.message().contains("only within 1 school days"), "{r}");
}

#[test]
fn never_after_a_roll_change() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .transferred();
    assert_eq!(b.case().state, CaseState::Completed);
    let r = b.try_act(&coordinator(), &ask()).unwrap_err();
    assert!(r.message().contains("roll has changed"), "{r}");
}

#[test]
fn confirming_a_reopen_nobody_asked_for_is_refused() {
    let b = CaseBuilder::proposed().declined();
    let r = b
        .try_act(&head_of(DESTINATION), &Action::ConfirmReopen)
        .unwrap_err();
    assert!(r.message().starts_with("Nobody has asked to reopen"), "{r}");
}

#[test]
fn only_a_head_of_the_school_whose_action_closed_it_confirms() {
    let b = asked(CaseBuilder::proposed().declined());
    let wrong_head = b
        .try_act(&head_of(HOME), &Action::ConfirmReopen)
        .unwrap_err();
    assert_eq!(wrong_head.kind, RefusalKind::NotPermitted);
    assert!(
        wrong_head.message().contains("Only a head of Hillcrest"),
        "{wrong_head}"
    );
    for not_a_head in [staff_of(DESTINATION), coordinator()] {
        let r = b.try_act(&not_a_head, &Action::ConfirmReopen).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{r}");
    }
    let r = b
        .try_act(&head_of(UNINVOLVED), &Action::ConfirmReopen)
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotFound);
    // A withdrawal was the home head's: the destination head may not undo it.
    let b = asked(CaseBuilder::proposed().withdrawn());
    assert!(b
        .try_act(&head_of(DESTINATION), &Action::ConfirmReopen)
        .is_err());
    assert!(b.try_act(&head_of(HOME), &Action::ConfirmReopen).is_ok());
}

#[test]
fn only_coordinators_ask_and_only_once() {
    let b = CaseBuilder::proposed().declined();
    let r = b.try_act(&head_of(DESTINATION), &ask()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    let b = asked(b);
    let r = b.try_act(&coordinator(), &ask()).unwrap_err();
    assert!(r.message().contains("already asked"), "{r}");
}

#[test]
fn a_case_reopened_and_closed_again_can_be_reopened_again() {
    let b = asked(CaseBuilder::proposed().declined())
        .act(&head_of(DESTINATION), Action::ConfirmReopen)
        .declined();
    assert!(b.case().before_close.is_some());
    assert_eq!(b.case().reopen_asked, None);
    let b = asked(b).act(&head_of(DESTINATION), Action::ConfirmReopen);
    assert_eq!(b.case().state, CaseState::Proposed);
    let reopens = b
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Reopened { .. }))
        .count();
    assert_eq!(reopens, 2);
}

#[test]
fn the_school_whose_decision_closed_it_is_the_one_that_confirms() {
    use crate::domain::reopen::ClosingSide;
    let active = || CaseBuilder::proposed().accepted().agreed().active();
    let side = |b: &CaseBuilder| b.case().before_close.as_ref().map(|c| c.side);
    // Ended early by the destination head: the destination confirms.
    let ended = active().terminated();
    assert_eq!(side(&ended), Some(ClosingSide::Destination));
    // The parent's consent withdrawn, recorded by the home head: the home school.
    let withdrawn = sample_action(ActionKind::RecordConsentWithdrawn, today()).unwrap();
    let consent = active().act(&head_of(HOME), withdrawn).reintegrated();
    assert_eq!(consent.case().state, CaseState::Terminated);
    assert_eq!(side(&consent), Some(ClosingSide::Home));
    let consent = asked(consent);
    assert!(consent
        .try_act(&head_of(DESTINATION), &Action::ConfirmReopen)
        .is_err());
    assert!(consent
        .try_act(&head_of(HOME), &Action::ConfirmReopen)
        .is_ok());
    // A transfer ended early has no returning stage: straight back to active.
    let transfer = CaseBuilder::new()
        .transfer()
        .propose()
        .accepted()
        .approved()
        .agreed()
        .active()
        .terminated();
    assert_eq!(transfer.case().state, CaseState::Terminated);
    let b = asked(transfer).act(&head_of(DESTINATION), Action::ConfirmReopen);
    assert_eq!(b.case().state, CaseState::Active);
    assert_eq!(b.case().outcome, None);
}
