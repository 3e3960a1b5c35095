//! Dual registration and the suitability answers, through the fake Discord: the destination
//! head sees every "no" or "unsure" in the call to decide; the move cannot start until the
//! destination has registered the pupil; each school confirms only its own register; the
//! home school's code D, due the next school day, is reminded in the thread once overdue
//! (the escalation rule); `/case show` shows
//! both sides. Refusals are private and change nothing.

use crate::support;

use support::fake_discord::Opt;
use support::harness::guild::{DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF};
use support::harness::user::{choice, UNSURE};
use support::harness::{at_london, day, propose_options, NewCase, Terms, TestBot};

const CONCERN_NOTE: &str = "4: the destination head is away until Friday, okapi-note";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_destination_registers_before_the_start_and_the_home_school_marks_code_d() {
    // Tuesday 24 November 2026, 10:00 in London.
    let bot = TestBot::start().await;
    let new_case = NewCase {
        notes: Some(CONCERN_NOTE),
        ..NewCase::default()
    };
    let mut options: Vec<Opt> = propose_options(&new_case)
        .into_iter()
        .filter(|o| o.0["name"] != "q4_heads")
        .collect();
    options.push(choice("q4_heads", UNSURE));
    let reply = bot.as_(HOME_HEAD).command("propose", options).await;
    let r = reply.assert_done("the proposal").case_ref();
    let r = r.as_str();
    let case = || Opt::string("case", r);

    // The call to decide says which answers are concerns, and its card lists all eight.
    let thread = bot.thread_of(r).await;
    let call = bot.wait_for_post(thread, "Please accept or decline").await;
    let content = call["content"].as_str().unwrap_or("");
    assert!(
        content.contains("1 of 8 answered no or unsure (question 4). Read them before accepting."),
        "{content}"
    );
    let fields = call["embeds"][0]["fields"].as_array().unwrap().clone();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"].as_str().unwrap_or("").starts_with(name))
            .map(|f| f["value"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("no field {name}: {fields:?}"))
    };
    let answers = field("Suitability");
    assert_eq!(answers.matches("✅").count(), 7, "{answers}");
    assert!(
        answers.contains("⚠️ 4. Both heads agreed: **unsure**"),
        "{answers}"
    );
    assert!(field("⚠️ 4. Both heads agreed").contains("okapi-note"));

    bot.as_(DEST_HEAD)
        .command("proposal accept", [case()])
        .await
        .assert_done("accept");
    // Registering, then starting, is refused until its turn; refusals write nothing.
    let today = bot.today().to_string();
    let register = |from: &str, la: &str| {
        vec![
            case(),
            Opt::string("from", from),
            Opt::string("la_notified", la),
        ]
    };
    let before = bot.events(r).await.len();
    let mut wrong = register(&today, &today);
    wrong.push(Opt::string("school", "hillcrest"));
    let refused = bot.as_(HOME_STAFF).command("move registered", wrong).await;
    refused.assert_refused("home staff for the destination");
    assert!(refused
        .text()
        .contains("Hillcrest School's own head or staff"));
    bot.as_(DEST_STAFF)
        .command("move registered", register(&today, "2026-11-25"))
        .await
        .assert_refused("the authority told tomorrow");
    assert_eq!(bot.events(r).await.len(), before, "refusals write nothing");

    bot.as_(DEST_STAFF)
        .command("move registered", register("2026-11-25", &today))
        .await
        .assert_done("subsidiary registration");
    // The rest of the gates, all today; the start waits for the registration's first day.
    bot.meeting_held_today(r, DEST_HEAD).await;
    bot.consents_today(r, HOME_HEAD).await;
    bot.agreement_signed(r, HOME_HEAD, DEST_HEAD, &Terms::starting(&today))
        .await;
    bot.copy_given(r, HOME_HEAD).await;
    bot.before_start(r, HOME_HEAD, DEST_HEAD).await;
    bot.set_clock(at_london(day(2026, 11, 24), 16, 0)).await;
    let early = bot.as_(DEST_HEAD).command("move start", [case()]).await;
    early.assert_refused("a start before the registration");
    assert!(early
        .text()
        .contains("registered the pupil from 2026-11-25"));

    // Wednesday 25th: the move starts; the card shows the home school's side missing.
    bot.set_clock(at_london(day(2026, 11, 25), 9, 0)).await;
    bot.as_(DEST_HEAD)
        .command("move start", [case()])
        .await
        .assert_done("start");
    let shown = bot.as_(HOME_HEAD).command("case show", [case()]).await;
    let text = shown.text();
    assert!(
        text.contains("✓ Hillcrest School: subsidiary registration from Wed 25 Nov 2026"),
        "{text}"
    );
    assert!(
        text.contains("… Riverside Academy: main registration, code D: not confirmed yet"),
        "{text}"
    );

    // Code D is due Thursday 26th; on Monday 30th, two school days on, 08:10: the
    // reminder is posted in the case's thread.
    bot.set_clock(at_london(day(2026, 11, 30), 8, 10)).await;
    // A change wakes the scheduler (as it does the outbox sender).
    bot.as_(HOME_STAFF)
        .command(
            "checklist rate",
            [
                case(),
                Opt::string("item", "staff.senco"),
                choice("rating", 1),
            ],
        )
        .await
        .assert_done("rate");
    let reminder = bot
        .wait_for_post(
            thread,
            "⚠️ overdue since Thu 26 Nov: Riverside Academy: record code D on the home register",
        )
        .await;
    assert!(reminder["content"].as_str().unwrap().contains(r));

    bot.as_(HOME_STAFF)
        .command("move registered", register("2026-11-25", "2026-11-26"))
        .await
        .assert_done("code D");
    let registered = bot.case(r).await.registrations;
    assert_eq!(registered.len(), 2);
    let shown = bot.as_(DEST_STAFF).command("case show", [case()]).await;
    assert!(
        shown
            .text()
            .contains("✓ Riverside Academy: main registration, code D from Wed 25 Nov 2026, LA told Thu 26 Nov 2026"),
        "{}",
        shown.text()
    );
}
