//! Interaction callbacks and interaction webhooks (follow-ups, `@original` edits). They
//! enforce the Discord rules that bite real bots: 3 s to acknowledge, one acknowledgement,
//! the callback types each interaction accepts, follow-ups only after an acknowledgement.

use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};

use super::payloads::{self, snowflake};
use super::rest::{err, no_content, ok, ReqBody};
use super::rest_messages::{invalid_message, store_message, EPHEMERAL};
use super::state::{IxState, SharedRef, Store};

const LOADING: u64 = 1 << 7;

/// A message made by an interaction response or follow-up: a webhook message with metadata.
fn interaction_message(s: &SharedRef, ix: &IxState, body: &Value, original: bool) -> Value {
    let mut m = payloads::message(&s.cfg, snowflake(), ix.channel_id, body);
    m["webhook_id"] = json!(s.cfg.application_id.to_string());
    m["application_id"] = json!(s.cfg.application_id.to_string());
    m["type"] = json!(if original && ix.kind == 2 { 20 } else { 0 });
    let user = s
        .cfg
        .member(ix.user_id)
        .map(|m| payloads::member_user(&m))
        .unwrap_or(Value::Null);
    m["interaction_metadata"] = json!({
        "id": ix.id.to_string(), "type": ix.kind, "user": user,
        "authorizing_integration_owners": {"0": s.cfg.guild_id.to_string()},
    });
    m
}

pub async fn interaction_callback(
    State(s): State<SharedRef>,
    Path((id, token)): Path<(u64, String)>,
    RawQuery(query): RawQuery,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    let Some(ix) = store.interactions.get(&id).cloned() else {
        return err(404, 10062, "Unknown interaction");
    };
    if ix.token != token {
        return err(401, 50027, "Invalid Webhook Token");
    }
    if ix.acked.is_some() {
        return err(400, 40060, "Interaction has already been acknowledged.");
    }
    if ix.sent_at.elapsed() > s.cfg.interaction_deadline {
        return err(404, 10062, "Unknown interaction");
    }
    let t = body["type"].as_u64().unwrap_or(0) as u8;
    // Which callback types each interaction type accepts (Discord's table).
    let allowed = match ix.kind {
        2 => matches!(t, 4 | 5 | 9),
        3 => matches!(t, 4..=7 | 9),
        4 => t == 8,
        // A modal submit may always be acked with 6 (poise does that); 7 needs a message.
        5 => matches!(t, 4..=6) || (t == 7 && ix.source_message.is_some()),
        _ => false,
    };
    if !allowed {
        return err(
            400,
            50035,
            "Invalid Form Body (type: interaction response type not valid here)",
        );
    }
    let data = body.get("data").cloned().unwrap_or(json!({}));
    let original = match t {
        4 => {
            if let Some(e) = invalid_message(&data) {
                return e;
            }
            Some(store_message(
                &mut store,
                &interaction_message(&s, &ix, &data, true),
            ))
        }
        5 => {
            let flags = data["flags"].as_u64().unwrap_or(0) & EPHEMERAL | LOADING;
            let m = interaction_message(&s, &ix, &json!({"flags": flags}), true);
            Some(store_message(&mut store, &m))
        }
        6 => ix.source_message,
        7 => {
            let src = ix.source_message.and_then(|id| store.messages.get_mut(&id));
            if let Some(m) = src {
                payloads::edit_message(m, &data);
            }
            ix.source_message
        }
        _ => None,
    };
    if let Some(state) = store.interactions.get_mut(&id) {
        state.acked = Some(t);
        state.original = original;
    }
    let message = original.and_then(|m| store.messages.get(&m).cloned());
    if query
        .as_deref()
        .is_some_and(|q| q.contains("with_response=true"))
    {
        let interaction = json!({"id": id.to_string(), "type": ix.kind, "response_message_id": original.map(|m| m.to_string()),
            "response_message_loading": t == 5, "response_message_ephemeral": message.as_ref().is_some_and(|m| m["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0)});
        return ok(
            json!({"interaction": interaction, "resource": {"type": t, "message": message}}),
        );
    }
    no_content()
}

/// The interaction a webhook token belongs to, or Discord's answer for an unusable token.
fn webhook_ix(
    s: &SharedRef,
    store: &mut Store,
    app: u64,
    token: &str,
) -> Result<IxState, Response> {
    let ix = store
        .interaction_by_token(token)
        .filter(|_| app == s.cfg.application_id)
        .cloned();
    // Before the callback the token is not a webhook yet.
    ix.filter(|i| i.acked.is_some())
        .ok_or_else(|| err(404, 10015, "Unknown Webhook"))
}

pub async fn create_followup(
    State(s): State<SharedRef>,
    Path((app, token)): Path<(u64, String)>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    let ix = match webhook_ix(&s, &mut store, app, &token) {
        Ok(ix) => ix,
        Err(e) => return e,
    };
    if let Some(e) = invalid_message(&body) {
        return e;
    }
    // After a deferred (type 5) response, the first follow-up replaces the "thinking" message.
    let loading = ix
        .original
        .and_then(|id| store.messages.get_mut(&id))
        .filter(|m| m["flags"].as_u64().unwrap_or(0) & LOADING != 0);
    if let Some(m) = loading {
        let flags = m["flags"].as_u64().unwrap_or(0) & EPHEMERAL;
        payloads::edit_message(m, &body);
        m["flags"] = json!(flags);
        m["edited_timestamp"] = Value::Null;
        return ok(m.clone());
    }
    let m = interaction_message(&s, &ix, &body, false);
    store_message(&mut store, &m);
    ok(m)
}

/// `mid` is "@original" or a follow-up's id.
fn webhook_target(store: &mut Store, ix: &IxState, mid: &str) -> Result<u64, Response> {
    let id = if mid == "@original" {
        ix.original
    } else {
        mid.parse().ok()
    };
    id.filter(|id| store.messages.contains_key(id))
        .ok_or_else(|| err(404, 10008, "Unknown Message"))
}

pub async fn get_webhook_message(
    State(s): State<SharedRef>,
    Path((app, token, mid)): Path<(u64, String, String)>,
) -> Response {
    let mut store = s.store();
    let found = webhook_ix(&s, &mut store, app, &token)
        .and_then(|ix| webhook_target(&mut store, &ix, &mid));
    match found {
        Ok(id) => ok(store.messages[&id].clone()),
        Err(e) => e,
    }
}

pub async fn edit_webhook_message(
    State(s): State<SharedRef>,
    Path((app, token, mid)): Path<(u64, String, String)>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    let mut store = s.store();
    let found = webhook_ix(&s, &mut store, app, &token)
        .and_then(|ix| webhook_target(&mut store, &ix, &mid));
    let id = match found {
        Ok(id) => id,
        Err(e) => return e,
    };
    let m = store.messages.get_mut(&id).expect("checked above");
    let flags = m["flags"].as_u64().unwrap_or(0);
    payloads::edit_message(m, &body);
    // Ephemerality cannot change after creation; an edit ends the "thinking" state.
    m["flags"] = json!(flags & !LOADING);
    ok(m.clone())
}

pub async fn delete_webhook_message(
    State(s): State<SharedRef>,
    Path((app, token, mid)): Path<(u64, String, String)>,
) -> Response {
    let mut store = s.store();
    let found = webhook_ix(&s, &mut store, app, &token)
        .and_then(|ix| webhook_target(&mut store, &ix, &mid));
    match found {
        Ok(id) => {
            store.messages.remove(&id);
            no_content()
        }
        Err(e) => e,
    }
}
