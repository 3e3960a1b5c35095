//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod approvals;
mod attendance;
mod cases;
mod changes;
mod family;
mod interactions;
mod meetings;
mod outbox;
mod precheck;
mod registration;
mod reminders;
mod reports;
mod returning;
mod threads;
mod transferring;
