//! A case's private thread: found or created on first use, named by reference only, and
//! introduced once. Everything about a case's thread lives here, so that delivery (the
//! sender) only asks for "the thread of this case" and reports what Discord said of it.

use poise::serenity_prelude as serenity;
use serenity::{
    ChannelId, CreateAllowedMentions, CreateMessage, CreateThread, Http, MessageId, Nonce,
};

use super::render::mentions;
use super::types::Error;
use crate::config::Config;
use crate::domain::{Capacity, Case, RoleId};
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

    /// An open thread under `parent` with this name, if Discord has one.
    async fn existing_thread(
        &self,
        parent: ChannelId,
        name: &str,
    ) -> Result<Option<ChannelId>, Error> {
        let guild = serenity::GuildId::new(self.config.discord.guild_id);
        let active = guild.get_active_threads(self.http).await?;
        Ok(active
            .threads
            .iter()
            .find(|t| t.parent_id == Some(parent) && t.name == name)
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

    /// The thread's first message, calling in both schools' heads and staff.
    async fn post_intro(
        &self,
        thread: ChannelId,
        case_id: i64,
        case: &Case,
    ) -> Result<MessageId, Error> {
        // Mentioning the schools' roles in a private thread adds their members to it.
        let mut roles = Vec::new();
        for school in [&case.home, &case.destination] {
            roles.extend(roles_for(self.service, &Capacity::Head(school.clone())));
            roles.extend(roles_for(self.service, &Capacity::Staff(school.clone())));
        }
        let intro = CreateMessage::new()
            .content(format!(
                "Private thread for case `{}`. {} — everything about this case is posted here.",
                case.reference,
                mentions(&roles)
            ))
            .allowed_mentions(CreateAllowedMentions::new().roles(roles.iter().map(|r| r.0)))
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
        thread
            .edit_thread(self.http, serenity::EditThread::new().archived(false))
            .await?;
        Ok(())
    }
}

fn roles_for(service: &Service, capacity: &Capacity) -> Vec<RoleId> {
    service.roles().roles_for(capacity)
}
