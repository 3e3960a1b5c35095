//! Late but in order: 5xx and 429s back off, a slow destination holds back nobody, and a
//! message that panics the sender costs only itself.

use super::*;
use crate::support;
use support::harness::guild::HOME_HEAD;
use support::harness::NewCase;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_and_rate_limits_delay_messages_but_keep_their_order() {
    let bot = binary().await;
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
/// The process must unwind a panic, not abort on it.
async fn the_binary_survives_a_message_that_panics_its_sender() {
    let bot = binary().await;
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
async fn a_slow_case_thread_holds_back_no_other_case() {
    let bot = binary().await;
    let mut cases = Vec::new();
    for initials in ["S.L.", "F.A.", "F.B."] {
        let new = NewCase {
            initials,
            ..NewCase::default()
        };
        cases.push(bot.propose(HOME_HEAD, &new).await);
    }
    bot.outbox_drained().await;
    let slow = bot.thread_of(&cases[0]).await;
    // Discord is slow on this thread without failing: each post there takes SLOW.
    bot.fake.set_delay(post_to(slow), SLOW);
    let before = bot.posted_to(slow).len();

    // The slow case's message is queued first: a sender that posts one message at a time
    // would make the others wait for it.
    accept(&bot, &cases[0]).await;
    for r in &cases[1..] {
        accept(&bot, r).await;
    }
    for r in &cases[1..] {
        let thread = bot.thread_of(r).await;
        bot.wait_for_post(thread, "Accepted the proposal").await;
    }
    assert_eq!(
        bot.posted_to(slow).len(),
        before,
        "the other cases' posts arrived while the slow one was still on its way"
    );

    // The slow one arrives too, once and in order.
    bot.outbox_drained_within(PATIENT).await;
    for r in &cases {
        let thread = bot.thread_of(r).await;
        assert_delivered_in_order(&bot, r, thread).await;
    }
}
