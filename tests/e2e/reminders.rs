//! Reminders end to end, in-process against the fake Discord: a due review reminder is
//! posted once in the case's thread, mentioning both schools, even when Discord fails the
//! first post; the coordinators' digest goes to their channel; `/dates show` attaches the
//! case's calendar file.

use crate::support;

use std::time::Duration;

use support::fake_discord::Opt;
use support::harness::guild::{
    Person, BOARD, DEST_HEAD, HILLCREST_HEAD, HOME_HEAD, HOME_STAFF, RIVERSIDE_STAFF,
};
use support::harness::user::choice;
use support::harness::{at_london, day, NewCase, TestBot};

async fn active_case(bot: &TestBot) -> String {
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.make_active(&r, HOME_HEAD, DEST_HEAD).await;
    bot.outbox_drained().await;
    r
}

/// Any command wakes the scheduler (as it does the outbox sender).
async fn poke(bot: &TestBot, r: &str, who: Person) {
    bot.as_(who)
        .command(
            "checklist rate",
            [
                Opt::string("case", r),
                Opt::string("item", "staff.senco"),
                choice("rating", 1),
            ],
        )
        .await
        .assert_done("rate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_reminder_is_posted_once_even_when_discord_fails_the_first_post() {
    let bot = TestBot::start().await;
    let r = active_case(&bot).await;
    let thread = bot.thread_of(&r).await;
    // Six weeks from Tuesday 24 November: the midpoint review is Tuesday 15 December.
    bot.clock().set(at_london(day(2026, 12, 15), 8, 0));
    bot.fake
        .fail_next("POST /channels/{channel_id}/messages", 500, 1);
    poke(&bot, &r, HOME_STAFF).await;
    let needle = format!("The midpoint review for `{r}` is today");
    let post = bot.wait_for_post(thread, &needle).await;
    bot.outbox_drained_within(Duration::from_secs(30)).await;

    let content = post["content"].as_str().unwrap_or("");
    for role in [HILLCREST_HEAD, RIVERSIDE_STAFF] {
        assert!(content.contains(&format!("<@&{role}>")), "{content}");
    }
    assert!(
        !content.contains("Z.Q.") && !content.contains("J.S."),
        "no initials: {content}"
    );
    let copies = bot
        .posts(thread)
        .iter()
        .filter(|m| m["content"].as_str().is_some_and(|c| c.contains(&needle)))
        .count();
    assert_eq!(copies, 1);
    let nonces = bot.nonce_posts(thread);
    assert!(
        nonces.values().all(|n| *n == 1),
        "a nonce posted twice: {nonces:?}"
    );
    // The morning digest went to the coordinators' channel, once.
    let digests = bot
        .posts(BOARD)
        .iter()
        .filter(|m| {
            m["embeds"][0]["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Morning digest"))
        })
        .count();
    assert!(digests >= 1, "a digest in the coordinators' channel");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_show_answers_privately_with_a_calendar_file() {
    let bot = TestBot::start().await;
    let r = active_case(&bot).await;
    let reply = bot
        .as_(HOME_HEAD)
        .command("dates show", [Opt::string("case", &r)])
        .await;
    assert!(reply.ephemeral, "{reply:#?}");
    assert!(
        reply.content.contains("Midpoint review · Tue 15 Dec 2026"),
        "{}",
        reply.content
    );
    let bodies = format!("{:?}", reply.responses);
    assert!(
        bodies.contains(&format!("{r}.ics")),
        "an .ics attachment: {bodies}"
    );
}
