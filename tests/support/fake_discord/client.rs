//! Glue between the fake and serenity, so each test does not rediscover it.

use serenity::all::{Event, GatewayEvent};
use serenity::http::{Http, HttpBuilder};

use super::FakeDiscord;

/// The token the fake hands to serenity; the fake accepts any token.
pub const FAKE_TOKEN: &str = "fake-bot-token";

impl FakeDiscord {
    /// serenity `Http` aimed at the fake. The ratelimiter must stay off: serenity 0.12.5's
    /// ratelimiter builds its requests without the proxy and would call discord.com.
    pub fn http(&self) -> Http {
        HttpBuilder::new(FAKE_TOKEN)
            .proxy(self.base_url())
            .ratelimiter_disabled(true)
            .build()
    }

    /// serenity turns a gateway event it cannot parse into `Event::Unknown` and drops it with
    /// only a debug log; this fails loudly instead, naming the event.
    pub fn assert_dispatches_understood(&self) {
        for frame in self.dispatched() {
            let event: GatewayEvent = serde_json::from_value(frame.clone())
                .unwrap_or_else(|e| panic!("serenity cannot read {}: {e}", frame["t"]));
            let GatewayEvent::Dispatch(_, event) = event else {
                panic!("not a dispatch: {frame}")
            };
            assert!(
                !matches!(event, Event::Unknown(_)),
                "serenity did not understand {}",
                frame["t"]
            );
        }
    }
}

/// Logs to the test's output; `RUST_LOG=serenity=debug` shows what serenity made of each event.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::from_default_env();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}
