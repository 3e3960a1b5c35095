//! "Next step and who owes it" (issue 15): for every state and stage, the steps owed, who
//! owes each (schools by name), since when and by when.

use chrono::{Days, NaiveDate};

use crate::domain::approvals::Approver;
use crate::domain::next_step::{headline, next_steps, Owner, Step};
use crate::domain::testkit::*;
use crate::domain::{ActionKind, Case, CaseState, Partnership, ReviewKind};

fn steps(b: &CaseBuilder) -> Vec<Step> {
    next_steps(b.case(), b.partnership(), b.today())
}

fn keys(steps: &[Step]) -> Vec<&str> {
    steps.iter().map(|s| s.key.as_str()).collect()
}

fn owner_of<'a>(steps: &'a [Step], key: &str) -> &'a Owner {
    &steps
        .iter()
        .find(|s| s.key == key)
        .unwrap_or_else(|| panic!("{key} not owed: {:?}", keys(steps)))
        .owner
}

fn head(key: &str) -> Owner {
    Owner::Head(school(key))
}

fn at(b: &CaseBuilder, day: NaiveDate) -> Vec<Step> {
    next_steps(b.case(), b.partnership(), day)
}

#[test]
fn a_proposal_waits_on_the_destination_head_from_the_day_it_was_made() {
    let b = CaseBuilder::proposed();
    let steps = steps(&b);
    assert_eq!(keys(&steps), ["answer_proposal"]);
    assert_eq!(steps[0].owner, head(DESTINATION));
    assert_eq!(steps[0].since, b.today());
    assert!(steps[0].due > b.today());
    let line = headline(b.case(), b.partnership(), b.today()).unwrap();
    assert!(
        line.starts_with("**Hillcrest School head: accept or decline"),
        "{line}"
    );
}

#[test]
fn an_accepted_move_owes_the_meeting_to_the_home_head_and_the_gates_to_their_owners() {
    let b = CaseBuilder::proposed().accepted();
    let steps = steps(&b);
    assert_eq!(owner_of(&steps, "schedule_meeting"), &head(HOME));
    assert_eq!(owner_of(&steps, "record_agreement"), &head(HOME));
    assert_eq!(owner_of(&steps, "parent_consent"), &head(HOME));
    assert_eq!(
        owner_of(&steps, "safeguarding_shared"),
        &Owner::School(school(HOME))
    );
    assert_eq!(
        owner_of(&steps, "subsidiary_registration"),
        &Owner::School(school(DESTINATION))
    );
    assert!(
        !keys(&steps).contains(&"panel_decision"),
        "a managed move needs no panel"
    );
    assert!(
        !keys(&steps).contains(&"start_move"),
        "the start waits for the gates"
    );
}

#[test]
fn a_transfer_waits_on_the_panel_until_it_decides() {
    let b = CaseBuilder::proposed().transfer().accepted();
    let owed = steps(&b);
    assert_eq!(owner_of(&owed, "panel_decision"), &Owner::Panel);
    assert!(owed.iter().any(|s| s.owner.is_panel_or_approval()));
    let decided = b.approved();
    assert!(!keys(&steps(&decided)).contains(&"panel_decision"));
}

#[test]
fn an_exam_year_waits_on_the_extra_approval_and_the_destination_on_exam_courses() {
    let b = CaseBuilder::proposed().year(10).accepted();
    let owed = steps(&b);
    assert_eq!(
        owner_of(&owed, "extra_approval"),
        &Owner::Approver(Approver::Coordinator)
    );
    assert_eq!(
        owner_of(&owed, "exam_courses"),
        &Owner::School(school(DESTINATION))
    );

    let seip = CaseBuilder::proposed()
        .with_policy(|p| p.extra_approval.by = Approver::Seip)
        .year(10)
        .accepted();
    assert_eq!(
        owner_of(&steps(&seip), "extra_approval"),
        &Owner::Approver(Approver::Seip)
    );
}

#[test]
fn a_meeting_once_scheduled_is_owed_as_held_on_its_day() {
    let b = CaseBuilder::proposed().accepted().meeting_scheduled();
    let owed = steps(&b);
    assert!(!keys(&owed).contains(&"schedule_meeting"));
    let meeting_day = b.partnership().today(b.case().meeting.as_ref().unwrap().at);
    let held = owed.iter().find(|s| s.key == "meeting_held").unwrap();
    assert_eq!(
        held.owner,
        Owner::School(school(DESTINATION)),
        "held at the destination"
    );
    assert_eq!(held.due, meeting_day);
    assert!(!keys(&steps(&b.meeting_held())).contains(&"meeting_held"));
}

#[test]
fn each_unsigned_school_head_owes_a_signature() {
    let b = CaseBuilder::proposed()
        .accepted()
        .meeting_scheduled()
        .meeting_held();
    let today = b.today();
    let home = head_of(HOME);
    let b = b.act(
        &home,
        crate::domain::Action::RecordAgreement {
            terms: terms(today, 6),
        },
    );
    let owed = steps(&b);
    assert!(!keys(&owed).contains(&"record_agreement"));
    assert_eq!(
        owner_of(&owed, "sign_agreement_hillcrest"),
        &head(DESTINATION)
    );
    // The head who recorded it signed it too.
    assert!(
        !keys(&owed).contains(&"sign_agreement_riverside"),
        "{:?}",
        keys(&owed)
    );
}

#[test]
fn the_local_authority_owes_an_ehcp_amendment_and_a_looked_after_childs_consent() {
    let b = CaseBuilder::proposed().ehcp().looked_after().accepted();
    let owed = steps(&b);
    assert_eq!(owner_of(&owed, "ehcp_amendment"), &Owner::LocalAuthority);
    assert_eq!(owner_of(&owed, "la_consent"), &Owner::LocalAuthority);
    assert!(Owner::LocalAuthority.is_outside_body());
    assert_eq!(owner_of(&owed, "virtual_school"), &head(HOME));
}

#[test]
fn with_every_gate_done_the_home_head_owes_the_start_by_the_agreed_day() {
    let b = CaseBuilder::proposed().accepted().agreed_without_copy();
    assert_eq!(keys(&steps(&b)), ["parent_copy"]);
    let b = b.copy_given();
    let owed = steps(&b);
    assert_eq!(keys(&owed), ["start_move"]);
    assert_eq!(
        owed[0].due,
        b.case().agreement.as_ref().unwrap().terms.start
    );
    assert_eq!(owed[0].owner, head(HOME));
}

#[test]
fn a_running_placement_owes_code_d_then_the_reviews_in_order() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let owed = steps(&b);
    assert_eq!(
        owner_of(&owed, "home_registration"),
        &Owner::School(school(HOME))
    );
    let midpoint = owed.iter().find(|s| s.key == "midpoint_review").unwrap();
    assert_eq!(
        midpoint.due,
        b.case().agreement.as_ref().unwrap().midpoint_review
    );
    assert!(
        !keys(&owed).contains(&"final_review"),
        "the midpoint comes first"
    );

    let b = b.reviewed(ReviewKind::Midpoint);
    assert!(keys(&steps(&b)).contains(&"final_review"));
}

#[test]
fn a_missing_weekly_attendance_report_is_owed_by_the_destination_once_the_week_is_due() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let start = b.case().started_on.unwrap();
    assert!(!keys(&at(&b, start))
        .iter()
        .any(|k| k.starts_with("attendance_")));
    let later = start + Days::new(10);
    let owed = at(&b, later);
    let week = owed
        .iter()
        .find(|s| s.key.starts_with("attendance_"))
        .expect("a week's report owed");
    assert_eq!(week.owner, Owner::School(school(DESTINATION)));
    assert!(week.is_overdue(later) || week.due == later, "{week:?}");
}

#[test]
fn after_the_final_review_both_heads_owe_the_outcome_and_a_permanent_one_the_other_head() {
    let b = CaseBuilder::proposed().accepted().agreed().active();
    let b = b.reviewed(ReviewKind::Final);
    let owed = steps(&b);
    assert_eq!(owner_of(&owed, "outcome"), &Owner::BothHeads);

    let home = head_of(HOME);
    let b = b.act(
        &home,
        crate::domain::Action::RecordOutcome {
            outcome: crate::domain::Outcome::Permanent,
            note: text("Settled."),
        },
    );
    assert_eq!(owner_of(&steps(&b), "outcome_confirm"), &head(DESTINATION));
}

#[test]
fn the_transferring_stage_owes_each_roll_and_records_step_to_its_school() {
    let b = CaseBuilder::proposed()
        .ehcp()
        .accepted()
        .agreed()
        .active()
        .permanent();
    assert_eq!(b.case().state, CaseState::Transferring);
    let owed = steps(&b);
    assert_eq!(
        owner_of(&owed, "transfer_named_school"),
        &Owner::LocalAuthority
    );
    assert_eq!(
        owner_of(&owed, "transfer_main_registration"),
        &Owner::School(school(DESTINATION))
    );
    assert_eq!(
        owner_of(&owed, "transfer_removal"),
        &Owner::School(school(HOME))
    );
    let b = b.removed_from_roll();
    let owed = steps(&b);
    assert_eq!(
        owner_of(&owed, "transfer_cp_file"),
        &Owner::School(school(HOME))
    );
    assert_eq!(
        owner_of(&owed, "transfer_records"),
        &Owner::School(school(HOME))
    );
    assert!(!keys(&owed).contains(&"transfer_removal"));
}

#[test]
fn the_returning_stage_owes_the_meeting_and_plan_home_and_each_register_its_school() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .returning();
    assert_eq!(b.case().state, CaseState::Returning);
    let owed = steps(&b);
    assert_eq!(
        owner_of(&owed, "reintegration_meeting"),
        &Owner::School(school(HOME))
    );
    assert_eq!(
        owner_of(&owed, "reintegration_plan"),
        &Owner::School(school(HOME))
    );
    assert_eq!(
        owner_of(&owed, "return_registration_destination"),
        &Owner::School(school(DESTINATION))
    );
    assert_eq!(
        owner_of(&owed, "return_registration_home"),
        &Owner::School(school(HOME))
    );
    let due = owed[0].due;
    assert_eq!(
        due,
        b.case()
            .returning
            .as_ref()
            .unwrap()
            .meeting_due(b.partnership())
    );
}

#[test]
fn a_closed_move_owes_its_follow_up_only_once_the_term_has_passed() {
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .returned();
    assert_eq!(b.case().state, CaseState::Completed);
    assert!(steps(&b).is_empty());
    let due = crate::domain::returning::follow_up_due(b.case(), b.partnership()).unwrap();
    let owed = at(&b, due);
    assert_eq!(keys(&owed), ["follow_up"]);
    assert_eq!(owed[0].owner, Owner::School(school(HOME)));
    let noon = b
        .partnership()
        .instant(due, chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap());
    let b = b.at(noon).step_as_home_staff(ActionKind::RecordFollowUp);
    assert!(at(&b, due).is_empty());
}

#[test]
fn a_case_closed_before_any_move_owes_nothing() {
    for b in [
        CaseBuilder::proposed().declined(),
        CaseBuilder::proposed().withdrawn(),
        CaseBuilder::proposed().transfer().accepted().rejected(),
    ] {
        assert!(steps(&b).is_empty(), "{}", b.case().state);
    }
}

#[test]
fn every_owed_step_names_schools_by_name_never_by_their_key() {
    let p = partnership();
    let cases: Vec<Case> = [
        CaseBuilder::proposed(),
        CaseBuilder::proposed()
            .year(10)
            .ehcp()
            .looked_after()
            .accepted(),
        CaseBuilder::proposed().accepted().agreed().active(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .returning(),
        CaseBuilder::proposed()
            .ehcp()
            .looked_after()
            .accepted()
            .agreed()
            .active()
            .permanent(),
    ]
    .into_iter()
    .map(CaseBuilder::build)
    .collect();
    for case in &cases {
        for step in next_steps(case, p, today() + Days::new(30)) {
            let text = step.describe(p);
            for key in [HOME, DESTINATION] {
                assert!(!text.contains(key), "{text}");
            }
            assert!(step.due >= step.since, "{step:?}");
        }
    }
}

#[test]
fn a_step_waits_in_school_days_and_says_when_it_is_overdue() {
    let p: &Partnership = partnership();
    let monday = day(2026, 11, 2);
    let step = Step {
        key: "k".into(),
        what: "sign the agreement".into(),
        owner: head(DESTINATION),
        since: monday,
        due: day(2026, 11, 6),
    };
    assert_eq!(step.waiting(p, day(2026, 11, 5)), "waiting 3 school days");
    assert_eq!(
        step.waiting(p, day(2026, 11, 9)),
        "⚠️ overdue since Fri 6 Nov"
    );
    assert_eq!(
        step.describe(p),
        "Hillcrest School head: sign the agreement"
    );
}

#[test]
fn history_lines_name_schools_by_name_never_by_their_key() {
    let flows = [
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .transferred(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .returned(),
    ];
    for b in flows {
        for event in b.events() {
            let line = event.kind.summary(b.partnership());
            for key in [HOME, DESTINATION] {
                assert!(!line.contains(key), "{line}");
            }
        }
    }
}
