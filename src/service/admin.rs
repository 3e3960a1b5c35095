//! Admin operations: the same permission check as every other action, in the service.

use std::path::{Path, PathBuf};

use super::{Service, ServiceError};
use crate::domain::permissions::require_admin;
use crate::domain::Actor;

impl Service {
    /// A short description of the running configuration (no secrets).
    pub fn config_summary(&self, actor: &Actor) -> Result<String, ServiceError> {
        require_admin(actor)?;
        let p = self.partnership();
        let schools: Vec<String> = p
            .schools
            .iter()
            .map(|s| format!("{} ({})", s.name, s.key))
            .collect();
        Ok(format!(
            "{}: {} schools ({}); {} checklist items; max {} weeks; review at {:.0}% of the placement; transfers need the panel: {}; legal basis: {}.",
            p.name,
            p.schools.len(),
            schools.join(", "),
            p.checklist.items.len(),
            p.policy.max_weeks,
            p.policy.review_at * 100.0,
            if p.policy.transfer_needs_panel { "yes" } else { "no" },
            p.policy.legal_basis.describe(),
        ))
    }

    /// Writes a consistent copy of the database beside it, named by the time.
    pub async fn backup(&self, actor: &Actor, database: &Path) -> Result<PathBuf, ServiceError> {
        require_admin(actor)?;
        let stamp = self.now().format("%Y%m%d-%H%M%S");
        let name = format!(
            "{}.backup-{stamp}.db",
            database
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("managed-moves")
        );
        let target = database.with_file_name(name);
        self.store()
            .backup_to(&target)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        tracing::info!("database backed up");
        Ok(target)
    }
}
