//! Shared test support. Each integration test that needs it says `mod support;`.
#![allow(dead_code)]

pub mod fake_discord;
pub mod harness;
