//! The bot's posts that show a case (its card under the call to decide, the extension's
//! ask, the card in a remade thread, the signed agreement's PDF), remembered by message ID
//! so a redaction can edit each of them to the case as it is now. Thread posts about single
//! events carry only summaries (no free text) and need no edit.

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, CreateAttachment, EditMessage, MessageId};

use super::Sender;
use crate::discord::render::embed;
use crate::discord::types::Error;
use crate::domain::Case;
use crate::view;

/// What a remembered post shows: the key's first part in `bot_messages`.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shows {
    Card,
    AgreementPdf,
}

impl Shows {
    fn key(self, case_id: i64, n: u32) -> String {
        let kind = match self {
            Shows::Card => "card",
            Shows::AgreementPdf => "agreement-pdf",
        };
        format!("{kind}:{case_id}:{n}")
    }
}

impl Sender {
    /// Remembers a post that shows the case. A failure is logged, never fails the post
    /// (it was delivered; only a later redaction could not edit it).
    pub(super) async fn remember(
        &self,
        case_id: i64,
        shows: Shows,
        channel: ChannelId,
        message: MessageId,
    ) {
        let store = self.service.store();
        let remembered = async {
            // A case has a handful of such posts: the first free number is found by looking.
            for n in 0.. {
                let key = shows.key(case_id, n);
                match store.bot_message(&key).await? {
                    Some((c, m)) if c == channel.get() && m == message.get() => break,
                    Some(_) => continue,
                    None => {
                        store
                            .set_bot_message(&key, channel.get(), message.get())
                            .await?;
                        break;
                    }
                }
            }
            Ok::<_, crate::store::StoreError>(())
        };
        if let Err(e) = remembered.await {
            tracing::warn!(case = case_id, error = %e, "could not remember a post that shows a case");
        }
    }

    /// Edits every remembered post of the case to show `case` (already as Discord may
    /// see it): after a redaction, the old text is gone from Discord too.
    pub(super) async fn refresh_posts(&self, case_id: i64, case: &Case) -> Result<(), Error> {
        let p = self.service.partnership();
        let store = self.service.store();
        for n in 0.. {
            let Some((channel, message)) = store.bot_message(&Shows::Card.key(case_id, n)).await?
            else {
                break;
            };
            let edit = EditMessage::new().embed(embed(&view::case_card(case, p)));
            let edited = ChannelId::new(channel)
                .edit_message(&self.http, MessageId::new(message), edit)
                .await;
            skip_gone(edited, case_id)?;
        }
        for n in 0.. {
            let key = Shows::AgreementPdf.key(case_id, n);
            let Some((channel, message)) = store.bot_message(&key).await? else {
                break;
            };
            let people = self.service.people_of_case(case.reference).await?;
            let pdf = crate::documents::agreement_pdf(case, p, &people)?;
            let edit = EditMessage::new().remove_all_attachments().new_attachment(
                CreateAttachment::bytes(pdf, format!("{}-agreement.pdf", case.reference)),
            );
            let edited = ChannelId::new(channel)
                .edit_message(&self.http, MessageId::new(message), edit)
                .await;
            skip_gone(edited, case_id)?;
        }
        Ok(())
    }
}

/// A post Discord no longer has (its thread was deleted and made again) needs no edit:
/// it shows nothing any more. Any other failure is the delivery's to retry.
fn skip_gone(edited: serenity::Result<serenity::Message>, case_id: i64) -> Result<(), Error> {
    match edited {
        Ok(_) => Ok(()),
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
            if r.status_code.as_u16() == 404 =>
        {
            tracing::info!(case = case_id, "a post to edit is gone from Discord");
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}
