//! One message's fate: delivered and marked, or healed and tried once more, or made to
//! wait, or set aside, and what a case thread made again owes its readers (the case card).

use std::sync::Arc;

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, Nonce};
use tokio::time::Instant;

use super::Sender;
use crate::discord::delivery::backoff::{backoff, jitter};
use crate::discord::delivery::{classify, AttemptError, Verdict};
use crate::discord::render::embed;
use crate::discord::types::Error;
use crate::store::{DeliveryError, DueRow, StoreError};
use crate::view;

/// Marks that a case's deleted thread was made again: it is made again once only. The
/// mark's message id is 0 until the case card is in the new thread, so a card that failed
/// to post is posted before the next message there, and never twice.
const REMADE: &str = "thread-remade";

impl Sender {
    /// One message: delivered and marked, or healed and tried once more, or made to wait,
    /// or set aside. Only a failure of our own database is returned.
    pub(super) async fn attempt(self: &Arc<Self>, row: DueRow) -> Result<(), StoreError> {
        let store = self.service.store();
        let mut result = self.guarded(&row).await;
        if let Err(AttemptError::Delivery(failure, _)) = &result {
            if let Some(healed) = self.heal(&row, classify(*failure)).await {
                result = match healed {
                    Ok(()) => self.guarded(&row).await,
                    Err(e) => Err(e),
                };
            }
        }
        let now = self.service.now();
        self.gate(row.id, None);
        match result {
            Ok(()) => {
                store.mark_sent(row.id, now).await?;
                // It had failed before, perhaps set aside and retried by an admin: the
                // board's footer may count it still.
                if row.attempts > 0 && row.destination != "board" {
                    if let Err(e) = self.redraw_board().await {
                        tracing::warn!(error = %e, "could not update the board's footer");
                    }
                }
                Ok(())
            }
            Err(AttemptError::Store(e)) => Err(e),
            Err(AttemptError::Delivery(failure, error)) => match classify(failure) {
                Verdict::Retry { at_least } => {
                    let attempts = u32::try_from(row.attempts + 1).unwrap_or(u32::MAX);
                    let first = self.config.delivery.first_retry();
                    let wait = backoff(first, attempts, jitter(), at_least);
                    let at = now + chrono::Duration::from_std(wait).unwrap_or_default();
                    self.gate(row.id, Some(Instant::now() + wait));
                    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
                    tracing::info!(outbox = row.id, destination = %row.destination, status = ?error.status, attempts, wait_ms, "delivery failed for now; will retry");
                    store.delay_delivery(row.id, at, &error).await
                }
                Verdict::Gone | Verdict::Archived | Verdict::SetAside => {
                    self.set_aside(&row, &error).await
                }
            },
            Err(AttemptError::Build(error)) => self.set_aside(&row, &error).await,
        }
    }

    /// Delivers in a task of its own, so that a panic (a bug, or a row no code path
    /// expected) costs this message only: it is set aside and the sender goes on.
    async fn guarded(self: &Arc<Self>, row: &DueRow) -> Result<(), AttemptError> {
        let (me, owned) = (self.clone(), row.clone());
        match tokio::spawn(async move { me.deliver(&owned).await }).await {
            Ok(result) => result.map_err(AttemptError::from_error),
            Err(e) => {
                tracing::error!(
                    outbox = row.id,
                    panicked = e.is_panic(),
                    "delivering a message panicked; it is set aside"
                );
                Err(AttemptError::Build(DeliveryError {
                    status: None,
                    code: None,
                    message: "the bot failed while sending this message (a bug; see the logs)"
                        .into(),
                }))
            }
        }
    }

    /// Heals what a permanent failure says, when it can: a case thread that no longer
    /// exists is made again (once per case, with the case card), an archived one is
    /// unarchived. `None` when there is nothing to heal; `Some(Ok)` to try once more.
    async fn heal(&self, row: &DueRow, verdict: Verdict) -> Option<Result<(), AttemptError>> {
        let case_id = row
            .case_id
            .filter(|_| row.destination.starts_with("case:"))?;
        let threads = self.threads();
        match verdict {
            Verdict::Gone => {
                let mark = format!("{REMADE}:{case_id}");
                let store = self.service.store();
                match store.bot_message(&mark).await {
                    Ok(Some(_)) => return None,
                    Ok(None) => {}
                    Err(e) => return Some(Err(AttemptError::Store(e))),
                }
                tracing::warn!(
                    outbox = row.id,
                    case = case_id,
                    "a case thread was deleted; making it again"
                );
                let remade = async {
                    let old = threads.recorded(case_id).await?.map_or(0, |c| c.get());
                    // Card owed (message 0) before the thread is forgotten: whatever fails
                    // after this, the next delivery to the case posts the card first.
                    store.set_bot_message(&mark, old, 0).await?;
                    threads.forget(case_id).await?;
                    let Some(case) = store.case_by_id(case_id).await? else {
                        return Ok(());
                    };
                    self.thread(case_id, &case).await.map(|_| ())
                };
                Some(remade.await.map_err(AttemptError::from_error))
            }
            Verdict::Archived => {
                let reopened = async {
                    let thread = threads
                        .recorded(case_id)
                        .await?
                        .ok_or("no thread recorded")?;
                    tracing::info!(
                        outbox = row.id,
                        case = case_id,
                        "a case thread was archived; unarchiving it"
                    );
                    threads.reopen(thread).await
                };
                Some(reopened.await.map_err(AttemptError::from_error))
            }
            Verdict::Retry { .. } | Verdict::SetAside => None,
        }
    }

    /// In a case's new thread, where the case stands, if the card is still owed: the old
    /// thread and its history are gone from Discord (the audit trail is in the database).
    /// Recorded once Discord accepted it; its nonce makes a retry after a lost answer land
    /// once.
    pub(super) async fn post_owed_card(
        &self,
        case_id: i64,
        case: &crate::domain::Case,
        thread: ChannelId,
    ) -> Result<(), Error> {
        let mark = format!("{REMADE}:{case_id}");
        let store = self.service.store();
        let Some((old, 0)) = store.bot_message(&mark).await? else {
            return Ok(());
        };
        let card = view::case_card(case, self.service.partnership());
        let message = CreateMessage::new()
            .content("The earlier thread for this case was deleted, so here is a new one. Where the case stands:")
            .embed(embed(&card))
            .allowed_mentions(CreateAllowedMentions::new())
            .nonce(Nonce::String(format!("mm-remade-{case_id}")))
            .enforce_nonce(true);
        let posted = thread.send_message(&self.http, message).await?;
        store.set_bot_message(&mark, old, posted.id.get()).await?;
        self.remember(case_id, super::cards::Shows::Card, thread, posted.id)
            .await;
        Ok(())
    }

    /// Keeps the message with what Discord said, and tells the admins once: the board's
    /// footer counts the messages set aside (no post per failure).
    async fn set_aside(&self, row: &DueRow, error: &DeliveryError) -> Result<(), StoreError> {
        tracing::warn!(outbox = row.id, destination = %row.destination, status = ?error.status, code = ?error.code, "a message could not be delivered; set aside for an admin (/admin outbox)");
        self.service
            .store()
            .set_aside(row.id, self.service.now(), error)
            .await?;
        if row.destination != "board" {
            if let Err(e) = self.redraw_board().await {
                tracing::warn!(error = %e, "could not update the board's footer");
            }
        }
        Ok(())
    }
}
