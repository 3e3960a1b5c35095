//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod attendance;
mod cases;
mod changes;
mod interactions;
mod meetings;
mod names;
mod outbox;
mod precheck;
mod redaction;
mod registration;
mod reminders;
mod reports;
mod threads;
