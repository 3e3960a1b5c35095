//! The Discord front end: thin poise commands that turn interactions into the service's
//! typed commands and render what comes back. No rule of the process lives here.

mod ack;
pub mod commands;
mod components;
mod reminders;
pub mod render;
mod reply;
mod sender;
mod start;
mod threads;
pub mod types;

pub use start::{run, start};
