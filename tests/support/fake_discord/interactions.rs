//! Builders for INTERACTION_CREATE. serenity 0.12.5 turns a payload that lacks any required
//! field (`attachment_size_limit`, `entitlements`, `locale`, `version`, `app_permissions`...)
//! into `Event::Unknown` and drops it without a word, so every payload here is complete.

use std::time::Instant;

use serde_json::{json, Value};

use super::config::{FakeChannel, FakeMember};
use super::options::{resolved, Opt};
use super::payloads::{self, snowflake};
use super::state::{IxState, Shared};

#[derive(Clone, Debug)]
enum Kind {
    Slash {
        name: String,
        options: Vec<Opt>,
    },
    Autocomplete {
        name: String,
        options: Vec<Opt>,
    },
    Component {
        custom_id: String,
        component_type: u8,
        values: Option<Vec<String>>,
        message_id: Option<u64>,
    },
    Modal {
        custom_id: String,
        fields: Vec<(String, String)>,
        message_id: Option<u64>,
    },
}

/// An interaction to push through the gateway with `FakeDiscord::send_interaction`. Who and
/// where default to the first configured non-bot member and the first text channel.
#[derive(Clone, Debug)]
pub struct FakeInteraction {
    kind: Kind,
    user_id: Option<u64>,
    channel_id: Option<u64>,
    locale: String,
    /// The member's roles for this interaction, instead of the configured member's.
    roles: Option<Vec<u64>>,
    /// Another server than the configured one (an interaction the bot must ignore).
    guild_id: Option<u64>,
}

impl FakeInteraction {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            user_id: None,
            channel_id: None,
            locale: "en-GB".into(),
            roles: None,
            guild_id: None,
        }
    }
    /// Slash command (type 2); nest `Opt::sub`/`Opt::group` for subcommands.
    pub fn slash(name: &str, options: impl IntoIterator<Item = Opt>) -> Self {
        Self::new(Kind::Slash {
            name: name.into(),
            options: options.into_iter().collect(),
        })
    }
    /// Autocomplete (type 4); one option should be `Opt::focused`.
    pub fn autocomplete(name: &str, options: impl IntoIterator<Item = Opt>) -> Self {
        Self::new(Kind::Autocomplete {
            name: name.into(),
            options: options.into_iter().collect(),
        })
    }
    /// Button click (type 3) on message `message_id`: a message the bot sent through the fake,
    /// or `None` for a made-up bot message carrying that button.
    pub fn button(custom_id: &str, message_id: Option<u64>) -> Self {
        Self::new(Kind::Component {
            custom_id: custom_id.into(),
            component_type: 2,
            values: None,
            message_id,
        })
    }
    /// String select (type 3, component_type 3) with the chosen values.
    pub fn select(custom_id: &str, values: &[&str], message_id: Option<u64>) -> Self {
        let values = Some(values.iter().map(|v| v.to_string()).collect());
        Self::new(Kind::Component {
            custom_id: custom_id.into(),
            component_type: 3,
            values,
            message_id,
        })
    }
    /// Modal submit (type 5): (text input custom_id, value) pairs, one per action row.
    pub fn modal(custom_id: &str, fields: &[(&str, &str)]) -> Self {
        let fields = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::new(Kind::Modal {
            custom_id: custom_id.into(),
            fields,
            message_id: None,
        })
    }
    /// For a modal opened from a button: the message that button was on.
    pub fn on_message(mut self, id: u64) -> Self {
        if let Kind::Modal { message_id, .. } | Kind::Component { message_id, .. } = &mut self.kind
        {
            *message_id = Some(id);
        }
        self
    }
    pub fn by(mut self, user_id: u64) -> Self {
        self.user_id = Some(user_id);
        self
    }
    pub fn in_channel(mut self, channel_id: u64) -> Self {
        self.channel_id = Some(channel_id);
        self
    }
    pub fn locale(mut self, locale: &str) -> Self {
        self.locale = locale.into();
        self
    }
    /// The member holds exactly these roles (whatever the config says about them).
    pub fn with_roles(mut self, roles: impl IntoIterator<Item = u64>) -> Self {
        self.roles = Some(roles.into_iter().collect());
        self
    }
    /// Sent from another server, as if the bot were also installed there.
    pub fn in_guild(mut self, guild_id: u64) -> Self {
        self.guild_id = Some(guild_id);
        self
    }
}

/// The full INTERACTION_CREATE `d`, plus the fake's bookkeeping for later callbacks.
pub fn build(s: &Shared, ix: &FakeInteraction) -> (Value, IxState) {
    let cfg = &s.cfg;
    let (id, token) = (snowflake(), format!("fake-token-{:x}", snowflake()));
    let user_id = ix
        .user_id
        .or_else(|| cfg.members.iter().find(|m| !m.bot).map(|m| m.user_id))
        .unwrap_or(cfg.owner_id);
    let channel_id = ix
        .channel_id
        .or_else(|| cfg.channels.iter().find(|c| c.kind == 0).map(|c| c.id))
        .unwrap_or(cfg.guild_id);
    let mut member = cfg
        .member(user_id)
        .unwrap_or_else(|| FakeMember::new(user_id, &format!("user{user_id}")));
    if let Some(roles) = &ix.roles {
        member.roles = roles.clone();
    }
    let guild_id = ix.guild_id.unwrap_or(cfg.guild_id);
    let perms = cfg.permissions_of(user_id);
    let channel = {
        let store = s.store();
        let mut c = store.channels.get(&channel_id).cloned().unwrap_or_else(|| {
            payloads::channel(
                &FakeChannel::text(channel_id, "unknown"),
                Some(cfg.guild_id),
            )
        });
        c["permissions"] = json!(perms.to_string());
        c
    };
    let (kind, name, data, message) = match &ix.kind {
        Kind::Slash { name, options } | Kind::Autocomplete { name, options } => {
            let t = if matches!(ix.kind, Kind::Slash { .. }) {
                2
            } else {
                4
            };
            (t, name.clone(), command_data(s, name, options), None)
        }
        Kind::Component {
            custom_id,
            component_type,
            values,
            message_id,
        } => {
            let mut data = json!({"custom_id": custom_id, "component_type": component_type});
            if let Some(v) = values {
                data["values"] = json!(v);
            }
            let msg = source_message(s, *message_id, channel_id, custom_id, *component_type);
            (3, custom_id.clone(), data, Some(msg))
        }
        Kind::Modal {
            custom_id,
            fields,
            message_id,
        } => {
            let rows: Vec<Value> = fields.iter().map(|(k, v)| json!({"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]})).collect();
            let msg = message_id.map(|m| source_message(s, Some(m), channel_id, custom_id, 2));
            (
                5,
                custom_id.clone(),
                json!({"custom_id": custom_id, "components": rows}),
                msg,
            )
        }
    };
    let mut d = json!({
        "id": id.to_string(), "application_id": cfg.application_id.to_string(), "type": kind,
        "data": data, "guild_id": guild_id.to_string(),
        "guild": {"id": guild_id.to_string(), "locale": "en-GB", "features": []},
        "channel": channel, "channel_id": channel_id.to_string(),
        "member": payloads::member(&member, Some(perms)), "token": token, "version": 1,
        "app_permissions": cfg.permissions_of(cfg.bot_user_id).to_string(),
        "locale": ix.locale, "guild_locale": "en-GB", "entitlements": [],
        "authorizing_integration_owners": {"0": guild_id.to_string()},
        "context": 0, "attachment_size_limit": 26_214_400,
    });
    let source_message = message
        .as_ref()
        .and_then(|m| m["id"].as_str()?.parse().ok());
    if let Some(m) = message {
        d["message"] = m;
    }
    let state = IxState {
        id,
        token,
        kind,
        channel_id,
        user_id,
        name,
        sent_at: Instant::now(),
        acked: None,
        original: None,
        source_message,
    };
    (d, state)
}

fn command_data(s: &Shared, name: &str, options: &[Opt]) -> Value {
    let cfg = &s.cfg;
    let registered = s.store().command_id(cfg.guild_id, name);
    let in_guild = s
        .store()
        .guild_commands
        .get(&cfg.guild_id)
        .is_some_and(|c| c.iter().any(|c| c["name"] == name));
    let opts: Vec<Value> = options.iter().map(|o| o.0.clone()).collect();
    let mut data = json!({
        "id": registered.unwrap_or_else(snowflake).to_string(), "name": name, "type": 1,
        "options": opts, "resolved": resolved(s, &opts),
    });
    if in_guild {
        data["guild_id"] = json!(cfg.guild_id.to_string());
    }
    data
}

/// The message a component sits on: the stored one, or a new bot message with that component.
fn source_message(
    s: &Shared,
    id: Option<u64>,
    channel_id: u64,
    custom_id: &str,
    component_type: u8,
) -> Value {
    let mut store = s.store();
    if let Some(m) = id.and_then(|id| store.messages.get(&id)) {
        return m.clone();
    }
    let component = if component_type == 2 {
        json!({"type": 2, "style": 1, "label": custom_id, "custom_id": custom_id})
    } else {
        json!({"type": component_type, "custom_id": custom_id, "options": [{"label": "a", "value": "a"}], "min_values": 1, "max_values": 1})
    };
    let body = json!({"content": "(message made up by the fake)", "components": [{"type": 1, "components": [component]}]});
    let m = payloads::message(&s.cfg, id.unwrap_or_else(snowflake), channel_id, &body);
    store.messages.insert(
        m["id"]
            .as_str()
            .and_then(|v| v.parse().ok())
            .unwrap_or_default(),
        m.clone(),
    );
    m
}
