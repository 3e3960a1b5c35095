//! Backups and retention: an online backup (`VACUUM INTO`) taken while commands run, then
//! restored and checked case by case; the retention policy's dry run, which changes
//! nothing, and its two actions, anonymise and purge, which remove the pupil's details
//! from the cases, their events and the file itself, through the one path the
//! append-only triggers allow, leaving a log line per case.

use crate::kit;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use kit::{People, Stage};
use managed_moves::cli::seed::{self, SeedOptions};
use managed_moves::config::{Retention, RetentionAction};
use managed_moves::domain::{Action, Case, CaseRef, CaseState};
use managed_moves::service::retention::{NO_INITIALS, REMOVED};
use managed_moves::service::{ManualClock, Service};
use managed_moves::store::Store;

/// Every case's snapshot, by reference.
async fn snapshots(store: &Store) -> BTreeMap<String, String> {
    sqlx::query_as::<_, (String, String)>("SELECT reference, snapshot FROM cases")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// The database file and its write-ahead log, as bytes, to look for text in.
fn file_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{}-wal", path.display())) {
        bytes.extend(wal);
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// A database of `n` seeded cases (ten years of history, up to 20 November 2026) plus one
/// old case whose notes carry unmistakable words, and a service whose clock stands on
/// 24 November 2026.
async fn seeded(dir: &Path, n: u64) -> (Service, Arc<ManualClock>, CaseRef) {
    let config = kit::config();
    let path = dir.join("kept.db");
    let (service, clock) = kit::service_on(&path, &config).await;
    seed::seed(service.store(), &config, &SeedOptions::new(n))
        .await
        .expect("seed");
    let people = People::new(&service);
    clock.set(kit::local(&config, kit::day(2018, 3, 5), 10, 0));
    let old = service
        .execute(&people.home_head, kit::proposal("PURPLE-OSPREY mentoring"))
        .await
        .unwrap()
        .case
        .reference;
    clock.set(kit::local(&config, kit::day(2018, 3, 7), 10, 0));
    service
        .act(
            &people.dest_head,
            old,
            Action::Decline {
                reason: kit::text("HEXAGON-LLAMA no place this term"),
            },
        )
        .await
        .unwrap();
    clock.set(kit::local(&config, kit::day(2026, 11, 24), 10, 0));
    (service, clock, old)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_backup_restores_every_case_and_event() {
    let dir = tempfile::tempdir().unwrap();
    let (service, clock, _) = seeded(dir.path(), 300).await;
    let before = snapshots(service.store()).await;
    // Commands keep coming while the backup is taken.
    let writer = {
        let service = service.clone();
        let config = kit::config();
        let clock = clock.clone();
        tokio::spawn(async move {
            for _ in 0..20 {
                kit::walk(&service, &clock, &config, Stage::Accepted, "During backup").await;
            }
        })
    };
    let target = dir.path().join("copy.db");
    service.store().backup_to(&target).await.expect("backup");
    writer.await.unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the copy is private");
    }
    // Never over an existing file.
    let err = service.store().backup_to(&target).await.unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");

    let restored = Store::open(&target).await.expect("the copy opens");
    let copied = snapshots(&restored).await;
    for (reference, snapshot) in &before {
        assert_eq!(
            copied.get(reference),
            Some(snapshot),
            "{reference} restored as it was"
        );
    }
    let checked = kit::assert_consistent(&restored).await;
    assert!(checked >= before.len());
    let events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events")
        .fetch_one(restored.pool())
        .await
        .unwrap();
    let versions: i64 = sqlx::query_scalar("SELECT SUM(version) FROM cases")
        .fetch_one(restored.pool())
        .await
        .unwrap();
    assert_eq!(events, versions, "every event of every case is in the copy");
}

#[test]
fn the_backup_command_writes_a_private_copy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let target = dir.path().join("copy.db");
    let bin = env!("CARGO_BIN_EXE_managed-moves");
    let run = |args: &[&str]| {
        Command::new(bin)
            .arg("--config")
            .arg(kit::config_path())
            .arg("--database")
            .arg(&db)
            .args(args)
            .env_remove("DISCORD_TOKEN")
            .output()
            .unwrap()
    };
    assert!(run(&["seed", "--cases", "50"]).status.success());
    let out = run(&["backup", target.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up"));
    let again = run(&["backup", target.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "a second backup over the first is refused"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let copy = Store::open(&target).await.unwrap();
        assert_eq!(kit::assert_consistent(&copy).await, 50);
    });
}

#[tokio::test]
async fn retention_shows_first_and_changes_nothing_until_applied() {
    let dir = tempfile::tempdir().unwrap();
    let (service, _, old) = seeded(dir.path(), 400).await;
    let people = People::new(&service);
    let policy = Retention::default();
    let refused = service.retention_plan(&people.coordinator, &policy).await;
    assert!(refused.unwrap_err().refusal().is_some(), "admins only");

    let before = (
        snapshots(service.store()).await,
        kit::footprint(service.store()).await,
    );
    let plan = service
        .retention_plan(&people.admin, &policy)
        .await
        .unwrap();
    assert!(
        plan.cases.len() > 50,
        "ten years of history has old cases: {}",
        plan.cases.len()
    );
    assert!(plan.cases.iter().any(|c| c.reference == old.to_string()));
    let cutoff = plan.cutoff;
    assert_eq!(cutoff.date_naive(), kit::day(2020, 11, 24));
    for c in &plan.cases {
        assert!(
            c.closed_at < cutoff,
            "{} closed {}",
            c.reference,
            c.closed_at
        );
        let state = CaseState::parse(&c.state).unwrap();
        assert!(state.is_closed(), "{} is {state}", c.reference);
    }
    // Open cases are never due, however old.
    let open_old: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases WHERE state NOT IN ('completed','terminated','declined','withdrawn','rejected')",
    )
    .fetch_one(service.store().pool())
    .await
    .unwrap();
    assert!(open_old > 0);
    let after = (
        snapshots(service.store()).await,
        kit::footprint(service.store()).await,
    );
    assert_eq!(before, after, "a dry run changes nothing");
}

#[tokio::test]
async fn anonymising_removes_initials_and_notes_everywhere_and_keeps_the_shape() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.db");
    let (service, _, old) = seeded(dir.path(), 400).await;
    let people = People::new(&service);
    let store = service.store().clone();
    let policy = Retention::default();
    let before = snapshots(&store).await;
    let history_before: BTreeMap<String, Vec<(i64, String, String, u64)>> = {
        let mut m = BTreeMap::new();
        for reference in before.keys() {
            let (id, _) = store
                .find_case(CaseRef::parse(reference).unwrap())
                .await
                .unwrap()
                .unwrap();
            let shape = store
                .history(id)
                .await
                .unwrap()
                .into_iter()
                .map(|e| {
                    (
                        e.seq,
                        e.event.kind.name().to_string(),
                        e.event.at.to_rfc3339(),
                        e.event.by.0,
                    )
                })
                .collect();
            m.insert(reference.clone(), shape);
        }
        m
    };
    assert!(contains(&file_bytes(&path), "PURPLE-OSPREY"));

    let done = service
        .apply_retention(&people.admin, &policy)
        .await
        .unwrap();
    let due: Vec<String> = done
        .plan
        .cases
        .iter()
        .map(|c| c.reference.clone())
        .collect();
    assert!(due.contains(&old.to_string()));
    assert!(
        done.scrubbed,
        "nothing else was reading, so the log was emptied"
    );

    let after = snapshots(&store).await;
    assert_eq!(after.len(), before.len(), "anonymising deletes nothing");
    for (reference, snapshot) in &after {
        let case: Case = serde_json::from_str(snapshot).unwrap();
        let (id, _) = store.find_case(case.reference).await.unwrap().unwrap();
        let history = store.history(id).await.unwrap();
        let shape: Vec<(i64, String, String, u64)> = history
            .iter()
            .map(|e| {
                (
                    e.seq,
                    e.event.kind.name().to_string(),
                    e.event.at.to_rfc3339(),
                    e.event.by.0,
                )
            })
            .collect();
        assert_eq!(
            &shape, &history_before[reference],
            "{reference}: who did what when, kept"
        );
        if due.contains(reference) {
            assert_eq!(case.pupil.initials.as_str(), format!("{NO_INITIALS}."));
            assert_eq!(case.strategies_tried.as_str(), REMOVED);
            assert!(case.suitability.answers().iter().all(|a| a.note.is_none()));
            assert!(case
                .closing_reason
                .as_ref()
                .is_none_or(|r| r.as_str() == REMOVED));
            assert!(case.check_ins.iter().all(|c| c.note.as_str() == REMOVED));
        } else {
            assert_eq!(
                snapshot, &before[reference],
                "{reference} is not due: untouched"
            );
        }
    }
    kit::assert_consistent(&store).await;
    let bytes = file_bytes(&path);
    for word in ["PURPLE-OSPREY", "HEXAGON-LLAMA"] {
        assert!(
            !contains(&bytes, word),
            "{word} is still in the database file"
        );
    }
    let log = store.retention_log().await.unwrap();
    assert_eq!(log.len(), due.len());
    assert!(log
        .iter()
        .all(|l| l.action == "anonymised" && l.actor == people.admin.user));
    let again = service
        .retention_plan(&people.admin, &policy)
        .await
        .unwrap();
    assert!(again.cases.is_empty(), "anonymised once");
}

#[tokio::test]
async fn purging_deletes_cases_and_everything_hanging_off_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.db");
    let (service, _, old) = seeded(dir.path(), 300).await;
    let people = People::new(&service);
    let store = service.store().clone();
    let policy = Retention {
        closed_case_years: 3,
        action: RetentionAction::Purge,
    };
    let before = snapshots(&store).await;
    let done = service
        .apply_retention(&people.admin, &policy)
        .await
        .unwrap();
    let due: Vec<String> = done
        .plan
        .cases
        .iter()
        .map(|c| c.reference.clone())
        .collect();
    assert!(due.contains(&old.to_string()));
    let after = snapshots(&store).await;
    assert_eq!(after.len(), before.len() - due.len());
    for reference in &due {
        assert!(!after.contains_key(reference), "{reference} purged");
    }
    for table in [
        "SELECT COUNT(*) FROM case_events WHERE case_id NOT IN (SELECT id FROM cases)",
        "SELECT COUNT(*) FROM outbox WHERE case_id NOT IN (SELECT id FROM cases)",
        "SELECT COUNT(*) FROM reminders WHERE case_id IS NOT NULL AND case_id NOT IN (SELECT id FROM cases)",
    ] {
        let left: i64 = sqlx::query_scalar(table).fetch_one(store.pool()).await.unwrap();
        assert_eq!(left, 0, "{table}");
    }
    kit::assert_consistent(&store).await;
    let bytes = file_bytes(&path);
    for word in ["PURPLE-OSPREY", "HEXAGON-LLAMA"] {
        assert!(
            !contains(&bytes, word),
            "{word} is still in the database file"
        );
    }
    let log = store.retention_log().await.unwrap();
    assert_eq!(log.len(), due.len());
    assert!(log
        .iter()
        .any(|l| l.case_reference == old.to_string() && l.action == "purged"));
}

#[tokio::test]
async fn events_stay_append_only_outside_the_retention_path() {
    let dir = tempfile::tempdir().unwrap();
    let config = kit::config();
    let (service, clock) = kit::service_on(&dir.path().join("a.db"), &config).await;
    kit::walk(&service, &clock, &config, Stage::Accepted, "Mentoring").await;
    let pool = service.store().pool();
    for sql in [
        "UPDATE case_events SET payload = '{}' WHERE seq = 1",
        "DELETE FROM case_events WHERE seq = 2",
    ] {
        let err = sqlx::query(sql).execute(pool).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // Even unlocked for retention, an event's who, when, what and place never change.
    let mut tx = service.store().begin_write().await.unwrap();
    sqlx::query("INSERT INTO retention_unlock (case_id) VALUES (1)")
        .execute(&mut *tx)
        .await
        .unwrap();
    for sql in [
        "UPDATE case_events SET kind = 'accepted' WHERE seq = 1",
        "UPDATE case_events SET actor = 42 WHERE seq = 1",
        "UPDATE case_events SET at = '2000-01-01T00:00:00.000000Z' WHERE seq = 1",
        "UPDATE case_events SET seq = 9 WHERE seq = 1",
    ] {
        let err = sqlx::query(sql).execute(&mut *tx).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    tx.rollback().await.unwrap();
    kit::assert_consistent(service.store()).await;
}

#[test]
fn the_retention_command_shows_before_it_does() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let bin = env!("CARGO_BIN_EXE_managed-moves");
    let run = |args: &[&str]| {
        let out = Command::new(bin)
            .arg("--config")
            .arg(kit::config_path())
            .arg("--database")
            .arg(&db)
            .args(args)
            .env_remove("DISCORD_TOKEN")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, text) = run(&["seed", "--cases", "300"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = run(&["retention", "--as", "1", "--role", "coordinator"]);
    assert_eq!(code, Some(1), "admins only: {text}");
    let (code, dry) = run(&["retention", "--as", "9", "--role", "admin"]);
    assert_eq!(code, Some(0), "{dry}");
    assert!(
        dry.contains("would be anonymised") && dry.contains("Nothing has been changed"),
        "{dry}"
    );
    let (code, json) = run(&["--json", "retention", "--as", "9", "--role", "admin"]);
    assert_eq!(code, Some(0), "{json}");
    let listed: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    let due = listed["cases"].as_array().unwrap().len();
    assert!(due > 0 && listed["applied"] == false, "{json}");
    let (code, applied) = run(&["retention", "--as", "9", "--role", "admin", "--apply"]);
    assert_eq!(code, Some(0), "{applied}");
    assert!(
        applied.contains(&format!("{due} cases")) && applied.contains("retention log"),
        "{applied}"
    );
    let (_, after) = run(&["retention", "--as", "9", "--role", "admin"]);
    assert!(after.contains("No case is due"), "{after}");
}
