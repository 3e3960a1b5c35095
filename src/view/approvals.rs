//! The card's lines for what the start needs beyond the consents: the extra approval and
//! exam courses, the safeguarding information, a looked-after child's local-authority
//! consent, and which terms each consent was given for. One field, to leave room.

use crate::domain::{Case, Partnership};

use super::{defuse, Card};

pub(super) fn fields(card: &mut Card, case: &Case, p: &Partnership) {
    let date = |d: chrono::NaiveDate| d.format("%a %-d %b %Y").to_string();
    let mut lines = Vec::new();
    if let Some(by) = case.approval_asked {
        let line = match &case.extra_approval {
            None => format!("Extra approval: waiting for {}", by.label()),
            Some(a) => format!(
                "Extra approval: {} for {} on {}{}",
                if a.approved { "approved" } else { "declined" },
                a.by_role.label(),
                date(p.today(a.recorded.at)),
                a.reason
                    .as_ref()
                    .map(|r| format!(" — {}", defuse(r.as_str())))
                    .unwrap_or_default()
            ),
        };
        lines.push(line);
    }
    if let Some(exam) = &case.exam_courses {
        lines.push(format!(
            "Exam courses can continue: {}{}",
            exam.continues.label(),
            exam.note
                .as_ref()
                .map(|n| format!(" — {}", defuse(n.as_str())))
                .unwrap_or_default()
        ));
    }
    if let Some(s) = &case.safeguarding {
        let what = if s.nothing_to_share {
            "nothing to share, said"
        } else {
            "shared with the destination"
        };
        // No mentions on a card (it must never ping): the history says who recorded it.
        let confirmed = match &s.confirmed {
            Some(c) => format!(
                "; receipt confirmed by the destination on {}",
                date(p.today(c.at))
            ),
            None => "; not yet confirmed by the destination".to_string(),
        };
        lines.push(format!(
            "Safeguarding: {what} by the DSL {} on {}{confirmed}",
            defuse(s.dsl.as_str()),
            date(s.on)
        ));
    }
    if let Some(la) = &case.la_consent {
        lines.push(format!(
            "Local authority agreed on {} through {}{}",
            date(la.on),
            defuse(la.social_worker.as_str()),
            if la.parents_share {
                " (parents share parental responsibility)"
            } else {
                ""
            }
        ));
    }
    if case.terms_version > 1 {
        let given = |v: Option<u32>| match v {
            Some(v) if v < case.terms_version => format!("given for terms v{v} (earlier terms)"),
            Some(v) => format!("given for terms v{v}"),
            None => "not given".to_string(),
        };
        lines.push(format!(
            "Terms v{}: parent/carer {}; pupil {}",
            case.terms_version,
            given(case.parent_consent.as_ref().and(case.parent_consent_terms)),
            given(case.pupil_consent.as_ref().and(case.pupil_consent_terms)),
        ));
    }
    card.field("Before the start", lines.join("\n"), false);
}

#[cfg(test)]
mod tests {
    use crate::domain::testkit::*;
    use crate::domain::Action;
    use crate::view::case_card;

    fn field(card: &crate::view::Card, name: &str) -> String {
        card.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.clone())
            .unwrap_or_default()
    }

    #[test]
    fn the_card_says_why_consents_are_asked_again_and_what_was_recorded() {
        let b = CaseBuilder::new().year(10).propose().accepted().agreed();
        let mut changed = terms(today(), 9);
        changed.pupil_champion = text("Ms P. Lee");
        let b = b
            .act(&head_of(HOME), Action::RecordAgreement { terms: changed })
            .act(&head_of(DESTINATION), Action::SignAgreement);
        let card = case_card(b.case(), b.partnership());
        let before = field(&card, "Before the start");
        assert!(
            before.contains("Extra approval: approved for the coordinators"),
            "{before}"
        );
        assert!(
            before.contains("Exam courses can continue: yes"),
            "{before}"
        );
        assert!(
            before.contains("by the DSL Mrs Reid, designated safeguarding lead"),
            "{before}"
        );
        assert!(
            before.contains("Terms v2: parent/carer given for terms v1 (earlier terms)"),
            "{before}"
        );
        assert!(!before.contains("<@"), "a card never pings: {before}");
        let todo = field(&card, "Next steps (before the start)");
        assert!(
            todo.contains(
                "record the parent/carer's agreement again (the terms changed on 2026-11-24)"
            ),
            "{todo}"
        );
    }
}
