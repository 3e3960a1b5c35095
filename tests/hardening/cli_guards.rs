//! The CLI as a Unix tool that cannot wreck a live database: a closed stdout pipe stops it
//! quietly, `run` without a token fails loudly, `seed` and `demo` refuse databases that are
//! not theirs, and the demo's output is not broken up by log lines.

use crate::kit;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_managed-moves"));
    c.arg("--config")
        .arg(kit::config_path())
        .env_remove("DISCORD_TOKEN")
        .env_remove("RUST_LOG")
        .env_remove("MANAGED_MOVES_DATABASE")
        .env_remove("MANAGED_MOVES_CONFIG")
        .stdin(Stdio::null());
    c
}

fn run_on(db: &Path, args: &[&str]) -> Output {
    bin().arg("--database").arg(db).args(args).output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A database with `n` seeded cases.
fn seeded(dir: &Path, n: u32) -> PathBuf {
    let db = dir.join("live.db");
    let out = run_on(&db, &["seed", "--cases", &n.to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    db
}

/// Runs the binary with its stdout a pipe whose reading end is already closed, as in
/// `managed-moves list … | head` once head has read enough.
fn with_closed_stdout(db: &Path, args: &[&str]) -> Output {
    let mut child = bin()
        .arg("--database")
        .arg(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn list_and_show_into_a_closed_pipe_stop_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 40);
    let listed = run_on(
        &db,
        &[
            "--json",
            "list",
            "--as",
            "1",
            "--role",
            "coordinator",
            "--all",
        ],
    );
    assert!(listed.status.success(), "{}", text(&listed));
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let first = json["cases"][0]["reference"].as_str().unwrap().to_owned();
    let commands: [&[&str]; 3] = [
        &["list", "--as", "1", "--role", "coordinator", "--all"],
        &["show", &first, "--as", "1", "--role", "coordinator"],
        &["history", &first, "--as", "1", "--role", "coordinator"],
    ];
    for args in commands {
        let out = with_closed_stdout(&db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?} complained about the closed pipe: {stderr}"
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?} stopped quietly: {stderr}"
        );
    }
}

#[test]
fn run_without_a_token_fails_and_says_how_to_set_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .current_dir(dir.path())
        .arg("--database")
        .arg(dir.path().join("bot.db"))
        .arg("run")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("DISCORD_TOKEN is not set") && said.contains("Set it"),
        "{said}"
    );
    assert!(out.stdout.is_empty(), "no demo instead: {}", text(&out));
}

#[test]
fn no_subcommand_without_a_token_runs_the_demo_without_log_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin().current_dir(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Running the demo instead"), "{stdout}");
    assert!(
        stdout.contains("a managed move, start to finish"),
        "{stdout}"
    );
    assert!(
        out.stderr.is_empty(),
        "nothing logged between the demo's lines: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn seed_refuses_a_database_that_holds_cases() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 10);
    let out = run_on(&db, &["seed", "--cases", "10"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("already holds 10 cases"),
        "{}",
        text(&out)
    );
    let listed = run_on(
        &db,
        &[
            "--json",
            "list",
            "--as",
            "1",
            "--role",
            "coordinator",
            "--all",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json["cases"].as_array().unwrap().len(), 10, "nothing added");
}

#[test]
fn demo_refuses_a_database_it_did_not_make_and_reuses_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let live = seeded(dir.path(), 5);
    let before = std::fs::read(&live).unwrap();
    let out = bin()
        .args(["demo", "--demo-database"])
        .arg(&live)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("is not a demo database"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read(&live).unwrap(),
        before,
        "the live database is untouched"
    );

    let demo = dir.path().join("demo.db");
    for run in 0..2 {
        let out = bin()
            .args(["demo", "--demo-database"])
            .arg(&demo)
            .output()
            .unwrap();
        assert!(out.status.success(), "run {run}: {}", text(&out));
    }
}

#[cfg(unix)]
#[test]
fn documents_are_written_private_and_not_over_an_existing_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 5);
    let out_dir = dir.path().join("export");
    std::fs::create_dir(&out_dir).unwrap();
    let listed = run_on(
        &db,
        &[
            "--json",
            "list",
            "--as",
            "1",
            "--role",
            "coordinator",
            "--all",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let case = json["cases"][0]["reference"].as_str().unwrap().to_owned();
    let export = |force: bool| {
        let mut args = vec![
            "export",
            case.as_str(),
            "--as",
            "1",
            "--role",
            "coordinator",
        ];
        args.extend(["--out-dir", out_dir.to_str().unwrap()]);
        if force {
            args.push("--force");
        }
        run_on(&db, &args)
    };
    let first = export(false);
    assert!(first.status.success(), "{}", text(&first));
    let files: Vec<PathBuf> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 2);
    for f in &files {
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
    let again = export(false);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("--force"), "{}", text(&again));
    let forced = export(true);
    assert!(forced.status.success(), "{}", text(&forced));
}

#[test]
fn the_termly_report_writes_both_files_private_or_neither() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 20);
    let out_dir = dir.path().join("report");
    std::fs::create_dir(&out_dir).unwrap();
    let report = |term: &str, force: bool| {
        let mut args = vec!["report", "--as", "1", "--role", "coordinator"];
        args.extend(["--term", term, "--out-dir", out_dir.to_str().unwrap()]);
        if force {
            args.push("--force");
        }
        run_on(&db, &args)
    };
    let listed = || -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&out_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };
    let bad = report("autumn-2019", false);
    assert_eq!(bad.status.code(), Some(1), "{}", text(&bad));
    assert!(
        text(&bad).contains("not in the configured calendar"),
        "{}",
        text(&bad)
    );
    assert!(listed().is_empty(), "nothing written for a bad term");

    let first = report("autumn-2026", false);
    assert!(first.status.success(), "{}", text(&first));
    let files = listed();
    let names: Vec<String> = files
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "termly-report-autumn-2026.csv",
            "termly-report-autumn-2026.pdf"
        ]
    );
    for f in &files {
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
    }
    // Only the CSV is in the way: the PDF is not written either.
    std::fs::remove_file(&files[1]).unwrap();
    let again = report("autumn-2026", false);
    assert_eq!(again.status.code(), Some(1), "{}", text(&again));
    assert!(text(&again).contains("--force"), "{}", text(&again));
    assert_eq!(listed().len(), 1, "neither file written");
    assert!(report("autumn-2026", true).status.success());
    assert_eq!(listed().len(), 2);
}

#[test]
fn the_board_from_the_terminal_is_the_coordinators_and_counts_every_open_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = seeded(dir.path(), 120);
    let out = run_on(
        &db,
        &["board", "--as", "1", "--role", "coordinator", "--json"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let board: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sections = board["sections"].as_array().unwrap();
    let total: u64 = sections.iter().map(|s| s["total"].as_u64().unwrap()).sum();
    assert_eq!(board["open"].as_u64(), Some(total));
    let lines: usize = sections
        .iter()
        .map(|s| s["lines"].as_array().unwrap().len())
        .sum();
    assert!(lines > 0 && lines <= 25, "{lines} lines");
    for line in sections.iter().flat_map(|s| s["lines"].as_array().unwrap()) {
        let line = line.as_str().unwrap();
        assert!(
            !line.contains(" riverside ") && !line.contains(" hillcrest "),
            "{line}"
        );
    }
    let head = run_on(&db, &["board", "--as", "2", "--role", "head:riverside"]);
    assert!(!head.status.success());
    assert_eq!(text(&head).trim(), "Only coordinators see the board.");
}
