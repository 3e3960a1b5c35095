//! A case's thread over its life: archived and locked after the last message of a closed
//! case (and again after any later post; by the daily pass if Discord refused at the time),
//! and deleted under the retention policy before its ID is forgotten.

use std::sync::Arc;
use std::time::Duration;

use crate::support;
use crate::threads::{
    is_archived_and_locked, queued_for_deletion, recorded_thread, wake, withdraw,
};
use managed_moves::config::Config;
use managed_moves::domain::{Actor, Capacity, UserId};
use managed_moves::service::{Clock, ManualClock, NoopNotifier, Service};
use support::harness::guild::{ADMIN, HOME_HEAD};
use support::harness::{NewCase, TestBot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_cases_thread_is_archived_and_locked_after_its_last_message() {
    closed_thread_archived_after_last_message(TestBot::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_archives_and_locks_a_closed_cases_thread_after_its_last_message() {
    closed_thread_archived_after_last_message(TestBot::start_binary().await).await;
}

/// A withdrawn case: its closing post is the thread's last, then one PATCH archives and
/// locks it.
async fn closed_thread_archived_after_last_message(bot: TestBot) {
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    bot.outbox_drained().await;
    assert!(
        !is_archived_and_locked(&bot, thread),
        "open while the case is"
    );

    withdraw(&bot, &reference).await;
    bot.wait_until("the thread archived and locked", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
    let requests = bot.fake.recorder().requests();
    let thread_path = format!("/channels/{thread}");
    let last_post = requests
        .iter()
        .rposition(|r| {
            r.method == "POST" && r.path == format!("{thread_path}/messages") && r.status == 200
        })
        .expect("posts in the thread");
    assert!(
        requests[last_post].body["content"]
            .as_str()
            .is_some_and(|c| c.contains("Withdrew")),
        "the withdrawal is the thread's last message: {}",
        requests[last_post].body
    );
    let archive = requests
        .iter()
        .position(|r| r.method == "PATCH" && r.path == thread_path)
        .expect("the thread was archived");
    assert!(archive > last_post, "archived after its last message");
    assert_eq!(requests[archive].body["archived"], true);
    assert_eq!(requests[archive].body["locked"], true);
    let patches = requests
        .iter()
        .filter(|r| r.method == "PATCH" && r.path == thread_path)
        .count();
    assert_eq!(
        patches, 1,
        "archived once, not again on every later delivery"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_post_about_a_closed_case_is_delivered_and_its_thread_closed_again() {
    use managed_moves::domain::CaseRef;
    use managed_moves::service::{Audience, Notice, Notification};
    use managed_moves::store::Store;

    let bot = TestBot::start().await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    withdraw(&bot, &reference).await;
    bot.wait_until("the thread archived and locked", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;

    // Something about the case was still queued (written by the service, as any post is).
    let store = bot.store().await;
    let case_id: i64 = sqlx::query_scalar("SELECT id FROM cases WHERE reference = ?")
        .bind(&reference)
        .fetch_one(store.pool())
        .await
        .expect("the case");
    let note = Notification {
        case: CaseRef::parse(&reference).expect("a reference"),
        audience: Audience::CaseThread,
        notice: Notice::CaseEvent {
            seq: 99,
            summary: "A late note about the closed case".into(),
            by: UserId(HOME_HEAD.id),
        },
    };
    let payload = serde_json::to_string(&note).expect("json");
    let mut tx = store.begin_write().await.expect("write");
    Store::enqueue(
        &mut tx,
        Some(case_id),
        note.audience.label(),
        note.notice.label(),
        &payload,
        bot.clock().now(),
    )
    .await
    .expect("enqueue");
    tx.commit().await.expect("commit");
    wake(&bot, "L.P.").await;

    bot.wait_for_post(thread, "A late note about the closed case")
        .await;
    bot.wait_until("the thread archived and locked again", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
    let thread_path = format!("/channels/{thread}");
    let patches: Vec<serde_json::Value> = bot
        .fake
        .recorder()
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.path == thread_path)
        .map(|r| r.body)
        .collect();
    assert_eq!(
        patches.len(),
        3,
        "archived, opened for the post, archived again: {patches:?}"
    );
    assert_eq!(patches[1]["archived"], false);
    assert!(
        patches[1].get("locked").is_none_or(|l| l == true),
        "it stays locked while open for the bot's post"
    );
    assert_eq!(patches[2]["archived"], true);
    assert_eq!(patches[2]["locked"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_deletes_the_thread_before_its_id_is_dropped() {
    let bot = TestBot::start().await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    withdraw(&bot, &reference).await;
    bot.outbox_drained().await;

    // Retention runs where there is no Discord (the command line), years later, on the
    // same database.
    let text = std::fs::read_to_string(&bot.config_path).expect("read config");
    let config = Config::parse(&text, bot.dir.path()).expect("valid config");
    let later = bot.clock().now() + chrono::Duration::days(366 * 7);
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(later));
    let cli = Service::new(
        bot.store().await.clone(),
        &config,
        clock,
        Arc::new(NoopNotifier),
    );
    let admin = Actor {
        user: UserId(ADMIN.id),
        capacities: vec![Capacity::Admin],
    };
    let done = cli
        .apply_retention(&admin, &config.retention)
        .await
        .expect("retention applies");
    assert_eq!(done.plan.cases.len(), 1);
    assert_eq!(
        recorded_thread(&bot, &reference).await,
        None,
        "the case forgets its thread"
    );
    assert_eq!(
        queued_for_deletion(&bot).await,
        vec![thread],
        "but the ID is kept until the thread is deleted"
    );

    // Discord fails the first deletion: the ID stays queued.
    let delete = format!("DELETE /channels/{thread}");
    bot.fake.fail_next(delete.as_str(), 500, 1);
    wake(&bot, "W.A.").await;
    let path = format!("/channels/{thread}");
    bot.wait_until("a failed deletion", || {
        bot.fake
            .recorder()
            .requests()
            .into_iter()
            .any(|r| r.method == "DELETE" && r.path == path && r.status == 500)
            .then_some(())
    })
    .await;
    assert!(
        bot.fake.channel(thread).is_some(),
        "the thread is still there"
    );
    assert_eq!(queued_for_deletion(&bot).await, vec![thread]);

    // The next attempt deletes it, and only then is the ID dropped.
    wake(&bot, "W.B.").await;
    bot.wait_until("the thread deleted", || {
        bot.fake.channel(thread).is_none().then_some(())
    })
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while !queued_for_deletion(&bot).await.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the ID was never dropped"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thread_discord_would_not_archive_at_close_is_archived_by_the_next_daily_pass() {
    let bot = TestBot::start().await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    bot.outbox_drained().await;
    let archive = format!("PATCH /channels/{thread}");
    // Discord fails every archiving that day (the sender tries after each post about the
    // closed case: the closing event, the board).
    bot.fake.fail_next(archive.as_str(), 500, 100);
    withdraw(&bot, &reference).await;
    bot.outbox_drained().await;
    let thread_path = format!("/channels/{thread}");
    bot.wait_until("the failed archiving", || {
        bot.fake
            .recorder()
            .requests()
            .into_iter()
            .any(|r| r.method == "PATCH" && r.path == thread_path && r.status == 500)
            .then_some(())
    })
    .await;
    assert!(!is_archived_and_locked(&bot, thread));
    bot.fake.clear_faults();

    bot.set_clock(bot.clock().now() + chrono::Duration::days(1))
        .await;
    wake(&bot, "A.D.").await;
    bot.wait_until("the thread archived and locked by the daily pass", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
    let withdrawals = bot
        .posts(thread)
        .iter()
        .filter(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("Withdrew"))
        })
        .count();
    assert_eq!(withdrawals, 1, "the closing post is not sent again");
}
