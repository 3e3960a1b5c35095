//! Who is in a case's thread: people are added one by one (a role mention brings nobody into
//! a private thread), only if their roles let them see the case; a daily pass takes out
//! those whose roles changed; only a private thread the bot owns is ever adopted; and the
//! bot needs the Server Members Intent to read who holds which role.

use std::sync::Arc;
use std::time::Duration;

use crate::support;
use managed_moves::config::{Config, Secret};
use managed_moves::service::{Clock, ManualClock};
use support::fake_discord::{FakeConfig, FakeDiscord, Opt};
use support::harness::guild::{
    config_toml, fake_config, Person, ADMIN, CASES, COORDINATOR, COORDINATOR_ROLE, DEST_HEAD,
    DEST_STAFF, GUILD, HILLCREST_STAFF, HOME_HEAD, HOME_STAFF, NOBODY, OTHER_HEAD, SEIP_MEMBER,
};
use support::harness::{school_morning, NewCase, TestBot, TOKEN};

/// Everyone whose roles let them see a managed move from Riverside to Hillcrest.
pub const CASE_TEAM: [Person; 5] = [HOME_HEAD, HOME_STAFF, DEST_HEAD, DEST_STAFF, COORDINATOR];

pub fn ids(people: &[Person]) -> Vec<u64> {
    let mut ids: Vec<u64> = people.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    ids
}

/// The thread's members other than the bot, sorted.
pub fn people_in(bot: &TestBot, thread: u64) -> Vec<u64> {
    let me = bot.fake.config().bot_user_id;
    let mut ids: Vec<u64> = bot
        .fake
        .thread_member_ids(thread)
        .into_iter()
        .filter(|u| *u != me)
        .collect();
    ids.sort_unstable();
    ids
}

/// The thread ID the bot recorded for a case, if any.
pub async fn recorded_thread(bot: &TestBot, reference: &str) -> Option<u64> {
    sqlx::query_scalar::<_, i64>(
        "SELECT t.thread_id FROM case_threads t JOIN cases c ON c.id = t.case_id WHERE c.reference = ?",
    )
    .bind(reference)
    .fetch_optional(bot.store().await.pool())
    .await
    .expect("read case_threads")
    .map(|t| t as u64)
}

pub async fn queued_for_deletion(bot: &TestBot) -> Vec<u64> {
    sqlx::query_scalar::<_, i64>("SELECT thread_id FROM threads_to_delete")
        .fetch_all(bot.store().await.pool())
        .await
        .expect("read threads_to_delete")
        .into_iter()
        .map(|t| t as u64)
        .collect()
}

pub fn is_archived_and_locked(bot: &TestBot, thread: u64) -> bool {
    bot.fake.channel(thread).is_some_and(|t| {
        t["thread_metadata"]["archived"] == true && t["thread_metadata"]["locked"] == true
    })
}

pub async fn withdraw(bot: &TestBot, reference: &str) {
    bot.as_(HOME_HEAD)
        .command(
            "proposal withdraw",
            [
                Opt::string("case", reference),
                Opt::string("reason", "The family moved away"),
            ],
        )
        .await
        .assert_done("withdraw");
}

/// Any command that changes a case wakes the bot's background tasks, as it wakes the
/// scheduler: a second proposal from another school's head.
pub async fn wake(bot: &TestBot, initials: &'static str) {
    bot.as_(HOME_HEAD)
        .command(
            "propose",
            support::harness::propose_options(&NewCase {
                initials,
                ..NewCase::default()
            }),
        )
        .await
        .assert_done("a proposal that wakes the bot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_people_whose_roles_let_them_see_the_case_are_added_to_its_thread() {
    let bot = TestBot::start().await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    bot.outbox_drained().await;
    assert_eq!(
        people_in(&bot, thread),
        ids(&CASE_TEAM),
        "both schools' heads and staff and the coordinator; not another school's head, the \
         SEIP panel (a managed move), an admin or someone with no role"
    );
    for outsider in [OTHER_HEAD, SEIP_MEMBER, ADMIN, NOBODY] {
        assert!(!people_in(&bot, thread).contains(&outsider.id));
    }
    // Added one by one (the proposer again as they act: harmless, Discord keeps one).
    let prefix = format!("/channels/{thread}/thread-members/");
    let mut added: Vec<u64> = bot
        .fake
        .recorder()
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .filter_map(|r| r.path.strip_prefix(&prefix)?.parse().ok())
        .collect();
    added.sort_unstable();
    added.dedup();
    assert_eq!(
        added,
        ids(&CASE_TEAM),
        "each added by a request of their own"
    );

    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{reference}"))
        .await
        .assert_done("accept");
    let at = format!("{} 14:00", bot.today());
    let meeting = |when: &str| vec![Opt::string("case", &reference), Opt::string("at", when)];

    // The admin acts through an interaction that still carried the coordinator role, which
    // Discord no longer gives them: their event is posted, they are not added.
    bot.as_user(ADMIN.id, &[COORDINATOR_ROLE])
        .command("meeting schedule", meeting(&at))
        .await
        .assert_done("a meeting scheduled with a stale role");
    bot.outbox_drained().await;
    let posts = bot.posts(thread);
    assert!(
        posts.iter().any(|m| m["content"]
            .as_str()
            .is_some_and(|c| c.contains(&ADMIN.id.to_string()))),
        "the admin's event is in the thread"
    );
    assert!(
        !bot.fake.thread_member_ids(thread).contains(&ADMIN.id),
        "someone whose roles do not let them see the case is not added"
    );

    // The coordinator left the thread; acting on the case brings them back, as their roles
    // let them see it.
    bot.fake.leave_thread(thread, COORDINATOR.id);
    bot.as_(COORDINATOR)
        .command(
            "meeting schedule",
            meeting(&format!("{} 15:00", bot.today())),
        )
        .await
        .assert_done("a meeting moved by the coordinator");
    bot.outbox_drained().await;
    assert!(bot.fake.thread_member_ids(thread).contains(&COORDINATOR.id));
}

/// The key under which the upkeep task keeps the day of its last daily pass
/// (`src/discord/upkeep.rs`); `message_id` holds the day, as days since 1 Jan 0001.
const SWEEP_KEY: &str = "thread-sweep";

/// The next day comes, as far as the daily pass can tell. In-process, the manual clock moves
/// on a day. The binary runs on the real clock, which a test cannot move: instead the day
/// its last pass ran is set back one in the database, so the next wake-up finds today's pass
/// not yet done, exactly as it would tomorrow. Either way a `wake` then runs the pass.
pub async fn a_day_passes(bot: &TestBot) {
    if bot.pid().is_none() {
        bot.set_clock(bot.clock().now() + chrono::Duration::days(1))
            .await;
        return;
    }
    bot.settled().await;
    let pool = bot.store().await.pool();
    let today = i64::from(chrono::Datelike::num_days_from_ce(&bot.today()));
    // The start-up pass must have recorded today first: set back before it finishes, the
    // day would be written over and the next wake-up would do nothing.
    let deadline = tokio::time::Instant::now() + support::harness::TIMEOUT;
    loop {
        let day: Option<i64> =
            sqlx::query_scalar("SELECT message_id FROM bot_messages WHERE key = ?")
                .bind(SWEEP_KEY)
                .fetch_optional(pool)
                .await
                .expect("read the day of the last pass");
        if day == Some(today) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the start-up pass never recorded today ({today}): {day:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let set_back = sqlx::query("UPDATE bot_messages SET message_id = ? WHERE key = ?")
        .bind(today - 1)
        .bind(SWEEP_KEY)
        .execute(pool)
        .await
        .expect("set the last pass a day back");
    assert_eq!(set_back.rows_affected(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_whose_role_was_removed_is_taken_out_of_the_thread_by_the_daily_pass() {
    role_removed_member_taken_out(TestBot::start().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_takes_a_member_whose_role_was_removed_out_of_the_thread_by_the_daily_pass() {
    role_removed_member_taken_out(TestBot::start_binary().await).await;
}

/// The destination's staff member loses their role: the next day's pass takes them (only
/// them) out of the case's thread, opening it though Discord archived it meanwhile.
async fn role_removed_member_taken_out(bot: TestBot) {
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&reference).await;
    bot.outbox_drained().await;
    assert!(people_in(&bot, thread).contains(&DEST_STAFF.id));

    // A moderator takes the staff role away; the next day's pass takes them out, though
    // Discord archived the quiet thread meanwhile (the case is still open).
    bot.fake.remove_member_role(DEST_STAFF.id, HILLCREST_STAFF);
    bot.fake.auto_archive(thread);
    a_day_passes(&bot).await;
    wake(&bot, "W.D.").await;
    bot.wait_until("the daily pass to remove the former staff member", || {
        (!people_in(&bot, thread).contains(&DEST_STAFF.id)).then_some(())
    })
    .await;
    let others: Vec<Person> = CASE_TEAM.into_iter().filter(|p| *p != DEST_STAFF).collect();
    assert_eq!(people_in(&bot, thread), ids(&others), "everyone else stays");
    let removals: Vec<String> = bot
        .fake
        .recorder()
        .requests()
        .into_iter()
        .filter(|r| r.method == "DELETE" && r.path.contains("/thread-members/"))
        .filter(|r| r.status == 204)
        .map(|r| r.path)
        .collect();
    assert_eq!(
        removals,
        vec![format!(
            "/channels/{thread}/thread-members/{}",
            DEST_STAFF.id
        )]
    );
    assert!(
        bot.fake
            .recorder()
            .requests()
            .iter()
            .any(|r| r.method == "PATCH"
                && r.path == format!("/channels/{thread}")
                && r.body["archived"] == false),
        "the archived thread was opened to take them out"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_creation_that_finds_a_public_or_foreign_thread_makes_a_new_private_one() {
    let bot = TestBot::start().await;
    let create = format!("POST /channels/{CASES}/threads");
    // The first attempt to make the thread fails: the bot cannot know whether Discord made
    // it, so its next attempt looks for a thread of that name first.
    bot.fake.fail_next(create.as_str(), 500, 1);
    let reply = bot
        .as_(HOME_HEAD)
        .command(
            "propose",
            support::harness::propose_options(&NewCase::default()),
        )
        .await;
    let reference = reply.assert_done("the proposal").case_ref();
    let path = format!("/channels/{CASES}/threads");
    bot.wait_until("the failed thread creation", || {
        bot.fake
            .recorder()
            .requests()
            .into_iter()
            .any(|r| r.method == "POST" && r.path == path && r.status == 500)
            .then_some(())
    })
    .await;
    // Meanwhile someone made threads with the case's name: a public one, and a private one
    // of their own.
    let public = bot
        .fake
        .add_foreign_thread(CASES, &reference, 11, bot.fake.config().bot_user_id);
    let foreign = bot
        .fake
        .add_foreign_thread(CASES, &reference, 12, HOME_HEAD.id);

    bot.outbox_drained_within(Duration::from_secs(30)).await;
    let thread = recorded_thread(&bot, &reference)
        .await
        .expect("the case has a thread");
    assert_ne!(thread, public, "a public thread is not adopted");
    assert_ne!(
        thread, foreign,
        "another user's private thread is not adopted"
    );
    let made = bot.fake.channel(thread).expect("the new thread exists");
    assert_eq!(made["type"], 12, "private");
    assert_eq!(
        made["owner_id"],
        bot.fake.config().bot_user_id.to_string(),
        "the bot's own"
    );
    assert!(
        bot.fake
            .recorder()
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path == format!("/guilds/{GUILD}/threads/active")),
        "the bot looked for an existing thread first"
    );
    bot.wait_for_post(thread, "Please accept or decline").await;
    assert!(
        bot.posts(public).is_empty(),
        "nothing posted in the public thread"
    );
    assert!(
        bot.posts(foreign).is_empty(),
        "nothing posted in the foreign thread"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bot_refuses_to_start_without_the_server_members_intent_and_names_the_switch() {
    let fake = FakeDiscord::start(FakeConfig {
        members_intent: false,
        ..fake_config()
    })
    .await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("managed-moves.db");
    let text = config_toml(fake.base_url(), &db);
    let config = Config::parse(&text, dir.path()).expect("valid config");
    let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(school_morning()));
    let started = managed_moves::discord::start(
        config,
        Secret::new(TOKEN),
        clock,
        std::future::pending::<()>(),
    );
    let result = tokio::time::timeout(Duration::from_secs(60), started)
        .await
        .expect("the bot stops instead of running without the member list");
    let error = result.expect_err("refused").to_string();
    assert!(error.contains("Server Members Intent"), "{error}");
    assert!(error.contains("Developer Portal"), "{error}");
}
