//! Logging. Logs carry case references and event names, never pupil initials, free text or
//! the token. `RUST_LOG` sets our level (default: info for the bot, warn for the CLI).
//!
//! Libraries stay at warn whatever `RUST_LOG` says: at debug or trace serenity logs each
//! request (its body: a case's message), each gateway event (a command's options: a pupil's
//! initials), and hyper, reqwest, rustls, tungstenite and sqlx add connection and statement
//! detail. So `RUST_LOG` raises our own crate only; for anyone else it may only lower.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Our crate's log target.
const OURS: &str = "managed_moves";

/// `default` applies when RUST_LOG is unset: the bot logs its progress, the CLI stays quiet.
pub fn init(default: &str) {
    let wanted = std::env::var("RUST_LOG").unwrap_or_else(|_| default.to_string());
    let filter = EnvFilter::new(directives(&wanted));
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

/// The filter for a `RUST_LOG`-style request: a bare level is our crate's level (others
/// get it only if it is quieter than warn); `managed_moves…=level` is kept; another
/// target keeps its directive only if it lowers that target below warn.
pub fn directives(wanted: &str) -> String {
    let mut others = "warn";
    let mut ours: Option<&str> = None;
    let mut kept = Vec::new();
    for d in wanted.split(',').map(str::trim).filter(|d| !d.is_empty()) {
        match d.split_once('=') {
            None if is_level(d) => {
                if quieter_than_warn(d) {
                    others = d;
                }
                ours = Some(d);
            }
            // A bare target means "everything" for it: only ours may have that.
            None => {
                if is_ours(d) {
                    kept.push(d.to_string());
                }
            }
            Some((target, level)) => {
                if target == OURS {
                    ours = Some(level);
                } else if is_ours(target) || quieter_than_warn(level) {
                    kept.push(d.to_string());
                }
            }
        }
    }
    let mut all = vec![others.to_string()];
    all.extend(ours.map(|level| format!("{OURS}={level}")));
    all.extend(kept);
    all.join(",")
}

fn is_ours(target: &str) -> bool {
    target == OURS || target.starts_with("managed_moves::")
}

fn is_level(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "trace" | "debug" | "info" | "warn" | "error" | "off"
    )
}

fn quieter_than_warn(level: &str) -> bool {
    matches!(
        level.to_ascii_lowercase().as_str(),
        "warn" | "error" | "off"
    )
}

#[cfg(test)]
mod tests {
    use super::directives;

    #[test]
    fn rust_log_raises_only_our_crate() {
        assert_eq!(directives("trace"), "warn,managed_moves=trace");
        assert_eq!(directives("debug"), "warn,managed_moves=debug");
        assert_eq!(
            directives("warn,managed_moves=info"),
            "warn,managed_moves=info"
        );
        assert_eq!(
            directives("serenity=trace,hyper=debug,sqlx,managed_moves::discord=trace"),
            "warn,managed_moves::discord=trace"
        );
    }

    #[test]
    fn rust_log_may_quieten_everything() {
        assert_eq!(directives("off"), "off,managed_moves=off");
        assert_eq!(
            directives("error,serenity=off"),
            "error,managed_moves=error,serenity=off"
        );
    }
}
