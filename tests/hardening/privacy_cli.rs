//! The privacy verbs of the CLI: `privacy` prints the data map from the config, `redact`
//! is for admins only and overwrites a note, and a CLI user's configured `[people]` name
//! is what the agreement's signature shows.

use crate::kit;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run_on(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(kit::config_path())
        .arg("--database")
        .arg(db)
        .args(args)
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG")
        .env_remove("MANAGED_MOVES_DATABASE")
        .env_remove("MANAGED_MOVES_CONFIG")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn the_data_map_names_the_processor_the_basis_and_the_retention_period() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_on(&dir.path().join("db.db"), &["privacy"]);
    let map = text(&out);
    assert!(out.status.success(), "{map}");
    for want in [
        "Discord Inc. (a US service)",
        "Lawful basis: Public task",
        "6 years after the case closes",
        "Free-text notes",
        "who can see it",
    ] {
        assert!(map.contains(want), "no {want:?} in:\n{map}");
    }
    let json = run_on(&dir.path().join("db.db"), &["--json", "privacy"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(value["processor"], "Discord Inc. (US)");
    assert_eq!(value["notes_in_discord"], true);
}

#[test]
fn only_an_admin_redacts_from_the_command_line_and_the_note_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.db");
    let propose = [
        "act",
        "--as",
        "1001",
        "--role",
        "head:riverside",
        "propose",
        "--from",
        "riverside",
        "--to",
        "hillcrest",
        "--initials",
        "J.S.",
        "--year",
        "9",
        "--reason",
        "exclusion",
        "--tried",
        "Mentoring with Jonathan Smithereen",
        "--answers",
        "yes,yes,yes,yes,yes,yes,yes,yes",
    ];
    let out = run_on(&db, &propose);
    assert!(out.status.success(), "{}", text(&out));
    let redact = |role: &str| {
        run_on(
            &db,
            &[
                "redact",
                "MM-2026-0001",
                "--as",
                "7",
                "--role",
                role,
                "--change",
                "1",
                "--field",
                "/strategies_tried",
                "--reason",
                "A full name",
            ],
        )
    };
    let refused = redact("coordinator");
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    let listed = run_on(
        &db,
        &["redact", "MM-2026-0001", "--as", "7", "--role", "admin"],
    );
    assert!(
        text(&listed).contains("--field /strategies_tried"),
        "{}",
        text(&listed)
    );
    let done = redact("admin");
    assert!(done.status.success(), "{}", text(&done));
    let shown = run_on(
        &db,
        &["show", "MM-2026-0001", "--as", "7", "--role", "coordinator"],
    );
    assert!(!text(&shown).contains("Smithereen"), "{}", text(&shown));
    assert!(
        text(&shown).contains("redacted by an admin"),
        "{}",
        text(&shown)
    );
    let history = run_on(
        &db,
        &[
            "history",
            "MM-2026-0001",
            "--as",
            "7",
            "--role",
            "coordinator",
        ],
    );
    assert!(
        text(&history).contains("An admin redacted a note in change 1"),
        "{}",
        text(&history)
    );
}

#[test]
fn the_agreement_names_a_cli_signer_by_the_configured_name_and_role() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.db");
    let r = "MM-2026-0001";
    let steps: [&[&str]; 6] = [
        &[
            "act",
            "--as",
            "1001",
            "--role",
            "head:riverside",
            "propose",
            "--from",
            "riverside",
            "--to",
            "hillcrest",
            "--initials",
            "J.S.",
            "--year",
            "9",
            "--reason",
            "exclusion",
            "--tried",
            "Mentoring",
            "--answers",
            "yes,yes,yes,yes,yes,yes,yes,yes",
        ],
        &[
            "act",
            "--as",
            "1011",
            "--role",
            "head:hillcrest",
            "accept",
            r,
        ],
        &[
            "act",
            "--as",
            "1001",
            "--role",
            "head:riverside",
            "parent-consent",
            r,
            "--witnessed-by",
            "Ms A. Khan",
            "--on",
            "2026-11-24",
            "--freely-given",
        ],
        &[
            "act",
            "--as",
            "1001",
            "--role",
            "head:riverside",
            "pupil-consent",
            r,
            "--on",
            "2026-11-24",
        ],
        &[
            "act",
            "--as",
            "1001",
            "--role",
            "head:riverside",
            "agreement",
            r,
            "--start",
            "2027-01-11",
            "--weeks",
            "6",
            "--targets",
            "Attend every lesson",
            "--champion",
            "Mr D. Okafor",
            "--if-fails",
            "Returns home with a plan",
        ],
        &["act", "--as", "1011", "--role", "head:hillcrest", "sign", r],
    ];
    for step in steps {
        let out = run_on(&db, step);
        assert!(out.status.success(), "{step:?}: {}", text(&out));
    }
    let pdf = dir.path().join("agreement.pdf");
    let out = run_on(
        &db,
        &[
            "document",
            r,
            "agreement",
            "--as",
            "7",
            "--role",
            "coordinator",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let doc = lopdf::Document::load(&pdf).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let words = doc.extract_text(&pages).unwrap();
    assert!(
        words.contains("signed by Mr T. Obi (head, Hillcrest School)"),
        "{words}"
    );
}
