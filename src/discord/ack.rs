//! Discord's three seconds. An interaction that gets no callback within 3 s shows "This
//! interaction failed", whatever the bot does afterwards. A write can wait for SQLite's
//! write lock (the CLI, `retention --apply`, a start-up re-plan hold it), so a command that
//! is not done soon is acknowledged first (a private "thinking…" that the answer replaces),
//! and then finishes. A command that is done in time answers directly, as before: the
//! common case costs no extra request.

use std::fmt::Display;
use std::future::Future;
use std::time::Duration;

/// How long a command may run before it is acknowledged. Well under Discord's 3 s: the
/// interaction has already spent time on the gateway, and the acknowledgement itself is a
/// request to Discord that takes its own time.
pub const ACKNOWLEDGE_AFTER: Duration = Duration::from_millis(1000);

/// Runs `work`; if it is still running after [`ACKNOWLEDGE_AFTER`], calls `acknowledge`
/// and goes on waiting. Returns what `work` gave and whether the interaction was
/// acknowledged (so the answer must be a follow-up). The work is never abandoned: once it
/// has started, it commits or fails on its own terms, and the answer says which.
pub async fn acknowledging<T, W, A, AF, E>(work: W, acknowledge: A) -> (T, bool)
where
    W: Future<Output = T>,
    A: FnOnce() -> AF,
    AF: Future<Output = Result<(), E>>,
    E: Display,
{
    acknowledging_after(ACKNOWLEDGE_AFTER, work, acknowledge).await
}

async fn acknowledging_after<T, W, A, AF, E>(after: Duration, work: W, acknowledge: A) -> (T, bool)
where
    W: Future<Output = T>,
    A: FnOnce() -> AF,
    AF: Future<Output = Result<(), E>>,
    E: Display,
{
    tokio::pin!(work);
    tokio::select! {
        biased;
        done = &mut work => (done, false),
        _ = tokio::time::sleep(after) => {
            let acknowledged = match acknowledge().await {
                Ok(()) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "could not acknowledge a slow interaction");
                    false
                }
            };
            (work.await, acknowledged)
        }
    }
}

// No clock in these tests: "slow" work waits for a signal that only the acknowledgement
// gives, so it can finish only if it was acknowledged first.
#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tokio::sync::oneshot;

    const NEVER: Duration = Duration::from_secs(3600);

    #[tokio::test]
    async fn work_done_in_time_is_answered_without_an_acknowledgement() {
        let acked = Mutex::new(false);
        let (value, deferred) = acknowledging_after(NEVER, async { 7 }, || async {
            *acked.lock().unwrap() = true;
            Ok::<(), String>(())
        })
        .await;
        assert_eq!((value, deferred), (7, false));
        assert!(!*acked.lock().unwrap());
    }

    #[tokio::test]
    async fn slow_work_is_acknowledged_first_and_still_finishes() {
        let (tell, told) = oneshot::channel::<()>();
        let work = async { told.await.map(|_| "done after the acknowledgement") };
        let (value, deferred) = acknowledging_after(Duration::ZERO, work, || async {
            tell.send(()).map_err(|_| "work gone")
        })
        .await;
        assert_eq!(value, Ok("done after the acknowledgement"));
        assert!(deferred);
    }

    #[tokio::test]
    async fn a_failed_acknowledgement_does_not_abandon_the_work() {
        let (tell, told) = oneshot::channel::<()>();
        let work = async { told.await.is_ok() };
        let (finished, deferred) = acknowledging_after(Duration::ZERO, work, || async {
            let _ = tell.send(());
            Err::<(), _>("Discord said no")
        })
        .await;
        assert!(finished, "the work ran to its end");
        assert!(
            !deferred,
            "not acknowledged: the answer must be a first response"
        );
    }
}
