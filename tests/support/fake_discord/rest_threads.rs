//! Members and their roles, thread membership, and channel edits and deletion, as Discord
//! does them: the member list needs the GUILD_MEMBERS intent, an archived thread takes no
//! messages and no new members (50083), a role removed from a member stays removed.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde_json::{json, Value};

use super::config::FakeMember;
use super::payloads::{self, snowflake};
use super::rest::{err, no_content, ok};
use super::state::{SharedRef, Store};
use super::FakeDiscord;

/// A member with the roles they hold now (as changed through the API since start).
pub fn current_member(s: &SharedRef, user: u64) -> Option<FakeMember> {
    let mut m = s.cfg.member(user)?;
    if let Some(roles) = s.store().member_roles.get(&user) {
        m.roles = roles.clone();
    }
    Some(m)
}

/// 50083 for a message or a new member in an archived thread.
pub fn archived(store: &Store, channel: u64) -> Option<Response> {
    let c = store.channels.get(&channel)?;
    (c["thread_metadata"]["archived"] == true).then(|| err(400, 50083, "Thread is archived"))
}

/// `GET /guilds/{guild}/members?limit&after`: by user id, after `after`, at most `limit`.
pub async fn list_members(
    State(s): State<SharedRef>,
    Path(guild): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if guild != s.cfg.guild_id {
        return err(404, 10004, "Unknown Guild");
    }
    if !s.cfg.members_intent {
        return err(403, 50001, "Missing Access");
    }
    let limit: usize = q.get("limit").and_then(|l| l.parse().ok()).unwrap_or(1);
    let after: u64 = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let mut ids: Vec<u64> = s.cfg.all_members().iter().map(|m| m.user_id).collect();
    ids.sort_unstable();
    let page: Vec<Value> = ids
        .into_iter()
        .filter(|id| *id > after)
        .take(limit.clamp(1, 1000))
        .filter_map(|id| current_member(&s, id))
        .map(|m| payloads::member(&m, None))
        .collect();
    ok(json!(page))
}

async fn change_role(s: SharedRef, guild: u64, user: u64, role: u64, add: bool) -> Response {
    if guild != s.cfg.guild_id {
        return err(404, 10004, "Unknown Guild");
    }
    let Some(member) = current_member(&s, user) else {
        return err(404, 10007, "Unknown Member");
    };
    let mut roles = member.roles;
    roles.retain(|r| *r != role);
    if add {
        roles.push(role);
    }
    s.store().member_roles.insert(user, roles);
    no_content()
}

pub async fn add_member_role(
    State(s): State<SharedRef>,
    Path((guild, user, role)): Path<(u64, u64, u64)>,
) -> Response {
    change_role(s, guild, user, role, true).await
}

pub async fn remove_member_role(
    State(s): State<SharedRef>,
    Path((guild, user, role)): Path<(u64, u64, u64)>,
) -> Response {
    change_role(s, guild, user, role, false).await
}

/// `GET /channels/{thread}/thread-members`.
pub async fn thread_members(State(s): State<SharedRef>, Path(thread): Path<u64>) -> Response {
    let store = s.store();
    if !matches!(
        store.channels.get(&thread).and_then(|c| c["type"].as_u64()),
        Some(10..=12)
    ) {
        return err(404, 10003, "Unknown Channel");
    }
    let members: Vec<Value> = store
        .thread_members
        .get(&thread)
        .into_iter()
        .flatten()
        .map(|u| {
            json!({"id": thread.to_string(), "user_id": u.to_string(),
                   "join_timestamp": "2026-11-23T08:00:00.000000+00:00", "flags": 0})
        })
        .collect();
    ok(json!(members))
}

/// `DELETE /channels/{id}`: the channel (or thread) and its messages are gone; Discord
/// answers with the channel as it was.
pub async fn delete_channel(State(s): State<SharedRef>, Path(channel): Path<u64>) -> Response {
    let mut store = s.store();
    let Some(c) = store.channels.remove(&channel) else {
        return err(404, 10003, "Unknown Channel");
    };
    let cid = channel.to_string();
    store
        .messages
        .retain(|_, m| m["channel_id"] != cid.as_str());
    store.thread_members.remove(&channel);
    ok(c)
}

impl FakeDiscord {
    /// The user ids in a thread (the bot included).
    pub fn thread_member_ids(&self, thread: u64) -> Vec<u64> {
        self.shared
            .store()
            .thread_members
            .get(&thread)
            .cloned()
            .unwrap_or_default()
    }

    /// A member leaves a thread (as they may from Discord's client).
    pub fn leave_thread(&self, thread: u64, user: u64) {
        if let Some(members) = self.shared.store().thread_members.get_mut(&thread) {
            members.retain(|u| *u != user);
        }
    }

    /// Discord archives a thread after its auto-archive time without messages.
    pub fn auto_archive(&self, thread: u64) {
        if let Some(t) = self.shared.store().channels.get_mut(&thread) {
            t["thread_metadata"]["archived"] = json!(true);
        }
    }

    /// Someone in the server takes a role away from a member (as a moderator would).
    pub fn remove_member_role(&self, user: u64, role: u64) {
        let Some(member) = current_member(&self.shared, user) else {
            panic!("no member {user}");
        };
        let roles = member.roles.into_iter().filter(|r| *r != role).collect();
        self.shared.store().member_roles.insert(user, roles);
    }

    /// Someone else makes a thread under `parent`: `kind` 11 public or 12 private, owned by
    /// `owner`. Returns its id.
    pub fn add_foreign_thread(&self, parent: u64, name: &str, kind: u8, owner: u64) -> u64 {
        let id = snowflake();
        let mut thread = payloads::thread(
            &self.shared.cfg,
            id,
            parent,
            &json!({"name": name, "type": kind}),
        );
        thread["owner_id"] = json!(owner.to_string());
        let mut store = self.shared.store();
        store.channels.insert(id, thread);
        store.thread_members.insert(id, vec![owner]);
        id
    }
}
