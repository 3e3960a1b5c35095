//! End to end, in-process: a permanent move of a pupil with an EHCP through the whole
//! transferring stage, through the fake Discord. Both heads' "permanent" opens the stage
//! (the thread stays open, the board shows the next step); the roll change waits for the
//! local authority's amendment of the named school; a backdated roll change and a removal
//! recorded by the destination are refused privately and write nothing; the records follow;
//! the last step closes the case as permanent and archives and locks its thread.

use crate::support;
use crate::threads::is_archived_and_locked;

use chrono::Days;
use managed_moves::domain::{CaseState, Outcome};
use support::fake_discord::Opt;
use support::harness::guild::{BOARD, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF};
use support::harness::user::choice;
use support::harness::{at_london, is_board, NewCase, TestBot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_move_of_an_ehcp_pupil_goes_through_the_whole_transferring_stage() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        ehcp: true,
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    let r = r.as_str();
    let case = || Opt::string("case", r);
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    let today = bot.today().to_string();
    bot.as_(HOME_HEAD)
        .command("consent ehcp", [case(), Opt::string("on", &today)])
        .await
        .assert_done("the EHCP amendment that includes the move");
    bot.make_active(r, HOME_HEAD, DEST_HEAD).await;

    // Both reviews on their days, then both heads confirm a permanent transfer.
    let agreement = bot.case(r).await.agreement.expect("agreed");
    for (index, on) in [(0, agreement.midpoint_review), (1, agreement.final_review)] {
        bot.set_clock(at_london(on, 15, 0)).await;
        bot.as_(HOME_HEAD)
            .command(
                "review record",
                [
                    case(),
                    choice("review", index),
                    Opt::string("on", &on.to_string()),
                    Opt::string("notes", "Targets met"),
                ],
            )
            .await
            .assert_done("review");
    }
    let confirmed = agreement.final_review;
    for head in [DEST_HEAD, HOME_HEAD] {
        bot.as_(head)
            .command(
                "move outcome",
                [case(), choice("outcome", 0), Opt::string("note", "Agreed")],
            )
            .await
            .assert_done("permanent");
    }
    let transferring = bot.case(r).await;
    assert_eq!(transferring.state, CaseState::Transferring);
    assert_eq!(transferring.outcome, None);
    let thread = bot.thread_of(r).await;
    bot.wait_for_post(thread, "Both heads confirmed the permanent transfer")
        .await;
    bot.settled().await;
    assert!(
        !is_archived_and_locked(&bot, thread),
        "a transferring case is open: its thread stays open"
    );
    let board = bot
        .wait_until("the board showing the transfer's next step", || {
            let board = bot.posts(BOARD).into_iter().rev().find(is_board)?;
            let text = board["embeds"][0]["description"].as_str()?.to_string();
            text.contains("transferring").then_some(text)
        })
        .await;
    assert!(
        board.contains("**local authority: amend the EHCP's named school**"),
        "{board}"
    );

    // The next school day. The roll change waits for the named school's amendment.
    let next = confirmed + Days::new(1);
    bot.set_clock(at_london(next, 10, 0)).await;
    let on = |d: chrono::NaiveDate| Opt::string("on", &d.to_string());
    let la = Opt::string("la_notified", &next.to_string());
    let before = bot.events(r).await.len();
    let early = bot
        .as_(DEST_HEAD)
        .command("transfer registered", [case(), on(next), la.clone()])
        .await;
    early.assert_refused("the roll change before the EHCP amendment");
    assert!(
        early.content.contains("amends the named school first"),
        "{}",
        early.content
    );
    bot.as_(DEST_HEAD)
        .command("transfer ehcp-amended", [case(), on(next)])
        .await
        .assert_done("the named school amended");

    // A backdated roll change, and a removal recorded by the destination: refused,
    // privately, and nothing is written.
    let before_refusals = bot.events(r).await.len();
    assert_eq!(before_refusals, before + 1);
    let backdated = bot
        .as_(DEST_HEAD)
        .command(
            "transfer registered",
            [case(), on(confirmed - Days::new(1)), la.clone()],
        )
        .await;
    backdated.assert_refused("a backdated roll change");
    assert!(
        backdated.content.contains("can't be backdated"),
        "{}",
        backdated.content
    );
    bot.as_(DEST_HEAD)
        .command("transfer removed", [case(), on(next), la.clone()])
        .await
        .assert_refused("a removal recorded by the destination");
    bot.as_(HOME_HEAD)
        .command("transfer removed", [case(), on(next), la.clone()])
        .await
        .assert_refused("the removal before the destination's confirmation");
    assert_eq!(
        bot.events(r).await.len(),
        before_refusals,
        "refusals write nothing"
    );

    // The roll change on one date: destination first, then home.
    bot.as_(DEST_HEAD)
        .command("transfer registered", [case(), on(next), la.clone()])
        .await
        .assert_done("main registration");
    let removed = bot
        .as_(HOME_HEAD)
        .command("transfer removed", [case(), on(next), la.clone()])
        .await;
    removed.assert_done("removal from roll");
    assert!(
        removed.content.contains("child-protection file is due by"),
        "{}",
        removed.content
    );

    // The records: a date in the future is refused; the file, its receipt, then the rest.
    let tomorrow = next + Days::new(1);
    bot.as_(HOME_STAFF)
        .command("transfer records", [case(), on(tomorrow)])
        .await
        .assert_refused("records sent tomorrow");
    bot.as_(HOME_STAFF)
        .command(
            "transfer cp-file",
            [case(), Opt::string("sent", &next.to_string())],
        )
        .await
        .assert_done("child-protection file sent");
    bot.as_(DEST_STAFF)
        .command(
            "transfer cp-received",
            [
                case(),
                on(next),
                Opt::string("lead", "Mrs L. Evans, designated safeguarding lead"),
            ],
        )
        .await
        .assert_done("receipt confirmed");
    let card = bot
        .as_(HOME_HEAD)
        .command("case show", [case()])
        .await
        .text();
    for want in [
        "Permanent transfer",
        "✓ EHCP: the local authority amends the named school (first)",
        "✓ Destination: main registration",
        "✓ Home school: removal from roll (same date)",
        "✓ Receipt confirmed by the destination's safeguarding lead: Mrs L. Evans",
        "… Common transfer file and educational record sent (within 15 school days): due",
    ] {
        assert!(
            card.contains(want),
            "{want:?} missing from the card:\n{card}"
        );
    }
    let last = bot
        .as_(HOME_STAFF)
        .command("transfer records", [case(), on(next)])
        .await;
    last.assert_done("records sent");
    assert!(
        last.content.contains("Completed: permanent transfer"),
        "{}",
        last.content
    );

    let closed = bot.case(r).await;
    assert_eq!(closed.state, CaseState::Completed);
    assert_eq!(closed.outcome, Some(Outcome::Permanent));
    bot.wait_until("the thread archived and locked", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
}
