//! Crash safety: the real binary writes a stream of commands (one transaction each, as the
//! bot does) and is killed with SIGKILL at random moments, fifteen times. After each kill the
//! database is opened again and must hold every acknowledged command, nothing half-written:
//! each case equals the fold of its events, events are numbered without gaps, every event
//! has the notification written with it, and SQLite's own checks pass.
//!
//! `MM_CRASH_SEED` replays a run (the seed is printed when the test fails).

use crate::kit;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use managed_moves::domain::CaseRef;
use managed_moves::store::Store;

const ROUNDS: u64 = 15;

/// A small generator so the kill times vary but a failing run can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One run of the writer: started, left to acknowledge some commands, killed mid-stream.
/// Returns the acknowledgements it printed (case reference, version after the command).
fn run_and_kill(db: &std::path::Path, round: u64, rng: &mut Lcg) -> Vec<(String, u32)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(kit::config_path())
        .arg("--database")
        .arg(db)
        .args([
            "seed", "--stream", "--append", "--cases", "100000", "--seed",
        ])
        .arg(round.to_string())
        .env_remove("DISCORD_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the binary");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                // Only a whole line is an acknowledgement; a torn one is ignored.
                Ok(_) if line.ends_with('\n') => {
                    if tx.send(line.trim_end().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => break,
            }
        }
    });
    // Kill after a random number of acknowledgements (sometimes none: during start-up and
    // migration), then a random fraction of a command's time, so the kill lands anywhere.
    let wanted = match rng.below(6) {
        0 => 0,
        _ => 1 + rng.below(80),
    };
    let mut acks = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    if wanted == 0 {
        std::thread::sleep(Duration::from_millis(rng.below(150)));
    }
    while (acks.len() as u64) < wanted && Instant::now() < deadline {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => acks.push(line),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Ok(Some(status)) = child.try_wait() {
                    let mut err = String::new();
                    if let Some(mut e) = child.stderr.take() {
                        let _ = e.read_to_string(&mut err);
                    }
                    panic!("the writer stopped by itself ({status}): {err}");
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    std::thread::sleep(Duration::from_micros(rng.below(4000)));
    child.kill().expect("SIGKILL"); // std's kill() is SIGKILL on Unix
    child.wait().expect("reap");
    reader.join().expect("reader");
    // Whatever it printed before dying was acknowledged too.
    acks.extend(rx.try_iter());
    acks.iter()
        .map(|line| {
            let mut parts = line.split_whitespace();
            assert_eq!(parts.next(), Some("ack"), "unexpected output: {line}");
            let reference = parts.next().expect("reference").to_string();
            let version = parts.next().expect("version").parse().expect("version");
            (reference, version)
        })
        .collect()
}

#[test]
fn sigkill_mid_stream_loses_no_acknowledged_command_and_leaves_nothing_half_written() {
    let seed = std::env::var("MM_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_u64);
    let mut rng = Lcg(seed);
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("crash.db");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    // The highest version acknowledged for each case, over every run so far.
    let mut acknowledged: BTreeMap<String, u32> = BTreeMap::new();
    let mut total_acks = 0;
    for round in 0..ROUNDS {
        let acks = run_and_kill(&db, round, &mut rng);
        total_acks += acks.len();
        for (reference, version) in acks {
            let v = acknowledged.entry(reference).or_default();
            *v = (*v).max(version);
        }
        runtime.block_on(async {
            let store = Store::open(&db)
                .await
                .unwrap_or_else(|e| panic!("seed {seed}, round {round}: reopen: {e}"));
            for (reference, version) in &acknowledged {
                let r = CaseRef::parse(reference).expect("reference");
                let (_, case) = store
                    .find_case(r)
                    .await
                    .expect("read")
                    .unwrap_or_else(|| {
                        panic!("seed {seed}, round {round}: acknowledged {reference} is missing")
                    });
                assert!(
                    case.version >= *version,
                    "seed {seed}, round {round}: {reference} acknowledged at version {version}, found {}",
                    case.version
                );
            }
            kit::assert_consistent(&store).await;
            kit::assert_notified(&store).await;
            store.pool().close().await;
        });
    }
    assert!(
        total_acks >= 100,
        "the writer acknowledged only {total_acks} commands in {ROUNDS} runs"
    );
}
