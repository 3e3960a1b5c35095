//! The case threads' upkeep, a background task like the scheduler: at every wake-up it
//! deletes the threads retention left behind (see migrations/0010_threads_to_delete.sql):
//! the thread first, its ID after; once a day it archives and locks closed cases' threads
//! the sender could not, and runs the membership pass (`membership::sweep`).

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GuildId, Http, StatusCode};
use tokio::sync::Notify;

use super::membership::sweep;
use super::threads::CaseThreads;
use super::types::Error;
use crate::config::Config;
use crate::service::Service;
use crate::supervise::{supervise, Stop};

/// The day (days since 1 Jan 0001) of the last daily pass, kept in `bot_messages` so a
/// restart neither repeats nor skips a day's pass.
const SWEEP_KEY: &str = "thread-sweep";
/// The longest sleep between wake-ups: the clock's day can change while nothing wakes us.
const MAX_SLEEP: Duration = Duration::from_secs(10 * 60);

/// Deletes on Discord the threads retention queued; each ID is dropped only once Discord
/// confirmed the thread is gone (or had already gone).
pub async fn delete_retained_threads(http: &Http, service: &Service) -> Result<usize, Error> {
    let store = service.store();
    let mut deleted = 0;
    for thread in store.threads_to_delete().await? {
        match ChannelId::new(thread).delete(http).await {
            Ok(_) => {}
            Err(serenity::Error::Http(e)) if e.status_code() == Some(StatusCode::NOT_FOUND) => {}
            Err(e) => return Err(e.into()),
        }
        store.thread_deleted(thread).await?;
        deleted += 1;
    }
    Ok(deleted)
}

/// Closed cases' threads not yet archived and locked: the sender does it after the last
/// post, and this catches what it could not (Discord failing then, or cases that closed
/// before the bot archived threads at all).
async fn archive_closed_threads(
    http: &Http,
    service: &Service,
    config: &Config,
) -> Result<usize, Error> {
    let threads = CaseThreads::new(http, service, config);
    let closed = service.store().closed_case_threads_to_archive().await?;
    let mut archived = 0;
    for (case_id, case, _) in &closed {
        match threads.close_if_closed(*case_id, case).await {
            Ok(()) => archived += 1,
            // One thread that cannot be archived must not hold up the others.
            Err(e) => {
                tracing::warn!(case = case_id, error = %e, "could not archive a closed case's thread")
            }
        }
    }
    Ok(archived)
}

/// One wake-up: pending deletions, then the day's membership pass and closed threads'
/// archiving if not done yet today (by the service's clock, in the partnership's time zone).
async fn pass(http: &Http, service: &Service, config: &Config) -> Result<(), Error> {
    let deleted = delete_retained_threads(http, service).await?;
    if deleted > 0 {
        tracing::info!(deleted, "case threads deleted under the retention policy");
    }
    let today = service.partnership().today(service.now());
    let day = chrono::Datelike::num_days_from_ce(&today) as u64;
    let store = service.store();
    if store.bot_message(SWEEP_KEY).await?.map(|(_, d)| d) == Some(day) {
        return Ok(());
    }
    let archived = archive_closed_threads(http, service, config).await?;
    if archived > 0 {
        tracing::info!(archived, "closed cases' threads archived and locked");
    }
    let guild = GuildId::new(config.discord.guild_id);
    let report = sweep(http, service, guild).await?;
    tracing::info!(
        threads = report.threads,
        removed = report.removed,
        added = report.added,
        failed = report.failed,
        "case threads' members checked"
    );
    store.set_bot_message(SWEEP_KEY, 0, day).await?;
    Ok(())
}

/// The daily task: runs at start, whenever `wake` is notified (after each command, like the
/// scheduler), and at least every few minutes; returns when `shutdown` completes.
/// Supervised like the sender and the scheduler: a panic restarts it.
pub fn spawn(
    http: Arc<Http>,
    service: Service,
    config: Arc<Config>,
    wake: Arc<Notify>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let stop = Stop::new(shutdown);
    supervise("case thread upkeep", move || {
        run(
            http.clone(),
            service.clone(),
            config.clone(),
            wake.clone(),
            stop.wait(),
        )
    });
}

async fn run(
    http: Arc<Http>,
    service: Service,
    config: Arc<Config>,
    wake: Arc<Notify>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = pass(&http, &service, &config).await {
            tracing::warn!(error = %e, "case thread upkeep failed; will retry");
        }
        tokio::select! {
            _ = &mut shutdown => break,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(MAX_SLEEP) => {}
        }
    }
}
