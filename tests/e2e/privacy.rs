//! End to end, `[privacy]` with both options off: a case walked through every kind of
//! message and document the bot sends to Discord (thread posts, the call to decide with
//! its card, button and command answers, cards, the signed agreement's PDF, review PDFs,
//! the parent's copy, the export, dates, the checklist, the board, reminders, the
//! returning stage to the case's close), and nothing that reached the
//! fake Discord carries the pupil's initials or a word of any note typed; the bot's own
//! database still holds them.

use crate::support;

use support::fake_discord::Opt;
use support::harness::guild::{ADMIN, COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD};
use support::harness::user::choice;
use support::harness::{at_london, school_morning, NewCase, TestBot};

const INITIALS: &str = "Z.Q.";
/// Every note typed in this test carries this word, so one search finds any of them.
const MARK: &str = "hushmark";
const TRIED: &str = "Mentoring hushmark";
const SUITABILITY_NOTE: &str = "3: bus route checked hushmark";

const PRIVATE: &str = "\n[privacy]\npupil_initials_in_discord = false\nnotes_in_discord = false\n";

fn note(what: &str) -> String {
    format!("{what} {MARK}")
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_both_options_off_nothing_sent_to_discord_carries_initials_or_notes() {
    let bot = TestBot::start_configured(school_morning(), |t| t + PRIVATE).await;
    let new_case = NewCase {
        initials: INITIALS,
        tried: TRIED,
        notes: Some(SUITABILITY_NOTE),
        ..NewCase::default()
    };
    let reference = bot.propose(HOME_HEAD, &new_case).await;
    let r = reference.as_str();
    let case = || Opt::string("case", r);
    let thread = bot.thread_of(r).await;

    bot.as_(DEST_HEAD)
        .click(&format!("mm:accept:{r}"))
        .await
        .assert_done("accept by button");
    let today = bot.today().to_string();
    let steps: Vec<(_, &str, Vec<Opt>)> = vec![
        (
            DEST_HEAD,
            "meeting schedule",
            vec![
                case(),
                Opt::string("at", &format!("{today} 14:00")),
                Opt::string("place", &note("Room 2")),
            ],
        ),
        (
            DEST_STAFF,
            "meeting held",
            vec![
                case(),
                Opt::string("on", &today),
                Opt::string("positives", &note("Keen")),
                Opt::string("concerns", &note("Bus")),
            ],
        ),
        (
            HOME_HEAD,
            "consent parent",
            vec![
                case(),
                Opt::string("witnessed_by", &note("Ms Khan")),
                Opt::string("on", &today),
                Opt::boolean("freely_given", true),
            ],
        ),
        (
            HOME_HEAD,
            "consent pupil",
            vec![case(), Opt::string("on", &today)],
        ),
        (
            DEST_STAFF,
            "checklist rate",
            vec![
                case(),
                Opt::string("item", "staff.senco"),
                choice("rating", 1),
                Opt::string("comment", &note("Discussed")),
            ],
        ),
        (
            HOME_HEAD,
            "agreement record",
            vec![
                case(),
                Opt::string("start", &today),
                Opt::integer("weeks", 6),
                Opt::string("targets", &note("Attend every lesson")),
                Opt::string("champion", &note("Mr Okafor")),
                Opt::string("if_fails", &note("Returns home")),
            ],
        ),
        (DEST_HEAD, "agreement sign", vec![case()]),
        (
            DEST_STAFF,
            "move registered",
            vec![
                case(),
                Opt::string("from", &today),
                Opt::string("la_notified", &today),
            ],
        ),
        (
            HOME_HEAD,
            "safeguarding shared",
            vec![
                case(),
                Opt::string("dsl", &note("Mrs Reid")),
                Opt::string("on", &today),
            ],
        ),
        (DEST_HEAD, "safeguarding confirm", vec![case()]),
        (
            HOME_HEAD,
            "consent copy-given",
            vec![
                case(),
                Opt::string("on", &today),
                Opt::string("how", &note("By hand")),
            ],
        ),
        (DEST_HEAD, "move start", vec![case()]),
        (
            DEST_STAFF,
            "move checkin",
            vec![
                case(),
                Opt::string("on", &today),
                Opt::string("note", &note("Settling")),
            ],
        ),
    ];
    for (who, path, options) in steps {
        bot.as_(who).command(path, options).await.assert_done(path);
        if path == "meeting held" {
            bot.as_(DEST_STAFF)
                .choose(
                    &format!("mm:attendees:{r}"),
                    &["parent", "home-staff", "destination-staff", "pupil:whole"],
                )
                .await
                .assert_done("who attended");
        }
    }
    bot.wait_for_post(thread, "The agreement is signed by both schools")
        .await;

    // The midpoint review, on its day, with its details.
    let midpoint = bot.case(r).await.agreement.expect("agreed").midpoint_review;
    bot.set_clock(at_london(midpoint, 14, 0)).await;
    let on = midpoint.to_string();
    bot.as_(DEST_HEAD)
        .command(
            "review record",
            [
                case(),
                choice("review", 0),
                Opt::string("on", &on),
                Opt::string("notes", &note("On track")),
            ],
        )
        .await
        .assert_done("review");
    bot.as_(DEST_HEAD)
        .command(
            "review details",
            [
                case(),
                choice("review", 0),
                Opt::string("targets", "met"),
                Opt::string("parent_view", &note("Happier")),
                Opt::string("pupil_view", &note("I like it")),
            ],
        )
        .await
        .assert_done("review details");

    // A week's attendance with a note, and an extension asked (its ask carries the card).
    bot.as_(DEST_STAFF)
        .command(
            "attendance record",
            [
                case(),
                Opt::string("week", &today),
                Opt::integer("possible", 10),
                Opt::integer("attended", 8),
                Opt::string("note", &note("Two days ill")),
            ],
        )
        .await
        .assert_done("attendance");
    bot.as_(HOME_HEAD)
        .command(
            "move extend",
            [
                case(),
                Opt::integer("weeks", 2),
                Opt::string("reason", &note("Improving")),
            ],
        )
        .await
        .assert_done("extension asked");
    bot.wait_for_post(thread, "asks to extend the placement")
        .await;

    // Everything a member can ask to see, privately, in Discord.
    let shown = [
        bot.as_(DEST_HEAD).command("case show", [case()]).await,
        bot.as_(DEST_HEAD)
            .command("case list", Vec::<Opt>::new())
            .await,
        bot.as_(DEST_HEAD).command("case history", [case()]).await,
        bot.as_(DEST_HEAD).command("checklist show", [case()]).await,
        bot.as_(DEST_HEAD)
            .command("attendance show", [case()])
            .await,
        bot.as_(DEST_HEAD).command("dates show", [case()]).await,
        bot.as_(DEST_HEAD)
            .command("document agreement", [case()])
            .await,
        bot.as_(DEST_HEAD)
            .command("document review", [case(), choice("review", 0)])
            .await,
        bot.as_(HOME_HEAD)
            .command("document parent-copy", [case()])
            .await,
        bot.as_(COORDINATOR)
            .command("document export", [case()])
            .await,
    ];
    let card = shown[0].text();
    assert!(
        card.contains("Y9 pupil") && card.contains("(kept locally)"),
        "{card}"
    );

    // The move ends early: the reason is a note too.
    bot.as_(DEST_HEAD)
        .command(
            "move terminate",
            [case(), Opt::string("reason", &note("Breach"))],
        )
        .await
        .assert_done("terminate");
    // The returning stage: the reintegration meeting, the plan (all notes) and both
    // register changes, on the day of the return, close the case.
    let back = bot.today().to_string();
    let returning: Vec<(_, &str, Vec<Opt>)> = vec![
        (
            HOME_HEAD,
            "return meeting",
            vec![
                case(),
                Opt::string("on", &back),
                Opt::string("attendees", "parent,home-staff"),
                Opt::string("pupil", "whole"),
            ],
        ),
        (
            HOME_HEAD,
            "return plan",
            vec![
                case(),
                Opt::string("support", &note("Mentor daily")),
                Opt::string("targets", &note("Every lesson")),
                Opt::string("contact", &note("Mr Lee")),
            ],
        ),
        (
            DEST_STAFF,
            "return registered",
            vec![
                case(),
                Opt::string("on", &back),
                Opt::string("la_notified", &back),
            ],
        ),
        (
            HOME_HEAD,
            "return registered",
            vec![
                case(),
                Opt::string("on", &back),
                Opt::string("la_notified", &back),
            ],
        ),
    ];
    for (who, path, options) in returning {
        bot.as_(who).command(path, options).await.assert_done(path);
    }
    let closed = bot.as_(DEST_HEAD).command("case show", [case()]).await;
    assert!(closed.text().contains("terminated"), "{}", closed.text());
    bot.settled().await;

    // Every request the bot made to Discord, every file it uploaded.
    let requests = bot.fake.recorder().requests();
    assert!(
        requests.len() > 40,
        "the walk sent {} requests",
        requests.len()
    );
    for req in &requests {
        let body = req.body.to_string();
        assert!(
            !body.contains(INITIALS) && !body.contains(MARK),
            "{} carried the pupil's details: {body}",
            req.line()
        );
    }
    let uploads = bot.fake.recorder().uploads();
    let mut pdfs = 0;
    for (name, bytes) in &uploads {
        let text = if name.ends_with(".pdf") {
            pdfs += 1;
            pdf_text(bytes)
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        };
        assert!(
            !text.contains(INITIALS) && !text.contains(MARK),
            "{name} carried the pupil's details:\n{text}"
        );
        if name.ends_with("-agreement.pdf") {
            assert!(text.contains("Y9 pupil"), "{name}:\n{text}");
        }
    }
    // The signed agreement in the thread, /document agreement, review and parent-copy.
    assert!(
        pdfs >= 4,
        "PDFs uploaded: {uploads:?}",
        uploads = uploads.iter().map(|u| &u.0).collect::<Vec<_>>()
    );
    assert!(
        uploads.iter().any(|(n, _)| n.ends_with("-record.json")),
        "the export was sent"
    );
    // Item 10: the export names who did what by the name they had in the server, with
    // their role, not by ID.
    let (_, record) = uploads
        .iter()
        .find(|(n, _)| n.ends_with("-record.txt"))
        .expect("the export's text");
    let record = String::from_utf8_lossy(record);
    assert!(record.contains("(head, Hillcrest School)"), "{record}");
    assert!(!record.contains("Discord user"), "{record}");

    // Kept locally: the bot's database holds every word.
    let stored = bot.case(r).await;
    assert_eq!(stored.pupil.initials.as_str(), INITIALS);
    assert_eq!(stored.strategies_tried.as_str(), TRIED);
    assert!(stored
        .check_ins
        .iter()
        .all(|c| c.note.as_str().contains(MARK)));
}

const FULL_NAME: &str = "Mentoring with Jonathan Smithereen";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_redacts_a_note_and_the_bot_edits_the_card_that_showed_it() {
    let bot = TestBot::start().await;
    let new_case = NewCase {
        tried: FULL_NAME,
        ..NewCase::default()
    };
    let reference = bot.propose(HOME_HEAD, &new_case).await;
    let r = reference.as_str();
    let thread = bot.thread_of(r).await;
    let call = bot.wait_for_post(thread, "Please accept or decline").await;
    assert!(
        call.to_string().contains("Smithereen"),
        "the card shows the note: {call}"
    );
    let call_id: u64 = call["id"].as_str().unwrap().parse().unwrap();

    // Not an admin: refused, nothing changes.
    let refused = bot
        .as_(DEST_HEAD)
        .command(
            "admin redact",
            [
                Opt::string("case", r),
                Opt::string("note", "1:/strategies_tried"),
                Opt::string("reason", "A full name"),
            ],
        )
        .await;
    assert!(
        refused.ephemeral && !refused.content.starts_with('✔'),
        "{}",
        refused.content
    );
    let done = bot
        .as_(ADMIN)
        .command(
            "admin redact",
            [
                Opt::string("case", r),
                Opt::string("note", "1:/strategies_tried"),
                Opt::string("reason", "A full name"),
            ],
        )
        .await;
    assert!(
        done.ephemeral && done.content.starts_with('✔'),
        "{}",
        done.content
    );
    bot.wait_for_post(thread, "An admin redacted a note in change 1")
        .await;
    bot.settled().await;

    // The call to decide, edited in place: its card no longer holds the name.
    let edits = bot.edits_in(thread);
    assert!(
        edits.iter().any(|e| e.path.ends_with(&call_id.to_string())),
        "the card was edited: {:?}",
        edits.iter().map(|e| e.line()).collect::<Vec<_>>()
    );
    let now = bot
        .fake
        .message(call_id)
        .expect("the call is still there")
        .to_string();
    assert!(!now.contains("Smithereen"), "{now}");
    assert!(now.contains("redacted by an admin"), "{now}");
    assert_eq!(
        bot.case(r).await.strategies_tried.as_str(),
        "[redacted by an admin]"
    );
}
