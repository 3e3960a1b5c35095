//! The fake's memory: what the bot created (messages, threads, commands) and the interactions
//! the test sent, so later requests can be answered the way Discord would (e.g. 10062 for a
//! late callback, 40060 for a second one, the original message for `@original`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;

use super::config::FakeConfig;
use super::faults::Faults;
use super::gateway::Hub;
use super::payloads;
use super::recorder::Recorder;

/// One interaction sent through the gateway.
#[derive(Clone, Debug)]
pub struct IxState {
    pub id: u64,
    pub token: String,
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub kind: u8,
    pub channel_id: u64,
    pub user_id: u64,
    /// Command name for types 2 and 4, custom_id for 3 and 5.
    pub name: String,
    pub sent_at: Instant,
    /// Callback type once acknowledged.
    pub acked: Option<u8>,
    /// The message `@original` refers to once there is one.
    pub original: Option<u64>,
    /// The message a component was on (for type 6/7 callbacks).
    pub source_message: Option<u64>,
}

#[derive(Default)]
pub struct Store {
    /// Guild channels and threads, REST shape (with `guild_id`).
    pub channels: HashMap<u64, Value>,
    pub messages: HashMap<u64, Value>,
    pub interactions: HashMap<u64, IxState>,
    pub global_commands: Vec<Value>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    pub thread_members: HashMap<u64, Vec<u64>>,
    /// Members' roles as changed through the API since start (`rest_threads.rs`).
    pub member_roles: HashMap<u64, Vec<u64>>,
    /// Threads the bot locked itself (a closed case's): it holds Manage Threads there, so
    /// it may still unarchive them and post. A thread a moderator locked refuses the bot.
    pub locked_by_bot: std::collections::HashSet<u64>,
}

impl Store {
    pub fn new(cfg: &FakeConfig) -> Self {
        let channels = cfg
            .channels
            .iter()
            .map(|c| (c.id, payloads::channel(c, Some(cfg.guild_id))))
            .collect();
        Self {
            channels,
            ..Self::default()
        }
    }

    pub fn interaction_by_token(&mut self, token: &str) -> Option<&mut IxState> {
        self.interactions.values_mut().find(|i| i.token == token)
    }

    pub fn messages_in(&self, channel_id: u64) -> Vec<Value> {
        let cid = channel_id.to_string();
        let mut out: Vec<Value> = self
            .messages
            .values()
            .filter(|m| m["channel_id"] == cid.as_str())
            .cloned()
            .collect();
        // Snowflakes grow with time, so id order is creation order.
        out.sort_by_key(|m| m["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
        out
    }

    /// Bulk overwrite, keeping the id of a command whose name and type are unchanged, which
    /// is what Discord does.
    pub fn overwrite_commands(
        &mut self,
        cfg: &FakeConfig,
        guild: Option<u64>,
        body: &[Value],
    ) -> Vec<Value> {
        let old = match guild {
            Some(g) => self.guild_commands.get(&g).cloned().unwrap_or_default(),
            None => self.global_commands.clone(),
        };
        let new: Vec<Value> = body
            .iter()
            .map(|c| {
                let same = |o: &&Value| {
                    o["name"] == c["name"]
                        && o["type"] == c.get("type").cloned().unwrap_or(1.into())
                };
                let id = old
                    .iter()
                    .find(same)
                    .and_then(|o| o["id"].as_str()?.parse().ok());
                payloads::command(cfg, id.unwrap_or_else(payloads::snowflake), guild, c)
            })
            .collect();
        match guild {
            Some(g) => self.guild_commands.insert(g, new.clone()),
            None => Some(std::mem::replace(&mut self.global_commands, new.clone())),
        };
        new
    }

    /// Id of the registered command called `name` (guild first, then global).
    pub fn command_id(&self, guild: u64, name: &str) -> Option<u64> {
        let guild_cmds = self.guild_commands.get(&guild).into_iter().flatten();
        guild_cmds
            .chain(self.global_commands.iter())
            .find(|c| c["name"] == name)
            .and_then(|c| c["id"].as_str()?.parse().ok())
    }
}

/// Everything the REST handlers and the gateway share.
pub struct Shared {
    pub cfg: FakeConfig,
    pub store: Mutex<Store>,
    pub recorder: Recorder,
    pub faults: Faults,
    pub hub: Hub,
    /// "ws://127.0.0.1:PORT", what `/gateway` hands out.
    pub ws_url: String,
    /// Flipped to true once: the server and every websocket session stop.
    pub shutdown: tokio::sync::watch::Sender<bool>,
}

impl Shared {
    /// A panic in one handler must not poison the fake for the rest of the test.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub type SharedRef = Arc<Shared>;
