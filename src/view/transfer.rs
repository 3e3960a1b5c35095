//! The transferring stage on the case card (each step, done or due) and the board (the next
//! step). The safeguarding lead's name is staff, shown only on the card, to people with a
//! role on the case.

use chrono::NaiveDate;

use crate::domain::transfer::{steps, Step};
use crate::domain::Case;

use super::{defuse, Card};

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

fn line(step: &Step) -> String {
    match (&step.done, step.due) {
        (Some(done), _) => format!("✓ {}: {}", step.label, defuse(done)),
        (None, Some(due)) => format!("… {}: due {}", step.label, day(due)),
        (None, None) => format!("… {}", step.label),
    }
}

/// One field listing every step of the transfer, once it has begun.
pub(super) fn fields(card: &mut Card, case: &Case) {
    let Some(t) = &case.transfer else {
        return;
    };
    let mut lines = vec![format!(
        "Both heads confirmed on {}; the roll change is never earlier.",
        day(t.begun_on)
    )];
    lines.extend(steps(case).iter().map(line));
    card.field("Permanent transfer", lines.join("\n"), false);
}

/// " · next: <step>" for a transferring case on the board; empty otherwise.
pub(super) fn board_note(case: &Case) -> String {
    if case.state.is_closed() {
        return String::new();
    }
    steps(case)
        .iter()
        .find(|s| s.done.is_none())
        .map(|s| format!(" · next: {}", s.label))
        .unwrap_or_default()
}
