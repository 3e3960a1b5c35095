//! The one way in: actor + command -> one write transaction -> events -> notifications.
//! Slash commands, buttons, modals, the CLI and the demo all call `execute`.

pub mod admin;
pub mod board;
pub mod clock;
pub mod discord_view;
pub mod error;
pub mod leads;
pub mod notify;
pub mod outbox;
pub mod people;
pub mod redaction;
pub mod replan;
pub mod reports;
pub mod retention;
pub mod term_report;

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::Arc;

use chrono::{DateTime, Datelike, TimeDelta, Utc};

use crate::config::Config;
use crate::domain::approvals::Approver;
use crate::domain::permissions::{authorize, Capacity, NO_ROLE};
use crate::domain::reminders::ReminderSettings;
use crate::domain::{
    decide, may, propose, Action, ActionKind, Actor, Case, CaseRef, Command, Context, Event,
    EventKind, Partnership, Refusal, RoleId, RoleMap, UserId,
};
use crate::store::{CaseFilter, ReceiptQuery, Store, StoreError, StoredEvent, Tx};

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ServiceError;
pub use notify::{
    Audience, NoopNotifier, Notice, Notification, Notifier, PartnershipNotification,
    RecordingNotifier,
};

/// How long the same person's same command on the same case, sent again from Discord under
/// a new interaction ID (a double click, a second tab, a retry after a slow answer), counts
/// as the same decision: it gets the first answer instead of being recorded again. Long
/// enough for an impatient second click, short enough that a deliberate repeat (the same
/// check-in note next week) is never swallowed.
pub const DOUBLE_CLICK_WINDOW: TimeDelta = TimeDelta::seconds(5);

/// What a successful command did.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub events: Vec<Event>,
    pub notifications: Vec<Notification>,
    /// True when this was a second delivery of a command already recorded: `events` are
    /// the first delivery's, nothing new was written and nothing is sent again.
    pub repeated: bool,
}

#[derive(Clone)]
pub struct Service {
    store: Store,
    partnership: Arc<Partnership>,
    roles: Arc<RoleMap>,
    clock: Arc<dyn Clock>,
    notifier: Arc<dyn Notifier>,
    reminders: Arc<ReminderSettings>,
    /// Keys the command fingerprints kept with interaction receipts; drawn afresh by each
    /// process, so a fingerprint in the database cannot be matched against guessed inputs.
    fingerprints: RandomState,
    /// The name and role last noted for each member this process has seen, so an
    /// unchanged one costs no database read (`people.rs`).
    names_seen: Arc<std::sync::Mutex<std::collections::HashMap<UserId, (String, String)>>>,
}

impl Service {
    pub fn new(
        store: Store,
        config: &Config,
        clock: Arc<dyn Clock>,
        notifier: Arc<dyn Notifier>,
    ) -> Self {
        Self {
            store,
            partnership: Arc::new(config.partnership.clone()),
            roles: Arc::new(config.roles.clone()),
            clock,
            notifier,
            reminders: Arc::new(config.reminders.clone()),
            fingerprints: RandomState::new(),
            names_seen: Arc::default(),
        }
    }

    pub fn partnership(&self) -> &Partnership {
        &self.partnership
    }

    pub fn reminder_settings(&self) -> &ReminderSettings {
        &self.reminders
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The actor a user's Discord roles make them.
    pub fn actor(&self, user: UserId, roles: &[RoleId]) -> Actor {
        self.roles.actor(user, roles)
    }

    pub fn roles(&self) -> &RoleMap {
        &self.roles
    }

    /// Runs one command in one transaction. A refusal or error writes nothing.
    pub async fn execute(&self, actor: &Actor, command: Command) -> Result<Outcome, ServiceError> {
        self.run(actor, command, None).await
    }

    /// Runs one command sent by Discord interaction `interaction_id`, recording it once: a
    /// second delivery of that interaction, or the same person's same command on the same
    /// case within [`DOUBLE_CLICK_WINDOW`], is answered with what the first one did and
    /// writes nothing.
    pub async fn execute_interaction(
        &self,
        actor: &Actor,
        command: Command,
        interaction_id: u64,
    ) -> Result<Outcome, ServiceError> {
        self.run(actor, command, Some(interaction_id)).await
    }

    /// A fingerprint of the command that matches only the same action with the same inputs
    /// on the same case. A proposal has none: it creates a case, so there is no "same case".
    fn fingerprint(&self, command: &Command) -> Option<u64> {
        match command {
            Command::Case { .. } => Some(self.fingerprints.hash_one(format!("{command:?}"))),
            Command::Propose(_) => None,
        }
    }

    async fn run(
        &self,
        actor: &Actor,
        command: Command,
        interaction_id: Option<u64>,
    ) -> Result<Outcome, ServiceError> {
        let case_label = match &command {
            Command::Case { reference, .. } => Some(reference.to_string()),
            Command::Propose(_) => None,
        };
        let internal = |e: StoreError| ServiceError::internal(&e, case_label.as_deref());
        let now = self.clock.now();
        let ctx = self.context(now);
        require_role(actor)?;
        let receipt = interaction_id.map(|id| ReceiptQuery {
            interaction_id: id,
            actor: actor.user.0,
            fingerprint: self.fingerprint(&command),
            since: now - DOUBLE_CLICK_WINDOW,
        });
        let mut tx = self.store.begin_write().await.map_err(internal)?;
        if let Some(q) = &receipt {
            if let Some(first) = Store::find_receipt(&mut tx, q).await.map_err(internal)? {
                return self.first_answer(&mut tx, &first).await.map_err(internal);
            }
        }
        let (case_id, case, events) = match command {
            Command::Propose(proposal) => {
                let kind = propose(actor, &proposal, &ctx)?;
                let year = self.partnership.today(now).year() as u16;
                let reference = Store::next_reference(&mut tx, year)
                    .await
                    .map_err(internal)?;
                let event = Event {
                    by: actor.user,
                    at: now,
                    kind,
                };
                let case =
                    Case::from_events(reference, [&event]).expect("a proposal starts a case");
                let due = crate::domain::next_step::next_due(&case, ctx.partnership);
                let id = Store::insert_case(&mut tx, &case, due, std::slice::from_ref(&event))
                    .await
                    .map_err(internal)?;
                (id, case, vec![event])
            }
            Command::Case { reference, action } => {
                let (id, before) = Store::load_case(&mut tx, reference)
                    .await
                    .map_err(internal)?
                    .ok_or_else(|| Refusal::case_not_found(reference))?;
                let kinds = decide(&before, actor, &action, &ctx)?;
                let mut after = before.clone();
                let events = stamp(actor, now, &kinds);
                for event in &events {
                    after.apply(event);
                }
                let due = crate::domain::next_step::next_due(&after, ctx.partnership);
                Store::append(&mut tx, id, before.version, &after, due, &events)
                    .await
                    .map_err(internal)?;
                (id, after, events)
            }
        };
        // In the same transaction: changed dates reschedule, a closed case cancels.
        replan::replan(
            &mut tx,
            case_id,
            &case,
            &self.partnership,
            &self.reminders,
            now,
        )
        .await
        .map_err(internal)?;
        let notifications = notify::notifications_for(&case, &events, &self.partnership);
        enqueue(&mut tx, case_id, &notifications, now)
            .await
            .map_err(internal)?;
        if let Some(q) = &receipt {
            // A case's version counts its events, so these are its last `events.len()`.
            let last = i64::from(case.version);
            let first = last + 1 - events.len() as i64;
            Store::insert_receipt(&mut tx, q, case_id, first, last, now)
                .await
                .map_err(internal)?;
        }
        tx.commit().await.map_err(|e| internal(e.into()))?;
        tracing::info!(case = %case.reference, events = events.len(), state = %case.state, "command applied");
        self.notifier.notify(&notifications);
        Ok(Outcome {
            events,
            case,
            notifications,
            repeated: false,
        })
    }

    /// The answer a command already recorded gave: its events, and the case as it is now.
    /// Nothing is written or sent again.
    async fn first_answer(
        &self,
        tx: &mut Tx,
        first: &crate::store::Receipt,
    ) -> Result<Outcome, StoreError> {
        let events = Store::receipt_events(tx, first).await?;
        let case = Store::load_case_by_id(tx, first.case_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt("a receipt names a missing case".into()))?;
        tracing::info!(case = %case.reference, events = events.len(), "repeated interaction answered from the first");
        Ok(Outcome {
            case,
            events,
            notifications: Vec::new(),
            repeated: true,
        })
    }

    /// One case, if the actor may see it.
    pub async fn show(&self, actor: &Actor, reference: CaseRef) -> Result<Case, ServiceError> {
        let (_, case) = self.visible(actor, reference).await?;
        Ok(self.name_lead(case).await)
    }

    /// A case's history, oldest first, if the actor may see it.
    pub async fn history(
        &self,
        actor: &Actor,
        reference: CaseRef,
    ) -> Result<Vec<StoredEvent>, ServiceError> {
        let (id, _) = self.visible(actor, reference).await?;
        self.store
            .history(id)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))
    }

    /// The cases this actor may see, most recently changed first, up to `limit` (0: the
    /// store's default).
    pub async fn list(
        &self,
        actor: &Actor,
        open_only: bool,
        limit: u32,
    ) -> Result<Vec<Case>, ServiceError> {
        let filter = CaseFilter {
            limit,
            ..self.visibility(actor, open_only)?
        };
        let cases = self
            .store
            .list_cases(&filter)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        self.with_seip_approvals(&filter, None, cases).await
    }

    /// Cases this actor may see whose reference contains what they typed, open ones
    /// first, at most `limit`: what autocomplete offers. Never an invisible case.
    pub async fn suggest(
        &self,
        actor: &Actor,
        typed: &str,
        limit: u32,
    ) -> Result<Vec<Case>, ServiceError> {
        let filter = CaseFilter {
            limit,
            ..self.visibility(actor, false)?
        };
        let cases = self
            .store
            .suggest_cases(&filter, typed)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        self.with_seip_approvals(&filter, Some(typed), cases).await
    }

    /// SEIP members also see the moves whose extra approval is theirs, where the policy
    /// gives it to the panel (`permissions::can_view`): merged in, open cases first, then
    /// by last change, within the filter's limit.
    async fn with_seip_approvals(
        &self,
        filter: &CaseFilter,
        typed: Option<&str>,
        mut cases: Vec<Case>,
    ) -> Result<Vec<Case>, ServiceError> {
        let approval = &self.partnership().policy.extra_approval;
        if filter.all || !filter.transfers || approval.by != Approver::Seip {
            return Ok(cases);
        }
        let theirs = self
            .store
            .seip_approval_cases(filter, &approval.years, typed)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        for case in theirs {
            if !cases.iter().any(|c| c.reference == case.reference) {
                cases.push(case);
            }
        }
        cases.sort_by_key(|c| (c.state.is_closed(), std::cmp::Reverse(c.updated_at)));
        cases.truncate(usize::try_from(filter.limit()).unwrap_or(usize::MAX));
        Ok(cases)
    }

    /// The filter that shows an actor exactly the cases they may see.
    pub fn visibility(&self, actor: &Actor, open_only: bool) -> Result<CaseFilter, Refusal> {
        require_role(actor)?;
        let schools = actor
            .capacities
            .iter()
            .filter_map(|c| match c {
                Capacity::Head(s) | Capacity::Staff(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        Ok(CaseFilter {
            all: actor.is(&Capacity::Coordinator),
            schools,
            transfers: actor.is(&Capacity::Seip),
            open_only,
            state: None,
            limit: 0,
        })
    }

    async fn visible(
        &self,
        actor: &Actor,
        reference: CaseRef,
    ) -> Result<(i64, Case), ServiceError> {
        require_role(actor)?;
        let found = self
            .store
            .find_case(reference)
            .await
            .map_err(|e| ServiceError::internal(&e, Some(&reference.to_string())))?;
        let (id, case) = found.ok_or_else(|| Refusal::case_not_found(reference))?;
        authorize(actor, &case, ActionKind::View)?;
        Ok((id, case))
    }

    /// Would the rules allow an action of this kind now, whatever its data? Writes
    /// nothing: asked before opening a form, so nobody types a reason only to be refused
    /// for something already known. The same check `decide` makes first.
    pub async fn would_allow(
        &self,
        actor: &Actor,
        reference: CaseRef,
        kind: ActionKind,
    ) -> Result<(), ServiceError> {
        let (_, case) = self.visible(actor, reference).await?;
        may(actor, &case, kind, &self.context(self.clock.now()))?;
        Ok(())
    }

    /// What the domain needs to know about the world at `now`: one place, so `execute`
    /// and `would_allow` judge by the same partnership and time.
    fn context(&self, now: DateTime<Utc>) -> Context<'_> {
        Context {
            partnership: &self.partnership,
            now,
        }
    }

    /// Convenience for front ends: one action on one case.
    pub async fn act(
        &self,
        actor: &Actor,
        reference: CaseRef,
        action: Action,
    ) -> Result<Outcome, ServiceError> {
        self.execute(actor, Command::Case { reference, action })
            .await
    }

    /// [`Service::act`] for a button or form: recorded once per interaction (see
    /// [`Service::execute_interaction`]).
    pub async fn act_interaction(
        &self,
        actor: &Actor,
        reference: CaseRef,
        action: Action,
        interaction_id: u64,
    ) -> Result<Outcome, ServiceError> {
        let command = Command::Case { reference, action };
        self.execute_interaction(actor, command, interaction_id)
            .await
    }
}

/// Checked before a case is looked up: otherwise "no such case" for a free reference and
/// "no role" for a taken one would tell someone with no role which cases exist.
fn require_role(actor: &Actor) -> Result<(), Refusal> {
    if actor.has_any_role() {
        Ok(())
    } else {
        Err(Refusal::not_permitted(NO_ROLE))
    }
}

fn stamp(actor: &Actor, now: DateTime<Utc>, kinds: &[EventKind]) -> Vec<Event> {
    kinds
        .iter()
        .map(|kind| Event {
            by: actor.user,
            at: now,
            kind: kind.clone(),
        })
        .collect()
}

async fn enqueue(
    tx: &mut Tx,
    case_id: i64,
    notifications: &[Notification],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    for n in notifications {
        let payload = serde_json::to_string(n).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Store::enqueue(
            tx,
            Some(case_id),
            n.audience.label(),
            n.notice.label(),
            &payload,
            now,
        )
        .await?;
    }
    Ok(())
}
