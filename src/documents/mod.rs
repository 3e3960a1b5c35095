//! Paper-grade records: the signed agreement and the review records as PDF, and a case's
//! whole history as a readable document or JSON (for the school's file or a subject access
//! request). Pure functions of a case, its history and the partnership.

mod agreement;
mod approvals;
mod export;
mod notice;
mod parent_copy;
pub mod pdf;
mod review;
mod term_report;
#[cfg(test)]
mod wording;

pub use agreement::agreement_pdf;
pub use export::{export_json, export_text};
pub use notice::{notice_pdf, placement_school_days};
pub use parent_copy::parent_copy_pdf;
pub use review::review_pdf;
pub use term_report::term_report_pdf;

/// The pupil in a document: "J.S. (Y9)", or "Y9 pupil" in a copy posted to Discord with
/// the initials withheld (`[privacy]`).
pub(crate) fn pupil_row(pupil: &crate::domain::Pupil) -> String {
    if pupil.initials.is_withheld() {
        pupil.label()
    } else {
        format!("{} ({})", pupil.initials, pupil.year)
    }
}
