//! What each kind of message looks like and where it goes: a case event or the agreement in
//! the case's thread, the head's call to decide, the SEIP panel's posts, reminders, the
//! coordinators' digests, and the board's redraw.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, Nonce};

use super::cards::Shows;
use super::Sender;
use crate::discord::reminders;
use crate::discord::render::{decision_buttons, embed, mentions, ButtonFamily};
use crate::discord::threads::CaseThreads;
use crate::discord::types::Error;
use crate::domain::{Capacity, Case, RoleId};
use crate::service::{Audience, Notice, Notification};
use crate::store::{DueRow, OutboxRow};
use crate::view;

/// The destination head's call to decide, above the case card (which lists the eight
/// suitability answers): any "no" or "unsure" is said here too, before the buttons.
pub(crate) fn proposal_call(
    case: &Case,
    p: &crate::domain::Partnership,
    roles: &[RoleId],
) -> String {
    let kind = p.policy.kind_name(case.kind);
    let article = crate::domain::family::article(kind);
    let mut text = format!(
        "{} {} proposes {article} {kind} to {}. Please accept or decline.",
        mentions(roles),
        p.school_name(&case.home),
        p.school_name(&case.destination)
    );
    if !view::suitability::concerns(&case.suitability).is_empty() {
        text.push('\n');
        text.push_str(&view::suitability::summary(&case.suitability));
        text.push(' ');
        text.push_str(view::suitability::BEFORE_ACCEPTING);
    }
    text
}

impl Sender {
    pub(super) async fn deliver(&self, row: &DueRow) -> Result<(), Error> {
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
            reminders::deliver_digest(http, service, &self.config, &row, nonce).await?;
            // A new day moves cases between the board's sections (overdue, this week) with
            // no change to any case: the day's digest redraws the board too.
            if let Err(e) = self.redraw_board().await {
                tracing::warn!(error = %e, "could not redraw the board for the new day");
            }
            return Ok(());
        };
        let note: Notification = serde_json::from_str(&row.payload)?;
        let Some(case) = self.service.store().case_by_id(case_id).await? else {
            return Ok(());
        };
        // Everything below renders the case for Discord: as `[privacy]` lets Discord hold it.
        let case = self.service.for_discord(case).await?;
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
                let people = self.service.people_of_case(case.reference).await?;
                let pdf = crate::documents::agreement_pdf(&case, p, &people)?;
                let message = CreateMessage::new()
                    .content(
                        "The agreement is signed by both schools. Here it is for your records.",
                    )
                    .add_file(serenity::CreateAttachment::bytes(
                        pdf,
                        format!("{}-agreement.pdf", case.reference),
                    ))
                    .allowed_mentions(CreateAllowedMentions::new());
                let posted = thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
                self.remember(case_id, Shows::AgreementPdf, thread, posted.id)
                    .await;
            }
            (Audience::Head { school }, Notice::ProposalReceived) => {
                let thread = self.thread(case_id, &case).await?;
                let roles = self.roles(&Capacity::Head(school.clone()));
                let p = self.service.partnership();
                let message = CreateMessage::new()
                    .content(proposal_call(&case, p, &roles))
                    .embed(embed(&view::case_card(&case, p)))
                    .components(decision_buttons(
                        ButtonFamily::Proposal,
                        &case.reference.to_string(),
                    ))
                    .allowed_mentions(
                        CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)),
                    );
                let posted = thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
                self.remember(case_id, Shows::Card, thread, posted.id).await;
            }
            // A head is asked to agree in the case thread, with the card and a button.
            (
                Audience::Head { school },
                notice @ (Notice::ExtensionAsked | Notice::ReopenAsked),
            ) => {
                let thread = self.thread(case_id, &case).await?;
                let roles = self.roles(&Capacity::Head(school.clone()));
                let p = self.service.partnership();
                let message = match notice {
                    Notice::ExtensionAsked => {
                        crate::discord::extension::asked_message(&case, p, &roles)
                    }
                    _ => crate::discord::lead::reopen_asked_message(&case, p, &roles),
                };
                let posted = thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
                self.remember(case_id, Shows::Card, thread, posted.id).await;
            }
            (Audience::CaseThread, Notice::OwnerPinged { step }) => {
                let thread = self.thread(case_id, &case).await?;
                let p = self.service.partnership();
                let message =
                    crate::discord::escalation::pinged_message(&self.service, &case, p, step);
                thread
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (Audience::CaseThread, Notice::Redacted) => {
                // The thread is made (or healed) first, so the edits reach a live thread.
                self.thread(case_id, &case).await?;
                self.refresh_posts(case_id, &case).await?;
            }
            (Audience::Seip, Notice::PanelDecisionNeeded) => {
                let message = self
                    .seip_message(&case, "needs the panel's decision. Both heads have agreed; there is no return to the home school. Open it with")
                    .components(decision_buttons(ButtonFamily::Panel, &case.reference.to_string()));
                ChannelId::new(self.config.discord.seip_channel_id)
                    .send_message(&self.http, message.nonce(nonce).enforce_nonce(true))
                    .await?;
            }
            (audience, Notice::ExtraApprovalNeeded) => {
                let message = crate::discord::approval::needed_message(
                    &case,
                    self.service.partnership(),
                    audience,
                    self.service.roles(),
                );
                let channel = match audience {
                    Audience::Seip => self.config.discord.seip_channel_id,
                    _ => self.config.discord.board_channel_id,
                };
                ChannelId::new(channel)
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
        // Destinations go side by side, so only the thread's own last message closes it: a
        // SEIP post or the board finishing first must not lock the thread before the
        // messages still queued for it.
        let closed = match self.last_of_its_line(row).await {
            Ok(true) => self.threads().close_if_closed(case_id, &case).await,
            Ok(false) => Ok(()),
            Err(e) => Err(e),
        };
        if let Err(e) = closed {
            tracing::warn!(case = case_id, error = %e, "could not archive a closed case's thread");
        }
        Ok(())
    }

    /// Whether this is a case thread's message with nothing queued after it.
    async fn last_of_its_line(&self, row: &DueRow) -> Result<bool, Error> {
        if !row.destination.starts_with("case:") {
            return Ok(false);
        }
        let last = self
            .service
            .store()
            .last_pending_in(&row.destination)
            .await?;
        Ok(last <= row.id)
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

    /// The case's private thread, created (and introduced) on first use; in a thread made
    /// again after the old one was deleted, the case card comes before anything else.
    pub(super) async fn thread(&self, case_id: i64, case: &Case) -> Result<ChannelId, Error> {
        let thread = self.threads().ensure(case_id, case).await?;
        self.post_owed_card(case_id, case, thread).await?;
        Ok(thread)
    }

    pub(super) fn threads(&self) -> CaseThreads<'_> {
        CaseThreads::new(&self.http, &self.service, &self.config)
    }

    fn roles(&self, capacity: &Capacity) -> Vec<RoleId> {
        self.service.roles().roles_for(capacity)
    }
}
