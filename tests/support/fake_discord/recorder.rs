//! Log of every REST request the bot made, so tests assert on what reached "Discord".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde_json::Value;
use tokio::sync::Notify;

/// One REST request and the fake's answer.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub method: String,
    /// Path without the "/api/v10" prefix, e.g. "/channels/1/messages".
    pub path: String,
    pub query: Option<String>,
    /// JSON body; for multipart requests the `payload_json` part; `Null` when empty.
    pub body: Value,
    /// File parts of a multipart request: (field name, file name, size in bytes).
    pub files: Vec<(String, String, usize)>,
    pub at: SystemTime,
    pub status: u16,
    /// What the fake answered (`Null` for an empty body).
    pub response: Value,
    /// True when no fake route matched: the bot called something the fake does not model.
    pub unknown_route: bool,
    /// True when the answer came from `fail_next`.
    pub injected: bool,
}

impl RecordedRequest {
    /// "POST /channels/1/messages", handy in assertion messages.
    pub fn line(&self) -> String {
        format!("{} {} -> {}", self.method, self.path, self.status)
    }
}

/// What the bot did with one interaction, in order.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseKind {
    /// `POST /interactions/{id}/{token}/callback` with this callback type.
    Callback(u8),
    Followup,
    EditOriginal,
    DeleteOriginal,
    EditFollowup(u64),
    DeleteFollowup(u64),
}

#[derive(Clone, Debug)]
pub struct InteractionResponse {
    pub kind: ResponseKind,
    pub body: Value,
    pub status: u16,
    /// Flags & 64. Edits of the original inherit the original's ephemerality, as in Discord.
    pub ephemeral: bool,
}

#[derive(Clone, Default)]
pub struct Recorder {
    log: Arc<Mutex<Vec<RecordedRequest>>>,
    /// Interaction id -> token, to tie webhook follow-ups to their interaction.
    tokens: Arc<Mutex<HashMap<u64, String>>>,
    changed: Arc<Notify>,
    /// Every uploaded file's name and bytes, in arrival order (see [`Recorder::uploads`]).
    uploads: Arc<Mutex<Vec<Upload>>>,
}

/// An uploaded file: its name and bytes.
pub type Upload = (String, Vec<u8>);

const EPHEMERAL: u64 = 1 << 6;

impl Recorder {
    pub fn push(&self, req: RecordedRequest) {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).push(req);
        self.changed.notify_waiters();
    }

    pub fn register_interaction(&self, id: u64, token: &str) {
        self.tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, token.to_owned());
    }

    pub fn push_upload(&self, file_name: String, bytes: Vec<u8>) {
        self.uploads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file_name, bytes));
    }

    /// Every file the bot uploaded (PDFs, charts, exports): name and bytes, so a test can
    /// read what was sent, not only its size.
    pub fn uploads(&self) -> Vec<Upload> {
        self.uploads
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Looks at the requests recorded from index `from` on (a `len()` taken earlier) without
    /// copying them: `f` runs with the log locked, so it should be quick.
    pub fn inspect_from<T>(&self, from: usize, f: impl FnOnce(&[RecordedRequest]) -> T) -> T {
        let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        f(log.get(from..).unwrap_or_default())
    }

    pub fn unknown_routes(&self) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.unknown_route)
            .collect()
    }

    /// Waits until a request matching `pred` has been recorded; `None` on timeout.
    pub async fn wait_for(
        &self,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> Option<RecordedRequest> {
        self.wait_for_from(0, pred, timeout).await
    }

    /// How many requests have been recorded so far: a mark for `wait_for_from`.
    pub fn len(&self) -> usize {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Like `wait_for`, among the requests recorded from index `from` on (a `len()` taken
    /// earlier). Looks at each request once and copies only the match, so a loop sending
    /// thousands of interactions (benches/discord.rs) does not copy the whole log each time.
    pub async fn wait_for_from(
        &self,
        from: usize,
        pred: impl Fn(&RecordedRequest) -> bool,
        timeout: Duration,
    ) -> Option<RecordedRequest> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut next = from;
        loop {
            // Register interest before looking, so a push between the two is not missed.
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let log = self.log.lock().unwrap_or_else(|e| e.into_inner());
                let new = log.get(next..).unwrap_or_default();
                if let Some(found) = new.iter().find(|r| pred(r)) {
                    return Some(found.clone());
                }
                next = log.len().max(next);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// Bodies the bot POSTed to `/channels/{id}/messages` (successful or not).
    pub fn messages_in(&self, channel_id: u64) -> Vec<Value> {
        let path = format!("/channels/{channel_id}/messages");
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .map(|r| r.body)
            .collect()
    }

    /// Callback, follow-ups and edits for one interaction sent with `send_interaction`.
    pub fn interaction_responses(&self, interaction_id: u64) -> Vec<InteractionResponse> {
        let token = self
            .tokens
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&interaction_id)
            .cloned();
        let Some(token) = token else { return vec![] };
        let callback = format!("/interactions/{interaction_id}/{token}/callback");
        let mut original_ephemeral = false;
        let mut followup_flags: HashMap<u64, bool> = HashMap::new();
        let mut out = vec![];
        for r in self.requests() {
            let flags =
                |v: &Value| v.get("flags").and_then(Value::as_u64).unwrap_or(0) & EPHEMERAL != 0;
            let (kind, ephemeral) = if r.path == callback {
                let t = r.body.get("type").and_then(Value::as_u64).unwrap_or(0) as u8;
                let e = r.body.get("data").map(flags).unwrap_or(false);
                if matches!(t, 4 | 5) {
                    original_ephemeral = e;
                }
                (ResponseKind::Callback(t), e)
            } else if let Some(rest) = webhook_rest(&r.path, &token) {
                match (r.method.as_str(), rest) {
                    ("POST", "") => {
                        // The answer is the message as shown: the first follow-up after a
                        // deferral replaces the "thinking" message and keeps its flags.
                        let shown = r.response.get("flags").map(|_| &r.response);
                        let e = flags(shown.unwrap_or(&r.body));
                        if let Some(id) = r.response["id"].as_str().and_then(|s| s.parse().ok()) {
                            followup_flags.insert(id, e);
                        }
                        (ResponseKind::Followup, e)
                    }
                    ("PATCH", "/messages/@original") => {
                        (ResponseKind::EditOriginal, original_ephemeral)
                    }
                    ("DELETE", "/messages/@original") => {
                        (ResponseKind::DeleteOriginal, original_ephemeral)
                    }
                    (m, other) => {
                        let Some(id) = other
                            .strip_prefix("/messages/")
                            .and_then(|s| s.parse().ok())
                        else {
                            continue;
                        };
                        let e = followup_flags.get(&id).copied().unwrap_or(false);
                        match m {
                            "PATCH" => (ResponseKind::EditFollowup(id), e),
                            "DELETE" => (ResponseKind::DeleteFollowup(id), e),
                            _ => continue,
                        }
                    }
                }
            } else {
                continue;
            };
            out.push(InteractionResponse {
                kind,
                body: r.body,
                status: r.status,
                ephemeral,
            });
        }
        out
    }
}

/// For "/webhooks/{app}/{token}{rest}" returns `rest`.
fn webhook_rest<'a>(path: &'a str, token: &str) -> Option<&'a str> {
    let after = path.strip_prefix("/webhooks/")?;
    let (_app, tail) = after.split_once('/')?;
    tail.strip_prefix(token)
}
