//! The record of a midpoint or final review: progress, checklist, decisions, next steps.

use super::agreement::capitalise;
use super::pdf::PdfDoc;
use crate::domain::case::review_key;
use crate::domain::review_record::{attendance_so_far, invitation_lines, target_list};
use crate::domain::{Case, Partnership, Refusal, ReviewKind, Text};

pub fn review_pdf(case: &Case, p: &Partnership, kind: ReviewKind) -> Result<Vec<u8>, Refusal> {
    let review = case.review(kind).ok_or_else(|| {
        Refusal::wrong_state(format!("The {} has not been recorded yet.", kind.label()))
    })?;
    let mut doc = PdfDoc::new(&format!("{} {}", capitalise(kind.label()), case.reference));
    doc.title(&format!("{} record", capitalise(kind.label())));
    doc.paragraph(&p.name);
    doc.row("Case reference", &case.reference.to_string());
    doc.row("Pupil", &super::pupil_row(&case.pupil));
    doc.row(
        "Schools",
        &format!(
            "{} → {}",
            p.school_name(&case.home),
            p.school_name(&case.destination)
        ),
    );
    doc.row(
        "Held on",
        &review.held_on.format("%A %-d %B %Y").to_string(),
    );
    if let Some(a) = &case.agreement {
        doc.row(
            "Placement",
            &format!(
                "from {}, {} weeks",
                a.terms.start.format("%-d %B %Y"),
                a.terms.weeks
            ),
        );
        doc.row("Pupil champion", a.terms.pupil_champion.as_str());
    }
    let details = case.review_details.get(review_key(kind));

    doc.heading("Who came");
    match details {
        Some(d) => {
            let who = d
                .attendance
                .as_ref()
                .map_or("Not recorded.".to_string(), |a| a.describe());
            doc.paragraph(&capitalise(&who));
            for line in invitation_lines(case, d) {
                doc.paragraph(&line);
            }
        }
        None => doc.paragraph("Not recorded."),
    }

    doc.heading("Progress against each target");
    let targets = case
        .agreement
        .as_ref()
        .map(|a| target_list(a.terms.targets.as_str()))
        .unwrap_or_default();
    for (n, target) in targets.iter().enumerate() {
        let progress = details
            .and_then(|d| d.progress.get(n))
            .map_or("not recorded", |p| p.label());
        doc.row(&capitalise(progress), target);
    }

    doc.heading("Attendance so far");
    doc.paragraph(
        &attendance_so_far(case)
            .unwrap_or_else(|| "No weekly attendance reports recorded.".to_string()),
    );

    doc.heading("Views");
    let view = |v: Option<&Text>| v.map_or("Not recorded.", |t| t.as_str()).to_string();
    doc.row(
        "Parent/carer",
        &view(details.and_then(|d| d.parent_view.as_ref())),
    );
    doc.row("Pupil", &view(details.and_then(|d| d.pupil_view.as_ref())));

    doc.heading("Notes, decisions and next steps agreed");
    doc.paragraph(review.notes.as_str());

    doc.heading(&format!("Check-ins ({})", case.check_ins.len()));
    if case.check_ins.is_empty() {
        doc.paragraph("No check-ins recorded.");
    }
    for check_in in &case.check_ins {
        doc.row(
            &check_in.on.format("%-d %B %Y").to_string(),
            check_in.note.as_str(),
        );
    }

    doc.heading(&format!(
        "Good-practice checklist: {}",
        p.checklist.progress(&case.checklist)
    ));
    for item in &p.checklist.items {
        let rating = case.checklist.get(&item.key);
        let mark = rating
            .map(|r| r.rag.label().to_uppercase())
            .unwrap_or_else(|| "NOT RATED".into());
        let comment = rating
            .and_then(|r| r.comment.as_ref())
            .map(|c| format!(" ({c})"))
            .unwrap_or_default();
        doc.row(&mark, &format!("{}{comment}", item.text));
    }

    doc.heading("Next steps");
    let next = match (kind, case.outcome) {
        (ReviewKind::Final, Some(outcome)) => format!("Outcome: {}.", outcome.label()),
        (ReviewKind::Final, None) => "The heads record the outcome: permanent transfer (both heads confirm) or return to the home school.".to_string(),
        (ReviewKind::Midpoint, _) => match &case.agreement {
            Some(a) => format!("Final review on {}.", a.final_review.format("%A %-d %B %Y")),
            None => "Final review to be scheduled.".to_string(),
        },
    };
    doc.paragraph(&next);
    Ok(doc.finish())
}
