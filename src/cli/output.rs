//! Text or JSON on stdout; refusals and errors on stderr with a non-zero exit code.

use std::io::Write;
use std::process::ExitCode;

use chrono::NaiveDate;
use serde_json::json;

use crate::domain::next_step::next_steps;
use crate::domain::{Case, Partnership};
use crate::service::{Outcome, ServiceError};
use crate::store::StoredEvent;
use crate::view;

/// Writes to stdout. A reader that went away (`managed-moves list … | head`) ends the
/// program quietly, as a Unix tool does; `println!` would panic with a backtrace there.
pub fn stdout(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cannot write to stdout: {e}");
        std::process::exit(i32::from(EXIT_FAILED));
    }
}

/// `println!` to [`stdout`].
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` to [`stdout`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::stdout(format_args!($($arg)*))
    };
}

pub(crate) use {say, sayln};

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
        sayln!("{value}");
        ExitCode::SUCCESS
    }

    pub fn line(&self, text: &str) -> ExitCode {
        if self.json {
            sayln!("{}", json!({ "ok": true, "message": text }));
        } else {
            sayln!("{text}");
        }
        ExitCode::SUCCESS
    }

    pub fn fatal(&self, text: &str) -> ExitCode {
        if self.json {
            sayln!("{}", json!({ "ok": false, "error": text }));
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
            sayln!("{body}");
        } else {
            eprintln!("{e}");
        }
        ExitCode::from(code)
    }

    pub fn outcome(&self, outcome: &Outcome, p: &Partnership) -> ExitCode {
        if self.json {
            sayln!(
                "{}",
                json!({ "ok": true, "case": outcome.case, "events": outcome.events, "notifications": outcome.notifications })
            );
        } else {
            for event in &outcome.events {
                sayln!("✔ {} — {}", outcome.case.reference, event.kind.summary(p));
            }
            for warning in crate::domain::decide::warnings(&outcome.events, p) {
                sayln!("{warning}");
            }
            say!("{}", view::case_card(&outcome.case, p).to_text());
        }
        ExitCode::SUCCESS
    }

    /// One case, its next steps as of `today`.
    pub fn case(&self, case: &Case, p: &Partnership, today: NaiveDate) -> ExitCode {
        if self.json {
            let steps: Vec<_> = next_steps(case, p, today)
                .into_iter()
                .map(|s| json!({ "step": s.key, "owner": s.owner.label(p), "what": s.what, "since": s.since, "due": s.due, "overdue": s.is_overdue(today) }))
                .collect();
            sayln!(
                "{}",
                json!({ "ok": true, "case": case, "next_steps": steps })
            );
        } else {
            say!("{}", view::case_card_on(case, p, today).to_text());
        }
        ExitCode::SUCCESS
    }

    /// The board as the coordinators' channel shows it: each section's most urgent
    /// cases, "+N more", and the counts.
    pub fn board(&self, board: &view::Board) -> ExitCode {
        if self.json {
            let sections: Vec<_> = board
                .sections
                .iter()
                .map(|s| {
                    let lines: Vec<&str> = s.lines.iter().map(|l| l.text.as_str()).collect();
                    json!({ "section": s.section.short(), "total": s.total, "lines": lines })
                })
                .collect();
            sayln!(
                "{}",
                json!({ "ok": true, "sections": sections, "open": board.open })
            );
            return ExitCode::SUCCESS;
        }
        for s in board.sections.iter().filter(|s| s.total > 0) {
            sayln!("{} · {}", s.section.title(), s.total);
            for line in &s.lines {
                sayln!("  {}", line.text.replace("**", "").replace('`', ""));
            }
            let more = s.more(s.lines.len());
            if more > 0 {
                sayln!("  +{more} more");
            }
        }
        if board.open == 0 {
            sayln!("No open cases.");
        }
        sayln!("{}", board.counts_line());
        ExitCode::SUCCESS
    }

    pub fn list(&self, cases: &[Case], p: &Partnership) -> ExitCode {
        if self.json {
            sayln!("{}", json!({ "ok": true, "cases": cases }));
        } else if cases.is_empty() {
            sayln!("No cases to show.");
        } else {
            for c in cases {
                sayln!(
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
            sayln!("{}", json!({ "ok": true, "events": events }));
        } else {
            for line in view::history_lines(events, p) {
                sayln!("{line}");
            }
        }
        ExitCode::SUCCESS
    }
}
