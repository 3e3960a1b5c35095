//! The termly report through the fake Discord (issue 15, item 6): `/stats report` answers
//! privately with a PDF and a CSV attached; a head receives only their school's figures;
//! the public version hides small numbers; a term not in the config is one private
//! sentence, with nothing sent.

use crate::support;

use support::fake_discord::Opt;
use support::harness::guild::{COORDINATOR, DEST_HEAD, HOME_HEAD, HOME_STAFF, OTHER_HEAD};
use support::harness::user::Reply;
use support::harness::{NewCase, TestBot};

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

/// The files attached to the bot's answer, with their bytes as uploaded to the fake.
fn files(bot: &TestBot, reply: &Reply) -> Vec<(String, Vec<u8>)> {
    let names: Vec<String> = reply
        .responses
        .iter()
        .flat_map(|r| {
            let body = r.body.get("data").unwrap_or(&r.body);
            body["attachments"].as_array().cloned().unwrap_or_default()
        })
        .filter_map(|a| a["filename"].as_str().map(str::to_owned))
        .collect();
    let uploads = bot.fake.recorder().uploads();
    names
        .into_iter()
        .map(|n| {
            let bytes = uploads
                .iter()
                .rev()
                .find(|(u, _)| *u == n)
                .map(|(_, b)| b.clone())
                .unwrap_or_else(|| panic!("{n} was not uploaded"));
            (n, bytes)
        })
        .collect()
}

fn csv_of(files: &[(String, Vec<u8>)]) -> String {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n.ends_with(".csv"))
        .expect("a CSV");
    String::from_utf8(bytes.clone()).unwrap()
}

fn pdf_of(files: &[(String, Vec<u8>)]) -> String {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n.ends_with(".pdf"))
        .expect("a PDF");
    pdf_text(bytes)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_termly_report_arrives_as_files_and_a_head_receives_only_their_school() {
    let bot = TestBot::start().await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;

    let whole = bot
        .as_(COORDINATOR)
        .command("stats report", [Opt::string("term", "autumn-2026")])
        .await;
    assert!(whole.ephemeral, "the report is a private reply");
    let got = files(&bot, &whole);
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "termly-report-autumn-2026.pdf",
            "termly-report-autumn-2026.csv"
        ]
    );
    let csv = csv_of(&got);
    assert!(
        csv.contains("autumn-2026,Riverside Academy,2,0,-2,"),
        "{csv}"
    );
    assert!(
        csv.contains("autumn-2026,Hillcrest School,0,2,+2,"),
        "{csv}"
    );
    assert!(csv.contains("autumn-2026,Partnership,2,2,"), "{csv}");
    let pdf = pdf_of(&got);
    assert!(pdf.contains("Whole partnership"), "{pdf}");
    assert!(!pdf.contains("Z.Q."), "never the pupil's initials:\n{pdf}");

    // Oakfield's head: their own row, nothing of Riverside's or Hillcrest's.
    let head = bot.as_(OTHER_HEAD).command("stats report", []).await;
    let got = files(&bot, &head);
    let csv = csv_of(&got);
    assert_eq!(
        csv.lines().count(),
        3,
        "header, Oakfield, partnership: {csv}"
    );
    assert!(csv.contains("Oakfield High School,0,0,0,"), "{csv}");
    assert!(
        !csv.contains("Riverside") && !csv.contains("Hillcrest"),
        "{csv}"
    );
    assert!(csv.contains("Partnership,withheld,withheld,"), "{csv}");
    let pdf = pdf_of(&got);
    assert!(pdf.contains("Oakfield High School only"), "{pdf}");
    assert!(!pdf.contains("Riverside Academy"), "{pdf}");

    // The destination head's part names the answers Hillcrest owes, by case.
    let dest = bot.as_(DEST_HEAD).command("stats report", []).await;
    let csv = csv_of(&files(&bot, &dest));
    assert!(csv.contains("Hillcrest School,0,2,+2,"), "{csv}");
    assert!(!csv.contains("Riverside"), "{csv}");

    // The public version: small numbers hidden.
    let public = bot
        .as_(COORDINATOR)
        .command("stats report", [Opt::boolean("public", true)])
        .await;
    let got = files(&bot, &public);
    assert_eq!(got[0].0, "termly-report-autumn-2026-public.pdf");
    let csv = csv_of(&got);
    assert!(csv.contains("Riverside Academy,<5,0,<5,"), "{csv}");
    assert!(!pdf_of(&got).contains("MM-2026"), "no case references");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_not_in_the_config_or_a_member_of_staff_is_refused_privately() {
    let bot = TestBot::start().await;
    bot.propose(HOME_HEAD, &NewCase::default()).await;
    let before = bot.fake.recorder().uploads().len();
    bot.as_(COORDINATOR)
        .command("stats report", [Opt::string("term", "autumn-2019")])
        .await
        .assert_refused("a term not in the config");
    bot.as_(HOME_STAFF)
        .command("stats report", [])
        .await
        .assert_refused("staff have no statistics");
    assert_eq!(bot.fake.recorder().uploads().len(), before, "no file sent");
}
