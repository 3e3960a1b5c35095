//! Fault injection: make the next N matching requests fail, or slow a route down, so tests
//! can check how the bot copes with Discord outages and rate limits.

use std::sync::Mutex;
use std::time::Duration;

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Matches "METHOD /path" against a request. Segments written `*` or `{anything}` match any
/// one segment, so routes can be pasted from Discord's docs ("/channels/{channel_id}/messages").
/// The method may be left out or written `*`. Paths are relative to /api/v10.
#[derive(Clone, Debug)]
pub struct RouteMatcher {
    method: Option<String>,
    segments: Vec<String>,
}

impl RouteMatcher {
    pub fn parse(spec: &str) -> Self {
        let spec = spec.trim();
        let (method, path) = match spec.split_once(' ') {
            Some((m, p)) if !m.starts_with('/') => (Some(m.to_ascii_uppercase()), p.trim()),
            _ => (None, spec),
        };
        let method = method.filter(|m| m != "*");
        let path = path.strip_prefix("/api/v10").unwrap_or(path);
        Self {
            method,
            segments: path.split('/').map(str::to_owned).collect(),
        }
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        if self.method.as_deref().is_some_and(|m| m != method) {
            return false;
        }
        let parts: Vec<&str> = path.split('/').collect();
        parts.len() == self.segments.len()
            && self.segments.iter().zip(parts).all(|(want, got)| {
                want == "*" || (want.starts_with('{') && want.ends_with('}')) || want == got
            })
    }
}

impl From<&str> for RouteMatcher {
    fn from(spec: &str) -> Self {
        Self::parse(spec)
    }
}

impl From<String> for RouteMatcher {
    fn from(spec: String) -> Self {
        Self::parse(&spec)
    }
}

struct Failure {
    route: RouteMatcher,
    status: u16,
    remaining: usize,
    /// Discord's JSON error code and message; `None` for the plain `fail_next` answer.
    code: Option<(u32, String)>,
    /// A 429 for the whole bot, not this route (`"global": true`, `x-ratelimit-global`).
    global: bool,
    /// Only requests whose JSON body contains this text (e.g. a nonce's prefix).
    body_contains: Option<String>,
}

/// What an injected failure answers.
#[derive(Clone, Debug)]
pub struct Injected {
    pub status: u16,
    pub code: Option<(u32, String)>,
    pub global: bool,
}

#[derive(Default)]
pub struct Faults {
    failures: Mutex<Vec<Failure>>,
    delays: Mutex<Vec<(RouteMatcher, Duration)>>,
}

impl Faults {
    pub fn fail_next(&self, route: RouteMatcher, status: u16, times: usize) {
        self.push(Failure {
            route,
            status,
            remaining: times,
            code: None,
            global: false,
            body_contains: None,
        });
    }

    /// Fail with Discord's JSON error `code` and `message` (e.g. 403, 50013, "Missing
    /// Permissions"); `times` may be `usize::MAX` for "for ever".
    pub fn fail_with_code(
        &self,
        route: RouteMatcher,
        status: u16,
        code: u32,
        message: &str,
        times: usize,
    ) {
        self.push(Failure {
            route,
            status,
            remaining: times,
            code: Some((code, message.to_owned())),
            global: false,
            body_contains: None,
        });
    }

    /// Answer the next `times` matching requests with a global 429.
    pub fn rate_limit_globally(&self, route: RouteMatcher, times: usize) {
        self.push(Failure {
            route,
            status: 429,
            remaining: times,
            code: None,
            global: true,
            body_contains: None,
        });
    }

    /// Fail the next `times` matching requests whose JSON body contains `needle` with
    /// `status`: one message among several to the same route (a thread's case card, not
    /// its introduction), when the test cannot know the route's id in advance.
    pub fn fail_next_containing(
        &self,
        route: RouteMatcher,
        needle: &str,
        status: u16,
        times: usize,
    ) {
        self.push(Failure {
            route,
            status,
            remaining: times,
            code: None,
            global: false,
            body_contains: Some(needle.to_owned()),
        });
    }

    fn push(&self, f: Failure) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f);
    }

    pub fn set_delay(&self, route: RouteMatcher, delay: Duration) {
        self.delays
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((route, delay));
    }

    pub fn clear(&self) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        self.delays
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The status to fail this request with, consuming one use of the first matching rule.
    pub fn take_failure(&self, method: &str, path: &str) -> Option<u16> {
        self.take(method, path, &serde_json::Value::Null)
            .map(|f| f.status)
    }

    /// The failure to answer this request with, consuming one use of the first matching rule.
    pub fn take(&self, method: &str, path: &str, body: &serde_json::Value) -> Option<Injected> {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let text = body.to_string();
        let f = failures.iter_mut().find(|f| {
            f.remaining > 0
                && f.route.matches(method, path)
                && f.body_contains
                    .as_ref()
                    .is_none_or(|n| text.contains(n.as_str()))
        })?;
        f.remaining -= 1;
        Some(Injected {
            status: f.status,
            code: f.code.clone(),
            global: f.global,
        })
    }

    /// Total delay of every matching rule.
    pub fn delay_for(&self, method: &str, path: &str) -> Duration {
        let delays = self.delays.lock().unwrap_or_else(|e| e.into_inner());
        delays
            .iter()
            .filter(|(r, _)| r.matches(method, path))
            .map(|(_, d)| *d)
            .sum()
    }
}

/// Seconds a 429 from the fake asks the client to wait: short, so tests stay fast.
pub const RETRY_AFTER_SECS: f64 = 0.05;

/// The answer Discord would give for `status`. 429 carries the rate-limit headers and body
/// serenity's ratelimiter reads (`retry-after`, `x-ratelimit-*`, `{retry_after, global}`).
pub fn fault_response(status: u16) -> Response {
    injected_response(&Injected {
        status,
        code: None,
        global: false,
    })
}

/// The answer for an injected failure: Discord's JSON error code when one was given, and
/// for a global 429 the `global` flag and `x-ratelimit-global` header.
pub fn injected_response(injected: &Injected) -> Response {
    let status = injected.status;
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some((json_code, message)) = injected.code.as_ref().filter(|_| status != 429) {
        return (code, Json(json!({"message": message, "code": json_code}))).into_response();
    }
    if status == 429 {
        let global = injected.global;
        let body = json!({
            "message": "You are being rate limited.",
            "retry_after": RETRY_AFTER_SECS, "global": global, "code": 0,
        });
        let mut resp = (code, Json(body)).into_response();
        let reset = super::payloads::wall_clock_ms() as f64 / 1000.0 + RETRY_AFTER_SECS;
        let headers = resp.headers_mut();
        for (name, value) in [
            ("retry-after", RETRY_AFTER_SECS.to_string()),
            ("x-ratelimit-limit", "5".into()),
            ("x-ratelimit-remaining", "0".into()),
            ("x-ratelimit-reset", format!("{reset:.3}")),
            ("x-ratelimit-reset-after", RETRY_AFTER_SECS.to_string()),
            ("x-ratelimit-bucket", "fakebucket".into()),
            ("x-ratelimit-scope", "user".into()),
        ] {
            headers.insert(name, HeaderValue::from_str(&value).expect("ascii header"));
        }
        if global {
            headers.insert("x-ratelimit-global", HeaderValue::from_static("true"));
            headers.insert("x-ratelimit-scope", HeaderValue::from_static("global"));
        }
        return resp;
    }
    let reason = code.canonical_reason().unwrap_or("Error");
    (
        code,
        Json(json!({"message": format!("{status}: {reason}"), "code": 0})),
    )
        .into_response()
}
