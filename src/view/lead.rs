//! A case's lead and its reopening, on the card and the board (issue 15, parts 4 and 5).
//! The lead is named through the people machinery: the service fills `Lead::name`.

use crate::domain::reopen::reopen_until;
use crate::domain::{Case, Partnership};

use super::{defuse, Card};

/// "Lead": who leads an open case (or that nobody does yet), right under the move.
pub(super) fn lead_field(card: &mut Card, case: &Case) {
    let value = match &case.lead {
        Some(lead) => lead.label(),
        None if case.state.is_closed() => return,
        None => "nobody yet: a coordinator can take it (`/case lead`)".to_string(),
    };
    card.field("Lead", value, true);
}

/// A reopen waiting for a head, and the latest reopen done.
pub(super) fn reopen_fields(card: &mut Card, case: &Case, p: &Partnership) {
    let day = |at: chrono::DateTime<chrono::Utc>| p.today(at).format("%a %-d %b %Y");
    if let (Some(ask), Some(before)) = (&case.reopen_asked, &case.before_close) {
        card.field(
            "Reopen asked",
            format!(
                "A coordinator asked on {}: {}\nA head of {} confirms it (`/case reopen-confirm`) by {}.",
                day(ask.asked.at),
                defuse(ask.reason.as_str()),
                before.side.schools(case, p),
                reopen_until(before, p).format("%a %-d %b %Y")
            ),
            false,
        );
    }
    if let Some(done) = &case.reopened {
        card.field(
            "Reopened",
            format!(
                "On {}, back to {} as before it closed: {}",
                day(done.confirmed.at),
                done.state,
                defuse(done.reason.as_str())
            ),
            false,
        );
    }
}

/// " · lead: A. Khan" on the board line of a case with a lead; empty otherwise.
pub(super) fn board_note(case: &Case) -> String {
    case.lead
        .as_ref()
        .map(|l| format!(" · lead: {}", l.label()))
        .unwrap_or_default()
}
