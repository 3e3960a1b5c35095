//! The agreement's rows for what the start needs beyond the consents, and which version
//! of the terms each consent was given for (consents belong to the terms).

use super::pdf::PdfDoc;
use crate::domain::{Case, Partnership};

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// ", for version 2 of the terms (the current)": which terms a consent was given for.
pub(super) fn for_terms(case: &Case, given: Option<u32>) -> String {
    let Some(v) = given else {
        return String::new();
    };
    let current = case.terms_version.max(1);
    if v < current {
        format!(", for version {v} of the terms (earlier terms: to be given again)")
    } else {
        format!(", for version {v} of the terms (the current)")
    }
}

pub(super) fn rows(doc: &mut PdfDoc, case: &Case, p: &Partnership) {
    if case.looked_after {
        let value = case.la_consent.as_ref().map(|c| {
            format!(
                "agreed on {} through {}{}{}",
                long_date(c.on),
                c.social_worker,
                if c.parents_share {
                    "; the parents share parental responsibility"
                } else {
                    ""
                },
                for_terms(case, Some(c.for_terms))
            )
        });
        doc.row(
            "Local authority (parental responsibility)",
            value.as_deref().unwrap_or("not yet recorded"),
        );
    }
    if let Some(by) = case.approval_asked {
        let value = match &case.extra_approval {
            Some(a) => format!(
                "{} for {} on {}",
                if a.approved { "approved" } else { "declined" },
                a.by_role.label(),
                long_date(p.today(a.recorded.at))
            ),
            None => format!("waiting for {}", by.label()),
        };
        doc.row("Extra approval (exam years)", &value);
        let courses = case.exam_courses.as_ref().map(|e| {
            format!(
                "{}{}",
                e.continues.label(),
                e.note
                    .as_ref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            )
        });
        doc.row(
            "Exam courses can continue",
            courses.as_deref().unwrap_or("not yet recorded"),
        );
    }
    // That it was shared, by whom and when: never the information itself.
    let safeguarding = case.safeguarding.as_ref().map(|s| {
        format!(
            "{} by the designated safeguarding lead {} on {}{}",
            if s.nothing_to_share {
                "nothing to share, recorded"
            } else {
                "shared with the destination"
            },
            s.dsl,
            long_date(s.on),
            if s.confirmed.is_some() {
                "; receipt confirmed by the destination"
            } else {
                ""
            }
        )
    });
    doc.row(
        "Safeguarding information",
        safeguarding.as_deref().unwrap_or("not yet recorded"),
    );
}
