//! Delivers the outbox to Discord: case threads, the head's call to decide, the SEIP panel,
//! and the coordinators' board. A row is marked sent only after Discord accepted it; each
//! new message carries a nonce derived from the row, with `enforce_nonce`, so a retry after
//! a crash between posting and marking is deduplicated by Discord instead of posted twice.

use std::sync::Arc;
use std::time::Duration;

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, CreateAllowedMentions, CreateMessage, EditMessage, Http, MessageId, Nonce,
};

use super::reminders;
use super::render::{board_embed, decision_buttons, embed, mentions, ButtonFamily};
use super::threads::CaseThreads;
use super::types::{Data, Error};
use crate::config::Config;
use crate::domain::{Capacity, Case, RoleId};
use crate::service::{Audience, Notice, Notification, Service};
use crate::store::OutboxRow;
use crate::view;

const BATCH: i64 = 50;
const IDLE_POLL: Duration = Duration::from_secs(30);
const BOARD_KEY: &str = "board";
/// The board loads at most this many cases: about as many lines as its embed holds.
const BOARD_ROWS: u32 = 40;

pub fn spawn(http: Arc<Http>, data: &Data) {
    let sender = Sender {
        http,
        service: data.service.clone(),
        config: data.config.clone(),
    };
    let wake = data.outbox.clone();
    tokio::spawn(async move {
        let mut failures: u32 = 0;
        loop {
            match sender.deliver_pending().await {
                Ok(()) => failures = 0,
                Err(e) => {
                    failures = failures.saturating_add(1);
                    tracing::warn!(error = %e, failures, "outbox delivery failed; will retry");
                }
            }
            // Back off after failures (Discord down, rate limited); otherwise sleep until woken.
            let wait = if failures > 0 {
                Duration::from_secs(1 << failures.min(6))
            } else {
                IDLE_POLL
            };
            tokio::select! {
                _ = wake.notified(), if failures == 0 => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    });
}

struct Sender {
    http: Arc<Http>,
    service: Service,
    config: Arc<Config>,
}

impl Sender {
    /// Delivers everything pending, in order; stops at the first failure so order holds.
    async fn deliver_pending(&self) -> Result<(), Error> {
        loop {
            let rows = self.service.store().unsent(BATCH).await?;
            if rows.is_empty() {
                return Ok(());
            }
            let mut board_redrawn = false;
            for row in rows {
                let result = self.deliver(&row, &mut board_redrawn).await;
                match result {
                    Ok(()) => {
                        self.service
                            .store()
                            .mark_sent(row.id, self.service.now())
                            .await?
                    }
                    Err(e) => {
                        self.service.store().note_attempt(row.id).await?;
                        return Err(e);
                    }
                }
            }
        }
    }

    async fn deliver(&self, row: &OutboxRow, board_redrawn: &mut bool) -> Result<(), Error> {
        let nonce = Nonce::String(format!("mm-outbox-{}", row.id));
        let Some(case_id) = row.case_id else {
            // The coordinators' digests: no case, their own payload.
            let (http, service) = (&self.http, &self.service);
            return reminders::deliver_digest(http, service, &self.config, row, nonce).await;
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
                if !*board_redrawn {
                    self.redraw_board().await?;
                    *board_redrawn = true;
                }
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

    async fn redraw_board(&self) -> Result<(), Error> {
        // More than an embed holds; only the most urgent are loaded.
        let urgent = self.service.store().urgent_open_cases(BOARD_ROWS).await?;
        let p = self.service.partnership();
        let lines = view::board(&urgent.cases, p, p.today(self.service.now()));
        let embed = board_embed(&p.name, &lines, urgent.open);
        let channel = ChannelId::new(self.config.discord.board_channel_id);
        if let Some((stored_channel, message)) = self.service.store().bot_message(BOARD_KEY).await?
        {
            let edit = EditMessage::new().embed(embed.clone());
            match ChannelId::new(stored_channel)
                .edit_message(&self.http, MessageId::new(message), edit)
                .await
            {
                Ok(_) => return Ok(()),
                // Deleted by someone: post a fresh board below.
                Err(serenity::Error::Http(e))
                    if e.status_code() == Some(serenity::StatusCode::NOT_FOUND) => {}
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
        self.service
            .store()
            .set_bot_message(BOARD_KEY, channel.get(), posted.id.get())
            .await?;
        Ok(())
    }

    fn roles(&self, capacity: &Capacity) -> Vec<RoleId> {
        self.service.roles().roles_for(capacity)
    }
}
