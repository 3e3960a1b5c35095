//! What a failed delivery means: try again later (transient) or not blindly (permanent),
//! and for the permanent ones, whether the bot can heal the cause itself. Pure: it reads
//! an HTTP status and Discord's JSON error code, nothing else.

use std::time::Duration;

/// Discord's JSON error codes the sender acts on.
pub mod code {
    pub const UNKNOWN_CHANNEL: i64 = 10003;
    pub const UNKNOWN_MESSAGE: i64 = 10008;
    pub const MISSING_ACCESS: i64 = 50001;
    pub const MISSING_PERMISSIONS: i64 = 50013;
    pub const THREAD_ARCHIVED: i64 = 50083;
    pub const THREAD_LOCKED: i64 = 160005;
}

/// A failed attempt as Discord (or the network) reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Discord answered with this status and JSON error code (0 when it gave none).
    Http {
        status: u16,
        code: i64,
        /// From a 429: how long Discord asked us to wait.
        retry_after: Option<Duration>,
    },
    /// No answer: a timeout, a refused or reset connection.
    Network,
}

/// What to do about a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Try again after a backoff (at least `at_least`, when Discord said how long).
    Retry { at_least: Option<Duration> },
    /// The thread or channel no longer exists: a case thread can be made again.
    Gone,
    /// The thread is archived: unarchive it, then try again.
    Archived,
    /// Not worth trying again until someone changes something (permissions, a locked
    /// thread, a message Discord refuses): set aside and tell the admins.
    SetAside,
}

pub fn classify(failure: Failure) -> Verdict {
    let (status, code, retry_after) = match failure {
        Failure::Network => return Verdict::Retry { at_least: None },
        Failure::Http {
            status,
            code,
            retry_after,
        } => (status, code, retry_after),
    };
    match (status, code) {
        (429, _) => Verdict::Retry {
            at_least: retry_after,
        },
        (500..=599, _) => Verdict::Retry { at_least: None },
        // A timeout Discord reports itself (408) passes like a network failure.
        (408, _) => Verdict::Retry { at_least: None },
        (404, code::UNKNOWN_CHANNEL) => Verdict::Gone,
        (400 | 403, code::THREAD_ARCHIVED) => Verdict::Archived,
        // Missing access or permissions, a locked thread, a deleted message: the same
        // request would fail the same way until someone changes something.
        (400 | 403, code::MISSING_ACCESS | code::MISSING_PERMISSIONS | code::THREAD_LOCKED)
        | (404, code::UNKNOWN_MESSAGE) => Verdict::SetAside,
        // Any other refusal (400 bad request, 401, 403, 404...) likewise.
        _ => Verdict::SetAside,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, code: i64) -> Verdict {
        classify(Failure::Http {
            status,
            code,
            retry_after: None,
        })
    }

    #[test]
    fn server_errors_timeouts_and_lost_connections_are_retried() {
        for status in [500, 502, 503, 504, 408] {
            assert_eq!(
                http(status, 0),
                Verdict::Retry { at_least: None },
                "{status}"
            );
        }
        assert_eq!(
            classify(Failure::Network),
            Verdict::Retry { at_least: None }
        );
    }

    #[test]
    fn a_rate_limit_is_retried_no_sooner_than_discord_asked() {
        let wait = Duration::from_millis(1500);
        assert_eq!(
            classify(Failure::Http {
                status: 429,
                code: 0,
                retry_after: Some(wait)
            }),
            Verdict::Retry {
                at_least: Some(wait)
            }
        );
    }

    #[test]
    fn permission_and_validation_errors_are_set_aside_not_retried() {
        for (status, c) in [
            (403, code::MISSING_ACCESS),
            (403, code::MISSING_PERMISSIONS),
            (400, 50035),
            (404, code::UNKNOWN_MESSAGE),
            (403, code::THREAD_LOCKED),
            (400, code::THREAD_LOCKED),
            (401, 0),
        ] {
            assert_eq!(http(status, c), Verdict::SetAside, "{status} {c}");
        }
    }

    #[test]
    fn a_deleted_channel_and_an_archived_thread_are_for_healing() {
        assert_eq!(http(404, code::UNKNOWN_CHANNEL), Verdict::Gone);
        assert_eq!(http(400, code::THREAD_ARCHIVED), Verdict::Archived);
        assert_eq!(http(403, code::THREAD_ARCHIVED), Verdict::Archived);
    }
}
