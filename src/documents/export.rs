//! One case's whole history, for the school's records or a subject access request.

use serde_json::json;

use crate::domain::people::People;
use crate::domain::{Case, Partnership};
use crate::store::StoredEvent;
use crate::view;

/// A readable document: the case card, then every event with its details, each change by
/// the name and role its author had at the time.
pub fn export_text(
    case: &Case,
    events: &[StoredEvent],
    p: &Partnership,
    people: &People,
) -> String {
    let mut out = format!("{} — case record {}\n\n", p.name, case.reference);
    out.push_str(&view::case_card(case, p).to_text());
    out.push_str("\nHistory (every change, who made it and when):\n");
    for e in events {
        let details = serde_json::to_string(&e.event.kind).unwrap_or_default();
        out.push_str(&format!(
            "{:>3}. {} · {} · {}\n     {}\n",
            e.seq,
            e.event
                .at
                .with_timezone(&p.timezone)
                .format("%Y-%m-%d %H:%M"),
            people.at(e.event.by, e.event.at),
            e.event.kind.summary(p),
            details
        ));
    }
    out
}

/// The same as JSON: the case as it stands and its full event log.
pub fn export_json(case: &Case, events: &[StoredEvent]) -> serde_json::Value {
    json!({
        "case": case,
        "events": events.iter().map(|e| json!({ "seq": e.seq, "event": e.event })).collect::<Vec<_>>(),
    })
}
