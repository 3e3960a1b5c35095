//! `cargo bench --bench discord`: end to end through the fake Discord (tests/support), against
//! the real `managed-moves` binary (the release build under `cargo bench`) on a database
//! seeded with `managed-moves seed --cases N` (1,000 cases; MM_BENCH_E2E_CASES to change it).
//! Results and how to read them: benches/BENCHMARKS.md.
//!
//! Latency is from just before the fake dispatches INTERACTION_CREATE on the gateway to the
//! moment it receives `POST /interactions/{id}/{token}/callback` (both clocks are the fake's,
//! in this process). Each kind is measured on a quiet bot: one interaction at a time, and
//! after a write the outbox (thread posts, the board) is delivered before the next. Then
//! 10,000 interactions of all kinds back to back (each sent once the previous one was
//! answered, the outbox delivering meanwhile), with the binary's resident size before and
//! after. The table is also written to target/bench-discord.md.

#[path = "../tests/support/mod.rs"]
mod support;

#[path = "common/mod.rs"]
mod common;

use common::{ms, percentile};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use managed_moves::cli::seed::database_bytes;
use managed_moves::service::{Clock, SystemClock};
use serde_json::Value;

use support::fake_discord::{FakeInteraction, Opt, RecordedRequest};
use support::harness::guild::{Person, COORDINATOR, DEST_HEAD, DEST_STAFF, HOME_HEAD};
use support::harness::{propose_options, NewCase, TestBot, TIMEOUT};

/// The target for interaction received → callback sent, p99 on loopback.
const TARGET: Duration = Duration::from_millis(20);
/// The target for the running bot's resident size when idle.
const IDLE_RSS_TARGET_MB: f64 = 30.0;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn main() {
    let settings = Settings {
        cases: env_number("MM_BENCH_E2E_CASES", 1_000),
        samples: env_number("MM_BENCH_E2E_SAMPLES", 300),
        warm_up: env_number("MM_BENCH_E2E_WARMUP", 30),
        mix: env_number("MM_BENCH_E2E_MIX", 10_000),
        reads_only: std::env::var_os("MM_BENCH_E2E_READS_ONLY").is_some(),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run(settings));
}

#[derive(Clone, Copy)]
struct Settings {
    cases: usize,
    samples: usize,
    warm_up: usize,
    mix: usize,
    /// Shows and autocompletes only in the mix: what memory does without new cases.
    reads_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Show,
    Autocomplete,
    Propose,
    Accept,
    Attendance,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Show,
        Kind::Autocomplete,
        Kind::Propose,
        Kind::Accept,
        Kind::Attendance,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Show => "`/case show` of a seeded case (coordinator)",
            Kind::Autocomplete => "case autocomplete on `/case show` (home head)",
            Kind::Propose => "`/propose` (a write)",
            Kind::Accept => "Accept button on a fresh proposal (a write)",
            Kind::Attendance => "`/attendance record` on an active placement (a write)",
        }
    }

    fn is_write(self) -> bool {
        matches!(self, Kind::Propose | Kind::Accept | Kind::Attendance)
    }

    /// The 10,000-interaction mix, per 20: 8 shows, 6 autocompletes, 3 proposals, 3 accepts
    /// (with `reads_only`, 11 shows and 9 autocompletes).
    fn in_mix(i: usize, reads_only: bool) -> Kind {
        match (i % 20, reads_only) {
            (0..=7, _) | (14..=16, true) => Kind::Show,
            (8..=13, _) | (17.., true) => Kind::Autocomplete,
            (14..=16, false) => Kind::Propose,
            _ => Kind::Accept,
        }
    }
}

/// The running binary, with what the interactions need.
struct Bench {
    bot: TestBot,
    pid: u32,
    /// Seeded case references, for `/case show`.
    references: Vec<String>,
    /// Cases proposed here and not yet accepted, oldest first.
    proposed: VecDeque<String>,
    /// Seeded active placements at the destination staff's school, with their first day.
    placements: Vec<(String, String)>,
    counter: usize,
}

impl Bench {
    fn next(&mut self) -> usize {
        self.counter += 1;
        self.counter
    }

    fn interaction(&mut self, kind: Kind) -> FakeInteraction {
        let i = self.next();
        match kind {
            Kind::Show => {
                let n = self.references.len();
                let reference = &self.references[i.wrapping_mul(2_654_435_761) % n];
                self.bot
                    .as_(COORDINATOR)
                    .slash("case show", [Opt::string("case", reference)])
            }
            Kind::Autocomplete => {
                // What Discord sends as someone types: nothing yet, a year, a longer prefix.
                let partial = ["", "MM-2026", "2026-0", "mm-"][i % 4];
                dress(
                    FakeInteraction::autocomplete(
                        "case",
                        [Opt::sub("show", [Opt::focused("case", 3, partial)])],
                    ),
                    HOME_HEAD,
                )
            }
            Kind::Propose => self
                .bot
                .as_(HOME_HEAD)
                .slash("propose", propose_options(&NewCase::default())),
            Kind::Accept => {
                let reference = self
                    .proposed
                    .pop_front()
                    .expect("a proposal made earlier to accept");
                // The button as posted in the case thread; the bot reads only its custom id
                // and the clicker's roles, so the fake's made-up message carrying it will do.
                dress(
                    FakeInteraction::button(&format!("mm:accept:{reference}"), None),
                    DEST_HEAD,
                )
            }
            Kind::Attendance => {
                // The first week of a seeded placement, reported again: each report is a
                // correction (a write and an event), with figures no seeded report has.
                let n = self.placements.len();
                let (reference, first_day) = &self.placements[i % n];
                let pass = (i / n) as i64;
                self.bot.as_(DEST_STAFF).slash(
                    "attendance record",
                    [
                        Opt::string("case", reference),
                        Opt::string("week", first_day),
                        Opt::integer("possible", 10),
                        Opt::integer("attended", 9),
                        Opt::integer("authorised", 1),
                        Opt::integer("incidents", 100 + pass % 900),
                    ],
                )
            }
        }
    }

    /// Sends one interaction and waits for its callback.
    async fn one(&mut self, kind: Kind) -> Sample {
        let ix = self.interaction(kind);
        let recorder = self.bot.fake.recorder();
        let mark = recorder.len();
        let sent = self.bot.send(ix).await;
        let path = format!("/interactions/{}/{}/callback", sent.id, sent.token);
        let callback = recorder
            .wait_for_from(mark, |r| r.method == "POST" && r.path == path, TIMEOUT)
            .await
            .unwrap_or_else(|| panic!("no callback for {kind:?} within {TIMEOUT:?}"));
        check(kind, &callback);
        if kind == Kind::Propose {
            let title = callback.body["data"]["embeds"][0]["title"]
                .as_str()
                .unwrap_or("");
            let reference = title.split_whitespace().next().unwrap_or("").to_owned();
            self.proposed.push_back(reference);
        }
        // What else the bot asked of Discord meanwhile (the outbox), to explain slow ones.
        let meanwhile = recorder.inspect_from(mark, |new| {
            new.iter()
                .filter(|r| r.at <= callback.at && r.path != path)
                .map(route)
                .collect()
        });
        Sample {
            kind,
            took: callback
                .at
                .duration_since(sent.at)
                .unwrap_or(Duration::ZERO),
            meanwhile,
        }
    }

    /// `n` interactions of one kind on a quiet bot.
    async fn quiet(&mut self, kind: Kind, n: usize) -> Vec<Duration> {
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            samples.push(self.one(kind).await.took);
            if kind.is_write() {
                self.bot.outbox_drained().await;
            }
        }
        samples
    }

    fn rss(&self) -> Memory {
        Memory::of(self.pid)
    }
}

/// One interaction timed: dispatched on the gateway → callback received by the fake.
struct Sample {
    kind: Kind,
    took: Duration,
    /// Other requests the bot made between the two, as routes ("POST /channels/*/messages").
    meanwhile: Vec<String>,
}

/// "POST /channels/1/messages" -> "POST /channels/*/messages" (ids and tokens starred).
fn route(r: &RecordedRequest) -> String {
    let path: Vec<&str> = r
        .path
        .split('/')
        .map(|seg| {
            let id = !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit());
            if id || seg.starts_with("fake-token") {
                "*"
            } else {
                seg
            }
        })
        .collect();
    format!("{} {}", r.method, path.join("/"))
}

/// "3× POST /channels/*/messages, 1× PATCH /channels/*/messages/*"
fn tally(routes: impl IntoIterator<Item = String>) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for r in routes {
        match counts.iter_mut().find(|(k, _)| *k == r) {
            Some((_, n)) => *n += 1,
            None => counts.push((r, 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if counts.is_empty() {
        return "nothing".into();
    }
    counts
        .iter()
        .map(|(r, n)| format!("{n}× `{r}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn dress(ix: FakeInteraction, who: Person) -> FakeInteraction {
    ix.by(who.id).with_roles(who.roles.iter().copied())
}

/// The bot answered as it should: a card for a command or click, choices for autocomplete.
fn check(kind: Kind, callback: &RecordedRequest) {
    let body = &callback.body;
    let data = &body["data"];
    let ok = callback.status < 300
        && match kind {
            Kind::Autocomplete => {
                body["type"] == 8 && data["choices"].as_array().is_some_and(|c| !c.is_empty())
            }
            Kind::Show => body["type"] == 4 && has_card(data),
            Kind::Propose | Kind::Accept | Kind::Attendance => {
                body["type"] == 4
                    && data["content"].as_str().is_some_and(|c| c.starts_with('✔'))
                    && has_card(data)
            }
        };
    assert!(ok, "{kind:?}: unexpected answer {} {body}", callback.status);
}

fn has_card(data: &Value) -> bool {
    data["embeds"].as_array().is_some_and(|e| !e.is_empty())
}

/// Today in London, the date the bot's (real) clock is at.
fn today() -> String {
    SystemClock
        .now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
        .to_string()
}

/// `managed-moves --config FILE seed --cases N --today TODAY`: the bot's own config, so the
/// seeded cases are between the schools (riverside, hillcrest, oakfield) the fake's roles
/// name, and open cases are in flight today (no backlog of reminders at start-up).
fn seed(config: &Path, cases: usize, today: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_managed-moves"))
        .arg("--config")
        .arg(config)
        .args(["seed", "--cases", &cases.to_string(), "--today", today])
        .env_remove("MANAGED_MOVES_DATABASE")
        .env_remove("MANAGED_MOVES_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run managed-moves seed");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "seed failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text.trim().to_owned()
}

async fn run(settings: Settings) {
    let Settings {
        cases,
        samples,
        warm_up,
        mix,
        reads_only,
    } = settings;
    let mut report = Report::new(cases);
    report.note(format!("Load average at the start: {}.", load_average()));

    let today = today();
    let mut seeded = (String::new(), 0.0f64);
    let bot = TestBot::start_binary_with(|config, _| {
        let began = Instant::now();
        let said = seed(config, cases, &today);
        seeded = (said, began.elapsed().as_secs_f64());
    })
    .await;
    let pid = bot.pid().expect("the binary runs");
    let idle = Memory::of(pid);
    report.note(format!(
        "Seeded {cases} cases (realistic mix, as of {today}) in {:.1} s; the seed said: {}",
        seeded.1, seeded.0
    ));

    let references = sqlx::query_scalar::<_, String>("SELECT reference FROM cases")
        .fetch_all(bot.store().await.pool())
        .await
        .expect("seeded references");
    assert_eq!(
        references.len(),
        cases,
        "every seeded case is in the database"
    );
    // Active placements at Hillcrest (DEST_STAFF's school) that started before today.
    let placements = sqlx::query_as::<_, (String, String)>(
        "SELECT reference, json_extract(snapshot, '$.started_on') FROM cases \
         WHERE state = 'active' AND destination_school = 'hillcrest' \
         AND json_extract(snapshot, '$.started_on') < ?",
    )
    .bind(&today)
    .fetch_all(bot.store().await.pool())
    .await
    .expect("seeded placements");
    assert!(
        !placements.is_empty(),
        "the seed has active placements at Hillcrest"
    );
    report.note(format!(
        "`/attendance record` corrects the first week of {} seeded active placements at Hillcrest, in turn.",
        placements.len()
    ));
    // Whatever the start-up posted (the board), then a moment of nothing.
    bot.outbox_drained().await;
    let bytes = checkpointed_bytes(&bot).await;
    report.note(format!(
        "Database as seeded (checkpointed, as benches/service.rs measures it): {:.1} MB for {cases} cases, {:.1} kB per case.",
        bytes as f64 / 1e6,
        bytes as f64 / 1e3 / cases.max(1) as f64
    ));
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut bench = Bench {
        bot,
        pid,
        references,
        proposed: VecDeque::new(),
        placements,
        counter: 0,
    };
    let idle_settled = bench.rss();

    // One kind at a time, on a quiet bot. Proposals come before accepts, which click the
    // Accept button on them.
    report.note(format!(
        "Each kind on a quiet bot: {warm_up} to warm up, then {samples} timed, one at a time; after a write, its outbox is delivered before the next."
    ));
    report.header();
    let cpu = Cpu::of(pid);
    let mut all = Vec::new();
    for kind in Kind::ALL {
        bench.quiet(kind, warm_up).await;
        let mut measured = bench.quiet(kind, samples).await;
        all.extend_from_slice(&measured);
        report.row(kind.name(), &mut measured);
    }
    report.row("all five kinds together", &mut all);
    report.note(Cpu::of(pid).since(cpu, "the per-kind runs"));

    // The mix, back to back: each interaction sent once the previous one was answered; the
    // outbox (thread posts, board edits) is delivered meanwhile, as in real use.
    let before_mix = bench.rss();
    let cpu = Cpu::of(pid);
    let fake_before = Cpu::of(std::process::id());
    let mix_mark = bench.bot.fake.recorder().len();
    let mut mixed: Vec<Sample> = Vec::with_capacity(mix);
    let began = Instant::now();
    for i in 0..mix {
        mixed.push(bench.one(Kind::in_mix(i, reads_only)).await);
    }
    let mix_secs = began.elapsed().as_secs_f64();
    let after_mix_busy = bench.rss();
    bench
        .bot
        .outbox_drained_within(Duration::from_secs(300))
        .await;
    let drained_secs = began.elapsed().as_secs_f64();
    let cpu_note = Cpu::of(pid).since(cpu, "the mix and its outbox");
    let fake_cpu = Cpu::of(std::process::id())
        .since(fake_before, "the same time")
        .replace("the binary's", "this process's (the fake Discord's)");
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after_mix = bench.rss();

    let recipe = if reads_only {
        "per 20: 11 shows, 9 autocompletes (MM_BENCH_E2E_READS_ONLY)"
    } else {
        "per 20: 8 shows, 6 autocompletes, 3 proposals, 3 accepts"
    };
    report.note(format!(
        "Mix of {mix} back to back ({recipe}), each sent once the previous one was answered, the outbox delivering meanwhile:"
    ));
    report.header();
    for kind in Kind::ALL {
        let mut took: Vec<Duration> = mixed
            .iter()
            .filter(|m| m.kind == kind)
            .map(|m| m.took)
            .collect();
        if !took.is_empty() {
            report.row(&format!("mix: {}", kind.name()), &mut took);
        }
    }
    // In quarters, in the order sent: does it get slower as cases and threads pile up?
    let quarter = mix.div_ceil(4).max(1);
    for (q, chunk) in mixed.chunks(quarter).enumerate() {
        let mut took: Vec<Duration> = chunk.iter().map(|m| m.took).collect();
        let first = q * quarter + 1;
        let last = first + chunk.len() - 1;
        report.row(&format!("mix: interactions {first}–{last}"), &mut took);
    }
    let mut took: Vec<Duration> = mixed.iter().map(|m| m.took).collect();
    report.row(&format!("mix: all {mix}"), &mut took);
    report.note(format!(
        "The mix took {mix_secs:.1} s ({:.0} interactions/s); its outbox was delivered {:.1} s after the last answer. {cpu_note} {fake_cpu}",
        mix as f64 / mix_secs.max(1e-9),
        drained_secs - mix_secs
    ));
    // Which of the outbox's requests to Discord were in flight when interactions were slow.
    report.line(
        "\n| the bot's requests while an interaction of the mix was handled | interactions | 20 ms or more | p50 ms | p99 ms |",
    );
    report.line("|---|---:|---:|---:|---:|");
    let mut routes: Vec<String> = mixed.iter().flat_map(|m| m.meanwhile.clone()).collect();
    routes.sort();
    routes.dedup();
    let mut groups: Vec<(String, Vec<Duration>)> = vec![(
        "none (only its own callback)".into(),
        mixed
            .iter()
            .filter(|m| m.meanwhile.is_empty())
            .map(|m| m.took)
            .collect(),
    )];
    for r in routes {
        let took = mixed
            .iter()
            .filter(|m| m.meanwhile.contains(&r))
            .map(|m| m.took)
            .collect();
        groups.push((format!("`{r}`"), took));
    }
    for (what, mut took) in groups {
        if took.is_empty() {
            continue;
        }
        took.sort();
        let over = took.iter().filter(|t| **t >= TARGET).count();
        report.line(&format!(
            "| {what} | {} | {over} ({:.0}%) | {} | {} |",
            took.len(),
            100.0 * over as f64 / took.len() as f64,
            ms(percentile(&took, 0.5)),
            ms(percentile(&took, 0.99))
        ));
    }
    mixed.sort_by_key(|m| std::cmp::Reverse(m.took));
    report.line("\n| slowest in the mix | ms | the bot's other requests meanwhile |");
    report.line("|---|---:|---|");
    for m in mixed.iter().take(5) {
        report.line(&format!(
            "| {} | {} | {} |",
            m.kind.name(),
            ms(m.took),
            tally(m.meanwhile.iter().cloned())
        ));
    }
    let (all_routes, listing) = bench.bot.fake.recorder().inspect_from(mix_mark, |new| {
        let all_routes = tally(new.iter().map(route));
        // The sender looks for an existing thread by name before it makes one.
        let listing = new
            .iter()
            .rev()
            .find(|r| route(r) == "GET /guilds/*/threads/active")
            .map(|last| {
                (
                    last.response["threads"].as_array().map_or(0, Vec::len),
                    last.response.to_string().len(),
                )
            });
        (all_routes, listing)
    });
    report.note(format!(
        "Requests the bot made during the mix and its outbox: {all_routes}."
    ));
    if let Some((threads, bytes)) = listing {
        report.note(format!(
            "The last `GET /guilds/*/threads/active` (before making a case's thread, the sender lists the server's active threads to find one already made) answered {threads} threads, {:.0} kB of JSON.",
            bytes as f64 / 1e3
        ));
    }

    let cases_now: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(bench.bot.store().await.pool())
        .await
        .expect("count cases");
    let bytes = checkpointed_bytes(&bench.bot).await;
    let per_kind = 4 * (samples + warm_up);
    report.memory(&[
        ("idle, right after ready", idle, Some(IDLE_RSS_TARGET_MB)),
        (
            "idle, 2 s later (start-up outbox delivered)",
            idle_settled,
            Some(IDLE_RSS_TARGET_MB),
        ),
        (
            &format!("after the per-kind runs ({per_kind} interactions)"),
            before_mix,
            None,
        ),
        (
            &format!("right after the mix of {mix} (outbox still busy)"),
            after_mix_busy,
            None,
        ),
        (
            &format!(
                "after the mix ({} interactions in all), outbox delivered, 2 s idle",
                per_kind + mix
            ),
            after_mix,
            None,
        ),
    ]);
    report.note(format!(
        "Database after the run (checkpointed): {:.1} MB for {cases_now} cases ({} of them new here, proposed or accepted, with their outbox rows).",
        bytes as f64 / 1e6,
        cases_now - cases as i64
    ));
    report.note(format!(
        "This process (the fake Discord, which keeps every request, message and thread) peaked at {:.0} MB resident.",
        Memory::of(std::process::id()).peak_kb as f64 / 1024.0
    ));
    report.note(format!("Load average at the end: {}.", load_average()));
    let mut bot = bench.bot;
    bot.stop().await;
    report.finish();
}

/// CPU time of a process's threads, from /proc/PID/task/*/schedstat: (on a CPU, waiting
/// for one), in nanoseconds. Threads that have ended are not counted.
#[derive(Clone, Copy, Debug)]
struct Cpu {
    running_ns: u64,
    waiting_ns: u64,
}

impl Cpu {
    fn of(pid: u32) -> Self {
        let mut cpu = Cpu {
            running_ns: 0,
            waiting_ns: 0,
        };
        let tasks = std::fs::read_dir(format!("/proc/{pid}/task"))
            .into_iter()
            .flatten();
        for task in tasks.flatten() {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            let mut fields = stat
                .split_whitespace()
                .map(|f| f.parse::<u64>().unwrap_or(0));
            cpu.running_ns += fields.next().unwrap_or(0);
            cpu.waiting_ns += fields.next().unwrap_or(0);
        }
        cpu
    }

    fn since(self, before: Cpu, what: &str) -> String {
        let s = |ns: u64| ns as f64 / 1e9;
        format!(
            "During {what} the binary's threads ran for {:.2} s of CPU and waited {:.2} s for a CPU (other processes on the machine, or each other).",
            s(self.running_ns.saturating_sub(before.running_ns)),
            s(self.waiting_ns.saturating_sub(before.waiting_ns))
        )
    }
}

/// The database's size on disk once its write-ahead log is copied in and truncated.
async fn checkpointed_bytes(bot: &TestBot) -> u64 {
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(bot.store().await.pool())
        .await
        .expect("checkpoint");
    database_bytes(&bot.db_path)
}

/// Resident size of a process, from /proc/PID/status.
#[derive(Clone, Copy, Debug)]
struct Memory {
    rss_kb: u64,
    peak_kb: u64,
}

impl Memory {
    fn of(pid: u32) -> Self {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |key: &str| {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kb: field("VmRSS:"),
            peak_kb: field("VmHWM:"),
        }
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The results table, printed and written to target/bench-discord.md.
struct Report {
    text: String,
}

impl Report {
    fn new(cases: usize) -> Self {
        let machine = common::machine();
        let mut report = Self {
            text: String::new(),
        };
        report.line(&format!(
            "Machine: {machine}. The release binary against the fake Discord on 127.0.0.1; database: {cases} seeded cases (MM_BENCH_E2E_CASES)."
        ));
        report
    }

    fn line(&mut self, line: &str) {
        println!("{line}");
        let _ = writeln!(self.text, "{line}");
    }

    fn header(&mut self) {
        self.line("\n| interaction received → callback sent | n | p50 ms | p99 ms | max ms | target | met? |");
        self.line("|---|---:|---:|---:|---:|---|---|");
    }

    fn row(&mut self, name: &str, samples: &mut [Duration]) {
        samples.sort();
        let (p50, p99, max) = (
            percentile(samples, 0.5),
            percentile(samples, 0.99),
            samples[samples.len() - 1],
        );
        let met = if p99 < TARGET { "yes" } else { "**no**" };
        self.line(&format!(
            "| {name} | {} | {} | {} | {} | p99 < {} ms | {met} |",
            samples.len(),
            ms(p50),
            ms(p99),
            ms(max),
            TARGET.as_millis()
        ));
    }

    fn note(&mut self, line: String) {
        self.line(&format!("\n{line}"));
    }

    fn memory(&mut self, rows: &[(&str, Memory, Option<f64>)]) {
        self.line(
            "\n| resident size of the binary (VmRSS) | MB | peak so far (VmHWM) MB | target |",
        );
        self.line("|---|---:|---:|---|");
        for (what, m, target) in rows {
            let mb = m.rss_kb as f64 / 1024.0;
            let target = match target {
                Some(t) if mb < *t => format!("< {t:.0} MB: yes"),
                Some(t) => format!("< {t:.0} MB: **no**"),
                None => "—".into(),
            };
            self.line(&format!(
                "| {what} | {mb:.1} | {:.1} | {target} |",
                m.peak_kb as f64 / 1024.0
            ));
        }
    }

    fn finish(&self) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-discord.md");
        if std::fs::write(&path, &self.text).is_ok() {
            println!("\nResults written to {}", path.display());
        }
    }
}
