//! What every command handler gets: the service, the config, and a way to wake the sender.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::config::Config;
use crate::service::Service;

pub struct Data {
    pub service: Service,
    pub config: Arc<Config>,
    /// Woken after each command so the outbox is delivered at once, not on the next poll.
    pub outbox: Arc<Notify>,
}

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Context<'a> = poise::Context<'a, Data, Error>;
