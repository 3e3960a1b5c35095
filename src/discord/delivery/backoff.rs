//! How long a message waits after a transient failure: doubling from a second, capped at
//! five minutes, with jitter so that many messages failed by one outage do not all come
//! back in the same instant.

use std::time::Duration;

pub const FIRST: Duration = Duration::from_secs(1);
pub const CAP: Duration = Duration::from_secs(5 * 60);

/// The wait before attempt `attempts + 1`, when `attempts` have failed (1 or more).
/// `jitter` in [0, 1) takes up to half the wait off: "equal jitter", never below half.
pub fn backoff(attempts: u32, jitter: f64, at_least: Option<Duration>) -> Duration {
    let doublings = attempts.saturating_sub(1).min(20);
    let full = FIRST.saturating_mul(1u32 << doublings).min(CAP);
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
        let waits: Vec<u64> = (1..=11).map(|a| backoff(a, 0.0, None).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(backoff(u32::MAX, 0.0, None), CAP);
    }

    #[test]
    fn jitter_takes_off_at_most_half() {
        assert_eq!(backoff(3, 0.999_999, None).as_millis(), 2000);
        assert_eq!(backoff(3, 0.5, None), Duration::from_secs(3));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
            let w = backoff(4, j, None);
            assert!(w >= Duration::from_secs(4) && w <= Duration::from_secs(8));
        }
    }

    #[test]
    fn discord_s_retry_after_is_a_floor() {
        let asked = Duration::from_secs(20);
        assert_eq!(backoff(1, 0.0, Some(asked)), asked);
        assert_eq!(backoff(10, 0.0, Some(asked)), CAP);
    }
}
