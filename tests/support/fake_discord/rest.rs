//! REST under /api/v10: the router and the read-only and command routes. Messages live in
//! `rest_messages.rs`, interaction answers in `rest_interactions.rs`, recording in `middleware.rs`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::gateway::ws_handler;
use super::payloads;
use super::rest_interactions as ix;
use super::rest_messages as msg;
use super::rest_threads as th;
use super::state::SharedRef;

/// The parsed request body, put in request extensions by the middleware so handlers see JSON
/// whether the bot sent JSON or multipart (`payload_json` + `files[n]`, used for attachments).
#[derive(Clone, Debug)]
pub struct ReqBody(pub Value);

pub fn router(shared: SharedRef) -> Router {
    let api = Router::new()
        .route("/gateway", get(gateway))
        .route("/gateway/bot", get(gateway_bot))
        .route(
            "/users/@me",
            get(|State(s): State<SharedRef>| async move { ok(payloads::current_user(&s.cfg)) }),
        )
        .route(
            "/oauth2/applications/@me",
            get(|State(s): State<SharedRef>| async move { ok(payloads::application(&s.cfg)) }),
        )
        .route(
            "/applications/{app}/commands",
            put(put_global_commands).get(get_global_commands),
        )
        .route(
            "/applications/{app}/guilds/{guild}/commands",
            put(put_guild_commands).get(get_guild_commands),
        )
        .route("/guilds/{guild}", get(get_guild))
        .route("/guilds/{guild}/roles", get(get_roles))
        .route("/guilds/{guild}/channels", get(get_guild_channels))
        .route("/guilds/{guild}/members", get(th::list_members))
        .route("/guilds/{guild}/members/{user}", get(get_member))
        .route(
            "/guilds/{guild}/members/{user}/roles/{role}",
            put(th::add_member_role).delete(th::remove_member_role),
        )
        .route(
            "/channels/{channel}",
            get(msg::get_channel)
                .patch(super::rest_channels::edit_channel)
                .delete(th::delete_channel),
        )
        .route(
            "/channels/{channel}/thread-members",
            get(th::thread_members),
        )
        .route(
            "/interactions/{id}/{token}/callback",
            post(ix::interaction_callback),
        )
        .route("/webhooks/{app}/{token}", post(ix::create_followup))
        .route(
            "/webhooks/{app}/{token}/messages/{mid}",
            get(ix::get_webhook_message)
                .patch(ix::edit_webhook_message)
                .delete(ix::delete_webhook_message),
        )
        .route("/channels/{channel}/messages", post(msg::create_message))
        .route(
            "/channels/{channel}/messages/{mid}",
            get(msg::get_message)
                .patch(msg::edit_message)
                .delete(msg::delete_message),
        )
        .route("/channels/{channel}/threads", post(msg::create_thread))
        .route("/guilds/{guild}/threads/active", get(msg::active_threads))
        .route(
            "/channels/{channel}/messages/{mid}/threads",
            post(msg::create_thread_from_message),
        )
        .route(
            "/channels/{channel}/thread-members/{user}",
            put(msg::add_thread_member).delete(msg::remove_thread_member),
        );
    Router::new()
        // serenity connects to the URL from /gateway plus "?v=10": that is "/" here.
        .route("/", get(ws_handler))
        .nest("/api/v10", api)
        .fallback(super::middleware::unknown)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            super::middleware::record,
        ))
        .with_state(shared)
}

pub fn ok(v: Value) -> Response {
    Json(v).into_response()
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

/// Discord-style error: `{"message", "code"}` with Discord's JSON error code.
pub fn err(status: u16, code: u32, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    (status, Json(payloads::error(code, message))).into_response()
}

async fn gateway(State(s): State<SharedRef>) -> Response {
    ok(json!({"url": s.ws_url}))
}

async fn gateway_bot(State(s): State<SharedRef>) -> Response {
    ok(json!({
        "url": s.ws_url, "shards": 1,
        "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1},
    }))
}

fn check_app(s: &SharedRef, app: u64) -> Option<Response> {
    (app != s.cfg.application_id).then(|| err(403, 50001, "Missing Access"))
}

fn check_guild(s: &SharedRef, guild: u64) -> Option<Response> {
    (guild != s.cfg.guild_id).then(|| err(404, 10004, "Unknown Guild"))
}

fn command_list(body: &Value) -> Result<Vec<Value>, Response> {
    body.as_array()
        .cloned()
        .ok_or_else(|| err(400, 50035, "Invalid Form Body"))
}

async fn put_global_commands(
    State(s): State<SharedRef>,
    Path(app): Path<u64>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    if let Some(e) = check_app(&s, app) {
        return e;
    }
    match command_list(&body) {
        Ok(list) => ok(json!(s.store().overwrite_commands(&s.cfg, None, &list))),
        Err(e) => e,
    }
}

async fn get_global_commands(State(s): State<SharedRef>, Path(app): Path<u64>) -> Response {
    check_app(&s, app).unwrap_or_else(|| ok(json!(s.store().global_commands)))
}

async fn put_guild_commands(
    State(s): State<SharedRef>,
    Path((app, guild)): Path<(u64, u64)>,
    Extension(ReqBody(body)): Extension<ReqBody>,
) -> Response {
    if let Some(e) = check_app(&s, app).or_else(|| check_guild(&s, guild)) {
        return e;
    }
    match command_list(&body) {
        Ok(list) => ok(json!(s.store().overwrite_commands(
            &s.cfg,
            Some(guild),
            &list
        ))),
        Err(e) => e,
    }
}

async fn get_guild_commands(
    State(s): State<SharedRef>,
    Path((app, guild)): Path<(u64, u64)>,
) -> Response {
    if let Some(e) = check_app(&s, app).or_else(|| check_guild(&s, guild)) {
        return e;
    }
    ok(json!(s
        .store()
        .guild_commands
        .get(&guild)
        .cloned()
        .unwrap_or_default()))
}

async fn get_guild(State(s): State<SharedRef>, Path(guild): Path<u64>) -> Response {
    check_guild(&s, guild).unwrap_or_else(|| ok(payloads::guild_base(&s.cfg)))
}

async fn get_roles(State(s): State<SharedRef>, Path(guild): Path<u64>) -> Response {
    let roles: Vec<Value> = s.cfg.all_roles().iter().map(payloads::role).collect();
    check_guild(&s, guild).unwrap_or_else(|| ok(json!(roles)))
}

async fn get_guild_channels(State(s): State<SharedRef>, Path(guild): Path<u64>) -> Response {
    let chans: Vec<Value> = s
        .cfg
        .channels
        .iter()
        .map(|c| payloads::channel(c, Some(guild)))
        .collect();
    check_guild(&s, guild).unwrap_or_else(|| ok(json!(chans)))
}

async fn get_member(State(s): State<SharedRef>, Path((guild, user)): Path<(u64, u64)>) -> Response {
    if let Some(e) = check_guild(&s, guild) {
        return e;
    }
    match th::current_member(&s, user) {
        Some(m) => ok(payloads::member(&m, None)),
        None => err(404, 10007, "Unknown Member"),
    }
}
