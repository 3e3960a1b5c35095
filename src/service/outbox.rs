//! The admins' view of the outbox: what is waiting or set aside, and the two things they
//! can do about a message: retry it (after fixing a permission, say) or discard it. Shared
//! by `/admin outbox` and `managed-moves outbox`; retry and discard are audited.

use super::{Service, ServiceError};
use crate::domain::permissions::require_admin;
use crate::domain::{Actor, Refusal};
use crate::store::{OutboxState, UndeliveredRow};

/// The most messages a list shows.
pub const LIST_LIMIT: i64 = 25;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxAction {
    List,
    Retry(i64),
    Discard(i64),
}

#[derive(Debug, Clone)]
pub enum OutboxAnswer {
    Listed(Vec<UndeliveredRow>),
    Retried(i64),
    Discarded(i64),
}

impl Service {
    pub async fn outbox(
        &self,
        actor: &Actor,
        action: OutboxAction,
    ) -> Result<OutboxAnswer, ServiceError> {
        require_admin(actor)?;
        let store = self.store();
        let internal = |e| ServiceError::internal(&e, None);
        let (done, name, id) = match action {
            OutboxAction::List => {
                let rows = store.undelivered(LIST_LIMIT).await.map_err(internal)?;
                return Ok(OutboxAnswer::Listed(rows));
            }
            OutboxAction::Retry(id) => (store.requeue(id).await.map_err(internal)?, "retry", id),
            OutboxAction::Discard(id) => (
                store.discard(id, self.now()).await.map_err(internal)?,
                "discard",
                id,
            ),
        };
        if !done {
            return Err(Refusal::invalid(
                "id",
                "No undelivered message has that number; `outbox` lists them.",
            )
            .into());
        }
        store
            .audit_admin(self.now(), actor.user.0, name, Some(id), "outbox")
            .await
            .map_err(internal)?;
        tracing::info!(
            outbox = id,
            action = name,
            "an admin acted on an undelivered message"
        );
        Ok(match action {
            OutboxAction::Retry(_) => OutboxAnswer::Retried(id),
            _ => OutboxAnswer::Discarded(id),
        })
    }
}

/// One line of the list: number, case, kind, attempts, state, last error.
pub fn outbox_line(row: &UndeliveredRow) -> String {
    let state = match &row.state {
        OutboxState::Pending => "pending".to_string(),
        OutboxState::WaitingUntil(at) => format!("waiting until {at}"),
        OutboxState::SetAside => "set aside".to_string(),
    };
    let error = row.last_error.as_ref().map_or(String::new(), |e| {
        let status = e.status.map_or("-".into(), |s| s.to_string());
        let code = e.code.map_or("-".into(), |c| c.to_string());
        format!(" · last error: HTTP {status}, code {code}: {}", e.message)
    });
    format!(
        "#{} · {} · {} to {} · {} attempt{} · {state}{error}",
        row.id,
        row.case_reference.as_deref().unwrap_or("no case"),
        row.kind,
        row.destination,
        row.attempts,
        if row.attempts == 1 { "" } else { "s" },
    )
}

/// The whole answer to a list, for either front end.
pub fn outbox_text(rows: &[UndeliveredRow]) -> String {
    if rows.is_empty() {
        return "Every message has been delivered.".into();
    }
    let mut text = format!(
        "{} undelivered message{} (oldest first; `retry <id>` or `discard <id>`):",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    for row in rows {
        text.push('\n');
        text.push_str(&outbox_line(row));
    }
    text
}
