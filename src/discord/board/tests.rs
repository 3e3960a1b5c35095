//! The board stays one message within Discord's limits however many cases each section
//! holds, and says how many it leaves out.

use serde_json::Value;

use super::{board_message, BOARD_LINES, BOARD_MENU};
use crate::discord::render::{units, EMBED_TOTAL_MAX, FOOTER_MAX};
use crate::domain::urgency::Section;
use crate::domain::{CaseRef, CaseState};
use crate::view::{Board, BoardLine, BoardSection};

fn line(section: usize, i: u32) -> BoardLine {
    let reference = CaseRef::new(2026, section as u32 * 1000 + i);
    BoardLine {
        state: CaseState::Active,
        reference,
        // As long as a real line gets: flags, a transfer's next step, emoji.
        text: format!("`{reference}` Riverside Academy → Hillcrest School · active · ⚠️ overdue since 1 Dec · G12 A3 R1 –0 · 🚩 attendance low (week of 23 Nov) · next: {}", "x".repeat(60)),
        pick: format!("{reference} · Riverside Academy → Hillcrest School"),
    }
}

/// `loaded` lines in each section (as the store gives at most 25), `total` cases each.
fn board(loaded: [u32; 4], totals: [u64; 4]) -> Board {
    Board {
        sections: Section::ALL
            .into_iter()
            .map(|section| BoardSection {
                section,
                lines: (0..loaded[section.index()])
                    .map(|i| line(section.index(), i))
                    .collect(),
                total: totals[section.index()],
            })
            .collect(),
        open: totals.iter().sum(),
        updated: "09:41 Wed 2 Dec".into(),
    }
}

fn json(board: &Board, set_aside: u64) -> (Value, Vec<Value>) {
    let (embed, rows) = board_message(
        "Riverside Secondary Inclusion Partnership",
        board,
        set_aside,
    );
    (
        serde_json::to_value(embed).unwrap(),
        rows.into_iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect(),
    )
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

#[test]
fn hundreds_of_cases_in_every_section_fit_one_message_and_say_how_many_more() {
    let totals = [300, 250, 400, 99_000];
    let (embed, rows) = json(&board([25; 4], totals), 3);
    let body = text(&embed["description"]);
    let footer = text(&embed["footer"]["text"]);
    assert!(units(&body) <= 4096, "{}", units(&body));
    assert!(units(&footer) <= FOOTER_MAX);
    assert!(units(&body) + units(&footer) + units(&text(&embed["title"])) <= EMBED_TOTAL_MAX);
    let shown: Vec<usize> = body
        .split("\n\n")
        .map(|part| part.lines().filter(|l| l.starts_with("`MM-")).count())
        .collect();
    assert_eq!(shown.len(), 4, "every section has its part: {body}");
    for (i, part) in body.split("\n\n").enumerate() {
        let section = Section::ALL[i];
        assert!(
            part.starts_with(&format!("**{} · {}**", section.title(), totals[i])),
            "{part}"
        );
        assert!(shown[i] >= 1, "each section shows its most urgent: {part}");
        assert!(
            part.ends_with(&format!("\n+{} more", totals[i] - shown[i] as u64)),
            "{part}"
        );
    }
    assert!(footer.contains("300 overdue · 250 this week · 400 waiting · 99000 running · 99950 open · updated 09:41 Wed 2 Dec"), "{footer}");
    assert!(
        footer.starts_with("⚠ 3 messages could not be delivered"),
        "{footer}"
    );
    // The menu lists exactly the cases shown, in the board's order.
    let options = rows[0]["components"][0]["options"].as_array().unwrap();
    assert_eq!(rows[0]["components"][0]["custom_id"], BOARD_MENU);
    assert_eq!(options.len(), shown.iter().sum::<usize>());
    assert!(options.len() <= BOARD_LINES);
    let listed: Vec<String> = options.iter().map(|o| text(&o["value"])).collect();
    let in_body: Vec<String> = body
        .lines()
        .filter(|l| l.starts_with("`MM-"))
        .map(|l| l[1..13].to_string())
        .collect();
    assert_eq!(listed, in_body);
    for o in options {
        assert!(units(&text(&o["label"])) <= 100 && units(&text(&o["description"])) <= 100);
    }
}

#[test]
fn a_small_board_shows_every_case_with_nothing_more_and_skips_empty_sections() {
    let (embed, rows) = json(&board([2, 0, 1, 0], [2, 0, 1, 0]), 0);
    let body = text(&embed["description"]);
    assert!(!body.contains("more"), "{body}");
    assert!(!body.contains(Section::ThisWeek.title()), "{body}");
    assert_eq!(body.lines().filter(|l| l.starts_with("`MM-")).count(), 3);
    assert_eq!(
        rows[0]["components"][0]["options"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(text(&embed["footer"]["text"])
        .starts_with("2 overdue · 0 this week · 1 waiting · 0 running · 3 open"));
}

#[test]
fn a_section_with_no_room_left_still_says_how_many_it_holds() {
    // Only the counts: nothing was loaded for the last section.
    let (embed, _) = json(&board([25, 25, 25, 0], [30, 30, 30, 7]), 0);
    let body = text(&embed["description"]);
    assert!(
        body.ends_with(&format!("**{} · 7**\n+7 more", Section::Running.title())),
        "{body}"
    );
}

#[test]
fn an_empty_board_says_so_and_has_no_menu() {
    let (embed, rows) = json(&board([0; 4], [0; 4]), 0);
    assert_eq!(embed["description"], "No open cases.");
    assert!(rows.is_empty());
}
