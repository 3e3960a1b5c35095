//! The loop around [`tick`]: sleep until the next reminder is due or a command wakes it,
//! never polling busily, and stop when told to.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::{replan_all, tick};
use crate::service::Service;
use crate::supervise::{supervise, Stop};

/// The longest sleep, even with nothing due: the wall clock can jump (a suspended machine,
/// a clock fixed by NTP) while tokio's timer does not, and new digests are added as days
/// pass. Waking every few minutes to run one indexed query is not polling in any real sense.
const MAX_SLEEP: Duration = Duration::from_secs(10 * 60);
/// After a failure (the database busy or full), try again after this.
const RETRY: Duration = Duration::from_secs(30);

/// Starts the scheduler. `wake` is notified after each command (its reminders may have
/// changed); `outbox` is notified after a tick queued anything, so the sender delivers at
/// once. Returns when `shutdown` completes.
///
/// Supervised: a panic in a tick is logged and the loop started again (re-planning first).
pub fn spawn(
    service: Service,
    wake: Arc<Notify>,
    outbox: Arc<Notify>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    let stop = Stop::new(shutdown);
    supervise("scheduler", move || {
        run(service.clone(), wake.clone(), outbox.clone(), stop.wait())
    })
}

async fn run(
    service: Service,
    wake: Arc<Notify>,
    outbox: Arc<Notify>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    match replan_all(&service).await {
        Ok(cases) => tracing::info!(cases, "reminders planned; scheduler running"),
        Err(e) => tracing::warn!(error = %e, "could not re-plan reminders at start-up"),
    }
    tokio::pin!(shutdown);
    loop {
        let wait = step(&service, &outbox).await;
        tokio::select! {
            _ = &mut shutdown => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(wait) => {}
        }
    }
    tracing::info!("scheduler stopped");
}

/// One tick; returns how long to sleep before the next.
async fn step(service: &Service, outbox: &Notify) -> Duration {
    let now = service.now();
    match tick(service, now).await {
        Ok(report) => {
            if report.queued > 0 {
                outbox.notify_one();
            }
            if report.more {
                return Duration::ZERO;
            }
            report
                .next_due
                .map(|due| (due - now).to_std().unwrap_or(Duration::ZERO))
                .unwrap_or(MAX_SLEEP)
                .min(MAX_SLEEP)
        }
        Err(e) => {
            tracing::warn!(error = %e, "scheduler tick failed; will retry");
            RETRY
        }
    }
}
