//! The service over a real SQLite database: cases, reminders, documents and statistics.

mod common;

mod approvals;
mod attendance;
mod cases;
mod changes;
mod family;
mod interactions;
mod leads;
mod meetings;
mod names;
mod outbox;
mod precheck;
mod redaction;
mod registration;
mod reminders;
mod reports;
mod returning;
mod term_report;
mod threads;
mod transferring;
