//! Delivery faults end to end (issue 12, part 1), in-process against the fake Discord: one
//! failing thread or channel holds back only its own messages; what can be healed is (a
//! deleted case thread made again once, an archived one unarchived, a deleted board posted
//! again); what cannot is set aside, told once in the board's footer, listed by
//! `/admin outbox` and delivered by `retry`; 5xx and 429s arrive late but in order; a
//! message that panics the sender is set aside and the rest still go.

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{
    ADMIN, BOARD, COORDINATORS_ARCHIVE, DEST_HEAD, HOME_HEAD, SEIP_CHANNEL,
};
use support::harness::{NewCase, TestBot};

/// Long enough for a few rounds of backoff (1 s, 2 s, 4 s...).
const PATIENT: Duration = Duration::from_secs(60);

fn post_to(channel: u64) -> String {
    format!("POST /channels/{channel}/messages")
}

fn content(m: &Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

/// Every thread the fake holds with this case's name, oldest first.
fn threads_named(bot: &TestBot, reference: &str) -> Vec<u64> {
    let mut ids: Vec<u64> = bot
        .fake
        .threads()
        .into_iter()
        .filter(|(t, _)| t["name"] == reference)
        .filter_map(|(t, _)| t["id"].as_str()?.parse().ok())
        .collect();
    ids.sort();
    ids
}

/// The outbox rows (id, state) of a destination, oldest first.
async fn rows_of(bot: &TestBot, destination: &str) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT id, CASE WHEN sent_at IS NOT NULL THEN 'sent'
                         WHEN set_aside_at IS NOT NULL THEN 'set aside'
                         ELSE 'pending' END
         FROM outbox WHERE destination = ? ORDER BY id",
    )
    .bind(destination)
    .fetch_all(bot.store().await.pool())
    .await
    .expect("read the outbox")
}

async fn case_id(bot: &TestBot, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM cases WHERE reference = ?")
        .bind(reference)
        .fetch_one(bot.store().await.pool())
        .await
        .expect("the case exists")
}

/// The outbox ids carried by the bot's posts in a channel, in the order they arrived.
fn delivered_ids(bot: &TestBot, channel: u64) -> Vec<i64> {
    bot.posts(channel)
        .iter()
        .filter_map(|m| {
            m["nonce"]
                .as_str()?
                .strip_prefix("mm-outbox-")?
                .parse()
                .ok()
        })
        .collect()
}

/// Every message queued for the case's thread was delivered once, in the order queued.
async fn assert_delivered_in_order(bot: &TestBot, reference: &str, thread: u64) {
    let rows = rows_of(bot, &format!("case:{}", case_id(bot, reference).await)).await;
    let queued: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    assert!(
        rows.iter().all(|(_, state)| state == "sent"),
        "{reference}: {rows:?}"
    );
    assert_eq!(
        delivered_ids(bot, thread),
        queued,
        "{reference}: every message once, in order"
    );
}

async fn accept(bot: &TestBot, reference: &str) {
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{reference}"))
        .await
        .assert_done("accept");
}

async fn schedule_meeting(bot: &TestBot, reference: &str) {
    let at = format!("{} 14:00", bot.today());
    bot.as_(DEST_HEAD)
        .command(
            "meeting schedule",
            [Opt::string("case", reference), Opt::string("at", &at)],
        )
        .await
        .assert_done("meeting schedule");
}

async fn admin_outbox(bot: &TestBot, options: Vec<Opt>) -> String {
    bot.as_(ADMIN)
        .command("admin outbox", options)
        .await
        .content
        .clone()
}

fn footer(board: &Value) -> String {
    board["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_thread_answering_unknown_channel_holds_back_no_other_case() {
    let bot = TestBot::start().await;
    let mut cases = Vec::new();
    for initials in ["A.A.", "B.B.", "C.C.", "D.D."] {
        let new = NewCase {
            initials,
            ..NewCase::default()
        };
        cases.push(bot.propose(HOME_HEAD, &new).await);
    }
    bot.outbox_drained().await;
    let dead = cases[0].clone();
    let old_thread = bot.thread_of(&dead).await;
    // Someone deleted it: Discord answers 404 Unknown Channel to every post, for ever.
    bot.fake.fail_with_code(
        post_to(old_thread),
        404,
        10003,
        "Unknown Channel",
        usize::MAX,
    );

    for r in &cases {
        accept(&bot, r).await;
    }
    bot.outbox_drained_within(PATIENT).await;

    // The thread was made again, once, with the case card, and the post arrived there.
    let threads = threads_named(&bot, &dead);
    assert_eq!(threads.len(), 2, "made again once: {threads:?}");
    let new_thread = threads[1];
    let posts: Vec<String> = bot
        .posts(new_thread)
        .iter()
        .map(|m| content(m).to_owned())
        .collect();
    assert!(
        posts
            .iter()
            .any(|c| c.contains("earlier thread for this case was deleted")),
        "{posts:?}"
    );
    let card = bot
        .posts(new_thread)
        .into_iter()
        .find(|m| content(m).contains("earlier thread"))
        .expect("the card post");
    assert!(
        card["embeds"][0]["title"]
            .as_str()
            .is_some_and(|t| t.starts_with(dead.as_str())),
        "the case card: {card}"
    );
    bot.wait_for_post(new_thread, "Accepted the proposal").await;

    // The new thread is deleted too: the next message is set aside, not retried for ever,
    // and no third thread is made.
    bot.fake.fail_with_code(
        post_to(new_thread),
        404,
        10003,
        "Unknown Channel",
        usize::MAX,
    );
    for r in &cases {
        schedule_meeting(&bot, r).await;
    }
    bot.outbox_drained_within(PATIENT).await;
    assert_eq!(threads_named(&bot, &dead).len(), 2, "made again once only");
    let dead_rows = rows_of(&bot, &format!("case:{}", case_id(&bot, &dead).await)).await;
    assert_eq!(
        dead_rows.last().map(|(_, s)| s.as_str()),
        Some("set aside"),
        "{dead_rows:?}"
    );
    let (status, code): (i64, i64) =
        sqlx::query_as("SELECT last_status, last_code FROM outbox WHERE id = ?")
            .bind(dead_rows.last().expect("a row").0)
            .fetch_one(bot.store().await.pool())
            .await
            .expect("read the row");
    assert_eq!((status, code), (404, 10003));

    // The three other cases went on, every post once and in order.
    for r in &cases[1..] {
        let thread = bot.thread_of(r).await;
        bot.wait_for_post(thread, "Accepted the proposal").await;
        assert_delivered_in_order(&bot, r, thread).await;
    }
    let footer = footer(&bot.board().await);
    assert!(
        footer.contains("1 message could not be delivered"),
        "{footer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_permissions_on_the_seip_channel_is_set_aside_told_once_and_retried_by_an_admin() {
    let bot = TestBot::start().await;
    let transfer = NewCase {
        initials: "S.P.",
        return_possible: false,
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &transfer).await;
    bot.fake.fail_with_code(
        post_to(SEIP_CHANNEL),
        403,
        50013,
        "Missing Permissions",
        usize::MAX,
    );
    accept(&bot, &r).await;
    bot.outbox_drained_within(PATIENT).await;

    let rows = rows_of(&bot, "seip").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (id, state) = rows[0].clone();
    assert_eq!(state, "set aside");
    let seip_tries = || {
        bot.fake
            .recorder()
            .requests()
            .iter()
            .filter(|q| {
                q.method == "POST" && q.path == format!("/channels/{SEIP_CHANNEL}/messages")
            })
            .count()
    };
    assert_eq!(seip_tries(), 1, "a permanent error is not retried blindly");

    // Told once: in the board's footer, and in the admin's answer; nothing posted per try.
    let board = bot
        .wait_until("the board's footer to count it", || {
            bot.posts(BOARD)
                .into_iter()
                .find(|m| footer(m).contains("1 message could not be delivered"))
        })
        .await;
    assert!(
        footer(&board).contains("/admin outbox"),
        "{}",
        footer(&board)
    );
    assert!(bot.posts(SEIP_CHANNEL).is_empty());
    let listed = admin_outbox(&bot, vec![]).await;
    for needle in [
        format!("#{id}"),
        r.clone(),
        "panel_decision_needed".into(),
        "set aside".into(),
        "403".into(),
        "50013".into(),
        "Missing Permissions".into(),
        "1 attempt".into(),
    ] {
        assert!(listed.contains(&needle), "{needle:?} in {listed}");
    }
    assert!(
        !listed.contains("S.P."),
        "no initials in the list: {listed}"
    );

    // Someone fixes the permission; the admin retries; it is delivered, and audited.
    bot.fake.clear_faults();
    let answer = admin_outbox(&bot, vec![Opt::integer("retry", id)]).await;
    assert!(answer.contains("back in line"), "{answer}");
    bot.wait_for_post(SEIP_CHANNEL, &r).await;
    bot.outbox_drained().await;
    assert_eq!(rows_of(&bot, "seip").await, vec![(id, "sent".to_string())]);
    let audit: Vec<(i64, String, i64)> =
        sqlx::query_as("SELECT actor, action, outbox_id FROM admin_audit")
            .fetch_all(bot.store().await.pool())
            .await
            .expect("read the audit");
    assert_eq!(audit, vec![(ADMIN.id as i64, "retry".to_string(), id)]);
    bot.wait_until("the footer to clear", || {
        bot.posts(BOARD)
            .into_iter()
            .find(|m| footer(m).starts_with("Most urgent first"))
    })
    .await;
    assert!(admin_outbox(&bot, vec![])
        .await
        .contains("Every message has been delivered"));
    // Only admins may look or act.
    let refused = bot
        .as_(DEST_HEAD)
        .command("admin outbox", [Opt::integer("discard", id)])
        .await;
    refused.assert_refused("a head asking for the outbox");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archived_case_thread_is_unarchived_and_the_post_arrives() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let thread = bot.thread_of(&r).await;
    bot.fake.archive_thread(thread, false);

    accept(&bot, &r).await;
    bot.wait_for_post(thread, "Accepted the proposal").await;
    bot.outbox_drained().await;
    let channel = bot.fake.channel(thread).expect("the thread");
    assert_eq!(channel["thread_metadata"]["archived"], false);
    assert!(bot
        .fake
        .recorder()
        .requests()
        .iter()
        .any(|q| q.method == "PATCH"
            && q.path == format!("/channels/{thread}")
            && q.body["archived"] == false));
    assert_delivered_in_order(&bot, &r, thread).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_case_thread_is_not_unlocked_by_the_bot_and_its_message_is_set_aside() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let thread = bot.thread_of(&r).await;
    bot.fake.archive_thread(thread, true);
    accept(&bot, &r).await;
    bot.outbox_drained().await;
    let rows = rows_of(&bot, &format!("case:{}", case_id(&bot, &r).await)).await;
    assert_eq!(
        rows.last().map(|(_, s)| s.as_str()),
        Some("set aside"),
        "{rows:?}"
    );
    assert_eq!(
        bot.fake.channel(thread).expect("the thread")["thread_metadata"]["locked"],
        true
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_board_is_posted_again_and_stays_single() {
    let bot = TestBot::start().await;
    let first = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let board = bot.board().await;
    let old: u64 = board["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("id");
    bot.fake.delete_message(old);

    let second = bot
        .propose(
            HOME_HEAD,
            &NewCase {
                initials: "N.B.",
                ..NewCase::default()
            },
        )
        .await;
    bot.outbox_drained().await;
    let board = bot.board().await;
    assert_ne!(board["id"], old.to_string(), "a new board message");
    let text = board["embeds"][0]["description"].as_str().unwrap_or("");
    assert!(text.contains(&first) && text.contains(&second), "{text}");
    let boards = bot
        .posts(BOARD)
        .into_iter()
        .filter(support::harness::is_board)
        .count();
    assert_eq!(boards, 1, "one board in the channel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_rate_limits_delay_messages_but_keep_their_order() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let other = bot
        .propose(
            HOME_HEAD,
            &NewCase {
                initials: "O.K.",
                ..NewCase::default()
            },
        )
        .await;
    bot.outbox_drained().await;
    let thread = bot.thread_of(&r).await;
    let other_thread = bot.thread_of(&other).await;
    // This thread fails: a 500, a 429 for the route, then a global 429. Rules are used up
    // in the order given.
    bot.fake.fail_next(post_to(thread).as_str(), 500, 1);
    bot.fake.fail_next(post_to(thread).as_str(), 429, 1);
    bot.fake.rate_limit_globally(post_to(thread).as_str(), 1);

    accept(&bot, &r).await;
    schedule_meeting(&bot, &r).await;
    accept(&bot, &other).await;
    // The other case is not held up by the first one's backoff.
    bot.wait_for_post(other_thread, "Accepted the proposal")
        .await;
    bot.wait_until_for("the first case's posts", PATIENT, || {
        bot.posts(thread)
            .iter()
            .any(|m| content(m).contains("Scheduled"))
            .then_some(())
    })
    .await;
    bot.outbox_drained_within(PATIENT).await;

    let injected: Vec<u16> = bot
        .fake
        .recorder()
        .requests()
        .iter()
        .filter(|q| q.injected && q.path == format!("/channels/{thread}/messages"))
        .map(|q| q.status)
        .collect();
    assert_eq!(injected, vec![500, 429, 429], "every fault was met");
    assert_delivered_in_order(&bot, &r, thread).await;
    assert_delivered_in_order(&bot, &other, other_thread).await;
    let attempts: i64 = sqlx::query_scalar("SELECT MAX(attempts) FROM outbox")
        .fetch_one(bot.store().await.pool())
        .await
        .expect("read attempts");
    assert_eq!(
        attempts, 3,
        "the first message was tried four times, failing three"
    );
    for (_, n) in bot.nonce_posts(thread) {
        assert_eq!(n, 1, "nothing posted twice");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_that_panics_the_sender_is_set_aside_and_later_ones_still_go() {
    poison_row_survived(TestBot::start().await).await;
}

/// The same in the real binary: the process must unwind a panic, not abort on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_survives_a_message_that_panics_its_sender() {
    let bot = TestBot::start_binary().await;
    poison_row_survived(bot).await;
}

async fn poison_row_survived(bot: TestBot) {
    let poisoned = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let poisoned_id = case_id(&bot, &poisoned).await;
    let pool = bot.store().await.pool();
    // A thread id of 0 for one case, as a bug or a hand edit could leave it: serenity's
    // `ChannelId::new(0)` panics, so every message for that case panics the sender.
    sqlx::query("UPDATE case_threads SET thread_id = 0 WHERE case_id = ?")
        .bind(poisoned_id)
        .execute(pool)
        .await
        .expect("poison the thread id");

    // The poisoned case's messages come first, then the other case's.
    accept(&bot, &poisoned).await;
    accept(&bot, &r).await;
    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(thread, "Accepted the proposal").await;
    bot.outbox_drained().await;
    let errors: Vec<Option<String>> = sqlx::query_scalar(
        "SELECT last_error FROM outbox WHERE case_id = ? AND set_aside_at IS NOT NULL",
    )
    .bind(poisoned_id)
    .fetch_all(pool)
    .await
    .expect("read the set-aside rows");
    assert!(
        !errors.is_empty(),
        "the poisoned case's messages are set aside"
    );
    assert!(errors
        .iter()
        .all(|e| e.as_deref().is_some_and(|e| e.contains("a bug"))));

    // And the sender still runs afterwards.
    schedule_meeting(&bot, &r).await;
    bot.wait_for_post(thread, "Scheduled").await;
    bot.outbox_drained().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_board_channel_moves_the_board_and_deletes_the_old_one() {
    let mut bot = TestBot::start_binary().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let old = bot.board().await;
    let old_id: u64 = old["id"].as_str().and_then(|s| s.parse().ok()).expect("id");

    // The admin points the board at another channel and restarts the bot.
    let config = std::fs::read_to_string(&bot.config_path).expect("read config");
    let moved = config.replace(
        &format!("board_channel_id = {BOARD}"),
        &format!("board_channel_id = {COORDINATORS_ARCHIVE}"),
    );
    assert_ne!(config, moved, "the config names the board channel");
    std::fs::write(&bot.config_path, moved).expect("write config");
    bot.restart().await;

    let board = bot
        .wait_until("the board in its new channel", || {
            bot.posts(COORDINATORS_ARCHIVE)
                .into_iter()
                .find(support::harness::is_board)
        })
        .await;
    let text = board["embeds"][0]["description"].as_str().unwrap_or("");
    assert!(text.contains(&r), "{text}");
    bot.wait_until("the old board deleted", || {
        bot.fake.message(old_id).is_none().then_some(())
    })
    .await;
    assert!(bot
        .posts(BOARD)
        .into_iter()
        .all(|m| !support::harness::is_board(&m)));
}
