//! The initial meeting through the fake Discord: scheduled out of hours (a warning, not a
//! refusal), recorded as held by staff, who came chosen from the menu the reply carries,
//! shown on the case card, and the move starting only after it.

use crate::support;

use managed_moves::domain::meetings::{Attendee, PupilPresence};
use managed_moves::domain::CaseState;
use support::fake_discord::Opt;
use support::harness::guild::{COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD, OTHER_HEAD};
use support::harness::user::choice;
use support::harness::{at_london, day, NewCase, TestBot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_initial_meeting_is_held_with_who_came_before_the_move_starts() {
    let bot = TestBot::start_at(at_london(day(2026, 11, 24), 10, 0)).await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let r = reference.as_str();
    let case = || Opt::string("case", r);
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");

    // 17:30 is after school hours: allowed, with a warning in the reply.
    let late = bot
        .as_(COORDINATOR)
        .command(
            "meeting schedule",
            [case(), Opt::string("at", "2026-11-24 17:30")],
        )
        .await;
    late.assert_done("a meeting after school hours");
    assert!(
        late.content.contains("outside school hours (08:00-17:00)"),
        "{}",
        late.content
    );

    // A day in the future is refused, privately, in one sentence; nothing is written.
    let events = bot.events(r).await.len();
    bot.as_(DEST_STAFF)
        .command("meeting held", [case(), Opt::string("on", "2026-11-25")])
        .await
        .assert_refused("a meeting held tomorrow");
    // Someone from another school is told the case does not exist.
    bot.as_(OTHER_HEAD)
        .command("meeting held", [case(), Opt::string("on", "2026-11-24")])
        .await
        .assert_refused("another school's head");
    assert_eq!(bot.events(r).await.len(), events);

    // Held today; the reply carries the menu of who came.
    bot.set_clock(at_london(day(2026, 11, 24), 18, 30)).await;
    let held = bot
        .as_(DEST_STAFF)
        .command(
            "meeting held",
            [
                case(),
                Opt::string("on", "2026-11-24"),
                Opt::string("positives", "Keen to start, quoll-note"),
                Opt::string("concerns", "Long bus journey"),
            ],
        )
        .await;
    held.assert_done("meeting held");
    let menu = serde_json::to_string(&held.components).unwrap();
    assert!(menu.contains(&format!("mm:attendees:{r}")), "{menu}");
    for key in [
        "parent",
        "la-sen",
        "virtual-school",
        "social-worker",
        "pupil:part",
    ] {
        assert!(menu.contains(key), "the menu offers {key}: {menu}");
    }
    assert!(held.text().contains("who attended: not recorded yet"));

    // Two answers for the pupil, or no attendee at all, are refused and change nothing.
    let menu_id = format!("mm:attendees:{r}");
    bot.as_(DEST_STAFF)
        .choose(&menu_id, &["parent", "pupil:whole", "pupil:part"])
        .await
        .assert_refused("two answers for the pupil");
    bot.as_(DEST_STAFF)
        .choose(&menu_id, &["pupil:whole"])
        .await
        .assert_refused("nobody but the pupil");
    assert!(bot.case(r).await.meeting_held.unwrap().attendance.is_none());

    let chosen = bot
        .as_(DEST_STAFF)
        .choose(
            &menu_id,
            &["parent", "home-staff", "champion", "pupil:part"],
        )
        .await;
    chosen.assert_done("who came");
    let card = chosen.text();
    assert!(
        card.contains("parent/carer, home school staff, pupil champion"),
        "{card}"
    );
    assert!(card.contains("part of the meeting"), "{card}");
    assert!(
        card.contains("quoll-note"),
        "the positives are on the card: {card}"
    );
    let came = bot.case(r).await.meeting_held.unwrap().attendance.unwrap();
    assert!(came.came(Attendee::PupilChampion));
    assert_eq!(came.pupil, PupilPresence::Part);

    // The rest of the gates, then the start.
    bot.make_active_after_meeting(r, HOME_HEAD, DEST_HEAD).await;
    assert_eq!(bot.case(r).await.state, CaseState::Active);
    assert!(
        !bot.logs().contains("quoll-note"),
        "the meeting's notes never reach the logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_records_progress_on_each_target_the_views_and_who_came() {
    let bot = TestBot::start_at(at_london(day(2026, 11, 24), 10, 0)).await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let r = reference.as_str();
    let case = || Opt::string("case", r);
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    // Agreed for 6 weeks from today with one target; the midpoint review is 15 December.
    bot.make_active(r, HOME_HEAD, DEST_HEAD).await;
    bot.set_clock(at_london(day(2026, 12, 15), 14, 0)).await;
    let review = |n| choice("review", n);
    bot.as_(DEST_STAFF)
        .command(
            "review record",
            [
                case(),
                review(1),
                Opt::string("on", "2026-12-15"),
                Opt::string("notes", "Early"),
            ],
        )
        .await
        .assert_refused("a final review before the midpoint");
    bot.as_(DEST_STAFF)
        .command(
            "review details",
            [case(), review(0), Opt::string("targets", "met")],
        )
        .await
        .assert_refused("details before the review is recorded");
    bot.as_(DEST_STAFF)
        .command(
            "review record",
            [
                case(),
                review(0),
                Opt::string("on", "2026-12-15"),
                Opt::string("notes", "On track"),
            ],
        )
        .await
        .assert_done("midpoint review");

    let events = bot.events(r).await.len();
    bot.as_(DEST_STAFF)
        .command(
            "review details",
            [case(), review(0), Opt::string("targets", "met, partly")],
        )
        .await
        .assert_refused("progress on two targets when the agreement has one");
    assert_eq!(bot.events(r).await.len(), events);

    let details = bot
        .as_(DEST_STAFF)
        .command(
            "review details",
            [
                case(),
                review(0),
                Opt::string("targets", "partly"),
                Opt::string("parent_view", "Happier, wombat-view"),
                Opt::string("pupil_view", "I like my form"),
            ],
        )
        .await;
    details.assert_done("review details");
    let menu = serde_json::to_string(&details.components).unwrap();
    assert!(
        menu.contains(&format!("mm:attendees-midpoint:{r}")),
        "{menu}"
    );
    assert!(
        details
            .text()
            .contains("Attend every lesson (partly met at the midpoint review)"),
        "{}",
        details.text()
    );
    bot.as_(DEST_STAFF)
        .choose(&format!("mm:attendees-midpoint:{r}"), &[])
        .await
        .assert_refused("nobody chosen");
    bot.as_(DEST_STAFF)
        .choose(
            &format!("mm:attendees-midpoint:{r}"),
            &["parent", "champion", "pupil:whole"],
        )
        .await
        .assert_done("who came to the review");
    let recorded = bot.case(r).await.review_details["midpoint"].clone();
    let came = recorded.attendance.expect("who came");
    assert!(came.came(Attendee::ParentCarer) && came.came(Attendee::PupilChampion));
    assert_eq!(recorded.pupil_view.unwrap().as_str(), "I like my form");
    assert!(
        !bot.logs().contains("wombat-view"),
        "views never reach the logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_heads_bring_the_final_review_forward() {
    // Started Monday 11 January 2027 for 6 weeks: midpoint Monday 1 February, final Monday
    // 22 February; the placement's last five school days (half-term skipped) start Tuesday
    // 9 February, so Wednesday 3 February needs both heads.
    let bot = TestBot::start_at(at_london(day(2027, 1, 11), 10, 0)).await;
    let reference = bot.propose(HOME_HEAD, &NewCase::default()).await;
    let r = reference.as_str();
    let case = || Opt::string("case", r);
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.make_active(r, HOME_HEAD, DEST_HEAD).await;
    let agreement = bot.case(r).await.agreement.unwrap();
    bot.set_clock(at_london(agreement.midpoint_review, 14, 0))
        .await;
    let when = agreement.midpoint_review.to_string();
    bot.as_(DEST_STAFF)
        .command(
            "review record",
            [
                case(),
                choice("review", 0),
                Opt::string("on", &when),
                Opt::string("notes", "Good"),
            ],
        )
        .await
        .assert_done("midpoint review");
    let early = agreement.midpoint_review + chrono::Days::new(2);
    let forward = |reason: &str| {
        vec![
            case(),
            Opt::string("on", &early.to_string()),
            Opt::string("reason", reason),
        ]
    };
    bot.as_(DEST_STAFF)
        .command("review forward", forward("Targets met"))
        .await
        .assert_refused("staff cannot bring it forward");
    let asked = bot
        .as_(DEST_HEAD)
        .command("review forward", forward("Targets met early"))
        .await;
    asked.assert_done("the first head asks");
    assert!(
        asked.text().contains("the other head must agree"),
        "{}",
        asked.text()
    );
    assert_eq!(bot.case(r).await.final_brought_forward, None);
    bot.as_(HOME_HEAD)
        .command("review forward", forward("Agreed"))
        .await
        .assert_done("the second head agrees");
    let case_now = bot.case(r).await;
    assert_eq!(case_now.final_brought_forward, Some(early));
    assert_eq!(case_now.agreement.unwrap().final_review, early);
}
