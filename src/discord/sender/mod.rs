//! Delivers the outbox to Discord: case threads, the head's call to decide, the SEIP panel,
//! and the coordinators' board. A row is marked sent only after Discord accepted it; each
//! new message carries a nonce derived from the row, with `enforce_nonce`, so a retry after
//! a crash between posting and marking is deduplicated by Discord instead of posted twice
//! (within Discord's nonce window of a few minutes: delivery is at least once).
//!
//! Order holds per destination (a case's thread, the SEIP channel, the board, the
//! coordinators' channel), not across the queue: a destination that fails holds back only
//! its own later messages, and destinations are delivered to side by side (up to
//! `[delivery] at_once`), so one that is slow without failing holds back nobody either.
//! Transient failures wait with backoff; permanent ones are healed when the bot can (a
//! deleted case thread made again once, an archived one unarchived) or set aside for an
//! admin, who is told once, in the board's footer.
//!
//! Here: the loop and the queue. `attempt` decides what a failure means for a row,
//! `compose` builds and posts each kind of message, `board` draws the board.

mod attempt;
mod board;
mod cards;
mod compose;
#[cfg(test)]
pub(crate) use compose::proposal_call;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude::Http;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::delivery::backoff::{backoff, jitter, CAP, FIRST};
use super::types::Data;
use crate::config::Config;
use crate::service::Service;
use crate::store::{DueRow, StoreError};
use crate::supervise::supervise;

/// Destinations looked at per pass: far more than ever have messages waiting at once.
const HEADS: i64 = 1000;
const IDLE_POLL: Duration = Duration::from_secs(30);

/// Starts the sender under a supervisor: a panic restarts it (and the row that caused it
/// is set aside, see [`Sender::attempt`]).
pub fn spawn(http: Arc<Http>, data: &Data) {
    let sender = Arc::new(Sender {
        http,
        service: data.service.clone(),
        config: data.config.clone(),
        gates: Mutex::default(),
        board: tokio::sync::Mutex::default(),
    });
    let wake = data.outbox.clone();
    supervise("outbox sender", move || sender.clone().run(wake.clone()));
}

struct Sender {
    http: Arc<Http>,
    service: Service,
    config: Arc<Config>,
    /// When each backing-off message may be tried again, on tokio's clock. The time is
    /// also stored (`next_attempt_at`, on the injected clock) for the admins' list and for
    /// a restart; waiting itself is measured here, so a test's fixed clock cannot stop it.
    gates: Mutex<HashMap<i64, Instant>>,
    /// One redraw of the board at a time: destinations are delivered side by side, and two
    /// redraws that both found the board deleted would post two boards.
    board: tokio::sync::Mutex<()>,
}

/// What one destination's delivery task hands back.
type Done = (String, Result<(), StoreError>);

impl Sender {
    async fn run(self: Arc<Self>, wake: Arc<Notify>) {
        self.move_board_if_needed().await;
        let mut failures: u32 = 0;
        loop {
            let wait = match self.deliver_due(&wake).await {
                Ok(()) => {
                    failures = 0;
                    self.until_next_retry()
                }
                Err(e) => {
                    // Our database, not Discord: try the whole pass again later.
                    failures = failures.saturating_add(1);
                    tracing::warn!(error = %e, failures, "outbox delivery stopped; will retry");
                    backoff(FIRST, failures, jitter(), None).min(IDLE_POLL)
                }
            };
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// How long until the earliest waiting message may be tried again (at most the idle
    /// poll). Gates already open do not count: their rows are either being delivered or
    /// are no longer at the head of a line (sent, set aside, discarded).
    fn until_next_retry(&self) -> Duration {
        let gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        gates
            .values()
            .filter(|at| **at > now)
            .map(|at| at.saturating_duration_since(now))
            .min()
            .unwrap_or(IDLE_POLL)
            .clamp(Duration::from_millis(10), IDLE_POLL)
    }

    /// Whether a message backing off may be tried now. After a restart the stored time
    /// sets the wait (never longer than the backoff's cap).
    fn may_try(&self, row: &DueRow) -> bool {
        let Some(at) = row.next_attempt_at else {
            return true;
        };
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        let gate = gates.entry(row.id).or_insert_with(|| {
            let left = (at - self.service.now()).to_std().unwrap_or(Duration::ZERO);
            Instant::now() + left.min(CAP)
        });
        *gate <= Instant::now()
    }

    fn gate(&self, id: i64, until: Option<Instant>) {
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        match until {
            Some(at) => gates.insert(id, at),
            None => gates.remove(&id),
        };
    }

    /// Forgets the gates of rows no longer at the head of a line (an admin discarded one
    /// that was backing off), so they cannot make the loop wake for nothing.
    fn keep_gates_of(&self, heads: &[DueRow]) {
        let ids: HashSet<i64> = heads.iter().map(|r| r.id).collect();
        let mut gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        gates.retain(|id, _| ids.contains(id));
    }

    /// Delivers the head of every destination's line that may go now, several lines at
    /// once, until none may. A line has at most one message in flight, so order holds
    /// within it; when one finishes, its next message is started at once, whatever the
    /// others are doing. A line that fails waits (or its message is set aside) while the
    /// others go on. Returns when nothing is in flight and nothing may start.
    async fn deliver_due(self: &Arc<Self>, wake: &Notify) -> Result<(), StoreError> {
        let at_once = usize::from(self.config.delivery.at_once.max(1));
        let mut running: JoinSet<Done> = JoinSet::new();
        let mut busy: HashSet<String> = HashSet::new();
        let mut failed: Option<StoreError> = None;
        loop {
            if failed.is_none() && running.len() < at_once {
                match self.start_due(&mut running, &mut busy, at_once).await {
                    Ok(()) => {}
                    Err(e) => failed = Some(e),
                }
            }
            if running.is_empty() {
                return failed.map_or(Ok(()), Err);
            }
            tokio::select! {
                joined = running.join_next() => match joined {
                    Some(Ok((destination, result))) => {
                        busy.remove(&destination);
                        if let Err(e) = result {
                            // Let what is in flight finish, start nothing more.
                            failed.get_or_insert(e);
                        }
                    }
                    // `attempt` catches a panic while delivering; one outside that is a
                    // bug in the sender itself: the supervisor restarts it.
                    Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                    Some(Err(_)) | None => {}
                },
                // New messages, or a line's backoff over: look for more to start.
                _ = wake.notified() => {}
                _ = tokio::time::sleep(self.until_next_retry()) => {}
            }
        }
    }

    /// Starts the head of each line that is not in flight and may go now, up to `at_once`
    /// in flight.
    async fn start_due(
        self: &Arc<Self>,
        running: &mut JoinSet<Done>,
        busy: &mut HashSet<String>,
        at_once: usize,
    ) -> Result<(), StoreError> {
        let heads = self.service.store().pending_heads(HEADS).await?;
        self.keep_gates_of(&heads);
        for row in heads {
            if running.len() >= at_once {
                break;
            }
            if busy.contains(&row.destination) || !self.may_try(&row) {
                continue;
            }
            busy.insert(row.destination.clone());
            let me = self.clone();
            running.spawn(async move { (row.destination.clone(), me.attempt(row).await) });
        }
        Ok(())
    }
}
