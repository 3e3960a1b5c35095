//! Text or JSON on stdout; refusals and errors on stderr with a non-zero exit code.

use std::process::ExitCode;

use serde_json::json;

use crate::domain::{Case, Partnership};
use crate::service::{Outcome, ServiceError};
use crate::store::StoredEvent;
use crate::view;

pub struct Output {
    json: bool,
}

/// A refusal: the person can fix it. An internal error: they cannot.
const EXIT_REFUSED: u8 = 1;
const EXIT_FAILED: u8 = 2;

impl Output {
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    pub fn json(&self, value: &serde_json::Value) -> ExitCode {
        println!("{value}");
        ExitCode::SUCCESS
    }

    pub fn line(&self, text: &str) -> ExitCode {
        if self.json {
            println!("{}", json!({ "ok": true, "message": text }));
        } else {
            println!("{text}");
        }
        ExitCode::SUCCESS
    }

    pub fn fatal(&self, text: &str) -> ExitCode {
        if self.json {
            println!("{}", json!({ "ok": false, "error": text }));
        } else {
            eprintln!("{text}");
        }
        ExitCode::from(EXIT_FAILED)
    }

    pub fn error(&self, e: &ServiceError) -> ExitCode {
        let code = if e.refusal().is_some() {
            EXIT_REFUSED
        } else {
            EXIT_FAILED
        };
        if self.json {
            let body = match e.refusal() {
                Some(r) => {
                    json!({ "ok": false, "refused": { "kind": r.kind, "field": r.field, "message": r.message() } })
                }
                None => json!({ "ok": false, "error": e.to_string() }),
            };
            println!("{body}");
        } else {
            eprintln!("{e}");
        }
        ExitCode::from(code)
    }

    pub fn outcome(&self, outcome: &Outcome, p: &Partnership) -> ExitCode {
        if self.json {
            println!(
                "{}",
                json!({ "ok": true, "case": outcome.case, "events": outcome.events, "notifications": outcome.notifications })
            );
        } else {
            for event in &outcome.events {
                println!("✔ {} — {}", outcome.case.reference, event.kind.summary());
            }
            print!("{}", view::case_card(&outcome.case, p).to_text());
        }
        ExitCode::SUCCESS
    }

    pub fn case(&self, case: &Case, p: &Partnership) -> ExitCode {
        if self.json {
            println!("{}", json!({ "ok": true, "case": case }));
        } else {
            print!("{}", view::case_card(case, p).to_text());
        }
        ExitCode::SUCCESS
    }

    pub fn list(&self, cases: &[Case], p: &Partnership) -> ExitCode {
        if self.json {
            println!("{}", json!({ "ok": true, "cases": cases }));
        } else if cases.is_empty() {
            println!("No cases to show.");
        } else {
            for c in cases {
                println!(
                    "{}  {:<9} {} {}  {} → {}  checklist {}",
                    c.reference,
                    c.state.as_str(),
                    c.pupil.initials,
                    c.pupil.year,
                    p.school_name(&c.home),
                    p.school_name(&c.destination),
                    p.checklist.progress(&c.checklist)
                );
            }
        }
        ExitCode::SUCCESS
    }

    pub fn history(&self, events: &[StoredEvent], p: &Partnership) -> ExitCode {
        if self.json {
            let events: Vec<_> = events
                .iter()
                .map(|e| json!({ "seq": e.seq, "event": e.event }))
                .collect();
            println!("{}", json!({ "ok": true, "events": events }));
        } else {
            for line in view::history_lines(events, p) {
                println!("{line}");
            }
        }
        ExitCode::SUCCESS
    }
}
