//! Hardening: crash safety, concurrency, hostile input, privacy, backups and retention.

mod kit;

mod backup;
mod cli_guards;
mod concurrency;
mod crash;
mod family;
mod input;
mod privacy;
mod privacy_cli;
