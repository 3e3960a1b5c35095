//! Changes to a running placement (DOMAIN.md, "Meetings and reviews"): the one extension
//! both heads may agree, a parent's request for a review, and an outcome one head gave
//! against the other's confirmation, kept as a dispute. The records live on the case;
//! the rules are in `decide::changes`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::case::{Case, CaseState, Outcome, ParentConsent, ReviewKind, Stamp};
use super::ids::{SchoolKey, Text, UserId};

/// The placement lengthened by both heads: asked by one, agreed by the other.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The school whose head asked.
    pub asked_for: SchoolKey,
    /// Weeks added to the agreed length.
    pub added: u8,
    pub reason: Text,
    pub asked: Stamp,
    /// The agreed length before the extension.
    pub from_weeks: u8,
    /// The other school, and when its head agreed; the extension applies from then.
    pub agreed: Option<(SchoolKey, Stamp)>,
    /// The parent's agreement to the new length (consents belong to the terms they were
    /// given for, so the first one does not cover the longer placement).
    pub parent_consent: Option<ParentConsent>,
}

/// A review held, as named in a reply: which and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldReview {
    pub review: ReviewKind,
    pub held_on: NaiveDate,
}

/// The parent/carer asked for a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRequest {
    /// The day the parent asked.
    pub on: NaiveDate,
    /// When a review is due because of it; none when one was held recently.
    pub due: Option<NaiveDate>,
    /// The recent review that made a new one unnecessary.
    pub recent: Option<HeldReview>,
    pub recorded: Stamp,
}

/// One head's confirmation of an outcome, as the disputing head is told of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub school: SchoolKey,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// An outcome not applied because the other head had confirmed a different one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispute {
    pub school: SchoolKey,
    pub outcome: Outcome,
    pub reason: Text,
    pub recorded: Stamp,
}

impl Case {
    /// Both heads agreed an extension and the parent's agreement to the new length is
    /// still to be recorded.
    pub fn awaits_parent_for_extension(&self) -> bool {
        self.state == CaseState::Active
            && self
                .extension
                .as_ref()
                .is_some_and(|e| e.agreed.is_some() && e.parent_consent.is_none())
    }

    /// The extension one head asked for and the other has not yet agreed.
    pub fn pending_extension(&self) -> Option<&Extension> {
        self.extension.as_ref().filter(|e| e.agreed.is_none())
    }

    /// The oldest parent's request whose review is still to be held: no review has been
    /// recorded on or after the day the parent asked.
    pub fn open_review_request(&self) -> Option<&ReviewRequest> {
        self.review_requests
            .iter()
            .find(|r| r.due.is_some() && !self.reviews.values().any(|held| held.held_on >= r.on))
    }

    /// Disputes stand until the heads agree, which ends the placement either way (closed,
    /// or on to the transferring stage): only an active case has open disputes.
    pub fn open_disputes(&self) -> &[Dispute] {
        if self.state == CaseState::Active {
            &self.disputes
        } else {
            &[]
        }
    }

    /// Who confirmed a permanent transfer, and when.
    pub fn permanent_confirmations(&self) -> Vec<Confirmation> {
        self.permanent_confirmed_by
            .iter()
            .map(|(school, stamp)| Confirmation {
                school: school.clone(),
                by: stamp.by,
                at: stamp.at,
            })
            .collect()
    }
}
