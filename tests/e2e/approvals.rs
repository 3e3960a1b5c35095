//! End to end, in-process (issue 14, items 4 and 7): a Year 10 move is blocked until the
//! coordinators approve it by button in their channel and the destination says whether
//! the exam courses can continue; a decline by button asks its reason in a form and closes
//! the case; an approval outside the configured years is refused in one private sentence.

use crate::support;

use managed_moves::domain::approvals::ExamCourses;
use managed_moves::domain::CaseState;
use support::fake_discord::Opt;
use support::harness::guild::{
    BOARD, COORDINATOR, COORDINATOR_ROLE, DEST_HEAD, DEST_STAFF, HOME_HEAD, HOME_STAFF,
};
use support::harness::user::choice;
use support::harness::{NewCase, TestBot};

fn content(m: &serde_json::Value) -> &str {
    m["content"].as_str().unwrap_or("")
}

/// A Year 10 case proposed and accepted by button: returns its reference once the
/// coordinators' call (with its buttons) is in their channel.
async fn accepted_year_10(bot: &TestBot, initials: &'static str) -> (String, serde_json::Value) {
    let new_case = NewCase {
        initials,
        year: 10,
        ..NewCase::default()
    };
    let r = bot.propose(HOME_HEAD, &new_case).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    let ask = bot.wait_for_post(BOARD, "extra approval").await;
    (r, ask)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_10_move_is_blocked_until_the_coordinators_approve_by_button() {
    let bot = TestBot::start().await;
    let (r, ask) = accepted_year_10(&bot, "E.X.").await;
    let text = content(&ask);
    assert!(text.contains(&r), "{text}");
    assert!(text.contains(&format!("<@&{COORDINATOR_ROLE}>")), "{text}");
    assert!(
        !text.contains("E.X."),
        "no initials in a shared channel: {text}"
    );
    let buttons = ask["components"].to_string();
    let approve = format!("mm:xapprove:{r}");
    assert!(
        buttons.contains(&approve) && buttons.contains(&format!("mm:xdecline:{r}")),
        "{buttons}"
    );

    // Everything else recorded: the start still waits for the approval and exam courses.
    bot.make_ready_after_accept(&r, HOME_HEAD, DEST_HEAD).await;
    let case = || Opt::string("case", &r);
    let blocked = bot.as_(DEST_HEAD).command("move start", [case()]).await;
    blocked.assert_refused("a start before the extra approval");
    assert!(
        blocked.text().contains("the coordinators must approve"),
        "{}",
        blocked.text()
    );
    assert!(
        blocked.text().contains("exam courses"),
        "{}",
        blocked.text()
    );

    // Nobody at either school may approve, whatever other role they hold.
    for who in [DEST_HEAD, HOME_STAFF, DEST_STAFF] {
        let refused = bot.as_(who).click(&approve).await;
        refused.assert_refused("approval by someone at a school on the case");
    }
    let before = bot.events(&r).await.len();
    assert!(bot.case(&r).await.extra_approval.is_none());
    // The card says who holds the case up: the coordinators' approval and the exam courses.
    let shown = bot.as_(HOME_HEAD).command("case show", [case()]).await;
    for owed in [
        "**coordinators (approval)**: approve the move",
        "**Hillcrest School**: say if the exam courses continue",
    ] {
        assert!(shown.text().contains(owed), "{owed}: {}", shown.text());
    }

    // The coordinator's click approves it.
    bot.as_(COORDINATOR)
        .click(&approve)
        .await
        .assert_done("the coordinators' approval");
    let approved = bot.case(&r).await;
    assert!(approved.extra_approval.as_ref().is_some_and(|a| a.approved));
    assert_eq!(bot.events(&r).await.len(), before + 1);
    // After the double-click window, a second click is a new one: refused.
    let window = managed_moves::service::DOUBLE_CLICK_WINDOW;
    bot.clock().advance(window + chrono::TimeDelta::seconds(1));
    let again = bot.as_(COORDINATOR).click(&approve).await;
    again.assert_refused("a second approval");

    // Still blocked: the exam courses.
    let blocked = bot.as_(DEST_HEAD).command("move start", [case()]).await;
    blocked.assert_refused("a start before the exam courses");
    assert!(
        !blocked.text().contains("coordinators must approve"),
        "{}",
        blocked.text()
    );
    bot.as_(DEST_STAFF)
        .command("approval exam-courses", [case(), choice("continues", 0)])
        .await
        .assert_done("exam courses");
    assert_eq!(
        bot.case(&r).await.exam_courses.map(|e| e.continues),
        Some(ExamCourses::Yes)
    );
    bot.as_(DEST_HEAD)
        .command("move start", [case()])
        .await
        .assert_done("start");
    assert_eq!(bot.case(&r).await.state, CaseState::Active);
    let shown = bot.as_(HOME_HEAD).command("case show", [case()]).await;
    assert!(
        shown.text().contains("Extra approval: approved"),
        "{}",
        shown.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declining_by_button_asks_the_reason_and_closes_the_case() {
    let bot = TestBot::start().await;
    let (r, _) = accepted_year_10(&bot, "D.Y.").await;
    let decline = format!("mm:xdecline:{r}");
    let head = bot.as_(DEST_HEAD).click(&decline).await;
    head.assert_refused("a head clicking Decline");
    assert!(
        head.modal.is_none(),
        "no form for someone who may not decide"
    );
    let form = bot.as_(COORDINATOR).click(&decline).await;
    assert_eq!(form.modal.as_deref(), Some(decline.as_str()), "{form:#?}");
    bot.as_(COORDINATOR)
        .submit_modal(&decline, &[("reason", "Options cannot be matched")])
        .await
        .assert_done("the decline");
    let case = bot.case(&r).await;
    assert_eq!(case.state, CaseState::Rejected);
    assert!(case.extra_approval.is_some_and(|a| !a.approved));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approval_outside_the_configured_years_is_refused_privately() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    let before = bot.events(&r).await.len();
    let refused = bot
        .as_(COORDINATOR)
        .command(
            "approval decide",
            [Opt::string("case", &r), choice("decision", 0)],
        )
        .await;
    refused.assert_refused("an approval of a Year 9 case");
    assert!(
        refused
            .text()
            .contains("asks for an extra approval only in Years 10 and 11"),
        "{}",
        refused.text()
    );
    assert_eq!(bot.events(&r).await.len(), before, "nothing written");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consents_given_for_earlier_terms_are_asked_again_and_the_card_says_why() {
    let bot = TestBot::start().await;
    let r = bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept");
    bot.make_ready_after_accept(&r, HOME_HEAD, DEST_HEAD).await;
    let case = || Opt::string("case", &r);
    let today = bot.today().to_string();
    // The meeting changes the length after the family agreed: new terms.
    bot.as_(HOME_HEAD)
        .command(
            "agreement record",
            [
                case(),
                Opt::string("start", &today),
                Opt::integer("weeks", 8),
                Opt::string("targets", "Attend every lesson"),
                Opt::string("champion", "Mr D. Okafor"),
                Opt::string("if_fails", "Returns home with a plan"),
            ],
        )
        .await
        .assert_done("the agreement again");
    // The same command by the same person within the double-click window would be taken
    // for a repeat of the first: these are new decisions, made later.
    let later = || {
        let window = managed_moves::service::DOUBLE_CLICK_WINDOW;
        bot.clock().advance(window + chrono::TimeDelta::seconds(1));
    };
    later();
    bot.as_(DEST_HEAD)
        .command("agreement sign", [case()])
        .await
        .assert_done("signature");
    let blocked = bot.as_(DEST_HEAD).command("move start", [case()]).await;
    blocked.assert_refused("a start on consents to earlier terms");
    assert!(
        blocked
            .text()
            .contains("record the parent/carer's agreement again (the terms changed on"),
        "{}",
        blocked.text()
    );
    let shown = bot.as_(HOME_STAFF).command("case show", [case()]).await;
    assert!(
        shown
            .text()
            .contains("Terms v2: parent/carer given for terms v1 (earlier terms)"),
        "{}",
        shown.text()
    );
    for (path, options) in [
        (
            "consent parent",
            vec![
                case(),
                Opt::string("witnessed_by", "Ms A. Khan"),
                Opt::string("on", &today),
                Opt::boolean("freely_given", true),
            ],
        ),
        ("consent pupil", vec![case(), Opt::string("on", &today)]),
    ] {
        later();
        bot.as_(HOME_HEAD)
            .command(path, options)
            .await
            .assert_done(path);
    }
    bot.as_(DEST_HEAD)
        .command("move start", [case()])
        .await
        .assert_done("start");
    assert_eq!(bot.case(&r).await.state, CaseState::Active);
}
