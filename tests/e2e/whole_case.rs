//! End to end, in-process: one managed move from `/propose` to a permanent transfer, driven
//! through the fake Discord exactly as people would (slash commands and a button), on a
//! clock the test moves through the placement.

use crate::support;

use managed_moves::domain::{CaseState, Outcome};
use serde_json::Value;
use support::fake_discord::Opt;
use support::harness::guild::{
    BOARD, CASES, DEST_HEAD, DEST_STAFF, HILLCREST_HEAD, HOME_HEAD, HOME_STAFF,
};
use support::harness::user::choice;
use support::harness::{at_london, day, logs, NewCase, Terms, TestBot, TOKEN};

const INITIALS: &str = "Z.Q.";
const TRIED: &str = "Mentoring with tried-wombat; pastoral support plan";
const NOTES: &str = "3: bus route checked marmalade-note";
const CHECK_IN_NOTE: &str = "Settling well, quokka-note";
const REVIEW_NOTE: &str = "Targets mostly met, pangolin-note";
const FINAL_NOTE: &str = "All targets met, narwhal-note";

fn content(m: &Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_managed_move_from_proposal_to_permanent_transfer() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        initials: INITIALS,
        tried: TRIED,
        notes: Some(NOTES),
        ..NewCase::default()
    };

    // Tuesday 24 November: Riverside's head proposes; the case gets a private thread named
    // by its reference only, where Hillcrest's head is called to decide.
    let reference = bot.propose(HOME_HEAD, &new_case).await;
    assert_eq!(reference, "MM-2026-0001");
    let r = reference.as_str();
    let case = || Opt::string("case", r);
    let thread = bot.thread_of(r).await;
    let thread_obj = bot.fake.channel(thread).expect("the thread exists");
    assert_eq!(
        thread_obj["name"], r,
        "the thread is named by reference only"
    );
    assert_eq!(thread_obj["type"], 12, "a private thread");
    assert_eq!(thread_obj["parent_id"], CASES.to_string());
    let call = bot.wait_for_post(thread, "Please accept or decline").await;
    assert!(
        content(&call).contains(&format!("<@&{HILLCREST_HEAD}>")),
        "the destination head's role is called: {}",
        content(&call)
    );
    let create_call = bot
        .posted_to(thread)
        .into_iter()
        .find(|p| p.body["content"] == call["content"])
        .expect("the call was posted");
    assert_eq!(
        create_call.body["allowed_mentions"]["roles"],
        serde_json::json!([HILLCREST_HEAD.to_string()]),
        "only the destination head's role is pinged"
    );
    // A role mention brings nobody into a private thread: the people on the case are
    // added one by one, and the introduction mentions nobody.
    let intro = bot.wait_for_post(thread, "Private thread for case").await;
    assert!(!content(&intro).contains("<@"), "{}", content(&intro));
    let members = bot.fake.thread_member_ids(thread);
    for person in [HOME_HEAD, HOME_STAFF, DEST_HEAD, DEST_STAFF] {
        assert!(
            members.contains(&person.id),
            "{} is in the thread",
            person.name
        );
    }

    // The destination head accepts with the button on that message.
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept by button");

    bot.as_(DEST_HEAD)
        .command(
            "meeting schedule",
            [
                case(),
                Opt::string("at", "2026-11-26 10:00"),
                Opt::string("place", "Hillcrest, meeting room 2"),
            ],
        )
        .await
        .assert_done("meeting");
    bot.as_(HOME_HEAD)
        .command(
            "consent parent",
            [
                case(),
                Opt::string("witnessed_by", "Ms A. Khan, inclusion lead"),
                Opt::string("on", "2026-11-24"),
                Opt::boolean("freely_given", true),
            ],
        )
        .await
        .assert_done("parent consent");
    bot.as_(HOME_HEAD)
        .command("consent pupil", [case(), Opt::string("on", "2026-11-24")])
        .await
        .assert_done("pupil consent");
    for (who, item, rating) in [
        (DEST_STAFF, "staff.senco", 1),
        (DEST_STAFF, "parents.transition-advice", 2),
    ] {
        bot.as_(who)
            .command(
                "checklist rate",
                [
                    case(),
                    Opt::string("item", item),
                    choice("rating", rating),
                    Opt::string("comment", "Discussed at the planning call"),
                ],
            )
            .await
            .assert_done("checklist rating");
    }
    // Wednesday 25 November, just after 08:00: the day-before reminder of the meeting is
    // due. The scheduler wakes when the next command comes in (here, a rating) and posts it
    // in the thread, on time.
    bot.set_clock(at_london(day(2026, 11, 25), 8, 10)).await;
    bot.as_(HOME_STAFF)
        .command(
            "checklist rate",
            [
                case(),
                Opt::string("item", "pupil.pen-portrait"),
                choice("rating", 0),
            ],
        )
        .await
        .assert_done("checklist rating");
    let day_before = bot
        .wait_for_post(
            thread,
            &format!("The initial meeting for `{r}` is on Thu 26 Nov at 10:00"),
        )
        .await;
    assert!(
        content(&day_before).starts_with('⏰'),
        "{}",
        content(&day_before)
    );
    assert!(
        !content(&day_before).contains("Late reminder"),
        "due at 08:00, posted at 08:10: on time: {}",
        content(&day_before)
    );
    let checklist = bot
        .as_(DEST_STAFF)
        .command("checklist show", [case()])
        .await;
    assert!(checklist.ephemeral && checklist.text().contains("senco"));

    // Thursday 26 November, after the meeting: the agreement, signed by both heads.
    bot.set_clock(at_london(day(2026, 11, 26), 15, 0)).await;
    bot.as_(DEST_STAFF)
        .command("meeting held", [case(), Opt::string("on", "2026-11-26")])
        .await
        .assert_done("meeting held");
    bot.as_(DEST_STAFF)
        .choose(
            &format!("mm:attendees:{r}"),
            &[
                "parent",
                "home-staff",
                "destination-staff",
                "champion",
                "pupil:whole",
            ],
        )
        .await
        .assert_done("who attended");
    let terms = Terms {
        weeks: 12,
        targets: "Attend every lesson; use the time-out card",
        if_fails: "Returns home with a reintegration plan",
        ..Terms::starting("2026-11-30")
    };
    bot.agreement_signed(r, HOME_HEAD, DEST_HEAD, &terms).await;
    bot.copy_given(r, HOME_HEAD).await;

    // Monday 30 November: the destination registers the pupil, the move starts, the home
    // school marks code D; a week later, a check-in.
    bot.set_clock(at_london(day(2026, 11, 30), 8, 30)).await;
    bot.registered(r, DEST_STAFF, "2026-11-30").await;
    bot.before_start(r, HOME_HEAD, DEST_HEAD).await;
    bot.as_(DEST_HEAD)
        .command("move start", [case()])
        .await
        .assert_done("start");
    bot.registered(r, HOME_HEAD, "2026-11-30").await;
    bot.set_clock(at_london(day(2026, 12, 7), 15, 0)).await;
    bot.as_(DEST_STAFF)
        .command(
            "move checkin",
            [
                case(),
                Opt::string("on", "2026-12-07"),
                Opt::string("note", CHECK_IN_NOTE),
            ],
        )
        .await
        .assert_done("check-in");

    // The reviews, on the dates the agreement set (moved onto school days). Each review
    // day starts with a check-in at 08:10, just after the day's reminders fall due: the
    // command wakes the scheduler, which posts "the review is today" on time. Reminders
    // that fell due while the clock jumped weeks ahead are caught up, marked late.
    let agreement = bot.case(r).await.agreement.expect("agreement recorded");
    let (midpoint, final_review) = (agreement.midpoint_review, agreement.final_review);
    assert!(midpoint > day(2026, 12, 7) && final_review > midpoint);
    for (n, (when, who, review, notes)) in [
        (midpoint, DEST_STAFF, 0, REVIEW_NOTE),
        (final_review, DEST_HEAD, 1, FINAL_NOTE),
    ]
    .into_iter()
    .enumerate()
    {
        bot.set_clock(at_london(when, 8, 10)).await;
        bot.as_(DEST_STAFF)
            .command(
                "move checkin",
                [
                    case(),
                    Opt::string("on", &when.to_string()),
                    Opt::string("note", CHECK_IN_NOTE),
                ],
            )
            .await
            .assert_done("check-in on the review day");
        let name = ["midpoint", "final"][n];
        let today = bot
            .wait_for_post(thread, &format!("The {name} review for `{r}` is today"))
            .await;
        assert!(
            !content(&today).contains("Late reminder"),
            "due at 08:00, posted at 08:10: {}",
            content(&today)
        );
        bot.set_clock(at_london(when, 14, 0)).await;
        bot.as_(who)
            .command(
                "review record",
                [
                    case(),
                    choice("review", review),
                    Opt::string("on", &when.to_string()),
                    Opt::string("notes", notes),
                ],
            )
            .await
            .assert_done("review");
    }

    // Both heads confirm the permanent transfer; the second confirmation completes it.
    let first = bot
        .as_(DEST_HEAD)
        .command(
            "move outcome",
            [
                case(),
                choice("outcome", 0),
                Opt::string("note", "Agreed at the final review"),
            ],
        )
        .await;
    first.assert_done("first confirmation");
    assert!(!first.content.contains("Completed"), "{}", first.content);
    let second = bot
        .as_(HOME_HEAD)
        .command(
            "move outcome",
            [
                case(),
                choice("outcome", 0),
                Opt::string("note", "Agreed at the final review"),
            ],
        )
        .await;
    second.assert_done("second confirmation");
    assert!(
        second
            .content
            .contains("Both heads confirmed the permanent transfer"),
        "{}",
        second.content
    );
    assert_eq!(bot.case(r).await.state, CaseState::Transferring);
    bot.complete_transfer(r, HOME_HEAD, DEST_HEAD).await;

    let done = bot.case(r).await;
    assert_eq!(done.state, CaseState::Completed);
    assert_eq!(done.outcome, Some(Outcome::Permanent));
    bot.settled().await;

    // The thread got every event once, in order, and the reminders between them.
    let posts = bot.posts(thread);
    let (reminders, event_posts): (Vec<&Value>, Vec<&Value>) =
        posts.iter().partition(|m| content(m).starts_with('⏰'));
    let texts: Vec<&str> = event_posts.iter().map(|m| content(m)).collect();
    let expected = [
        "Private thread for case",
        "Proposed a managed move",
        "Please accept or decline",
        "Accepted the proposal",
        "Scheduled the initial meeting for 2026-11-26",
        "Recorded parent/carer agreement",
        "Recorded the pupil's agreement",
        "Rated staff.senco amber",
        "Rated parents.transition-advice green",
        "Rated pupil.pen-portrait red",
        "Recorded the agreement: start 2026-11-30, 12 weeks",
        "Signed the agreement for Hillcrest School",
        "Started the move on 2026-11-30",
        "Logged a check-in on 2026-12-07",
        "Recorded the midpoint review",
        "Recorded the final review",
        "Confirmed permanent transfer for Hillcrest School",
        "Confirmed permanent transfer for Riverside Academy",
        "Completed",
    ];
    let mut at = 0;
    for want in expected {
        let found = texts[at..].iter().position(|t| t.contains(want));
        let Some(i) = found else {
            panic!(
                "the thread lacks {want:?} (in order); it has:\n{}",
                texts.join("\n")
            )
        };
        at += i + 1;
    }
    for want in expected {
        let n = texts.iter().filter(|t| t.contains(want)).count();
        assert_eq!(n, 1, "{want:?} posted {n} times:\n{}", texts.join("\n"));
    }
    let events = bot.events(r).await;
    assert_eq!(
        event_posts.len(),
        events.len() + 3,
        "one post per event, plus the intro, the call to decide and the signed agreement:\n{}",
        texts.join("\n")
    );
    // Nothing was sent twice: each outbox row's nonce was posted once.
    let nonces = bot.nonce_posts(thread);
    assert!(
        nonces.values().all(|n| *n == 1),
        "a message was posted twice: {nonces:?}"
    );
    assert_eq!(nonces.len(), posts.len(), "every post carries a nonce");

    // Reminders: the meeting's (on time), and those whose time passed while the clock
    // jumped weeks ahead, caught up once each and marked late. They name the case by
    // reference only, never the pupil.
    let reminder_texts: Vec<&str> = reminders.iter().map(|m| content(m)).collect();
    let all = reminder_texts.join("\n");
    for want in [
        "is on Thu 26 Nov at 10:00",
        "is today at 10:00",
        "A check-in with the pupil is due",
        &format!("The midpoint review for `{r}` is on"),
        &format!("The final review for `{r}` is on"),
    ] {
        assert!(all.contains(want), "no reminder saying {want:?}:\n{all}");
    }
    assert!(
        all.contains("Late reminder"),
        "missed reminders are marked late:\n{all}"
    );
    for t in &reminder_texts {
        assert!(t.contains(r) && !t.contains(INITIALS), "{t}");
    }
    for m in &posts {
        assert!(
            !content(m).contains(CHECK_IN_NOTE) && !content(m).contains(REVIEW_NOTE),
            "notes stay on the case card, not in thread posts: {}",
            content(m)
        );
    }
    let (_, members) = bot
        .fake
        .threads()
        .into_iter()
        .find(|(t, _)| t["name"] == r)
        .expect("thread");
    for who in [HOME_HEAD, DEST_HEAD, DEST_STAFF, HOME_STAFF] {
        assert!(
            members.contains(&who.id),
            "{} was added to the thread",
            who.name
        );
    }

    // The board: posted once, then edited in place; now it has no open case.
    assert_eq!(
        bot.board_posts(),
        1,
        "the board is posted once, never again"
    );
    assert!(
        bot.edits_in(BOARD).len() >= 5,
        "the board is edited as the case moves: {} edits",
        bot.edits_in(BOARD).len()
    );
    let board = bot.board().await;
    assert_eq!(board["embeds"][0]["description"], "No open cases.");
    for m in bot.posts(BOARD) {
        assert!(
            !m.to_string().contains(INITIALS),
            "no initials in the coordinators' channel"
        );
    }

    // No channel or thread name carries a pupil's initials or a school's name.
    for (t, _) in bot.fake.threads() {
        let name = t["name"].as_str().unwrap_or("");
        assert!(
            name.starts_with("MM-") && !name.contains(INITIALS),
            "{name}"
        );
        for school in ["Riverside", "Hillcrest", "riverside", "hillcrest"] {
            assert!(!name.contains(school), "{name}");
        }
    }

    // The history is there for a coordinator, privately.
    let history = bot
        .as_(support::harness::guild::COORDINATOR)
        .command("case history", [case()])
        .await;
    assert!(history.ephemeral);
    assert!(history.content.contains("Completed") || history.content.contains("completed"));

    assert!(
        bot.fake.recorder().unknown_routes().is_empty(),
        "the bot called routes the fake does not know: {:?}",
        bot.fake.recorder().unknown_routes()
    );

    // Reminders: the scheduler (src/scheduler) has not landed yet, so none are checked here.

    let logs = bot.logs();
    assert!(
        logs.contains("command applied") && logs.contains(r),
        "the capture works: the bot's progress is logged"
    );
    logs::assert_clean(
        &logs,
        &[
            INITIALS,
            "tried-wombat",
            "marmalade-note",
            "quokka-note",
            "pangolin-note",
            "narwhal-note",
            TOKEN,
        ],
    );
}
