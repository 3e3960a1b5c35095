//! Documents, exports and statistics, with the same permission checks as everything else.

use chrono::{Days, NaiveDate, NaiveTime};

use super::{Service, ServiceError};
use crate::documents;
use crate::domain::permissions::{authorize, can_export, stats_scope};
use crate::domain::{ActionKind, Actor, CaseRef, Refusal, ReviewKind};
use crate::stats::{self, Period, Stats};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Agreement,
    Review(ReviewKind),
    /// The parent/carer's plain-English copy of the agreement.
    ParentCopy,
    /// The written notice of an off-site direction, stating this start (default: the
    /// agreed start).
    Notice(Option<NaiveDate>),
}

/// A file to hand to someone: its name and bytes.
#[derive(Debug, Clone)]
pub struct Document {
    pub filename: String,
    pub bytes: Vec<u8>,
}

impl Service {
    /// The agreement or a review record as a PDF, for anyone who may see the case.
    pub async fn document(
        &self,
        actor: &Actor,
        reference: CaseRef,
        kind: DocumentKind,
    ) -> Result<Document, ServiceError> {
        let case = self.show(actor, reference).await?;
        let people = self.people_of_case(reference).await?;
        self.render_document(case, reference, kind, &people)
    }

    /// [`Service::document`] to be posted to Discord: under `[privacy]`, without the
    /// initials or the notes Discord may not hold.
    pub async fn document_for_discord(
        &self,
        actor: &Actor,
        reference: CaseRef,
        kind: DocumentKind,
    ) -> Result<Document, ServiceError> {
        let case = self.show(actor, reference).await?;
        let case = self.for_discord(case).await?;
        let people = self.people_of_case(reference).await?;
        self.render_document(case, reference, kind, &people)
    }

    fn render_document(
        &self,
        case: crate::domain::Case,
        reference: CaseRef,
        kind: DocumentKind,
        people: &crate::domain::people::People,
    ) -> Result<Document, ServiceError> {
        let p = self.partnership();
        let (bytes, name) = match kind {
            DocumentKind::Agreement => (documents::agreement_pdf(&case, p, people)?, "agreement"),
            DocumentKind::Review(ReviewKind::Midpoint) => (
                documents::review_pdf(&case, p, ReviewKind::Midpoint)?,
                "midpoint-review",
            ),
            DocumentKind::Review(ReviewKind::Final) => (
                documents::review_pdf(&case, p, ReviewKind::Final)?,
                "final-review",
            ),
            DocumentKind::ParentCopy => (documents::parent_copy_pdf(&case, p)?, "parent-copy"),
            DocumentKind::Notice(start) => (
                documents::notice_pdf(&case, p, p.today(self.now()), start)?,
                "notice",
            ),
        };
        Ok(Document {
            filename: format!("{reference}-{name}.pdf"),
            bytes,
        })
    }

    /// A case's whole record as text and JSON (coordinators only).
    pub async fn export(
        &self,
        actor: &Actor,
        reference: CaseRef,
    ) -> Result<(Document, Document), ServiceError> {
        self.export_with(actor, reference, false).await
    }

    /// [`Service::export`] to be sent through Discord: each event as Discord may see it.
    pub async fn export_for_discord(
        &self,
        actor: &Actor,
        reference: CaseRef,
    ) -> Result<(Document, Document), ServiceError> {
        self.export_with(actor, reference, true).await
    }

    async fn export_with(
        &self,
        actor: &Actor,
        reference: CaseRef,
        discord: bool,
    ) -> Result<(Document, Document), ServiceError> {
        can_export(actor)?;
        let found = self
            .store()
            .find_case(reference)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))?;
        let (id, case) = found.ok_or_else(|| Refusal::case_not_found(reference))?;
        authorize(actor, &case, ActionKind::View)?;
        let mut events = self
            .store()
            .history(id)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))?;
        let p = self.partnership();
        let case = if discord && !p.privacy.discord_sees_all() {
            for e in &mut events {
                e.event.kind = super::discord_view::withheld(&e.event.kind, &p.privacy);
            }
            self.for_discord(case).await?
        } else {
            case
        };
        let people = self.people_of(&events).await?;
        let text = documents::export_text(&case, &events, p, &people);
        let mut json = documents::export_json(&case, &events);
        // Who made each change, by the name and role they had then (staff only).
        if let Some(list) = json["events"].as_array_mut() {
            for (entry, e) in list.iter_mut().zip(&events) {
                entry["by_name"] = serde_json::json!(people.at(e.event.by, e.event.at));
            }
        }
        let json = serde_json::to_vec_pretty(&json).unwrap_or_default();
        tracing::info!(case = %reference, "case record exported");
        Ok((
            Document {
                filename: format!("{reference}-record.txt"),
                bytes: text.into_bytes(),
            },
            Document {
                filename: format!("{reference}-record.json"),
                bytes: json,
            },
        ))
    }

    /// Figures for cases proposed in the period, scoped by who asks.
    pub async fn stats(&self, actor: &Actor, period: Period) -> Result<Stats, ServiceError> {
        let scope = stats_scope(actor)?;
        if period.to < period.from {
            return Err(Refusal::invalid("period", "The period ends before it starts.").into());
        }
        let p = self.partnership();
        let start = p.instant(period.from, NaiveTime::MIN);
        let end = p.instant(
            period
                .to
                .checked_add_days(Days::new(1))
                .unwrap_or(period.to),
            NaiveTime::MIN,
        );
        let cases = self
            .store()
            .cases_proposed_between(start, end)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        Ok(stats::compute(&cases, p, period, scope.as_deref()))
    }
}
