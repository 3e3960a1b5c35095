//! The full permission matrix (DOMAIN.md, "Roles and who may do what"): every capacity ×
//! every action × managed move / managed transfer, against a table written out by hand.

use crate::domain::permissions::{authorize, NO_ROLE};
use crate::domain::testkit::*;
use crate::domain::{
    ActionKind, Actor, Capacity, Case, MoveKind, Refusal, RefusalKind, RoleId, UserId,
};

/// The capacities of the matrix, each as an actor on the default case (riverside ->
/// hillcrest; oakfield is uninvolved).
fn capacities() -> Vec<(&'static str, Actor)> {
    vec![
        ("head of home", head_of(HOME)),
        ("head of destination", head_of(DESTINATION)),
        ("head of uninvolved", head_of(UNINVOLVED)),
        ("staff of home", staff_of(HOME)),
        ("staff of destination", staff_of(DESTINATION)),
        ("staff of uninvolved", staff_of(UNINVOLVED)),
        ("coordinator", coordinator()),
        ("seip", seip()),
        ("admin", admin()),
        ("no role", nobody()),
    ]
}

// Columns, in `ActionKind::ALL` order:
//   Vw  view                 Ac  accept              Dc  decline          Wd  withdraw
//   Pn  panel decision       Mt  schedule meeting    Pc  parent consent   Uc  pupil consent
//   Eh  EHCP amendment       Vs  Virtual School      Ag  record agreement Sg  sign agreement
//   Rr  reschedule review    St  start move          Ck  rate checklist   Ci  log check-in
//   Rv  record review        Oc  record outcome      Tm  terminate        Sz  snooze reminder
//   Nd  correct EHCP / looked-after status               Ex  extend the placement
//   Rq  parent's request for a review
//   Rg  confirm registration
//   At  report attendance
//   Mh  meeting held   Ma  meeting attendees   Dt  review details
//   Ra  review attendees   Bf  bring the final review forward
//   Transferring: Na EHCP named school amended   Vt Virtual School told
//   Mr main registration   Rm removal from roll   Cp child-protection file sent
//   Cr child-protection file received   Tr common transfer file and record sent
//   Xa  extra approval (exam years)   Xc  exam courses   Sh  safeguarding shared
//   Sc  safeguarding confirmed   La  local authority's consent (looked-after child)
//   Cw  parent's consent withdrawn   Ri  reintegration meeting   Rp  reintegration plan
//   Re  register change at the return   Fu  follow-up one term after the close
//   Cg  parent's copy given   Nt  off-site direction notice given
//   Ld  take or hand the lead   Ro  ask to reopen   Rc  confirm a reopen
//   Pg  ping the owner of an overdue step (escalation)
// Cells: Y allowed, n not permitted, ? "no such case" (must not learn the case exists),
//        0 the no-role refusal.

#[rustfmt::skip]
const MANAGED_MOVE: [(&str, &str); 10] = [
    //                        Vw Ac Dc Wd Pn Mt Pc Uc Eh Vs Ag Sg Rr St Ck Ci Rv Oc Tm Sz Nd Ex Rq Rg At Mh Ma Dt Ra Bf Na Vt Mr Rm Cp Cr Tr Xa Xc Sh Sc La Cw Ri Rp Re Fu Cg Nt Ld Ro Rc Pg
    ("head of home",         "Y  n  n  Y  n  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  n  Y  Y  Y  Y  Y  n  Y  Y  Y  Y  Y  Y  Y  n  Y  Y  n  Y  n  n  Y  n  Y  Y  Y  Y  Y  Y  Y  Y  n  n  Y  n"),
    ("head of destination",  "Y  Y  Y  n  n  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  n  n  Y  n  n  Y  n  Y  Y  n  n  n  Y  Y  n  n  n  n  Y  n"),
    ("head of uninvolved",   "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("staff of home",        "Y  n  n  n  n  n  n  n  n  n  n  n  n  n  Y  Y  Y  n  n  n  n  n  n  Y  n  Y  Y  Y  Y  n  n  Y  n  n  Y  n  Y  n  n  Y  n  n  n  Y  Y  Y  Y  n  n  n  n  n  n"),
    ("staff of destination", "Y  n  n  n  n  n  n  n  n  n  n  n  n  n  Y  Y  Y  n  n  n  n  n  n  Y  Y  Y  Y  Y  Y  n  n  Y  n  n  n  Y  n  n  Y  n  Y  n  n  n  n  Y  Y  n  n  n  n  n  n"),
    ("staff of uninvolved",  "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("coordinator",          "Y  n  n  n  n  Y  n  n  n  n  n  n  Y  n  n  n  n  n  n  Y  n  n  n  n  n  Y  Y  n  n  n  n  n  n  n  n  n  n  Y  n  n  n  n  n  n  n  n  n  n  n  Y  Y  n  Y"),
    ("seip",                 "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("admin",                "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("no role",              "0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0"),
];

#[rustfmt::skip]
const MANAGED_TRANSFER: [(&str, &str); 10] = [
    //                        Vw Ac Dc Wd Pn Mt Pc Uc Eh Vs Ag Sg Rr St Ck Ci Rv Oc Tm Sz Nd Ex Rq Rg At Mh Ma Dt Ra Bf Na Vt Mr Rm Cp Cr Tr Xa Xc Sh Sc La Cw Ri Rp Re Fu Cg Nt Ld Ro Rc Pg
    ("head of home",         "Y  n  n  Y  n  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  n  Y  Y  Y  Y  Y  n  Y  Y  Y  Y  Y  Y  Y  n  Y  Y  n  Y  n  n  Y  n  Y  Y  Y  Y  Y  Y  Y  Y  n  n  Y  n"),
    ("head of destination",  "Y  Y  Y  n  n  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  Y  n  n  Y  n  n  Y  n  Y  Y  n  n  n  Y  Y  n  n  n  n  Y  n"),
    ("head of uninvolved",   "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("staff of home",        "Y  n  n  n  n  n  n  n  n  n  n  n  n  n  Y  Y  Y  n  n  n  n  n  n  Y  n  Y  Y  Y  Y  n  n  Y  n  n  Y  n  Y  n  n  Y  n  n  n  Y  Y  Y  Y  n  n  n  n  n  n"),
    ("staff of destination", "Y  n  n  n  n  n  n  n  n  n  n  n  n  n  Y  Y  Y  n  n  n  n  n  n  Y  Y  Y  Y  Y  Y  n  n  Y  n  n  n  Y  n  n  Y  n  Y  n  n  n  n  Y  Y  n  n  n  n  n  n"),
    ("staff of uninvolved",  "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("coordinator",          "Y  n  n  n  n  Y  n  n  n  n  n  n  Y  n  n  n  n  n  n  Y  n  n  n  n  n  Y  Y  n  n  n  n  n  n  n  n  n  n  Y  n  n  n  n  n  n  n  n  n  n  n  Y  Y  n  Y"),
    ("seip",                 "Y  n  n  n  Y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n  Y  n  n  n  n  n  n  n  n  n  n  n  n  n  n  n"),
    ("admin",                "?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?  ?"),
    ("no role",              "0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0  0"),
];

fn expected(table: &[(&str, &str); 10], who: &str, action: ActionKind) -> char {
    let (_, row) = table
        .iter()
        .find(|(name, _)| *name == who)
        .expect("a row per capacity");
    let cells: Vec<char> = row
        .split_whitespace()
        .map(|c| c.chars().next().unwrap())
        .collect();
    assert_eq!(
        cells.len(),
        ActionKind::ALL.len(),
        "row {who} has a cell per action"
    );
    let column = ActionKind::ALL.iter().position(|a| *a == action).unwrap();
    cells[column]
}

fn observed(result: &Result<(), Refusal>, case: &Case) -> char {
    match result {
        Ok(()) => 'Y',
        Err(r) if r.kind == RefusalKind::NotFound => {
            assert_eq!(
                *r,
                Refusal::case_not_found(case.reference),
                "indistinguishable from no case"
            );
            '?'
        }
        Err(r) if r.kind == RefusalKind::NotPermitted && r.message() == NO_ROLE => '0',
        Err(r) if r.kind == RefusalKind::NotPermitted => 'n',
        Err(r) => panic!("unexpected refusal from the permission check: {r:?}"),
    }
}

/// Checks the table on a case, both through `authorize` and through `decide` (which must
/// give the same permission refusal before looking at the case's state).
fn check_matrix(case: &Case, table: &[(&str, &str); 10]) -> Vec<String> {
    let mut mismatches = Vec::new();
    for (who, actor) in capacities() {
        for action in ActionKind::ALL {
            let want = expected(table, who, action);
            let result = authorize(&actor, case, action);
            let got = observed(&result, case);
            if got != want {
                mismatches.push(format!(
                    "{who} / {action:?} on {}: want {want}, got {got}",
                    case.state
                ));
            }
            let Some(sample) = sample_action(action, today()) else {
                continue;
            };
            let decided = crate::domain::decide(case, &actor, &sample, &ctx(now()));
            match (&result, decided) {
                (Err(denied), Err(refused)) => assert_eq!(*denied, refused, "{who} / {action:?}"),
                (Err(denied), Ok(events)) => {
                    panic!("{who} / {action:?}: decide allowed {events:?} despite {denied}")
                }
                (Ok(()), Err(refused)) => assert!(
                    !matches!(
                        refused.kind,
                        RefusalKind::NotPermitted | RefusalKind::NotFound
                    ),
                    "{who} / {action:?}: permitted but decide said {refused:?}"
                ),
                (Ok(()), Ok(_)) => {}
            }
        }
    }
    mismatches
}

#[test]
fn every_capacity_may_do_exactly_what_the_roles_allow_on_a_managed_move() {
    let cases = [
        CaseBuilder::proposed().build(),
        CaseBuilder::proposed().accepted().agreed().build(),
        CaseBuilder::proposed().accepted().agreed().active().build(),
        // Who may act does not change with the returning stage (its steps are in the table).
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminating()
            .build(),
    ];
    for case in cases {
        assert_eq!(case.kind, MoveKind::ManagedMove);
        let mismatches = check_matrix(&case, &MANAGED_MOVE);
        assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
    }
}

#[test]
fn every_capacity_may_do_exactly_what_the_roles_allow_on_a_managed_transfer() {
    let cases = [
        CaseBuilder::proposed().transfer().build(),
        CaseBuilder::proposed().transfer().accepted().build(),
        CaseBuilder::proposed()
            .transfer()
            .accepted()
            .approved()
            .agreed()
            .active()
            .build(),
    ];
    for case in cases {
        assert_eq!(case.kind, MoveKind::ManagedTransfer);
        let mismatches = check_matrix(&case, &MANAGED_TRANSFER);
        assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
    }
}

/// Once a move has closed, the follow-up is the school now responsible's alone: the home
/// school after a return (its head or staff), nobody else on the case.
#[test]
fn only_the_responsible_school_may_record_the_follow_up_of_a_closed_case() {
    let returned = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .returned()
        .build();
    let want = [
        ("head of home", 'Y'),
        ("head of destination", 'n'),
        ("head of uninvolved", '?'),
        ("staff of home", 'Y'),
        ("staff of destination", 'n'),
        ("staff of uninvolved", '?'),
        ("coordinator", 'n'),
        ("seip", '?'),
        ("admin", '?'),
        ("no role", '0'),
    ];
    for ((who, actor), (name, cell)) in capacities().into_iter().zip(want) {
        assert_eq!(who, name);
        let got = observed(
            &authorize(&actor, &returned, ActionKind::RecordFollowUp),
            &returned,
        );
        assert_eq!(got, cell, "{who}");
    }
}

#[test]
fn an_uninvolved_head_is_told_the_case_does_not_exist() {
    let case = CaseBuilder::proposed().build();
    let r = authorize(&head_of(UNINVOLVED), &case, ActionKind::View).unwrap_err();
    assert_eq!(r.kind, RefusalKind::NotFound);
    assert!(
        r.message()
            .contains("There is no case MM-2026-0001 that you can see"),
        "{r}"
    );
}

#[test]
fn only_the_home_head_can_propose_a_move_from_their_school() {
    let ctx = ctx(now());
    assert!(crate::domain::propose(&head_of(HOME), &proposal(), &ctx).is_ok());
    for actor in [
        head_of(DESTINATION),
        staff_of(HOME),
        coordinator(),
        seip(),
        admin(),
    ] {
        let r = crate::domain::propose(&actor, &proposal(), &ctx).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted, "{actor:?}");
        assert!(
            r.message().contains("Only the head of the home school"),
            "{r}"
        );
    }
}

#[test]
fn someone_without_a_role_gets_the_no_role_refusal_for_a_proposal_whatever_they_typed() {
    let ctx = ctx(now());
    let mut unknown = proposal();
    unknown.destination = crate::domain::SchoolKey::parse("northgate").unwrap();
    for p in [proposal(), unknown] {
        let r = crate::domain::propose(&nobody(), &p, &ctx).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotPermitted);
        assert_eq!(r.message(), NO_ROLE);
    }
}

#[test]
fn config_roles_grant_the_capacities_the_testkit_uses() {
    let roles = &config().roles;
    let head_role = roles.roles_for(&Capacity::Head(school(HOME)));
    assert_eq!(head_role, vec![RoleId(900000000000000201)]);
    assert_eq!(
        roles.actor(UserId(1), &head_role).capacities,
        head_of(HOME).capacities
    );
    let staff_role = roles.roles_for(&Capacity::Staff(school(DESTINATION)));
    assert_eq!(
        roles.actor(UserId(1), &staff_role).capacities,
        staff_of(DESTINATION).capacities
    );
    for (actor, role) in [
        (coordinator(), 900000000000000100),
        (seip(), 900000000000000101),
        (admin(), 900000000000000102),
    ] {
        assert_eq!(
            roles.actor(UserId(1), &[RoleId(role)]).capacities,
            actor.capacities
        );
    }
    assert!(
        roles.actor(UserId(1), &[RoleId(42)]).capacities.is_empty(),
        "unknown roles grant nothing"
    );
}

#[test]
fn a_case_thread_admits_exactly_those_who_may_see_the_case() {
    use crate::domain::permissions::may_join_thread;
    let moving = CaseBuilder::proposed().build();
    let transfer = CaseBuilder::proposed().transfer().build();
    // (capacity, on a managed move, on a managed transfer)
    let expected = [
        ("head of home", true, true),
        ("head of destination", true, true),
        ("head of uninvolved", false, false),
        ("staff of home", true, true),
        ("staff of destination", true, true),
        ("staff of uninvolved", false, false),
        ("coordinator", true, true),
        ("seip", false, true),
        ("admin", false, false),
        ("no role", false, false),
    ];
    for ((name, actor), (want, on_move, on_transfer)) in capacities().into_iter().zip(expected) {
        assert_eq!(name, want);
        assert_eq!(
            may_join_thread(&actor, &moving),
            on_move,
            "{name} on a move"
        );
        assert_eq!(
            may_join_thread(&actor, &transfer),
            on_transfer,
            "{name} on a transfer"
        );
    }
}
