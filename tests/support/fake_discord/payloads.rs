//! JSON objects as Discord v10 sends them. Field lists follow Discord's OpenAPI description and
//! serenity 0.12.5's models, which reject (or silently drop, for gateway events) an object that
//! lacks any non-`Option` field. Ids are strings, as Discord sends them.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{json, Value};

use super::config::{FakeChannel, FakeConfig, FakeMember, FakeRole};

const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// The fake plays Discord's servers, whose clocks are real: this is the one place it reads
/// the wall clock (the bot itself only ever reads its injected `Clock`).
#[allow(clippy::disallowed_methods)]
pub fn wall_clock() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

pub fn wall_clock_ms() -> i64 {
    wall_clock().timestamp_millis()
}

/// A fresh snowflake whose timestamp part is "now", so `created_at()` is sensible.
pub fn snowflake() -> u64 {
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let ms = wall_clock_ms() as u64 - DISCORD_EPOCH_MS;
    (ms << 22) | (SEQ.fetch_add(1, Ordering::Relaxed) & 0x3F_FFFF)
}

/// ISO 8601 timestamps like Discord's ("2024-01-01T12:00:00.000000+00:00").
pub fn now() -> String {
    wall_clock()
        .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
        .to_string()
}

pub fn user(id: u64, username: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(), "username": username, "discriminator": "0",
        "global_name": if bot { Value::Null } else { json!(username) },
        "avatar": null, "banner": null, "accent_color": null, "avatar_decoration_data": null,
        "public_flags": 0, "flags": 0, "bot": bot, "system": false,
        "primary_guild": null, "collectibles": null,
    })
}

/// `GET /users/@me` adds private fields to the bot's user.
pub fn current_user(cfg: &FakeConfig) -> Value {
    let mut u = user(cfg.bot_user_id, &cfg.bot_username, true);
    let extra = json!({"mfa_enabled": false, "locale": "en-GB", "verified": true,
        "email": null, "premium_type": 0});
    merge(&mut u, extra);
    u
}

pub fn member_user(m: &FakeMember) -> Value {
    user(m.user_id, &m.username, m.bot)
}

pub fn role(r: &FakeRole) -> Value {
    json!({
        "id": r.id.to_string(), "name": r.name, "description": null,
        "permissions": r.permissions.to_string(), "position": r.position,
        "color": 0, "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false, "managed": r.bot_id.is_some(), "mentionable": false,
        "icon": null, "unicode_emoji": null, "flags": 0,
        "tags": r.bot_id.map_or(json!({}), |b| json!({"bot_id": b.to_string()})),
    })
}

/// A guild channel. `guild_id` is present in REST answers and absent inside GUILD_CREATE,
/// exactly as Discord does it.
pub fn channel(c: &FakeChannel, guild_id: Option<u64>) -> Value {
    let mut v = json!({
        "id": c.id.to_string(), "type": c.kind, "name": c.name, "position": c.position,
        "parent_id": c.parent_id.map(|p| p.to_string()),
        "permission_overwrites": c.overwrites.iter().map(|o| json!({
            "id": o.id.to_string(), "type": o.kind,
            "allow": o.allow.to_string(), "deny": o.deny.to_string(),
        })).collect::<Vec<_>>(),
        "flags": 0, "nsfw": false,
    });
    if c.kind != 4 {
        let text = json!({"topic": null, "last_message_id": null, "rate_limit_per_user": 0});
        merge(&mut v, text);
    }
    if let Some(g) = guild_id {
        v["guild_id"] = json!(g.to_string());
    }
    v
}

/// A guild member. Interactions add `permissions`; GUILD_CREATE and REST do not.
pub fn member(m: &FakeMember, permissions: Option<u64>) -> Value {
    let mut v = json!({
        "user": member_user(m), "nick": m.nick, "avatar": null, "banner": null,
        "roles": m.roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": "2024-09-01T08:00:00.000000+00:00", "premium_since": null,
        "deaf": false, "mute": false, "flags": 0, "pending": false,
        "communication_disabled_until": null, "unusual_dm_activity_until": null,
    });
    if let Some(p) = permissions {
        v["permissions"] = json!(p.to_string());
    }
    v
}

/// The guild fields shared by REST `GET /guilds/{id}` and GUILD_CREATE.
pub fn guild_base(cfg: &FakeConfig) -> Value {
    json!({
        "id": cfg.guild_id.to_string(), "name": cfg.guild_name,
        "icon": null, "icon_hash": null, "splash": null, "discovery_splash": null, "banner": null,
        "owner_id": cfg.owner_id.to_string(), "region": "deprecated",
        "afk_channel_id": null, "afk_timeout": 300, "widget_enabled": false, "widget_channel_id": null,
        "verification_level": 1, "default_message_notifications": 1, "explicit_content_filter": 2,
        "roles": cfg.all_roles().iter().map(role).collect::<Vec<_>>(),
        "emojis": [], "stickers": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
        "max_presences": null, "max_members": 500000, "vanity_url_code": null, "description": null,
        "premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-GB",
        "public_updates_channel_id": null, "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50, "nsfw_level": 0, "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null, "incidents_data": null, "welcome_screen": null,
    })
}

/// GUILD_CREATE's `d`. `with_members` mirrors the GUILD_MEMBERS intent: without it Discord
/// only includes the bot's own member.
pub fn guild_create(cfg: &FakeConfig, threads: Vec<Value>, with_members: bool) -> Value {
    let members: Vec<Value> = cfg
        .all_members()
        .iter()
        .filter(|m| with_members || m.user_id == cfg.bot_user_id)
        .map(|m| member(m, None))
        .collect();
    let mut g = guild_base(cfg);
    let extra = json!({
        "joined_at": "2024-09-01T08:00:00.000000+00:00", "large": false, "unavailable": false,
        "member_count": cfg.all_members().len(), "voice_states": [], "members": members,
        "channels": cfg.channels.iter().map(|c| channel(c, None)).collect::<Vec<_>>(),
        "threads": threads, "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [], "lazy": true,
    });
    merge(&mut g, extra);
    g
}

/// `GET /oauth2/applications/@me`: the complete application object.
pub fn application(cfg: &FakeConfig) -> Value {
    json!({
        "id": cfg.application_id.to_string(), "name": cfg.bot_username, "icon": null,
        "description": "", "summary": "", "type": null, "rpc_origins": [],
        "bot_public": false, "bot_require_code_grant": false,
        "terms_of_service_url": null, "privacy_policy_url": null,
        "owner": user(cfg.owner_id, "owner", false), "team": null,
        "verify_key": "0".repeat(64), "guild_id": null, "primary_sku_id": null, "slug": null,
        "cover_image": null, "flags": 1 << 23, "tags": [], "install_params": null,
        "custom_install_url": null, "role_connections_verification_url": null,
        "integration_types_config": {"0": {}}, "approximate_guild_count": 1,
        "approximate_user_install_count": 0, "redirect_uris": [], "interactions_endpoint_url": null,
        "bot": user(cfg.bot_user_id, &cfg.bot_username, true), "hook": true,
        "is_monetized": false, "storefront_available": false,
    })
}

/// READY's `d`.
pub fn ready(cfg: &FakeConfig, session_id: &str, ws_url: &str, shard: Value) -> Value {
    json!({
        "v": 10, "user": current_user(cfg), "private_channels": [], "relationships": [],
        "guilds": [{"id": cfg.guild_id.to_string(), "unavailable": true}],
        "session_id": session_id, "session_type": "normal", "resume_gateway_url": ws_url,
        "shard": shard, "application": {"id": cfg.application_id.to_string(), "flags": 1 << 23},
        "presences": [], "guild_join_requests": [], "geo_ordered_rtc_regions": ["london"],
        "user_settings": {}, "auth_session_id_hash": "fake", "_trace": ["fake-discord"],
    })
}

/// A message the bot created. `body` is the create/edit JSON it sent; the fields it may
/// contain are echoed back, the rest get Discord's defaults.
pub fn message(cfg: &FakeConfig, id: u64, channel_id: u64, body: &Value) -> Value {
    let pick = |k: &str, default: Value| {
        body.get(k)
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or(default)
    };
    let mut m = json!({
        "id": id.to_string(), "channel_id": channel_id.to_string(), "type": 0,
        "author": user(cfg.bot_user_id, &cfg.bot_username, true),
        "content": pick("content", json!("")), "timestamp": now(), "edited_timestamp": null,
        "tts": pick("tts", json!(false)), "mention_everyone": false, "mentions": [],
        "mention_roles": [], "mention_channels": [], "attachments": pick("attachments", json!([])),
        "embeds": pick("embeds", json!([])), "components": pick("components", json!([])),
        "pinned": false, "flags": pick("flags", json!(0)), "reactions": [], "position": 0,
    });
    if let Some(n) = body.get("nonce").filter(|v| !v.is_null()) {
        m["nonce"] = n.clone();
    }
    if let Some(r) = body.get("message_reference").filter(|v| !v.is_null()) {
        m["message_reference"] = r.clone();
        m["type"] = json!(19);
    }
    m
}

/// Apply a PATCH body to a stored message: only the keys sent change.
pub fn edit_message(stored: &mut Value, body: &Value) {
    for key in ["content", "embeds", "components", "attachments", "flags"] {
        if let Some(v) = body.get(key) {
            stored[key] = if v.is_null() { json!([]) } else { v.clone() };
            if key == "content" && v.is_null() {
                stored[key] = json!("");
            }
        }
    }
    stored["edited_timestamp"] = json!(now());
}

/// A thread the bot created (`POST /channels/{id}/threads`).
pub fn thread(cfg: &FakeConfig, id: u64, parent_id: u64, body: &Value) -> Value {
    let kind = body.get("type").and_then(Value::as_u64).unwrap_or(12);
    let archive = body
        .get("auto_archive_duration")
        .and_then(Value::as_u64)
        .unwrap_or(10080);
    json!({
        "id": id.to_string(), "type": kind, "guild_id": cfg.guild_id.to_string(),
        "parent_id": parent_id.to_string(), "owner_id": cfg.bot_user_id.to_string(),
        "name": body.get("name").cloned().unwrap_or(json!("thread")),
        "last_message_id": null, "rate_limit_per_user": body.get("rate_limit_per_user").cloned().unwrap_or(json!(0)),
        "flags": 0, "message_count": 0, "member_count": 1, "total_message_sent": 0,
        "thread_metadata": {
            "archived": false, "auto_archive_duration": archive, "archive_timestamp": now(),
            "locked": false, "create_timestamp": now(),
            "invitable": body.get("invitable").cloned().unwrap_or(json!(true)),
        },
        "member": {"id": id.to_string(), "user_id": cfg.bot_user_id.to_string(),
            "join_timestamp": now(), "flags": 1},
    })
}

/// Echo of one application command from a bulk overwrite, as Discord answers it.
pub fn command(cfg: &FakeConfig, id: u64, guild_id: Option<u64>, body: &Value) -> Value {
    let mut c = json!({
        "id": id.to_string(), "application_id": cfg.application_id.to_string(),
        "version": snowflake().to_string(), "type": 1, "description": "",
        "default_member_permissions": null, "dm_permission": true, "nsfw": false,
        "integration_types": [0], "contexts": null, "options": [],
    });
    if let Some(g) = guild_id {
        c["guild_id"] = json!(g.to_string());
    }
    merge(&mut c, body.clone());
    c["id"] = json!(id.to_string());
    c
}

/// A body whose `attachments` refer to uploaded `files[n]` parts (`{"id": n, "filename"}`),
/// with those entries turned into full attachment objects; kept attachments (with a `url`)
/// stay as they are.
pub fn with_uploads(body: &Value, files: &[(String, String, usize)]) -> Value {
    let mut body = body.clone();
    let Some(list) = body.get_mut("attachments").and_then(Value::as_array_mut) else {
        return body;
    };
    for a in list.iter_mut().filter(|a| a.get("url").is_none()) {
        let n = a["id"].to_string().trim_matches('"').to_owned();
        let part = files
            .iter()
            .find(|(field, _, _)| *field == format!("files[{n}]"));
        let (name, size) = part.map_or(("file".into(), 0), |(_, f, s)| (f.clone(), *s));
        let name = a["filename"].as_str().map_or(name, str::to_owned);
        let id = snowflake();
        let url = format!("https://cdn.discordapp.com/attachments/0/{id}/{name}");
        *a = json!({
            "id": id.to_string(), "filename": name, "size": size, "url": url, "proxy_url": url,
            "description": a.get("description").cloned(), "content_type": null,
            "height": null, "width": null,
        });
    }
    body
}

/// Discord's JSON error body.
pub fn error(code: u32, message: &str) -> Value {
    json!({"message": message, "code": code})
}

/// Shallow merge: keys from `extra` overwrite `base`, nulls included.
pub fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        b.extend(e);
    }
}
