//! What moderators do to channels and threads, and how Discord then answers the bot: a
//! deleted channel is unknown (10003), an archived thread refuses posts (50083) until it is
//! unarchived (`PATCH /channels/{id}`), a locked one refuses them for good (160005).

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use serde_json::Value;

use super::rest::{err, ok, ReqBody};
use super::state::{SharedRef, Store};

/// Why a post to this thread is refused, if it is (archived or locked).
pub fn thread_refusal(store: &Store, channel: u64) -> Option<Response> {
    let meta = &store.channels.get(&channel)?["thread_metadata"];
    if meta["locked"] == true {
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
    let Some(c) = store.channels.get_mut(&channel) else {
        return err(404, 10003, "Unknown Channel");
    };
    if c["thread_metadata"]["locked"] == true && body.get("archived") == Some(&Value::Bool(false)) {
        // The bot here is not a moderator of a locked thread.
        return err(403, 50013, "Missing Permissions");
    }
    for key in ["archived", "locked"] {
        if let Some(v) = body.get(key) {
            c["thread_metadata"][key] = v.clone();
        }
    }
    if let Some(name) = body.get("name") {
        c["name"] = name.clone();
    }
    ok(c.clone())
}
