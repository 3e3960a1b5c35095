//! The access walk (issue 7): every person in the partnership's server × cases they are and
//! are not involved in × every way in: case autocomplete, the decision buttons and their
//! reason forms, and every slash command that names a case. DOMAIN.md: "A head of school X
//! never sees a case that does not involve X", checked "on every action, on the server side,
//! never only by hiding a button". So a case someone may not see must look exactly like a
//! case that does not exist, whichever way they ask, and nothing about it may change.
//!
//! The rules are the three tables `SEES`, `BUTTONS` and `case_commands`; the walks only send
//! what the tables say and compare.

use crate::support;

use managed_moves::domain::CaseState;
use support::fake_discord::{FakeInteraction, Opt};
use support::harness::guild::{
    Person, ADMIN, COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF, NOBODY,
    OAKFIELD_HEAD, OTHER_HEAD, PEOPLE, SEIP_CHANNEL, SEIP_MEMBER, SEIP_ROLE,
};
use support::harness::user::{choice, Reply};
use support::harness::{propose_options, NewCase, TestBot};

/// Head of Oakfield who also sits on the SEIP panel: sees what either role sees, but may not
/// record the panel's decision on a case of their own school. Not in the fake's member
/// list: each interaction carries these roles.
const OAK_HEAD_ON_PANEL: Person = Person {
    id: 1_200_000_000_000_000_541,
    name: "oakfield-head+seip",
    roles: &[OAKFIELD_HEAD, SEIP_ROLE],
};

/// The cases of the walk, all made through Discord by `world()`, in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    /// A managed move Riverside → Hillcrest, proposed.
    Ab,
    /// A managed move Hillcrest → Oakfield, proposed.
    Cd,
    /// A managed transfer Oakfield → Riverside, accepted, waiting for the SEIP panel.
    Transfer,
    /// A managed transfer Hillcrest → Oakfield that the panel rejected: closed.
    Closed,
}
use Case::{Ab, Cd, Closed, Transfer};

const CASES: [Case; 4] = [Ab, Cd, Transfer, Closed];

/// A reference no case has: what a hidden case must look like.
const MISSING: &str = "MM-2026-0999";

/// Who may see which case. DOMAIN.md: heads and staff see the cases of their school,
/// coordinators every case, SEIP members managed transfers; admins and people with no
/// partnership role see none.
const SEES: [(Person, &[Case]); 10] = [
    (HOME_HEAD, &[Ab, Transfer]),
    (HOME_STAFF, &[Ab, Transfer]),
    (DEST_HEAD, &[Ab, Cd, Closed]),
    (DEST_STAFF, &[Ab, Cd, Closed]),
    (OTHER_HEAD, &[Cd, Transfer, Closed]),
    (COORDINATOR, &[Ab, Cd, Transfer, Closed]),
    (SEIP_MEMBER, &[Transfer, Closed]),
    (OAK_HEAD_ON_PANEL, &[Cd, Transfer, Closed]),
    (ADMIN, &[]),
    (NOBODY, &[]),
];

fn sees(who: Person, case: Case) -> bool {
    SEES.iter()
        .any(|(p, cases)| *p == who && cases.contains(&case))
}

/// What clicking a decision button gets (and, for Decline…/Reject…, sending its reason form
/// anyway, as a crafted interaction could).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Gets {
    /// Allowed: Accept/Approve act; Decline…/Reject… open the reason form.
    Works,
    /// Refused for the person's role, with this phrase; no form opens.
    Role(&'static str),
    /// Right role, wrong moment: refused with this phrase, before any form opens (nobody
    /// types a reason for nothing), and sending the form anyway is refused too.
    Now(&'static str),
    /// Exactly what the same person is told about a case that does not exist.
    Hidden,
}
use Gets::{Hidden, Now, Role, Works};

const VERBS: [&str; 4] = ["accept", "decline", "approve", "reject"];
const DEST: &str = "destination school's head";
const PANEL: &str = "SEIP panel members";
/// A closed case is read-only.
const SHUT: &str = "read-only";
const ACCEPTED: &str = "already accepted";
/// Only a managed transfer goes to the panel.
const A_MOVE: &str = "Only a managed transfer";
/// A panel member who heads a school on the case leaves the decision to another.
const OWN: &str = "another panel member";
/// Sees the case, decides nothing on it.
const ONLOOKER: [Gets; 4] = [Role(DEST), Role(DEST), Role(PANEL), Role(PANEL)];
const HIDDEN: [Gets; 4] = [Hidden; 4];

/// Every person × case, and what each of [accept, decline, approve, reject] gets.
#[rustfmt::skip]
const BUTTONS: [(Person, Case, [Gets; 4]); 40] = [
    (HOME_HEAD, Ab, ONLOOKER),
    (HOME_STAFF, Ab, ONLOOKER),
    (DEST_HEAD, Ab, [Works, Works, Role(PANEL), Role(PANEL)]),
    (DEST_STAFF, Ab, ONLOOKER),
    (OTHER_HEAD, Ab, HIDDEN),
    (COORDINATOR, Ab, ONLOOKER),
    (SEIP_MEMBER, Ab, HIDDEN),
    (OAK_HEAD_ON_PANEL, Ab, HIDDEN),
    (ADMIN, Ab, HIDDEN),
    (NOBODY, Ab, HIDDEN),
    (HOME_HEAD, Cd, HIDDEN),
    (HOME_STAFF, Cd, HIDDEN),
    (DEST_HEAD, Cd, ONLOOKER),
    (DEST_STAFF, Cd, ONLOOKER),
    (OTHER_HEAD, Cd, [Works, Works, Role(PANEL), Role(PANEL)]),
    (COORDINATOR, Cd, ONLOOKER),
    (SEIP_MEMBER, Cd, HIDDEN),
    (OAK_HEAD_ON_PANEL, Cd, [Works, Works, Now(A_MOVE), Now(A_MOVE)]),
    (ADMIN, Cd, HIDDEN),
    (NOBODY, Cd, HIDDEN),
    (HOME_HEAD, Transfer, [Now(ACCEPTED), Works, Role(PANEL), Role(PANEL)]),
    (HOME_STAFF, Transfer, ONLOOKER),
    (DEST_HEAD, Transfer, HIDDEN),
    (DEST_STAFF, Transfer, HIDDEN),
    (OTHER_HEAD, Transfer, ONLOOKER),
    (COORDINATOR, Transfer, ONLOOKER),
    (SEIP_MEMBER, Transfer, [Role(DEST), Role(DEST), Works, Works]),
    (OAK_HEAD_ON_PANEL, Transfer, [Role(DEST), Role(DEST), Now(OWN), Now(OWN)]),
    (ADMIN, Transfer, HIDDEN),
    (NOBODY, Transfer, HIDDEN),
    (HOME_HEAD, Closed, HIDDEN),
    (HOME_STAFF, Closed, HIDDEN),
    (DEST_HEAD, Closed, ONLOOKER),
    (DEST_STAFF, Closed, ONLOOKER),
    (OTHER_HEAD, Closed, [Now(SHUT), Now(SHUT), Role(PANEL), Role(PANEL)]),
    (COORDINATOR, Closed, ONLOOKER),
    (SEIP_MEMBER, Closed, [Role(DEST), Role(DEST), Now(SHUT), Now(SHUT)]),
    (OAK_HEAD_ON_PANEL, Closed, [Now(SHUT); 4]),
    (ADMIN, Closed, HIDDEN),
    (NOBODY, Closed, HIDDEN),
];

/// The allowed decisions actually taken, in this order, once every refusal has been checked
/// (each changes its case, so they come last). The rest of `Works` stay untaken so the cases
/// keep their state for the walk; the panel's Reject… form is taken in `world()`.
const TAKEN: [(Person, Case, &str); 6] = [
    (DEST_HEAD, Ab, "accept"),
    (OAK_HEAD_ON_PANEL, Cd, "accept"),
    (OTHER_HEAD, Cd, "decline"),
    (SEIP_MEMBER, Transfer, "approve"),
    (HOME_HEAD, Transfer, "decline"),
    (DEST_HEAD, Ab, "decline"),
];

/// How a slash command that names a case is reached.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Reach {
    /// Shows the case to those who may see it.
    Read,
    /// Changes the case: walked only for people who may not see it.
    Write,
    /// The whole record: coordinators only (DOMAIN.md, README, `/document export`), for
    /// any case. Everyone else is told so whether or not the case exists.
    Export,
}

/// Every slash command with a `case` option, with valid values for its other options.
#[rustfmt::skip]
fn case_commands() -> Vec<(&'static str, Reach, Vec<Opt>)> {
    use Reach::{Export, Read, Write};
    let s = Opt::string;
    let reason = || s("reason", "Walk reason");
    let on = || s("on", "2026-11-24");
    let later = || s("on", "2027-01-12");
    let review = || choice("review", 0);
    vec![
        ("case show", Read, vec![]),
        ("case history", Read, vec![]),
        ("checklist show", Read, vec![]),
        ("dates show", Read, vec![]),
        ("document agreement", Read, vec![]),
        ("document review", Read, vec![review()]),
        ("document export", Export, vec![]),
        ("proposal accept", Write, vec![]),
        ("proposal decline", Write, vec![reason()]),
        ("proposal withdraw", Write, vec![reason()]),
        ("meeting schedule", Write, vec![s("at", "2026-12-01 10:30")]),
        ("consent parent", Write, vec![s("witnessed_by", "Ms A"), on(), Opt::boolean("freely_given", true)]),
        ("consent pupil", Write, vec![on()]),
        ("consent ehcp", Write, vec![on()]),
        ("consent virtual-school", Write, vec![on(), s("contact", "VS")]),
        ("agreement record", Write, vec![s("start", "2026-12-01"), Opt::integer("weeks", 6),
            s("targets", "Attend"), s("champion", "Mr D"), s("if_fails", "Returns home")]),
        ("agreement sign", Write, vec![]),
        ("consent copy-given", Write, vec![on(), s("how", "Posted")]),
        ("consent notice-given", Write, vec![on(), s("how", "By hand")]),
        ("document parent-copy", Read, vec![]),
        ("document notice", Read, vec![]),
        ("move start", Write, vec![]),
        ("move checkin", Write, vec![on(), s("note", "Fine")]),
        ("move outcome", Write, vec![choice("outcome", 0), s("note", "Done")]),
        ("move terminate", Write, vec![reason()]),
        ("review record", Write, vec![review(), on(), s("notes", "Notes")]),
        ("review reschedule", Write, vec![review(), later(), reason()]),
        ("checklist rate", Write, vec![s("item", "staff.senco"), choice("rating", 2)]),
        ("dates snooze", Write, vec![s("reminder", "proposal-nudge"), s("until", "2027-01-12"), reason()]),
        ("dates reschedule", Write, vec![review(), later(), reason()]),
        ("panel approve", Write, vec![reason()]),
        ("panel reject", Write, vec![reason()]),
        ("approval decide", Write, vec![choice("decision", 0)]),
        ("approval exam-courses", Write, vec![choice("continues", 0)]),
        ("safeguarding shared", Write, vec![s("dsl", "Mrs R"), on()]),
        ("safeguarding confirm", Write, vec![]),
        ("consent local-authority", Write, vec![s("social_worker", "SW"), on(), Opt::boolean("parents_share", true)]),
        ("case lead", Write, vec![]),
        ("case reopen", Write, vec![reason()]),
        ("case reopen-confirm", Write, vec![]),
    ]
}

/// May `who` get an answer about `case` from a command reached this way?
fn reaches(reach: Reach, who: Person, case: Case) -> bool {
    match reach {
        Reach::Read | Reach::Write => sees(who, case),
        Reach::Export => who == COORDINATOR,
    }
}

fn everyone() -> Vec<Person> {
    let mut all = PEOPLE.to_vec();
    all.push(OAK_HEAD_ON_PANEL);
    all
}

/// The bot with the four cases, and their references in `CASES` order.
async fn world() -> (TestBot, Vec<String>) {
    let bot = TestBot::start().await;
    let mut refs = Vec::new();
    for (head, to, initials, return_possible) in [
        (HOME_HEAD, "hillcrest", "A.B.", true),
        (DEST_HEAD, "oakfield", "C.D.", true),
        (OTHER_HEAD, "riverside", "T.F.", false),
        (DEST_HEAD, "oakfield", "X.Y.", false),
    ] {
        let case = NewCase {
            to,
            initials,
            return_possible,
            ..NewCase::default()
        };
        refs.push(bot.propose(head, &case).await);
    }
    // Both transfers accepted; the panel rejects the second with its reason form.
    for (head, case) in [(HOME_HEAD, Transfer), (OTHER_HEAD, Closed)] {
        let r = reference(&refs, case);
        let accept = bot.as_(head).click(&format!("mm:accept:{r}")).await;
        accept.assert_done("accepting a transfer");
        bot.wait_for_post(SEIP_CHANNEL, r).await;
    }
    let reject = format!("mm:reject:{}", reference(&refs, Closed));
    let form = bot.as_(SEIP_MEMBER).click(&reject).await;
    assert_eq!(form.modal.as_deref(), Some(reject.as_str()), "{form:#?}");
    bot.as_(SEIP_MEMBER)
        .submit_modal(&reject, &[("reason", "Not in the pupil's interest")])
        .await
        .assert_done("the panel's rejection");
    let closed = bot.case(reference(&refs, Closed)).await;
    assert_eq!(closed.state, CaseState::Rejected);
    bot.outbox_drained().await;
    // The walk comes after the double-click window: clicking Accept again on an accepted
    // case is then a new click, refused, not a repeat of the acceptance above.
    let window = managed_moves::service::DOUBLE_CLICK_WINDOW;
    bot.clock().advance(window + chrono::TimeDelta::seconds(1));
    (bot, refs)
}

fn reference(refs: &[String], case: Case) -> &str {
    &refs[case as usize]
}

/// Versions and event counts of every case, the cases and outbox rows there are: a refusal
/// must leave all of it as it was.
async fn snapshot(bot: &TestBot, refs: &[String]) -> Vec<String> {
    let mut out = vec![format!(
        "{} cases, {} outbox rows",
        bot.case_count().await,
        bot.outbox().await.0
    )];
    for r in refs {
        let (case, events) = (bot.case(r).await, bot.events(r).await.len());
        out.push(format!(
            "{r} v{} {} events {}",
            case.version, case.state, events
        ));
    }
    out
}

/// Sends every interaction first and then collects the answers, so a walk of hundreds of
/// interactions takes about as long as the slowest few.
async fn answers(bot: &TestBot, interactions: Vec<FakeInteraction>) -> Vec<Reply> {
    let mut replies = Vec::with_capacity(interactions.len());
    for chunk in interactions.chunks(48) {
        let mut sent = Vec::with_capacity(chunk.len());
        for ix in chunk {
            sent.push(bot.send(ix.clone()).await);
        }
        for s in &sent {
            replies.push(bot.reply_to(s).await);
        }
    }
    replies
}

/// What the person was shown, with the case reference blanked: two answers with the same
/// shape tell nothing apart.
fn shape(reply: &Reply, reference: &str) -> String {
    format!(
        "callback {} private {} {:?} embeds {} components {}",
        reply.callback,
        reply.ephemeral,
        reply.content.replace(reference, "{case}"),
        reply.embeds.len(),
        reply.components.len()
    )
}

fn autocomplete(who: Person, path: &str, options: Vec<Opt>) -> FakeInteraction {
    let words: Vec<&str> = path.split_whitespace().collect();
    let ix = match words.as_slice() {
        [name] => FakeInteraction::autocomplete(name, options),
        [name, sub] => FakeInteraction::autocomplete(name, [Opt::sub(sub, options)]),
        _ => panic!("not a command: {path:?}"),
    };
    ix.by(who.id).with_roles(who.roles.iter().copied())
}

/// The values an autocomplete answer offers, in order.
fn offered(reply: &Reply) -> Vec<String> {
    assert_eq!(reply.callback, 8, "an autocomplete answer: {reply:#?}");
    let choices = reply.responses[0].body["data"]["choices"].as_array();
    choices
        .into_iter()
        .flatten()
        .map(|c| c["value"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_autocomplete_offers_exactly_the_cases_each_person_may_see() {
    let (bot, refs) = world().await;
    let all = everyone();
    let paths: Vec<&str> = case_commands().iter().map(|c| c.0).collect();
    // What is typed, and which cases it matches (before asking who may see them).
    let mut typed: Vec<(String, Vec<Case>)> = vec![
        (String::new(), CASES.to_vec()),
        ("mm-2026".into(), CASES.to_vec()),
        (MISSING.into(), vec![]),
        ("0' OR '1'='1".into(), vec![]),
    ];
    for c in CASES {
        let r = reference(&refs, c);
        typed.push((r.to_owned(), vec![c]));
        typed.push((r[8..].to_owned(), vec![c]));
    }
    let asked: Vec<_> = all
        .iter()
        .flat_map(|who| typed.iter().map(move |t| (*who, t)))
        .enumerate()
        // Every command with a case option in turn: they share one autocomplete.
        .map(|(i, (who, (text, matching)))| (who, paths[i % paths.len()], text, matching))
        .collect();
    let sent = asked
        .iter()
        .map(|(who, path, text, _)| autocomplete(*who, path, vec![Opt::focused("case", 3, text)]))
        .collect();
    for ((who, path, text, matching), reply) in asked.iter().zip(answers(&bot, sent).await) {
        let got = offered(&reply);
        let what = format!("{} typing {text:?} in /{path}: offered {got:?}", who.name);
        let want: Vec<&str> = CASES
            .into_iter()
            .filter(|c| sees(*who, *c) && matching.contains(c))
            .map(|c| reference(&refs, c))
            .collect();
        let mut sorted = got.clone();
        sorted.sort();
        assert_eq!(sorted, want, "{what}");
        let closed_at = got.iter().position(|r| r == reference(&refs, Closed));
        assert!(
            closed_at.is_none_or(|i| i + 1 == got.len()),
            "{what}: open first"
        );
    }

    // `/case list` shows the same cases.
    for who in &all {
        let all_cases = [Opt::boolean("all", true)];
        let list = bot.as_(*who).command("case list", all_cases).await;
        for case in CASES {
            let listed = list.content.contains(reference(&refs, case));
            assert_eq!(listed, sees(*who, case), "{} lists {case:?}", who.name);
        }
    }

    // A reminder to snooze is offered only on a case the person may see, and then the
    // same ones a coordinator is offered.
    let sent = CASES
        .iter()
        .flat_map(|c| all.iter().map(move |who| (*who, *c)))
        .map(|(who, c)| {
            let case = Opt::string("case", reference(&refs, c));
            autocomplete(
                who,
                "dates snooze",
                vec![case, Opt::focused("reminder", 3, "")],
            )
        })
        .collect();
    let replies = answers(&bot, sent).await;
    let coordinator = all.iter().position(|p| *p == COORDINATOR).unwrap_or(0);
    for (case, replies) in CASES.into_iter().zip(replies.chunks(all.len())) {
        let reminders = offered(&replies[coordinator]);
        assert_eq!(
            reminders.is_empty(),
            case == Closed,
            "{case:?}: {reminders:?}"
        );
        for (who, reply) in all.iter().zip(replies) {
            let want = if sees(*who, case) {
                &reminders[..]
            } else {
                &[]
            };
            assert_eq!(offered(reply), want, "{} on {case:?}'s reminders", who.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_autocomplete_stops_at_25_open_first_counting_only_visible_cases() {
    let (bot, refs) = world().await;
    // 23 more moves from Riverside: 27 cases, 25 of them the home head's.
    let more = (0..23)
        .map(|_| {
            bot.as_(HOME_HEAD)
                .slash("propose", propose_options(&NewCase::default()))
        })
        .collect();
    for reply in answers(&bot, more).await {
        reply.assert_done("one more proposal");
    }
    // (who, how many offered): the limit applies after the filter, and to open cases first.
    let counts = [
        (HOME_HEAD, 25),
        (DEST_HEAD, 25),
        (COORDINATOR, 25),
        (OTHER_HEAD, 3),
        (SEIP_MEMBER, 2),
        (ADMIN, 0),
        (NOBODY, 0),
    ];
    let sent = counts
        .iter()
        .map(|(who, _)| autocomplete(*who, "case show", vec![Opt::focused("case", 3, "")]))
        .collect();
    for ((who, n), reply) in counts.iter().zip(answers(&bot, sent).await) {
        let got = offered(&reply);
        assert_eq!(got.len(), *n, "{}: {got:?}", who.name);
        for case in CASES {
            let r = reference(&refs, case).to_owned();
            let offered = got.contains(&r);
            assert!(
                sees(*who, case) || !offered,
                "{} offered {case:?}",
                who.name
            );
            let crowded_out = *n == 25 && case == Closed;
            assert!(
                !(crowded_out && offered),
                "{}: open first: {got:?}",
                who.name
            );
        }
    }
}

/// The verbs of every `mm:` button and form the bot has sent so far, sorted.
fn verbs_sent(bot: &TestBot) -> Vec<String> {
    let bodies: String = bot
        .fake
        .recorder()
        .requests()
        .iter()
        .map(|q| q.body.to_string())
        .collect();
    let mut verbs: Vec<String> = bodies
        .split("\"custom_id\":\"mm:")
        .skip(1)
        .filter_map(|rest| Some(rest.split(':').next()?.to_owned()))
        .collect();
    verbs.sort();
    verbs.dedup();
    verbs
}

fn opens_a_form(verb: &str) -> bool {
    matches!(verb, "decline" | "reject" | "approve")
}

/// What each person is told about a case that does not exist, in `everyone()` order: by
/// `/case show`, and the same by every button and every form, whichever way they ask.
async fn told_about_a_missing_case(bot: &TestBot) -> Vec<(Person, String)> {
    let mut sent = Vec::new();
    for who in everyone() {
        let me = bot.as_(who);
        sent.push(me.slash("case show", [Opt::string("case", MISSING)]));
        for verb in VERBS {
            let id = format!("mm:{verb}:{MISSING}");
            sent.push(me.button(&id));
            if opens_a_form(verb) {
                sent.push(me.modal(&id, &[("reason", "Walk reason")]));
            }
        }
    }
    let replies = answers(bot, sent).await;
    let mut told = Vec::new();
    for (who, said) in everyone()
        .into_iter()
        .zip(replies.chunks(replies.len() / everyone().len()))
    {
        let slash = shape(&said[0], MISSING);
        for (n, reply) in said.iter().enumerate() {
            reply.assert_refused(&format!("{} on a missing case ({n})", who.name));
            assert_eq!(shape(reply, MISSING), slash, "{} ({n})", who.name);
        }
        let why = if who == NOBODY {
            "partnership role"
        } else {
            "There is no case"
        };
        assert!(said[0].content.contains(why), "{}", said[0].content);
        told.push((who, slash));
    }
    told
}

/// Takes the decisions in `TAKEN`, each by its button or form, and checks each acts.
async fn take_the_allowed_decisions(bot: &TestBot, refs: &[String]) {
    for (who, case, verb) in TAKEN {
        let row = BUTTONS.iter().find(|(p, c, _)| *p == who && *c == case);
        let column = VERBS.iter().position(|v| *v == verb).unwrap_or(0);
        assert_eq!(row.map(|(_, _, g)| g[column]), Some(Works), "{verb} taken");
        let r = reference(refs, case);
        let version = bot.case(r).await.version;
        let id = format!("mm:{verb}:{r}");
        let reply = if opens_a_form(verb) {
            bot.as_(who)
                .submit_modal(&id, &[("reason", "Walk reason")])
                .await
        } else {
            bot.as_(who).click(&id).await
        };
        reply.assert_done(&format!("{} {verb} on {case:?}", who.name));
        assert!(bot.case(r).await.version > version, "{verb} on {case:?}");
    }
    for case in [Ab, Cd, Transfer] {
        let state = bot.case(reference(refs, case)).await.state;
        assert_eq!(state, CaseState::Declined, "{case:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buttons_and_reason_forms_refuse_or_hide_and_change_nothing() {
    let (bot, refs) = world().await;
    // The tables agree, and cover every button the bot sends.
    for (who, case, gets) in BUTTONS {
        for g in gets {
            assert_eq!(g == Hidden, !sees(who, case), "{} on {case:?}", who.name);
        }
    }
    assert_eq!(verbs_sent(&bot), ["accept", "approve", "decline", "reject"]);
    let before = snapshot(&bot, &refs).await;
    let missing = told_about_a_missing_case(&bot).await;
    let missing_for = |who: Person| {
        let found = missing.iter().find(|(p, _)| *p == who);
        found.map(|(_, s)| s.clone()).unwrap_or_default()
    };

    // Every person × case × button, and the form sent anyway by anyone refused it.
    let mut sent = Vec::new();
    let mut asked = Vec::new();
    for (who, case, gets) in BUTTONS {
        let r = reference(&refs, case);
        for (verb, g) in VERBS.into_iter().zip(gets) {
            let id = format!("mm:{verb}:{r}");
            if g != Works || opens_a_form(verb) {
                sent.push(bot.as_(who).button(&id));
                asked.push((who, case, verb, g, "clicking"));
            }
            if g != Works && opens_a_form(verb) {
                sent.push(bot.as_(who).modal(&id, &[("reason", "Walk reason")]));
                asked.push((who, case, verb, g, "sending the form of"));
            }
        }
    }
    let walked = asked.len();
    for ((who, case, verb, g, how), reply) in asked.into_iter().zip(answers(&bot, sent).await) {
        let r = reference(&refs, case);
        let what = format!("{} {how} {verb} on {case:?}", who.name);
        let form = reply.callback == 9 && reply.modal == Some(format!("mm:{verb}:{r}"));
        match g {
            Works => assert!(form, "{what}: the reason form opens: {reply:#?}"),
            Role(why) | Now(why) => {
                reply.assert_refused(&what);
                assert!(reply.content.contains(why), "{what}: {}", reply.content);
                assert_ne!(shape(&reply, r), missing_for(who), "{what}: not 'no case'");
            }
            Hidden => {
                reply.assert_refused(&what);
                assert_eq!(shape(&reply, r), missing_for(who), "{what}: like no case");
            }
        }
    }
    // A button from an older version, whose verb this one does not know: a private answer.
    let stale = bot
        .as_(DEST_HEAD)
        .click(&format!("mm:frobnicate:{}", reference(&refs, Ab)))
        .await;
    stale.assert_refused("an unknown button");
    assert!(
        stale.content.contains("no longer in use"),
        "{}",
        stale.content
    );
    assert_eq!(
        snapshot(&bot, &refs).await,
        before,
        "refusals changed nothing"
    );
    take_the_allowed_decisions(&bot, &refs).await;
    eprintln!("button walk: 10 people × 4 cases × 4 buttons, {walked} clicks and forms checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_command_answers_about_a_hidden_case_as_about_no_case() {
    let (bot, refs) = world().await;
    let before = snapshot(&bot, &refs).await;
    let all = everyone();
    let commands = case_commands();
    let with_case = |r: &str, options: &[Opt]| {
        let mut o = vec![Opt::string("case", r)];
        o.extend(options.iter().cloned());
        o
    };

    // Each person's answer from each command about a case that does not exist.
    let mut sent = Vec::new();
    for who in &all {
        for (path, _, options) in &commands {
            sent.push(bot.as_(*who).slash(path, with_case(MISSING, options)));
        }
    }
    let missing: Vec<String> = answers(&bot, sent)
        .await
        .iter()
        .map(|r| {
            r.assert_refused("a command about a missing case");
            shape(r, MISSING)
        })
        .collect();
    // Whatever the command, the same answer (only export first asks for the role).
    for (who, row) in all.iter().zip(missing.chunks(commands.len())) {
        for ((path, reach, _), answer) in commands.iter().zip(row) {
            let same = *reach == Reach::Export || *answer == row[0];
            assert!(
                same,
                "{} /{path} about no case: {answer} vs {}",
                who.name, row[0]
            );
        }
    }

    // Every person × case × command, except changes to cases the person may see (the
    // permission matrix in src/domain/tests covers those without changing the case).
    let mut sent = Vec::new();
    let mut asked = Vec::new();
    for (p, who) in all.iter().enumerate() {
        for case in CASES {
            let r = reference(&refs, case);
            for (c, (path, reach, options)) in commands.iter().enumerate() {
                let shown = reaches(*reach, *who, case);
                if shown && *reach == Reach::Write {
                    continue;
                }
                sent.push(bot.as_(*who).slash(path, with_case(r, options)));
                asked.push((*who, case, *path, shown, &missing[p * commands.len() + c]));
            }
        }
    }
    let walked = asked.len();
    for ((who, case, path, shown, missing), reply) in
        asked.into_iter().zip(answers(&bot, sent).await)
    {
        let what = format!("{} running /{path} on {case:?}", who.name);
        let got = shape(&reply, reference(&refs, case));
        if shown {
            assert_ne!(&got, missing, "{what}: may see it, so not 'no case'");
        } else {
            reply.assert_refused(&what);
            assert_eq!(
                &got, missing,
                "{what}: answered like a case that does not exist"
            );
        }
    }
    assert_eq!(
        snapshot(&bot, &refs).await,
        before,
        "refusals changed nothing"
    );
    eprintln!(
        "command walk: {} people × {} cases × {} commands, {walked} answers checked",
        all.len(),
        CASES.len(),
        commands.len()
    );
}
