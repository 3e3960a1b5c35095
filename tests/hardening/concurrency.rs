//! Concurrency: many tasks issue conflicting commands on one case at once, through one
//! service and through two services on the same file (two pools, as two processes would).
//! Every outcome must be a valid history: the case equals the fold of its events, each
//! success's events are in it exactly once (no lost update), the conflicting decisions
//! resolve to one, and no caller ever sees an internal error such as "database is locked".

use crate::kit;

use std::collections::BTreeMap;

use kit::{People, Stage};
use managed_moves::domain::checklist::Rag;
use managed_moves::domain::{Action, Actor, CaseRef, CaseState, Outcome, ReviewKind};
use managed_moves::service::{Outcome as Done, Service, ServiceError};
use managed_moves::store::Store;

type Job = (usize, Actor, Action);

/// Runs every job at once, each on its own task, through `services[job.0]`.
async fn race(
    services: &[Service],
    reference: CaseRef,
    jobs: Vec<Job>,
) -> Vec<Result<Done, ServiceError>> {
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(i, actor, action)| {
            let service = services[i % services.len()].clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                service.act(&actor, reference, action).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for h in handles {
        results.push(h.await.expect("task"));
    }
    results
}

/// The checks every race ends with. Returns the event names of the case's history.
async fn assert_valid(
    store: &Store,
    reference: CaseRef,
    version_before: u32,
    results: &[Result<Done, ServiceError>],
) -> Vec<String> {
    for r in results {
        if let Err(e) = r {
            assert!(
                e.refusal().is_some(),
                "an internal error reached a caller: {e}"
            );
        }
    }
    let (id, case) = store.find_case(reference).await.unwrap().unwrap();
    let history = store.history(id).await.unwrap();
    let applied: usize = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|d| d.events.len())
        .sum();
    assert_eq!(
        case.version as usize,
        version_before as usize + applied,
        "every successful command's events are stored, and nothing else"
    );
    // Each success's events are in the history, at the positions its outcome reported.
    for done in results.iter().filter_map(|r| r.as_ref().ok()) {
        let last = done.case.version as usize;
        let first = last - done.events.len();
        for (k, event) in done.events.iter().enumerate() {
            assert_eq!(&history[first + k].event, event, "no lost update");
        }
    }
    kit::assert_consistent(store).await;
    history
        .iter()
        .map(|e| e.event.kind.name().to_string())
        .collect()
}

fn count(names: &[String], name: &str) -> usize {
    names.iter().filter(|n| n.as_str() == name).count()
}

async fn two_services(
    dir: &std::path::Path,
) -> (
    Vec<Service>,
    std::sync::Arc<managed_moves::service::ManualClock>,
) {
    let config = kit::config();
    let path = dir.join("race.db");
    let (one, clock) = kit::service_on(&path, &config).await;
    // A second pool on the same file, sharing the clock: as a second process would.
    let store = Store::open(&path).await.expect("second pool");
    let two = Service::new(
        store,
        &config,
        clock.clone(),
        std::sync::Arc::new(managed_moves::service::NoopNotifier),
    );
    (vec![one, two], clock)
}

const ROUNDS: usize = 4;
const TASKS: usize = 12;

async fn scenarios(services: &[Service], clock: &managed_moves::service::ManualClock) {
    let config = kit::config();
    let store = services[0].store().clone();
    let people = People::new(&services[0]);
    for round in 0..ROUNDS {
        // Accept against withdraw: at most one accept, exactly one withdrawal, and any
        // accept that won came first.
        let r = kit::walk(&services[0], clock, &config, Stage::Proposed, "race").await;
        let jobs = (0..TASKS)
            .map(|i| {
                if i % 2 == 0 {
                    (i, people.dest_head.clone(), Action::Accept)
                } else {
                    let reason = kit::text(&format!("withdrawn by task {i}"));
                    (i, people.home_head.clone(), Action::Withdraw { reason })
                }
            })
            .collect();
        let results = race(services, r, jobs).await;
        let names = assert_valid(&store, r, 1, &results).await;
        assert!(count(&names, "accepted") <= 1, "round {round}: {names:?}");
        assert_eq!(count(&names, "withdrawn"), 1, "round {round}: {names:?}");
        assert_eq!(names.last().map(String::as_str), Some("withdrawn"));

        // Many ratings at once: all of them stored, the last one per item wins.
        let r = kit::walk(&services[0], clock, &config, Stage::Accepted, "race").await;
        let items: Vec<String> = config.partnership.checklist.items[..3]
            .iter()
            .map(|i| i.key.clone())
            .collect();
        let jobs = (0..TASKS)
            .map(|i| {
                let who = if i % 2 == 0 {
                    people.dest_staff.clone()
                } else {
                    people.home_head.clone()
                };
                let rag = [Rag::Red, Rag::Amber, Rag::Green][i % 3];
                let action = Action::RateChecklist {
                    item: items[i % items.len()].clone(),
                    rag,
                    comment: Some(kit::text(&format!("task {i}"))),
                };
                (i, who, action)
            })
            .collect();
        let results = race(services, r, jobs).await;
        assert!(
            results.iter().all(Result::is_ok),
            "round {round}: every rating goes in"
        );
        assert_valid(&store, r, 2, &results).await;
        let (id, case) = store.find_case(r).await.unwrap().unwrap();
        let mut last: BTreeMap<String, Rag> = BTreeMap::new();
        for e in store.history(id).await.unwrap() {
            if let managed_moves::domain::EventKind::ChecklistRated { item, rag, .. } = e.event.kind
            {
                last.insert(item, rag);
            }
        }
        for (item, rag) in last {
            assert_eq!(case.checklist[&item].rag, rag, "round {round}: {item}");
        }

        // End early against the final review: once ended, no review; the pupil starts home
        // (the returning stage) once.
        let r = kit::walk(&services[0], clock, &config, Stage::Active, "race").await;
        let final_day = services[0]
            .show(&people.coordinator, r)
            .await
            .unwrap()
            .agreement
            .unwrap()
            .final_review;
        clock.set(kit::local(&config, final_day, 15, 0));
        let before = store.find_case(r).await.unwrap().unwrap().1.version;
        let jobs = (0..TASKS)
            .map(|i| {
                if i % 2 == 0 {
                    let reason = kit::text("Persistent breaches");
                    (i, people.dest_head.clone(), Action::Terminate { reason })
                } else {
                    let action = Action::RecordReview {
                        review: ReviewKind::Final,
                        held_on: final_day,
                        notes: kit::text(&format!("review by task {i}")),
                    };
                    (i, people.dest_staff.clone(), action)
                }
            })
            .collect();
        let results = race(services, r, jobs).await;
        let names = assert_valid(&store, r, before, &results).await;
        assert_eq!(count(&names, "return_begun"), 1, "round {round}: {names:?}");
        assert!(
            count(&names, "review_recorded") <= 1,
            "round {round}: {names:?}"
        );
        assert_eq!(names.last().map(String::as_str), Some("return_begun"));

        // End early against the outcome, after the final review: exactly one return.
        let r = kit::walk(&services[0], clock, &config, Stage::FinalReviewed, "race").await;
        let before = store.find_case(r).await.unwrap().unwrap().1.version;
        let jobs = (0..TASKS)
            .map(|i| {
                let action = if i % 2 == 0 {
                    Action::Terminate {
                        reason: kit::text("Serious breach"),
                    }
                } else {
                    Action::RecordOutcome {
                        outcome: Outcome::Returned,
                        note: kit::text("Agreed at the final review"),
                    }
                };
                (i, people.dest_head.clone(), action)
            })
            .collect();
        let results = race(services, r, jobs).await;
        let names = assert_valid(&store, r, before, &results).await;
        assert_eq!(count(&names, "return_begun"), 1, "round {round}: {names:?}");
        let (_, case) = store.find_case(r).await.unwrap().unwrap();
        assert_eq!(case.state, CaseState::Returning);
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicting_commands_through_one_service_resolve_to_valid_histories() {
    let dir = tempfile::tempdir().unwrap();
    let (services, clock) = two_services(dir.path()).await;
    scenarios(&services[..1], &clock).await;
    kit::assert_notified(services[0].store()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn conflicting_commands_through_two_pools_on_one_file_resolve_to_valid_histories() {
    let dir = tempfile::tempdir().unwrap();
    let (services, clock) = two_services(dir.path()).await;
    scenarios(&services, &clock).await;
    kit::assert_notified(services[0].store()).await;
}

/// A writer holding the lock for longer than a command takes: the others wait for it (the
/// busy timeout) instead of failing with "database is locked".
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_long_write_elsewhere_makes_commands_wait_not_fail() {
    let dir = tempfile::tempdir().unwrap();
    let (services, clock) = two_services(dir.path()).await;
    let config = kit::config();
    let r = kit::walk(&services[0], &clock, &config, Stage::Accepted, "slow").await;
    let people = People::new(&services[0]);
    // Another "process" takes the write lock and keeps it for a second.
    let mut tx = services[1].store().begin_write().await.unwrap();
    sqlx::query("UPDATE cases SET updated_at = updated_at WHERE id = -1")
        .execute(&mut *tx)
        .await
        .unwrap();
    let waiting: Vec<_> = (0..6)
        .map(|i| {
            let service = services[i % 2].clone();
            let who = people.dest_staff.clone();
            let item = config.partnership.checklist.items[i].key.clone();
            tokio::spawn(async move {
                let action = Action::RateChecklist {
                    item,
                    rag: Rag::Green,
                    comment: None,
                };
                service.act(&who, r, action).await
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    tx.commit().await.unwrap();
    for w in waiting {
        w.await.unwrap().expect("waited for the lock, then went in");
    }
    let case = services[0].show(&people.coordinator, r).await.unwrap();
    assert_eq!(case.checklist.len(), 6);
}
