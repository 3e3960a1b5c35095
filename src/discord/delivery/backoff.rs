//! How long a message waits after a transient failure: doubling from a first wait (a second
//! unless `[delivery] first_retry_ms` says otherwise), capped at five minutes, with jitter so that many messages failed by one outage do not all come
//! back in the same instant.

use std::time::Duration;

pub const FIRST: Duration = Duration::from_secs(1);
pub const CAP: Duration = Duration::from_secs(5 * 60);

/// The wait before attempt `attempts + 1`, when `attempts` have failed (1 or more), starting
/// from `first`. `jitter` in [0, 1) takes up to half the wait off: "equal jitter", never
/// below half.
pub fn backoff(
    first: Duration,
    attempts: u32,
    jitter: f64,
    at_least: Option<Duration>,
) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    let full = first.saturating_mul(1u32 << doublings).min(CAP);
    let jitter = jitter.clamp(0.0, 1.0);
    let wait = full.mul_f64(1.0 - jitter / 2.0);
    wait.max(at_least.unwrap_or(Duration::ZERO))
}

/// A number in [0, 1) that differs from call to call, for [`backoff`]'s jitter. Taken from
/// the standard library's randomly seeded hasher, so no random-number crate is needed.
pub fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(0);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_one_second_and_stops_at_the_cap() {
        let waits: Vec<u64> = (1..=11)
            .map(|a| backoff(FIRST, a, 0.0, None).as_secs())
            .collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(backoff(FIRST, u32::MAX, 0.0, None), CAP);
    }

    #[test]
    fn jitter_takes_off_at_most_half() {
        assert_eq!(backoff(FIRST, 3, 0.999_999, None).as_millis(), 2000);
        assert_eq!(backoff(FIRST, 3, 0.5, None), Duration::from_secs(3));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
            let w = backoff(FIRST, 4, j, None);
            assert!(w >= Duration::from_secs(4) && w <= Duration::from_secs(8));
        }
    }

    #[test]
    fn discord_s_retry_after_is_a_floor() {
        let asked = Duration::from_secs(20);
        assert_eq!(backoff(FIRST, 1, 0.0, Some(asked)), asked);
        assert_eq!(backoff(FIRST, 10, 0.0, Some(asked)), CAP);
    }

    #[test]
    fn a_shorter_first_wait_doubles_the_same_way() {
        let first = Duration::from_millis(50);
        let waits: Vec<u128> = (1..=4)
            .map(|a| backoff(first, a, 0.0, None).as_millis())
            .collect();
        assert_eq!(waits, [50, 100, 200, 400]);
        assert_eq!(backoff(first, 30, 0.0, None), CAP);
    }
}
