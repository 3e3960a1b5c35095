//! What the bot heals itself: an archived thread, a deleted board, a board whose channel
//! changed, and a remade thread's case card that failed to post for a moment.

use super::*;
use crate::support;
use support::harness::guild::{BOARD, COORDINATORS_ARCHIVE, HOME_HEAD};
use support::harness::NewCase;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_archived_case_thread_is_unarchived_and_the_post_arrives() {
    let bot = binary().await;
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
async fn a_deleted_board_is_posted_again_and_stays_single() {
    let bot = binary().await;
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
async fn a_changed_board_channel_moves_the_board_and_deletes_the_old_one() {
    let mut bot = binary().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remade_threads_case_card_that_fails_for_a_moment_is_posted_once() {
    let bot = binary().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.outbox_drained().await;
    let old = bot.thread_of(&r).await;
    bot.fake
        .fail_with_code(post_to(old), 404, 10003, "Unknown Channel", usize::MAX);
    // In the new thread, the introduction goes through and the case card fails once.
    bot.fake
        .fail_next_containing("POST /channels/*/messages", "mm-remade-", 500, 1);

    accept(&bot, &r).await;
    bot.outbox_drained_within(PATIENT).await;

    let threads = threads_named(&bot, &r);
    assert_eq!(threads.len(), 2, "made again once: {threads:?}");
    let new_thread = threads[1];
    let failed_cards = bot
        .fake
        .recorder()
        .requests()
        .iter()
        .filter(|q| {
            q.injected
                && q.body["nonce"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("mm-remade-"))
        })
        .count();
    assert_eq!(failed_cards, 1, "the card's first post failed");
    let posts: Vec<String> = bot
        .posts(new_thread)
        .iter()
        .map(|m| content(m).to_owned())
        .collect();
    let card_at: Vec<usize> = (0..posts.len())
        .filter(|&i| posts[i].contains("earlier thread for this case was deleted"))
        .collect();
    assert_eq!(card_at.len(), 1, "the card, once: {posts:?}");
    let accepted_at = posts
        .iter()
        .position(|c| c.contains("Accepted the proposal"))
        .expect("the accept's post in the new thread");
    assert!(card_at[0] < accepted_at, "the card comes first: {posts:?}");
    let remade = format!("mm-remade-{}", case_id(&bot, &r).await);
    assert_eq!(bot.nonce_posts(new_thread).get(&remade), Some(&1));
}
