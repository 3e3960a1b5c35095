//! `[delivery]`: how the outbox sender paces itself. Every key may be left out; the defaults
//! are what production wants. Tests that run the real binary against the fake Discord set a
//! short first retry, so a scenario with a few failures ends in a second, not a minute.

use std::time::Duration;

use serde::Deserialize;

/// The sender's pacing (validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Delivery {
    /// The wait after a message's first transient failure (5xx, 429, timeout), in
    /// milliseconds; it doubles with each further failure, up to five minutes.
    pub first_retry_ms: u32,
    /// How many destinations (case threads, the SEIP channel, the board...) are delivered
    /// to at the same time, so that a slow one does not hold the others back.
    pub at_once: u8,
}

impl Default for Delivery {
    fn default() -> Self {
        Self {
            first_retry_ms: 1000,
            at_once: 6,
        }
    }
}

impl Delivery {
    pub fn first_retry(&self) -> Duration {
        Duration::from_millis(u64::from(self.first_retry_ms))
    }

    /// Every problem, each named by its key.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if !(10..=60_000).contains(&self.first_retry_ms) {
            problems.push("delivery.first_retry_ms: use 10 to 60000 milliseconds".to_string());
        }
        if !(1..=16).contains(&self.at_once) {
            problems.push("delivery.at_once: use 1 to 16 destinations".to_string());
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_one_second_and_six_destinations_at_once() {
        let d: Delivery = toml::from_str("").unwrap();
        assert_eq!(d, Delivery::default());
        assert_eq!(d.first_retry(), Duration::from_secs(1));
        assert!(d.problems().is_empty());
        let d: Delivery = toml::from_str("first_retry_ms = 50\nat_once = 2").unwrap();
        assert_eq!((d.first_retry(), d.at_once), (Duration::from_millis(50), 2));
        assert!(toml::from_str::<Delivery>("backoff = 3").is_err());
    }

    #[test]
    fn out_of_range_values_are_named_by_their_key() {
        let bad = Delivery {
            first_retry_ms: 0,
            at_once: 0,
        };
        let problems = bad.problems();
        assert!(
            problems[0].starts_with("delivery.first_retry_ms"),
            "{problems:?}"
        );
        assert!(problems[1].starts_with("delivery.at_once"), "{problems:?}");
    }
}
