//! Delivers the outbox to Discord: case threads, the head's call to decide, the SEIP panel,
//! and the coordinators' board. A row is marked sent only after Discord accepted it; each
//! new message carries a nonce derived from the row, with `enforce_nonce`, so a retry after
//! a crash between posting and marking is deduplicated by Discord instead of posted twice
//! (within Discord's nonce window of a few minutes: delivery is at least once).
//!
//! Order holds per destination (a case's thread, the SEIP channel, the board, the
//! coordinators' channel), not across the queue: a destination that fails holds back only
//! its own later messages. Transient failures wait with backoff; permanent ones are healed
//! when the bot can (a deleted case thread made again once, an archived one unarchived) or
//! set aside for an admin, who is told once, in the board's footer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, CreateAllowedMentions, CreateMessage, EditMessage, Http, MessageId, Nonce,
};

use tokio::sync::Notify;
use tokio::time::Instant;

use super::delivery::backoff::{backoff, jitter, CAP};
use super::delivery::{classify, AttemptError, Verdict};
use super::reminders;
use super::render::{board_embed, decision_buttons, embed, mentions, ButtonFamily};
use super::threads::CaseThreads;
use super::types::{Data, Error};
use crate::config::Config;
use crate::domain::{Capacity, Case, RoleId};
use crate::service::{Audience, Notice, Notification, Service};
use crate::store::{DeliveryError, DueRow, OutboxRow, StoreError};
use crate::supervise::supervise;
use crate::view;

/// Destinations looked at per pass: far more than ever have messages waiting at once.
const HEADS: i64 = 1000;
const IDLE_POLL: Duration = Duration::from_secs(30);
const BOARD_KEY: &str = "board";
/// The board loads at most this many cases: about as many lines as its embed holds.
const BOARD_ROWS: u32 = 40;
/// Marks that a case's deleted thread was made again: it is made again once only.
const REMADE: &str = "thread-remade";

/// Starts the sender under a supervisor: a panic restarts it (and the row that caused it
/// is set aside, see [`Sender::attempt`]).
pub fn spawn(http: Arc<Http>, data: &Data) {
    let sender = Arc::new(Sender {
        http,
        service: data.service.clone(),
        config: data.config.clone(),
        gates: Mutex::default(),
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
}

impl Sender {
    async fn run(self: Arc<Self>, wake: Arc<Notify>) {
        self.move_board_if_needed().await;
        let mut failures: u32 = 0;
        loop {
            let wait = match self.deliver_due().await {
                Ok(()) => {
                    failures = 0;
                    self.until_next_retry()
                }
                Err(e) => {
                    // Our database, not Discord: try the whole pass again later.
                    failures = failures.saturating_add(1);
                    tracing::warn!(error = %e, failures, "outbox delivery stopped; will retry");
                    backoff(failures, jitter(), None).min(IDLE_POLL)
                }
            };
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// After `board_channel_id` changed, the board moves at start-up rather than on the
    /// next change to a case.
    async fn move_board_if_needed(&self) {
        let configured = self.config.discord.board_channel_id;
        match self.service.store().bot_message(BOARD_KEY).await {
            Ok(Some((channel, _))) if channel != configured => {
                if let Err(e) = self.redraw_board().await {
                    tracing::warn!(error = %e, "could not move the board to its new channel");
                }
            }
            _ => {}
        }
    }

    /// How long until the earliest waiting message may be tried again (at most the idle
    /// poll).
    fn until_next_retry(&self) -> Duration {
        let gates = self.gates.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        gates
            .values()
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

    /// Delivers the head of every destination's line that may go now, until none may: a
    /// line that fails waits (or its message is set aside) while the others go on.
    async fn deliver_due(self: &Arc<Self>) -> Result<(), StoreError> {
        loop {
            let rows = self.service.store().pending_heads(HEADS).await?;
            let mut attempted = false;
            for row in rows {
                if self.may_try(&row) {
                    attempted = true;
                    self.attempt(row).await?;
                }
            }
            if !attempted {
                return Ok(());
            }
        }
    }

    /// One message: delivered and marked, or healed and tried once more, or made to wait,
    /// or set aside. Only a failure of our own database is returned.
    async fn attempt(self: &Arc<Self>, row: DueRow) -> Result<(), StoreError> {
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
                    let wait = backoff(attempts, jitter(), at_least);
                    let at = now + chrono::Duration::from_std(wait).unwrap_or_default();
                    self.gate(row.id, Some(Instant::now() + wait));
                    tracing::info!(outbox = row.id, destination = %row.destination, status = ?error.status, attempts, wait_ms = wait.as_millis() as u64, "delivery failed for now; will retry");
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
        let threads = CaseThreads::new(&self.http, &self.service, &self.config);
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
                    store.set_bot_message(&mark, old, 0).await?;
                    threads.forget(case_id).await?;
                    self.post_case_card(case_id).await
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

    /// In a case's new thread, where the case stands: the old thread and its history are
    /// gone from Discord (the audit trail is in the database).
    async fn post_case_card(&self, case_id: i64) -> Result<(), Error> {
        let Some(case) = self.service.store().case_by_id(case_id).await? else {
            return Ok(());
        };
        let thread = self.thread(case_id, &case).await?;
        let card = view::case_card(&case, self.service.partnership());
        let message = CreateMessage::new()
            .content("The earlier thread for this case was deleted, so here is a new one. Where the case stands:")
            .embed(embed(&card))
            .allowed_mentions(CreateAllowedMentions::new())
            .nonce(Nonce::String(format!("mm-remade-{case_id}")))
            .enforce_nonce(true);
        thread.send_message(&self.http, message).await?;
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

    async fn deliver(&self, row: &DueRow) -> Result<(), Error> {
        let nonce = Nonce::String(format!("mm-outbox-{}", row.id));
        let Some(case_id) = row.case_id else {
            // The coordinators' digests: no case, their own payload.
            let (http, service) = (&self.http, &self.service);
            let row = OutboxRow {
                id: row.id,
                case_id: None,
                audience: row.audience.clone(),
                kind: row.kind.clone(),
                payload: row.payload.clone(),
                attempts: row.attempts,
            };
            return reminders::deliver_digest(http, service, &self.config, &row, nonce).await;
        };
        let note: Notification = serde_json::from_str(&row.payload)?;
        let Some(case) = self.service.store().case_by_id(case_id).await? else {
            return Ok(());
        };
        match (&note.audience, &note.notice) {
            (Audience::CaseThread, Notice::CaseEvent { summary, by, .. }) => {
                let thread = self.thread(case_id, &case).await?;
                // Only if their current roles let them see the case.
                self.threads().admit(thread, &case, by.0).await;
                let message = CreateMessage::new()
                    .content(format!("**{}** · <@{}>", summary, by.0))
                    .allowed_mentions(CreateAllowedMentions::new());
                thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::CaseThread, Notice::AgreementDocument) => {
                let thread = self.thread(case_id, &case).await?;
                let p = self.service.partnership();
                let pdf = crate::documents::agreement_pdf(&case, p)?;
                let message = CreateMessage::new()
                    .content(
                        "The agreement is signed by both schools. Here it is for your records.",
                    )
                    .add_file(serenity::CreateAttachment::bytes(
                        pdf,
                        format!("{}-agreement.pdf", case.reference),
                    ))
                    .allowed_mentions(CreateAllowedMentions::new());
                thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::Head { school }, Notice::ProposalReceived) => {
                let thread = self.thread(case_id, &case).await?;
                let roles = self.roles(&Capacity::Head(school.clone()));
                let p = self.service.partnership();
                let message = CreateMessage::new()
                    .content(format!(
                        "{} {} proposes a {} to {}. Please accept or decline.",
                        mentions(&roles),
                        p.school_name(&case.home),
                        case.kind.label(),
                        p.school_name(&case.destination)
                    ))
                    .embed(embed(&view::case_card(&case, p)))
                    .components(decision_buttons(
                        ButtonFamily::Proposal,
                        &case.reference.to_string(),
                    ))
                    .allowed_mentions(
                        CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)),
                    );
                thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::Seip, Notice::PanelDecisionNeeded) => {
                let message = self
                    .seip_message(&case, "needs the panel's decision. Both heads have agreed; there is no return to the home school. Open it with")
                    .components(decision_buttons(ButtonFamily::Panel, &case.reference.to_string()));
                ChannelId::new(self.config.discord.seip_channel_id)
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::Seip, Notice::TransferEnded) => {
                let message = self.seip_message(&case, "was ended early by the destination head. There is no return to the home school, so the panel needs to decide the next placement. The reason is in");
                ChannelId::new(self.config.discord.seip_channel_id)
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (audience, Notice::Reminder { .. }) => {
                let message = reminders::case_reminder(&self.service, &case, &note);
                let channel = match audience {
                    Audience::Seip => ChannelId::new(self.config.discord.seip_channel_id),
                    Audience::Coordinators => ChannelId::new(self.config.discord.board_channel_id),
                    Audience::CaseThread | Audience::Head { .. } => {
                        self.thread(case_id, &case).await?
                    }
                };
                channel
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::Coordinators, Notice::BoardChanged) => {
                // One redraw shows every change queued so far: the board's later rows are
                // done by it too.
                let store = self.service.store();
                let upto = store.last_pending_in("board").await?;
                self.redraw_board().await?;
                store
                    .mark_sent_through("board", upto.max(row.id), self.service.now())
                    .await?;
            }
            _ => tracing::warn!(
                outbox = row.id,
                "skipped a notification with an unexpected audience"
            ),
        }
        // A closed case's thread is archived and locked after its last message. The post
        // went out: a failure here must not send it again; the daily upkeep retries.
        if let Err(e) = self.threads().close_if_closed(case_id, &case).await {
            tracing::warn!(case = case_id, error = %e, "could not archive a closed case's thread");
        }
        Ok(())
    }

    /// A post in the SEIP panel's channel about a managed transfer, pinging the panel. The
    /// channel is shared, so no initials: the reference, schools and year group are enough
    /// to open the case with `/case show`.
    fn seip_message(&self, case: &Case, what: &str) -> CreateMessage {
        let roles = self.roles(&Capacity::Seip);
        let p = self.service.partnership();
        CreateMessage::new()
            .content(format!(
                "{} Managed transfer `{}` from {} to {} ({}) {what} `/case show {}`.",
                mentions(&roles),
                case.reference,
                p.school_name(&case.home),
                p.school_name(&case.destination),
                case.pupil.year,
                case.reference
            ))
            .allowed_mentions(CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)))
    }

    /// The case's private thread, created (and introduced) on first use.
    async fn thread(&self, case_id: i64, case: &Case) -> Result<ChannelId, Error> {
        self.threads().ensure(case_id, case).await
    }

    fn threads(&self) -> CaseThreads<'_> {
        CaseThreads::new(&self.http, &self.service, &self.config)
    }

    /// Draws the board: edited in place (one stored message id keeps it single), posted
    /// anew if someone deleted it, and moved when `board_channel_id` changed (the new one
    /// posted first, then the old one deleted).
    async fn redraw_board(&self) -> Result<(), Error> {
        let store = self.service.store();
        // More than an embed holds; only the most urgent are loaded.
        let urgent = store.urgent_open_cases(BOARD_ROWS).await?;
        let set_aside = u64::try_from(store.set_aside_count().await?).unwrap_or(0);
        let p = self.service.partnership();
        let lines = view::board(&urgent.cases, p, p.today(self.service.now()));
        let embed = board_embed(&p.name, &lines, urgent.open, set_aside);
        let channel = ChannelId::new(self.config.discord.board_channel_id);
        let stored = store.bot_message(BOARD_KEY).await?;
        if let Some((stored_channel, message)) = stored.filter(|(c, _)| *c == channel.get()) {
            let edit = EditMessage::new().embed(embed.clone());
            match channel
                .edit_message(&self.http, MessageId::new(message), edit)
                .await
            {
                Ok(_) => return Ok(()),
                // Deleted by someone: post a fresh board below.
                Err(serenity::Error::Http(e))
                    if e.status_code() == Some(serenity::StatusCode::NOT_FOUND) =>
                {
                    tracing::info!(
                        channel = stored_channel,
                        "the board was deleted; posting it again"
                    );
                }
                Err(e) => return Err(e.into()),
            }
        }
        let posted = channel
            .send_message(
                &self.http,
                CreateMessage::new()
                    .embed(embed)
                    .allowed_mentions(CreateAllowedMentions::new()),
            )
            .await?;
        store
            .set_bot_message(BOARD_KEY, channel.get(), posted.id.get())
            .await?;
        if let Some((old_channel, old)) = stored.filter(|(c, _)| *c != channel.get()) {
            // The board moved: the old one would go stale. Already gone is fine too.
            let deleted = ChannelId::new(old_channel)
                .delete_message(&self.http, MessageId::new(old))
                .await;
            match deleted {
                Ok(()) => tracing::info!("the board moved to its new channel"),
                Err(e) => {
                    tracing::warn!(error = %e, "the board moved; the old one could not be deleted")
                }
            }
        }
        Ok(())
    }

    fn roles(&self, capacity: &Capacity) -> Vec<RoleId> {
        self.service.roles().roles_for(capacity)
    }
}
