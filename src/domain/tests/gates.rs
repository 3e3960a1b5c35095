//! What must be recorded before a move can start (DOMAIN.md, "Who must agree before a move
//! can start" and "The initial meeting and the agreement"). Each gate alone blocks
//! `StartMove`, and the refusal names what is missing.

use crate::domain::testkit::*;
use crate::domain::{Action, ActionKind, Actor, CaseState, RefusalKind};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Gate {
    Meeting,
    ParentConsent,
    PupilConsent,
    Ehcp,
    VirtualSchool,
    Agreement,
    DestinationSignature,
    Registration,
    Panel,
    MeetingHeld,
    MeetingAttendees,
    Safeguarding,
    SafeguardingConfirmed,
    LocalAuthority,
    ExtraApproval,
    ExamCourses,
    ParentCopy,
}

/// A case accepted with every gate that applies recorded except `skip`, in the order a
/// partnership would usually record them.
pub(super) fn all_gates_except(builder: CaseBuilder, skip: Gate) -> CaseBuilder {
    let (home, destination) = (head_of(HOME), head_of(DESTINATION));
    let case = builder.case().clone();
    let mut steps: Vec<(Gate, Actor, Action)> = vec![
        (
            Gate::Meeting,
            coordinator(),
            sample_action(ActionKind::ScheduleMeeting, today()).unwrap(),
        ),
        (
            Gate::MeetingHeld,
            staff_of(DESTINATION),
            sample_action(ActionKind::RecordMeetingHeld, today()).unwrap(),
        ),
        (
            Gate::MeetingAttendees,
            staff_of(HOME),
            sample_action(ActionKind::RecordMeetingAttendees, today()).unwrap(),
        ),
        (
            Gate::ParentConsent,
            home.clone(),
            sample_action(ActionKind::RecordParentConsent, today()).unwrap(),
        ),
        (
            Gate::PupilConsent,
            home.clone(),
            sample_action(ActionKind::RecordPupilConsent, today()).unwrap(),
        ),
        (
            Gate::Agreement,
            home.clone(),
            sample_action(ActionKind::RecordAgreement, today()).unwrap(),
        ),
    ];
    if case.ehcp {
        steps.push((
            Gate::Ehcp,
            home.clone(),
            sample_action(ActionKind::RecordEhcpAmendment, today()).unwrap(),
        ));
    }
    if case.looked_after {
        steps.push((
            Gate::VirtualSchool,
            home,
            sample_action(ActionKind::RecordVirtualSchool, today()).unwrap(),
        ));
    }
    if skip != Gate::Agreement {
        steps.push((
            Gate::DestinationSignature,
            destination,
            Action::SignAgreement,
        ));
    }
    steps.push((
        Gate::Registration,
        staff_of(DESTINATION),
        sample_action(ActionKind::ConfirmRegistration, today()).unwrap(),
    ));
    steps.push((
        Gate::Safeguarding,
        staff_of(HOME),
        sample_action(ActionKind::RecordSafeguarding, today()).unwrap(),
    ));
    steps.push((
        Gate::SafeguardingConfirmed,
        staff_of(DESTINATION),
        Action::ConfirmSafeguarding,
    ));
    if case.looked_after {
        steps.push((
            Gate::LocalAuthority,
            head_of(HOME),
            sample_action(ActionKind::RecordLocalAuthorityConsent, today()).unwrap(),
        ));
    }
    if case.approval_asked.is_some() {
        steps.push((
            Gate::ExtraApproval,
            coordinator(),
            sample_action(ActionKind::DecideExtraApproval, today()).unwrap(),
        ));
        steps.push((
            Gate::ExamCourses,
            staff_of(DESTINATION),
            sample_action(ActionKind::RecordExamCourses, today()).unwrap(),
        ));
    }
    // The family's copy is of the agreement: there is none to give without it.
    if skip != Gate::Agreement {
        steps.push((
            Gate::ParentCopy,
            head_of(HOME),
            sample_action(ActionKind::RecordParentCopy, today()).unwrap(),
        ));
    }
    if case.kind == crate::domain::MoveKind::ManagedTransfer {
        steps.push((
            Gate::Panel,
            seip(),
            sample_action(ActionKind::PanelDecide, today()).unwrap(),
        ));
    }
    steps
        .into_iter()
        // Attendees are recorded for a meeting held: skipping the meeting skips them too.
        // Likewise the destination confirms only safeguarding information recorded.
        .filter(|(gate, ..)| {
            *gate != skip
                && !(skip == Gate::MeetingHeld && *gate == Gate::MeetingAttendees)
                && !(skip == Gate::Safeguarding && *gate == Gate::SafeguardingConfirmed)
        })
        .fold(builder, |b, (_, actor, action)| b.act(&actor, action))
}

pub(super) fn start(
    b: &CaseBuilder,
) -> Result<Vec<crate::domain::EventKind>, crate::domain::Refusal> {
    b.try_act(&head_of(HOME), &Action::StartMove { on: None })
}

/// Skipping `gate` blocks the start with a message containing `missing`; nothing else is
/// reported missing; and once everything is recorded the move starts.
pub(super) fn assert_gate_blocks(builder: CaseBuilder, gate: Gate, missing: &str) {
    let b = all_gates_except(builder.clone(), gate);
    let r = start(&b).expect_err("the move must not start");
    assert_eq!(r.kind, RefusalKind::Blocked, "{gate:?}");
    assert_eq!(
        r.message(),
        format!("Before the move can start: {missing}."),
        "{gate:?}"
    );
    assert_eq!(b.case().state, CaseState::Agreeing);
    let complete = all_gates_except(builder, Gate::Panel);
    if complete.case().kind == crate::domain::MoveKind::ManagedMove {
        assert!(
            start(&complete).is_ok(),
            "with every gate recorded the move starts"
        );
    }
}

#[test]
fn the_initial_meeting_must_be_scheduled_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::Meeting,
        "schedule the initial meeting",
    );
}

#[test]
fn the_destination_must_confirm_its_subsidiary_registration_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::Registration,
        "Hillcrest School must confirm the pupil's subsidiary registration (`/move registered`)",
    );
}

#[test]
fn the_initial_meeting_must_be_recorded_as_held_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::MeetingHeld,
        "record the initial meeting as held (`/meeting held`)",
    );
}

#[test]
fn who_attended_the_initial_meeting_must_be_recorded_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::MeetingAttendees,
        "record who attended the initial meeting",
    );
}

#[test]
fn parent_consent_must_be_recorded_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::ParentConsent,
        "record the parent/carer's agreement",
    );
}

#[test]
fn pupil_consent_must_be_recorded_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::PupilConsent,
        "record the pupil's agreement",
    );
}

#[test]
fn the_agreement_must_be_recorded_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::Agreement,
        "record the agreement; give the parent/carer their copy of the agreement (`/document parent-copy`, then `/consent copy-given`)",
    );
}

#[test]
fn both_schools_must_sign_the_agreement_before_the_move_starts() {
    assert_gate_blocks(
        CaseBuilder::proposed().accepted(),
        Gate::DestinationSignature,
        "the head of Hillcrest School must sign the agreement",
    );
}

#[test]
fn the_home_school_must_sign_when_the_destination_recorded_the_agreement() {
    let b = CaseBuilder::proposed()
        .accepted()
        .meeting_scheduled()
        .meeting_held()
        .act(
            &head_of(DESTINATION),
            sample_action(ActionKind::RecordParentConsent, today()).unwrap(),
        )
        .act(
            &head_of(DESTINATION),
            sample_action(ActionKind::RecordPupilConsent, today()).unwrap(),
        )
        .act(
            &head_of(DESTINATION),
            sample_action(ActionKind::RecordAgreement, today()).unwrap(),
        )
        .act(
            &staff_of(DESTINATION),
            sample_action(ActionKind::ConfirmRegistration, today()).unwrap(),
        )
        .act(
            &staff_of(HOME),
            sample_action(ActionKind::RecordSafeguarding, today()).unwrap(),
        )
        .act(&staff_of(DESTINATION), Action::ConfirmSafeguarding)
        .copy_given();
    let r = start(&b).unwrap_err();
    assert_eq!(
        r.message(),
        "Before the move can start: the head of Riverside Academy must sign the agreement."
    );
    let b = b.act(&head_of(HOME), Action::SignAgreement);
    assert!(start(&b).is_ok());
}

#[test]
fn a_head_cannot_sign_twice_for_the_same_school() {
    let b = CaseBuilder::proposed().accepted().agreed();
    let r = b
        .try_act(&head_of(DESTINATION), &Action::SignAgreement)
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    assert!(r.message().contains("already signed"), "{r}");
}

#[test]
fn there_is_nothing_to_sign_before_the_agreement_is_recorded() {
    let b = CaseBuilder::proposed().accepted().meeting_scheduled();
    let r = b
        .try_act(&head_of(DESTINATION), &Action::SignAgreement)
        .unwrap_err();
    assert!(r.message().contains("no agreement to sign"), "{r}");
}

#[test]
fn recording_the_agreement_again_needs_both_signatures_again() {
    let b = CaseBuilder::proposed().accepted().agreed().act(
        &head_of(HOME),
        Action::RecordAgreement {
            terms: terms(today(), 8),
        },
    );
    let r = start(&b).unwrap_err();
    assert!(
        r.message()
            .contains("the head of Hillcrest School must sign"),
        "{r}"
    );
}

#[test]
fn the_ehcp_amendment_must_be_recorded_before_an_ehcp_pupil_moves() {
    assert_gate_blocks(
        CaseBuilder::proposed().ehcp().accepted(),
        Gate::Ehcp,
        "record the EHCP amendment",
    );
}

#[test]
fn correcting_the_pupils_needs_adds_or_lifts_their_gates_until_the_move_starts() {
    let needs = |ehcp, looked_after| Action::UpdateNeeds {
        ehcp,
        looked_after,
        reason: text("The plan was issued last month."),
    };
    // Everything recorded for a pupil without an EHCP: ready to start...
    let ready = all_gates_except(CaseBuilder::proposed().accepted(), Gate::Panel);
    assert!(start(&ready).is_ok());
    // ...until the destination head learns the pupil has one.
    let b = ready.act(&head_of(DESTINATION), needs(true, false));
    assert!(b.case().ehcp);
    let r = start(&b).unwrap_err();
    assert_eq!(
        r.message(),
        "Before the move can start: record the EHCP amendment."
    );
    // Set back (it was a mistake), the gate is lifted again.
    let b = b.act(&head_of(HOME), needs(false, false));
    assert!(start(&b).is_ok());
    // Saying what the case already says changes nothing.
    let r = b.try_act(&head_of(HOME), &needs(false, false)).unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    // Once the move has started, the facts it started on stand.
    let active = b.act(&head_of(HOME), Action::StartMove { on: None });
    let r = active
        .try_act(&head_of(HOME), &needs(false, true))
        .unwrap_err();
    assert!(r.message().contains("already started"), "{r}");
    // A proposal can be corrected before the destination head decides.
    let proposed = CaseBuilder::proposed().act(&head_of(HOME), needs(false, true));
    assert!(proposed.case().looked_after);
}

#[test]
fn the_virtual_school_must_be_consulted_before_a_looked_after_child_moves() {
    assert_gate_blocks(
        CaseBuilder::proposed().looked_after().accepted(),
        Gate::VirtualSchool,
        "record the Virtual School consultation",
    );
}

#[test]
fn the_seip_panel_must_approve_a_managed_transfer_before_it_starts() {
    let b = all_gates_except(CaseBuilder::proposed().transfer().accepted(), Gate::Panel);
    let r = start(&b).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert_eq!(
        r.message(),
        "Before the move can start: the SEIP panel must approve the transfer."
    );
    assert_eq!(b.approved().active().case().state, CaseState::Active);
}

#[test]
fn an_accepted_case_lists_every_missing_gate_at_once() {
    let b = CaseBuilder::proposed()
        .transfer()
        .ehcp()
        .looked_after()
        .accepted();
    let all = [
        "schedule the initial meeting",
        "record the initial meeting as held (`/meeting held`)",
        "record the agreement",
        "record the local authority's agreement (`/consent local-authority`)",
        "record the parent/carer's agreement",
        "record the pupil's agreement",
        "record the EHCP amendment",
        "record the Virtual School consultation",
        "Hillcrest School must confirm the pupil's subsidiary registration (`/move registered`)",
        "the SEIP panel must approve the transfer",
        "Riverside Academy must record the safeguarding information shared (`/safeguarding shared`)",
        "give the parent/carer their copy of the agreement (`/document parent-copy`, then `/consent copy-given`)",
    ];
    // The case card lists them all; the refusal, the first ones and how many more.
    assert_eq!(
        crate::domain::decide::missing_gates(b.case(), b.partnership()),
        all
    );
    let r = start(&b).unwrap_err();
    assert_eq!(
        r.message(),
        format!(
            "Before the move can start: {}; and 4 more (see the case card).",
            all[..8].join("; ")
        )
    );
    assert!(r.message().chars().count() <= 380);
}

#[test]
fn parent_consent_not_freely_given_is_refused() {
    let b = CaseBuilder::proposed().accepted();
    let action = Action::RecordParentConsent {
        witnessed_by: text("Ms Patel, inclusion lead"),
        on: today(),
        freely_given: false,
    };
    let r = b.try_act(&head_of(HOME), &action).unwrap_err();
    assert_eq!(r.kind, RefusalKind::Blocked);
    assert!(r.message().contains("given freely"), "{r}");
    assert!(
        r.message().contains("never under threat of exclusion"),
        "{r}"
    );
    assert!(b.case().parent_consent.is_none());
}

#[test]
fn parent_consent_records_the_member_of_staff_and_the_date() {
    let case = CaseBuilder::proposed().accepted().agreed().build();
    let consent = case.parent_consent.unwrap();
    assert_eq!(consent.witnessed_by.as_str(), "Ms Patel, inclusion lead");
    assert_eq!(consent.on, today());
    assert_eq!(consent.recorded.by, head_of(HOME).user);
}

#[test]
fn a_partnership_may_not_require_the_pupils_own_agreement() {
    let b = all_gates_except(
        CaseBuilder::proposed()
            .with_policy(|p| p.pupil_consent_required = false)
            .accepted(),
        Gate::PupilConsent,
    );
    assert!(start(&b).is_ok());
}

#[test]
fn a_partnership_may_not_require_the_panel_for_transfers() {
    let b = CaseBuilder::proposed()
        .with_policy(|p| p.transfer_needs_panel = false)
        .transfer()
        .accepted();
    let r = b
        .try_act(
            &seip(),
            &sample_action(ActionKind::PanelDecide, today()).unwrap(),
        )
        .unwrap_err();
    assert_eq!(r.kind, RefusalKind::WrongState);
    let b = all_gates_except(b, Gate::Panel);
    assert!(start(&b).is_ok());
}

#[test]
fn ehcp_and_virtual_school_records_apply_only_when_the_case_needs_them() {
    let b = CaseBuilder::proposed().accepted();
    for kind in [
        ActionKind::RecordEhcpAmendment,
        ActionKind::RecordVirtualSchool,
    ] {
        let r = b
            .try_act(&head_of(HOME), &sample_action(kind, today()).unwrap())
            .unwrap_err();
        assert_eq!(r.kind, RefusalKind::WrongState, "{kind:?}");
        assert!(r.message().contains("not marked as"), "{r}");
    }
}

#[test]
fn consents_and_the_agreement_are_recorded_only_before_the_move_starts() {
    let proposed = CaseBuilder::proposed();
    let active = CaseBuilder::proposed()
        .ehcp()
        .looked_after()
        .accepted()
        .agreed()
        .active();
    for kind in [
        ActionKind::ScheduleMeeting,
        ActionKind::RecordParentConsent,
        ActionKind::RecordPupilConsent,
        ActionKind::RecordEhcpAmendment,
        ActionKind::RecordVirtualSchool,
        ActionKind::RecordAgreement,
        ActionKind::SignAgreement,
        ActionKind::StartMove,
    ] {
        let action = sample_action(kind, today()).unwrap();
        let early = proposed.try_act(&head_of(HOME), &action).unwrap_err();
        assert_eq!(early.kind, RefusalKind::WrongState, "{kind:?}");
        assert!(
            early
                .message()
                .contains("once the destination head has accepted"),
            "{early}"
        );
        let late = active.try_act(&head_of(HOME), &action).unwrap_err();
        assert_eq!(late.kind, RefusalKind::WrongState, "{kind:?}");
        assert!(late.message().contains("already started"), "{late}");
    }
}

#[test]
fn recording_a_gate_moves_an_accepted_case_to_agreeing() {
    let b = CaseBuilder::proposed().accepted();
    assert_eq!(b.case().state, CaseState::Accepted);
    assert_eq!(b.meeting_scheduled().case().state, CaseState::Agreeing);
}
