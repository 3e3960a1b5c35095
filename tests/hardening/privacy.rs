//! Secrets and privacy: the database (and its write-ahead log) private to the bot's user
//! from the first write; the Discord token never in a Debug or Display, an error, the
//! output or the logs, even at trace level; logs never carry a pupil's initials or notes.

use crate::kit;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use managed_moves::config::Secret;
use managed_moves::service::ServiceError;
use managed_moves::store::{Store, StoreError};

const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GxYzAb.s3cr3t-t0ken-never-to-be-seen_0123456789";

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("file exists")
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_log_are_private_from_the_first_write() {
    let dir = tempfile::tempdir().unwrap();
    let config = kit::config();
    let path = dir.path().join("sub/dir/private.db");
    let (service, clock) = kit::service_on(&path, &config).await;
    kit::walk(&service, &clock, &config, kit::Stage::Accepted, "Mentoring").await;
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        assert_eq!(mode(Path::new(&file)), 0o600, "{file}");
    }

    // A file someone created readable by all is made private when the bot opens it.
    let loose = dir.path().join("loose.db");
    std::fs::write(&loose, b"").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = Store::open(&loose).await.unwrap();
    sqlx::query("CREATE TABLE t (x)")
        .execute(store.pool())
        .await
        .unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", loose.display());
        assert_eq!(mode(Path::new(&file)), 0o600, "{file}");
    }
}

#[test]
fn the_token_never_shows_in_debug_display_or_errors() {
    let secret = Secret::new(TOKEN);
    for shown in [
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{:?}", Some(&secret)),
    ] {
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
    // The config has no place for the token at all.
    let config = kit::config();
    let dump = format!("{config:?}");
    assert!(
        !dump.to_lowercase().contains("token"),
        "a token field in the config: {dump}"
    );
    // An internal error shows a reference, never the detail.
    let e = ServiceError::internal(&StoreError::Corrupt(format!("token {TOKEN}")), None);
    assert!(!e.to_string().contains("s3cr3t"), "{e}");
    assert!(!format!("{e:?}").contains("s3cr3t"), "{e:?}");
}

/// Runs the binary with the token in its environment and logs at trace level; returns
/// (exit success, stdout + stderr). Killed after `limit` if still running (the bot).
fn run_binary(args: &[&str], config: &Path, limit: Duration) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("DISCORD_TOKEN", TOKEN)
        .env("RUST_LOG", "trace")
        .env_remove("MANAGED_MOVES_DATABASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let started = Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().expect("poll").is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().expect("output");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A copy of the example config with its own database and, for the bot, a Discord that is
/// not there (a closed port on this machine), so nothing leaves it.
fn scratch_config(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(kit::config_path())
        .unwrap()
        .replace(
            "path = \"data/managed-moves.db\"",
            &format!("path = \"{}\"", dir.join("bot.db").display()),
        )
        .replace(
            "api_base = \"https://discord.com\"",
            "api_base = \"http://127.0.0.1:9\"",
        );
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_binary_never_prints_or_logs_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let config = scratch_config(dir.path());
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[partnership]\nname = \"\"\n").unwrap();
    let cases: Vec<(Vec<&str>, &Path)> = vec![
        // The bot itself, failing to reach Discord.
        (vec!["run"], config.as_path()),
        (vec!["check-config"], config.as_path()),
        (vec!["check-config"], broken.as_path()),
        (
            vec!["act", "--as", "1", "accept", "MM-2026-0001"],
            config.as_path(),
        ),
        (
            vec!["--json", "list", "--as", "1", "--role", "coordinator"],
            config.as_path(),
        ),
    ];
    for (args, config) in cases {
        let (_, output) = run_binary(&args, config, Duration::from_secs(6));
        assert!(
            !output.contains("s3cr3t") && !output.contains(TOKEN),
            "{args:?} showed the token:\n{output}"
        );
    }
}

/// Runs one CLI command with logs at trace level; returns its log stream (stderr).
fn logs_of(config: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(config)
        .args(args)
        .env("RUST_LOG", "trace")
        .env_remove("MANAGED_MOVES_DATABASE")
        .env_remove("DISCORD_TOKEN")
        .output()
        .expect("run");
    let logs = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "{args:?}: {logs}");
    logs
}

#[test]
fn logs_carry_case_references_never_pupil_details_or_notes() {
    let dir = tempfile::tempdir().unwrap();
    let config = scratch_config(dir.path());
    // Only the log stream (stderr) is checked: stdout is the answer to the person acting.
    let mut logs = logs_of(
        &config,
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
            "Q.Z.",
            "--year",
            "9",
            "--reason",
            "exclusion",
            "--tried",
            "MAGENTA-HERON mentoring",
            "--answers",
            "yes,yes,yes,yes,yes,yes,yes,yes",
            "--note",
            "2=CERULEAN-OTTER",
        ],
    );
    logs += &logs_of(
        &config,
        &[
            "act",
            "--as",
            "1011",
            "--role",
            "head:hillcrest",
            "decline",
            "MM-2026-0001",
            "--reason",
            "VERMILION-IBIS no place",
        ],
    );
    logs += &logs_of(
        &config,
        &[
            "history",
            "MM-2026-0001",
            "--as",
            "1",
            "--role",
            "coordinator",
        ],
    );
    assert!(logs.contains("MM-2026-0001"), "logs name the case: {logs}");
    for secret in ["Q.Z.", "MAGENTA", "CERULEAN", "VERMILION"] {
        assert!(!logs.contains(secret), "the log carries {secret}:\n{logs}");
    }
}
