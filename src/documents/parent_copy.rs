//! The parent/carer's copy of the agreement, in plain English (DOMAIN.md, "Extra approvals
//! and the family's part"): what was agreed, the reviews, who to contact, the right to ask
//! for a review and how to complain, in the partnership's own words from `[documents]`.
//! The bot holds no full name or address, so those are blanks to fill in by hand.

use super::agreement::capitalise;
use super::pdf::PdfDoc;
use crate::domain::family::{LegalBasis, BLANK};
use crate::domain::{Case, MoveKind, Partnership, Refusal};

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// The parent's copy; refused until the agreement has been recorded.
pub fn parent_copy_pdf(case: &Case, p: &Partnership) -> Result<Vec<u8>, Refusal> {
    let a = case.agreement.as_ref().ok_or_else(|| {
        Refusal::wrong_state(
            "There is no agreement yet: record it with `/agreement record` first, then make the family's copy.",
        )
    })?;
    let name = p.policy.name();
    let home = p.school_name(&case.home);
    let destination = p.school_name(&case.destination);
    let mut doc = PdfDoc::new(&format!("Parent's copy {}", case.reference));
    doc.title(&format!("Your copy of the {name} agreement"));
    doc.paragraph(&p.name);
    doc.paragraph(
        "This letter sets out, in plain English, what was agreed about your child's education at the initial meeting. Please keep it. If anything in it is not what you understood, tell the home school's contact below straight away.",
    );
    doc.row("Your child", BLANK);
    doc.row("Parent/carer", BLANK);
    doc.row(
        "Our reference",
        &format!("{}, {}", case.reference, super::pupil_row(&case.pupil)),
    );

    doc.heading("What was agreed");
    let what = match (p.policy.legal_basis, case.kind) {
        (LegalBasis::OffSiteDirection, _) => format!(
            "{home} has directed your child to attend {destination} for a time-limited placement (an off-site direction), to help improve their behaviour. Your child stays on {home}'s roll throughout, and {home} stays responsible for them. You are given written notice of the placement separately."
        ),
        (_, MoveKind::ManagedMove) => format!(
            "Your child will attend {destination} for a time-limited placement. Your child stays on {home}'s roll throughout (they are registered at both schools), {home} stays responsible for them, and they can return to {home} if the placement ends."
        ),
        (_, MoveKind::ManagedTransfer) => format!(
            "Your child will attend {destination}, with the aim of staying there. Your child stays on {home}'s roll until both schools and you confirm the move is permanent."
        ),
    };
    doc.paragraph(&what);
    doc.row("First day", &long_date(a.terms.start));
    doc.row("Length", &format!("{} weeks", a.terms.weeks));
    doc.row("Targets for your child", a.terms.targets.as_str());
    doc.row(
        "Pupil champion",
        &format!(
            "{} (the person who looks out for your child at {destination})",
            a.terms.pupil_champion
        ),
    );
    doc.row("If it does not work out", a.terms.if_it_fails.as_str());

    doc.heading("Reviews");
    doc.paragraph(
        "The schools meet with you to see how things are going. You and your child are invited to both reviews, and your views are written down.",
    );
    doc.row("Midpoint review", &long_date(a.midpoint_review));
    doc.row("Final review", &long_date(a.final_review));

    doc.heading("Who to contact");
    for (school, role) in [
        (&case.home, "Home school"),
        (&case.destination, "Placement school"),
    ] {
        let details = p.documents.school(school);
        doc.row(
            role,
            &format!(
                "{}: {}",
                p.school_name(school),
                details.contact.as_deref().unwrap_or(BLANK)
            ),
        );
    }

    doc.heading("Your right to ask for a review");
    doc.paragraph(&format!(
        "You can ask for a review at any time, by telling either school. A review is then held within {} school days, unless one was held in the {} weeks before you asked.",
        p.policy.requested_review_school_days, p.policy.requested_review_unless_held_weeks
    ));

    doc.heading("If you are unhappy");
    doc.paragraph(p.documents.complaints());
    if let Some(extra) = p
        .documents
        .extra
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        doc.paragraph(extra.trim());
    }

    doc.heading("Given to the family");
    match &case.parent_copy {
        Some(copy) => doc.row(
            "Given",
            &format!("on {} ({})", long_date(copy.on), copy.how),
        ),
        None => {
            doc.row("Given on", BLANK);
            doc.row("How", BLANK);
        }
    }
    doc.row("By (home school)", BLANK);
    doc.paragraph(&format!(
        "{} agreement {}, made by managed-moves.",
        capitalise(name),
        case.reference
    ));
    Ok(doc.finish())
}
