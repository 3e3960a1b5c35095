//! The termly report through the service over a real database: a PDF and a CSV for the
//! term asked (or the current one), a head's part holding only their school's rows, the
//! public version hiding small numbers, and a term not in the config refused.

use crate::common;

use common::*;
use managed_moves::domain::{Action, MoveKind, RefusalKind};
use sqlx::SqlitePool;

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

/// Two moves from Riverside to Hillcrest (one declined), one from Oakfield to Hillcrest.
async fn three_moves(w: &World) {
    let first = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    w.propose(UNINVOLVED, DESTINATION, MoveKind::ManagedMove)
        .await;
    w.act(
        &w.head_of(DESTINATION),
        first,
        Action::Decline {
            reason: text("No place in year 9 this term"),
        },
    )
    .await;
}

#[sqlx::test]
async fn a_coordinator_gets_the_whole_term_as_a_pdf_and_a_csv(pool: SqlitePool) {
    let w = world(pool).await;
    three_moves(&w).await;
    let files = w
        .service
        .term_report(&w.coordinator(), None, false)
        .await
        .expect("the report");
    assert_eq!(files.pdf.filename, "termly-report-autumn-2026.pdf");
    assert_eq!(files.csv.filename, "termly-report-autumn-2026.csv");
    let csv = String::from_utf8(files.csv.bytes).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("term,school,sent,received,net_received,permanent"));
    assert!(
        lines.contains(&"autumn-2026,Hillcrest School,0,3,+3,0,0,0,1,0,0,0,0,0,–,0,–,–,0,0,0"),
        "{csv}"
    );
    assert!(
        csv.contains("autumn-2026,Riverside Academy,2,0,-2,"),
        "{csv}"
    );
    assert!(csv.contains("autumn-2026,Partnership,3,3,–,"), "{csv}");
    let text = pdf_text(&files.pdf.bytes);
    for expected in [
        "Managed moves: Autumn term 2026",
        "Whole partnership",
        "Moves sent and received",
        "Oakfield High School",
        "Riverside Academy -> Hillcrest School",
    ] {
        assert!(text.contains(expected), "{expected:?} in:\n{text}");
    }
    assert!(!text.contains("No place in year 9"), "no notes");
    assert_eq!(images(&files.pdf.bytes), 1, "the chart is inside the PDF");
}

/// How many pictures (image XObjects) the PDF holds.
fn images(bytes: &[u8]) -> usize {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Image")
        })
        .count()
}

#[sqlx::test]
async fn a_head_gets_only_their_schools_rows(pool: SqlitePool) {
    let w = world(pool).await;
    three_moves(&w).await;
    let files = w
        .service
        .term_report(&w.head_of(UNINVOLVED), Some("autumn-2026"), false)
        .await
        .expect("the head's part");
    assert_eq!(files.csv.filename, "termly-report-autumn-2026-oakfield.csv");
    let csv = String::from_utf8(files.csv.bytes).unwrap();
    assert!(csv.contains("Oakfield High School,1,0,-1"), "{csv}");
    assert!(
        !csv.contains("Riverside") && !csv.contains("Hillcrest"),
        "{csv}"
    );
    // Two moves elsewhere: the partnership's sent total would give them away.
    assert!(csv.contains("Partnership,withheld,withheld,"), "{csv}");
    let text = pdf_text(&files.pdf.bytes);
    assert!(text.contains("Oakfield High School only"), "{text}");
    assert!(!text.contains("Riverside Academy ->"), "{text}");
}

#[sqlx::test]
async fn the_public_version_hides_small_numbers_and_case_references(pool: SqlitePool) {
    let w = world(pool).await;
    three_moves(&w).await;
    w.clock.set(at(2026, 12, 17));
    let files = w
        .service
        .term_report(&w.coordinator(), Some("Autumn 2026"), true)
        .await
        .expect("the public version");
    assert_eq!(files.pdf.filename, "termly-report-autumn-2026-public.pdf");
    let csv = String::from_utf8(files.csv.bytes).unwrap();
    assert!(csv.contains("Riverside Academy,<5,0,<5,"), "{csv}");
    let text = pdf_text(&files.pdf.bytes);
    assert!(text.contains("<5"), "{text}");
    assert!(!text.contains("MM-2026"), "no case references:\n{text}");
    assert_eq!(
        images(&files.pdf.bytes),
        0,
        "no chart: its bars would show small numbers"
    );
    // The coordinators' version lists the overdue answers by case.
    let full = w
        .service
        .term_report(&w.coordinator(), Some("autumn-2026"), false)
        .await
        .unwrap();
    let text = pdf_text(&full.pdf.bytes);
    assert!(text.contains("MM-2026-0002"), "{text}");
    assert!(
        text.contains("Hillcrest School head: answer the proposal"),
        "{text}"
    );
}

#[sqlx::test]
async fn a_term_not_in_the_config_and_people_without_figures_are_refused(pool: SqlitePool) {
    let w = world(pool).await;
    three_moves(&w).await;
    let before = w.count("case_events").await;
    let refused = refusal(
        w.service
            .term_report(&w.coordinator(), Some("autumn-2019"), false)
            .await
            .unwrap_err(),
    );
    assert_eq!(refused.kind, RefusalKind::InvalidInput);
    assert!(refused.message().contains("not in the configured calendar"));
    for who in [w.staff_of(HOME), w.seip(), w.nobody()] {
        let refused = refusal(w.service.term_report(&who, None, false).await.unwrap_err());
        assert_eq!(refused.kind, RefusalKind::NotPermitted, "{who:?}");
    }
    assert_eq!(w.count("case_events").await, before, "nothing written");
}
