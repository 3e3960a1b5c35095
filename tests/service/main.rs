//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod cases;
mod interactions;
mod reminders;
mod reports;
