//! The written notice of an off-site direction (DOMAIN.md, "Extra approvals and the
//! family's part"): the reasons for and objectives of the placement, the destination's
//! address, who the pupil reports to on the first day, the start date and number of school
//! days, and the session times, from the case and `[documents]`. Given at least two school
//! days before the start; names and the family's address are blanks filled in by hand.

use chrono::{Days, NaiveDate};

use super::pdf::PdfDoc;
use crate::domain::decide::earliest_start_after_notice;
use crate::domain::family::{LegalBasis, BLANK};
use crate::domain::policy::WeekCounting;
use crate::domain::{Case, Partnership, Refusal};

fn long_date(d: NaiveDate) -> String {
    d.format("%A %-d %B %Y").to_string()
}

/// School days from the first day for the agreed length.
pub fn placement_school_days(p: &Partnership, start: NaiveDate, weeks: u8) -> u32 {
    match p.policy.week_counting {
        WeekCounting::School => u32::from(weeks) * 5,
        WeekCounting::Calendar => {
            let end = start + Days::new(u64::from(weeks) * 7);
            start
                .iter_days()
                .take_while(|d| *d < end)
                .filter(|d| p.calendar.is_school_day(*d))
                .count() as u32
        }
    }
}

/// The notice, as of `today` (or the day it was recorded as given), stating the start
/// `start` (default: the agreed start). Refused unless the partnership's legal basis is an
/// off-site direction, before the agreement, and when the start it would state is before
/// the agreed one, not a school day, or under two school days away.
pub fn notice_pdf(
    case: &Case,
    p: &Partnership,
    today: NaiveDate,
    start: Option<NaiveDate>,
) -> Result<Vec<u8>, Refusal> {
    if p.policy.legal_basis != LegalBasis::OffSiteDirection {
        return Err(Refusal::wrong_state(
            "This partnership places pupils by managed move, not off-site direction, so there is no written notice to make.",
        ));
    }
    let a = case.agreement.as_ref().ok_or_else(|| {
        Refusal::wrong_state(
            "There is no agreement yet: record it with `/agreement record` first; the notice states its start date and targets.",
        )
    })?;
    let start = case.started_on.or(start).unwrap_or(a.terms.start);
    if start < a.terms.start {
        return Err(Refusal::invalid_owned(
            "start",
            format!(
                "The agreement starts the move on {} at the earliest; the notice can't state an earlier start.",
                long_date(a.terms.start)
            ),
        ));
    }
    if !p.calendar.is_school_day(start) {
        return Err(Refusal::invalid_owned(
            "start",
            format!("{} is not a school day.", long_date(start)),
        ));
    }
    let given = case.notice.as_ref().map_or(today, |n| n.on);
    let earliest = earliest_start_after_notice(p, given);
    if case.started_on.is_none() && start < earliest {
        return Err(Refusal::invalid_owned(
            "start",
            format!(
                "A notice given on {} allows a start on {} at the earliest; state a later start.",
                long_date(given),
                long_date(earliest)
            ),
        ));
    }
    let home = p.school_name(&case.home);
    let destination = p.school_name(&case.destination);
    let there = p.documents.school(&case.destination);
    let mut doc = PdfDoc::new(&format!("Notice of off-site direction {}", case.reference));
    doc.title("Written notice of an off-site direction");
    doc.paragraph(&p.name);
    doc.row("To the parent/carer of", BLANK);
    doc.row("Address", BLANK);
    doc.row("", BLANK);
    doc.row(
        "Our reference",
        &format!("{}, {}", case.reference, super::pupil_row(&case.pupil)),
    );
    doc.row("Date of this notice", BLANK);
    doc.space(8.0);
    doc.paragraph(&format!(
        "The head of {home} has directed that your child attends {destination} for a time-limited placement, to improve their behaviour. This letter is your written notice of that direction. Your child stays on {home}'s roll, and {home} stays responsible for them throughout."
    ));

    doc.heading("Why, and what the placement is for");
    doc.row("Reason", case.reason.label());
    doc.row("Support already tried", case.strategies_tried.as_str());
    doc.row("Objectives", a.terms.targets.as_str());
    doc.row("Pupil champion", a.terms.pupil_champion.as_str());

    doc.heading("Where and when");
    doc.row("School", &destination);
    doc.row("Address", there.address.as_deref().unwrap_or(BLANK));
    doc.row("First day", &long_date(start));
    doc.row(
        "On the first day, report to",
        there.first_day_contact.as_deref().unwrap_or(BLANK),
    );
    doc.row(
        "Length",
        &format!(
            "{} weeks: {} school days",
            a.terms.weeks,
            placement_school_days(p, start, a.terms.weeks)
        ),
    );
    doc.row(
        "Session times",
        there.session_times().as_deref().unwrap_or(BLANK),
    );
    doc.row("Midpoint review", &long_date(a.midpoint_review));
    doc.row("Final review", &long_date(a.final_review));
    if case.ehcp {
        doc.paragraph(
            "As your child has an education, health and care plan, the local authority is given notice of this direction too.",
        );
    }

    doc.heading("Your rights");
    doc.paragraph(&format!(
        "You can ask for a review of the placement at any time, by telling either school. A review is then held within {} school days, unless one was held in the {} weeks before you asked.",
        p.policy.requested_review_school_days, p.policy.requested_review_unless_held_weeks
    ));
    doc.paragraph(p.documents.complaints());
    if let Some(contact) = p.documents.school(&case.home).contact {
        doc.row(&format!("Contact at {home}"), &contact);
    }

    doc.heading("Signed");
    doc.row(&format!("Head, {home}"), BLANK);
    doc.row("Given to the parent/carer on", BLANK);
    Ok(doc.finish())
}
