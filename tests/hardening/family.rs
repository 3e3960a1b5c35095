//! The family's part from the command line (issue 14, items 5 and 8): `check-config` names
//! the legal basis in use, and a notice asked for where it does not apply is one sentence
//! on stderr, exit 1, and no file.

use crate::kit;

use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(config: &Path, db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(config)
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

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The example config, its placements under an off-site direction.
fn off_site(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(kit::config_path())
        .unwrap()
        .replace(
            "legal_basis = \"managed_move\"",
            "legal_basis = \"off_site_direction\"",
        );
    assert!(text.contains("off_site_direction"));
    let path = dir.join("off-site.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn check_config_names_the_legal_basis_and_the_privacy_options_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let out = run(&kit::config_path(), &db, &["check-config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Legal basis: managed move"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("Privacy: pupils' initials sent to Discord, notes sent to Discord"),
        "{}",
        stdout(&out)
    );
    let out = run(&off_site(dir.path()), &db, &["check-config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Legal basis: off-site direction"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_notice_that_does_not_apply_is_one_sentence_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    // The demo's case, agreed and carried through to its end.
    let out = run(
        &kit::config_path(),
        &db,
        &["demo", "--demo-database", db.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = dir.path().join("notice.pdf");
    let notice = |config: &Path, case: &str, start: Option<&str>| {
        let mut args = vec![
            "document",
            case,
            "notice",
            "--as",
            "1001",
            "--role",
            "head:riverside",
            "--out",
            pdf.to_str().unwrap(),
        ];
        if let Some(start) = start {
            args.extend(["--start", start]);
        }
        run(config, &db, &args)
    };
    // A managed-move partnership has no notice.
    let out = notice(&kit::config_path(), "MM-2026-0001", None);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("not off-site direction"),
        "{}",
        stderr(&out)
    );
    assert!(!pdf.exists());
    // Under an off-site direction, the demo's transfer waiting for the panel has no
    // agreement yet, so no start to give notice of. (A start under two school days away is
    // refused in the service and e2e tests, on a clock they control.)
    let config = off_site(dir.path());
    let out = notice(&config, "MM-2026-0002", Some("2026-11-02"));
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let said = stderr(&out);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(said.contains("no agreement yet"), "{said}");
    assert!(!pdf.exists());
    // The completed case's notice is a record of what was given: it is written.
    let out = notice(&config, "MM-2026-0001", None);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
}

#[test]
fn the_demo_gives_the_notice_and_reaches_its_end_under_an_off_site_direction() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let out = run(
        &off_site(dir.path()),
        &db,
        &["demo", "--demo-database", db.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.starts_with("Riverside Secondary Inclusion Partnership — an off-site direction"),
        "{said}"
    );
    assert!(
        said.contains("Recorded the parent/carer's copy of the agreement"),
        "{said}"
    );
    assert!(said.contains("Recorded the written notice"), "{said}");
    assert!(said.contains("Started the move on 2026-11-16"), "{said}");
    assert!(said.contains("MM-2026-0001 · completed"), "{said}");
}
