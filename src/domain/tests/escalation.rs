//! Escalation (issue 15): one rule for every owed step. Overdue N school days after its
//! due day, the owner is reminded once; N more, the coordinators. Snoozing the step puts
//! both off; outside bodies go to the coordinators; a coordinator may ping the owner.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::domain::next_step::all_steps;
use crate::domain::reminders::escalation::{escalated_steps, overdue_steps};
use crate::domain::reminders::{plan, PlannedReminder, Recipients, ReminderKind, ReminderSettings};
use crate::domain::testkit::*;
use crate::domain::{Action, ActionKind, EventKind, RefusalKind};

fn planned(b: &CaseBuilder) -> Vec<PlannedReminder> {
    plan(b.case(), b.partnership(), &ReminderSettings::default())
}

fn find<'a>(plan: &'a [PlannedReminder], key: &str) -> &'a PlannedReminder {
    plan.iter()
        .find(|r| r.key == key)
        .unwrap_or_else(|| panic!("{key} not planned: {:?}", keys(plan)))
}

fn keys(plan: &[PlannedReminder]) -> Vec<&str> {
    plan.iter().map(|r| r.key.as_str()).collect()
}

/// 08:00 in London on `on` (GMT in the autumn term: 08:00 UTC).
fn eight(b: &CaseBuilder, on: NaiveDate) -> DateTime<Utc> {
    b.partnership()
        .instant(on, ReminderSettings::default().send_at)
}

fn at_ten(on: NaiveDate) -> DateTime<Utc> {
    on.and_hms_opt(10, 0, 0).unwrap().and_utc()
}

fn ping(step: &str) -> Action {
    Action::PingOwner { step: step.into() }
}

fn snooze(key: &str, until: NaiveDate) -> Action {
    Action::SnoozeReminder {
        key: key.into(),
        until,
        reason: text("Head away until Monday."),
    }
}

#[test]
fn an_overdue_step_reminds_its_owner_after_n_school_days_then_the_coordinators_after_n_more() {
    // Proposed Tuesday 24 November 2026: the answer is due three school days on, Friday
    // 27th; two school days later (Tuesday 1 December) the destination head is reminded;
    // two more (Thursday 3rd) the coordinators.
    let b = CaseBuilder::proposed();
    let step = &all_steps(b.case(), b.partnership())[0];
    assert_eq!(
        (step.key.as_str(), step.due),
        ("answer_proposal", day(2026, 11, 27))
    );
    let plan = planned(&b);
    let overdue = find(&plan, "overdue_answer_proposal");
    assert_eq!(overdue.kind, ReminderKind::StepOverdue);
    assert_eq!(overdue.about, day(2026, 11, 27));
    assert_eq!(overdue.due_at, eight(&b, day(2026, 12, 1)));
    assert_eq!(overdue.recipients, Recipients::DestinationHead);
    let escalated = find(&plan, "escalated_answer_proposal");
    assert_eq!(escalated.kind, ReminderKind::StepEscalated);
    assert_eq!(escalated.due_at, eight(&b, day(2026, 12, 3)));
    assert_eq!(escalated.recipients, Recipients::Coordinators);
    // The digest's escalated list agrees with the notice's day, and counts school days.
    let (case, p) = (b.case(), b.partnership());
    assert!(escalated_steps(case, p, day(2026, 12, 2)).is_empty());
    let listed = escalated_steps(case, p, day(2026, 12, 3));
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].0.key.as_str(), listed[0].1),
        ("answer_proposal", 4)
    );
}

#[test]
fn the_period_is_the_policys_and_zero_turns_escalation_off() {
    let three = CaseBuilder::new()
        .with_policy(|p| p.escalate_after_school_days = 3)
        .propose();
    let plan = planned(&three);
    assert_eq!(
        find(&plan, "overdue_answer_proposal").due_at,
        eight(&three, day(2026, 12, 2))
    );
    assert_eq!(
        find(&plan, "escalated_answer_proposal").due_at,
        eight(&three, day(2026, 12, 7))
    );
    let off = CaseBuilder::new()
        .with_policy(|p| p.escalate_after_school_days = 0)
        .propose();
    assert!(planned(&off).is_empty(), "{:?}", keys(&planned(&off)));
    assert!(escalated_steps(off.case(), off.partnership(), day(2027, 1, 29)).is_empty());
}

#[test]
fn every_owed_step_is_planned_by_the_rule_and_the_old_per_step_reminders_are_not() {
    use ReminderKind as K;
    let absorbed = [
        K::ProposalNudge,
        K::PanelNudge,
        K::ApprovalNudge,
        K::RequestedReview,
        K::ExtensionConsent,
        K::HomeRegistration,
        K::AttendanceDue,
        K::TransferNamedSchool,
        K::TransferVirtualSchool,
        K::TransferMainRegistration,
        K::TransferRemoval,
        K::TransferCpFile,
        K::TransferCpReceipt,
        K::TransferRecords,
        K::ReintegrationMeeting,
        K::ReintegrationPlan,
        K::ReturnRegistrationDestination,
        K::ReturnRegistrationHome,
        K::FollowUp,
        K::NoticeDue,
    ];
    let builders = [
        ("proposed", CaseBuilder::proposed()),
        (
            "transfer accepted",
            CaseBuilder::new().transfer().propose().accepted(),
        ),
        (
            "y10 accepted",
            CaseBuilder::new().year(10).propose().accepted(),
        ),
        (
            "agreed, ehcp",
            CaseBuilder::new().ehcp().propose().accepted().agreed(),
        ),
        (
            "active",
            CaseBuilder::proposed().accepted().agreed().active(),
        ),
        (
            "transferring",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .permanent(),
        ),
        (
            "returning",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .terminating(),
        ),
        (
            "returned",
            CaseBuilder::proposed()
                .accepted()
                .agreed()
                .active()
                .returned(),
        ),
    ];
    for (label, b) in builders {
        let plan = planned(&b);
        let old: Vec<_> = plan.iter().filter(|r| absorbed.contains(&r.kind)).collect();
        assert!(old.is_empty(), "{label}: {old:?}");
        let steps = all_steps(b.case(), b.partnership());
        assert!(!steps.is_empty(), "{label} owes something");
        for step in steps {
            for prefix in ["overdue_", "escalated_"] {
                let key = format!("{prefix}{}", step.key);
                let r = find(&plan, &key);
                assert_eq!(ReminderKind::of_key(&r.key), Some(r.kind), "{label}: {key}");
            }
        }
    }
}

#[test]
fn an_outside_bodys_step_is_chased_by_the_coordinators() {
    let b = CaseBuilder::new().ehcp().propose().accepted();
    let plan = planned(&b);
    assert_eq!(
        find(&plan, "overdue_ehcp_amendment").recipients,
        Recipients::Coordinators
    );
    // A school's step goes to that school's head in the case thread: the home school's here.
    let home_step = all_steps(b.case(), b.partnership())
        .into_iter()
        .find(|s| s.owner.school() == Some(&school(HOME)))
        .expect("the home school owes something before the start");
    assert_eq!(
        find(&plan, &format!("overdue_{}", home_step.key)).recipients,
        Recipients::HomeHead
    );
}

#[test]
fn snoozing_a_step_puts_off_its_reminder_and_escalation_until_the_new_day() {
    let b = CaseBuilder::proposed().at(at_ten(day(2026, 11, 30)));
    let refused = b
        .try_act(&coordinator(), &snooze("no_such_step", day(2026, 12, 7)))
        .unwrap_err();
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    let b = b.act(&coordinator(), snooze("answer_proposal", day(2026, 12, 7)));
    let plan = planned(&b);
    // Reminded on the new day, escalated a whole period after it.
    assert_eq!(
        find(&plan, "overdue_answer_proposal").due_at,
        eight(&b, day(2026, 12, 7))
    );
    assert_eq!(
        find(&plan, "escalated_answer_proposal").due_at,
        eight(&b, day(2026, 12, 9))
    );
    let (case, p) = (b.case(), b.partnership());
    assert!(
        escalated_steps(case, p, day(2026, 12, 4)).is_empty(),
        "snoozed"
    );
    assert_eq!(escalated_steps(case, p, day(2026, 12, 9)).len(), 1);
    // Snoozing the overdue reminder by its own key does the same.
    let by_reminder = CaseBuilder::proposed().at(at_ten(day(2026, 11, 30))).act(
        &coordinator(),
        snooze("overdue_answer_proposal", day(2026, 12, 7)),
    );
    assert_eq!(
        find(&planned(&by_reminder), "escalated_answer_proposal").due_at,
        eight(&b, day(2026, 12, 9))
    );
}

#[test]
fn a_coordinator_pings_the_owner_of_an_overdue_step_and_nobody_else_may() {
    let b = CaseBuilder::proposed();
    // Due Friday 27 November: not overdue on the day itself.
    let on_the_day = b.at(at_ten(day(2026, 11, 27)));
    let refused = on_the_day
        .try_act(&coordinator(), &ping("answer_proposal"))
        .unwrap_err();
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(refused.message().contains("not overdue"), "{refused}");
    let b = on_the_day.at(at_ten(day(2026, 11, 30)));
    let (case, p) = (b.case(), b.partnership());
    assert_eq!(overdue_steps(case, p, b.today()).len(), 1);
    for actor in [head_of(HOME), head_of(DESTINATION), staff_of(DESTINATION)] {
        let refused = b.try_act(&actor, &ping("answer_proposal")).unwrap_err();
        assert_eq!(refused.kind, RefusalKind::NotPermitted, "{refused}");
    }
    let unknown = b.try_act(&coordinator(), &ping("sign_agreement_riverside"));
    assert_eq!(unknown.unwrap_err().kind, RefusalKind::InvalidInput);
    let before = b.case().clone();
    let b = b.act(&coordinator(), ping("answer_proposal"));
    let last = b.events().last().unwrap();
    assert_eq!(
        last.kind,
        EventKind::OwnerPinged {
            step: "answer_proposal".into(),
            owner: "Hillcrest School head".into(),
            what: "accept or decline the proposal (`/proposal accept`)".into(),
        }
    );
    let summary = last.kind.summary(b.partnership());
    assert!(
        summary.starts_with("Pinged Hillcrest School head: accept or decline"),
        "{summary}"
    );
    assert_eq!(b.case().state, before.state, "an audit entry only");
    assert_eq!(
        all_steps(b.case(), b.partnership()),
        all_steps(&before, b.partnership())
    );
}

#[test]
fn a_step_owed_by_an_outside_body_is_not_pinged_in_discord() {
    let b = CaseBuilder::new().ehcp().propose().accepted();
    let due = all_steps(b.case(), b.partnership())
        .into_iter()
        .find(|s| s.key == "ehcp_amendment")
        .unwrap()
        .due;
    let b = b.at(at_ten(due + Days::new(3)));
    let refused = b
        .try_act(&coordinator(), &ping("ehcp_amendment"))
        .unwrap_err();
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(refused.message().contains("local authority"), "{refused}");
    assert_eq!(
        sample_action(ActionKind::PingOwner, b.today()),
        Some(ping("answer_proposal"))
    );
}

#[test]
fn check_config_says_when_a_step_is_reminded_and_escalated() {
    let policy = partnership().policy.clone();
    assert_eq!(policy.escalate_after_school_days, 2, "the shipped default");
    assert_eq!(
        policy.escalation(),
        "Escalation: a step still owed 2 school days after its due day reminds its owner once; after 4 it goes to the coordinators."
    );
    let off = partnership_with(|p| p.escalate_after_school_days = 0);
    assert!(off.policy.escalation().contains("off"));
}
