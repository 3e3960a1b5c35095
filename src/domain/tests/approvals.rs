//! Extra approvals and the family's part before the start (DOMAIN.md, "Extra approvals and
//! the family's part"; issue 14 items 4, 6, 7 and 11): the extra approval in exam years and
//! the exam courses, consents that belong to the terms, a looked-after child's consent from
//! the local authority, the safeguarding information, and who may record the decisions.

use super::gates::{all_gates_except, assert_gate_blocks, start, Gate};
use crate::domain::approvals::{Approver, ExamCourses};
use crate::domain::permissions::{can_view, stats_scope};
use crate::domain::testkit::*;
use crate::domain::{Action, Actor, Capacity, CaseState, EventKind, RefusalKind, UserId};

fn year10() -> CaseBuilder {
    CaseBuilder::new().year(10).propose().accepted()
}

fn approve() -> Action {
    Action::DecideExtraApproval {
        approve: true,
        reason: None,
    }
}

#[test]
fn accepting_a_year_10_move_asks_the_coordinators_for_the_extra_approval() {
    let b = year10();
    assert_eq!(b.case().approval_asked, Some(Approver::Coordinator));
    assert!(b.events().iter().any(|e| e.kind
        == EventKind::ExtraApprovalAsked {
            by: Approver::Coordinator
        }));
    let year9 = CaseBuilder::proposed().accepted();
    assert_eq!(year9.case().approval_asked, None);
    let off = CaseBuilder::new()
        .with_policy(|p| p.extra_approval.by = Approver::Off)
        .year(11)
        .propose()
        .accepted();
    assert_eq!(off.case().approval_asked, None);
}

#[test]
fn a_year_10_move_cannot_start_until_the_coordinators_approve() {
    assert_gate_blocks(
        year10(),
        Gate::ExtraApproval,
        "the coordinators must approve (Years 10 and 11: `/approval decide`)",
    );
}

#[test]
fn a_year_10_move_cannot_start_until_the_destination_says_whether_exam_courses_continue() {
    assert_gate_blocks(
        year10(),
        Gate::ExamCourses,
        "Hillcrest School must say if the exam courses continue (`/approval exam-courses`)",
    );
}

#[test]
fn a_head_or_staff_of_either_school_cannot_record_the_extra_approval() {
    let b = year10();
    for (label, mut actor) in [
        ("home head", head_of(HOME)),
        ("destination staff", staff_of(DESTINATION)),
        ("home staff", staff_of(HOME)),
    ] {
        // A coordinator who also works at a school on the case is still refused.
        actor.capacities.push(Capacity::Coordinator);
        let r = b.try_act(&actor, &approve()).expect_err(label);
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{label}: {r}");
    }
    let r = b.try_act(&head_of(DESTINATION), &approve()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert!(b.try_act(&coordinator(), &approve()).is_ok());
}

#[test]
fn only_the_role_the_policy_names_approves() {
    let b = CaseBuilder::new()
        .with_policy(|p| p.extra_approval.by = Approver::Seip)
        .year(10)
        .propose()
        .accepted();
    assert_eq!(b.case().approval_asked, Some(Approver::Seip));
    assert!(
        can_view(&seip(), b.case()),
        "the panel sees the cases it must approve"
    );
    let r = b.try_act(&coordinator(), &approve()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert!(r.message().contains("SEIP panel"), "{r}");
    let b = b.act(&seip(), approve());
    assert!(b.case().extra_approval.as_ref().is_some_and(|a| a.approved));
    assert!(!can_view(&seip(), CaseBuilder::proposed().case()));
}

#[test]
fn an_approval_outside_the_configured_years_is_refused_in_one_sentence() {
    let b = CaseBuilder::proposed().accepted();
    let before = b.case().clone();
    let r = b.try_act(&coordinator(), &approve()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert_eq!(
        r.message(),
        "Case MM-2026-0001 is a Y9 case; this partnership asks for an extra approval only in Years 10 and 11."
    );
    assert_eq!(b.case(), &before);
    let courses = b
        .try_act(
            &staff_of(DESTINATION),
            &sample_action(crate::domain::ActionKind::RecordExamCourses, today()).unwrap(),
        )
        .unwrap_err();
    assert_eq!(courses.kind, RefusalKind::WrongState);
}

#[test]
fn declining_needs_a_reason_and_closes_the_case() {
    let b = year10();
    let bare = Action::DecideExtraApproval {
        approve: false,
        reason: None,
    };
    assert_eq!(
        b.try_act(&coordinator(), &bare).unwrap_err().kind,
        RefusalKind::InvalidInput
    );
    let b = b.act(
        &coordinator(),
        Action::DecideExtraApproval {
            approve: false,
            reason: Some(text("GCSE options cannot be matched at the destination.")),
        },
    );
    assert_eq!(b.case().state, CaseState::Rejected);
    assert!(b.case().state.is_closed());
}

#[test]
fn the_extra_approval_is_recorded_once() {
    let b = year10().act(&coordinator(), approve());
    let r = b.try_act(&coordinator(), &approve()).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already recorded"), "{r}");
}

#[test]
fn exam_courses_that_only_partly_continue_need_a_note() {
    let b = year10();
    let partly = |note: Option<&str>| Action::RecordExamCourses {
        continues: ExamCourses::Partly,
        note: note.map(text),
    };
    let r = b
        .try_act(&staff_of(DESTINATION), &partly(None))
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::InvalidInput);
    let b = b.act(
        &staff_of(DESTINATION),
        partly(Some("Triple science becomes combined.")),
    );
    assert_eq!(
        b.case().exam_courses.as_ref().map(|e| e.continues),
        Some(ExamCourses::Partly)
    );
    let r = b.try_act(&staff_of(HOME), &partly(Some("x"))).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
}

#[test]
fn the_safeguarding_lead_must_share_before_the_start() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::Safeguarding,
        "Riverside Academy must record the safeguarding information shared (`/safeguarding shared`)",
    );
}

#[test]
fn the_destination_must_confirm_the_safeguarding_information_before_the_start() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::SafeguardingConfirmed,
        "Hillcrest School must confirm it received the safeguarding information (`/safeguarding confirm`)",
    );
}

#[test]
fn safeguarding_is_recorded_by_the_home_school_and_confirmed_by_the_destination() {
    let b = CaseBuilder::proposed().accepted();
    let shared = sample_action(crate::domain::ActionKind::RecordSafeguarding, today()).unwrap();
    // Nothing to confirm yet.
    let r = b
        .try_act(&staff_of(DESTINATION), &Action::ConfirmSafeguarding)
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    for wrong in [staff_of(DESTINATION), head_of(DESTINATION), coordinator()] {
        let r = b.try_act(&wrong, &shared).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted);
    }
    let future = Action::RecordSafeguarding {
        dsl: text("Mrs Reid"),
        on: today() + chrono::Days::new(1),
        nothing_to_share: true,
    };
    assert_eq!(
        b.try_act(&staff_of(HOME), &future).unwrap_err().kind,
        RefusalKind::InvalidInput
    );
    let b = b.act(&staff_of(HOME), shared);
    assert_eq!(
        b.try_act(&staff_of(HOME), &Action::ConfirmSafeguarding)
            .unwrap_err()
            .kind,
        RefusalKind::NotPermitted
    );
    let b = b.act(&head_of(DESTINATION), Action::ConfirmSafeguarding);
    let s = b.case().safeguarding.as_ref().unwrap();
    assert_eq!(s.dsl.as_str(), "Mrs Reid, designated safeguarding lead");
    assert!(s.confirmed.is_some());
    // Recorded again (a correction): the destination confirms again.
    let b = b.act(
        &head_of(HOME),
        Action::RecordSafeguarding {
            dsl: text("Mr Ahmed, deputy DSL"),
            on: today(),
            nothing_to_share: true,
        },
    );
    assert!(b.case().safeguarding.as_ref().unwrap().confirmed.is_none());
}

#[test]
fn consents_given_before_the_terms_changed_must_be_given_again() {
    let b = all_gates_except(CaseBuilder::proposed().accepted(), Gate::Panel);
    assert!(start(&b).is_ok());
    let mut changed = terms(today(), 8);
    changed.targets = text("Attend every lesson; complete homework.");
    let b = b.act(&head_of(HOME), Action::RecordAgreement { terms: changed });
    assert_eq!(b.case().terms_version, 2);
    let b = b.act(&head_of(DESTINATION), Action::SignAgreement);
    let r = start(&b).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert_eq!(
        r.message(),
        "Before the move can start: record the parent/carer's agreement again (the terms changed on 2026-11-24); record the pupil's agreement again (the terms changed on 2026-11-24)."
    );
    let b = b
        .act(
            &head_of(HOME),
            sample_action(crate::domain::ActionKind::RecordParentConsent, today()).unwrap(),
        )
        .act(
            &head_of(HOME),
            sample_action(crate::domain::ActionKind::RecordPupilConsent, today()).unwrap(),
        );
    assert_eq!(b.case().parent_consent_terms, Some(2));
    assert!(start(&b).is_ok());
}

#[test]
fn the_same_terms_recorded_again_keep_the_consents() {
    let b = all_gates_except(CaseBuilder::proposed().accepted(), Gate::Panel);
    let same = b.case().agreement.as_ref().unwrap().terms.clone();
    let b = b
        .act(&head_of(HOME), Action::RecordAgreement { terms: same })
        .act(&head_of(DESTINATION), Action::SignAgreement);
    assert_eq!(b.case().terms_version, 1);
    assert!(start(&b).is_ok());
}

#[test]
fn a_looked_after_child_needs_the_local_authoritys_consent() {
    assert_gate_blocks(
        CaseBuilder::new().looked_after().propose().accepted(),
        Gate::LocalAuthority,
        "record the local authority's agreement (`/consent local-authority`)",
    );
}

#[test]
fn parents_without_parental_responsibility_need_not_agree_for_a_looked_after_child() {
    let b = all_gates_except(
        CaseBuilder::new().looked_after().propose().accepted(),
        Gate::ParentConsent,
    );
    assert!(start(&b).is_err(), "the parents share it in the sample");
    let b = b.act(
        &head_of(HOME),
        Action::RecordLocalAuthorityConsent {
            social_worker: text("Social worker, children's services"),
            on: today(),
            parents_share: false,
        },
    );
    assert!(start(&b).is_ok());
    let not_lac = CaseBuilder::proposed().accepted();
    let r = not_lac
        .try_act(
            &head_of(HOME),
            &sample_action(
                crate::domain::ActionKind::RecordLocalAuthorityConsent,
                today(),
            )
            .unwrap(),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
}

#[test]
fn staff_of_a_school_on_the_case_cannot_record_the_panels_decision() {
    let b = CaseBuilder::new().transfer().propose().accepted();
    let mut member = staff_of(DESTINATION);
    member.capacities.push(Capacity::Seip);
    let r = b
        .try_act(
            &member,
            &sample_action(crate::domain::ActionKind::PanelDecide, today()).unwrap(),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotPermitted);
    assert!(b
        .try_act(
            &seip(),
            &sample_action(crate::domain::ActionKind::PanelDecide, today()).unwrap()
        )
        .is_ok());
}

#[test]
fn a_head_of_two_schools_sees_statistics_for_both() {
    let both = Actor {
        user: UserId(77),
        capacities: vec![
            Capacity::Head(school(HOME)),
            Capacity::Head(school(DESTINATION)),
        ],
    };
    assert_eq!(
        stats_scope(&both).unwrap(),
        Some(vec![school(HOME), school(DESTINATION)])
    );
    assert_eq!(stats_scope(&coordinator()).unwrap(), None);
    assert!(stats_scope(&staff_of(HOME)).is_err());
}

#[test]
fn a_year_10_move_agreed_with_everything_starts() {
    let b = year10().agreed();
    assert!(b.case().extra_approval.is_some() && b.case().exam_courses.is_some());
    let b = b.active();
    assert_eq!(b.case().state, CaseState::Active);
}
