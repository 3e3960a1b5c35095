//! The case card's lines for changes to a running placement: the extension, the parent's
//! request for a review, and disputed outcomes. Reasons are shortened so a field stays
//! within Discord's 1,024 characters whatever was typed.

use crate::domain::{Case, Partnership};

use super::{defuse, Card};

const REASON_CHARS: usize = 200;

fn short(text: &str) -> String {
    let cut: String = text.chars().take(REASON_CHARS).collect();
    let more = if text.chars().count() > REASON_CHARS {
        "…"
    } else {
        ""
    };
    format!("{}{more}", defuse(&cut))
}

pub(super) fn fields(card: &mut Card, case: &Case, p: &Partnership) {
    let day = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    if let Some(e) = &case.extension {
        let asked = format!(
            "{} more week{} asked for {} on {}: {}",
            e.added,
            if e.added == 1 { "" } else { "s" },
            p.school_name(&e.asked_for),
            day(p.today(e.asked.at)),
            short(e.reason.as_str())
        );
        let status = match (&e.agreed, &e.parent_consent) {
            (None, _) => {
                "Waiting for the other head to agree (`/move extend` with the same weeks)."
                    .to_string()
            }
            (Some((school, at)), consent) => format!(
                "Agreed for {} on {}: {} → {} weeks.\nParent's agreement to the new length: {}",
                p.school_name(school),
                day(p.today(at.at)),
                e.from_weeks,
                u16::from(e.from_weeks) + u16::from(e.added),
                consent
                    .as_ref()
                    .map_or("still to record (`/consent parent`)".to_string(), |c| {
                        format!("given on {}", day(c.on))
                    })
            ),
        };
        card.field("Extension", format!("{asked}\n{status}"), false);
    }
    if let Some(r) = case.review_requests.last() {
        let line = match (r.due, r.recent) {
            (Some(due), _) if case.open_review_request().is_some() => {
                format!("asked on {}: a review is due by {}", day(r.on), day(due))
            }
            (Some(_), _) => format!("asked on {}: a review has been held since", day(r.on)),
            (None, Some(held)) => format!(
                "asked on {}: none due, the {} was held on {}",
                day(r.on),
                held.review.label(),
                day(held.held_on)
            ),
            (None, None) => format!("asked on {}", day(r.on)),
        };
        card.field("Review asked for by the parent", line, false);
    }
    let disputes = case.open_disputes();
    if !disputes.is_empty() {
        let mut lines: Vec<String> = case
            .permanent_confirmations()
            .iter()
            .map(|c| {
                format!(
                    "<@{}> confirmed a permanent transfer for {} on {}",
                    c.by,
                    p.school_name(&c.school),
                    day(p.today(c.at))
                )
            })
            .collect();
        lines.extend(disputes.iter().map(|d| {
            format!(
                "<@{}> said \"{}\" for {} on {}: {}",
                d.recorded.by,
                d.outcome.short(),
                p.school_name(&d.school),
                day(p.today(d.recorded.at)),
                short(d.reason.as_str())
            )
        }));
        card.field(
            "Outcome disputed: the heads must agree",
            lines.join("\n"),
            false,
        );
    }
}
