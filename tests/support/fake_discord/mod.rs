//! A fake Discord (REST + gateway) on 127.0.0.1 for driving the real serenity/poise stack in
//! tests. `fake.http()` gives serenity's `Http` aimed at it (proxy = `base_url()`, ratelimiter
//! off: serenity 0.12.5's ratelimiter ignores the proxy and would go to discord.com).
//!
//! ```ignore
//! let fake = FakeDiscord::start(FakeConfig::default()).await;
//! let mut client = ClientBuilder::new_with_http(fake.http(), GatewayIntents::GUILDS)
//!     .event_handler(MyHandler).await?;
//! tokio::spawn(async move { client.start().await });
//! let sent = fake.send_interaction(FakeInteraction::slash("ping", [])).await; // waits for READY
//! fake.recorder().wait_for(|r| r.path.ends_with("/callback"), Duration::from_secs(5)).await;
//! assert!(fake.recorder().interaction_responses(sent.id)[0].ephemeral);
//! ```
//!
//! Files: `config` (the guild), `payloads` (Discord-shaped JSON), `interactions`/`options`
//! (INTERACTION_CREATE builders), `rest*`/`middleware` (HTTP), `gateway` (websocket),
//! `recorder` (request log), `faults` (injected failures), `state` (what the bot created).
// Each test binary uses a different part of the fake.
#![allow(dead_code)]
// Handlers return `Result<_, Response>` to answer with a Discord error directly; the size of
// the error type does not matter in a test server.
#![allow(clippy::result_large_err)]

mod client;
mod config;
mod faults;
mod gateway;
mod interactions;
mod middleware;
mod options;
mod payloads;
mod recorder;
mod replay;
mod rest;
mod rest_channels;
mod rest_interactions;
mod rest_messages;
mod rest_threads;
mod state;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;

// Re-exports are the fake's API; any one test binary uses only some of them.
#[allow(unused_imports)]
pub use client::{init_tracing, FAKE_TOKEN};
#[allow(unused_imports)]
pub use config::{perms, FakeChannel, FakeConfig, FakeMember, FakeOverwrite, FakeRole};
#[allow(unused_imports)]
pub use faults::{RouteMatcher, RETRY_AFTER_SECS};
#[allow(unused_imports)]
pub use gateway::{GatewayFrame, Outgoing};
#[allow(unused_imports)]
pub use interactions::FakeInteraction;
#[allow(unused_imports)]
pub use options::Opt;
#[allow(unused_imports)]
pub use payloads::snowflake;
#[allow(unused_imports)]
pub use recorder::{InteractionResponse, RecordedRequest, Recorder, ResponseKind};
use state::{Shared, Store};

/// What `send_interaction` sent, to look up the bot's answer by.
#[derive(Clone, Debug)]
pub struct SentInteraction {
    pub id: u64,
    pub token: String,
    /// The whole INTERACTION_CREATE `d`, as sent.
    pub payload: Value,
    /// When the fake handed it to the gateway, just before dispatching it (for timing the
    /// bot's answer against `RecordedRequest::at`).
    pub at: SystemTime,
}

/// The running fake. Dropping it (or `shutdown`) stops the server and closes every websocket.
pub struct FakeDiscord {
    shared: Arc<Shared>,
    base_url: String,
    server: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl FakeDiscord {
    /// Binds 127.0.0.1:0 and serves REST and the gateway on that one port.
    pub async fn start(cfg: FakeConfig) -> Self {
        Self::start_on("127.0.0.1:0", cfg).await
    }

    /// Like `start`, on a chosen address (e.g. a fixed port, to run the bot by hand).
    pub async fn start_on(addr: &str, cfg: FakeConfig) -> Self {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .unwrap_or_else(|e| panic!("bind fake discord on {addr}: {e}"));
        let addr = listener.local_addr().expect("local addr");
        let (shutdown, mut stop) = tokio::sync::watch::channel(false);
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::new(&cfg)),
            cfg,
            recorder: Recorder::default(),
            faults: Default::default(),
            hub: Default::default(),
            // No trailing slash, like Discord's "wss://gateway.discord.gg": serenity appends "?v=10".
            ws_url: format!("ws://{addr}"),
            shutdown,
        });
        let app = rest::router(shared.clone());
        let server = tokio::spawn(async move {
            let stopped = async move {
                let _ = stop.wait_for(|s| *s).await;
            };
            // No Nagle, as for the bot's own HTTP client: otherwise a small write (a gateway
            // frame pushed right after another, with nothing coming back on that socket) can
            // wait for the bot's delayed ACK, 40 ms on Linux, and the fake sets the latency
            // (benches/discord.rs saw 18% of `/case show`s take ~44 ms without this).
            use axum::serve::ListenerExt;
            let listener = listener.tap_io(|tcp| {
                let _ = tcp.set_nodelay(true);
            });
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stopped)
                .await;
        });
        Self {
            shared,
            base_url: format!("http://{addr}"),
            server: Mutex::new(Some(server)),
        }
    }

    /// "http://127.0.0.1:PORT": give this to `HttpBuilder::proxy`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// "ws://127.0.0.1:PORT", what `GET /gateway` answers.
    pub fn ws_url(&self) -> &str {
        &self.shared.ws_url
    }

    pub fn config(&self) -> &FakeConfig {
        &self.shared.cfg
    }

    pub fn recorder(&self) -> &Recorder {
        &self.shared.recorder
    }

    /// Fail the next `times` requests matching `route` ("POST /channels/*/messages") with
    /// `status`. 429s carry Discord's rate-limit body and headers.
    pub fn fail_next(&self, route: impl Into<RouteMatcher>, status: u16, times: usize) {
        self.shared.faults.fail_next(route.into(), status, times);
    }

    /// Delay every request matching `route` by `delay` (adds up if several rules match).
    pub fn set_delay(&self, route: impl Into<RouteMatcher>, delay: Duration) {
        self.shared.faults.set_delay(route.into(), delay);
    }

    /// Fail requests matching `route` with Discord's JSON error `code` (e.g. 403 50013
    /// "Missing Permissions"), `times` times (`usize::MAX`: for ever, until `clear_faults`).
    pub fn fail_with_code(
        &self,
        route: impl Into<RouteMatcher>,
        status: u16,
        code: u32,
        message: &str,
        times: usize,
    ) {
        self.shared
            .faults
            .fail_with_code(route.into(), status, code, message, times);
    }

    /// Fail the next `times` requests matching `route` whose JSON body contains `needle`
    /// (e.g. "mm-remade-": a remade thread's case card) with `status`.
    pub fn fail_next_containing(
        &self,
        route: impl Into<RouteMatcher>,
        needle: &str,
        status: u16,
        times: usize,
    ) {
        self.shared
            .faults
            .fail_next_containing(route.into(), needle, status, times);
    }

    /// Answer the next `times` requests matching `route` with a global 429.
    pub fn rate_limit_globally(&self, route: impl Into<RouteMatcher>, times: usize) {
        self.shared.faults.rate_limit_globally(route.into(), times);
    }

    /// A moderator deletes a channel or thread: it and its messages are gone (10003).
    pub fn delete_channel(&self, id: u64) {
        let mut store = self.shared.store();
        store.channels.remove(&id);
        let cid = id.to_string();
        store
            .messages
            .retain(|_, m| m["channel_id"] != cid.as_str());
        store.thread_members.remove(&id);
    }

    /// Someone deletes a message (10008 from then on).
    pub fn delete_message(&self, id: u64) {
        self.shared.store().messages.remove(&id);
    }

    /// A moderator archives (and, if `locked`, locks) a thread.
    pub fn archive_thread(&self, id: u64, locked: bool) {
        let mut store = self.shared.store();
        if let Some(c) = store.channels.get_mut(&id) {
            c["thread_metadata"]["archived"] = true.into();
            c["thread_metadata"]["locked"] = locked.into();
        }
    }

    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Waits until a client has identified (READY and GUILD_CREATE sent) or resumed.
    pub async fn wait_until_connected(&self, timeout: Duration) -> bool {
        self.shared.hub.wait_ready(timeout).await
    }

    /// Pushes a dispatch event to every identified session; returns how many got it.
    pub fn send_event(&self, t: &str, d: Value) -> usize {
        self.shared.hub.send(Outgoing::Dispatch(t.into(), d))
    }

    /// Sends a raw frame or a close to every identified session, e.g.
    /// `Outgoing::Raw(json!({"op": 7, "d": null}))` to make the client reconnect and resume.
    pub fn send_gateway(&self, out: Outgoing) -> usize {
        self.shared.hub.send(out)
    }

    /// Builds a complete INTERACTION_CREATE and sends it once a client is connected (waits up
    /// to 10 s for one). Panics if no client ever connects: the test could not go on anyway.
    pub async fn send_interaction(&self, ix: FakeInteraction) -> SentInteraction {
        assert!(
            self.wait_until_connected(Duration::from_secs(10)).await,
            "no gateway client connected to the fake"
        );
        let (payload, state) = interactions::build(&self.shared, &ix);
        let (id, token, sent_payload) = (state.id, state.token.clone(), payload.clone());
        self.shared
            .recorder
            .register_interaction(state.id, &state.token);
        self.shared.store().interactions.insert(state.id, state);
        let at = SystemTime::now();
        self.shared
            .hub
            .send(Outgoing::Dispatch("INTERACTION_CREATE".into(), payload));
        SentInteraction {
            id,
            token,
            payload: sent_payload,
            at,
        }
    }

    /// Frames clients sent on the gateway (IDENTIFY, heartbeats, RESUME...).
    pub fn gateway_frames(&self) -> Vec<GatewayFrame> {
        self.shared.hub.frames()
    }

    /// Every dispatch frame sent to clients (READY, GUILD_CREATE, INTERACTION_CREATE...).
    pub fn dispatched(&self) -> Vec<Value> {
        self.shared.hub.dispatched()
    }

    /// Query string of every websocket connection made ("v=10" from serenity 0.12.5).
    pub fn gateway_connections(&self) -> Vec<String> {
        self.shared.hub.connections()
    }

    /// Messages the fake holds for a channel (bot posts, interaction responses, follow-ups),
    /// oldest first, as Discord would return them.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        self.shared.store().messages_in(channel_id)
    }

    pub fn message(&self, id: u64) -> Option<Value> {
        self.shared.store().messages.get(&id).cloned()
    }

    /// Channel object of a guild channel or a thread the bot created.
    pub fn channel(&self, id: u64) -> Option<Value> {
        self.shared.store().channels.get(&id).cloned()
    }

    /// Threads the bot created, with their member ids.
    pub fn threads(&self) -> Vec<(Value, Vec<u64>)> {
        let store = self.shared.store();
        let is_thread = |c: &&Value| matches!(c["type"].as_u64(), Some(10..=12));
        let members = |c: &Value| {
            let id = c["id"]
                .as_str()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0u64);
            store.thread_members.get(&id).cloned().unwrap_or_default()
        };
        store
            .channels
            .values()
            .filter(is_thread)
            .map(|c| (c.clone(), members(c)))
            .collect()
    }

    /// Commands registered by the last bulk overwrite (guild ones if `guild`).
    pub fn commands(&self, guild: Option<u64>) -> Vec<Value> {
        let store = self.shared.store();
        match guild {
            Some(g) => store.guild_commands.get(&g).cloned().unwrap_or_default(),
            None => store.global_commands.clone(),
        }
    }

    /// Stops the server and closes every websocket; waits up to 5 s for the server task.
    pub async fn shutdown(&self) {
        let _ = self.shared.shutdown.send(true);
        let task = self.server.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut task) = task {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                // A client kept a connection open past graceful shutdown: cut it.
                task.abort();
            }
        }
    }
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        let _ = self.shared.shutdown.send(true);
        if let Some(task) = self.server.lock().unwrap_or_else(|e| e.into_inner()).take() {
            task.abort();
        }
    }
}
