//! Logging. Logs carry case references and event names, never pupil initials, free text or
//! the token. `RUST_LOG` sets the level (default: info for us, warn for libraries).

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// `default` applies when RUST_LOG is unset: the bot logs its progress, the CLI stays quiet.
pub fn init(default: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    // Logs go to stderr so that `--json` output on stdout stays clean for scripts.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal: a service manager's journal or a log
        // file would keep the escape codes as noise.
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}
