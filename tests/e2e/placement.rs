//! End to end, in-process: a whole placement through the fake Discord, on a clock the test
//! moves week by week. The initial meeting held with who came, registration by both
//! schools at the start, three weekly attendance reports (the low one flagged on the
//! board), the parent's request for a review, the midpoint and final reviews with who came
//! and progress on each target, an extension agreed by both heads, and the outcome, which
//! closes the case and archives and locks its thread.

use crate::support;
use crate::threads::is_archived_and_locked;

use managed_moves::domain::{CaseState, Outcome};
use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{BOARD, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF};
use support::harness::user::choice;
use support::harness::{at_london, day, is_board, logs, propose_options, NewCase, Terms, TestBot};

const TARGETS: &str = "Attend every lesson; Use the time-out card";
const LOW_WEEK_NOTE: &str = "Two days ill, capybara-note";
const PARENT_VIEW: &str = "Much happier, tapir-view";

/// The board's open-cases text, once it says (or no longer says) that a week is low.
async fn board_when(bot: &TestBot, flagged: bool) -> String {
    bot.wait_until("the board's attendance flag", || {
        let board = bot.posts(BOARD).into_iter().find(is_board)?;
        let text = board["embeds"][0]["description"].as_str()?.to_string();
        (text.contains("attendance low (week of 7 Dec)") == flagged).then_some(text)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_placement_runs_from_registration_to_outcome() {
    // Tuesday 24 November 2026, 10:00: Riverside proposes (attendance 78.5% last term) and
    // Hillcrest accepts with the button in the case thread.
    let bot = TestBot::start().await;
    let mut proposal = propose_options(&NewCase::default());
    proposal.push(Opt::number("baseline_attendance", 78.5));
    let r = bot
        .as_(HOME_HEAD)
        .command("propose", proposal)
        .await
        .assert_done("the proposal")
        .case_ref();
    let r = r.as_str();
    let case = || Opt::string("case", r);
    let thread = bot.thread_of(r).await;
    bot.wait_for_post(thread, "Please accept or decline").await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    let agreements = [
        (
            DEST_HEAD,
            "meeting schedule",
            vec![case(), Opt::string("at", "2026-11-26 10:00")],
        ),
        (
            HOME_HEAD,
            "consent parent",
            vec![
                case(),
                Opt::string("witnessed_by", "Ms A. Khan"),
                Opt::string("on", "2026-11-24"),
                Opt::boolean("freely_given", true),
            ],
        ),
        (
            HOME_HEAD,
            "consent pupil",
            vec![case(), Opt::string("on", "2026-11-24")],
        ),
    ];
    for (who, path, options) in agreements {
        bot.as_(who).command(path, options).await.assert_done(path);
    }

    // Thursday 26 November: the meeting is held; who came is chosen from the menu; the
    // agreement (six weeks from Monday 30th, two targets) is signed.
    bot.set_clock(at_london(day(2026, 11, 26), 15, 0)).await;
    bot.as_(DEST_STAFF)
        .command("meeting held", [case(), Opt::string("on", "2026-11-26")])
        .await
        .assert_done("meeting held");
    bot.as_(DEST_STAFF)
        .choose(
            &format!("mm:attendees:{r}"),
            &["parent", "home-staff", "destination-staff", "pupil:whole"],
        )
        .await
        .assert_done("who came to the meeting");
    let terms = Terms {
        targets: TARGETS,
        ..Terms::starting("2026-11-30")
    };
    bot.agreement_signed(r, HOME_HEAD, DEST_HEAD, &terms).await;
    bot.copy_given(r, HOME_HEAD).await;

    // Monday 30 November: Hillcrest registers the pupil, the move starts, Riverside marks
    // code D; both told the local authority the same day.
    bot.set_clock(at_london(day(2026, 11, 30), 8, 30)).await;
    bot.registered(r, DEST_STAFF, "2026-11-30").await;
    bot.before_start(r, HOME_HEAD, DEST_HEAD).await;
    bot.as_(DEST_HEAD)
        .command("move start", [case()])
        .await
        .assert_done("start");
    bot.registered(r, HOME_STAFF, "2026-11-30").await;

    // Three Fridays, three weekly reports by Hillcrest; the second (80%) is at or below
    // the 90% threshold and the board flags it until a better week is reported.
    let weeks = [
        (day(2026, 12, 4), 10, 0, None),
        (day(2026, 12, 11), 8, 2, Some(LOW_WEEK_NOTE)),
        (day(2026, 12, 18), 10, 0, None),
    ];
    for (n, (friday, attended, authorised, note)) in weeks.into_iter().enumerate() {
        bot.set_clock(at_london(friday, 15, 0)).await;
        let mut options = vec![
            case(),
            Opt::string("week", &friday.to_string()),
            Opt::integer("possible", 10),
            Opt::integer("attended", attended),
            Opt::integer("authorised", authorised),
        ];
        options.extend(note.map(|n| Opt::string("note", n)));
        bot.as_(DEST_STAFF)
            .command("attendance record", options)
            .await
            .assert_done("a weekly report");
        let board = board_when(&bot, n == 1).await;
        assert!(
            !board.contains("capybara-note") && !board.contains("80"),
            "{board}"
        );
        // Monday 14 December: the parent asks for a review; one is due in ten school days.
        if n == 1 {
            bot.set_clock(at_london(day(2026, 12, 14), 10, 0)).await;
            let asked = bot
                .as_(HOME_HEAD)
                .command(
                    "review requested",
                    [case(), Opt::string("on", "2026-12-14")],
                )
                .await;
            asked.assert_done("the parent's request");
            assert!(asked.content.contains("due by"), "{}", asked.content);
        }
    }

    // The midpoint review on its day, with progress on each target, the views and who came.
    let agreement = bot.case(r).await.agreement.expect("agreed");
    let midpoint = agreement.midpoint_review;
    assert!(
        midpoint > day(2026, 12, 18),
        "after the third week: {midpoint}"
    );
    review(
        &bot,
        r,
        0,
        midpoint,
        "partly, met",
        &["parent", "champion", "pupil:whole"],
    )
    .await;

    // The same afternoon both heads extend the placement by two weeks: Riverside asks,
    // Hillcrest agrees with the button posted in the thread; the parent agrees again.
    let extend = [
        case(),
        Opt::integer("weeks", 2),
        Opt::string(
            "reason",
            "Attendance improving; two more weeks to secure it",
        ),
    ];
    bot.as_(HOME_HEAD)
        .command("move extend", extend)
        .await
        .assert_done("the ask");
    bot.wait_for_post(thread, "asks to extend the placement")
        .await;
    let agreed = bot.as_(DEST_HEAD).click(&format!("mm:extend:{r}")).await;
    agreed.assert_done("agreed by button");
    assert!(agreed.text().contains("6 → 8 weeks"), "{}", agreed.text());
    bot.as_(HOME_HEAD)
        .command(
            "consent parent",
            [
                case(),
                Opt::string("witnessed_by", "Ms A. Khan"),
                Opt::string("on", &midpoint.to_string()),
                Opt::boolean("freely_given", true),
            ],
        )
        .await
        .assert_done("the parent's agreement to eight weeks");
    let extended = bot.case(r).await.agreement.expect("agreed");
    assert_eq!(extended.terms.weeks, 8);
    assert!(extended.final_review > agreement.final_review);

    // The final review on its new day; then both heads confirm a permanent transfer.
    let final_review = extended.final_review;
    review(
        &bot,
        r,
        1,
        final_review,
        "met, met",
        &["parent", "home-staff", "pupil:part"],
    )
    .await;
    for head in [DEST_HEAD, HOME_HEAD] {
        bot.as_(head)
            .command(
                "move outcome",
                [case(), choice("outcome", 0), Opt::string("note", "Agreed")],
            )
            .await
            .assert_done("permanent transfer");
    }
    assert_eq!(bot.case(r).await.state, CaseState::Transferring);
    bot.complete_transfer(r, HOME_HEAD, DEST_HEAD).await;
    let closed = bot.case(r).await;
    assert_eq!(closed.state, CaseState::Completed);
    assert_eq!(closed.outcome, Some(Outcome::Permanent));

    // What the people on the case see on its card.
    let shown = bot.as_(HOME_HEAD).command("case show", [case()]).await;
    assert!(shown.ephemeral);
    let card = shown.text();
    let long = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    for want in [
        "✓ Hillcrest School: subsidiary registration from Mon 30 Nov 2026".to_string(),
        "✓ Riverside Academy: main registration, code D from Mon 30 Nov 2026, LA told Mon 30 Nov 2026".into(),
        "Thu 26 Nov 2026\nparent/carer, home school staff, destination school staff; the pupil was there for the whole meeting".into(),
        format!("midpoint {} ✓", long(midpoint)),
        format!("final {} ✓", long(final_review)),
        "At the midpoint review: parent/carer, pupil champion; the pupil was there for the whole meeting".into(),
        "At the final review: parent/carer, home school staff; the pupil was there for part of the meeting".into(),
        "• Attend every lesson (met at the final review)".into(),
        "• Use the time-out card (met at the final review)".into(),
        "6 → 8 weeks".into(),
        format!("Parent's agreement to the new length: given on {}", long(midpoint)),
        "asked on Mon 14 Dec 2026: a review has been held since".into(),
        "93.3% over 3 week(s) · baseline 78.5%".into(),
        "Outcome: permanent transfer to the destination school".into(),
    ] {
        assert!(card.contains(&want), "{want:?} missing from the card:\n{card}");
    }

    // The thread got each step, in order; then it was archived and locked.
    bot.wait_until("the thread archived and locked", || {
        is_archived_and_locked(&bot, thread).then_some(())
    })
    .await;
    let posts = bot.posts(thread);
    let texts: Vec<&str> = posts.iter().filter_map(|m| m["content"].as_str()).collect();
    let mut at = 0;
    for want in [
        "Accepted the proposal",
        "Recorded the initial meeting as held on 2026-11-26",
        "Recorded who attended the initial meeting (3)",
        "Recorded the agreement: start 2026-11-30, 6 weeks",
        "Confirmed Hillcrest School's side of the dual registration, from 2026-11-30",
        "Started the move on 2026-11-30",
        "Confirmed Riverside Academy's side of the dual registration, from 2026-11-30",
        "Reported attendance for the week of 2026-11-30",
        "Reported attendance for the week of 2026-12-07",
        "Recorded the parent's request for a review of 2026-12-14",
        "Reported attendance for the week of 2026-12-14",
        "Recorded the midpoint review held on",
        "asks to extend the placement",
        "placement extended by 2 weeks to 8 weeks",
        "Recorded the final review held on",
        "Confirmed permanent transfer for Hillcrest School",
        "Completed",
    ] {
        let Some(i) = texts[at..].iter().position(|t| t.contains(want)) else {
            panic!(
                "the thread lacks {want:?} (in order):\n{}",
                texts.join("\n")
            );
        };
        at += i + 1;
    }
    let last = posts
        .last()
        .map(|m| m["content"].clone())
        .unwrap_or(Value::Null);
    assert!(
        last.as_str().is_some_and(|t| t.contains("Completed")),
        "{last}"
    );
    logs::assert_clean(&bot.logs(), &["capybara-note", "tapir-view", "Z.Q."]);
}

/// Records a review (0 midpoint, 1 final) on its day, its progress on each target and the
/// parent's view, then who came from the menu `/review details` answers with.
async fn review(
    bot: &TestBot,
    r: &str,
    which: i64,
    on: chrono::NaiveDate,
    progress: &str,
    came: &[&str],
) {
    bot.set_clock(at_london(on, 14, 0)).await;
    let case = || Opt::string("case", r);
    bot.as_(DEST_HEAD)
        .command(
            "review record",
            [
                case(),
                choice("review", which),
                Opt::string("on", &on.to_string()),
                Opt::string("notes", "Reviewed with the family"),
            ],
        )
        .await
        .assert_done("review");
    bot.as_(DEST_STAFF)
        .command(
            "review details",
            [
                case(),
                choice("review", which),
                Opt::string("targets", progress),
                Opt::string("parent_view", PARENT_VIEW),
            ],
        )
        .await
        .assert_done("review details");
    let menu = ["midpoint", "final"][which as usize];
    bot.as_(DEST_STAFF)
        .choose(&format!("mm:attendees-{menu}:{r}"), came)
        .await
        .assert_done("who came to the review");
}
