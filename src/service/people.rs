//! Names for documents: the name and role each person had when they acted (item 10).

use chrono::{DateTime, Utc};

use super::{Service, ServiceError};
use crate::domain::people::{role_label, People};
use crate::domain::{Actor, UserId};
use crate::store::StoredEvent;

impl Service {
    /// Notes the name `actor` goes by now (their server nickname or global name, or the
    /// CLI's configured name), with the role their capacities give them. Never fails the
    /// action it comes with: a name not noted leaves the ID in documents.
    pub async fn note_name(&self, actor: &Actor, name: &str) {
        self.note_name_at(actor, name, self.now()).await
    }

    /// [`Service::note_name`] as of `at` (when the interaction arrived), for a note
    /// written in the background after the action itself.
    pub async fn note_name_at(&self, actor: &Actor, name: &str, at: DateTime<Utc>) {
        let name = name.trim();
        if name.is_empty() || actor.capacities.is_empty() {
            return;
        }
        let role = role_label(actor, self.partnership());
        if !self.name_changed(actor.user, name, &role) {
            return;
        }
        if let Err(e) = self.store().note_name(actor.user, name, &role, at).await {
            tracing::warn!(error = %e, "could not note a member's name");
            // Forget it, so the next interaction tries again.
            self.lock_names().remove(&actor.user);
        }
    }

    /// Whether this name and role differ from the last noted for the user in this process
    /// (then remembered as noted). The store still checks its own last row, so a restart
    /// writes nothing twice.
    fn name_changed(&self, user: UserId, name: &str, role: &str) -> bool {
        let seen = (name.to_string(), role.to_string());
        self.lock_names().insert(user, seen.clone()) != Some(seen)
    }

    fn lock_names(
        &self,
    ) -> std::sync::MutexGuard<'_, std::collections::HashMap<UserId, (String, String)>> {
        // A poisoned map only loses remembered names: take it as it is.
        self.names_seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The names of everyone who acted on a case, over time.
    pub async fn people_of_case(
        &self,
        reference: crate::domain::CaseRef,
    ) -> Result<People, ServiceError> {
        let internal = |e| ServiceError::internal(&e, Some(&reference.to_string()));
        let Some((id, _)) = self.store().find_case(reference).await.map_err(internal)? else {
            return Ok(People::default());
        };
        let events = self.store().history(id).await.map_err(internal)?;
        self.people_of(&events).await
    }

    /// The names of everyone who acted in these events, over time.
    pub async fn people_of(&self, events: &[StoredEvent]) -> Result<People, ServiceError> {
        let mut users: Vec<UserId> = events.iter().map(|e| e.event.by).collect();
        users.sort_by_key(|u| u.0);
        users.dedup();
        self.store()
            .people_names(&users)
            .await
            .map_err(|e| ServiceError::internal(&e, None))
    }
}
