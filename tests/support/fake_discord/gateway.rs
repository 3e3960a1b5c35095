//! The gateway: one websocket session per shard, speaking v10 JSON. HELLO, IDENTIFY -> READY +
//! GUILD_CREATE, RESUME -> RESUMED, heartbeats acked, and a `Hub` through which tests push
//! dispatch events (INTERACTION_CREATE, ...) into every identified session.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use futures_util::StreamExt;
use serde_json::{json, Value};
use tokio::sync::{mpsc, Notify};

use super::payloads;
use super::state::SharedRef;

/// Something to send down every identified session.
#[derive(Clone, Debug)]
pub enum Outgoing {
    /// op 0 with this `t` and `d`; the session fills in `s`.
    Dispatch(String, Value),
    /// A whole frame as is, e.g. `{"op": 7, "d": null}` to ask for a reconnect.
    Raw(Value),
    /// Close the websocket with this code (4000+ are Discord's gateway close codes).
    Close(u16),
}

/// A frame a client sent (IDENTIFY, heartbeat, RESUME, ...).
#[derive(Clone, Debug)]
pub struct GatewayFrame {
    pub op: u64,
    pub d: Value,
    pub at: SystemTime,
}

struct Session {
    id: u64,
    tx: mpsc::UnboundedSender<Outgoing>,
    ready: bool,
}

#[derive(Default)]
pub struct Hub {
    sessions: Mutex<Vec<Session>>,
    became_ready: Notify,
    frames: Mutex<Vec<GatewayFrame>>,
    /// Query string of each websocket connection ("v=10", ...).
    connections: Mutex<Vec<String>>,
    /// Every dispatch frame sent (`{"op": 0, "s", "t", "d"}`), for checking what was pushed.
    dispatched: Mutex<Vec<Value>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hub {
    /// Sends to every identified session; returns how many got it.
    pub fn send(&self, out: Outgoing) -> usize {
        let sessions = lock(&self.sessions);
        sessions
            .iter()
            .filter(|s| s.ready)
            .filter(|s| s.tx.send(out.clone()).is_ok())
            .count()
    }

    /// Waits until at least one session has identified (or resumed).
    pub async fn wait_ready(&self, timeout: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.became_ready.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if lock(&self.sessions).iter().any(|s| s.ready) {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return false;
            }
        }
    }

    pub fn frames(&self) -> Vec<GatewayFrame> {
        lock(&self.frames).clone()
    }

    pub fn connections(&self) -> Vec<String> {
        lock(&self.connections).clone()
    }

    pub fn dispatched(&self) -> Vec<Value> {
        lock(&self.dispatched).clone()
    }

    fn set_ready(&self, id: u64) {
        if let Some(s) = lock(&self.sessions).iter_mut().find(|s| s.id == id) {
            s.ready = true;
        }
        self.became_ready.notify_waiters();
    }
}

pub async fn ws_handler(
    State(shared): State<SharedRef>,
    RawQuery(query): RawQuery,
    ws: WebSocketUpgrade,
) -> Response {
    lock(&shared.hub.connections).push(query.unwrap_or_default());
    // serenity sets no size limits on its side; mirror that so a big GUILD_CREATE is fine.
    ws.max_message_size(usize::MAX)
        .on_upgrade(move |socket| run_session(shared, socket))
}

/// Per-connection state that outlives single frames.
struct Conn {
    shared: SharedRef,
    socket: WebSocket,
    seq: u64,
    compress: bool,
    allow_compress: bool,
}

impl Conn {
    async fn send(&mut self, frame: Value) -> bool {
        let text = frame.to_string();
        let msg = if self.compress && self.allow_compress {
            // Discord's per-payload compression: one complete zlib stream per message.
            let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(text.as_bytes()).expect("write to Vec");
            Message::Binary(enc.finish().expect("finish zlib").into())
        } else {
            Message::Text(text.into())
        };
        self.socket.send(msg).await.is_ok()
    }

    async fn dispatch(&mut self, t: &str, d: Value) -> bool {
        self.seq += 1;
        let frame = json!({"op": 0, "s": self.seq, "t": t, "d": d});
        lock(&self.shared.hub.dispatched).push(frame.clone());
        self.send(frame).await
    }
}

async fn run_session(shared: SharedRef, socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = payloads::snowflake();
    lock(&shared.hub.sessions).push(Session {
        id,
        tx,
        ready: false,
    });
    let mut shutdown = shared.shutdown.subscribe();
    let allow_compress = shared.cfg.compress_payloads;
    let mut conn = Conn {
        shared: shared.clone(),
        socket,
        seq: 0,
        compress: false,
        allow_compress,
    };
    let interval = shared.cfg.heartbeat_interval.as_millis() as u64;
    let mut open = conn
        .send(json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": interval}}))
        .await;
    while open {
        tokio::select! {
            // The guard `wait_for` returns is not Send: drop it inside the branch future.
            _ = async { let _ = shutdown.wait_for(|stop| *stop).await; } => {
                let _ = conn.socket.send(close(1001)).await;
                break;
            }
            out = rx.recv() => match out {
                Some(Outgoing::Dispatch(t, d)) => open = conn.dispatch(&t, d).await,
                Some(Outgoing::Raw(v)) => open = conn.send(v).await,
                Some(Outgoing::Close(code)) => {
                    let _ = conn.socket.send(close(code)).await;
                    break;
                }
                None => break,
            },
            msg = conn.socket.next() => match msg {
                Some(Ok(Message::Text(text))) => {
                    let frame: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
                    open = handle_frame(&shared, &mut conn, id, frame).await;
                }
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    lock(&shared.hub.sessions).retain(|s| s.id != id);
}

fn close(code: u16) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: "fake discord".into(),
    }))
}

async fn handle_frame(shared: &SharedRef, conn: &mut Conn, session: u64, frame: Value) -> bool {
    let op = frame["op"].as_u64().unwrap_or(u64::MAX);
    let d = frame.get("d").cloned().unwrap_or(Value::Null);
    lock(&shared.hub.frames).push(GatewayFrame {
        op,
        d: d.clone(),
        at: SystemTime::now(),
    });
    match op {
        1 => conn.send(json!({"op": 11})).await,
        2 => {
            conn.compress = d["compress"].as_bool().unwrap_or(false);
            let shard = d.get("shard").cloned().unwrap_or(json!([0, 1]));
            let intents = d["intents"].as_u64().unwrap_or(0);
            if intents & 2 != 0 && !shared.cfg.members_intent {
                // Disallowed intent(s): a privileged intent not switched on for the app.
                let _ = conn.socket.send(close(4014)).await;
                return false;
            }
            let session_id = format!("{session:x}");
            let ready = payloads::ready(&shared.cfg, &session_id, &shared.ws_url, shard);
            if !conn.dispatch("READY", ready).await {
                return false;
            }
            let threads: Vec<Value> = {
                let store = shared.store();
                let is_thread = |c: &&Value| matches!(c["type"].as_u64(), Some(10..=12));
                store.channels.values().filter(is_thread).cloned().collect()
            };
            // GUILD_MEMBERS (1 << 1) decides whether other members come with GUILD_CREATE.
            let guild = payloads::guild_create(&shared.cfg, threads, intents & 2 != 0);
            let ok = conn.dispatch("GUILD_CREATE", guild).await;
            shared.hub.set_ready(session);
            ok
        }
        6 => {
            conn.seq = d["seq"].as_u64().unwrap_or(conn.seq);
            let ok = conn
                .dispatch("RESUMED", json!({"_trace": ["fake-discord"]}))
                .await;
            shared.hub.set_ready(session);
            ok
        }
        // Presence updates, member requests, voice: recorded, not answered.
        _ => true,
    }
}
