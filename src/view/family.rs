//! The case card's line for the family's part: the parent's copy of the agreement and,
//! under an off-site direction, the written notice, with when and how each was given.

use crate::domain::decide::copy_is_current;
use crate::domain::family::LegalBasis;
use crate::domain::{Case, Partnership};

use super::{defuse, Card};

/// "How" is free text: kept short so the field stays within Discord's limits.
const HOW_CHARS: usize = 120;

fn how(text: &str) -> String {
    let cut: String = text.chars().take(HOW_CHARS).collect();
    defuse(&cut)
}

pub(super) fn fields(card: &mut Card, case: &Case, p: &Partnership) {
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    let mut lines = Vec::new();
    match &case.parent_copy {
        Some(c) if copy_is_current(case) => lines.push(format!(
            "Parent's copy of the agreement given {} ({})",
            day(c.on),
            how(c.how.as_str())
        )),
        Some(c) => lines.push(format!(
            "Parent's copy given {}, but the agreement was recorded again since: give a new copy",
            day(c.on)
        )),
        // Cases started before the copy was recorded (or required) are not chased.
        None if case.agreement.is_some()
            && case.started_on.is_none()
            && p.policy.parent_copy_required =>
        {
            lines.push("Parent's copy of the agreement: not yet given".to_string())
        }
        None => {}
    }
    if p.policy.legal_basis == LegalBasis::OffSiteDirection {
        match &case.notice {
            Some(n) => {
                let la = n
                    .la_notified
                    .map(|la| format!("; local authority {}", day(la)))
                    .unwrap_or_default();
                lines.push(format!(
                    "Written notice given {} ({}){la}",
                    day(n.on),
                    how(n.how.as_str())
                ));
            }
            None if case.started_on.is_none() => {
                lines.push("Written notice of the off-site direction: not yet given".to_string())
            }
            None => {}
        }
    }
    if !lines.is_empty() {
        card.field("The family's part", lines.join("\n"), false);
    }
}
