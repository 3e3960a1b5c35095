//! Redaction (admins only): a free-text part of one event that should never have been
//! written (a full name typed into a note) is overwritten as retention overwrites it, the
//! case is folded again, and a `Redacted` event records who, when and why. The bot then
//! edits its Discord posts that showed the case (`Notice::Redacted`).
//!
//! Which parts may be redacted is what retention removes ([`super::discord_view::free_text`]),
//! so every event kind, including those added later, is covered.

use super::discord_view::{free_text, replaced};
use super::notify::{notifications_for, Audience, Notice, Notification};
use super::{enqueue, Outcome, Service, ServiceError};
use crate::domain::permissions::require_admin;
use crate::domain::{Actor, Case, CaseRef, Event, EventKind, Refusal, Text};
use crate::store::Store;

/// What replaces redacted text.
pub const REDACTED: &str = "[redacted by an admin]";

/// One note an admin may redact: the change it is in, where in it, and its first words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redactable {
    pub seq: u32,
    pub field: String,
    pub what: &'static str,
    pub preview: String,
}

impl Service {
    /// The notes of a case that may be redacted (not those redacted already), oldest first.
    pub async fn redactable(
        &self,
        actor: &Actor,
        reference: CaseRef,
    ) -> Result<Vec<Redactable>, ServiceError> {
        require_admin(actor)?;
        let internal = |e| ServiceError::internal(&e, Some(&reference.to_string()));
        let (id, _) = self
            .store()
            .find_case(reference)
            .await
            .map_err(internal)?
            .ok_or_else(|| Refusal::case_not_found(reference))?;
        let events = self.store().history(id).await.map_err(internal)?;
        Ok(events
            .iter()
            .flat_map(|e| {
                let what = e.event.kind.name();
                free_text(&e.event.kind)
                    .into_iter()
                    .filter(|f| f.text != REDACTED)
                    .map(move |f| Redactable {
                        seq: e.seq as u32,
                        field: f.path,
                        what,
                        preview: f.text.chars().take(40).collect(),
                    })
            })
            .collect())
    }

    /// Overwrites the free-text part `field` of change `seq`, audited with `reason`.
    pub async fn redact(
        &self,
        actor: &Actor,
        reference: CaseRef,
        seq: u32,
        field: &str,
        reason: &str,
    ) -> Result<Outcome, ServiceError> {
        require_admin(actor)?;
        let reason = Text::parse("reason", reason)?;
        let now = self.now();
        let label = reference.to_string();
        let internal = |e| ServiceError::internal(&e, Some(&label));
        let mut tx = self.store().begin_write().await.map_err(internal)?;
        let (id, before) = Store::load_case(&mut tx, reference)
            .await
            .map_err(internal)?
            .ok_or_else(|| Refusal::case_not_found(reference))?;
        let mut events = Store::events_for_retention(&mut tx, id)
            .await
            .map_err(internal)?;
        let no_note = || {
            Refusal::invalid_owned(
                "field",
                format!("Change {seq} of `{reference}` has no note `{field}` to redact: choose one the list offers."),
            )
        };
        let (_, target) = events
            .iter_mut()
            .find(|(s, _)| *s == i64::from(seq))
            .ok_or_else(no_note)?;
        let part = free_text(&target.kind)
            .into_iter()
            .find(|f| f.path == field)
            .ok_or_else(no_note)?;
        if part.text == REDACTED {
            return Err(Refusal::invalid("field", "That note is redacted already.").into());
        }
        let rewritten = replaced(&target.kind, std::slice::from_ref(&part.path), REDACTED)
            .ok_or_else(no_note)?;
        target.kind = rewritten.clone();
        Store::rewrite_event(&mut tx, id, i64::from(seq), &rewritten)
            .await
            .map_err(internal)?;
        let event = Event {
            by: actor.user,
            at: now,
            kind: EventKind::Redacted {
                seq,
                field: part.path,
                reason,
            },
        };
        let case = Case::from_events(reference, events.iter().map(|(_, e)| e).chain([&event]))
            .ok_or_else(|| Refusal::case_not_found(reference))?;
        Store::append(
            &mut tx,
            id,
            before.version,
            &case,
            crate::domain::next_step::next_due(&case, self.partnership()),
            std::slice::from_ref(&event),
        )
        .await
        .map_err(internal)?;
        let mut notifications =
            notifications_for(&case, std::slice::from_ref(&event), self.partnership());
        notifications.push(Notification {
            case: reference,
            audience: Audience::CaseThread,
            notice: Notice::Redacted,
        });
        enqueue(&mut tx, id, &notifications, now)
            .await
            .map_err(internal)?;
        tx.commit().await.map_err(|e| internal(e.into()))?;
        tracing::info!(case = %reference, seq, "a note was redacted");
        self.notifier.notify(&notifications);
        Ok(Outcome {
            case,
            events: vec![event],
            notifications,
            repeated: false,
        })
    }
}
