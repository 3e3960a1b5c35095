//! A case's private thread: found or created on first use, named by reference only, its
//! members added one by one (see `membership`), introduced once, and archived and locked
//! once the case has closed. Everything about a case's thread lives here, so that delivery
//! (the sender) only asks for "the thread of this case" and reports what Discord said of it.
//!
//! A closed case's thread is archived and locked after the message that closed the case.
//! Should anything about the case be posted later (a late reminder, say), the bot unarchives
//! the thread (it stays locked, so only the bot and moderators can post in it), posts, and
//! archives it again: nothing the schools should read is dropped, and the thread still ends
//! closed.

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, ChannelType, CreateAllowedMentions, CreateMessage, CreateThread, EditThread,
    GuildId, Http, MessageId, Nonce,
};

use super::membership;
use super::types::Error;
use crate::config::Config;
use crate::domain::Case;
use crate::service::Service;

pub struct CaseThreads<'a> {
    http: &'a Http,
    service: &'a Service,
    config: &'a Config,
}

impl<'a> CaseThreads<'a> {
    pub fn new(http: &'a Http, service: &'a Service, config: &'a Config) -> Self {
        Self {
            http,
            service,
            config,
        }
    }

    fn guild(&self) -> GuildId {
        GuildId::new(self.config.discord.guild_id)
    }

    /// An open thread under `parent` with this name that the bot itself made, if Discord has
    /// one. Only a private thread owned by the bot is ours: anyone may make a thread with a
    /// case's name (a public one, or a private one of their own that the bot cannot vouch
    /// for), and adopting it would post a case where the wrong people can read it.
    async fn existing_thread(
        &self,
        parent: ChannelId,
        name: &str,
    ) -> Result<Option<ChannelId>, Error> {
        let active = self.guild().get_active_threads(self.http).await?;
        let bot = self.http.get_current_user().await?.id;
        Ok(active
            .threads
            .iter()
            .find(|t| {
                t.parent_id == Some(parent)
                    && t.name == name
                    && t.kind == ChannelType::PrivateThread
                    && t.owner_id == Some(bot)
            })
            .map(|t| t.id))
    }

    /// The case's private thread, created on first use and named by reference only.
    pub async fn ensure(&self, case_id: i64, case: &Case) -> Result<ChannelId, Error> {
        let store = self.service.store();
        let thread = match store.case_thread(case_id).await? {
            Some(id) => ChannelId::new(id),
            None => {
                let parent = ChannelId::new(self.config.discord.case_threads_channel_id);
                let name = case.reference.to_string();
                // Discord takes no nonce for a new thread. A mark is written before asking
                // for one; an attempt that finds the mark (the bot stopped after Discord made
                // the thread and before it was recorded, or the request failed) looks for the
                // thread by its name first rather than make a second one.
                let asked = format!("thread-asked:{case_id}");
                let found = if store.bot_message(&asked).await?.is_some() {
                    self.existing_thread(parent, &name).await?
                } else {
                    store.set_bot_message(&asked, parent.get(), 0).await?;
                    None
                };
                let thread = match found {
                    Some(found) => found,
                    None => {
                        parent
                            .create_thread(
                                self.http,
                                CreateThread::new(name)
                                    .kind(serenity::ChannelType::PrivateThread)
                                    .invitable(false),
                            )
                            .await?
                            .id
                    }
                };
                store.set_case_thread(case_id, thread.get()).await?;
                thread
            }
        };
        // The marks below name the thread they are about, so a thread made anew (the old one
        // deleted) is treated as new whoever dropped the old one's ID.
        //
        // Closed and archived earlier, and something more is to be posted: open it again
        // (still locked); the sender archives it again after the post. A case reopened
        // (closed in error) is open again: its thread is unlocked too, for everyone.
        let closed_key = format!("thread-closed:{case_id}");
        if let Some((closed, _)) = store.bot_message(&closed_key).await? {
            if closed == thread.get() {
                self.unarchive(thread, !case.state.is_closed()).await?;
            }
            store.forget_bot_message(&closed_key).await?;
        }
        // Everyone whose roles let them see the case, added once, when the thread is new.
        // Recorded only once all were added, so a failure part way is finished next time.
        let team_key = format!("thread-team:{case_id}");
        let team = store.bot_message(&team_key).await?;
        if team.map(|(t, _)| t) != Some(thread.get()) {
            let added =
                membership::admit_team(self.http, self.service, self.guild(), thread, case).await?;
            tracing::info!(case = case_id, added, "case thread members added");
            store.set_bot_message(&team_key, thread.get(), 0).await?;
        }
        // The introduction is recorded once Discord accepted it. If posting it failed, the
        // next delivery to this thread posts it, instead of it being lost for good.
        let intro_key = format!("thread-intro:{case_id}");
        if store.bot_message(&intro_key).await?.is_none() {
            let posted = self.post_intro(thread, case_id, case).await?;
            store
                .set_bot_message(&intro_key, thread.get(), posted.get())
                .await?;
        }
        Ok(thread)
    }

    /// The thread's first message. It mentions nobody: a role mention does not bring a
    /// role's holders into a private thread, and the people on the case were added one by
    /// one just before.
    async fn post_intro(
        &self,
        thread: ChannelId,
        case_id: i64,
        case: &Case,
    ) -> Result<MessageId, Error> {
        let intro = CreateMessage::new()
            .content(format!(
                "Private thread for case `{}`. Everyone whose role lets them see this case is added here, and everything about the case is posted here.",
                case.reference,
            ))
            .allowed_mentions(CreateAllowedMentions::new())
            // A crash between posting and recording it must not post it twice.
            .nonce(Nonce::String(format!("mm-intro-{case_id}")))
            .enforce_nonce(true);
        Ok(thread.send_message(self.http, intro).await?.id)
    }

    // ---- Healing, for the sender (issue 12): small additions, `ensure` is unchanged. ----

    /// Forgets the case's thread (deleted in Discord) and the marks about it, so that the
    /// next `ensure` makes a new one and introduces it again.
    pub async fn forget(&self, case_id: i64) -> Result<(), Error> {
        self.service.store().forget_case_thread(case_id).await?;
        Ok(())
    }

    /// The thread the case has now, if one is recorded.
    pub async fn recorded(&self, case_id: i64) -> Result<Option<ChannelId>, Error> {
        let id = self.service.store().case_thread(case_id).await?;
        Ok(id.map(ChannelId::new))
    }

    /// Unarchives a thread so it takes posts again. Fails (and the message is set aside)
    /// when the bot may not, e.g. a thread a moderator locked.
    pub async fn reopen(&self, thread: ChannelId) -> Result<(), Error> {
        self.unarchive(thread, false).await
    }

    /// Unarchives a thread, and with `unlock` unlocks it (a reopened case's thread).
    async fn unarchive(&self, thread: ChannelId, unlock: bool) -> Result<(), Error> {
        let mut edit = EditThread::new().archived(false);
        if unlock {
            edit = edit.locked(false);
        }
        thread.edit_thread(self.http, edit).await?;
        Ok(())
    }

    /// Adds the person who acted to the case's thread if their current roles let them see
    /// the case (and only then).
    pub async fn admit(&self, thread: ChannelId, case: &Case, user: u64) {
        membership::admit_actor(self.http, self.service, self.guild(), thread, case, user).await;
    }

    /// After a post about a closed case: its thread is archived and locked, once. Nothing
    /// to do for a case without a thread.
    pub async fn close_if_closed(&self, case_id: i64, case: &Case) -> Result<(), Error> {
        if !case.state.is_closed() {
            return Ok(());
        }
        let store = self.service.store();
        let Some(thread) = store.case_thread(case_id).await? else {
            return Ok(());
        };
        let closed_key = format!("thread-closed:{case_id}");
        if store.bot_message(&closed_key).await?.map(|(t, _)| t) == Some(thread) {
            return Ok(());
        }
        let closing = ChannelId::new(thread)
            .edit_thread(self.http, EditThread::new().archived(true).locked(true))
            .await;
        match closing {
            Ok(_) => {}
            // Deleted by someone: there is nothing left to close.
            Err(serenity::Error::Http(e))
                if e.status_code() == Some(serenity::StatusCode::NOT_FOUND) =>
            {
                return Ok(())
            }
            Err(e) => return Err(e.into()),
        }
        store.set_bot_message(&closed_key, thread, 0).await?;
        Ok(())
    }
}
