//! Command options as a user fills them in, and the `data.resolved` map Discord adds for
//! user, channel and role options (serenity looks values up there).

use serde_json::{json, Map, Value};

use super::config::FakeMember;
use super::payloads;
use super::state::Shared;

/// One command option as the user filled it in.
#[derive(Clone, Debug)]
pub struct Opt(pub Value);

impl Opt {
    fn value(name: &str, kind: u8, value: Value) -> Self {
        Self(json!({"name": name, "type": kind, "value": value}))
    }
    pub fn string(name: &str, v: &str) -> Self {
        Self::value(name, 3, json!(v))
    }
    pub fn integer(name: &str, v: i64) -> Self {
        Self::value(name, 4, json!(v))
    }
    pub fn boolean(name: &str, v: bool) -> Self {
        Self::value(name, 5, json!(v))
    }
    /// A user option; the user (and member, when configured) goes in `data.resolved`.
    pub fn user(name: &str, id: u64) -> Self {
        Self::value(name, 6, json!(id.to_string()))
    }
    pub fn channel(name: &str, id: u64) -> Self {
        Self::value(name, 7, json!(id.to_string()))
    }
    pub fn role(name: &str, id: u64) -> Self {
        Self::value(name, 8, json!(id.to_string()))
    }
    pub fn number(name: &str, v: f64) -> Self {
        Self::value(name, 10, json!(v))
    }
    pub fn sub(name: &str, options: impl IntoIterator<Item = Opt>) -> Self {
        let opts: Vec<Value> = options.into_iter().map(|o| o.0).collect();
        Self(json!({"name": name, "type": 1, "options": opts}))
    }
    pub fn group(name: &str, subs: impl IntoIterator<Item = Opt>) -> Self {
        let opts: Vec<Value> = subs.into_iter().map(|o| o.0).collect();
        Self(json!({"name": name, "type": 2, "options": opts}))
    }
    /// The option being typed in an autocomplete: Discord sends the partial text as a string
    /// whatever the option's type (`kind`: 3 string, 4 integer, 10 number).
    pub fn focused(name: &str, kind: u8, partial: &str) -> Self {
        Self(json!({"name": name, "type": kind, "value": partial, "focused": true}))
    }
}

/// `data.resolved` for user, channel and role options, as Discord fills it.
pub fn resolved(s: &Shared, opts: &[Value]) -> Value {
    let (mut users, mut members, mut roles, mut channels) =
        (Map::new(), Map::new(), Map::new(), Map::new());
    let mut stack: Vec<&Value> = opts.iter().collect();
    while let Some(o) = stack.pop() {
        stack.extend(o["options"].as_array().into_iter().flatten());
        let Some(id) = o["value"].as_str().and_then(|v| v.parse::<u64>().ok()) else {
            continue;
        };
        if o["focused"] == true {
            continue;
        }
        match o["type"].as_u64() {
            Some(6) => {
                let m = s
                    .cfg
                    .member(id)
                    .unwrap_or_else(|| FakeMember::new(id, &format!("user{id}")));
                users.insert(id.to_string(), payloads::member_user(&m));
                if s.cfg.member(id).is_some() {
                    let mut pm = payloads::member(&m, Some(s.cfg.permissions_of(id)));
                    pm.as_object_mut().map(|o| o.remove("user"));
                    members.insert(id.to_string(), pm);
                }
            }
            Some(7) => {
                if let Some(c) = s.store().channels.get(&id) {
                    let mut c = c.clone();
                    c["permissions"] = json!(s.cfg.permissions_of(s.cfg.bot_user_id).to_string());
                    channels.insert(id.to_string(), c);
                }
            }
            Some(8) => {
                if let Some(r) = s.cfg.all_roles().iter().find(|r| r.id == id) {
                    roles.insert(id.to_string(), payloads::role(r));
                }
            }
            _ => {}
        }
    }
    json!({"users": users, "members": members, "roles": roles, "channels": channels})
}
