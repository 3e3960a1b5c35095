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
        let p = self.partnership();
        let (bytes, name) = match kind {
            DocumentKind::Agreement => (documents::agreement_pdf(&case, p)?, "agreement"),
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
        can_export(actor)?;
        let found = self
            .store()
            .find_case(reference)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))?;
        let (id, case) = found.ok_or_else(|| Refusal::case_not_found(reference))?;
        authorize(actor, &case, ActionKind::View)?;
        let events = self
            .store()
            .history(id)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))?;
        let p = self.partnership();
        let text = documents::export_text(&case, &events, p);
        let json =
            serde_json::to_vec_pretty(&documents::export_json(&case, &events)).unwrap_or_default();
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
