//! What cannot be healed is set aside, told once, and left to an admin; a deleted thread
//! is made again once; the other cases go on meanwhile.

use super::*;
use crate::support;
use support::fake_discord::Opt;
use support::harness::guild::{ADMIN, BOARD, DEST_HEAD, HOME_HEAD, SEIP_CHANNEL};
use support::harness::NewCase;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_thread_answering_unknown_channel_holds_back_no_other_case() {
    let bot = binary().await;
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
    let bot = binary().await;
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
            // The footer starts with the sections' counts again, nothing set aside.
            .find(|m| footer(m).starts_with("0 overdue · "))
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
async fn a_locked_case_thread_is_not_unlocked_by_the_bot_and_its_message_is_set_aside() {
    let bot = binary().await;
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
