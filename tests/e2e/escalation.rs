//! Escalation through the fake Discord (issue 15): an overdue step reminds its owner once
//! in the case thread, mentioning the owing head; a period later the coordinators get one
//! escalated notice with a Ping button, and the digest lists it first; restarts repeat
//! nothing; a snoozed step stays quiet until its new day; a coordinator's ping is audited
//! and calls on the owing head only.

use crate::support;

use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{
    BOARD, COORDINATOR, DEST_HEAD, HILLCREST_HEAD, HOME_HEAD, RIVERSIDE_HEAD,
};
use support::harness::{at_london, day, NewCase, TestBot};

fn content(m: &Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

/// How many posts in `channel` contain `needle`.
fn count(bot: &TestBot, channel: u64, needle: &str) -> usize {
    bot.posts(channel)
        .iter()
        .filter(|m| content(m).contains(needle))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_step_is_reminded_once_escalated_once_across_restarts_snoozed_and_pinged() {
    let mut bot = TestBot::start().await;
    // Both proposed Tuesday 24 November: each answer is due Friday 27th, overdue (the
    // destination head reminded) Tuesday 1 December, escalated Thursday 3rd.
    let a = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let b = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let (thread_a, thread_b) = (bot.thread_of(&a).await, bot.thread_of(&b).await);

    // Monday 30 November: a coordinator snoozes b's step until Monday 7 December.
    bot.set_clock(at_london(day(2026, 11, 30), 10, 0)).await;
    bot.as_(COORDINATOR)
        .command(
            "dates snooze",
            [
                Opt::string("case", &b),
                Opt::string("reminder", "answer_proposal"),
                Opt::string("until", "2026-12-07"),
                Opt::string("reason", "The head is on a course this week."),
            ],
        )
        .await
        .assert_done("the snooze");

    // Tuesday 1 December, 08:10 (any new proposal wakes the scheduler).
    bot.set_clock(at_london(day(2026, 12, 1), 8, 10)).await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    let overdue = format!(
        "`{a}` ⚠️ overdue since Fri 27 Nov: Hillcrest School head: accept or decline the proposal"
    );
    let post = bot.wait_for_post(thread_a, &overdue).await;
    let text = content(&post);
    assert!(text.contains(&format!("<@&{HILLCREST_HEAD}>")), "{text}");
    assert!(!text.contains(&format!("<@&{RIVERSIDE_HEAD}>")), "{text}");
    assert!(!text.contains("Z.Q."), "no initials: {text}");
    bot.settled().await;
    assert_eq!(count(&bot, thread_b, "⚠️ overdue"), 0, "b is snoozed");

    // Restarted, then Thursday 3 December, 08:10: one escalation, in the coordinators'
    // channel, with the Ping button; the digest lists it first.
    bot.restart_in_process().await;
    bot.set_clock(at_london(day(2026, 12, 3), 8, 10)).await;
    bot.restart_in_process().await;
    let escalated = format!("`{a}` 🔺 escalated, overdue since Fri 27 Nov");
    bot.wait_for_post(BOARD, &escalated).await;
    let ping = format!("mm:ping:{a}:answer_proposal");
    let notice = bot.message_with_button(&ping).expect("the Ping button");
    assert!(content(&notice).contains(&escalated));
    let digest = bot
        .wait_until("the digest lists the escalated step", || {
            bot.posts(BOARD).into_iter().find(|m| {
                m["embeds"][0]["description"]
                    .as_str()
                    .is_some_and(|d| d.starts_with("**Escalated"))
            })
        })
        .await;
    let lines = digest["embeds"][0]["description"].as_str().unwrap();
    assert!(
        lines.contains(&a) && lines.contains("4 school days overdue"),
        "{lines}"
    );
    assert!(!lines.contains(&format!("`{b}`")), "b is snoozed: {lines}");

    // Another restart and a later tick repeat nothing.
    bot.restart_in_process().await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.settled().await;
    assert_eq!(count(&bot, thread_a, &overdue), 1, "reminded once");
    assert_eq!(count(&bot, BOARD, &escalated), 1, "escalated once");
    assert_eq!(count(&bot, thread_b, "⚠️ overdue"), 0, "b is still snoozed");

    // The ping: refused to a head, privately; a coordinator's calls on the owing head.
    let events = bot.events(&a).await.len();
    bot.as_(DEST_HEAD)
        .click(&ping)
        .await
        .assert_refused("a head cannot ping");
    assert_eq!(bot.events(&a).await.len(), events, "nothing written");
    bot.as_(COORDINATOR)
        .click(&ping)
        .await
        .assert_done("the ping");
    let called = bot.wait_for_post(thread_a, "🔔").await;
    let text = content(&called);
    assert!(text.contains(&format!("<@&{HILLCREST_HEAD}>")), "{text}");
    assert!(!text.contains(&format!("<@&{RIVERSIDE_HEAD}>")), "{text}");
    assert!(text.contains("accept or decline the proposal"), "{text}");
    // Discord is told it may ping that role only.
    let sent = bot
        .posted_to(thread_a)
        .into_iter()
        .find(|q| q.body["content"].as_str().is_some_and(|c| c.contains("🔔")))
        .expect("the ping's request");
    assert_eq!(
        sent.body["allowed_mentions"]["roles"],
        serde_json::json!([HILLCREST_HEAD.to_string()]),
        "{}",
        sent.body
    );
    let last = bot.events(&a).await.last().unwrap().event.clone();
    assert_eq!(last.kind.name(), "owner_pinged");
    bot.wait_for_post(thread_a, "Pinged Hillcrest School head")
        .await;
    // `/case ping` for a step that is not owed: one private sentence.
    bot.as_(COORDINATOR)
        .command(
            "case ping",
            [Opt::string("case", &a), Opt::string("step", "follow_up")],
        )
        .await
        .assert_refused("not an overdue step");

    // Monday 7 December, 08:10: b's snooze is over and its head is reminded, once.
    bot.set_clock(at_london(day(2026, 12, 7), 8, 10)).await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.wait_for_post(thread_b, &format!("`{b}` ⚠️ overdue since Fri 27 Nov"))
        .await;
}
