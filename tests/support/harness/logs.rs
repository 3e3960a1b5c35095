//! Log capture for bots started in-process: one global subscriber per test binary writes
//! everything to a buffer the scenarios search. The filter is the binary's at RUST_LOG=trace
//! (libraries pinned at warn, the bot at trace), so a pupil's initials or a note logged at
//! any level of ours would be caught.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

static BUFFER: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALLED: OnceLock<()> = OnceLock::new();

/// Everything logged so far in this test binary (all scenarios running in it).
pub fn captured() -> String {
    let bytes = BUFFER.lock().unwrap_or_else(|e| e.into_inner());
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Installs the capturing subscriber once. `E2E_SHOW_LOGS=1` also copies logs to stderr.
pub fn install() {
    INSTALLED.get_or_init(|| {
        // The binary's own filter at RUST_LOG=trace (libraries pinned at warn).
        let filter =
            tracing_subscriber::EnvFilter::new(managed_moves::telemetry::directives("trace"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(|| Capture)
            .with_ansi(false)
            .try_init();
    });
}

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        BUFFER
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        if std::env::var_os("E2E_SHOW_LOGS").is_some() {
            let _ = std::io::stderr().write_all(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails the test if `logs` contain any of `secrets` (initials, notes, the token), naming
/// which one and showing the line.
pub fn assert_clean(logs: &str, secrets: &[&str]) {
    for secret in secrets {
        if let Some(line) = logs.lines().find(|l| l.contains(secret)) {
            panic!("the bot's logs contain {secret:?}: {line}");
        }
    }
}
