//! End to end, in-process: the returning stage and the follow-up through the fake Discord.
//! The destination head ends a move early; the case stays open in `returning` (its thread
//! too) while the home school holds the reintegration meeting and writes the plan and both
//! schools change their registers; the coordinators' digest lists a step overdue; the case
//! then closes as terminated. One term on, the home school records the follow-up, and
//! `/stats` counts the move as one that lasted. Only the home head records a parent's
//! withdrawn consent, which starts the return too. Refusals are private and write nothing.

use crate::support;

use managed_moves::domain::{CaseState, Outcome};
use support::fake_discord::Opt;
use support::harness::guild::{BOARD, COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF};
use support::harness::{at_london, day, NewCase, TestBot};

/// A managed move made active on Tuesday 24 November 2026, ended early by the destination
/// head on Thursday 3 December: the case's reference.
async fn ended_early(bot: &TestBot) -> String {
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.make_active(&r, HOME_HEAD, DEST_HEAD).await;
    bot.set_clock(at_london(day(2026, 12, 3), 10, 0)).await;
    bot.as_(DEST_HEAD)
        .command(
            "move terminate",
            [
                Opt::string("case", &r),
                Opt::string("reason", "Persistent failure to meet the agreed targets"),
            ],
        )
        .await
        .assert_done("terminate");
    r
}

fn meeting(r: &str, on: &str) -> Vec<Opt> {
    vec![
        Opt::string("case", r),
        Opt::string("on", on),
        Opt::string("attendees", "parent,home-staff,destination-staff"),
        Opt::string("pupil", "whole"),
    ]
}

fn plan(r: &str) -> Vec<Opt> {
    vec![
        Opt::string("case", r),
        Opt::string("support", "Daily check-in with the learning mentor"),
        Opt::string("targets", "Attend every lesson; no removals"),
        Opt::string("contact", "Mr J. Shah, head of year 9"),
    ]
}

fn registered(r: &str, on: &str) -> Vec<Opt> {
    vec![
        Opt::string("case", r),
        Opt::string("on", on),
        Opt::string("la_notified", on),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_termination_goes_through_the_whole_returning_stage_before_the_case_closes() {
    let bot = TestBot::start().await;
    let r = ended_early(&bot).await;
    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Returning, "open, not closed");
    assert_eq!(case.outcome, None);
    // Each step is due Thursday 10 December (five school days on), and reminded by the
    // escalation rule once overdue.
    let pending: Vec<String> = bot
        .pending_reminders()
        .await
        .into_iter()
        .map(|(key, _)| key)
        .collect();
    for key in [
        "reintegration_meeting",
        "reintegration_plan",
        "return_registration_destination",
        "return_registration_home",
    ] {
        let key = format!("overdue_{key}");
        assert!(pending.contains(&key), "{key}: {pending:?}");
    }
    let card = bot
        .as_(HOME_HEAD)
        .command("case show", [Opt::string("case", &r)])
        .await;
    let text = card.text();
    assert!(text.contains("returning"), "{text}");
    assert!(
        text.contains("each step due by Thu 10 Dec 2026"),
        "the card gives the due day: {text}"
    );

    // Refusals: the destination cannot write the home school's plan, a meeting before the
    // return is refused, a coordinator records nothing for a school, the move is over.
    let before = bot.events(&r).await.len();
    bot.as_(DEST_HEAD)
        .command("return plan", plan(&r))
        .await
        .assert_refused("the destination writing the plan");
    let early = bot
        .as_(HOME_STAFF)
        .command("return meeting", meeting(&r, "2026-12-02"))
        .await;
    early.assert_refused("a meeting before the return");
    assert!(
        early.content.contains("follows the return"),
        "{}",
        early.content
    );
    bot.as_(COORDINATOR)
        .command("return registered", registered(&r, "2026-12-03"))
        .await
        .assert_refused("a coordinator for a school");
    bot.as_(DEST_STAFF)
        .command(
            "move checkin",
            [
                Opt::string("case", &r),
                Opt::string("on", "2026-12-03"),
                Opt::string("note", "Still here"),
            ],
        )
        .await
        .assert_refused("a check-in after the move ended");
    assert_eq!(bot.events(&r).await.len(), before, "refusals write nothing");

    // Three of the four steps; the home school's register is left until it is overdue.
    bot.as_(HOME_STAFF)
        .command("return meeting", meeting(&r, "2026-12-03"))
        .await
        .assert_done("reintegration meeting");
    bot.as_(HOME_HEAD)
        .command("return plan", plan(&r))
        .await
        .assert_done("reintegration plan");
    bot.as_(DEST_STAFF)
        .command("return registered", registered(&r, "2026-12-03"))
        .await
        .assert_done("the destination's register");
    assert_eq!(bot.case(&r).await.state, CaseState::Returning);

    // Due Thursday 10 December; Monday 14th, two school days on: the reminder went to the
    // thread, the digest lists it overdue. A new proposal (any command) wakes the
    // scheduler at the new time.
    bot.set_clock(at_london(day(2026, 12, 14), 9, 0)).await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(
        thread,
        "⚠️ overdue since Thu 10 Dec: Riverside Academy: stop code D",
    )
    .await;
    bot.settled().await;
    let digest = bot
        .wait_until("the digest lists the overdue step", || {
            bot.posts(BOARD).into_iter().find(|m| {
                m["embeds"][0]["description"].as_str().is_some_and(|d| {
                    d.contains("stop code D (`/return registered`) · overdue since")
                })
            })
        })
        .await;
    let lines = digest["embeds"][0]["description"].as_str().unwrap_or("");
    assert!(lines.contains(&r), "{lines}");

    bot.as_(HOME_STAFF)
        .command("return registered", registered(&r, "2026-12-07"))
        .await
        .assert_done("the home school's register");
    let case = bot.case(&r).await;
    assert_eq!(
        case.state,
        CaseState::Terminated,
        "closed once all are done"
    );
    assert_eq!(case.outcome, Some(Outcome::Returned));
    assert_eq!(
        case.closing_reason.as_ref().map(|t| t.as_str()),
        Some("Persistent failure to meet the agreed targets")
    );
    let names: Vec<&str> = bot
        .events(&r)
        .await
        .iter()
        .map(|e| e.event.kind.name())
        .collect();
    let tail = &names[names.len() - 6..];
    assert_eq!(
        tail,
        [
            "return_begun",
            "reintegration_meeting_held",
            "reintegration_plan_recorded",
            "registration_ended",
            "registration_ended",
            "terminated"
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follow_up_one_term_after_the_close_is_recorded_and_counted_in_stats() {
    let bot = TestBot::start().await;
    let r = ended_early(&bot).await;
    let follow_up = |on_roll: &str| {
        vec![
            Opt::string("case", &r),
            Opt::string("on_roll", on_roll),
            Opt::number("attendance", 93.5),
            Opt::integer("suspensions", 1),
        ]
    };
    bot.as_(HOME_HEAD)
        .command("case follow-up", follow_up("yes"))
        .await
        .assert_refused("a follow-up on an open case");
    for (who, path, options) in [
        (HOME_STAFF, "return meeting", meeting(&r, "2026-12-03")),
        (HOME_STAFF, "return plan", plan(&r)),
        (
            DEST_STAFF,
            "return registered",
            registered(&r, "2026-12-03"),
        ),
        (
            HOME_STAFF,
            "return registered",
            registered(&r, "2026-12-03"),
        ),
    ] {
        bot.as_(who).command(path, options).await.assert_done(path);
    }
    assert_eq!(bot.case(&r).await.state, CaseState::Terminated);

    // Closed Thursday 3 December; 60 school days on (past Christmas and February
    // half-term) is Friday 19 March 2027.
    bot.set_clock(at_london(day(2027, 3, 18), 10, 0)).await;
    let early = bot
        .as_(HOME_HEAD)
        .command("case follow-up", follow_up("yes"))
        .await;
    early.assert_refused("a follow-up before it is due");
    assert!(
        early.content.contains("due from Fri 19 Mar 2027"),
        "{}",
        early.content
    );
    // Straight on a day: the refusal woke nothing, so there is no tick to wait for.
    bot.clock().set(at_london(day(2027, 3, 19), 10, 0));
    bot.as_(DEST_HEAD)
        .command("case follow-up", follow_up("yes"))
        .await
        .assert_refused("the destination after a return");
    let before = bot.events(&r).await.len();
    bot.as_(HOME_STAFF)
        .command("case follow-up", follow_up("yes"))
        .await
        .assert_done("the follow-up");
    let events = bot.events(&r).await;
    assert_eq!(events.len(), before + 1, "audited: one event");
    assert_eq!(
        events.last().unwrap().event.kind.name(),
        "follow_up_recorded"
    );
    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Terminated, "still closed");
    assert!(case.follow_up.as_ref().is_some_and(|f| f.on_roll));
    bot.as_(HOME_HEAD)
        .command("case follow-up", follow_up("no"))
        .await
        .assert_refused("a second follow-up");

    let stats = bot.as_(COORDINATOR).command("stats figures", []).await;
    let text = stats.text();
    assert!(
        text.contains("Moves that lasted (on roll at the follow-up one term on): 1 of 1 (terminated 1 of 1); by school: Riverside"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_head_records_a_withdrawn_consent_and_the_pupil_starts_home() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.make_active(&r, HOME_HEAD, DEST_HEAD).await;
    let withdrawn = || {
        vec![
            Opt::string("case", &r),
            Opt::string("on", "2026-11-24"),
            Opt::string("reason", "The family want the pupil back (quokka-reason)"),
        ]
    };
    for who in [HOME_STAFF, DEST_HEAD, COORDINATOR] {
        bot.as_(who)
            .command("move consent-withdrawn", withdrawn())
            .await
            .assert_refused("a withdrawn consent recorded by someone but the home head");
    }
    assert_eq!(bot.case(&r).await.state, CaseState::Active);
    bot.as_(HOME_HEAD)
        .command("move consent-withdrawn", withdrawn())
        .await
        .assert_done("the withdrawn consent");
    assert_eq!(bot.case(&r).await.state, CaseState::Returning);
    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(thread, "the parent/carer withdrew consent")
        .await;
    bot.outbox_drained().await;
    // The reason is free text: on the card, never in a thread post's summary.
    let posts = bot.posts(thread);
    assert!(posts.iter().all(|m| !m["content"]
        .as_str()
        .unwrap_or("")
        .contains("quokka-reason")));
}
