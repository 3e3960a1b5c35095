//! Shared by the hardening tests (the modules beside this file): the example config, people with its
//! roles, a case walked to a given point through the service, and the consistency check
//! every test ends with (each case equals the fold of its events, nothing half-written).
#![allow(dead_code)] // each test binary uses its own part of this

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use managed_moves::config::Config;
use managed_moves::domain::case::AgreementTerms;
use managed_moves::domain::input::ProposalInput;
use managed_moves::domain::meetings::Attendance;
use managed_moves::domain::{
    Action, Actor, Capacity, Case, CaseRef, Command, ReviewKind, SchoolKey, Text, UserId,
};
use managed_moves::service::{ManualClock, NoopNotifier, Service};
use managed_moves::store::Store;

pub const HOME: &str = "riverside";
pub const DESTINATION: &str = "hillcrest";

pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn config_path() -> PathBuf {
    manifest().join("config/example.toml")
}

pub fn config() -> Config {
    Config::load(&config_path()).expect("config/example.toml loads")
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A local time in the partnership's zone.
pub fn local(config: &Config, date: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    config
        .partnership
        .instant(date, NaiveTime::from_hms_opt(h, m, 0).expect("valid time"))
}

pub fn person(service: &Service, user: u64, capacity: Capacity) -> Actor {
    let roles = service.roles().roles_for(&capacity);
    service.actor(UserId(user), &roles)
}

pub fn key(s: &str) -> SchoolKey {
    SchoolKey::parse(s).expect("school key")
}

pub fn text(s: &str) -> Text {
    Text::parse("text", s).expect("text")
}

/// The people of a case from HOME to DESTINATION.
pub struct People {
    pub home_head: Actor,
    pub dest_head: Actor,
    pub dest_staff: Actor,
    pub coordinator: Actor,
    pub seip: Actor,
    pub admin: Actor,
    pub nobody: Actor,
}

impl People {
    pub fn new(service: &Service) -> Self {
        Self {
            home_head: person(service, 1001, Capacity::Head(key(HOME))),
            dest_head: person(service, 1011, Capacity::Head(key(DESTINATION))),
            dest_staff: person(service, 1012, Capacity::Staff(key(DESTINATION))),
            coordinator: person(service, 1, Capacity::Coordinator),
            seip: person(service, 5, Capacity::Seip),
            admin: person(service, 9, Capacity::Admin),
            nobody: service.actor(UserId(77), &[]),
        }
    }
}

/// A service on a database file, with a clock the test moves.
pub async fn service_on(path: &Path, config: &Config) -> (Service, Arc<ManualClock>) {
    let store = Store::open(path).await.expect("open the database");
    let clock = Arc::new(ManualClock::new(local(config, day(2026, 11, 2), 9, 15)));
    let service = Service::new(store, config, clock.clone(), Arc::new(NoopNotifier));
    (service, clock)
}

pub fn proposal(tried: &str) -> Command {
    let input = ProposalInput {
        home: HOME.into(),
        destination: DESTINATION.into(),
        initials: "J.S.".into(),
        year: 9,
        reason: "exclusion".into(),
        strategies_tried: tried.into(),
        return_possible: true,
        answers: "yes,yes,yes,unsure,yes,yes,yes,yes".into(),
        notes: vec![(3, "Bus route checked".into())],
        ..ProposalInput::default()
    };
    Command::Propose(input.parse().expect("valid proposal"))
}

/// How far [`walk`] takes a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Proposed,
    Accepted,
    Active,
    FinalReviewed,
}

/// Walks a new case (proposed Monday 2 November 2026) to `stage` through the service,
/// leaving the clock on the last step's day. Returns its reference.
pub async fn walk(
    service: &Service,
    clock: &ManualClock,
    config: &Config,
    stage: Stage,
    tried: &str,
) -> CaseRef {
    let people = People::new(service);
    clock.set(local(config, day(2026, 11, 2), 9, 15));
    let r = service
        .execute(&people.home_head, proposal(tried))
        .await
        .expect("propose")
        .case
        .reference;
    if stage == Stage::Proposed {
        return r;
    }
    let act = |who: &Actor, action: Action| {
        let who = who.clone();
        async move {
            service
                .act(&who, r, action)
                .await
                .unwrap_or_else(|e| panic!("walking {r}: {e}"))
        }
    };
    act(&people.dest_head, Action::Accept).await;
    if stage == Stage::Accepted {
        return r;
    }
    act(
        &people.dest_head,
        Action::ScheduleMeeting {
            at: local(config, day(2026, 11, 4), 10, 0),
            place: None,
        },
    )
    .await;
    act(
        &people.home_head,
        Action::RecordParentConsent {
            witnessed_by: text("Ms A. Khan"),
            on: day(2026, 11, 2),
            freely_given: true,
        },
    )
    .await;
    act(
        &people.home_head,
        Action::RecordPupilConsent {
            on: day(2026, 11, 2),
            note: None,
        },
    )
    .await;
    act(
        &people.home_head,
        Action::RecordAgreement {
            terms: AgreementTerms {
                start: day(2026, 11, 9),
                weeks: 6,
                targets: text("Attend every lesson"),
                pupil_champion: text("Mr D. Okafor"),
                if_it_fails: text("Returns home with a plan"),
            },
        },
    )
    .await;
    act(&people.dest_head, Action::SignAgreement).await;
    clock.set(local(config, day(2026, 11, 9), 9, 0));
    act(
        &people.dest_head,
        Action::RecordMeetingHeld {
            on: day(2026, 11, 4),
            positives: None,
            concerns: None,
            attendance: Some(Attendance::parse("parent,home-staff", "whole").unwrap()),
        },
    )
    .await;
    let registered = Action::ConfirmRegistration {
        school: None,
        from: day(2026, 11, 9),
        la_notified: day(2026, 11, 9),
    };
    act(&people.dest_head, registered).await;
    // Issue 14: the safeguarding information shared and received (Year 9: no extra approval).
    let shared = Action::RecordSafeguarding {
        dsl: text("Mrs Reid, DSL"),
        on: day(2026, 11, 4),
        nothing_to_share: false,
    };
    act(&people.home_head, shared).await;
    act(&people.dest_head, Action::ConfirmSafeguarding).await;
    let copy = Action::RecordParentCopy {
        on: day(2026, 11, 9),
        how: text("By hand at the home school"),
    };
    act(&people.home_head, copy).await;
    act(&people.dest_head, Action::StartMove { on: None }).await;
    if stage == Stage::Active {
        return r;
    }
    let agreement = service
        .show(&people.coordinator, r)
        .await
        .expect("show")
        .agreement
        .expect("agreement");
    let (midpoint, final_day) = (agreement.midpoint_review, agreement.final_review);
    // The final review needs the midpoint review first (policy.midpoint_required).
    clock.set(local(config, midpoint, 14, 0));
    act(
        &people.dest_head,
        Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: midpoint,
            notes: text("Good progress"),
        },
    )
    .await;
    clock.set(local(config, final_day, 14, 0));
    act(
        &people.dest_head,
        Action::RecordReview {
            review: ReviewKind::Final,
            held_on: final_day,
            notes: text("Targets met"),
        },
    )
    .await;
    r
}

/// Every case in the store equals the fold of its events, its events are numbered 1..=version
/// without a gap, and every event has the notification written with it (same transaction).
/// Returns how many cases were checked.
pub async fn assert_consistent(store: &Store) -> usize {
    let pool = store.pool();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(pool)
        .await
        .expect("integrity check");
    assert_eq!(check, "ok", "SQLite integrity check");
    let orphans = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(pool)
        .await
        .expect("foreign key check");
    assert!(
        orphans.is_empty(),
        "{} foreign key violations",
        orphans.len()
    );
    let rows: Vec<(i64, String, i64)> = sqlx::query_as("SELECT id, reference, version FROM cases")
        .fetch_all(pool)
        .await
        .expect("cases");
    for (id, reference, version) in &rows {
        let reference = CaseRef::parse(reference).expect("reference");
        let (_, snapshot) = store
            .find_case(reference)
            .await
            .expect("read")
            .expect("case");
        let history = store.history(*id).await.expect("history");
        let seqs: Vec<i64> = history.iter().map(|e| e.seq).collect();
        assert_eq!(
            seqs,
            (1..=*version).collect::<Vec<_>>(),
            "{reference}: events numbered 1..=version"
        );
        let folded = Case::from_events(reference, history.iter().map(|e| &e.event))
            .expect("starts with a proposal");
        assert_eq!(folded, snapshot, "{reference}: snapshot equals its events");
    }
    rows.len()
}

/// Every event of a case was written with its case-thread notification.
pub async fn assert_notified(store: &Store) {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.version,
                (SELECT COUNT(*) FROM outbox o WHERE o.case_id = c.id AND o.kind = 'case_event')
         FROM cases c",
    )
    .fetch_all(store.pool())
    .await
    .expect("outbox counts");
    for (id, version, notified) in rows {
        assert_eq!(
            version, notified,
            "case {id}: one case_event notification per event"
        );
    }
}

/// True when Discord would turn this text into a ping.
pub fn pings(s: &str) -> bool {
    if s.contains("@everyone") || s.contains("@here") {
        return true;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(pos) = s[i..].find("<@") {
        let mut j = i + pos + 2;
        if j < bytes.len() && (bytes[j] == b'!' || bytes[j] == b'&') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            return true;
        }
        i = i + pos + 2;
    }
    false
}

/// Counts of every table a command writes, to prove a refusal wrote nothing.
pub async fn footprint(store: &Store) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for (table, sql) in [
        ("cases", "SELECT COUNT(*) FROM cases"),
        ("case_events", "SELECT COUNT(*) FROM case_events"),
        ("outbox", "SELECT COUNT(*) FROM outbox"),
        ("reminders", "SELECT COUNT(*) FROM reminders"),
    ] {
        let n: i64 = sqlx::query_scalar(sql)
            .fetch_one(store.pool())
            .await
            .expect("count");
        out.push((table.to_string(), n));
    }
    let versions: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(version), 0) FROM cases")
        .fetch_one(store.pool())
        .await
        .expect("versions");
    out.push(("sum(version)".into(), versions));
    out
}
