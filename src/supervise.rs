//! Background tasks that must outlive a bug: the outbox sender, the scheduler, the case
//! thread upkeep, the WAL checkpoints. A panic in one is logged and the task started again
//! after a short pause; a task that returns (asked to stop) is not restarted.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;

/// The pause before a restart, so a task that panics at once does not spin.
pub const RESTART_AFTER: Duration = Duration::from_secs(1);

/// Runs `make()`'s task, and again each time it panics, until one run returns.
pub fn supervise<F, Fut>(name: &'static str, make: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    supervise_with(name, RESTART_AFTER, make)
}

fn supervise_with<F, Fut>(name: &'static str, pause: Duration, mut make: F) -> JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let mut restarts: u32 = 0;
        loop {
            match tokio::spawn(make()).await {
                Ok(()) => return,
                Err(e) if e.is_panic() => {
                    restarts = restarts.saturating_add(1);
                    // The panic's own message went to stderr through the panic hook; it may
                    // quote data, so it is not repeated in the log.
                    tracing::error!(
                        task = name,
                        restarts,
                        "background task panicked; restarting it"
                    );
                    tokio::time::sleep(pause).await;
                }
                // Cancelled: the runtime is shutting down.
                Err(_) => return,
            }
        }
    })
}

/// A shutdown signal every restart of a task can wait on (a future can be awaited once).
#[derive(Clone)]
pub struct Stop(tokio::sync::watch::Receiver<bool>);

impl Stop {
    pub fn new(shutdown: impl Future<Output = ()> + Send + 'static) -> Self {
        let (tx, rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = tx.send(true);
        });
        Self(rx)
    }

    /// Completes once shutdown was asked for (at once if it already was).
    pub fn wait(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.0.clone();
        async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        }
    }
}

/// Replaces the default panic message on stderr (where the logs go) with a log line that
/// says where the bug is but not what it said: a panic message can quote the value that
/// caused it, such as a slice of a pupil's initials or a note.
pub fn keep_panic_messages_out_of_logs() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "unknown".into());
        if tracing::dispatcher::has_been_set() {
            tracing::error!(at = %at, "a bug: the bot panicked here (its message is not logged)");
        } else {
            eprintln!("a bug: managed-moves panicked at {at} (its message is not shown)");
        }
    }));
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    use super::*;

    #[tokio::test]
    async fn a_task_that_panics_is_started_again_until_it_returns() {
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        supervise_with("test", Duration::ZERO, move || {
            let runs = counted.clone();
            async move {
                if runs.fetch_add(1, Ordering::SeqCst) < 2 {
                    panic!("a bug");
                }
            }
        })
        .await
        .expect("the supervisor itself never panics");
        assert_eq!(runs.load(Ordering::SeqCst), 3);
    }
}
