//! End to end, in-process: decisions by button and modal, a termination, a managed transfer
//! through the SEIP panel, refusals for every role, a button clicked by the wrong person,
//! two accepts at once, Discord failing posts, and another server's interactions.

use crate::support;

use managed_moves::domain::{CaseState, EventKind};
use support::fake_discord::{FakeInteraction, Opt};
use support::harness::guild::{
    Person, ADMIN, BOARD, COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF, NOBODY,
    OTHER_GUILD, OTHER_HEAD, SEIP_CHANNEL, SEIP_MEMBER, SEIP_ROLE,
};
use support::harness::user::choice;
use support::harness::{logs, propose_options, NewCase, TestBot, TOKEN};

fn content(m: &serde_json::Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

/// How many posts in `channel` contain `needle`.
fn count_posts(bot: &TestBot, channel: u64, needle: &str) -> usize {
    bot.posts(channel)
        .iter()
        .filter(|m| content(m).contains(needle))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decline_by_button_and_modal_with_a_reason() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        initials: "D.K.",
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    let decline = format!("mm:decline:{r}");

    // Only the destination head gets the form; others are refused before filling it in.
    let home = bot.as_(HOME_HEAD).click(&decline).await;
    home.assert_refused("home head clicking Decline");
    assert!(
        home.content.contains("destination school's head"),
        "{}",
        home.content
    );
    let other = bot.as_(OTHER_HEAD).click(&decline).await;
    other.assert_refused("uninvolved head clicking Decline");
    assert!(other.content.contains("no case"), "{}", other.content);

    let form = bot.as_(DEST_HEAD).click(&decline).await;
    assert_eq!(form.callback, 9, "Decline opens a form: {form:#?}");
    assert_eq!(form.modal.as_deref(), Some(decline.as_str()));
    let input = &form.responses[0].body["data"]["components"][0]["components"][0];
    assert_eq!(input["custom_id"], "reason");
    assert_eq!(input["required"], true);

    let reason = "No place in year 9 this term (ocelot-reason)";
    let done = bot
        .as_(DEST_HEAD)
        .submit_modal(&decline, &[("reason", reason)])
        .await;
    done.assert_done("decline by modal");
    assert!(
        done.content.contains("Declined the proposal"),
        "{}",
        done.content
    );

    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Declined);
    assert_eq!(
        case.closing_reason.as_ref().map(|t| t.as_str()),
        Some(reason)
    );
    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(thread, "Declined the proposal").await;

    // A closed case is read-only: the old Accept button now only explains why.
    let late = bot.as_(DEST_HEAD).click(&format!("mm:accept:{r}")).await;
    late.assert_refused("accept after decline");
    assert!(late.content.contains("read-only"), "{}", late.content);

    bot.outbox_drained().await;
    let board = bot.board().await;
    assert_eq!(board["embeds"][0]["description"], "No open cases.");
    logs::assert_clean(&bot.logs(), &["D.K.", "ocelot-reason", TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_destination_head_ends_an_active_move_early() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        initials: "E.T.",
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    let case = || Opt::string("case", &r);
    bot.as_(DEST_HEAD)
        .command("proposal accept", [case()])
        .await
        .assert_done("accept");
    bot.make_active(&r, HOME_HEAD, DEST_HEAD).await;
    assert_eq!(bot.case(&r).await.state, CaseState::Active);

    let reason = || Opt::string("reason", "Serious breach of policy (yak-reason)");
    let home = bot
        .as_(HOME_HEAD)
        .command("move terminate", [case(), reason()])
        .await;
    home.assert_refused("home head terminating");
    assert!(
        home.content.contains("destination school's head"),
        "{}",
        home.content
    );
    assert_eq!(bot.case(&r).await.state, CaseState::Active);

    bot.as_(DEST_HEAD)
        .command("move terminate", [case(), reason()])
        .await
        .assert_done("termination");
    // The pupil goes home through the returning stage (tests/e2e/returning.rs).
    let case_now = bot.case(&r).await;
    assert_eq!(case_now.state, CaseState::Returning);
    let thread = bot.thread_of(&r).await;
    let ended = "ended early by the destination school";
    bot.wait_for_post(thread, ended).await;
    bot.outbox_drained().await;
    assert_eq!(count_posts(&bot, thread, ended), 1);
    logs::assert_clean(&bot.logs(), &["E.T.", "yak-reason", TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_transfer_goes_to_the_seip_panel_and_is_approved_by_button() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        initials: "T.R.",
        return_possible: false,
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    assert!(
        bot.posts(SEIP_CHANNEL).is_empty(),
        "the panel is asked only once the destination head has accepted"
    );
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");

    let ask = bot.wait_for_post(SEIP_CHANNEL, &r).await;
    let text = content(&ask);
    assert!(text.contains(&format!("<@&{SEIP_ROLE}>")), "{text}");
    assert!(
        !text.contains("T.R."),
        "no initials in the shared panel channel: {text}"
    );
    assert!(
        ask["embeds"].as_array().is_none_or(|e| e.is_empty()),
        "no card (with initials) there"
    );
    let posted = bot.posted_to(SEIP_CHANNEL);
    assert_eq!(posted.len(), 1);
    assert_eq!(
        posted[0].body["allowed_mentions"]["roles"],
        serde_json::json!([SEIP_ROLE.to_string()]),
        "the SEIP role is pinged, nobody else"
    );
    let buttons = ask["components"].to_string();
    assert!(
        buttons.contains(&format!("mm:approve:{r}")) && buttons.contains(&format!("mm:reject:{r}"))
    );

    // The transfer cannot start yet; a head cannot decide for the panel.
    let approve = format!("mm:approve:{r}");
    let head = bot.as_(DEST_HEAD).click(&approve).await;
    head.assert_refused("a head clicking Approve");
    assert!(head.content.contains("SEIP"), "{}", head.content);

    // The panel gives its reasons, as for a rejection.
    let form = bot.as_(SEIP_MEMBER).click(&approve).await;
    assert_eq!(form.modal.as_deref(), Some(approve.as_str()), "{form:#?}");
    let seip = bot
        .as_(SEIP_MEMBER)
        .submit_modal(&approve, &[("reason", "In the pupil's interest")])
        .await;
    seip.assert_done("panel approval");
    assert!(
        seip.content.contains("SEIP panel approved"),
        "{}",
        seip.content
    );
    let case = bot.case(&r).await;
    assert!(case.panel.as_ref().is_some_and(|p| p.approved));
    let again = bot.as_(SEIP_MEMBER).click(&approve).await;
    again.assert_refused("a second approval");
    assert!(
        again.content.contains("already decided"),
        "{}",
        again.content
    );

    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(thread, "SEIP panel approved the transfer")
        .await;
    bot.outbox_drained().await;
    assert_eq!(
        bot.posted_to(SEIP_CHANNEL).len(),
        1,
        "the panel is asked once"
    );
    logs::assert_clean(&bot.logs(), &["T.R.", TOKEN]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_accepts_at_once_only_one_succeeds() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        initials: "W.A.",
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    // The head and a deputy holding the same role: a click on the button and the slash
    // command, both in flight before either answers. (One person doing both at once is a
    // double click, answered once: see `interactions.rs`.)
    let head = bot.as_(DEST_HEAD);
    let deputy = bot.as_user(1_200_000_000_000_000_519, DEST_HEAD.roles);
    let click = bot.send(head.button(&format!("mm:accept:{r}"))).await;
    let slash = bot
        .send(deputy.slash("proposal accept", [Opt::string("case", &r)]))
        .await;
    let answers = [bot.reply_to(&click).await, bot.reply_to(&slash).await];
    let ok: Vec<_> = answers
        .iter()
        .filter(|a| a.content.starts_with('✔'))
        .collect();
    let no: Vec<_> = answers
        .iter()
        .filter(|a| !a.content.starts_with('✔'))
        .collect();
    assert_eq!(ok.len(), 1, "exactly one accept succeeds: {answers:#?}");
    ok[0].assert_done("the winning accept");
    no[0].assert_refused("the losing accept");
    assert!(
        no[0].content.contains("already accepted"),
        "{}",
        no[0].content
    );

    let events = bot.events(&r).await;
    let accepted = events
        .iter()
        .filter(|e| matches!(e.event.kind, EventKind::Accepted))
        .count();
    assert_eq!(accepted, 1);
    assert_eq!(events.len(), 2, "proposed, accepted");
    bot.outbox_drained().await;
    let thread = bot.thread_of(&r).await;
    assert_eq!(count_posts(&bot, thread, "Accepted the proposal"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_failing_a_post_is_retried_and_the_message_arrives_once() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&r).await;
    bot.outbox_drained().await;

    // A 500 and then a 429 on the next channel posts: the answer to the person is not
    // delayed, and the outbox delivers the thread post once Discord recovers.
    let route = "POST /channels/{channel_id}/messages";
    bot.fake.fail_next(route, 500, 1);
    bot.fake.fail_next(route, 429, 1);
    bot.as_(DEST_HEAD)
        .command("proposal accept", [Opt::string("case", &r)])
        .await
        .assert_done("accept");
    let patient = std::time::Duration::from_secs(30);
    bot.outbox_drained_within(patient).await;
    assert_eq!(count_posts(&bot, thread, "Accepted the proposal"), 1);
    let path = format!("/channels/{thread}/messages");
    let attempts: Vec<u16> = bot
        .fake
        .recorder()
        .requests()
        .iter()
        .filter(|q| q.method == "POST" && q.path == path)
        .filter(|q| {
            q.body["content"]
                .as_str()
                .is_some_and(|c| c.contains("Accepted the proposal"))
        })
        .map(|q| q.status)
        .collect();
    assert_eq!(
        attempts,
        vec![500, 429, 200],
        "failed twice, then delivered"
    );

    // The very first post of a new case fails: its thread's introduction must still come.
    bot.fake.fail_next(route, 500, 1);
    let second = bot
        .as_(HOME_HEAD)
        .command(
            "propose",
            propose_options(&NewCase {
                initials: "S.B.",
                ..NewCase::default()
            }),
        )
        .await;
    let r2 = second.assert_done("second proposal").case_ref();
    bot.outbox_drained_within(patient).await;
    let thread2 = bot.thread_of(&r2).await;
    for needle in [
        "Private thread for case",
        "Proposed a managed move",
        "Please accept or decline",
    ] {
        assert_eq!(
            count_posts(&bot, thread2, needle),
            1,
            "{needle:?} once in the new thread: {:#?}",
            bot.posts(thread2).iter().map(content).collect::<Vec<_>>()
        );
    }
    assert_eq!(
        bot.fake
            .threads()
            .iter()
            .filter(|(t, _)| t["name"] == r2.as_str())
            .count(),
        1,
        "one thread per case"
    );
    assert_eq!(bot.board_posts(), 1, "the board is still one message");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interactions_from_another_server_are_ignored() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let before = bot.case(&r).await.version;

    let foreign = |p: Person, ix: FakeInteraction| {
        ix.by(p.id)
            .with_roles(p.roles.iter().copied())
            .in_guild(OTHER_GUILD)
    };
    let sent = vec![
        bot.send(foreign(
            HOME_HEAD,
            FakeInteraction::slash("propose", propose_options(&NewCase::default())),
        ))
        .await,
        bot.send(foreign(
            DEST_HEAD,
            FakeInteraction::button(&format!("mm:accept:{r}"), None),
        ))
        .await,
        bot.send(foreign(
            DEST_HEAD,
            FakeInteraction::modal(&format!("mm:decline:{r}"), &[("reason", "Not here")]),
        ))
        .await,
        bot.send(foreign(
            COORDINATOR,
            FakeInteraction::slash("case", [Opt::sub("list", [])]),
        ))
        .await,
    ];
    // Interactions sent after those are answered: by then the foreign ones were handled.
    for _ in 0..2 {
        bot.as_(COORDINATOR)
            .command("case show", [Opt::string("case", &r)])
            .await;
    }
    for s in &sent {
        let responses = bot.fake.recorder().interaction_responses(s.id);
        assert!(
            responses.is_empty(),
            "an interaction from another server was answered: {responses:#?}"
        );
    }
    assert_eq!(
        bot.case_count().await,
        1,
        "no case was proposed from elsewhere"
    );
    assert_eq!(
        bot.case(&r).await.version,
        before,
        "the case did not change"
    );
}

/// One refusal to check: who, what they typed, and a phrase the answer must contain.
struct Try {
    who: Person,
    path: &'static str,
    options: Vec<Opt>,
    says: &'static str,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_is_refused_what_it_may_not_do_and_nothing_changes() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&r).await;
    bot.outbox_drained().await;
    let version = bot.case(&r).await.version;
    let outbox = bot.outbox().await.0;
    let thread_posts = bot.posts(thread).len();
    let board_edits = bot.edits_in(BOARD).len();

    let case = || Opt::string("case", &r);
    let reason = || Opt::string("reason", "Because");
    let on = || Opt::string("on", "2026-11-24");
    let not_found = "There is no case";
    let from_riverside = {
        let mut o = propose_options(&NewCase::default());
        o.push(Opt::string("from", "riverside"));
        o
    };
    let tries = vec![
        Try {
            who: NOBODY,
            path: "case show",
            options: vec![case()],
            says: "partnership role",
        },
        Try {
            who: NOBODY,
            path: "case list",
            options: vec![],
            says: "partnership role",
        },
        Try {
            who: NOBODY,
            path: "propose",
            options: propose_options(&NewCase::default()),
            says: "Only a school's head",
        },
        Try {
            who: HOME_STAFF,
            path: "propose",
            options: propose_options(&NewCase::default()),
            says: "Only a school's head",
        },
        Try {
            who: HOME_STAFF,
            path: "proposal withdraw",
            options: vec![case(), reason()],
            says: "home school's head",
        },
        Try {
            who: HOME_HEAD,
            path: "proposal accept",
            options: vec![case()],
            says: "destination school's head",
        },
        Try {
            who: HOME_HEAD,
            path: "move terminate",
            options: vec![case(), reason()],
            says: "destination school's head",
        },
        Try {
            who: DEST_HEAD,
            path: "proposal withdraw",
            options: vec![case(), reason()],
            says: "home school's head",
        },
        Try {
            who: DEST_HEAD,
            path: "propose",
            options: from_riverside,
            says: "head of the home school",
        },
        Try {
            who: DEST_STAFF,
            path: "proposal decline",
            options: vec![case(), reason()],
            says: "destination school's head",
        },
        Try {
            who: DEST_STAFF,
            path: "agreement sign",
            options: vec![case()],
            says: "heads of the two schools",
        },
        Try {
            who: OTHER_HEAD,
            path: "case show",
            options: vec![case()],
            says: not_found,
        },
        Try {
            who: OTHER_HEAD,
            path: "proposal accept",
            options: vec![case()],
            says: not_found,
        },
        Try {
            who: COORDINATOR,
            path: "proposal accept",
            options: vec![case()],
            says: "destination school's head",
        },
        Try {
            who: COORDINATOR,
            path: "consent parent",
            options: vec![
                case(),
                Opt::string("witnessed_by", "Ms A"),
                on(),
                Opt::boolean("freely_given", true),
            ],
            says: "heads of the two schools",
        },
        Try {
            who: COORDINATOR,
            path: "admin backup",
            options: vec![],
            says: "admins",
        },
        Try {
            who: SEIP_MEMBER,
            path: "case show",
            options: vec![case()],
            says: not_found,
        },
        Try {
            who: SEIP_MEMBER,
            path: "panel approve",
            options: vec![case(), reason()],
            says: not_found,
        },
        Try {
            who: ADMIN,
            path: "proposal accept",
            options: vec![case()],
            says: not_found,
        },
        Try {
            who: ADMIN,
            path: "checklist rate",
            options: vec![
                case(),
                Opt::string("item", "staff.senco"),
                choice("rating", 2),
            ],
            says: not_found,
        },
        Try {
            who: HOME_HEAD,
            path: "admin config",
            options: vec![],
            says: "admins",
        },
    ];
    for t in tries {
        let what = format!("{} running /{}", t.who.name, t.path);
        let reply = bot.as_(t.who).command(t.path, t.options).await;
        reply.assert_refused(&what);
        assert!(
            reply.content.contains(t.says),
            "{what}: expected {:?} in {:?}",
            t.says,
            reply.content
        );
    }
    // Buttons are checked the same way, whoever can see them.
    for who in [NOBODY, HOME_HEAD, DEST_STAFF, COORDINATOR, SEIP_MEMBER] {
        let reply = bot.as_(who).click(&format!("mm:accept:{r}")).await;
        reply.assert_refused(&format!("{} clicking Accept", who.name));
    }

    // Nothing changed: no event, no case, nothing queued or posted.
    assert_eq!(bot.case(&r).await.version, version);
    assert_eq!(bot.case(&r).await.state, CaseState::Proposed);
    assert_eq!(bot.case_count().await, 1);
    assert_eq!(bot.outbox().await.0, outbox);
    assert_eq!(bot.posts(thread).len(), thread_posts);
    assert_eq!(bot.edits_in(BOARD).len(), board_edits);
    let history = bot.as_(COORDINATOR).command("case history", [case()]).await;
    assert!(history.ephemeral);
    assert_eq!(
        history.content.lines().count(),
        2,
        "the header and the one proposal: {}",
        history.content
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_stops_when_asked_even_while_discord_is_unreachable() {
    let mut bot = TestBot::start().await;
    // Discord goes away: the gateway closes and nothing answers on its port any more.
    bot.fake.shutdown().await;
    bot.wait_until("the bot to notice the gateway closed", || {
        bot.logs().contains("Err starting shard").then_some(())
    })
    .await;
    // SIGTERM, or Ctrl-C: the bot must stop, not keep reconnecting for ever.
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_created_but_not_recorded_is_found_again_not_made_twice() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&r).await;
    bot.outbox_drained().await;
    // As if the bot had stopped after Discord created the thread and before it was recorded.
    sqlx::query("DELETE FROM case_threads")
        .execute(bot.store().await.pool())
        .await
        .expect("forget the thread");

    bot.as_(DEST_HEAD)
        .command("proposal accept", [Opt::string("case", &r)])
        .await
        .assert_done("accept");
    bot.wait_for_post(thread, "Accepted the proposal").await;
    bot.outbox_drained().await;
    let named: Vec<_> = bot
        .fake
        .threads()
        .into_iter()
        .filter(|(t, _)| t["name"] == r.as_str())
        .collect();
    assert_eq!(named.len(), 1, "one thread for {r}: {named:?}");
}
