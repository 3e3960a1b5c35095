//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod attendance;
mod cases;
mod interactions;
mod outbox;
mod precheck;
mod reminders;
mod reports;
mod threads;
