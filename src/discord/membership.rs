//! Who is in a case's private thread, made explicit.
//!
//! A private thread is seen only by its members (and by those with Manage Threads). A role
//! mention in a message the bot posts does not add that role's holders to a private thread:
//! Discord renders the mention and notifies nobody who is not already in it. So the bot adds
//! people one by one (`PUT /channels/{thread}/thread-members/{user}`): everyone whose roles
//! let them see the case when the thread is made, and whoever acts on the case later if
//! their current roles let them. Once a day it takes out of each open case's thread those
//! whose roles no longer let them see it (and adds those who now may). The rule itself is
//! `domain::permissions::may_join_thread`; this file only asks Discord who holds which role.
//!
//! Reading the member list (`GET /guilds/{id}/members`) needs the privileged GUILD_MEMBERS
//! intent ("Server Members Intent" in the Developer Portal).
//!
//! The daily pass itself, and the rest of the threads' upkeep, run from `upkeep`.

use std::collections::HashMap;

use poise::serenity_prelude as serenity;
use serenity::{ChannelId, GuildId, Http, StatusCode, UserId};

use super::delivery::classify::code;
use super::types::Error;
use crate::domain::permissions::may_join_thread;
use crate::domain::{Case, RoleId};
use crate::service::Service;

/// What to do when Discord refuses the member list, said where the operator will look.
pub const MEMBERS_INTENT_REFUSED: &str = "Discord refused the server's member list, which the bot needs to add people to case threads one by one. Switch on \"Server Members Intent\" (Developer Portal → your application → Bot → Privileged Gateway Intents) and start the bot again.";

/// Discord's largest page of members.
const PAGE: u64 = 1000;

/// Everyone in the server who is not a bot, with their roles.
async fn guild_members(http: &Http, guild: GuildId) -> Result<HashMap<UserId, Vec<RoleId>>, Error> {
    let mut all = HashMap::new();
    let mut after = None;
    loop {
        let page = match guild.members(http, Some(PAGE), after).await {
            Ok(page) => page,
            Err(serenity::Error::Http(e)) if e.status_code() == Some(StatusCode::FORBIDDEN) => {
                return Err(MEMBERS_INTENT_REFUSED.into())
            }
            Err(e) => return Err(e.into()),
        };
        let full = page.len() as u64 == PAGE;
        after = page.last().map(|m| m.user.id);
        for m in page.into_iter().filter(|m| !m.user.bot) {
            let roles = m.roles.iter().map(|r| RoleId(r.get())).collect();
            all.insert(m.user.id, roles);
        }
        if !full {
            return Ok(all);
        }
    }
}

fn may_join(service: &Service, user: UserId, roles: &[RoleId], case: &Case) -> bool {
    let actor = service
        .roles()
        .actor(crate::domain::UserId(user.get()), roles);
    may_join_thread(&actor, case)
}

/// Discord closes the gateway (4014) when the bot asks for an intent the Developer Portal has
/// not switched on: say which switch, instead of serenity's bare "disallowed intents".
pub fn explain_gateway_refusal(e: serenity::Error) -> Error {
    match e {
        serenity::Error::Gateway(serenity::GatewayError::DisallowedGatewayIntents) => {
            MEMBERS_INTENT_REFUSED.into()
        }
        e => e.into(),
    }
}

/// At start-up: one page of one member, to learn early whether Discord lets the bot read
/// the member list at all.
pub async fn check_member_list(http: &Http, guild: GuildId) -> Result<(), Error> {
    match guild.members(http, Some(1), None).await {
        Ok(_) => Ok(()),
        Err(serenity::Error::Http(e)) if e.status_code() == Some(StatusCode::FORBIDDEN) => {
            Err(MEMBERS_INTENT_REFUSED.into())
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds to a new thread everyone whose roles let them see the case.
pub async fn admit_team(
    http: &Http,
    service: &Service,
    guild: GuildId,
    thread: ChannelId,
    case: &Case,
) -> Result<usize, Error> {
    let members = guild_members(http, guild).await?;
    let mut added = 0;
    for (user, roles) in &members {
        if !may_join(service, *user, roles, case) {
            continue;
        }
        // One person Discord will not add (who cannot see the threads' channel, say) must
        // not hold up the case's posts; the daily pass tries again.
        match change_member(http, thread, *user, true).await {
            Ok(()) => added += 1,
            Err(e) => tracing::warn!(error = %e, "could not add someone to a new case thread"),
        }
    }
    Ok(added)
}

/// Adds the person who acted, if their roles (as Discord has them now, not as the
/// interaction had them) let them see the case. Never fails a delivery: at worst they are
/// not added, and the daily pass corrects it.
pub async fn admit_actor(
    http: &Http,
    service: &Service,
    guild: GuildId,
    thread: ChannelId,
    case: &Case,
    user: u64,
) {
    // 0 is no Discord user (a trial ID from the command line); serenity panics on it.
    let Some(user) = std::num::NonZeroU64::new(user).map(|u| UserId::new(u.get())) else {
        return;
    };
    let roles: Vec<RoleId> = match guild.member(http, user).await {
        Ok(m) => m.roles.iter().map(|r| RoleId(r.get())).collect(),
        // Not (or no longer) in the server: not added.
        Err(e) => {
            tracing::debug!(error = %e, "did not add someone who acted to a case thread");
            return;
        }
    };
    if !may_join(service, user, &roles, case) {
        return;
    }
    if let Err(e) = thread.add_thread_member(http, user).await {
        tracing::warn!(error = %e, "could not add someone who acted to their case thread");
    }
}

/// Adds or removes one thread member. An open case's thread that Discord archived after a
/// quiet week takes no change of members (50083): it is unarchived and the change made.
async fn change_member(
    http: &Http,
    thread: ChannelId,
    user: UserId,
    add: bool,
) -> Result<(), Error> {
    let attempt = || async {
        if add {
            thread.add_thread_member(http, user).await
        } else {
            thread.remove_thread_member(http, user).await
        }
    };
    match attempt().await {
        Err(serenity::Error::Http(serenity::HttpError::UnsuccessfulRequest(r)))
            if r.error.code as i64 == code::THREAD_ARCHIVED =>
        {
            thread
                .edit_thread(http, serenity::EditThread::new().archived(false))
                .await?;
            attempt().await?;
        }
        other => other?,
    }
    Ok(())
}

/// What a membership pass changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SweepReport {
    pub threads: usize,
    pub removed: usize,
    pub added: usize,
    /// Threads whose members could not be changed; tried again at the next day's pass.
    pub failed: usize,
}

/// Brings each open case's thread in line with who may see the case now.
pub async fn sweep(http: &Http, service: &Service, guild: GuildId) -> Result<SweepReport, Error> {
    let open = service.store().open_case_threads().await?;
    let mut report = SweepReport::default();
    if open.is_empty() {
        return Ok(report);
    }
    let members = guild_members(http, guild).await?;
    let bot = http.get_current_user().await?.id;
    for (case_id, case, thread) in open {
        let thread = ChannelId::new(thread);
        let current: Vec<UserId> = match thread.get_thread_members(http).await {
            Ok(list) => list.into_iter().map(|m| m.user_id).collect(),
            // One unreadable thread (deleted by hand, say) must not stop the others.
            Err(e) => {
                tracing::warn!(case = case_id, error = %e, "could not read a case thread's members");
                continue;
            }
        };
        report.threads += 1;
        let leaving = current.iter().filter(|u| **u != bot).filter(|u| {
            !members
                .get(u)
                .is_some_and(|roles| may_join(service, **u, roles, &case))
        });
        let joining = members
            .iter()
            .filter(|(u, roles)| !current.contains(u) && may_join(service, **u, roles, &case))
            .map(|(u, _)| u);
        let changes: Vec<(UserId, bool)> = leaving
            .map(|u| (*u, false))
            .chain(joining.map(|u| (*u, true)))
            .collect();
        for (user, add) in changes {
            // One thread that cannot be changed must not hold up the others.
            if let Err(e) = change_member(http, thread, user, add).await {
                tracing::warn!(case = case_id, error = %e, "could not change a case thread's members");
                report.failed += 1;
                break;
            }
            if add {
                report.added += 1;
            } else {
                report.removed += 1;
            }
        }
    }
    Ok(report)
}
