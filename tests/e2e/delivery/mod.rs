//! Delivery faults end to end (issue 12, part 1), against the real binary through the fake
//! Discord: one failing thread or channel holds back only its own messages, and one slow
//! without failing holds back nobody; what can be healed is (a deleted case thread made
//! again once, with its case card posted once even if that fails for a moment; an archived
//! one unarchived; a deleted board posted again); what cannot is set aside, told once in the
//! board's footer, listed by `/admin outbox` and delivered by `retry`; 5xx and 429s arrive
//! late but in order; a message that panics the sender is set aside and the rest still go.
//!
//! The binary runs on the real clock, so its config sets `[delivery] first_retry_ms` short:
//! a few rounds of backoff take a fraction of a second instead of seconds.

mod healing;
mod pacing;
mod set_aside;

use crate::support;

use std::time::Duration;

use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{ADMIN, DEST_HEAD};
use support::harness::TestBot;

/// Long enough for a few rounds of backoff (50 ms, 100 ms, 200 ms...) on a busy machine.
pub(super) const PATIENT: Duration = Duration::from_secs(30);
/// How long the fake takes to answer a slow thread: far longer than the other cases'
/// posts need, so they can only arrive first if they do not wait for it.
pub(super) const SLOW: Duration = Duration::from_secs(10);

/// The real binary, retrying after 50 ms rather than a second.
pub(super) async fn binary() -> TestBot {
    TestBot::start_binary_with(|config, _| {
        let mut text = std::fs::read_to_string(config).expect("read config");
        text.push_str("\n[delivery]\nfirst_retry_ms = 50\n");
        std::fs::write(config, text).expect("write config");
    })
    .await
}

pub(super) fn post_to(channel: u64) -> String {
    format!("POST /channels/{channel}/messages")
}

pub(super) fn content(m: &Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

/// Every thread the fake holds with this case's name, oldest first.
pub(super) fn threads_named(bot: &TestBot, reference: &str) -> Vec<u64> {
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
pub(super) async fn rows_of(bot: &TestBot, destination: &str) -> Vec<(i64, String)> {
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

pub(super) async fn case_id(bot: &TestBot, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM cases WHERE reference = ?")
        .bind(reference)
        .fetch_one(bot.store().await.pool())
        .await
        .expect("the case exists")
}

/// The outbox ids carried by the bot's posts in a channel, in the order they arrived.
pub(super) fn delivered_ids(bot: &TestBot, channel: u64) -> Vec<i64> {
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
pub(super) async fn assert_delivered_in_order(bot: &TestBot, reference: &str, thread: u64) {
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

pub(super) async fn accept(bot: &TestBot, reference: &str) {
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{reference}"))
        .await
        .assert_done("accept");
}

pub(super) async fn schedule_meeting(bot: &TestBot, reference: &str) {
    let at = format!("{} 14:00", bot.today());
    bot.as_(DEST_HEAD)
        .command(
            "meeting schedule",
            [Opt::string("case", reference), Opt::string("at", &at)],
        )
        .await
        .assert_done("meeting schedule");
}

pub(super) async fn admin_outbox(bot: &TestBot, options: Vec<Opt>) -> String {
    bot.as_(ADMIN)
        .command("admin outbox", options)
        .await
        .content
        .clone()
}

pub(super) fn footer(board: &Value) -> String {
    board["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}
