//! Acting as someone: slash commands, button clicks and modal submits pushed through the
//! fake's gateway, and the bot's answer read back from what it sent to the fake.

use serde_json::Value;

use super::guild::Person;
use super::{TestBot, TIMEOUT};
use crate::support::fake_discord::{FakeInteraction, InteractionResponse, Opt, SentInteraction};

/// Choice options are sent as the index of the choice, as Discord does for poise's
/// `ChoiceParameter` (registered as integer choices).
pub fn choice(name: &str, index: i64) -> Opt {
    Opt::integer(name, index)
}

/// Answers to the eight suitability questions: 0 yes, 1 no, 2 unsure.
pub const YES: i64 = 0;
pub const NO: i64 = 1;
pub const UNSURE: i64 = 2;

/// One person about to act, in a channel (the general channel unless `in_channel`).
pub struct AsUser<'a> {
    pub(super) bot: &'a TestBot,
    pub id: u64,
    pub roles: Vec<u64>,
    pub channel: Option<u64>,
}

impl AsUser<'_> {
    pub fn in_channel(mut self, channel: u64) -> Self {
        self.channel = Some(channel);
        self
    }

    fn dress(&self, ix: FakeInteraction) -> FakeInteraction {
        let ix = ix.by(self.id).with_roles(self.roles.iter().copied());
        match self.channel {
            Some(c) => ix.in_channel(c),
            None => ix,
        }
    }

    /// `path` is the command as typed: "case show", "proposal accept", "propose".
    /// Subcommands (and a group, for three words) wrap `options` the way Discord nests them.
    pub fn slash(&self, path: &str, options: impl IntoIterator<Item = Opt>) -> FakeInteraction {
        let words: Vec<&str> = path.split_whitespace().collect();
        let options: Vec<Opt> = options.into_iter().collect();
        let top = match words.as_slice() {
            [name] => return self.dress(FakeInteraction::slash(name, options)),
            [name, sub] => (name, vec![Opt::sub(sub, options)]),
            [name, group, sub] => (name, vec![Opt::group(group, [Opt::sub(sub, options)])]),
            _ => panic!("not a command: {path:?}"),
        };
        self.dress(FakeInteraction::slash(top.0, top.1))
    }

    /// Runs a slash command and waits for the bot's answer.
    pub async fn command(&self, path: &str, options: impl IntoIterator<Item = Opt>) -> Reply {
        let sent = self.bot.send(self.slash(path, options)).await;
        self.bot.reply_to(&sent).await
    }

    /// A click on the newest message the bot posted with this button (a made-up message
    /// if it posted none), in that message's channel.
    pub fn button(&self, custom_id: &str) -> FakeInteraction {
        match self.bot.message_with_button(custom_id) {
            Some(m) => {
                let channel = m["channel_id"].as_str().and_then(|c| c.parse().ok());
                let id = m["id"].as_str().and_then(|c| c.parse().ok());
                let ix = self.dress(FakeInteraction::button(custom_id, id));
                match channel {
                    Some(c) => ix.in_channel(c),
                    None => ix,
                }
            }
            None => self.dress(FakeInteraction::button(custom_id, None)),
        }
    }

    /// Clicks a button and waits for the bot's answer (a message, or a modal to fill in).
    pub async fn click(&self, custom_id: &str) -> Reply {
        let sent = self.bot.send(self.button(custom_id)).await;
        self.bot.reply_to(&sent).await
    }

    pub fn modal(&self, custom_id: &str, fields: &[(&str, &str)]) -> FakeInteraction {
        let ix = self.dress(FakeInteraction::modal(custom_id, fields));
        match self.bot.message_with_button(custom_id) {
            Some(m) => {
                let channel = m["channel_id"].as_str().and_then(|c| c.parse().ok());
                let id = m["id"].as_str().and_then(|c| c.parse().ok());
                let ix = id.map_or(ix.clone(), |id| ix.on_message(id));
                channel.map_or(ix.clone(), |c| ix.in_channel(c))
            }
            None => ix,
        }
    }

    /// Submits the modal a button opened, with (text input id, value) pairs.
    pub async fn submit_modal(&self, custom_id: &str, fields: &[(&str, &str)]) -> Reply {
        let sent = self.bot.send(self.modal(custom_id, fields)).await;
        self.bot.reply_to(&sent).await
    }
}

impl TestBot {
    pub fn as_user(&self, id: u64, roles: &[u64]) -> AsUser<'_> {
        AsUser {
            bot: self,
            id,
            roles: roles.to_vec(),
            channel: None,
        }
    }

    pub fn as_(&self, person: Person) -> AsUser<'_> {
        self.as_user(person.id, person.roles)
    }

    /// Sends an interaction without waiting for the answer (see `reply_to`).
    pub async fn send(&self, ix: FakeInteraction) -> SentInteraction {
        self.fake.send_interaction(ix).await
    }

    /// Waits for the bot's answer to an interaction: its callback and, after a deferral,
    /// the follow-up or edit that carries the message.
    pub async fn reply_to(&self, sent: &SentInteraction) -> Reply {
        let prefix = format!("/interactions/{}/", sent.id);
        let got = self
            .fake
            .recorder()
            .wait_for(|r| r.path.starts_with(&prefix), TIMEOUT)
            .await;
        assert!(
            got.is_some(),
            "the bot did not answer interaction {} within {TIMEOUT:?}: {}",
            sent.payload["data"]["name"]
                .as_str()
                .or(sent.payload["data"]["custom_id"].as_str())
                .unwrap_or("?"),
            self.log_tail()
        );
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let responses = self.fake.recorder().interaction_responses(sent.id);
            let deferred = responses.len() == 1
                && matches!(
                    responses[0].kind,
                    crate::support::fake_discord::ResponseKind::Callback(5 | 6)
                )
                && sent.payload["type"] != 5;
            if !deferred || tokio::time::Instant::now() >= deadline {
                return Reply::from(responses);
            }
            super::settle().await;
        }
    }
}

/// What the bot answered to one interaction.
#[derive(Clone, Debug)]
pub struct Reply {
    /// Callback type: 4 message, 5 deferred, 9 modal.
    pub callback: u8,
    pub ephemeral: bool,
    pub content: String,
    pub embeds: Vec<Value>,
    pub components: Vec<Value>,
    /// For a modal (type 9): its custom id.
    pub modal: Option<String>,
    pub responses: Vec<InteractionResponse>,
}

impl From<Vec<InteractionResponse>> for Reply {
    fn from(responses: Vec<InteractionResponse>) -> Self {
        let callback = match responses.first().map(|r| &r.kind) {
            Some(crate::support::fake_discord::ResponseKind::Callback(t)) => *t,
            _ => 0,
        };
        // The message shown: the callback's data, or the last follow-up or edit after it.
        let shown = responses
            .iter()
            .rev()
            .find(|r| r.body.get("content").is_some() || r.body.get("embeds").is_some())
            .map(|r| r.body.clone())
            .or_else(|| responses.first().map(|r| r.body["data"].clone()))
            .unwrap_or(Value::Null);
        let shown = if shown.get("data").is_some() {
            shown["data"].clone()
        } else {
            shown
        };
        let list = |k: &str| shown[k].as_array().cloned().unwrap_or_default();
        Reply {
            callback,
            ephemeral: responses.first().is_some_and(|r| r.ephemeral),
            content: shown["content"].as_str().unwrap_or("").to_owned(),
            embeds: list("embeds"),
            components: list("components"),
            modal: (callback == 9)
                .then(|| {
                    responses[0].body["data"]["custom_id"]
                        .as_str()
                        .map(str::to_owned)
                })
                .flatten(),
            responses,
        }
    }
}

impl Reply {
    /// Content plus every embed's title, description and fields, for searching.
    pub fn text(&self) -> String {
        let mut out = self.content.clone();
        for e in &self.embeds {
            for k in ["title", "description"] {
                if let Some(t) = e[k].as_str() {
                    out.push('\n');
                    out.push_str(t);
                }
            }
            for f in e["fields"].as_array().into_iter().flatten() {
                out.push_str(&format!(
                    "\n{}: {}",
                    f["name"].as_str().unwrap_or(""),
                    f["value"].as_str().unwrap_or("")
                ));
            }
        }
        out
    }

    /// The first embed's title, e.g. "MM-2026-0001 · proposed · Z.Q. Year 9".
    pub fn title(&self) -> &str {
        self.embeds
            .first()
            .and_then(|e| e["title"].as_str())
            .unwrap_or("")
    }

    /// The case reference a card is about (the title's first word).
    pub fn case_ref(&self) -> String {
        let title = self.title();
        let reference = title.split_whitespace().next().unwrap_or("");
        assert!(
            reference.starts_with("MM-"),
            "no case card in the reply: {self:#?}"
        );
        reference.to_owned()
    }

    /// A success: a private message starting with ✔ and a case card.
    pub fn assert_done(&self, what: &str) -> &Self {
        assert!(
            self.ephemeral,
            "the answer to {what} should be private: {self:#?}"
        );
        assert!(
            self.content.starts_with('✔') && !self.embeds.is_empty(),
            "expected {what} to succeed, the bot said: {}",
            self.text()
        );
        self
    }

    /// A refusal: private, a short line, no card, no buttons.
    pub fn assert_refused(&self, what: &str) -> &Self {
        assert_eq!(self.callback, 4, "{what}: expected a message: {self:#?}");
        assert!(
            self.ephemeral,
            "{what}: a refusal must be private: {self:#?}"
        );
        assert!(
            self.embeds.is_empty() && self.components.is_empty(),
            "{what}: a refusal is words only: {self:#?}"
        );
        let c = self.content.trim();
        assert!(
            !c.is_empty() && !c.contains('\n') && c.chars().count() <= 200,
            "{what}: a refusal is one short line: {c:?}"
        );
        let sentences = c.matches(". ").count() + 1;
        assert!(
            sentences <= 2,
            "{what}: a refusal says why (and what to do) in at most two sentences: {c:?}"
        );
        assert!(!c.starts_with('✔'), "{what}: expected a refusal: {c:?}");
        self
    }
}

impl AsUser<'_> {
    /// Chooses `values` in a select menu the bot sent (its custom ID) and waits for the
    /// answer. The menu came with an ephemeral reply, which has no message to find, so the
    /// choice is sent as from a made-up message in the general channel.
    pub async fn choose(&self, custom_id: &str, values: &[&str]) -> Reply {
        let ix = self.dress(FakeInteraction::select(custom_id, values, None));
        let sent = self.bot.send(ix).await;
        self.bot.reply_to(&sent).await
    }
}
