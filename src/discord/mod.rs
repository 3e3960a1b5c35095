//! The Discord front end: thin poise commands that turn interactions into the service's
//! typed commands and render what comes back. No rule of the process lives here.

mod ack;
mod approval;
pub mod board;
pub mod case_view;
pub mod commands;
mod components;
mod delivery;
pub mod escalation;
mod extension;
pub mod lead;
#[cfg(test)]
mod limits;
mod membership;
pub(crate) mod names;
pub mod preflight;
mod reminders;
pub mod render;
mod reply;
mod sender;
mod start;
mod threads;
pub mod types;
mod upkeep;

pub use start::{http_client, run, start};
