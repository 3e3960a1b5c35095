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
#[cfg(test)]
mod wording;

pub use agreement::agreement_pdf;
pub use export::{export_json, export_text};
pub use notice::{notice_pdf, placement_school_days};
pub use parent_copy::parent_copy_pdf;
pub use review::review_pdf;
