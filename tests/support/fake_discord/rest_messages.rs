//! Channel messages and threads. Like Discord, refuses empty or over-long messages and threads
//! under anything but a text channel, and announces a new thread with THREAD_CREATE.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::payloads::{self, snowflake};
use super::rest::{err, no_content, ok, ReqBody};
use super::state::{SharedRef, Store};

pub const EPHEMERAL: u64 = 1 << 6;

/// Discord's checks on a message body (create and interaction responses).
pub fn invalid_message(body: &Value) -> Option<Response> {
    let content = body["content"].as_str().unwrap_or("");
    if content.chars().count() > 2000 {
        return Some(err(
            400,
            50035,
            "Invalid Form Body (content: Must be 2000 or fewer in length.)",
        ));
    }
    if body["embeds"].as_array().is_some_and(|e| e.len() > 10) {
        return Some(err(
            400,
            50035,
            "Invalid Form Body (embeds: Must be 10 or fewer in length.)",
        ));
    }
    let filled = |k: &str| {
        body.get(k)
            .is_some_and(|v| v.as_array().map_or(!v.is_null(), |a| !a.is_empty()))
    };
    let any = !content.is_empty()
        || ["embeds", "components", "attachments", "sticker_ids", "poll"]
            .iter()
            .any(|k| filled(k));
    (!any).then(|| err(400, 50006, "Cannot send an empty message"))
}

pub fn store_message(store: &mut Store, m: &Value) -> u64 {
    let id: u64 = m["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    store.messages.insert(id, m.clone());
    id
}

pub async fn get_channel(State(s): State<SharedRef>, Path(channel): Path<u64>) -> Response {
    match s.store().channels.get(&channel) {
        Some(c) => ok(c.clone()),
        None => err(404, 10003, "Unknown Channel"),
    }
}

pub async fn create_message(
    State(s): State<SharedRef>,
    Path(channel): Path<u64>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    if !store.channels.contains_key(&channel) {
        return err(404, 10003, "Unknown Channel");
    }
    if let Some(e) = super::rest_channels::thread_refusal(&store, channel) {
        return e;
    }
    if let Some(e) = invalid_message(&body) {
        return e;
    }
    // With `enforce_nonce`, Discord answers a repeated nonce (same author, last few minutes)
    // with the message it already made instead of posting a second one.
    let nonce = body.get("nonce").filter(|n| !n.is_null());
    if let Some(nonce) = nonce.filter(|_| body["enforce_nonce"] == true) {
        let seen = store.messages_in(channel);
        if let Some(first) = seen.into_iter().find(|m| m.get("nonce") == Some(nonce)) {
            return ok(first);
        }
    }
    let m = payloads::message(&s.cfg, snowflake(), channel, &body);
    store_message(&mut store, &m);
    ok(m)
}

fn channel_message(store: &mut Store, channel: u64, mid: u64) -> Result<&mut Value, Response> {
    let cid = channel.to_string();
    store
        .messages
        .get_mut(&mid)
        .filter(|m| m["channel_id"] == cid.as_str())
        .ok_or_else(|| err(404, 10008, "Unknown Message"))
}

pub async fn get_message(
    State(s): State<SharedRef>,
    Path((channel, mid)): Path<(u64, u64)>,
) -> Response {
    channel_message(&mut s.store(), channel, mid)
        .map(|m| ok(m.clone()))
        .unwrap_or_else(|e| e)
}

pub async fn edit_message(
    State(s): State<SharedRef>,
    Path((channel, mid)): Path<(u64, u64)>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    match channel_message(&mut store, channel, mid) {
        Ok(m) => {
            payloads::edit_message(m, &body);
            ok(m.clone())
        }
        Err(e) => e,
    }
}

pub async fn delete_message(
    State(s): State<SharedRef>,
    Path((channel, mid)): Path<(u64, u64)>,
) -> Response {
    let mut store = s.store();
    if let Err(e) = channel_message(&mut store, channel, mid) {
        return e;
    }
    store.messages.remove(&mid);
    no_content()
}

fn start_thread(s: &SharedRef, parent: u64, body: &Value) -> Response {
    let mut store = s.store();
    match store.channels.get(&parent).and_then(|c| c["type"].as_u64()) {
        None => return err(404, 10003, "Unknown Channel"),
        Some(0 | 5) => {}
        Some(_) => return err(400, 50024, "Cannot execute action on this channel type"),
    }
    if body["name"].as_str().is_none_or(str::is_empty) {
        return err(
            400,
            50035,
            "Invalid Form Body (name: This field is required)",
        );
    }
    let thread = payloads::thread(&s.cfg, snowflake(), parent, body);
    let id: u64 = thread["id"]
        .as_str()
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    store.channels.insert(id, thread.clone());
    store.thread_members.insert(id, vec![s.cfg.bot_user_id]);
    drop(store);
    // Discord tells the gateway too, flagged as new.
    let mut event = thread.clone();
    event["newly_created"] = json!(true);
    s.hub.send(super::gateway::Outgoing::Dispatch(
        "THREAD_CREATE".into(),
        event,
    ));
    ok(thread)
}

/// `GET /guilds/{guild}/threads/active`: the guild's threads that are not archived,
/// private ones included, as Discord lists them for a bot that manages threads.
pub async fn active_threads(State(s): State<SharedRef>, Path(guild): Path<u64>) -> Response {
    let store = s.store();
    let guild = guild.to_string();
    let threads: Vec<Value> = store
        .channels
        .values()
        .filter(|c| matches!(c["type"].as_u64(), Some(10..=12)))
        .filter(|c| c["guild_id"].as_str() == Some(guild.as_str()))
        .filter(|c| c["thread_metadata"]["archived"] != true)
        .cloned()
        .collect();
    ok(json!({ "threads": threads, "members": [], "has_more": false }))
}

pub async fn create_thread(
    State(s): State<SharedRef>,
    Path(channel): Path<u64>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    start_thread(&s, channel, &body)
}

pub async fn create_thread_from_message(
    State(s): State<SharedRef>,
    Path((channel, _mid)): Path<(u64, u64)>,
    Extension(ReqBody(mut body)): Extension<ReqBody>,
) -> Response {
    body["type"] = json!(11);
    start_thread(&s, channel, &body)
}

fn thread_and_member(s: &SharedRef, store: &Store, thread: u64, user: u64) -> Option<Response> {
    let kind = store.channels.get(&thread).and_then(|c| c["type"].as_u64());
    if !matches!(kind, Some(10..=12)) {
        return Some(err(404, 10003, "Unknown Channel"));
    }
    s.cfg
        .member(user)
        .is_none()
        .then(|| err(404, 10007, "Unknown Member"))
}

pub async fn add_thread_member(
    State(s): State<SharedRef>,
    Path((thread, user)): Path<(u64, u64)>,
) -> Response {
    let mut store = s.store();
    if let Some(e) = thread_and_member(&s, &store, thread, user) {
        return e;
    }
    if let Some(e) = super::rest_threads::archived(&store, thread) {
        return e;
    }
    let members = store.thread_members.entry(thread).or_default();
    if !members.contains(&user) {
        members.push(user);
    }
    no_content()
}

pub async fn remove_thread_member(
    State(s): State<SharedRef>,
    Path((thread, user)): Path<(u64, u64)>,
) -> Response {
    let mut store = s.store();
    if let Some(e) = thread_and_member(&s, &store, thread, user) {
        return e;
    }
    if let Some(e) = super::rest_threads::archived(&store, thread) {
        return e;
    }
    store
        .thread_members
        .entry(thread)
        .or_default()
        .retain(|u| *u != user);
    no_content()
}
