//! managed-moves: a Discord bot (and CLI) that runs the managed-move process for an
//! inclusion partnership of secondary schools.

pub mod cli;
pub mod config;
pub mod discord;
pub mod documents;
pub mod domain;
pub mod scheduler;
pub mod service;
pub mod stats;
pub mod store;
pub mod supervise;
pub mod telemetry;
pub mod view;
