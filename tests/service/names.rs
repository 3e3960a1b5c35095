//! People by name in documents (issue 14, item 10): the agreement's signatures and the
//! export name each person as they were named in the server when they acted, with their
//! role; someone never named keeps their ID; a later rename does not rewrite the past.

use crate::common;

use common::*;
use managed_moves::domain::MoveKind;
use managed_moves::service::reports::DocumentKind;
use sqlx::SqlitePool;

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[sqlx::test]
async fn documents_name_who_signed_and_recorded_as_they_were_named_then(pool: SqlitePool) {
    let w = world(pool).await;
    let (home, destination) = (w.head_of(HOME), w.head_of(DESTINATION));
    w.service.note_name(&destination, "Mrs D. Okoro").await;
    let r = w.propose(HOME, DESTINATION, MoveKind::ManagedMove).await;
    let today = w.service.partnership().today(w.service.now());
    w.agree(r, today, today, 6).await;
    // Renamed after signing: the agreement keeps the name she signed under.
    w.clock.set(w.service.now() + chrono::Duration::days(1));
    w.service.note_name(&destination, "Dr D. Okoro").await;

    let coordinator = w.coordinator();
    let doc = w
        .service
        .document(&coordinator, r, DocumentKind::Agreement)
        .await
        .unwrap();
    let text = pdf_text(&doc.bytes);
    let hillcrest = w.service.partnership().school_name(&school(DESTINATION));
    assert!(
        text.contains(&format!("signed by Mrs D. Okoro (head, {hillcrest})")),
        "{text}"
    );
    assert!(!text.contains("Dr D. Okoro"), "{text}");
    // The home head was never named: shown by ID.
    assert!(
        text.contains(&format!("Discord user {}", home.user)),
        "{text}"
    );

    let (record, json) = w.service.export(&coordinator, r).await.unwrap();
    let record = String::from_utf8(record.bytes).unwrap();
    assert!(record.contains("Mrs D. Okoro (head,"), "{record}");
    let json: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    let names: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["by_name"].as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.starts_with("Mrs D. Okoro")),
        "{names:?}"
    );
}

#[sqlx::test]
async fn a_name_is_noted_only_when_it_changes_and_never_for_someone_without_a_role(
    pool: SqlitePool,
) {
    let w = world(pool).await;
    let head = w.head_of(HOME);
    for _ in 0..3 {
        w.service.note_name(&head, "Ms R. Patel").await;
    }
    assert_eq!(w.count("people_names").await, 1);
    w.service.note_name(&w.nobody(), "Someone").await;
    w.service.note_name(&head, "   ").await;
    assert_eq!(w.count("people_names").await, 1);
}
