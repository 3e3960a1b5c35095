//! End to end, in-process: case leads and reopening (issue 15, parts 4 and 5) through the
//! fake Discord. A coordinator takes the lead with the button under `/case show` and hands
//! it to another coordinator; the board and the card name each lead; someone who is not a
//! coordinator is refused. A declined proposal is reopened: a coordinator asks, the head
//! whose decline closed it confirms with the button in the case thread, the thread is
//! unarchived, unlocked and told, and the case is proposed again. Refusals are private
//! and write nothing.

use crate::support;
use crate::threads::is_archived_and_locked;

use managed_moves::domain::CaseState;
use managed_moves::service::Clock;
use support::fake_discord::{FakeMember, Opt};
use support::harness::guild::{
    fake_config, BOARD, COORDINATOR, COORDINATOR_ROLE, DEST_HEAD, HOME_HEAD, OTHER_HEAD,
};
use support::harness::{is_board, school_morning, NewCase, TestBot};

/// A second coordinator, in the server only for these scenarios.
const SECOND_COORDINATOR: u64 = 1_200_000_000_000_000_539;

/// The bot in a server with a second coordinator to hand a lead to.
async fn two_coordinators() -> TestBot {
    let mut server = fake_config();
    server
        .members
        .push(FakeMember::new(SECOND_COORDINATOR, "B. Osei").roles([COORDINATOR_ROLE]));
    TestBot::start_in_guild(school_morning(), server, |text| text).await
}

/// Waits until the board (the "Open cases" message) says `needle`.
async fn board_says(bot: &TestBot, needle: &str) {
    bot.wait_until(&format!("the board saying {needle:?}"), || {
        bot.posts(BOARD)
            .into_iter()
            .find(|m| is_board(m) && m.to_string().contains(needle))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_is_taken_with_the_button_and_handed_to_another_coordinator() {
    let bot = two_coordinators().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;

    // A coordinator's `/case show` offers the lead; a head's does not.
    let shown = bot
        .as_(COORDINATOR)
        .command("case show", [Opt::string("case", &r)])
        .await;
    assert!(
        shown.text().contains("Lead: nobody yet"),
        "{}",
        shown.text()
    );
    let button = format!("mm:lead:{r}");
    assert!(
        shown
            .components
            .iter()
            .any(|c| c.to_string().contains(&button)),
        "{shown:#?}"
    );
    let head_view = bot
        .as_(HOME_HEAD)
        .command("case show", [Opt::string("case", &r)])
        .await;
    assert!(head_view.components.is_empty(), "{head_view:#?}");

    bot.as_(COORDINATOR)
        .click(&button)
        .await
        .assert_done("taking the lead");
    board_says(&bot, "· lead: coordinator").await;
    // Their own lead: no button to take it again.
    let mine = bot
        .as_(COORDINATOR)
        .command("case show", [Opt::string("case", &r)])
        .await;
    assert!(mine.text().contains("Lead: coordinator"), "{}", mine.text());
    assert!(mine.components.is_empty(), "{mine:#?}");
    let thread = bot.thread_of(&r).await;
    bot.wait_for_post(thread, &format!("<@{}> leads the case", COORDINATOR.id))
        .await;

    // Refused, privately, with nothing written: a head, a head who may not see the case,
    // someone who is not a coordinator as the new lead, and the lead one already has.
    let before = bot.events(&r).await.len();
    bot.as_(HOME_HEAD)
        .command("case lead", [Opt::string("case", &r)])
        .await
        .assert_refused("a head taking the lead");
    let unseen = bot
        .as_(OTHER_HEAD)
        .command("case lead", [Opt::string("case", &r)])
        .await;
    unseen.assert_refused("a case the head may not see");
    assert!(
        unseen.content.starts_with("There is no case"),
        "{}",
        unseen.content
    );
    let to_head = bot
        .as_(COORDINATOR)
        .command(
            "case lead",
            [Opt::string("case", &r), Opt::user("to", DEST_HEAD.id)],
        )
        .await;
    to_head.assert_refused("handing the lead to a head");
    assert!(
        to_head.content.contains("not a coordinator"),
        "{}",
        to_head.content
    );
    // A minute on (within seconds, a second click is the first one's answer again).
    bot.set_clock(bot.clock().now() + chrono::Duration::minutes(1))
        .await;
    let again = bot
        .as_(COORDINATOR)
        .command("case lead", [Opt::string("case", &r)])
        .await;
    again.assert_refused("the lead one already has");
    assert!(
        again.content.starts_with("You already lead"),
        "{}",
        again.content
    );
    assert_eq!(bot.events(&r).await.len(), before, "refusals write nothing");

    // Handed over: the card, the board and the thread follow.
    let handed = bot
        .as_(COORDINATOR)
        .command(
            "case lead",
            [Opt::string("case", &r), Opt::user("to", SECOND_COORDINATOR)],
        )
        .await;
    handed.assert_done("handing the lead over");
    assert!(handed.text().contains("Lead: B. Osei"), "{}", handed.text());
    board_says(&bot, "· lead: B. Osei").await;
    bot.wait_for_post(
        thread,
        &format!("<@{SECOND_COORDINATOR}> leads the case, after"),
    )
    .await;
    let case = bot.case(&r).await;
    assert_eq!(case.lead.map(|l| l.user.0), Some(SECOND_COORDINATOR));
    let changes = bot
        .events(&r)
        .await
        .iter()
        .filter(|e| e.event.kind.name() == "lead_changed")
        .count();
    assert_eq!(changes, 2, "both changes are in the audit trail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declined_proposal_is_reopened_by_the_destination_head_and_its_thread_unlocked() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let thread = bot.thread_of(&r).await;
    let decline = format!("mm:decline:{r}");
    bot.as_(DEST_HEAD)
        .submit_modal(&decline, &[("reason", "No place this term")])
        .await
        .assert_done("declining");
    bot.wait_until("the thread archived and locked", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
    assert_eq!(bot.case(&r).await.state, CaseState::Declined);

    // Nothing asked yet; only coordinators ask.
    let before = bot.events(&r).await.len();
    let nobody_asked = bot
        .as_(DEST_HEAD)
        .command("case reopen-confirm", [Opt::string("case", &r)])
        .await;
    nobody_asked.assert_refused("confirming a reopen nobody asked for");
    assert!(
        nobody_asked.content.starts_with("Nobody has asked"),
        "{}",
        nobody_asked.content
    );
    let reason = || Opt::string("reason", "Declined by mistake: a place came free");
    bot.as_(DEST_HEAD)
        .command("case reopen", [Opt::string("case", &r), reason()])
        .await
        .assert_refused("a head asking to reopen");
    assert_eq!(bot.events(&r).await.len(), before, "refusals write nothing");

    bot.as_(COORDINATOR)
        .command("case reopen", [Opt::string("case", &r), reason()])
        .await
        .assert_done("asking to reopen");
    // The destination head is called in the thread, with the Confirm button.
    bot.wait_for_post(thread, "asks to reopen").await;
    let button = format!("mm:reopen:{r}");
    bot.wait_until("the Confirm button", || bot.message_with_button(&button))
        .await;
    let before = bot.events(&r).await.len();
    let wrong_school = bot.as_(HOME_HEAD).click(&button).await;
    wrong_school.assert_refused("the home head confirming the destination's decline");
    assert!(
        wrong_school
            .content
            .starts_with("Only a head of Hillcrest School"),
        "{}",
        wrong_school.content
    );
    bot.as_(COORDINATOR)
        .click(&button)
        .await
        .assert_refused("a coordinator confirming for a school");
    assert_eq!(bot.events(&r).await.len(), before, "refusals write nothing");

    bot.as_(DEST_HEAD)
        .click(&button)
        .await
        .assert_done("confirming the reopen");
    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Proposed, "back where it was");
    assert_eq!(case.closing_reason, None);
    bot.wait_for_post(thread, "Reopened the case").await;
    bot.wait_until("the thread unarchived and unlocked", || {
        bot.fake
            .channel(thread)
            .filter(|t| {
                t["thread_metadata"]["archived"] == false && t["thread_metadata"]["locked"] == false
            })
            .map(|_| ())
    })
    .await;
    let names: Vec<&str> = bot
        .events(&r)
        .await
        .iter()
        .map(|e| e.event.kind.name())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .take(3)
        .collect();
    assert_eq!(names, ["reopened", "reopen_asked", "declined"]);
    // Open again: the destination head may accept it now.
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accepting the reopened proposal");
}
