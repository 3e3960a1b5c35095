//! The real binary against a server set up wrongly: it must refuse to start. Runs
//! `managed-moves --config FILE run` against a fake with the test's own guild and waits for
//! the process to exit.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::support::fake_discord::{FakeConfig, FakeDiscord};

/// How the binary ended, what it printed, and the fake it talked to.
pub struct Exited {
    pub fake: FakeDiscord,
    pub code: Option<i32>,
    /// stdout and stderr together.
    pub output: String,
}

/// Starts the binary against a fake serving `guild` and waits (up to `TIMEOUT`) for it to
/// exit on its own. Panics if it is still running then: it went live when it should not.
pub async fn run_binary_against(guild: FakeConfig) -> Exited {
    run_to_exit(guild, &["run"], Some(super::TOKEN)).await
}

/// `managed-moves --config FILE ARGS…` against a fake serving `guild`, with `DISCORD_TOKEN`
/// set to `token` (or unset), run until it exits.
pub async fn run_to_exit(guild: FakeConfig, args: &[&str], token: Option<&str>) -> Exited {
    let (fake, dir, config_path, _db) = super::prepare_guild(guild).await;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_managed-moves"));
    match token {
        Some(t) => command.env("DISCORD_TOKEN", t),
        None => command.env_remove("DISCORD_TOKEN"),
    };
    let child = command
        .arg("--config")
        .arg(&config_path)
        .args(args)
        .current_dir(dir.path())
        .env_remove("RUST_LOG")
        .env_remove("MANAGED_MOVES_DATABASE")
        .env_remove("MANAGED_MOVES_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the managed-moves binary");
    let pid = child.id();
    let waited = tokio::task::spawn_blocking(move || child.wait_with_output());
    let started = Instant::now();
    let out = tokio::time::timeout(super::TIMEOUT, waited).await;
    let out = match out {
        Ok(joined) => joined.expect("join").expect("wait for the binary"),
        Err(_) => {
            // Still running: kill it by its own pid so the test does not leave it behind.
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!(
                "the binary was still running after {:?}: it should have exited",
                started.elapsed().max(Duration::ZERO)
            );
        }
    };
    drop(dir);
    Exited {
        fake,
        code: out.status.code(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}
