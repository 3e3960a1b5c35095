//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod cases;
mod interactions;
mod meetings;
mod outbox;
mod precheck;
mod reminders;
mod reports;
mod threads;
