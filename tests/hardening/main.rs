//! Hardening: crash safety, concurrency, hostile input, privacy, backups and retention.

mod kit;

mod backup;
mod concurrency;
mod crash;
mod input;
mod privacy;
