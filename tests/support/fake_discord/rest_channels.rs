//! What moderators do to channels and threads, and how Discord then answers the bot: a
//! deleted channel is unknown (10003), an archived thread refuses posts (50083) until it is
//! unarchived (`PATCH /channels/{id}`), a locked one refuses them for good (160005).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde_json::Value;

use super::rest::{err, ok, ReqBody};
use super::state::{SharedRef, Store};

/// Why a post to this thread is refused, if it is (archived, or locked by a moderator).
pub fn thread_refusal(store: &Store, channel: u64) -> Option<Response> {
    let meta = &store.channels.get(&channel)?["thread_metadata"];
    if meta["locked"] == true && !store.locked_by_bot.contains(&channel) {
        return Some(err(403, 160005, "Thread is locked"));
    }
    if meta["archived"] == true {
        return Some(err(400, 50083, "Thread is archived"));
    }
    None
}

/// `PATCH /channels/{id}`: for a thread, `archived` and `locked` (what the bot sends to
/// unarchive a case thread, or to archive a closed one); other fields are kept as sent.
pub async fn edit_channel(
    State(s): State<SharedRef>,
    Path(channel): Path<u64>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    let bot_locked = store.locked_by_bot.contains(&channel);
    let Some(c) = store.channels.get_mut(&channel) else {
        return err(404, 10003, "Unknown Channel");
    };
    let unarchive = body.get("archived") == Some(&Value::Bool(false));
    if c["thread_metadata"]["locked"] == true && unarchive && !bot_locked {
        // A moderator locked it; the bot is not a moderator of that thread.
        return err(403, 50013, "Missing Permissions");
    }
    for key in ["archived", "locked"] {
        if let Some(v) = body.get(key).filter(|v| v.is_boolean()) {
            c["thread_metadata"][key] = v.clone();
        }
    }
    if let Some(name) = body.get("name").filter(|v| v.is_string()) {
        c["name"] = name.clone();
    }
    let reply = c.clone();
    match body.get("locked") {
        Some(Value::Bool(true)) => store.locked_by_bot.insert(channel),
        Some(Value::Bool(false)) => store.locked_by_bot.remove(&channel),
        _ => false,
    };
    ok(reply)
}
