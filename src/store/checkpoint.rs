//! WAL checkpoints off the command path.
//!
//! SQLite copies the write-ahead log back into the database file (a checkpoint) on the
//! commit that finds the log over 1,000 pages, and that commit waits for the copy and its
//! fsync: an occasional slow answer to whoever happened to press the button. The running
//! bot checkpoints every second in the background instead, so the log rarely reaches that
//! size. SQLite's automatic checkpoint stays on as the safety net, should this task stop.

use std::future::Future;
use std::time::Duration;

use tokio::task::JoinHandle;

use super::{Store, StoreError};
use crate::supervise::{supervise, Stop};

/// How often the background task checkpoints.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

impl Store {
    /// Copies what it can of the log into the database without waiting for readers or
    /// writers (`PASSIVE`); returns how many log pages were in the log and how many of
    /// them are now in the database.
    pub async fn checkpoint(&self) -> Result<(i64, i64), StoreError> {
        let (_, log, copied): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
            .fetch_one(&self.pool)
            .await?;
        Ok((log, copied))
    }
}

/// Checkpoints every [`CHECKPOINT_EVERY`] until `shutdown` completes; restarted after a
/// panic, like the bot's other background tasks.
pub fn spawn_checkpoints(
    store: Store,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> JoinHandle<()> {
    let stop = Stop::new(shutdown);
    supervise("checkpoints", move || {
        checkpoints(store.clone(), stop.wait())
    })
}

async fn checkpoints(store: Store, shutdown: impl Future<Output = ()> + Send + 'static) {
    tokio::pin!(shutdown);
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            _ = every.tick() => {
                if let Err(e) = store.checkpoint().await {
                    tracing::debug!(error = %e, "background checkpoint failed; SQLite's own will do");
                }
            }
        }
    }
}
