//! End to end, in-process: changes to a running placement through the fake Discord. Both
//! heads extend it (the second with the Agree button the ask posts in the thread), a second
//! extension is refused, the parent's request for a review is recorded, and an outcome the
//! heads disagree on is kept as a dispute until they agree.

use crate::support;

use managed_moves::domain::{CaseState, Outcome};
use support::fake_discord::Opt;
use support::harness::guild::{DEST_HEAD, DEST_STAFF, HILLCREST_HEAD, HOME_HEAD};
use support::harness::user::choice;
use support::harness::{at_london, day, NewCase, TestBot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heads_extend_a_placement_record_a_parents_request_and_settle_a_disputed_outcome() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    // Tuesday 24 November, six weeks: the final review is Tuesday 5 January.
    bot.make_active(&r, HOME_HEAD, DEST_HEAD).await;
    let thread = bot.thread_of(&r).await;
    let case = || Opt::string("case", &r);
    let extend = |weeks| {
        vec![
            case(),
            Opt::integer("weeks", weeks),
            Opt::string(
                "reason",
                "Attendance improving; two more weeks to secure it",
            ),
        ]
    };

    // Staff cannot extend; a head past the maximum is told the most they may ask for.
    bot.as_(DEST_STAFF)
        .command("move extend", extend(2))
        .await
        .assert_refused("extension by staff");
    let too_long = bot.as_(HOME_HEAD).command("move extend", extend(7)).await;
    too_long.assert_refused("extension past the maximum");
    assert!(
        too_long.content.contains("at most 6"),
        "{}",
        too_long.content
    );

    // The home head asks; the destination head is called in the thread with a button.
    let asked = bot.as_(HOME_HEAD).command("move extend", extend(2)).await;
    asked.assert_done("the ask");
    assert!(
        asked.content.contains("needs the other head"),
        "{}",
        asked.content
    );
    let call = bot
        .wait_for_post(thread, "asks to extend the placement")
        .await;
    let text = call["content"].as_str().unwrap_or("");
    assert!(text.contains(&format!("<@&{HILLCREST_HEAD}>")), "{text}");
    assert!(bot.message_with_button(&format!("mm:extend:{r}")).is_some());
    assert_eq!(bot.case(&r).await.agreement.unwrap().terms.weeks, 6);

    let agreed = bot.as_(DEST_HEAD).click(&format!("mm:extend:{r}")).await;
    agreed.assert_done("agreement by button");
    assert!(agreed.text().contains("6 → 8 weeks"), "{}", agreed.text());
    let extended = bot.case(&r).await;
    let agreement = extended.agreement.unwrap();
    assert_eq!(agreement.terms.weeks, 8);
    assert_eq!(agreement.final_review, day(2027, 1, 19));
    // Once only, whoever asks.
    bot.as_(DEST_HEAD)
        .command("move extend", extend(1))
        .await
        .assert_refused("a second extension");
    bot.as_(DEST_HEAD)
        .click(&format!("mm:extend:{r}"))
        .await
        .assert_refused("the button again");

    // The parent asks for a review: one is due within ten school days.
    bot.set_clock(at_london(day(2026, 12, 1), 10, 0)).await;
    let request = bot
        .as_(DEST_HEAD)
        .command(
            "review requested",
            [case(), Opt::string("on", "2026-12-01")],
        )
        .await;
    request.assert_done("the parent's request");
    assert!(
        request.content.contains("due by 2026-12-15"),
        "{}",
        request.content
    );

    // The final review, then the heads disagree: Riverside confirms permanent, Hillcrest's
    // "returned" is recorded as a dispute and Hillcrest's head is told who and when.
    // The midpoint review comes first (`policy.midpoint_required`).
    bot.set_clock(at_london(day(2027, 1, 5), 15, 0)).await;
    bot.as_(HOME_HEAD)
        .command(
            "review record",
            [
                case(),
                choice("review", 0),
                Opt::string("on", "2027-01-05"),
                Opt::string("notes", "On track"),
            ],
        )
        .await
        .assert_done("midpoint review");
    bot.set_clock(at_london(day(2027, 1, 19), 15, 0)).await;
    bot.as_(HOME_HEAD)
        .command(
            "review record",
            [
                case(),
                choice("review", 1),
                Opt::string("on", "2027-01-19"),
                Opt::string("notes", "Targets met"),
            ],
        )
        .await
        .assert_done("final review");
    let outcome = |o: i64| {
        vec![
            case(),
            choice("outcome", o),
            Opt::string("note", "Our view at the final review"),
        ]
    };
    bot.as_(HOME_HEAD)
        .command("move outcome", outcome(0))
        .await
        .assert_done("permanent by the home head");
    let disputed = bot.as_(DEST_HEAD).command("move outcome", outcome(1)).await;
    disputed.assert_done("returned, recorded as a dispute");
    assert!(
        disputed.content.contains("Not applied"),
        "{}",
        disputed.content
    );
    assert!(
        disputed.content.contains(&format!("<@{}>", HOME_HEAD.id)),
        "{}",
        disputed.content
    );
    assert!(
        disputed.content.contains("2027-01-19"),
        "{}",
        disputed.content
    );
    assert!(
        disputed.text().contains("Outcome disputed"),
        "{}",
        disputed.text()
    );
    let case_now = bot.case(&r).await;
    assert_eq!(case_now.state, CaseState::Active);
    assert_eq!(case_now.disputes.len(), 1);

    // The heads agree: Hillcrest confirms permanent too.
    bot.as_(DEST_HEAD)
        .command("move outcome", outcome(0))
        .await
        .assert_done("permanent by the destination head");
    assert_eq!(bot.case(&r).await.state, CaseState::Transferring);
    bot.complete_transfer(&r, HOME_HEAD, DEST_HEAD).await;
    let closed = bot.case(&r).await;
    assert_eq!(closed.state, CaseState::Completed);
    assert_eq!(closed.outcome, Some(Outcome::Permanent));
}
