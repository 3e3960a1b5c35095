//! What a front end shows when a command does not go through.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::domain::Refusal;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The person asked for something the rules do not allow; nothing was changed.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// Our fault. The details went to the log under `reference`; the person sees only this.
    #[error("Something went wrong; nothing was changed. Reference: {reference}")]
    Internal { reference: String },
    /// Another writer held the database longer than a command may wait; nothing was
    /// changed, and trying again in a moment will most likely work.
    #[error("The bot is busy; nothing was changed. Please try again in a moment.")]
    Busy,
}

static SEQUENCE: AtomicU32 = AtomicU32::new(0);

impl ServiceError {
    /// Logs a store failure (never pupil data: store errors carry none) and returns a
    /// reference the person can quote to an admin.
    pub fn internal(error: &StoreError, case: Option<&str>) -> Self {
        if error.is_busy() {
            tracing::warn!(
                case = case.unwrap_or("-"),
                "database busy; command not applied"
            );
            return ServiceError::Busy;
        }
        let n = SEQUENCE.fetch_add(1, Ordering::Relaxed);
        let reference = format!("E-{}-{n:04}", std::process::id());
        tracing::error!(error = %error, case = case.unwrap_or("-"), %reference, "command failed");
        ServiceError::Internal { reference }
    }

    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ServiceError::Refused(r) => Some(r),
            ServiceError::Internal { .. } | ServiceError::Busy => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_database_is_told_as_busy_with_nothing_changed_not_as_our_fault() {
        let busy = StoreError::Sql(sqlx::Error::PoolTimedOut);
        let told = ServiceError::internal(&busy, Some("MM-2026-0001"));
        assert!(matches!(told, ServiceError::Busy), "{told:?}");
        let said = told.to_string();
        assert!(
            said.contains("nothing was changed") && said.contains("try again"),
            "{said}"
        );
        assert!(
            !said.contains("Reference"),
            "no reference for an admin: {said}"
        );

        let broken = ServiceError::internal(&StoreError::Conflict, None);
        assert!(
            matches!(broken, ServiceError::Internal { .. }),
            "{broken:?}"
        );
    }
}
