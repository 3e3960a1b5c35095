//! The family's part and the law (issue 14, items 5 and 8), through the fake Discord: in a
//! partnership whose legal basis is an off-site direction, the home head gives the parent
//! their copy of the agreement and the written notice, and the move cannot start one school
//! day after the notice, only two. Refusals are private, one sentence, and change nothing.

use crate::support;

use support::fake_discord::Opt;
use support::harness::guild::{DEST_HEAD, HOME_HEAD};
use support::harness::user::{choice, Reply};
use support::harness::{at_london, day, propose_options, school_morning, NewCase, Terms, TestBot};

const OFF_SITE: &str = "\n[policy]\nlegal_basis = \"off_site_direction\"\n";

/// The file names the bot attached to its answer.
fn attachments(reply: &Reply) -> Vec<String> {
    reply
        .responses
        .iter()
        .flat_map(|r| {
            let body = if r.body.get("data").is_some() {
                &r.body["data"]
            } else {
                &r.body
            };
            body["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| a["filename"].as_str().map(str::to_owned))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_off_site_direction_partnership_refuses_a_start_one_school_day_after_the_notice() {
    // Tuesday 24 November 2026, 10:00 in London.
    let bot = TestBot::start_configured(school_morning(), |t| t + OFF_SITE).await;
    // A proposal for attendance alone is warned about, not refused.
    let mut options: Vec<Opt> = propose_options(&NewCase::default())
        .into_iter()
        .filter(|o| o.0["name"] != "reason")
        .collect();
    options.push(choice("reason", 1));
    let proposed = bot.as_(HOME_HEAD).command("propose", options).await;
    proposed.assert_done("an attendance-only proposal");
    assert!(
        proposed
            .text()
            .contains("a direction is for improving behaviour")
            || proposed
                .text()
                .contains("off-site direction is for improving behaviour"),
        "{}",
        proposed.text()
    );
    let r = proposed.case_ref();
    let r = r.as_str();
    // The thread's call to decide names the placement by the legal basis.
    let thread = bot.thread_of(r).await;
    bot.wait_for_post(thread, "proposes an off-site direction to Hillcrest School")
        .await;
    let c = || Opt::string("case", r);
    let today = bot.today().to_string();
    bot.as_(DEST_HEAD)
        .command("proposal accept", [c()])
        .await
        .assert_done("accept");
    bot.meeting_held_today(r, DEST_HEAD).await;
    bot.consents_today(r, HOME_HEAD).await;
    bot.agreement_signed(r, HOME_HEAD, DEST_HEAD, &Terms::starting(&today))
        .await;
    bot.registered(r, DEST_HEAD, &today).await;
    bot.before_start(r, HOME_HEAD, DEST_HEAD).await;

    // The parent's copy: the PDF, then the home head records it given.
    let copy = bot
        .as_(HOME_HEAD)
        .command("document parent-copy", [c()])
        .await;
    assert!(copy.ephemeral);
    assert_eq!(attachments(&copy), [format!("{r}-parent-copy.pdf")]);
    let refused = bot
        .as_(DEST_HEAD)
        .command(
            "consent copy-given",
            [
                c(),
                Opt::string("on", &today),
                Opt::string("how", "By hand"),
            ],
        )
        .await;
    refused.assert_refused("the destination recording the home school's copy");
    bot.as_(HOME_HEAD)
        .command(
            "consent copy-given",
            [
                c(),
                Opt::string("on", &today),
                Opt::string("how", "By hand"),
            ],
        )
        .await
        .assert_done("the parent's copy given");

    // No notice yet: the start is blocked and says what is missing.
    let blocked = bot.as_(HOME_HEAD).command("move start", [c()]).await;
    blocked.assert_refused("a start before the notice");
    assert!(
        blocked.text().contains("written notice"),
        "{}",
        blocked.text()
    );

    // Wednesday 25th: a notice stating a start under two school days away is refused and
    // writes nothing; stating Friday 27th, it is made, and recorded as given.
    bot.set_clock(at_london(day(2026, 11, 25), 9, 0)).await;
    let before = bot.events(r).await.len();
    let early = bot
        .as_(HOME_HEAD)
        .command("document notice", [c(), Opt::string("start", "2026-11-26")])
        .await;
    early.assert_refused("a notice start one school day away");
    assert!(
        early
            .text()
            .contains("Friday 27 November 2026 at the earliest"),
        "{}",
        early.text()
    );
    assert!(attachments(&early).is_empty());
    let notice = bot
        .as_(HOME_HEAD)
        .command("document notice", [c(), Opt::string("start", "2026-11-27")])
        .await;
    assert_eq!(attachments(&notice), [format!("{r}-notice.pdf")]);
    assert_eq!(bot.events(r).await.len(), before, "documents write nothing");
    let given = bot
        .as_(HOME_HEAD)
        .command(
            "consent notice-given",
            [
                c(),
                Opt::string("on", "2026-11-25"),
                Opt::string("how", "By hand at the home school"),
            ],
        )
        .await;
    given.assert_done("the notice given");
    assert!(
        given.text().contains("Written notice given"),
        "{}",
        given.text()
    );

    // Thursday 26th, one school day after the notice: refused, nothing written.
    bot.set_clock(at_london(day(2026, 11, 26), 9, 0)).await;
    let before = bot.events(r).await.len();
    let refused = bot.as_(DEST_HEAD).command("move start", [c()]).await;
    refused.assert_refused("a start one school day after the notice");
    assert!(
        refused.text().contains("Friday 27 November 2026"),
        "{}",
        refused.text()
    );
    assert_eq!(bot.events(r).await.len(), before);
    assert_eq!(bot.case(r).await.state.as_str(), "agreeing");

    // Friday 27th, two school days after: the move starts. (Refusals wake no scheduler, so
    // Thursday's reminders are still waiting: the clock moves on without settling them.)
    bot.clock().set(at_london(day(2026, 11, 27), 9, 0));
    bot.as_(DEST_HEAD)
        .command("move start", [c()])
        .await
        .assert_done("the start two school days after the notice");
    assert_eq!(bot.case(r).await.started_on, Some(day(2026, 11, 27)));
}
