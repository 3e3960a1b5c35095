//! End to end, in-process (issue 15, item 2): the coordinators' board in sections by
//! urgency, with a case in every section, updating as steps are done (a case leaves
//! "waiting" when the coordinators give the extra approval); and the board's menu opening
//! a case privately, with the buttons the coordinator has on it.

use crate::support;

use managed_moves::domain::urgency::Section;
use support::fake_discord::Opt;
use support::harness::guild::{BOARD, COORDINATOR, DEST_HEAD, HOME_HEAD, OTHER_HEAD};
use support::harness::{at_london, day, is_board, NewCase, TestBot};

/// A proposal accepted by the destination, with its initial meeting at `meeting` (if any).
async fn accepted(bot: &TestBot, year: i64, meeting: Option<&str>) -> String {
    let r = bot
        .propose(
            HOME_HEAD,
            &NewCase {
                year,
                ..NewCase::default()
            },
        )
        .await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    if let Some(at) = meeting {
        bot.as_(COORDINATOR)
            .command(
                "meeting schedule",
                [Opt::string("case", &r), Opt::string("at", at)],
            )
            .await
            .assert_done("meeting schedule");
    }
    r
}

/// The board's text by section title: the references listed under each.
fn sections(board: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let body = board["embeds"][0]["description"].as_str().unwrap_or("");
    body.split("\n\n")
        .map(|part| {
            let mut lines = part.lines();
            let heading = lines.next().unwrap_or("").to_string();
            let refs = lines
                .filter_map(|l| l.strip_prefix('`'))
                .map(|l| l[..12].to_string())
                .collect();
            (heading, refs)
        })
        .collect()
}

/// The references under one section, once the board shows what `ready` wants.
async fn board_when(
    bot: &TestBot,
    what: &str,
    ready: impl Fn(&[(String, Vec<String>)]) -> bool,
) -> serde_json::Value {
    bot.wait_until(what, || {
        let board = bot.posts(BOARD).into_iter().find(is_board)?;
        ready(&sections(&board)).then_some(board)
    })
    .await
}

fn under(board: &[(String, Vec<String>)], section: Section) -> Option<&Vec<String>> {
    board
        .iter()
        .find(|(heading, _)| heading.starts_with(&format!("**{}", section.title())))
        .map(|(_, refs)| refs)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_has_a_case_in_every_section_and_updates_as_steps_are_done() {
    // Tuesday 24 November: meetings on Wednesday (this week), Friday and the next Tuesday.
    let bot = TestBot::start().await;
    let soon = accepted(&bot, 9, Some("2026-11-25 14:00")).await;
    let friday = accepted(&bot, 9, Some("2026-11-27 14:00")).await;
    let later = accepted(&bot, 9, Some("2026-12-01 14:00")).await;
    let exam_year = accepted(&bot, 10, None).await;
    let proposed = bot.propose(HOME_HEAD, &NewCase::default()).await;

    let board = board_when(&bot, "every case on the board", |b| {
        under(b, Section::Waiting).is_some_and(|w| w.contains(&exam_year))
            && under(b, Section::ThisWeek).is_some_and(|r| r.len() == 3)
    })
    .await;
    let s = sections(&board);
    assert_eq!(
        under(&s, Section::ThisWeek).unwrap(),
        &vec![soon.clone(), friday.clone(), proposed.clone()],
        "each by the day its next step is due: the meetings, and the answer by Friday"
    );
    assert_eq!(under(&s, Section::Running).unwrap(), &vec![later.clone()]);
    assert!(
        under(&s, Section::Overdue).is_none(),
        "nothing overdue yet: {s:?}"
    );
    let footer = board["embeds"][0]["footer"]["text"].as_str().unwrap();
    assert!(
        footer.starts_with("0 overdue · 3 this week · 1 waiting · 1 running · 5 open · updated "),
        "{footer}"
    );
    let text = board["embeds"][0]["description"].as_str().unwrap();
    assert!(
        text.contains("Riverside Academy → Hillcrest School"),
        "{text}"
    );
    assert!(
        !text.contains("hillcrest ") && !text.contains("Z.Q."),
        "{text}"
    );

    // Thursday: Wednesday's meeting is past. The coordinator opens the exam-year case from
    // the board's menu: its card, privately, with the approval's buttons.
    bot.set_clock(at_london(day(2026, 11, 26), 10, 0)).await;
    let menu = board["components"][0]["components"][0].clone();
    assert_eq!(menu["custom_id"], "board_case");
    let options: Vec<&str> = menu["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["value"].as_str().unwrap())
        .collect();
    assert_eq!(options.len(), 5, "{options:?}");
    let opened = bot
        .as_(COORDINATOR)
        .choose("board_case", &[&exam_year])
        .await;
    assert!(opened.ephemeral);
    assert!(opened.title().starts_with(&exam_year), "{}", opened.title());
    let buttons = serde_json::to_string(&opened.components).unwrap();
    assert!(
        buttons.contains(&format!("mm:xapprove:{exam_year}")),
        "{buttons}"
    );

    // The approval by that button: the case leaves "waiting", and the board is redrawn
    // for Thursday, with Wednesday's case overdue.
    bot.as_(COORDINATOR)
        .click(&format!("mm:xapprove:{exam_year}"))
        .await
        .assert_done("the extra approval");
    let board = board_when(&bot, "the approved case leaves waiting", |b| {
        under(b, Section::Waiting).is_none() && under(b, Section::Overdue).is_some()
    })
    .await;
    let s = sections(&board);
    assert_eq!(under(&s, Section::Overdue).unwrap(), &vec![soon.clone()]);
    assert_eq!(
        under(&s, Section::ThisWeek).unwrap(),
        &vec![friday.clone(), proposed.clone()]
    );
    assert!(
        under(&s, Section::Running).unwrap().contains(&exam_year),
        "{s:?}"
    );
    let footer = board["embeds"][0]["footer"]["text"].as_str().unwrap();
    assert!(
        footer.starts_with(
            "1 overdue · 2 this week · 0 waiting · 2 running · 5 open · updated 10:00 Thu 26 Nov"
        ),
        "{footer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_boards_menu_shows_a_case_only_to_someone_who_may_see_it() {
    let bot = TestBot::start().await;
    let r = accepted(&bot, 9, None).await;
    let opened = bot.as_(COORDINATOR).choose("board_case", &[&r]).await;
    assert!(
        opened.ephemeral && opened.title().starts_with(&r),
        "{opened:#?}"
    );
    let buttons = serde_json::to_string(&opened.components).unwrap();
    assert!(
        buttons.contains(&format!("mm:lead:{r}")) && !buttons.contains("mm:xapprove"),
        "no decision is the coordinator's here, only the lead: {buttons}"
    );
    // A head of another school (were the menu to reach them) gets one private sentence.
    bot.as_(OTHER_HEAD)
        .choose("board_case", &[&r])
        .await
        .assert_refused("a case that does not involve their school");
    bot.as_(COORDINATOR)
        .choose("board_case", &["MM-nonsense"])
        .await
        .assert_refused("a reference that is not one");
}
