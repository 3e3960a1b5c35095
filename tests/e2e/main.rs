//! End to end: the bot against a fake Discord (REST + gateway on 127.0.0.1), in-process on a
//! clock the test controls and as the real binary. One test binary, so the heavy
//! dependencies (serenity, poise, axum) are linked once.

#[path = "../support/mod.rs"]
mod support;

mod access;
mod approvals;
mod attendance;
mod binary;
mod board;
mod changes;
mod delivery;
mod deployment;
mod escalation;
mod fake_discord_by_hand;
mod fake_discord_selftest;
mod family;
mod interactions;
mod leads;
mod meetings;
mod placement;
mod privacy;
mod registration;
mod reminders;
mod returning;
mod scenarios;
mod term_report;
mod thread_lifecycle;
mod threads;
mod transferring;
mod whole_case;
