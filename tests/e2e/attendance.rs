//! End to end, in-process: weekly attendance through the fake Discord. A baseline at
//! `/propose`, three weekly reports by the destination (one below the threshold, flagged
//! on the board, then corrected), bad reports refused privately with nothing written, the
//! missing week's reminder in the case thread, and `/attendance show` with its chart.

use crate::support;

use support::fake_discord::Opt;
use support::harness::guild::{BOARD, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF};
use support::harness::{at_london, day, is_board, propose_options, NewCase, TestBot};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placement_reports_attendance_weekly_and_a_low_week_is_flagged_on_the_board() {
    let bot = TestBot::start().await;
    let mut options = propose_options(&NewCase::default());
    options.push(Opt::number("baseline_attendance", 78.5));
    let reference = bot
        .as_(HOME_HEAD)
        .command("propose", options)
        .await
        .assert_done("the proposal")
        .case_ref();
    let r = reference.as_str();
    let thread = bot.thread_of(r).await;
    bot.wait_for_post(thread, "Please accept or decline").await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    // Started on Tuesday 24 November, for six weeks.
    bot.make_active(r, HOME_HEAD, DEST_HEAD).await;
    let report = |week: &str, possible: i64, attended: i64, extra: Vec<Opt>| {
        let mut o = vec![
            Opt::string("case", r),
            Opt::string("week", week),
            Opt::integer("possible", possible),
            Opt::integer("attended", attended),
        ];
        o.extend(extra);
        o
    };

    // Friday 27 November: the first week (Tuesday to Friday, eight sessions).
    bot.set_clock(at_london(day(2026, 11, 27), 15, 0)).await;
    bot.as_(DEST_STAFF)
        .command("attendance record", report("2026-11-27", 8, 8, vec![]))
        .await
        .assert_done("the first week");
    let events = bot.events(r).await.len();
    for (who, options, what) in [
        (
            DEST_STAFF,
            report("2026-11-27", 8, 7, vec![Opt::integer("unauthorised", 2)]),
            "attended plus absences over possible",
        ),
        (
            DEST_STAFF,
            report("2026-11-27", 8, -1, vec![]),
            "a negative number",
        ),
        (
            DEST_STAFF,
            report("2026-11-17", 10, 10, vec![]),
            "a week before the placement",
        ),
        (
            HOME_STAFF,
            report("2026-11-27", 8, 8, vec![]),
            "the home school's staff",
        ),
    ] {
        bot.as_(who)
            .command("attendance record", options)
            .await
            .assert_refused(what);
    }
    assert_eq!(
        bot.events(r).await.len(),
        events,
        "a refusal writes nothing"
    );

    // Wednesday 9 December, 08:10: the second week's report (owed by Monday 7th) is still
    // missing two school days on, so the overdue reminder is posted in the case thread (a
    // check-in wakes the scheduler); the destination then reports 70%.
    bot.set_clock(at_london(day(2026, 12, 9), 8, 10)).await;
    bot.as_(DEST_STAFF)
        .command(
            "move checkin",
            [
                Opt::string("case", r),
                Opt::string("on", "2026-12-07"),
                Opt::string("note", "Quiet week"),
            ],
        )
        .await
        .assert_done("a check-in");
    bot.wait_for_post(
        thread,
        &format!("`{r}` ⚠️ overdue since Mon 7 Dec: Hillcrest School: report attendance for the week of 30 Nov"),
    )
    .await;
    bot.as_(DEST_STAFF)
        .command(
            "attendance record",
            report(
                "2026-12-02",
                10,
                7,
                vec![
                    Opt::integer("authorised", 3),
                    Opt::integer("late", 2),
                    Opt::string("note", "Three days ill, wombat-note"),
                ],
            ),
        )
        .await
        .assert_done("the second week");
    let flagged = bot
        .wait_until("the board flags the low week", || {
            bot.posts(BOARD).into_iter().find(|m| {
                is_board(m)
                    && m["embeds"][0]["description"]
                        .as_str()
                        .is_some_and(|d| d.contains("attendance low (week of 30 Nov)"))
            })
        })
        .await;
    let board = flagged["embeds"][0]["description"].as_str().unwrap();
    assert!(
        !board.contains("wombat-note") && !board.contains("70"),
        "{board}"
    );

    // The head corrects the week: a correction event, not a second report.
    bot.as_(DEST_HEAD)
        .command(
            "attendance record",
            report("2026-11-30", 10, 8, vec![Opt::integer("authorised", 2)]),
        )
        .await
        .assert_done("the correction");
    let names: Vec<String> = bot
        .events(r)
        .await
        .iter()
        .map(|e| e.event.kind.name().to_string())
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| *n == "attendance_corrected")
            .count(),
        1
    );
    // Friday 11 December: the third week.
    bot.set_clock(at_london(day(2026, 12, 11), 15, 0)).await;
    bot.as_(DEST_STAFF)
        .command("attendance record", report("2026-12-11", 10, 10, vec![]))
        .await
        .assert_done("the third week");

    // The home head sees the weeks, the baseline and the chart; privately.
    let shown = bot
        .as_(HOME_HEAD)
        .command("attendance show", [Opt::string("case", r)])
        .await;
    assert!(shown.ephemeral);
    let text = shown.text();
    for want in [
        "Attendance · MM-2026-0001",
        "80.0% ⚑",
        "100.0%",
        "last term (baseline): 78.5%",
        "During the placement: 92.9%",
    ] {
        assert!(text.contains(want), "{want:?} missing from {text}");
    }
    let uploaded = shown
        .responses
        .iter()
        .flat_map(|r| {
            r.body["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .chain(shown.responses.iter().flat_map(|r| {
            r.body["data"]["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }))
        .any(|a| a["filename"] == "attendance.png");
    assert!(uploaded, "the chart is attached: {:#?}", shown.responses);
    let case = bot.case(r).await;
    assert_eq!(case.attendance.len(), 3);
    assert_eq!(
        case.baseline_attendance.map(|b| b.to_string()).as_deref(),
        Some("78.5%")
    );
}
