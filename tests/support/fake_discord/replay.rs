//! Discord delivering an interaction a second time: after a gateway resume it may replay an
//! INTERACTION_CREATE the bot already got, with the same ID and token. The fake keeps the
//! interaction's state, so an answer to the replay meets Discord's "already acknowledged"
//! (40060) as it would for real.

use std::time::SystemTime;

use super::gateway::Outgoing;
use super::{FakeDiscord, SentInteraction};

impl FakeDiscord {
    /// Dispatches the very same INTERACTION_CREATE again (same ID, token and payload).
    pub fn replay_interaction(&self, sent: &SentInteraction) -> SentInteraction {
        let at = SystemTime::now();
        self.shared.hub.send(Outgoing::Dispatch(
            "INTERACTION_CREATE".into(),
            sent.payload.clone(),
        ));
        SentInteraction { at, ..sent.clone() }
    }
}
