//! End-to-end harness: the real bot (in-process through `managed_moves::discord::start`, or
//! the real binary) against the fake Discord, with a temporary database and config.
//!
//! ```ignore
//! let bot = TestBot::start().await;              // in-process, ManualClock at 24 Nov 2026
//! let reply = bot.as_(HOME_HEAD).command("propose", propose_options(&NewCase::default())).await;
//! let case = reply.assert_done("the proposal").case_ref();
//! bot.as_(DEST_HEAD).click(&format!("mm:accept:{case}")).await.assert_done("accept");
//! ```
//!
//! Waiting: every helper awaits a condition (a recorded request, a message in the fake, a
//! row in the database) with a deadline, polling the fake's state in short steps; no
//! scenario sleeps for a fixed time to let something happen.

pub mod guild;
pub mod logs;
pub mod refused;
mod transfer;
pub mod user;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use managed_moves::config::{Config, Secret};
use managed_moves::domain::{Case, CaseRef};
use managed_moves::service::{Clock, ManualClock};
use managed_moves::store::{Store, StoredEvent};
use serde_json::Value;
use tokio::sync::{oneshot, OnceCell};
use tokio::task::JoinHandle;

use crate::support::fake_discord::{FakeDiscord, Opt, RecordedRequest};
use guild::{Person, BOARD, CASES, GUILD, SEIP_CHANNEL};
use user::{choice, YES};

/// How long any one expected thing may take to happen.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// The token the bot is given. The fake accepts any token; scenarios check that this one
/// never reaches the logs.
pub const TOKEN: &str = "e2e-secret-token.Zk3t9QmW-never-logged";

/// Tuesday 24 November 2026, 10:00 in London (GMT): a school day in the autumn term.
pub fn school_morning() -> DateTime<Utc> {
    at_london(day(2026, 11, 24), 10, 0)
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A local time in London as an instant.
pub fn at_london(day: NaiveDate, h: u32, m: u32) -> DateTime<Utc> {
    use chrono::TimeZone;
    let local = day.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("valid time"));
    chrono_tz::Europe::London
        .from_local_datetime(&local)
        .earliest()
        .expect("a time that exists in London")
        .with_timezone(&Utc)
}

enum Runner {
    InProcess {
        shutdown: Option<oneshot::Sender<()>>,
        task: Option<JoinHandle<Result<(), String>>>,
    },
    Binary {
        child: Option<std::process::Child>,
        /// RUST_LOG for the binary (unset: its default filter).
        rust_log: Option<String>,
        /// stdout and stderr of every run so far, in arrival order.
        output: Arc<Mutex<String>>,
    },
}

/// The bot under test, the fake it talks to, and its temporary files.
pub struct TestBot {
    pub fake: FakeDiscord,
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
    pub db_path: PathBuf,
    clock: Option<Arc<ManualClock>>,
    runner: Runner,
    store: OnceCell<Store>,
}

impl TestBot {
    /// The bot in this process, on a `ManualClock` at `school_morning()`.
    pub async fn start() -> Self {
        Self::start_at(school_morning()).await
    }

    /// The bot in this process, through the library's full start-up path, on a clock that
    /// stands at `now` until the scenario moves it. Its logs go to `logs::captured()`.
    pub async fn start_at(now: DateTime<Utc>) -> Self {
        Self::start_configured(now, |text| text).await
    }

    /// [`TestBot::start_at`] with the test's config changed by `edit` (e.g. a `[privacy]`
    /// section appended) before the bot reads it.
    pub async fn start_configured(now: DateTime<Utc>, edit: impl FnOnce(String) -> String) -> Self {
        Self::start_in_guild(now, guild::fake_config(), edit).await
    }

    /// [`TestBot::start_configured`] in a server of the test's own (e.g. one more member).
    pub async fn start_in_guild(
        now: DateTime<Utc>,
        server: crate::support::fake_discord::FakeConfig,
        edit: impl FnOnce(String) -> String,
    ) -> Self {
        logs::install();
        let (fake, dir, config_path, db_path) = prepare_guild(server).await;
        let text = edit(std::fs::read_to_string(&config_path).expect("read config"));
        std::fs::write(&config_path, &text).expect("write config");
        let config = Config::parse(&text, dir.path())
            .unwrap_or_else(|problems| panic!("test config is invalid: {problems:?}"));
        let clock = Arc::new(ManualClock::new(now));
        let (shutdown, stop) = oneshot::channel::<()>();
        let bot_clock: Arc<dyn Clock> = clock.clone();
        let task = tokio::spawn(async move {
            let stopped = async move {
                let _ = stop.await;
            };
            managed_moves::discord::start(config, Secret::new(TOKEN), bot_clock, stopped)
                .await
                .map_err(|e| e.to_string())
        });
        let mut bot = TestBot {
            fake,
            dir,
            config_path,
            db_path,
            clock: Some(clock),
            runner: Runner::InProcess {
                shutdown: Some(shutdown),
                task: Some(task),
            },
            store: OnceCell::new(),
        };
        bot.wait_ready(0).await;
        bot
    }

    /// The real `managed-moves` binary, `--config FILE run`, with `DISCORD_TOKEN` set and
    /// the default log filter; its stdout and stderr are kept for `logs()`.
    pub async fn start_binary() -> Self {
        Self::start_binary_with(|_, _| {}).await
    }

    /// Like `start_binary`, once `setup(config_path, db_path)` has prepared the bot's files,
    /// e.g. seeded the database with the binary's own `seed` command (benches/discord.rs).
    pub async fn start_binary_with(setup: impl FnOnce(&Path, &Path)) -> Self {
        Self::start_binary_logging(None, setup).await
    }

    /// Like `start_binary_with`, with `RUST_LOG` set to `rust_log` for every run.
    pub async fn start_binary_logging(
        rust_log: Option<&str>,
        setup: impl FnOnce(&Path, &Path),
    ) -> Self {
        let (fake, dir, config_path, db_path) = prepare().await;
        setup(&config_path, &db_path);
        let mut bot = TestBot {
            fake,
            dir,
            config_path,
            db_path,
            clock: None,
            runner: Runner::Binary {
                child: None,
                rust_log: rust_log.map(str::to_owned),
                output: Arc::default(),
            },
            store: OnceCell::new(),
        };
        bot.spawn_binary();
        bot.wait_ready(0).await;
        bot
    }

    fn spawn_binary(&mut self) {
        let Runner::Binary {
            child,
            output,
            rust_log,
        } = &mut self.runner
        else {
            panic!("spawn_binary is for the binary")
        };
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_managed-moves"));
        match rust_log {
            Some(level) => command.env("RUST_LOG", level),
            None => command.env_remove("RUST_LOG"),
        };
        let mut spawned = command
            .arg("--config")
            .arg(&self.config_path)
            .arg("run")
            .current_dir(self.dir.path())
            .env("DISCORD_TOKEN", TOKEN)
            .env_remove("MANAGED_MOVES_DATABASE")
            .env_remove("MANAGED_MOVES_CONFIG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the managed-moves binary");
        let streams: [Option<Box<dyn Read + Send>>; 2] = [
            spawned
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            spawned
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ];
        for mut stream in streams.into_iter().flatten() {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 4096];
                while let Ok(n) = stream.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                    if std::env::var_os("E2E_SHOW_LOGS").is_some() {
                        eprint!("{text}");
                    }
                    output
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push_str(&text);
                }
            });
        }
        *child = Some(spawned);
    }

    /// The binary's process id while it runs (`None` for an in-process bot).
    pub fn pid(&self) -> Option<u32> {
        match &self.runner {
            Runner::Binary { child, .. } => child.as_ref().map(std::process::Child::id),
            Runner::InProcess { .. } => None,
        }
    }

    /// Kills the binary with SIGKILL (no clean shutdown) and starts it again on the same
    /// database and config; returns once it has registered its commands again.
    pub async fn restart(&mut self) {
        let Runner::Binary { child, .. } = &mut self.runner else {
            panic!("restart() is for the binary; an in-process bot has no process to kill")
        };
        let mut old = child.take().expect("the binary is running");
        // std's kill() is SIGKILL on Unix: no shutdown handler runs.
        old.kill().expect("SIGKILL the binary");
        let status = tokio::task::spawn_blocking(move || old.wait())
            .await
            .expect("join")
            .expect("wait for the binary");
        assert!(
            !status.success(),
            "a SIGKILLed process does not exit cleanly"
        );
        let before = self.registrations();
        self.spawn_binary();
        self.wait_ready(before).await;
    }

    /// Stops the in-process bot cleanly and starts it again on the same database, config
    /// and clock, as after an update: whatever it sent before must not be sent again.
    pub async fn restart_in_process(&mut self) {
        let clock = self
            .clock
            .clone()
            .expect("restart_in_process() is for the in-process bot");
        self.stop().await;
        let text = std::fs::read_to_string(&self.config_path).expect("read config");
        let config = Config::parse(&text, self.dir.path()).expect("the config still parses");
        let (shutdown, stop) = oneshot::channel::<()>();
        let bot_clock: Arc<dyn Clock> = clock;
        let task = tokio::spawn(async move {
            let stopped = async move {
                let _ = stop.await;
            };
            managed_moves::discord::start(config, Secret::new(TOKEN), bot_clock, stopped)
                .await
                .map_err(|e| e.to_string())
        });
        self.runner = Runner::InProcess {
            shutdown: Some(shutdown),
            task: Some(task),
        };
        let before = self.registrations();
        self.wait_ready(before).await;
    }

    /// Stops the bot: a clean shutdown in-process, SIGKILL for the binary.
    pub async fn stop(&mut self) {
        match &mut self.runner {
            Runner::InProcess { shutdown, task } => {
                if let Some(s) = shutdown.take() {
                    let _ = s.send(());
                }
                if let Some(t) = task.take() {
                    let ended = tokio::time::timeout(TIMEOUT, t).await;
                    let result = ended.expect("the bot stops within the timeout");
                    result
                        .expect("the bot task did not panic")
                        .expect("the bot stopped without an error");
                }
            }
            Runner::Binary { child, .. } => {
                if let Some(mut c) = child.take() {
                    let _ = c.kill();
                    let _ = tokio::task::spawn_blocking(move || c.wait()).await;
                }
            }
        }
    }

    /// Successful guild command registrations so far (one per start of the bot).
    pub fn registrations(&self) -> usize {
        let path = format!(
            "/applications/{}/guilds/{GUILD}/commands",
            self.fake.config().application_id
        );
        self.fake
            .recorder()
            .requests()
            .iter()
            .filter(|r| r.method == "PUT" && r.path == path && r.status == 200)
            .count()
    }

    /// Waits until the bot has registered its commands more than `before` times, i.e. it
    /// is connected, ready, and its outbox sender is running.
    async fn wait_ready(&mut self, before: usize) {
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            if self.registrations() > before {
                return;
            }
            let died = match &mut self.runner {
                Runner::InProcess { task, .. } => task.as_ref().is_some_and(|t| t.is_finished()),
                Runner::Binary { child, .. } => child
                    .as_mut()
                    .is_some_and(|c| matches!(c.try_wait(), Ok(Some(_)))),
            };
            if died || tokio::time::Instant::now() >= deadline {
                if let Runner::InProcess { task, .. } = &mut self.runner {
                    if let Some(t) = task.take().filter(|t| t.is_finished()) {
                        panic!("the bot stopped before it was ready: {:?}", t.await);
                    }
                }
                panic!(
                    "the bot did not register its commands within {TIMEOUT:?}; requests: {:?}\n{}",
                    self.fake
                        .recorder()
                        .requests()
                        .iter()
                        .map(RecordedRequest::line)
                        .collect::<Vec<_>>(),
                    self.log_tail()
                );
            }
            settle().await;
        }
    }

    /// The clock an in-process bot runs on.
    pub fn clock(&self) -> &ManualClock {
        self.clock
            .as_deref()
            .expect("only an in-process bot has a manual clock")
    }

    /// Everything the bot logged: the binary's stdout and stderr, or (in-process) the
    /// capture shared by every scenario in this test binary.
    pub fn logs(&self) -> String {
        match &self.runner {
            Runner::InProcess { .. } => logs::captured(),
            Runner::Binary { output, .. } => {
                output.lock().unwrap_or_else(|e| e.into_inner()).clone()
            }
        }
    }

    fn log_tail(&self) -> String {
        let logs = self.logs();
        let lines: Vec<&str> = logs.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("last log lines:\n{tail}")
    }

    /// Polls `cond` against the fake's (and the database's) state until it gives a value.
    pub async fn wait_until<T>(&self, what: &str, mut cond: impl FnMut() -> Option<T>) -> T {
        self.wait_until_for(what, TIMEOUT, &mut cond).await
    }

    pub async fn wait_until_for<T>(
        &self,
        what: &str,
        timeout: Duration,
        mut cond: impl FnMut() -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(v) = cond() {
                return v;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting for {what}\n{}",
                    self.log_tail()
                );
            }
            settle().await;
        }
    }

    // ---- What the bot posted -------------------------------------------------------------

    /// The private thread the bot made for a case (waits for it).
    pub async fn thread_of(&self, reference: &str) -> u64 {
        self.wait_until(&format!("a thread for {reference}"), || {
            self.fake
                .threads()
                .into_iter()
                .find(|(t, _)| t["name"] == reference)
                .and_then(|(t, _)| t["id"].as_str()?.parse().ok())
        })
        .await
    }

    /// Messages the bot posted in a channel or thread, oldest first (not its answers to
    /// interactions, which the fake also keeps in the channel they were made in).
    pub fn posts(&self, channel: u64) -> Vec<Value> {
        self.fake
            .channel_messages(channel)
            .into_iter()
            .filter(|m| m.get("interaction_metadata").is_none())
            .collect()
    }

    /// Successful POSTs to `channel` per nonce: a nonce posted more than once means the
    /// bot sent a message again (Discord would drop the copy; the bot should not send it).
    pub fn nonce_posts(&self, channel: u64) -> std::collections::BTreeMap<String, usize> {
        let mut counts = std::collections::BTreeMap::new();
        for q in self.posted_to(channel) {
            if let Some(n) = q.body["nonce"].as_str() {
                *counts.entry(n.to_owned()).or_insert(0) += 1;
            }
        }
        counts
    }

    /// Waits for a message in `channel` whose content contains `needle`; returns it.
    pub async fn wait_for_post(&self, channel: u64, needle: &str) -> Value {
        self.wait_until(
            &format!("a post containing {needle:?} in {channel}"),
            || {
                self.posts(channel)
                    .into_iter()
                    .find(|m| m["content"].as_str().is_some_and(|c| c.contains(needle)))
            },
        )
        .await
    }

    /// Successful POSTs of new messages to a channel (what the bot asked Discord to post).
    pub fn posted_to(&self, channel: u64) -> Vec<RecordedRequest> {
        let path = format!("/channels/{channel}/messages");
        self.fake
            .recorder()
            .requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == path && r.status == 200)
            .collect()
    }

    /// Successful edits of messages in a channel.
    pub fn edits_in(&self, channel: u64) -> Vec<RecordedRequest> {
        let prefix = format!("/channels/{channel}/messages/");
        self.fake
            .recorder()
            .requests()
            .into_iter()
            .filter(|r| r.method == "PATCH" && r.path.starts_with(&prefix) && r.status == 200)
            .collect()
    }

    /// The newest bot message (in a case thread, the SEIP or board channel) with a button
    /// or modal of this custom id.
    pub fn message_with_button(&self, custom_id: &str) -> Option<Value> {
        let mut channels: Vec<u64> = self
            .fake
            .threads()
            .iter()
            .filter_map(|(t, _)| t["id"].as_str()?.parse().ok())
            .collect();
        channels.extend([SEIP_CHANNEL, BOARD, CASES]);
        // A modal's custom id is its button's: mm:decline:REF opens mm:decline:REF.
        let mut found: Vec<Value> = channels
            .into_iter()
            .flat_map(|c| self.posts(c))
            .filter(|m| {
                m["components"]
                    .to_string()
                    .contains(&format!("\"{custom_id}\""))
            })
            .collect();
        found.sort_by_key(|m| m["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
        found.pop()
    }

    /// The board message in the coordinators' channel (waits for it). The channel also
    /// gets the coordinators' digests; the board is the message titled "Open cases".
    pub async fn board(&self) -> Value {
        self.wait_until("the board", || self.posts(BOARD).into_iter().find(is_board))
            .await
    }

    /// Successful POSTs of a board (not digests) to the coordinators' channel.
    pub fn board_posts(&self) -> usize {
        self.posted_to(BOARD)
            .iter()
            .filter(|q| is_board(&q.body))
            .count()
    }

    // ---- The database ------------------------------------------------------------------

    /// The bot's database, opened alongside the running bot (SQLite WAL allows it).
    pub async fn store(&self) -> &Store {
        self.store
            .get_or_init(|| async {
                Store::open(&self.db_path)
                    .await
                    .expect("open the bot's database")
            })
            .await
    }

    pub async fn case(&self, reference: &str) -> Case {
        let r = CaseRef::parse(reference).expect("a case reference");
        self.store()
            .await
            .find_case(r)
            .await
            .expect("read the case")
            .unwrap_or_else(|| panic!("no case {reference} in the database"))
            .1
    }

    pub async fn case_count(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM cases")
            .fetch_one(self.store().await.pool())
            .await
            .expect("count cases")
    }

    pub async fn events(&self, reference: &str) -> Vec<StoredEvent> {
        let r = CaseRef::parse(reference).expect("a case reference");
        let store = self.store().await;
        let (id, _) = store
            .find_case(r)
            .await
            .expect("read the case")
            .expect("the case exists");
        store.history(id).await.expect("read the history")
    }

    /// (all, undelivered) rows in the outbox. Undelivered leaves out messages set aside for
    /// an admin or discarded: the sender is done with those.
    pub async fn outbox(&self) -> (i64, i64) {
        let pool = self.store().await.pool();
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
            .fetch_one(pool)
            .await
            .expect("count outbox");
        let unsent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox
             WHERE sent_at IS NULL AND set_aside_at IS NULL AND discarded_at IS NULL",
        )
        .fetch_one(pool)
        .await
        .expect("count unsent");
        (all, unsent)
    }

    /// Reminders still to send, as (key, due time), in key order.
    pub async fn pending_reminders(&self) -> Vec<(String, String)> {
        sqlx::query_as(
            "SELECT key, due_at FROM reminders WHERE state = 'pending' ORDER BY key, due_at",
        )
        .fetch_all(self.store().await.pool())
        .await
        .expect("read reminders")
    }

    /// Waits until the scheduler has queued every reminder due by the bot's clock and the
    /// outbox has delivered everything. Call it before moving the clock again: the
    /// scheduler ticks when a command wakes it, and a clock moved on before that tick would
    /// re-plan (and drop) reminders it never had the chance to send.
    pub async fn settled(&self) {
        let now = match &self.clock {
            Some(c) => c.now(),
            None => managed_moves::service::SystemClock.now(),
        };
        let now = now.to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let deadline = tokio::time::Instant::now() + TIMEOUT;
        loop {
            let due: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM reminders WHERE state = 'pending' AND due_at <= ?",
            )
            .bind(&now)
            .fetch_one(self.store().await.pool())
            .await
            .expect("count due reminders");
            if due == 0 {
                break;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "{due} reminders due by {now} were never queued\n{}",
                    self.log_tail()
                );
            }
            settle().await;
        }
        self.outbox_drained().await;
    }

    /// Moves an in-process bot's clock, once everything due at the old time is done.
    pub async fn set_clock(&self, at: DateTime<Utc>) {
        self.settled().await;
        self.clock().set(at);
    }

    /// Waits until the outbox sender has delivered everything written so far.
    pub async fn outbox_drained(&self) {
        self.outbox_drained_within(TIMEOUT).await
    }

    pub async fn outbox_drained_within(&self, timeout: Duration) {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let (_, unsent) = self.outbox().await;
            if unsent == 0 {
                return;
            }
            if tokio::time::Instant::now() >= deadline {
                panic!(
                    "{unsent} outbox rows still undelivered after {timeout:?}\n{}",
                    self.log_tail()
                );
            }
            settle().await;
        }
    }

    // ---- Common steps ------------------------------------------------------------------

    /// `/propose` by `by` (a head of the home school); returns the new case's reference
    /// once its thread has the destination head's call to decide.
    pub async fn propose(&self, by: Person, case: &NewCase) -> String {
        let reply = self.as_(by).command("propose", propose_options(case)).await;
        let reference = reply.assert_done("the proposal").case_ref();
        let thread = self.thread_of(&reference).await;
        self.wait_for_post(thread, "Please accept or decline").await;
        reference
    }

    /// Takes an accepted managed move to `active` through Discord, all on the clock's
    /// today: meeting, both agreements, the agreement signed by both heads, the
    /// destination's subsidiary registration, the parent's copy and the safeguarding
    /// information, start.
    pub async fn make_active(&self, reference: &str, home: Person, dest: Person) {
        self.meeting_held_today(reference, dest).await;
        self.make_active_after_meeting(reference, home, dest).await;
    }

    /// An accepted case made ready to start but for issue 14's extra approval and exam
    /// courses: meeting scheduled and held with who came, both agreements, the agreement
    /// signed, the destination's registration, the safeguarding information.
    pub async fn make_ready_after_accept(&self, reference: &str, home: Person, dest: Person) {
        self.meeting_held_today(reference, dest).await;
        self.agree_and_register(reference, home, dest).await;
        self.before_start(reference, home, dest).await;
    }

    /// The initial meeting scheduled and held today by the destination, with who came.
    pub async fn meeting_held_today(&self, reference: &str, dest: Person) {
        let today = self.today().to_string();
        let c = || Opt::string("case", reference);
        let steps: Vec<(Person, &str, Vec<Opt>)> = vec![
            (
                dest,
                "meeting schedule",
                vec![c(), Opt::string("at", &format!("{today} 14:00"))],
            ),
            (dest, "meeting held", vec![c(), Opt::string("on", &today)]),
        ];
        for (who, path, options) in steps {
            self.as_(who).command(path, options).await.assert_done(path);
        }
        let menu = format!("mm:attendees:{reference}");
        let chosen = ["parent", "home-staff", "destination-staff", "pupil:whole"];
        self.as_(dest)
            .choose(&menu, &chosen)
            .await
            .assert_done("attendees");
    }

    /// [`TestBot::make_active`] from a meeting already scheduled and held with who came:
    /// both agreements, the agreement signed by both heads, the parent's copy given, start.
    pub async fn make_active_after_meeting(&self, reference: &str, home: Person, dest: Person) {
        self.agree_and_register(reference, home, dest).await;
        self.before_start(reference, home, dest).await;
        self.as_(dest)
            .command("move start", vec![Opt::string("case", reference)])
            .await
            .assert_done("move start");
    }

    /// Both agreements, the agreement signed by both heads, the parent's copy, the
    /// destination's registration: all today.
    async fn agree_and_register(&self, reference: &str, home: Person, dest: Person) {
        let today = self.today().to_string();
        self.consents_today(reference, home).await;
        self.agreement_signed(reference, home, dest, &Terms::starting(&today))
            .await;
        self.copy_given(reference, home).await;
        self.registered(reference, dest, &today).await;
    }

    /// The parent's and the pupil's agreement, given today, recorded by the home head.
    pub async fn consents_today(&self, reference: &str, home: Person) {
        let today = self.today().to_string();
        let c = || Opt::string("case", reference);
        let steps = [
            (
                "consent parent",
                vec![
                    c(),
                    Opt::string("witnessed_by", "Ms A. Khan"),
                    Opt::string("on", &today),
                    Opt::boolean("freely_given", true),
                ],
            ),
            ("consent pupil", vec![c(), Opt::string("on", &today)]),
        ];
        for (path, options) in steps {
            self.as_(home)
                .command(path, options)
                .await
                .assert_done(path);
        }
    }

    /// The agreement recorded by the home head (who signs it so) and signed by the
    /// destination head.
    pub async fn agreement_signed(
        &self,
        reference: &str,
        home: Person,
        dest: Person,
        terms: &Terms<'_>,
    ) {
        let c = || Opt::string("case", reference);
        let record = vec![
            c(),
            Opt::string("start", terms.start),
            Opt::integer("weeks", terms.weeks),
            Opt::string("targets", terms.targets),
            Opt::string("champion", "Mr D. Okafor"),
            Opt::string("if_fails", terms.if_fails),
        ];
        self.as_(home)
            .command("agreement record", record)
            .await
            .assert_done("agreement record");
        self.as_(dest)
            .command("agreement sign", vec![c()])
            .await
            .assert_done("agreement sign");
    }

    /// The home head records the parent's copy of the agreement as given today.
    pub async fn copy_given(&self, reference: &str, home: Person) {
        let today = self.today().to_string();
        let options = vec![
            Opt::string("case", reference),
            Opt::string("on", &today),
            Opt::string("how", "By hand at the meeting"),
        ];
        self.as_(home)
            .command("consent copy-given", options)
            .await
            .assert_done("the parent's copy");
    }

    /// `who`'s school registers the pupil from `from` (the destination's subsidiary
    /// registration, or the home school's code D), the local authority told the same day.
    pub async fn registered(&self, reference: &str, who: Person, from: &str) {
        let options = vec![
            Opt::string("case", reference),
            Opt::string("from", from),
            Opt::string("la_notified", from),
        ];
        self.as_(who)
            .command("move registered", options)
            .await
            .assert_done("move registered");
    }

    /// Issue 14's gates before the start, through Discord: the home school's safeguarding
    /// lead shared the information and the destination confirmed it. (A Year 10 or 11
    /// case also needs the coordinators' approval and the exam courses: see
    /// `tests/e2e/approvals.rs`.)
    pub async fn before_start(&self, reference: &str, home: Person, dest: Person) {
        let today = self.today().to_string();
        let c = || Opt::string("case", reference);
        let steps: Vec<(Person, &str, Vec<Opt>)> = vec![
            (
                home,
                "safeguarding shared",
                vec![
                    c(),
                    Opt::string("dsl", "Mrs J. Reid, DSL"),
                    Opt::string("on", &today),
                ],
            ),
            (dest, "safeguarding confirm", vec![c()]),
        ];
        for (who, path, options) in steps {
            self.as_(who).command(path, options).await.assert_done(path);
        }
    }

    /// Today in London by the bot's clock (in-process), or by the real clock (binary).
    pub fn today(&self) -> NaiveDate {
        let now = match &self.clock {
            Some(c) => c.now(),
            None => managed_moves::service::SystemClock.now(),
        };
        now.with_timezone(&chrono_tz::Europe::London).date_naive()
    }
}

/// The terms `agreement record` is given in the harness's steps.
pub struct Terms<'a> {
    pub start: &'a str,
    pub weeks: i64,
    pub targets: &'a str,
    pub if_fails: &'a str,
}

impl<'a> Terms<'a> {
    /// Six weeks from `start`, one target.
    pub fn starting(start: &'a str) -> Self {
        Self {
            start,
            weeks: 6,
            targets: "Attend every lesson",
            if_fails: "Returns home with a plan",
        }
    }
}

impl Drop for TestBot {
    fn drop(&mut self) {
        match &mut self.runner {
            Runner::InProcess { shutdown, .. } => {
                if let Some(s) = shutdown.take() {
                    let _ = s.send(());
                }
            }
            // Never leave a bot running after its test, even one that failed.
            Runner::Binary { child, .. } => {
                if let Some(mut c) = child.take() {
                    let _ = c.kill();
                    let _ = c.wait();
                }
            }
        }
    }
}

/// Is this message (or message body) the coordinators' board?
pub fn is_board(m: &Value) -> bool {
    m["embeds"][0]["title"]
        .as_str()
        .is_some_and(|t| t.starts_with("Open cases"))
}

/// A short pause between two looks at the fake's state.
pub(crate) async fn settle() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

/// The fake (on a free port), a temporary directory, and the config written into it.
async fn prepare() -> (FakeDiscord, tempfile::TempDir, PathBuf, PathBuf) {
    prepare_guild(guild::fake_config()).await
}

/// `prepare` with a guild of the test's own (e.g. a channel with other overwrites).
pub(crate) async fn prepare_guild(
    guild: crate::support::fake_discord::FakeConfig,
) -> (FakeDiscord, tempfile::TempDir, PathBuf, PathBuf) {
    let fake = FakeDiscord::start(guild).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let db_path = dir.path().join("managed-moves.db");
    let config_path = dir.path().join("managed-moves.toml");
    std::fs::write(&config_path, guild::config_toml(fake.base_url(), &db_path))
        .expect("write config");
    (fake, dir, config_path, db_path)
}

/// What `/propose` is filled in with.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub to: &'static str,
    pub initials: &'static str,
    pub year: i64,
    pub return_possible: bool,
    pub ehcp: bool,
    pub looked_after: bool,
    pub tried: &'static str,
    pub notes: Option<&'static str>,
}

impl Default for NewCase {
    fn default() -> Self {
        Self {
            to: "hillcrest",
            initials: "Z.Q.",
            year: 9,
            return_possible: true,
            ehcp: false,
            looked_after: false,
            tried: "Mentoring; pastoral support plan",
            notes: None,
        }
    }
}

/// `/propose`'s options for a case; question 8 (can return) follows `return_possible`.
pub fn propose_options(case: &NewCase) -> Vec<Opt> {
    let mut opts = vec![
        Opt::string("to", case.to),
        Opt::string("initials", case.initials),
        Opt::integer("year", case.year),
        choice("reason", 0),
        Opt::string("tried", case.tried),
        Opt::boolean("return_possible", case.return_possible),
        Opt::boolean("ehcp", case.ehcp),
        Opt::boolean("looked_after", case.looked_after),
    ];
    let questions = [
        "q1_outcomes",
        "q2_needs",
        "q3_practical",
        "q4_heads",
        "q5_agencies",
        "q6_endeavours",
        "q7_parents",
        "q8_return",
    ];
    for q in questions {
        let answer = if q == "q8_return" && !case.return_possible {
            user::NO
        } else {
            YES
        };
        opts.push(choice(q, answer));
    }
    if let Some(n) = case.notes {
        opts.push(Opt::string("notes", n));
    }
    opts
}
