//! Every interaction answered within Discord's 3 seconds, and recorded once, end to end
//! against the fake Discord: the same interaction delivered twice, a command waiting for a
//! write lock another process holds for 5 s, a double click, and the panel's approval by
//! button asking for a reason. The replay and the held lock run both in-process and against
//! the real binary.

use crate::support;

use std::time::Duration;

use managed_moves::domain::EventKind;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use support::fake_discord::{Opt, RecordedRequest, ResponseKind, SentInteraction};
use support::harness::guild::{DEST_HEAD, HOME_HEAD, SEIP_CHANNEL, SEIP_MEMBER};
use support::harness::{NewCase, TestBot};

/// How long the test's own connection holds the database's write lock.
const LOCK_HELD: Duration = Duration::from_secs(5);
/// Discord's deadline for the first answer to an interaction.
const DISCORD_DEADLINE: Duration = Duration::from_secs(3);

fn accepted(events: &[managed_moves::store::StoredEvent]) -> usize {
    events
        .iter()
        .filter(|e| e.event.kind == EventKind::Accepted)
        .count()
}

/// Requests the bot made about one interaction (its callback, follow-ups and edits).
fn answers_to(bot: &TestBot, sent: &SentInteraction) -> Vec<RecordedRequest> {
    let callback = format!("/interactions/{}/", sent.id);
    bot.fake
        .recorder()
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with(&callback) || r.path.contains(&sent.token))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_interaction_delivered_twice_is_recorded_once() {
    replayed_interaction_recorded_once(TestBot::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_records_the_same_interaction_delivered_twice_once() {
    replayed_interaction_recorded_once(TestBot::start_binary().await).await;
}

/// A gateway resume replays an accept: one acceptance, and the replay gets the first answer.
async fn replayed_interaction_recorded_once(bot: TestBot) {
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let click = bot.as_(DEST_HEAD).button(&format!("mm:accept:{r}"));
    let sent = bot.send(click).await;
    let first = bot.reply_to(&sent).await;
    first.assert_done("the accept");

    // A gateway resume replays it: same ID, same token.
    bot.fake.replay_interaction(&sent);
    let tried = bot
        .wait_until("the bot's answer to the replay", || {
            let answers = answers_to(&bot, &sent);
            (answers.len() >= 2).then_some(answers)
        })
        .await;
    bot.settled().await;

    assert_eq!(
        accepted(&bot.events(&r).await),
        1,
        "one acceptance recorded"
    );
    // Discord refuses a second answer to one interaction; what the bot tried to say was
    // the first answer again, not a refusal ("already accepted") and not an error.
    let replay_answer = &tried[1];
    assert_eq!(replay_answer.status, 400, "{replay_answer:?}");
    let said = replay_answer.body["data"]["content"]
        .as_str()
        .or(replay_answer.body["content"].as_str())
        .unwrap_or_default();
    assert_eq!(said, first.content, "the replay got the first answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_waiting_on_a_held_write_lock_is_acknowledged_within_three_seconds() {
    held_write_lock_acknowledged_in_time(TestBot::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_acknowledges_a_command_waiting_on_a_held_write_lock_within_three_seconds() {
    held_write_lock_acknowledged_in_time(TestBot::start_binary().await).await;
}

/// Another connection holds the write lock for 5 s: the command is deferred within Discord's
/// 3 s, then goes through once the lock is let go.
async fn held_write_lock_acknowledged_in_time(bot: TestBot) {
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;

    // Another process (the CLI, `retention --apply`) takes the write lock and keeps it.
    let mut other = SqliteConnectOptions::new()
        .filename(&bot.db_path)
        .connect()
        .await
        .expect("open the bot's database");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("take the write lock");
    let locked = tokio::time::Instant::now();

    let command = bot
        .as_(DEST_HEAD)
        .slash("proposal accept", [Opt::string("case", &r)]);
    let sent = bot.send(command).await;
    let first = bot
        .wait_until("the first answer to the command", || {
            answers_to(&bot, &sent).into_iter().next()
        })
        .await;
    let waited = first
        .at
        .duration_since(sent.at)
        .expect("answered after it was sent");
    assert!(
        waited < DISCORD_DEADLINE,
        "acknowledged after {waited:?}, past Discord's deadline"
    );
    assert!(
        first.status < 300,
        "Discord took the acknowledgement: {first:?}"
    );
    assert_eq!(
        first.body["type"], 5,
        "a private 'thinking' first: the command is still waiting: {first:?}"
    );

    // Hold the lock for its full time, then let go: the command goes through.
    tokio::time::sleep_until(locked + LOCK_HELD).await;
    sqlx::query("ROLLBACK")
        .execute(&mut other)
        .await
        .expect("release the write lock");
    other.close().await.expect("close");

    let reply = bot.reply_to(&sent).await;
    reply.assert_done("the accept after the wait");
    assert!(reply
        .responses
        .iter()
        .any(|r| r.kind == ResponseKind::Followup && r.status == 200));
    assert_eq!(accepted(&bot.events(&r).await), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_makes_one_event_and_both_clicks_get_the_answer() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let id = format!("mm:accept:{r}");
    // Two clicks, two interaction IDs, sent before either is answered.
    let one = bot.send(bot.as_(DEST_HEAD).button(&id)).await;
    let two = bot.send(bot.as_(DEST_HEAD).button(&id)).await;
    assert_ne!(one.id, two.id);
    let (one, two) = (bot.reply_to(&one).await, bot.reply_to(&two).await);
    one.assert_done("the first click");
    two.assert_done("the second click");
    assert_eq!(
        one.content, two.content,
        "the second click gets the first answer"
    );
    bot.settled().await;
    assert_eq!(
        accepted(&bot.events(&r).await),
        1,
        "one acceptance recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approving_a_transfer_by_button_asks_for_a_reason_and_records_it() {
    let bot = TestBot::start().await;
    let transfer = NewCase {
        return_possible: false,
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &transfer).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.wait_for_post(SEIP_CHANNEL, &r).await;

    let approve = format!("mm:approve:{r}");
    let form = bot.as_(SEIP_MEMBER).click(&approve).await;
    assert_eq!(form.callback, 9, "a form, not a decision: {form:#?}");
    assert_eq!(form.modal.as_deref(), Some(approve.as_str()));
    assert!(
        bot.case(&r).await.panel.is_none(),
        "nothing decided by the click"
    );

    let reason = "Fresh start is in the pupil's interest";
    bot.as_(SEIP_MEMBER)
        .submit_modal(&approve, &[("reason", reason)])
        .await
        .assert_done("the panel's approval");
    let panel = bot.case(&r).await.panel.expect("the panel decided");
    assert!(panel.approved);
    assert_eq!(panel.reason.as_str(), reason);
    let history = bot.events(&r).await;
    assert!(history.iter().any(|e| matches!(
        &e.event.kind,
        EventKind::PanelDecided { approved: true, reason: said } if said.as_str() == reason
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_change_whose_answer_fails_is_never_reported_as_unchanged() {
    let bot = TestBot::start().await;
    let by_command = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let by_button = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let head = bot.as_(DEST_HEAD);
    let sent = [
        head.slash("proposal accept", [Opt::string("case", &by_command)]),
        head.button(&format!("mm:accept:{by_button}")),
    ];
    for (ix, r) in sent.into_iter().zip([&by_command, &by_button]) {
        // Discord turns down the answer with the case card.
        bot.fake
            .fail_next("POST /interactions/*/*/callback", 400, 1);
        let sent = bot.send(ix).await;
        let answers = bot
            .wait_until("a second try at answering", || {
                let answers = answers_to(&bot, &sent);
                (answers.len() >= 2).then_some(answers)
            })
            .await;
        assert!(answers[0].injected, "{answers:?}");
        let shown = &answers[1];
        assert!(shown.status < 300, "{shown:?}");
        let said = shown.body["data"]["content"].as_str().unwrap_or_default();
        assert!(said.starts_with('✔'), "told it was done: {said:?}");
        assert!(!said.contains("nothing was changed"), "{said:?}");
        assert_eq!(accepted(&bot.events(r).await), 1, "{r} was accepted");
    }
}
