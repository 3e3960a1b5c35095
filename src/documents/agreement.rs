//! The managed move agreement, as signed in the bot: what is to be done, by whom and when.

use super::pdf::PdfDoc;
use crate::domain::people::People;
use crate::domain::{Case, Partnership, Refusal};

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// The agreement document, each signature by the name and role the head had in the
/// server when they signed.
pub fn agreement_pdf(case: &Case, p: &Partnership, people: &People) -> Result<Vec<u8>, Refusal> {
    let a = case.agreement.as_ref().ok_or_else(|| {
        Refusal::wrong_state("There is no agreement yet: record it with `/agreement record` first.")
    })?;
    let home = p.school_name(&case.home);
    let destination = p.school_name(&case.destination);
    let mut doc = PdfDoc::new(&format!("{} agreement {}", p.policy.name(), case.reference));
    doc.title(&format!("{} agreement", capitalise(p.policy.name())));
    doc.paragraph(&p.name);
    doc.row("Case reference", &case.reference.to_string());
    doc.row("Pupil", &super::pupil_row(&case.pupil));
    doc.row(
        "Home school",
        &format!("{home} (keeps the duty of care during the move)"),
    );
    doc.row("Destination school", &destination);
    doc.row("Type", p.policy.kind_name(case.kind));

    doc.heading("The placement");
    doc.row("Start date", &long_date(a.terms.start));
    // An extension changes the length after signing: say so, from what to what and when.
    let extended = case.extension.as_ref().and_then(|e| {
        let (_, agreed) = e.agreed.as_ref()?;
        Some(format!(
            " (extended from {} weeks by both heads on {})",
            e.from_weeks,
            long_date(p.today(agreed.at))
        ))
    });
    doc.row(
        "Length",
        &format!("{} weeks{}", a.terms.weeks, extended.unwrap_or_default()),
    );
    doc.row("Midpoint review", &long_date(a.midpoint_review));
    doc.row("Final review", &long_date(a.final_review));
    doc.paragraph(
        "While the move is active the pupil is jointly (dual) registered with both schools. A member of staff meets the pupil regularly to review progress. The key people from the initial meeting are invited to both reviews.",
    );

    doc.heading("What has been agreed");
    doc.row("Targets", a.terms.targets.as_str());
    doc.row("Pupil champion", a.terms.pupil_champion.as_str());
    doc.row("If the move does not work", a.terms.if_it_fails.as_str());
    doc.row(
        "Transport",
        "The responsibility of the home school and the parent/carer.",
    );
    doc.row(
        "Logistics",
        "Transport, meals, uniform, times and dates are covered in the pre-induction plan.",
    );
    if let Some(meeting) = &case.meeting {
        let local = meeting.at.with_timezone(&p.timezone);
        doc.row(
            "Initial meeting",
            &format!("{} at {destination}", local.format("%A %-d %B %Y, %H:%M")),
        );
    }

    doc.heading("Agreement of the family and others");
    match &case.parent_consent {
        Some(c) => doc.row(
            "Parent/carer",
            &format!(
                "agreed freely on {}, as heard by {}{}",
                long_date(c.on),
                c.witnessed_by,
                super::approvals::for_terms(case, case.parent_consent_terms)
            ),
        ),
        None => doc.row("Parent/carer", "not yet recorded"),
    }
    if let Some(e) = case.extension.as_ref().filter(|e| e.agreed.is_some()) {
        let value = e.parent_consent.as_ref().map(|c| {
            format!(
                "agreed freely on {}, as heard by {}",
                long_date(c.on),
                c.witnessed_by
            )
        });
        doc.row(
            "Parent/carer, to the extension",
            value.as_deref().unwrap_or("not yet recorded"),
        );
    }
    match &case.pupil_consent {
        Some(c) => doc.row(
            "Pupil",
            &format!(
                "agreed on {}{}",
                long_date(c.on),
                super::approvals::for_terms(case, case.pupil_consent_terms)
            ),
        ),
        None => doc.row("Pupil", "not yet recorded"),
    }
    if case.ehcp {
        let value = case
            .ehcp_amendment
            .as_ref()
            .map(|r| format!("EHCP amended on {}", long_date(r.on)));
        doc.row(
            "EHCP",
            value.as_deref().unwrap_or("amendment not yet recorded"),
        );
    }
    if case.looked_after {
        let value = case
            .virtual_school
            .as_ref()
            .map(|v| format!("consulted on {} ({})", long_date(v.on), v.contact));
        doc.row(
            "Virtual School",
            value.as_deref().unwrap_or("consultation not yet recorded"),
        );
    }
    if let Some(panel) = &case.panel {
        let verdict = if panel.approved {
            "approved"
        } else {
            "rejected"
        };
        doc.row(
            "SEIP panel",
            &format!("{verdict} on {}", long_date(p.today(panel.recorded.at))),
        );
    }

    super::approvals::rows(&mut doc, case, p);

    doc.heading("Suitability, as answered at the proposal");
    for (question, answer) in crate::view::suitability::document_rows(&case.suitability) {
        doc.paragraph(&question);
        doc.row("Answer", &answer);
    }

    doc.heading("Signatures (confirmed in managed-moves)");
    for school in [&case.home, &case.destination] {
        let signed = a.signatures.get(school).map(|s| {
            format!(
                "signed by {} on {}",
                people.at(s.by, s.at),
                s.at.with_timezone(&p.timezone).format("%-d %B %Y at %H:%M")
            )
        });
        doc.row(
            &format!("Head, {}", p.school_name(school)),
            signed.as_deref().unwrap_or("awaiting signature"),
        );
    }
    Ok(doc.finish())
}

pub(super) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
