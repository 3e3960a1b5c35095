//! Delivery's rules, apart from the sender that applies them: what a failure means
//! ([`classify`]), how long to wait ([`backoff`]), and what to keep of an error.

pub mod backoff;
pub mod classify;

use poise::serenity_prelude as serenity;

pub use classify::{classify, Failure, Verdict};

use super::types::Error;
use crate::store::{DeliveryError, StoreError};

/// How one attempt at a row ended, when it did not succeed.
pub enum AttemptError {
    /// Discord or the network refused it: classify and keep what was said.
    Delivery(Failure, DeliveryError),
    /// Our own database failed: not the message's fault; stop this pass and try later.
    Store(StoreError),
    /// The bot could not build the message (unreadable payload, a document that would not
    /// render): the same input fails the same way, so it is set aside.
    Build(DeliveryError),
}

impl AttemptError {
    pub fn from_error(e: Error) -> Self {
        let e = match e.downcast::<StoreError>() {
            Ok(store) => return Self::Store(*store),
            Err(e) => e,
        };
        match e.downcast::<serenity::Error>() {
            Ok(s) => from_serenity(&s),
            // Only the kind of failure is kept: a message from serde or a document may
            // quote the payload, which can hold a pupil's details.
            Err(_) => Self::Build(DeliveryError {
                status: None,
                code: None,
                message: "the bot could not build this message".into(),
            }),
        }
    }
}

fn from_serenity(e: &serenity::Error) -> AttemptError {
    use serenity::HttpError;
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => {
            let status = r.status_code.as_u16();
            let code = r.error.code as i64;
            AttemptError::Delivery(
                Failure::Http {
                    status,
                    code,
                    // serenity 0.12 keeps no `retry_after` here: its `ErrorResponse` holds
                    // the status, the URL and the JSON error's code and message, and the
                    // headers and the body's `retry_after` are dropped. In production its
                    // rate limiter waits every 429 out itself (per route and global) and
                    // asks again, so a 429 reaches us only with the limiter off (the fake
                    // Discord): our own backoff, from `[delivery] first_retry_ms`, applies.
                    retry_after: None,
                },
                DeliveryError {
                    status: Some(status),
                    code: Some(code),
                    message: r.error.message.chars().take(200).collect(),
                },
            )
        }
        serenity::Error::Http(HttpError::Request(_)) | serenity::Error::Io(_) => {
            AttemptError::Delivery(
                Failure::Network,
                DeliveryError {
                    status: None,
                    code: None,
                    message: "no answer from Discord (timeout or connection error)".into(),
                },
            )
        }
        // A message Discord would refuse (too long, too many embeds...), found by serenity
        // before sending.
        other => AttemptError::Build(DeliveryError {
            status: None,
            code: None,
            message: format!("refused before sending: {}", kind_of(other)),
        }),
    }
}

/// A short name for a serenity error that quotes nothing of the message.
fn kind_of(e: &serenity::Error) -> &'static str {
    match e {
        serenity::Error::Model(_) => "the message breaks one of Discord's limits",
        serenity::Error::Json(_) => "an answer the bot could not read",
        _ => "an error in the Discord client",
    }
}
