//! The stage matrix: which kinds of action each state of a case allows, written out by
//! hand (DOMAIN.md, the lifecycle), against `may`. The permission matrix says who; this
//! says when. Each cell asks `may` as someone the permission matrix lets take the action
//! (the destination head, else the home head, else a SEIP member, else a coordinator).

use crate::domain::permissions::authorize;
use crate::domain::testkit::*;
use crate::domain::{may, ActionKind, Actor, RefusalKind, ReviewKind};

// Columns, in `ActionKind::ALL` order (as in the permission matrix):
//   Vw Ac Dc Wd Pn Mt Pc Uc Eh Vs Ag Sg Rr St Ck Ci Rv Oc Tm Sz Nd Ex Rq Rg At Mh Ma Dt Ra Bf Na Vt Mr Rm Cp Cr Tr Xa Xc Sh Sc La Cw Ri Rp Re Fu Cg Nt Ld Ro Rc Pg
// Cells: Y allowed, s not in this state (for a reopen: never closed, not asked, past the
//        window or after a roll change), b blocked until something is recorded,
//        - nobody the permission matrix allows could try.
#[rustfmt::skip]
const STAGES: [(&str, &str); 26] = [
    //                          Vw Ac Dc Wd Pn Mt Pc Uc Eh Vs Ag Sg Rr St Ck Ci Rv Oc Tm Sz Nd Ex Rq Rg At Mh Ma Dt Ra Bf Na Vt Mr Rm Cp Cr Tr Xa Xc Sh Sc La Cw Ri Rp Re Fu Cg Nt Ld Ro Rc Pg
    ("proposed",               "Y  Y  Y  Y  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("accepted",               "Y  s  Y  Y  -  Y  Y  Y  s  s  Y  s  s  b  Y  s  s  s  s  Y  Y  s  s  Y  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  b  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("agreed",                 "Y  s  Y  Y  -  Y  Y  Y  s  s  Y  s  Y  Y  Y  s  s  s  s  Y  Y  s  s  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  s  Y  s  Y  s  s  Y"),
    ("agreed, ehcp",           "Y  s  Y  Y  -  Y  Y  Y  Y  s  Y  s  Y  Y  Y  s  s  s  s  Y  Y  s  s  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  s  Y  s  Y  s  s  Y"),
    ("agreed, looked after",   "Y  s  Y  Y  -  Y  Y  Y  s  Y  Y  s  Y  Y  Y  s  s  s  s  Y  Y  s  s  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  Y  s  s  s  s  s  Y  s  Y  s  s  Y"),
    ("active",                 "Y  s  s  s  -  s  s  s  s  s  s  s  Y  s  Y  Y  Y  b  Y  Y  s  Y  Y  Y  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  Y  s  s  Y"),
    ("final held",             "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  Y  Y  s  Y  Y  Y  s  s  Y  Y  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  Y  s  s  Y"),
    ("declined",               "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s"),
    ("declined, reopen asked", "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s"),
    ("returned",               "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s"),
    ("transfer proposed",      "Y  Y  Y  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transfer accepted",      "Y  s  Y  Y  Y  Y  Y  Y  s  s  Y  s  s  b  Y  s  s  s  s  Y  Y  s  s  Y  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  b  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transfer approved",      "Y  s  Y  Y  s  Y  Y  Y  s  s  Y  s  s  b  Y  s  s  s  s  Y  Y  s  s  Y  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  b  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transfer rejected",      "Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s"),
    ("transfer final held",    "Y  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  Y  s  Y  Y  Y  s  s  Y  Y  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  Y  s  s  Y"),
    ("transferring",           "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  Y  s  s  s  s  s  s  s  s  Y  b  b  b  b  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transferring, ehcp",     "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  Y  s  s  s  s  s  s  Y  s  b  b  b  b  b  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transferring, looked after", "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  Y  s  s  s  s  s  s  s  Y  Y  b  b  b  b  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("removed from roll",      "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  Y  s  s  s  s  s  s  s  s  s  s  Y  b  Y  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("cp file sent",           "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  Y  s  s  s  s  s  s  s  s  s  s  Y  Y  Y  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("transferred",            "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s"),
    ("y10 accepted",           "Y  s  Y  Y  -  Y  Y  Y  s  s  Y  s  s  b  Y  s  s  s  s  Y  Y  s  s  Y  s  Y  s  s  s  s  s  s  s  s  s  s  s  Y  Y  Y  b  s  s  s  s  s  s  s  s  Y  s  s  Y"),
    ("y10 agreed",             "Y  s  Y  Y  -  Y  Y  Y  s  s  Y  s  Y  Y  Y  s  s  s  s  Y  Y  s  s  Y  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  Y  Y  s  s  s  s  s  s  s  Y  s  Y  s  s  Y"),
    ("returning",              "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  Y  Y  s  s  s  Y  s  s  Y"),
    ("returning, steps done",  "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  Y  Y  s  s  s  Y  s  s  Y"),
    ("returned, follow-up due", "Y  s  s  s  -  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  s  Y  s  s  s  s  s  s"),
];

fn case(label: &str) -> CaseBuilder {
    let moved = CaseBuilder::proposed;
    let transfer = || CaseBuilder::new().transfer().propose();
    match label {
        "proposed" => moved(),
        "accepted" => moved().accepted(),
        "agreed" => moved().accepted().agreed(),
        "agreed, ehcp" => CaseBuilder::new().ehcp().propose().accepted().agreed(),
        "agreed, looked after" => CaseBuilder::new()
            .looked_after()
            .propose()
            .accepted()
            .agreed(),
        "active" => moved().accepted().agreed().active(),
        "final held" => moved()
            .accepted()
            .agreed()
            .active()
            .reviewed(ReviewKind::Final),
        "declined" => moved().declined(),
        "declined, reopen asked" => {
            let b = moved().declined();
            let ask = sample_action(ActionKind::AskReopen, b.today());
            b.act(&coordinator(), ask.unwrap())
        }
        "returned" => moved().accepted().agreed().active().returned(),
        "returning" => moved().accepted().agreed().active().terminating(),
        // The meeting and plan recorded: the registers are still to change.
        "returning, steps done" => {
            let b = moved().accepted().agreed().active().returning();
            let home = head_of(HOME);
            let meeting = sample_action(ActionKind::RecordReintegrationMeeting, b.today());
            let plan = sample_action(ActionKind::RecordReintegrationPlan, b.today());
            b.act(&home, meeting.unwrap()).act(&home, plan.unwrap())
        }
        "returned, follow-up due" => {
            let b = moved().accepted().agreed().active().returned();
            let later = b.now() + chrono::Duration::days(120);
            b.at(later)
        }
        "transfer proposed" => transfer(),
        "transfer accepted" => transfer().accepted(),
        "transfer approved" => transfer().accepted().approved(),
        "transfer rejected" => transfer().accepted().rejected(),
        "transfer final held" => transfer()
            .accepted()
            .approved()
            .agreed()
            .active()
            .reviewed(ReviewKind::Final),
        "transferring" => moved().accepted().agreed().active().permanent(),
        "transferring, ehcp" => CaseBuilder::new()
            .ehcp()
            .propose()
            .accepted()
            .agreed()
            .active()
            .permanent(),
        "transferring, looked after" => CaseBuilder::new()
            .looked_after()
            .propose()
            .accepted()
            .agreed()
            .active()
            .permanent(),
        "removed from roll" => moved()
            .accepted()
            .agreed()
            .active()
            .permanent()
            .removed_from_roll(),
        "cp file sent" => moved()
            .accepted()
            .agreed()
            .active()
            .permanent()
            .removed_from_roll()
            .step_as_home_staff(ActionKind::RecordChildProtectionFile),
        "transferred" => moved().accepted().agreed().active().transferred(),
        "y10 accepted" => CaseBuilder::new().year(10).propose().accepted(),
        "y10 agreed" => CaseBuilder::new().year(10).propose().accepted().agreed(),
        other => panic!("no case called {other}"),
    }
}

#[test]
fn each_state_allows_exactly_the_kinds_of_action_its_stage_allows() {
    let mut mismatches = Vec::new();
    for (label, row) in STAGES {
        let b = case(label);
        let (case, ctx) = (b.case(), b.context());
        let cells: Vec<char> = row
            .split_whitespace()
            .map(|c| c.chars().next().unwrap())
            .collect();
        assert_eq!(cells.len(), ActionKind::ALL.len(), "row {label}");
        for (kind, want) in ActionKind::ALL.into_iter().zip(cells) {
            let permitted: Option<Actor> =
                [head_of(DESTINATION), head_of(HOME), seip(), coordinator()]
                    .into_iter()
                    .find(|a| authorize(a, case, kind).is_ok());
            let got = match permitted.map(|actor| may(&actor, case, kind, &ctx)) {
                None => '-',
                Some(Ok(())) => 'Y',
                Some(Err(r)) if r.kind == RefusalKind::WrongState => 's',
                Some(Err(r)) if r.kind == RefusalKind::Blocked => 'b',
                Some(Err(r)) => panic!("{label} / {kind:?}: unexpected refusal {r:?}"),
            };
            if got != want {
                mismatches.push(format!(
                    "{label} ({}) / {kind:?}: want {want}, got {got}",
                    case.state
                ));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
