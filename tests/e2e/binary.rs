//! End to end with the real `managed-moves` binary (`--config FILE run`, DISCORD_TOKEN in the
//! environment, RUST_LOG=trace): killed with SIGKILL and restarted mid-case, twice.

use crate::support;

use std::time::Duration;

use managed_moves::domain::CaseState;
use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{BOARD, CASES, COORDINATOR, DEST_HEAD, HOME_HEAD};
use support::harness::{logs, NewCase, TestBot, TOKEN};

fn content(m: &Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_killed_and_restarted_mid_case_loses_nothing_and_repeats_nothing() {
    // At trace level, asking for serenity's and hyper's traces too (which would hold the
    // gateway events and request bodies): no pupil detail, note or token may reach the logs.
    let trace = "trace,serenity=trace,hyper=trace,reqwest=trace";
    let mut bot = TestBot::start_binary_logging(Some(trace), |_, _| {}).await;
    let new_case = NewCase {
        initials: "B.K.",
        tried: "Mentoring (okapi-tried)",
        notes: Some("4: social worker involved, okapi-note"),
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    let thread = bot.thread_of(&r).await;
    bot.outbox_drained().await;
    bot.board().await;

    // 1. Killed while idle. After the restart the case is as it was, its reminders are
    //    still planned, and the Accept button posted by the first process works.
    let reminders = bot.pending_reminders().await;
    assert!(
        reminders.iter().any(|(key, _)| key.contains("proposal")),
        "the destination head will be nudged: {reminders:?}"
    );
    bot.restart().await;
    assert_eq!(
        bot.pending_reminders().await,
        reminders,
        "pending reminders intact"
    );
    let shown = bot
        .as_(COORDINATOR)
        .command("case show", [Opt::string("case", &r)])
        .await;
    assert!(shown.ephemeral);
    assert!(shown.title().contains("proposed"), "{}", shown.title());
    let accept = format!("mm:accept:{r}");
    let old_button = bot
        .message_with_button(&accept)
        .expect("the call to decide");
    bot.as_(DEST_HEAD)
        .click(&accept)
        .await
        .assert_done("accept on a button from before the restart");
    assert_eq!(
        bot.message_with_button(&accept).map(|m| m["id"].clone()),
        Some(old_button["id"].clone()),
        "that was the old message's button: no new call was posted"
    );
    bot.outbox_drained().await;
    bot.wait_for_post(thread, "Accepted the proposal").await;

    // 2. Killed while a post is on its way to Discord (held up by the fake): the outbox
    //    still has it, and the next process delivers it, once.
    bot.fake
        .set_delay("POST /channels/*/messages", Duration::from_secs(5));
    let today = bot.today().to_string();
    bot.as_(HOME_HEAD)
        .command(
            "consent pupil",
            [Opt::string("case", &r), Opt::string("on", &today)],
        )
        .await
        .assert_done("pupil consent");
    let (_, unsent) = bot.outbox().await;
    assert!(unsent > 0, "the kill comes before the post is delivered");
    bot.fake.clear_faults();
    bot.restart().await;
    bot.outbox_drained().await;
    bot.wait_for_post(thread, "Recorded the pupil's agreement")
        .await;
    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Agreeing);
    assert!(case.pupil_consent.is_some());

    // Nothing was posted twice: one thread, one intro, one call, one post per event, one
    // board message (edited since), and no nonce used twice.
    let threads_made = bot
        .fake
        .recorder()
        .requests()
        .iter()
        .filter(|q| q.method == "POST" && q.path == format!("/channels/{CASES}/threads"))
        .count();
    assert_eq!(
        threads_made, 1,
        "one thread for the case, across three processes"
    );
    let posts = bot.posts(thread);
    let texts: Vec<&str> = posts.iter().map(content).collect();
    for needle in [
        "Private thread for case",
        "Proposed a managed move",
        "Please accept or decline",
        "Accepted the proposal",
        "Recorded the pupil's agreement",
    ] {
        let n = texts.iter().filter(|t| t.contains(needle)).count();
        assert_eq!(n, 1, "{needle:?} posted {n} times:\n{}", texts.join("\n"));
    }
    let events = bot.events(&r).await;
    assert_eq!(posts.len(), events.len() + 2, "{}", texts.join("\n"));
    let mut nonces: Vec<&str> = posts.iter().filter_map(|m| m["nonce"].as_str()).collect();
    let n = nonces.len();
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), n);
    assert_eq!(bot.board_posts(), 1, "the board was edited, not reposted");
    let boards = bot
        .posts(BOARD)
        .into_iter()
        .filter(support::harness::is_board)
        .count();
    assert_eq!(boards, 1);
    assert!(!bot.edits_in(BOARD).is_empty());
    assert_eq!(
        bot.registrations(),
        3,
        "three processes each registered the commands"
    );

    bot.stop().await;
    let logs = bot.logs();
    assert!(
        logs.contains("commands registered") && logs.contains("command applied"),
        "the binary logged its progress to stderr:\n{logs}"
    );
    logs::assert_clean(&logs, &["B.K.", "okapi-tried", "okapi-note", TOKEN]);
}
