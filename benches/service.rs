//! `cargo bench`: service commands, the scheduler's tick and memory on a database holding
//! 100,000 cases (MM_BENCH_CASES to change it), against a bare SQLite write measured in the
//! same run. Results and how to read them: benches/BENCHMARKS.md.
//!
//! Each figure is measured twice: a timed loop that records every call and prints p50 / p99
//! / max (what the targets are about), then criterion's own estimate of the mean. The table
//! is also written to target/bench-results.md.

#[path = "common/mod.rs"]
mod common;

use common::{ms, percentile};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use criterion::Criterion;

use managed_moves::cli::seed::{self, Mix, SeedOptions};
use managed_moves::config::Config;
use managed_moves::discord::board;
use managed_moves::domain::input::ProposalInput;
use managed_moves::domain::{Action, Actor, Capacity, Case, CaseRef, Command, SchoolKey, UserId};
use managed_moves::scheduler;
use managed_moves::service::{ManualClock, NoopNotifier, Service};
use managed_moves::store::Store;
use managed_moves::view;

const DEFAULT_CASES: u64 = 100_000;

fn main() {
    if let Ok(db) = std::env::var("MM_BENCH_RSS_CHILD") {
        return rss_child(Path::new(&db));
    }
    let cases = std::env::var("MM_BENCH_CASES")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut report = Report::new(cases);
    let bench = rt.block_on(Bench::build(dir.path(), cases, &mut report));

    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();

    // MM_BENCH_OPS=board,bare (say) times only those, and skips criterion, memory and the
    // tick: a quick look at one figure. "placements" adds the board on a database of
    // active placements, each with its weekly attendance (the tick's database); "tick" adds
    // the tick's sweeps.
    let only: Option<Vec<String>> = std::env::var("MM_BENCH_OPS")
        .ok()
        .map(|v| v.split(',').map(|k| k.trim().to_string()).collect());
    let ops: Vec<Op> = Op::ALL
        .into_iter()
        .filter(|op| {
            only.as_ref()
                .is_none_or(|keys| keys.iter().any(|k| k == op.key()))
        })
        .collect();

    // The timed loops: every call recorded, for percentiles.
    for &op in &ops {
        let n = op.iterations();
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            samples.push(rt.block_on(bench.timed(op)));
        }
        report.row(op.name(), op.target(), &mut samples);
    }
    if ops.contains(&Op::Board) {
        rt.block_on(bench.board_flags(&mut report));
    }
    if ops.contains(&Op::Autocomplete) {
        rt.block_on(bench.autocomplete_kinds(&mut report));
    }
    if ops.contains(&Op::BareInsert) {
        let bare = report.p50(Op::BareInsert.name());
        for &op in ops.iter().filter(|op| op.is_write()) {
            report.ratio(op.name(), bare);
        }
    }
    if let Some(keys) = &only {
        // "placements": the board on a database of active placements (the tick's database).
        if keys.iter().any(|k| k == "placements") {
            rt.block_on(tick_sweeps(dir.path(), cases, &mut report, true));
        }
        // "tick": the scheduler's sweeps alone.
        if keys.iter().any(|k| k == "tick") {
            rt.block_on(tick_sweeps(dir.path(), cases, &mut report, false));
        }
        report.finish();
        return;
    }

    // Criterion's estimates of the same.
    let mut group = c.benchmark_group(format!("service@{cases}"));
    for op in Op::ALL {
        group.bench_function(op.name(), |b| {
            b.iter_custom(|iters| {
                rt.block_on(async {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        total += bench.timed(op).await;
                    }
                    total
                })
            })
        });
    }
    group.finish();

    // Memory: a fresh process on the same database, idle and after 10,000 commands.
    report.memory(&bench.path);
    report.size(&bench.path, cases);
    drop(bench);

    // The scheduler's tick, on databases where every case is an active move.
    rt.block_on(tick_sweeps(dir.path(), cases, &mut report, false));

    c.final_summary();
    report.finish();
}

/// A database seeded for the run, with the people who act on it.
struct Bench {
    path: PathBuf,
    service: Service,
    home_head: Actor,
    dest_head: Actor,
    dest_staff: Actor,
    coordinator: Actor,
    references: Vec<CaseRef>,
    /// Cases this run proposed and accepted, for ratings.
    accepted: Mutex<Vec<CaseRef>>,
    counter: AtomicU64,
    checklist: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    BareInsert,
    Propose,
    Accept,
    Rate,
    Show,
    ListSchool,
    ListPage,
    Autocomplete,
    Board,
}

impl Op {
    const ALL: [Op; 9] = [
        Op::BareInsert,
        Op::Propose,
        Op::Accept,
        Op::Rate,
        Op::Show,
        Op::ListSchool,
        Op::ListPage,
        Op::Autocomplete,
        Op::Board,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::BareInsert => "bare SQLite write (one INSERT in a transaction)",
            Op::Propose => "propose",
            Op::Accept => "accept",
            Op::Rate => "rate checklist",
            Op::Show => "show case (+ card)",
            Op::ListSchool => "list open cases for a school (a page of 16, as `/case list` asks)",
            Op::ListPage => "list all of a school's cases, up to 500 (the CLI's `list`)",
            Op::Autocomplete => "case autocomplete (nothing, part or all of a reference typed)",
            Op::Board => "board render (each section's count and most urgent cases, 25 lines)",
        }
    }

    /// The name MM_BENCH_OPS knows it by.
    fn key(self) -> &'static str {
        match self {
            Op::BareInsert => "bare",
            Op::Propose => "propose",
            Op::Accept => "accept",
            Op::Rate => "rate",
            Op::Show => "show",
            Op::ListSchool => "list",
            Op::ListPage => "page",
            Op::Autocomplete => "autocomplete",
            Op::Board => "board",
        }
    }

    fn target(self) -> &'static str {
        match self {
            Op::BareInsert => "(baseline)",
            _ => "p99 < 5 ms",
        }
    }

    fn is_write(self) -> bool {
        matches!(self, Op::Propose | Op::Accept | Op::Rate)
    }

    fn iterations(self) -> usize {
        match self {
            Op::BareInsert | Op::Propose | Op::Accept | Op::Rate => 400,
            Op::Show => 2000,
            Op::ListSchool | Op::ListPage | Op::Autocomplete | Op::Board => 300,
        }
    }
}

fn example_config() -> Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/example.toml");
    Config::load(&path).expect("config/example.toml loads")
}

fn person(service: &Service, user: u64, capacity: Capacity) -> Actor {
    let roles = service.roles().roles_for(&capacity);
    service.actor(UserId(user), &roles)
}

/// 16:00 on the seed's day: the time the seeded partnership has reached.
fn seeded_now(config: &Config, today: NaiveDate) -> DateTime<Utc> {
    config
        .partnership
        .instant(today, NaiveTime::from_hms_opt(16, 0, 0).expect("time"))
}

async fn seeded_store(path: &Path, config: &Config, options: &SeedOptions) -> (Store, f64) {
    // MM_BENCH_SEEDED=DIR keeps each seeded database there and copies it on later runs:
    // seeding is deterministic, and a quick look at one figure then skips minutes of it.
    let cached = std::env::var_os("MM_BENCH_SEEDED").map(|dir| {
        Path::new(&dir).join(format!(
            "{:?}-{}-{}-{}.db",
            options.mix, options.cases, options.seed, options.today
        ))
    });
    if let Some(cached) = cached.as_ref().filter(|c| c.exists()) {
        std::fs::copy(cached, path).expect("copy the cached seeded database");
        return (Store::open(path).await.expect("open"), 0.0);
    }
    let store = Store::open(path).await.expect("open");
    let started = Instant::now();
    seed::seed(&store, config, options).await.expect("seed");
    let secs = started.elapsed().as_secs_f64();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .expect("checkpoint");
    if let Some(cached) = cached {
        std::fs::copy(path, cached).expect("keep the seeded database");
    }
    (store, secs)
}

impl Bench {
    async fn build(dir: &Path, cases: u64, report: &mut Report) -> Bench {
        let mut config = example_config();
        let path = dir.join("bench.db");
        config.database_path = path.clone();
        let options = SeedOptions::new(cases);
        let (store, secs) = seeded_store(&path, &config, &options).await;
        report.note(format!(
            "Seeded {cases} cases (realistic mix) in {secs:.1} s with `managed-moves seed --cases {cases}`'s code."
        ));
        sqlx::query("CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
            .execute(store.pool())
            .await
            .expect("bare table");
        let references = sqlx::query_scalar::<_, String>("SELECT reference FROM cases")
            .fetch_all(store.pool())
            .await
            .expect("references")
            .iter()
            .map(|r| CaseRef::parse(r).expect("reference"))
            .collect();
        let clock = Arc::new(ManualClock::new(seeded_now(&config, options.today)));
        // As the bot does: WAL checkpoints in the background, not on a command's commit.
        managed_moves::store::spawn_checkpoints(store.clone(), std::future::pending());
        let service = Service::new(store, &config, clock, Arc::new(NoopNotifier));
        let key = |i: usize| config.partnership.schools[i].key.clone();
        let (home, dest): (SchoolKey, SchoolKey) = (key(0), key(1));
        Bench {
            home_head: person(&service, 1, Capacity::Head(home)),
            dest_head: person(&service, 2, Capacity::Head(dest.clone())),
            dest_staff: person(&service, 3, Capacity::Staff(dest)),
            coordinator: person(&service, 4, Capacity::Coordinator),
            checklist: config
                .partnership
                .checklist
                .items
                .iter()
                .map(|i| i.key.clone())
                .collect(),
            path,
            service,
            references,
            accepted: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
        }
    }

    fn next(&self) -> u64 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    fn proposal(&self) -> Command {
        let p = self.service.partnership();
        let input = ProposalInput {
            home: p.schools[0].key.to_string(),
            destination: p.schools[1].key.to_string(),
            initials: "B.M.".into(),
            year: 9,
            reason: "exclusion".into(),
            strategies_tried: "Mentoring; pastoral support plan; reduced timetable".into(),
            return_possible: true,
            answers: "yes,yes,yes,unsure,yes,yes,yes,yes".into(),
            notes: vec![(3, "Bus route checked".into())],
            ..ProposalInput::default()
        };
        Command::Propose(input.parse().expect("valid proposal"))
    }

    async fn propose(&self) -> CaseRef {
        let outcome = self
            .service
            .execute(&self.home_head, self.proposal())
            .await
            .expect("propose");
        outcome.case.reference
    }

    /// One call, timed; any set-up it needs (a case to accept, say) is not timed.
    async fn timed(&self, op: Op) -> Duration {
        let i = self.next();
        match op {
            Op::BareInsert => {
                let started = Instant::now();
                let mut tx = self.service.store().begin_write().await.expect("begin");
                sqlx::query("INSERT INTO bench_bare (v) VALUES (?)")
                    .bind(format!("row {i}"))
                    .execute(&mut *tx)
                    .await
                    .expect("insert");
                tx.commit().await.expect("commit");
                started.elapsed()
            }
            Op::Propose => {
                let command = self.proposal();
                let started = Instant::now();
                self.service
                    .execute(&self.home_head, command)
                    .await
                    .expect("propose");
                started.elapsed()
            }
            Op::Accept => {
                let reference = self.propose().await;
                let started = Instant::now();
                self.service
                    .act(&self.dest_head, reference, Action::Accept)
                    .await
                    .expect("accept");
                let took = started.elapsed();
                self.accepted.lock().expect("lock").push(reference);
                took
            }
            Op::Rate => {
                let items = self.checklist.len() as u64;
                let reference = {
                    let accepted = self.accepted.lock().expect("lock");
                    accepted
                        .get((i / items) as usize % accepted.len().max(1))
                        .copied()
                };
                let reference = match reference {
                    Some(r) => r,
                    None => {
                        let r = self.propose().await;
                        self.service
                            .act(&self.dest_head, r, Action::Accept)
                            .await
                            .expect("accept");
                        self.accepted.lock().expect("lock").push(r);
                        r
                    }
                };
                let rag = ["green", "amber", "red"][(i % 3) as usize];
                let action = Action::RateChecklist {
                    item: self.checklist[(i % items) as usize].clone(),
                    rag: managed_moves::domain::checklist::Rag::parse(rag).expect("rag"),
                    comment: None,
                };
                let started = Instant::now();
                self.service
                    .act(&self.dest_staff, reference, action)
                    .await
                    .expect("rate");
                started.elapsed()
            }
            Op::Show => {
                let n = self.references.len() as u64;
                let reference = self.references[(i.wrapping_mul(2_654_435_761) % n) as usize];
                let started = Instant::now();
                let case = self
                    .service
                    .show(&self.coordinator, reference)
                    .await
                    .expect("show");
                let card = view::case_card(&case, self.service.partnership());
                std::hint::black_box(card);
                started.elapsed()
            }
            Op::ListSchool => {
                let started = Instant::now();
                let cases = self
                    .service
                    .list(&self.home_head, true, 16)
                    .await
                    .expect("list");
                std::hint::black_box(cases);
                started.elapsed()
            }
            Op::ListPage => {
                let started = Instant::now();
                let cases = self
                    .service
                    .list(&self.home_head, false, 0)
                    .await
                    .expect("list");
                std::hint::black_box(cases);
                started.elapsed()
            }
            Op::Autocomplete => {
                // What people type: nothing yet, the last digits of a reference (which
                // match a case or two in every year), or the whole of one.
                let typed = self.typed(i, i % 3);
                let started = Instant::now();
                let cases = self
                    .service
                    .suggest(&self.home_head, &typed, 25)
                    .await
                    .expect("suggest");
                std::hint::black_box(cases);
                started.elapsed()
            }
            Op::Board => board_render(&self.service).await.0,
        }
    }
}

impl Bench {
    /// What the `i`th person types into the case option: nothing yet (kind 0), the last
    /// four digits of a reference (1, matching a case or two in every year), or all of it.
    fn typed(&self, i: u64, kind: u64) -> String {
        let n = self.references.len() as u64;
        let reference = self.references[(i.wrapping_mul(40_503) % n) as usize].to_string();
        match kind {
            0 => String::new(),
            1 => reference[reference.len() - 4..].to_string(),
            _ => reference,
        }
    }

    async fn board_flags(&self, report: &mut Report) {
        board_flags(&self.service, report).await;
    }

    /// Autocomplete once more, each kind of typing on its own row: nothing, the last four
    /// digits of a reference (the kind the case number's index serves), the whole of one.
    async fn autocomplete_kinds(&self, report: &mut Report) {
        for (kind, name) in [
            (0, "nothing typed"),
            (1, "last four digits"),
            (2, "whole reference"),
        ] {
            let mut samples = Vec::with_capacity(200);
            for i in 0..200u64 {
                let typed = self.typed(i, kind);
                let started = Instant::now();
                let cases = self
                    .service
                    .suggest(&self.home_head, &typed, 25)
                    .await
                    .expect("suggest");
                samples.push(started.elapsed());
                std::hint::black_box(cases);
            }
            report.row(
                &format!("case autocomplete, {name}"),
                "p99 < 5 ms",
                &mut samples,
            );
        }
    }
}

/// The board as the bot draws it: each section's count and most urgent cases (up to 25
/// lines between them), rendered as the message with its menu.
async fn board_render(service: &Service) -> (Duration, Vec<Case>, Vec<view::BoardLine>) {
    let started = Instant::now();
    let (counts, cases) = service.board_cases().await.expect("board cases");
    let p = service.partnership();
    let drawn = view::board::sections(&cases, counts.sections, p, service.now());
    let _ = std::hint::black_box(board::board_message(&p.name, &drawn, 0));
    let took = started.elapsed();
    let lines = drawn.sections.into_iter().flat_map(|s| s.lines).collect();
    (took, cases, lines)
}

/// How much of the measured board carries attendance flags: the board works out each
/// shown placement's latest low week from its weekly reports on every render.
async fn board_flags(service: &Service, report: &mut Report) {
    let (_, cases, lines) = board_render(service).await;
    let flagged = lines
        .iter()
        .filter(|l| l.text.contains("attendance low"))
        .count();
    let reported = cases.iter().filter(|c| !c.attendance.is_empty()).count();
    let weeks: usize = cases.iter().map(|c| c.attendance.len()).sum();
    report.note(format!(
        "Board: of the {} lines rendered, {reported} are placements with weekly attendance ({weeks} weeks reported between them) and {flagged} carry the low-attendance flag.",
        lines.len()
    ));
}

/// The board on a database where every case is an active placement with its weekly
/// attendance reports, so every line it draws works out the attendance flag.
async fn board_on_placements(service: &Service, size: u64, report: &mut Report) {
    // The seed leaves a few cases it could not start (still agreeing, their dates long
    // past), which would fill the overdue section; set their dates aside meanwhile.
    let pool = service.store().pool();
    for sql in [
        "CREATE TABLE bench_set_aside AS SELECT id, next_due_on FROM cases \
         WHERE state != 'active' OR json_extract(snapshot, '$.attendance') = '{}'",
        "UPDATE cases SET next_due_on = NULL WHERE id IN (SELECT id FROM bench_set_aside)",
    ] {
        sqlx::query(sql).execute(pool).await.expect("set aside");
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(300);
    for _ in 0..300 {
        samples.push(board_render(service).await.0);
    }
    report.row(
        &format!("board render on {size} active placements with weekly attendance (25 lines)"),
        "p99 < 5 ms",
        &mut samples,
    );
    board_flags(service, report).await;
    for sql in [
        "UPDATE cases SET next_due_on = (SELECT b.next_due_on FROM bench_set_aside b \
         WHERE b.id = cases.id) WHERE id IN (SELECT id FROM bench_set_aside)",
        "DROP TABLE bench_set_aside",
    ] {
        sqlx::query(sql).execute(pool).await.expect("restore");
    }
}

/// Resident set size of this process, in kB.
fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Run in a fresh process: opens the service on the seeded database, reports its resident
/// size idle, then after 10,000 commands (as the bot would run them: 70% reads, 30% writes).
fn rss_child(db: &Path) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let mut config = example_config();
        config.database_path = db.to_path_buf();
        let store = Store::open(db).await.expect("open");
        let today = SeedOptions::new(0).today;
        let clock = Arc::new(ManualClock::new(seeded_now(&config, today)));
        let service = Service::new(store, &config, clock, Arc::new(NoopNotifier));
        // Touch the database once, as the bot does on start.
        let coordinator = person(&service, 4, Capacity::Coordinator);
        service.list(&coordinator, true, 0).await.expect("list");
        tokio::time::sleep(Duration::from_millis(200)).await;
        println!("idle {}", rss_kb());
        let references: Vec<CaseRef> = sqlx::query_scalar::<_, String>(
            "SELECT reference FROM cases ORDER BY id DESC LIMIT 5000",
        )
        .fetch_all(service.store().pool())
        .await
        .expect("references")
        .iter()
        .map(|r| CaseRef::parse(r).expect("reference"))
        .collect();
        let bench = Bench {
            path: db.to_path_buf(),
            home_head: person(
                &service,
                1,
                Capacity::Head(config.partnership.schools[0].key.clone()),
            ),
            dest_head: person(
                &service,
                2,
                Capacity::Head(config.partnership.schools[1].key.clone()),
            ),
            dest_staff: person(
                &service,
                3,
                Capacity::Staff(config.partnership.schools[1].key.clone()),
            ),
            coordinator,
            checklist: config
                .partnership
                .checklist
                .items
                .iter()
                .map(|i| i.key.clone())
                .collect(),
            service,
            references,
            accepted: Mutex::new(Vec::new()),
            counter: AtomicU64::new(0),
        };
        let mut commands = 0;
        for i in 0..10_000u32 {
            let op = match i % 10 {
                0..=3 => Op::Show,
                4 | 5 => Op::ListSchool,
                6 => Op::Board,
                7 => Op::Propose,
                8 => Op::Accept,
                _ => Op::Rate,
            };
            bench.timed(op).await;
            commands += 1;
        }
        println!("after {} {commands}", rss_kb());
    });
}

/// The scheduler's tick on all-active databases: one sweep over what is due (10, 100,
/// 1,000 of 100,000 cases) and one over the number of cases (1,000 due of 1k, 10k, 100k).
async fn tick_sweeps(dir: &Path, cases: u64, report: &mut Report, placements_only: bool) {
    let mut sizes: Vec<u64> = [1_000, 10_000, cases]
        .into_iter()
        .filter(|n| *n <= cases && (!placements_only || *n == cases))
        .collect();
    sizes.dedup();
    for size in sizes {
        let mut config = example_config();
        let path = dir.join(format!("active-{size}.db"));
        config.database_path = path.clone();
        let mut options = SeedOptions::new(size);
        options.mix = Mix::Active;
        let (store, secs) = seeded_store(&path, &config, &options).await;
        let pending: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM reminders WHERE state = 'pending'")
                .fetch_one(store.pool())
                .await
                .expect("count");
        report.note(format!(
            "Tick database: {size} active cases seeded in {secs:.1} s ({pending} pending reminders)."
        ));
        let now = seeded_now(&config, options.today);
        let clock = Arc::new(ManualClock::new(now));
        // MM_BENCH_TICK_CHECKPOINTS=1: WAL checkpoints in the background, as the bot runs
        // them. Off by default, so the tick's figures compare with earlier runs: a
        // checkpoint's fsync that lands during a tick delays its commit (BENCHMARKS.md).
        let checkpoints = std::env::var_os("MM_BENCH_TICK_CHECKPOINTS").map(|_| {
            managed_moves::store::spawn_checkpoints(store.clone(), std::future::pending())
        });
        let service = Service::new(store, &config, clock, Arc::new(NoopNotifier));
        if size == cases {
            board_on_placements(&service, size, report).await;
            if placements_only {
                if let Some(c) = &checkpoints {
                    c.abort();
                }
                return;
            }
        }
        // Settle the digests the first tick creates, so each measured tick does the same work.
        scheduler::tick(&service, now).await.expect("first tick");
        let dues: &[i64] = if size == cases {
            &[10, 100, 1_000]
        } else {
            &[1_000]
        };
        for &due in dues {
            make_due(&service, now, due).await;
            let mut samples = Vec::new();
            let mut last = 0;
            for _ in 0..15 {
                let before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM outbox")
                    .fetch_one(service.store().pool())
                    .await
                    .expect("outbox");
                let started = Instant::now();
                let mut queued = 0;
                loop {
                    let r = scheduler::tick(&service, now).await.expect("tick");
                    queued += r.queued;
                    if !r.more {
                        break;
                    }
                }
                samples.push(started.elapsed());
                last = queued;
                undo_tick(&service, before).await;
            }
            report.row(
                &format!("scheduler tick: {due} due of {size} active cases ({last} queued)"),
                "< 20 ms",
                &mut samples,
            );
        }
        if let Some(c) = &checkpoints {
            c.abort();
        }
    }
}

/// Makes exactly `due` case reminders fall due half an hour before `now` (all the others
/// are in the future, since planning only ever schedules ahead).
async fn make_due(service: &Service, now: DateTime<Utc>, due: i64) {
    let at =
        (now - chrono::Duration::minutes(30)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    sqlx::query(
        "UPDATE reminders SET due_at = ? WHERE id IN
           (SELECT id FROM reminders WHERE state = 'pending' AND case_id IS NOT NULL ORDER BY id LIMIT ?)",
    )
    .bind(at)
    .bind(due)
    .execute(service.store().pool())
    .await
    .expect("make due");
}

/// Puts the reminders a measured tick queued back to pending, and removes its outbox rows.
async fn undo_tick(service: &Service, outbox_before: i64) {
    let pool = service.store().pool();
    sqlx::query(
        "UPDATE reminders SET state = 'pending', queued_at = NULL, late = 0, outbox_id = NULL
         WHERE state = 'queued' AND outbox_id > ?",
    )
    .bind(outbox_before)
    .execute(pool)
    .await
    .expect("undo reminders");
    sqlx::query("DELETE FROM outbox WHERE id > ?")
        .bind(outbox_before)
        .execute(pool)
        .await
        .expect("undo outbox");
}

/// The results table, printed and written to target/bench-results.md.
struct Report {
    text: String,
    p50s: Vec<(String, Duration)>,
}

impl Report {
    fn new(cases: u64) -> Self {
        let machine = common::machine();
        let mut text = String::new();
        let _ = writeln!(
            text,
            "Machine: {machine}. Database: {cases} cases (MM_BENCH_CASES).\n"
        );
        let _ = writeln!(text, "| what | n | p50 ms | p99 ms | max ms | target |");
        let _ = writeln!(text, "|---|---:|---:|---:|---:|---|");
        Self {
            text,
            p50s: Vec::new(),
        }
    }

    fn row(&mut self, name: &str, target: &str, samples: &mut [Duration]) {
        samples.sort();
        let (p50, p99, max) = (
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            samples[samples.len() - 1],
        );
        let line = format!(
            "| {name} | {} | {} | {} | {} | {target} |",
            samples.len(),
            ms(p50),
            ms(p99),
            ms(max)
        );
        println!("{line}");
        let _ = writeln!(self.text, "{line}");
        self.p50s.push((name.to_string(), p50));
    }

    fn p50(&self, name: &str) -> Duration {
        self.p50s
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| *d)
            .unwrap_or(Duration::from_nanos(1))
    }

    fn ratio(&mut self, name: &str, bare: Duration) {
        let ratio = self.p50(name).as_secs_f64() / bare.as_secs_f64().max(1e-9);
        self.note(format!(
            "{name}: p50 is {ratio:.2}× the bare write's p50 (target: within 3×)."
        ));
    }

    fn note(&mut self, line: String) {
        println!("{line}");
        let _ = writeln!(self.text, "\n{line}");
    }

    fn memory(&mut self, db: &Path) {
        let exe = std::env::current_exe().expect("own path");
        let out = std::process::Command::new(exe)
            .env("MM_BENCH_RSS_CHILD", db)
            .output()
            .expect("memory child");
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |key: &str| {
            text.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        self.note(format!(
            "Memory (a fresh process with the service and its pool on this database): resident {:.1} MB idle (target < 30 MB), {:.1} MB after 10,000 commands.",
            field("idle") / 1024.0,
            field("after") / 1024.0
        ));
    }

    fn size(&mut self, db: &Path, cases: u64) {
        let bytes = seed::database_bytes(db);
        self.note(format!(
            "Database size: {:.1} MB for {cases} cases and their events, {:.1} kB per case.",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / cases.max(1) as f64
        ));
    }

    fn finish(&self) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-results.md");
        if std::fs::write(&path, &self.text).is_ok() {
            println!("\nResults written to {}", path.display());
        }
    }
}
