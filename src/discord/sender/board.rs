//! The coordinators' board: one message, edited in place, posted again if deleted, moved
//! when `board_channel_id` changes.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAllowedMentions, CreateMessage, EditMessage, MessageId};

use super::Sender;
use crate::discord::board::board_message;
use crate::discord::types::Error;

const BOARD_KEY: &str = "board";

impl Sender {
    /// After `board_channel_id` changed, the board moves at start-up rather than on the
    /// next change to a case.
    pub(super) async fn move_board_if_needed(&self) {
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

    /// Draws the board: edited in place (one stored message id keeps it single), posted
    /// anew if someone deleted it, and moved when `board_channel_id` changed (the new one
    /// posted first, then the old one deleted). One redraw at a time.
    pub(super) async fn redraw_board(&self) -> Result<(), Error> {
        let _one_at_a_time = self.board.lock().await;
        let store = self.service.store();
        let set_aside = u64::try_from(store.set_aside_count().await?).unwrap_or(0);
        let p = self.service.partnership();
        let board = self.service.board().await?;
        let (embed, menu) = board_message(&p.name, &board, set_aside);
        let channel = ChannelId::new(self.config.discord.board_channel_id);
        let stored = store.bot_message(BOARD_KEY).await?;
        if let Some((stored_channel, message)) = stored.filter(|(c, _)| *c == channel.get()) {
            let edit = EditMessage::new()
                .embed(embed.clone())
                .components(menu.clone());
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
                    .components(menu)
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
}
