//! The transferring stage (DOMAIN.md, "The protocol in depth", "Endings"): both heads'
//! "permanent" opens it; the roll change is never backdated and the home school's removal
//! follows the destination's main registration on the same date; the records follow within
//! five and fifteen school days; the last step closes the case, outcome permanent.

use chrono::{Days, NaiveDate, NaiveTime};

use crate::domain::reminders::{plan, ReminderKind, ReminderSettings};
use crate::domain::testkit::*;
use crate::domain::transfer::{cp_file_due, records_due};
use crate::domain::{Action, Actor, CaseState, EventKind, Outcome, RefusalKind};

fn transferring() -> CaseBuilder {
    CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .permanent()
}

fn ehcp_transferring() -> CaseBuilder {
    CaseBuilder::new()
        .ehcp()
        .propose()
        .accepted()
        .agreed()
        .active()
        .permanent()
}

fn main_registration(on: NaiveDate) -> Action {
    Action::RecordMainRegistration {
        on,
        la_notified: on,
    }
}

fn removal(on: NaiveDate) -> Action {
    Action::RecordRemovalFromRoll {
        on,
        la_notified: on,
    }
}

/// The builder's clock moved `n` school days on, at 10:00.
fn later(b: CaseBuilder, n: u32) -> CaseBuilder {
    let day = b.partnership().calendar.add_school_days(b.today(), n);
    let at = b
        .partnership()
        .instant(day, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    b.at(at)
}

fn refused(b: &CaseBuilder, actor: &Actor, action: Action) -> crate::domain::Refusal {
    b.try_act(actor, &action)
        .expect_err("the rules should refuse this")
}

#[test]
fn both_heads_confirming_permanent_opens_the_transferring_stage_instead_of_closing() {
    let b = transferring();
    let case = b.case();
    assert_eq!(case.state, CaseState::Transferring);
    assert!(!case.state.is_closed(), "an open case: reminders, board");
    assert_eq!(
        case.outcome, None,
        "the outcome is set when the case closes"
    );
    let t = case.transfer.as_ref().unwrap();
    assert_eq!(t.begun_on, b.today());
    assert!(t.roll_due > t.begun_on);
    assert_eq!(case.next_due(), Some(t.roll_due), "the board's date");
}

#[test]
fn the_roll_change_is_never_backdated_before_both_heads_confirmed() {
    let b = later(transferring(), 2);
    let begun = b.case().transfer.as_ref().unwrap().begun_on;
    let r = refused(
        &b,
        &head_of(DESTINATION),
        main_registration(begun - Days::new(1)),
    );
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("can't be backdated"), "{r}");
    // The day both heads confirmed is the earliest allowed.
    let b = b.act(&head_of(DESTINATION), main_registration(begun));
    assert!(b
        .case()
        .transfer
        .as_ref()
        .unwrap()
        .main_registration
        .is_some());
}

#[test]
fn the_roll_change_is_never_before_the_destination_admitted_the_pupil() {
    let b = transferring();
    let mut case = b.case().clone();
    // As if the destination's register began later than the heads' decision.
    let later_admission = b.today() + Days::new(1);
    case.registrations
        .get_mut(&school(DESTINATION))
        .unwrap()
        .from = later_admission;
    let r = crate::domain::decide(
        &case,
        &head_of(DESTINATION),
        &main_registration(b.today()),
        &b.context(),
    )
    .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(
        r.message().contains("before the destination admitted"),
        "{r}"
    );
}

#[test]
fn only_the_home_head_removes_the_pupil_and_only_after_the_destination_confirms() {
    let b = transferring();
    let on = b.today();
    let r = refused(&b, &head_of(DESTINATION), removal(on));
    assert_eq!(
        r.kind,
        RefusalKind::NotPermitted,
        "the destination never removes"
    );
    assert_eq!(
        r.message(),
        "Only the home school's head can remove the pupil from its roll."
    );
    let r = refused(&b, &staff_of(HOME), removal(on));
    assert_eq!(
        r.kind,
        RefusalKind::NotPermitted,
        "a roll change is a head's decision"
    );
    let r = refused(&b, &head_of(HOME), removal(on));
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(
        r.message().contains("after the destination confirms"),
        "{r}"
    );
    let r = refused(&b, &head_of(HOME), main_registration(on));
    assert_eq!(r.kind, RefusalKind::NotPermitted);
}

#[test]
fn the_removal_is_on_the_same_date_as_the_main_registration() {
    let b = later(transferring(), 1);
    let begun = b.case().transfer.as_ref().unwrap().begun_on;
    let b = b.act(&head_of(DESTINATION), main_registration(begun));
    let r = refused(&b, &head_of(HOME), removal(b.today()));
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    assert!(r.message().contains("main registration date"), "{r}");
    let b = b.act(&head_of(HOME), removal(begun));
    let t = b.case().transfer.as_ref().unwrap();
    assert_eq!(t.removal.as_ref().unwrap().on, begun);
    let cal = &b.partnership().calendar;
    assert_eq!(t.cp_due, Some(cp_file_due(cal, begun)));
    assert_eq!(t.records_due, Some(records_due(cal, begun)));
    // Done: the dates can't move any more.
    let r = refused(&b, &head_of(DESTINATION), main_registration(begun));
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn a_roll_change_or_records_in_the_future_are_refused() {
    let b = transferring();
    let tomorrow = b.today() + Days::new(1);
    let r = refused(&b, &head_of(DESTINATION), main_registration(tomorrow));
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let r = refused(
        &b,
        &head_of(DESTINATION),
        Action::RecordMainRegistration {
            on: b.today(),
            la_notified: tomorrow,
        },
    );
    assert_eq!(
        r.kind,
        RefusalKind::InvalidInput,
        "the LA told in the future"
    );
    let b = b.removed_from_roll();
    let tomorrow = b.today() + Days::new(1);
    for action in [
        Action::RecordChildProtectionFile {
            sent_on: Some(tomorrow),
        },
        Action::RecordTransferRecordsSent { on: tomorrow },
    ] {
        let r = refused(&b, &staff_of(HOME), action);
        assert_eq!(r.kind, RefusalKind::InvalidInput);
        assert!(r.message().contains("in the future"), "{r}");
    }
}

#[test]
fn an_ehcp_pupil_changes_rolls_only_after_the_local_authority_amends_the_named_school() {
    let b = ehcp_transferring();
    let r = refused(&b, &head_of(DESTINATION), main_registration(b.today()));
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(r.message().contains("amends the named school first"), "{r}");
    let amend = Action::RecordNamedSchoolAmended {
        on: b.today(),
        note: None,
    };
    let r = refused(&b, &staff_of(DESTINATION), amend.clone());
    assert_eq!(r.kind, RefusalKind::NotPermitted, "either head, not staff");
    let on = b.today();
    let b = b
        .act(&head_of(DESTINATION), amend)
        .act(&head_of(DESTINATION), main_registration(on));
    assert!(b
        .case()
        .transfer
        .as_ref()
        .unwrap()
        .main_registration
        .is_some());
    // A pupil without an EHCP has no named school to amend.
    let r = refused(
        &transferring(),
        &head_of(HOME),
        Action::RecordNamedSchoolAmended {
            on: today(),
            note: None,
        },
    );
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn a_looked_after_child_needs_the_virtual_school_told_before_the_case_closes() {
    let b = CaseBuilder::new()
        .looked_after()
        .propose()
        .accepted()
        .agreed()
        .active()
        .permanent();
    let on = b.today();
    let b = b
        .act(&head_of(DESTINATION), main_registration(on))
        .act(&head_of(HOME), removal(on))
        .act(
            &staff_of(HOME),
            Action::RecordChildProtectionFile { sent_on: None },
        )
        .act(&staff_of(HOME), Action::RecordTransferRecordsSent { on });
    assert_eq!(
        b.case().state,
        CaseState::Transferring,
        "Virtual School not told"
    );
    let b = b.act(
        &staff_of(DESTINATION),
        Action::RecordVirtualSchoolTold {
            on,
            contact: text("Virtual School head"),
        },
    );
    assert_eq!(b.case().state, CaseState::Completed);
}

#[test]
fn no_child_protection_file_is_a_valid_record_and_needs_no_receipt() {
    let b = transferring().removed_from_roll();
    let b = b.act(
        &staff_of(HOME),
        Action::RecordChildProtectionFile { sent_on: None },
    );
    let r = refused(
        &b,
        &staff_of(DESTINATION),
        Action::ConfirmChildProtectionReceipt {
            on: b.today(),
            lead: text("Mr Shah, DSL"),
        },
    );
    assert_eq!(r.kind, RefusalKind::Blocked);
    let kinds = b
        .try_act(
            &staff_of(HOME),
            &Action::RecordTransferRecordsSent { on: b.today() },
        )
        .unwrap();
    assert!(
        matches!(
            kinds.as_slice(),
            [
                EventKind::TransferRecordsSent { .. },
                EventKind::Completed {
                    outcome: Outcome::Permanent,
                    ..
                }
            ]
        ),
        "the last step closes the case: {kinds:?}"
    );
}

#[test]
fn the_destinations_safeguarding_lead_confirms_a_file_sent_and_only_after_it_was_sent() {
    let b = transferring().removed_from_roll();
    let sent = b.today();
    let b = later(b, 1);
    let now = b.today();
    let b = b.act(
        &staff_of(HOME),
        Action::RecordChildProtectionFile {
            sent_on: Some(sent),
        },
    );
    let confirm = |on| Action::ConfirmChildProtectionReceipt {
        on,
        lead: text("Mr Shah, designated safeguarding lead"),
    };
    let r = refused(&b, &staff_of(HOME), confirm(b.today()));
    assert_eq!(
        r.kind,
        RefusalKind::NotPermitted,
        "the destination confirms"
    );
    let r = refused(&b, &staff_of(DESTINATION), confirm(sent - Days::new(1)));
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let b = b.act(&staff_of(DESTINATION), confirm(now));
    let receipt = b
        .case()
        .transfer
        .as_ref()
        .unwrap()
        .cp_receipt
        .clone()
        .unwrap();
    assert_eq!(
        receipt.lead.as_str(),
        "Mr Shah, designated safeguarding lead"
    );
    assert_eq!(
        b.case().state,
        CaseState::Transferring,
        "records still to send"
    );
}

#[test]
fn the_records_follow_the_removal_from_roll() {
    let b = transferring();
    let r = refused(
        &b,
        &staff_of(HOME),
        Action::RecordTransferRecordsSent { on: b.today() },
    );
    assert_eq!(r.kind, RefusalKind::Blocked);
    let r = refused(
        &b,
        &staff_of(DESTINATION),
        Action::RecordTransferRecordsSent { on: b.today() },
    );
    assert_eq!(
        r.kind,
        RefusalKind::NotPermitted,
        "the home school sends them"
    );
    let r = refused(
        &b,
        &coordinator(),
        Action::RecordChildProtectionFile { sent_on: None },
    );
    assert_eq!(
        r.kind,
        RefusalKind::NotPermitted,
        "coordinators record nothing"
    );
}

#[test]
fn the_whole_stage_closes_the_case_with_the_outcome_permanent() {
    let b = transferring().removed_from_roll();
    assert_eq!(b.case().state, CaseState::Transferring);
    let done = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .transferred();
    let case = done.case();
    assert_eq!(case.state, CaseState::Completed);
    assert_eq!(case.outcome, Some(Outcome::Permanent));
    assert_eq!(
        case.closing_reason.as_ref().map(|t| t.as_str()),
        Some("Settled well."),
        "the heads' note on the outcome"
    );
    // Closed: nothing more is reminded but the follow-up one term on, an owed step.
    let keys: Vec<_> = plan(case, done.partnership(), &ReminderSettings::default())
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(keys, ["overdue_follow_up", "escalated_follow_up"]);
}

#[test]
fn the_child_protection_file_is_due_five_school_days_after_the_removal_skipping_a_bank_holiday() {
    let cal = &partnership().calendar;
    // Thu 29 Apr 2027: Mon 3 May is the early May bank holiday.
    assert_eq!(cp_file_due(cal, day(2027, 4, 29)), day(2027, 5, 7));
    // An ordinary week: Mon 30 Nov 2026 -> Mon 7 Dec.
    assert_eq!(cp_file_due(cal, day(2026, 11, 30)), day(2026, 12, 7));
}

#[test]
fn a_removal_at_or_in_a_holiday_gives_the_first_five_school_days_of_the_new_term() {
    let cal = &partnership().calendar;
    // The last day before half-term (Fri 23 Oct 2026) and a day in it: the new half-term
    // starts Mon 2 Nov, so the fifth school day is Fri 6 Nov.
    assert_eq!(cp_file_due(cal, day(2026, 10, 23)), day(2026, 11, 6));
    assert_eq!(cp_file_due(cal, day(2026, 10, 28)), day(2026, 11, 6));
    // Christmas: term starts Tue 5 Jan 2027 (Mon 4 Jan is a closure day).
    assert_eq!(cp_file_due(cal, day(2026, 12, 18)), day(2027, 1, 11));
}

#[test]
fn the_common_transfer_file_is_due_fifteen_school_days_after_the_removal() {
    let cal = &partnership().calendar;
    // Mon 30 Nov 2026: three weeks of December, then the first day of the spring term.
    assert_eq!(records_due(cal, day(2026, 11, 30)), day(2027, 1, 5));
    // Across the spring half-term (13-21 Feb 2027): Mon 8 Feb -> Mon 8 Mar.
    assert_eq!(records_due(cal, day(2027, 2, 8)), day(2027, 3, 8));
}

#[test]
fn each_open_step_is_reminded_once_overdue_and_done_steps_are_not() {
    let b = transferring();
    let s = ReminderSettings::default();
    let keys = |b: &CaseBuilder| -> Vec<(String, ReminderKind)> {
        plan(b.case(), b.partnership(), &s)
            .into_iter()
            .map(|r| (r.key, r.kind))
            .collect()
    };
    let before = keys(&b);
    assert!(before.contains(&(
        "overdue_transfer_main_registration".into(),
        ReminderKind::StepOverdue
    )));
    assert!(before.contains(&("overdue_transfer_removal".into(), ReminderKind::StepOverdue)));
    let b = b.removed_from_roll();
    let after = keys(&b);
    assert!(
        !after.iter().any(|(k, _)| k.ends_with("transfer_removal")),
        "{after:?}"
    );
    let cp = plan(b.case(), b.partnership(), &s)
        .into_iter()
        .find(|r| r.key == "overdue_transfer_cp_file")
        .expect("the child-protection file reminder");
    let removed = b
        .case()
        .transfer
        .as_ref()
        .unwrap()
        .removal
        .as_ref()
        .unwrap()
        .on;
    assert_eq!(cp.about, cp_file_due(&b.partnership().calendar, removed));
    assert!(after.iter().any(|(k, _)| k == "overdue_transfer_records"));
}

#[test]
fn the_digest_lists_an_overdue_transfer_step() {
    let b = transferring();
    let roll_due = b.case().transfer.as_ref().unwrap().roll_due;
    let lines = crate::scheduler::digest_lines(
        std::slice::from_ref(b.case()),
        b.partnership(),
        &ReminderSettings::default(),
        roll_due + Days::new(3),
    );
    assert!(
        lines.iter().any(|l| l.contains("Riverside")
            && l.contains("remove the pupil from roll")
            && l.contains("overdue since")),
        "{lines:?}"
    );
}
