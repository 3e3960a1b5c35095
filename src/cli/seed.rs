//! `managed-moves seed --cases N`: fills the configured database with a large, realistic
//! partnership's worth of cases, so anyone can reproduce the benchmarks (benches/BENCHMARKS.md).
//!
//! Every case is made by the real rules: a script of commands (propose, accept, meeting,
//! consents, checklist, agreement, start, check-ins, reviews, outcome...) is run through
//! `domain::decide` and `Case::apply`, exactly as the service would, so the events and
//! snapshots are ones the bot could have written. Only the writing is different: thousands
//! of cases per transaction instead of one command per transaction, so 100,000 cases take
//! well under a few minutes. The same `--seed` and `--today` always give the same data.
//!
//! A hidden `--stream` mode instead sends each command through `Service::execute` (one
//! transaction per command, as the bot does) and prints `ack <case> <version>` after each
//! commit: the crash-safety test kills it mid-stream and checks every acknowledged command
//! survived.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};

use super::output::Output;
use crate::config::Config;
use crate::domain::attendance::{placement_weeks, week_of, AttendanceReport, Percent};
use crate::domain::calendar::Term;
use crate::domain::case::AgreementTerms;
use crate::domain::checklist::Rag;
use crate::domain::suitability::{Answer, Suitability, SuitabilityAnswer, QUESTIONS};
use crate::domain::{
    decide, propose, Action, Actor, Capacity, Case, CaseRef, CaseState, Command, Context, Event,
    EventKind, Initials, MoveKind, MoveReason, Outcome, Partnership, Proposal, Pupil, ReviewKind,
    SchoolKey, Text, UserId, YearGroup,
};
use crate::scheduler;
use crate::service::{ManualClock, NoopNotifier, Service, ServiceError};
use crate::store::{Store, StoreError};

/// The default "today" the seeded partnership has reached: fixed, so that a seed is
/// reproducible whenever it is run. Open cases are in flight on this day.
pub const DEFAULT_TODAY: &str = "2026-11-20";
/// Closed cases are spread over this many years before "today" (so retention has work).
const HISTORY_YEARS: u32 = 10;

/// `managed-moves seed`.
#[derive(Debug, Clone, clap::Args)]
pub struct SeedArgs {
    /// How many cases to add.
    #[arg(long, default_value_t = 1000)]
    pub cases: u64,
    /// Seed for the generator: the same seed (and --today) gives the same cases.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// The day the partnership has reached: open cases are in flight on it.
    #[arg(long, default_value = DEFAULT_TODAY)]
    pub today: String,
    /// realistic: mostly closed cases over ten years, about 10% open; active: every case
    /// is an active move (for the scheduler benchmark).
    #[arg(long, value_enum, default_value_t = Mix::Realistic)]
    pub mix: Mix,
    /// Cases per transaction.
    #[arg(long, default_value_t = 1000, hide = true)]
    pub batch: usize,
    /// One command per transaction through the service, printing `ack CASE VERSION` after
    /// each commit (used by the crash-safety test).
    #[arg(long, hide = true)]
    pub stream: bool,
    /// Add to a database that already holds cases (the crash-safety test's repeated runs).
    #[arg(long, hide = true)]
    pub append: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mix {
    Realistic,
    Active,
}

/// What to seed (the library form of [`SeedArgs`]).
#[derive(Debug, Clone)]
pub struct SeedOptions {
    pub cases: u64,
    pub seed: u64,
    pub today: NaiveDate,
    pub mix: Mix,
    pub batch: usize,
}

impl SeedOptions {
    pub fn new(cases: u64) -> Self {
        Self {
            cases,
            seed: 7,
            today: NaiveDate::parse_from_str(DEFAULT_TODAY, "%Y-%m-%d").expect("valid default"),
            mix: Mix::Realistic,
            batch: 1000,
        }
    }
}

/// What a seed wrote.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    pub cases: u64,
    pub events: u64,
    pub by_state: BTreeMap<&'static str, u64>,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Store(#[from] StoreError),
    /// The generator asked for something the rules refuse: a bug in the generator.
    #[error("the rules refused seeded command {step} on a {state} case: {message}")]
    Refused {
        step: String,
        state: String,
        message: String,
    },
    #[error("{0}")]
    Service(#[from] ServiceError),
}

/// Entry point for the CLI.
pub async fn run(config: &Config, args: SeedArgs, out: &Output) -> ExitCode {
    let today = match NaiveDate::parse_from_str(args.today.trim(), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => return out.fatal("--today: give a date like 2026-11-20"),
    };
    let options = SeedOptions {
        cases: args.cases,
        seed: args.seed,
        today,
        mix: args.mix,
        batch: args.batch.max(1),
    };
    let store = match Store::open(&config.database_path).await {
        Ok(s) => s,
        Err(e) => {
            return out.fatal(&format!(
                "cannot open the database {}: {e}",
                config.database_path.display()
            ))
        }
    };
    // Seeded cases are made up: mixed into a live partnership's database they could not
    // be told apart from real ones.
    match super::guards::case_count(store.pool()).await {
        Ok(0) => {}
        Ok(_) if args.append => {}
        Ok(n) => {
            return out.fatal(&format!(
                "{} already holds {n} cases; seed only fills a new, empty database (give --database a new file)",
                config.database_path.display()
            ))
        }
        Err(e) => return out.fatal(&format!("cannot count the cases: {e}")),
    }
    if args.stream {
        return match stream(&store, config, &options).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => out.fatal(&e.to_string()),
        };
    }
    match seed(&store, config, &options).await {
        Ok(report) => {
            let states: Vec<String> = report
                .by_state
                .iter()
                .map(|(s, n)| format!("{s} {n}"))
                .collect();
            let size = database_bytes(&config.database_path);
            out.line(&format!(
                "Seeded {} cases ({} events) in {:.1} s into {} as of {today} (seed {}): {}. The database is now {:.1} MB.",
                report.cases,
                report.events,
                report.elapsed.as_secs_f64(),
                config.database_path.display(),
                options.seed,
                states.join(", "),
                size as f64 / 1e6,
            ))
        }
        Err(e) => out.fatal(&e.to_string()),
    }
}

/// The database file plus its write-ahead log, in bytes.
pub fn database_bytes(path: &Path) -> u64 {
    ["", "-wal"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

/// Adds `options.cases` cases, in batches of `options.batch` per transaction. Open cases
/// get their reminders planned as the service would plan them at 16:00 on `today`.
pub async fn seed(
    store: &Store,
    config: &Config,
    options: &SeedOptions,
) -> Result<SeedReport, SeedError> {
    let started = Instant::now();
    let p = seed_partnership(&config.partnership, options.today);
    let cast = Cast::new(&p);
    let plans = plan(options);
    let limit = p.instant(options.today, hm(16, 0));
    let mut report = SeedReport::default();
    let mut next_number: HashMap<u16, u32> = HashMap::new();
    for chunk in plans.chunks(options.batch.max(1)) {
        let mut scripts = Vec::with_capacity(chunk.len());
        for plan in chunk {
            scripts.push(script(&p, &cast, plan, limit)?);
        }
        let mut tx = store.begin_write().await?;
        for s in scripts {
            let Some(mut case) = s.case else { continue };
            let year = p.today(case.proposed.at).year() as u16;
            let number = match next_number.get(&year) {
                Some(n) => *n,
                None => Store::next_reference(&mut tx, year).await?.number,
            };
            next_number.insert(year, number + 1);
            case.reference = CaseRef::new(year, number);
            let due = crate::domain::next_step::next_due(&case, &p);
            let id = Store::insert_case(&mut tx, &case, due, &s.events).await?;
            if !case.state.is_closed() {
                scheduler::replan(&mut tx, id, &case, &p, &config.reminders, limit).await?;
            }
            report.cases += 1;
            report.events += s.events.len() as u64;
            *report.by_state.entry(case.state.as_str()).or_default() += 1;
        }
        tx.commit().await.map_err(StoreError::from)?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The hidden `--stream` mode: every step of every case through `Service::execute`, one
/// transaction each, acknowledged on stdout only after it committed.
pub async fn stream(
    store: &Store,
    config: &Config,
    options: &SeedOptions,
) -> Result<(), SeedError> {
    let mut config = config.clone();
    config.partnership = seed_partnership(&config.partnership, options.today);
    let p = config.partnership.clone();
    let cast = Cast::new(&p);
    let limit = p.instant(options.today, hm(16, 0));
    let clock = Arc::new(ManualClock::new(limit));
    let service = Service::new(
        store.clone(),
        &config,
        clock.clone(),
        Arc::new(NoopNotifier),
    );
    let stdout = std::io::stdout();
    for plan in plan(options) {
        let s = script(&p, &cast, &plan, limit)?;
        let mut reference = None;
        for step in s.steps {
            clock.set(step.at);
            let command = match step.command {
                StepCommand::Propose(proposal) => Command::Propose(proposal),
                StepCommand::Act(action) => Command::Case {
                    reference: reference.expect("a case's first step is its proposal"),
                    action,
                },
            };
            let outcome = service.execute(&step.actor, command).await?;
            reference = Some(outcome.case.reference);
            let mut lock = stdout.lock();
            // Printed only after the commit returned: this is the acknowledgement.
            writeln!(
                lock,
                "ack {} {}",
                outcome.case.reference, outcome.case.version
            )
            .and_then(|_| lock.flush())
            .map_err(|e| SeedError::Store(StoreError::Io(e)))?;
        }
    }
    Ok(())
}

/// The partnership as configured, with its term dates repeated into earlier and later
/// years when config lists only the current ones, so that historical cases keep to term
/// time (meetings on school days, reviews moved past the holidays) under the real rules.
pub fn seed_partnership(partnership: &Partnership, today: NaiveDate) -> Partnership {
    let mut p = partnership.clone();
    let terms = &partnership.calendar.terms;
    let (Some(first), Some(last)) = (
        terms.iter().map(|t| t.start).min(),
        terms.iter().map(|t| t.end).max(),
    ) else {
        return p;
    };
    let from = today
        .checked_sub_months(Months::new(12 * (HISTORY_YEARS + 1)))
        .unwrap_or(today);
    let to = today.checked_add_months(Months::new(24)).unwrap_or(today);
    for shift in 1..=(HISTORY_YEARS as i32 + 3) {
        for sign in [-1, 1] {
            let months = Months::new(12 * shift as u32);
            let moved = |d: NaiveDate| {
                if sign < 0 {
                    d.checked_sub_months(months)
                } else {
                    d.checked_add_months(months)
                }
            };
            for t in terms {
                let (Some(start), Some(end)) = (moved(t.start), moved(t.end)) else {
                    continue;
                };
                let outside = end < first || start > last;
                if outside && end >= from && start <= to {
                    p.calendar.terms.push(Term { start, end });
                }
            }
        }
    }
    p.calendar.terms.sort_by_key(|t| t.start);
    p
}

/// A case to make: the state it should reach, when it was proposed, and its own seed.
#[derive(Debug, Clone, Copy)]
struct Plan {
    target: CaseState,
    proposed_on: NaiveDate,
    seed: u64,
}

/// Target states per thousand cases, for the realistic mix: about 10% open.
const REALISTIC: [(CaseState, u64); 11] = [
    (CaseState::Proposed, 15),
    (CaseState::Accepted, 10),
    (CaseState::Agreeing, 25),
    (CaseState::Active, 50),
    (CaseState::Completed, 535),
    (CaseState::Terminated, 110),
    (CaseState::Declined, 100),
    (CaseState::Withdrawn, 80),
    (CaseState::Rejected, 50),
    (CaseState::Transferring, 15),
    (CaseState::Returning, 10),
];

/// Every case's plan, sorted by proposal date so that references run in date order.
fn plan(options: &SeedOptions) -> Vec<Plan> {
    let mut rng = Rng::new(options.seed);
    let today = options.today;
    let history_days = u64::from(HISTORY_YEARS) * 365;
    let mut plans: Vec<Plan> = (0..options.cases)
        .map(|_| {
            let target = match options.mix {
                Mix::Active => CaseState::Active,
                Mix::Realistic => {
                    let mut roll = rng.below(1000);
                    let mut chosen = CaseState::Completed;
                    for (state, weight) in REALISTIC {
                        if roll < weight {
                            chosen = state;
                            break;
                        }
                        roll -= weight;
                    }
                    chosen
                }
            };
            // Days before today the proposal was made: recent for open cases, long enough
            // ago for closed ones to have run their course.
            let back = match target {
                CaseState::Proposed => rng.range(0, 6),
                CaseState::Accepted => rng.range(2, 14),
                CaseState::Agreeing => rng.range(5, 20),
                CaseState::Active => rng.range(21, 63),
                // Long enough for the placement to have run and both heads to have confirmed.
                CaseState::Transferring => rng.range(120, 160),
                // Ended early a few weeks in, the reintegration not yet done.
                CaseState::Returning => rng.range(40, 60),
                _ => rng.range(230, history_days),
            };
            Plan {
                target,
                proposed_on: today - Days::new(back),
                seed: rng.next_u64(),
            }
        })
        .collect();
    plans.sort_by_key(|p| p.proposed_on);
    plans
}

/// The people who act in seeded cases, by capacity.
struct Cast {
    schools: Vec<SchoolKey>,
    heads: Vec<Actor>,
    staff: Vec<Actor>,
    seip: Actor,
    coordinator: Actor,
}

impl Cast {
    fn new(p: &Partnership) -> Self {
        let actor = |user: u64, capacity: Capacity| Actor {
            user: UserId(user),
            capacities: vec![capacity],
        };
        let schools: Vec<SchoolKey> = p.schools.iter().map(|s| s.key.clone()).collect();
        Cast {
            heads: (0..schools.len())
                .map(|i| actor(100_000 + 10 * i as u64, Capacity::Head(schools[i].clone())))
                .collect(),
            staff: (0..schools.len())
                .map(|i| actor(100_001 + 10 * i as u64, Capacity::Staff(schools[i].clone())))
                .collect(),
            seip: actor(90_001, Capacity::Seip),
            coordinator: actor(90_002, Capacity::Coordinator),
            schools,
        }
    }
}

/// One command of a case's script, with who sends it and when.
#[derive(Debug, Clone)]
pub struct Step {
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub command: StepCommand,
}

#[derive(Debug, Clone)]
pub enum StepCommand {
    Propose(Proposal),
    Act(Action),
}

/// A case run through the rules: its steps, its events, and the case they fold into.
struct Script<'p> {
    p: &'p Partnership,
    now: DateTime<Utc>,
    limit: DateTime<Utc>,
    stopped: bool,
    case: Option<Case>,
    events: Vec<Event>,
    steps: Vec<Step>,
}

impl Script<'_> {
    fn today(&self) -> NaiveDate {
        self.p.today(self.now)
    }

    /// Moves the clock to a school day at least `days` after today, at a local time.
    fn later(&mut self, days: u64, time: NaiveTime) -> NaiveDate {
        let day = self.p.calendar.on_or_after(self.today() + Days::new(days));
        self.at(day, time);
        day
    }

    fn at(&mut self, day: NaiveDate, time: NaiveTime) {
        let t = self.p.instant(day, time);
        if t > self.now {
            self.now = t;
        }
        if self.now > self.limit {
            self.stopped = true;
        }
    }

    fn propose(&mut self, actor: &Actor, proposal: Proposal) -> Result<(), SeedError> {
        let ctx = Context {
            partnership: self.p,
            now: self.now,
        };
        let kind = propose(actor, &proposal, &ctx).map_err(|r| refused("propose", None, &r))?;
        let event = Event {
            by: actor.user,
            at: self.now,
            kind,
        };
        self.case = Case::from_events(CaseRef::new(1, 1), [&event]);
        self.events.push(event);
        self.steps.push(Step {
            actor: actor.clone(),
            at: self.now,
            command: StepCommand::Propose(proposal),
        });
        Ok(())
    }

    /// Runs one action if the clock has not passed the limit; false once it has.
    fn act(&mut self, actor: &Actor, action: Action) -> Result<bool, SeedError> {
        if self.stopped {
            return Ok(false);
        }
        let case = self.case.as_mut().expect("proposed first");
        let ctx = Context {
            partnership: self.p,
            now: self.now,
        };
        let kinds: Vec<EventKind> = decide(case, actor, &action, &ctx)
            .map_err(|r| refused(&format!("{:?}", action.kind()), Some(case.state), &r))?;
        for kind in kinds {
            let event = Event {
                by: actor.user,
                at: self.now,
                kind,
            };
            case.apply(&event);
            self.events.push(event);
        }
        self.steps.push(Step {
            actor: actor.clone(),
            at: self.now,
            command: StepCommand::Act(action),
        });
        Ok(true)
    }

    fn state(&self) -> CaseState {
        self.case.as_ref().map_or(CaseState::Proposed, |c| c.state)
    }
}

fn refused(step: &str, state: Option<CaseState>, r: &crate::domain::Refusal) -> SeedError {
    SeedError::Refused {
        step: step.to_string(),
        state: state.map_or("new", |s| s.as_str()).to_string(),
        message: r.message().to_string(),
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid time")
}

/// One of the phrases, as recorded free text.
fn say(rng: &mut Rng, phrases: &[&str]) -> Text {
    text(phrases[rng.below(phrases.len() as u64) as usize])
}

fn text(s: &str) -> Text {
    Text::parse("text", s).expect("seed text is valid")
}

const TRIED: [&str; 8] = [
    "Pastoral support plan; mentoring; two fixed-term suspensions",
    "Attendance panel; family support worker; part-time timetable",
    "Behaviour support plan, alternative provision two days a week",
    "Learning mentor, reduced timetable, CAMHS referral",
    "Restorative meetings; report card; parenting support",
    "Early help assessment; educational psychologist; nurture group",
    "In-school unit for a term; anger-management sessions",
    "Mentoring by a sixth-former; daily check-in with head of year",
];
const NOTES: [&str; 6] = [
    "Bus route checked; 25 minutes each way",
    "Needs understood by both SENCOs",
    "Parents keen and able to support",
    "Peer group at the destination is settled",
    "Receiving school has a place in the nurture group",
    "Social worker consulted",
];
const STAFF: [&str; 5] = [
    "Ms A. Khan, inclusion lead",
    "Mr R. Patel, head of year",
    "Mrs L. Evans, deputy head",
    "Mr T. O'Neill, SENCO",
    "Ms J. Okafor, pastoral lead",
];
const TARGETS: [&str; 4] = [
    "Attend every lesson; use the agreed time-out card; no more than 2 behaviour points a week",
    "Attendance above 95%; on time every day; homework handed in",
    "Meet the learning mentor weekly; no internal exclusions",
    "Follow the uniform and phone policy; complete the reading plan",
];
const CHECK_INS: [&str; 5] = [
    "Settling well; one late arrival",
    "Good week; made friends in tutor group",
    "Two behaviour points; talked it through with mentor",
    "Attendance 100% this fortnight",
    "Struggling in maths; extra support arranged",
];
const REVIEWS: [&str; 4] = [
    "Targets mostly met; attendance 96%",
    "Good progress; family pleased",
    "Mixed: attendance good, behaviour points rising",
    "All targets met; pupil wants to stay",
];

/// Builds one case's script by running each command through the rules.
fn script<'p>(
    p: &'p Partnership,
    cast: &Cast,
    plan: &Plan,
    limit: DateTime<Utc>,
) -> Result<Script<'p>, SeedError> {
    use CaseState as S;
    let mut rng = Rng::new(plan.seed);
    // Attendance draws from its own stream, so the rest of each case is as before.
    let mut attendance = Rng::new(plan.seed.rotate_left(17) ^ 0xA77E);
    let n = cast.schools.len();
    let home_i = rng.below(n as u64) as usize;
    let dest_i = (home_i + 1 + rng.below(n as u64 - 1) as usize) % n;
    let (home, dest) = (&cast.heads[home_i], &cast.heads[dest_i]);
    let dest_staff = &cast.staff[dest_i];
    let target = plan.target;
    let panel = p.policy.transfer_needs_panel;
    let transfer = (target == S::Rejected && panel) || rng.chance(12);
    let ehcp = rng.chance(15);
    let looked_after = rng.chance(8);
    let proposed_on = p.calendar.on_or_after(plan.proposed_on);
    let mut s = Script {
        p,
        now: p.instant(
            proposed_on,
            hm(9 + rng.below(6) as u32, 5 * rng.below(12) as u32),
        ),
        limit,
        stopped: false,
        case: None,
        events: Vec::new(),
        steps: Vec::new(),
    };
    let answers: Vec<SuitabilityAnswer> = (0..QUESTIONS.len())
        .map(|i| {
            let answer = if i == QUESTIONS.len() - 1 {
                if transfer {
                    Answer::No
                } else {
                    Answer::Yes
                }
            } else if rng.chance(85) {
                Answer::Yes
            } else {
                Answer::Unsure
            };
            let note = rng.chance(20).then(|| say(&mut rng, &NOTES));
            SuitabilityAnswer { answer, note }
        })
        .collect();
    let initials: String = (0..2 + rng.below(2))
        .map(|_| char::from(b'A' + rng.below(26) as u8))
        .collect();
    let proposal = Proposal {
        home: cast.schools[home_i].clone(),
        destination: cast.schools[dest_i].clone(),
        pupil: Pupil {
            initials: Initials::parse(&initials).expect("letters are initials"),
            year: YearGroup::new(7 + rng.below(5) as i64).expect("secondary year"),
        },
        kind: if transfer {
            MoveKind::ManagedTransfer
        } else {
            MoveKind::ManagedMove
        },
        reason: if rng.chance(70) {
            MoveReason::RiskOfExclusion
        } else {
            MoveReason::Attendance
        },
        strategies_tried: say(&mut rng, &TRIED),
        ehcp,
        looked_after,
        suitability: Suitability::new(answers).expect("eight answers"),
        baseline_attendance: attendance
            .chance(70)
            .then(|| Percent::from_tenths(attendance.range(650, 960) as u16)),
    };
    s.propose(home, proposal)?;
    if target == S::Proposed {
        return Ok(s);
    }
    s.later(1 + rng.below(4), hm(10, 0));
    if target == S::Declined {
        s.act(
            dest,
            Action::Decline {
                reason: text("We cannot meet the pupil's needs this term"),
            },
        )?;
        return Ok(s);
    }
    if target == S::Withdrawn && rng.chance(40) {
        s.act(
            home,
            Action::Withdraw {
                reason: text("Family found another way forward"),
            },
        )?;
        return Ok(s);
    }
    s.act(dest, Action::Accept)?;
    if transfer && panel {
        if target == S::Accepted {
            return Ok(s);
        }
        s.later(2 + rng.below(6), hm(15, 0));
        let approve = target != S::Rejected;
        s.act(
            &cast.seip,
            Action::PanelDecide {
                approve,
                reason: text(if approve {
                    "Panel met; transfer supported"
                } else {
                    "Panel asks for a managed move with a right to return first"
                }),
            },
        )?;
        if !approve {
            return Ok(s);
        }
    }
    if target == S::Accepted {
        return Ok(s);
    }
    if target == S::Withdrawn {
        s.later(1 + rng.below(5), hm(12, 0));
        s.act(
            home,
            Action::Withdraw {
                reason: text("Parents no longer support the move"),
            },
        )?;
        return Ok(s);
    }
    // Agreeing: the meeting, the checklist, consents and the agreement.
    let meeting_day = p
        .calendar
        .on_or_after(s.today() + Days::new(3 + rng.below(5)));
    let scheduler = if rng.chance(30) {
        &cast.coordinator
    } else {
        dest
    };
    s.act(
        scheduler,
        Action::ScheduleMeeting {
            at: p.instant(meeting_day, hm(10, 0)),
            place: rng
                .chance(60)
                .then(|| text("Destination school, meeting room 2")),
        },
    )?;
    let rater = if rng.chance(50) { dest_staff } else { dest };
    let items = &p.checklist.items;
    for _ in 0..3 + rng.below(6) {
        let item = &items[rng.below(items.len() as u64) as usize];
        let rag = *rng.pick(&[Rag::Green, Rag::Green, Rag::Amber, Rag::Red]);
        s.act(
            rater,
            Action::RateChecklist {
                item: item.key.clone(),
                rag,
                comment: rng
                    .chance(30)
                    .then(|| text("Discussed at the planning call")),
            },
        )?;
    }
    let agreeing_stop = (target == S::Agreeing).then(|| rng.below(5));
    s.at(meeting_day, hm(11, 30));
    s.act(
        dest_staff,
        Action::RecordMeetingHeld {
            on: meeting_day,
            positives: Some(text("The pupil spoke well about a fresh start")),
            concerns: Some(text("The journey is long")),
            attendance: Some(seed_attendance()),
        },
    )?;
    s.act(
        home,
        Action::RecordParentConsent {
            witnessed_by: say(&mut rng, &STAFF),
            on: meeting_day,
            freely_given: true,
        },
    )?;
    if agreeing_stop == Some(0) {
        return Ok(s);
    }
    s.act(
        home,
        Action::RecordPupilConsent {
            on: meeting_day,
            note: rng
                .chance(30)
                .then(|| text("Pupil keen to make a fresh start")),
        },
    )?;
    if ehcp {
        s.act(
            home,
            Action::RecordEhcpAmendment {
                on: meeting_day,
                note: None,
            },
        )?;
    }
    if looked_after {
        s.act(
            home,
            Action::RecordVirtualSchool {
                on: meeting_day,
                contact: text("Virtual School head, by phone"),
            },
        )?;
        s.act(
            home,
            Action::RecordLocalAuthorityConsent {
                social_worker: text("The pupil's social worker, by phone"),
                on: meeting_day,
                parents_share: true,
            },
        )?;
    }
    // Issue 14's gates: the safeguarding information, and in exam years the extra
    // approval and the exam courses.
    s.act(
        home,
        Action::RecordSafeguarding {
            dsl: text("Designated safeguarding lead"),
            on: meeting_day,
            nothing_to_share: false,
        },
    )?;
    s.act(dest_staff, Action::ConfirmSafeguarding)?;
    if s.case.as_ref().is_some_and(|c| c.approval_asked.is_some()) {
        s.act(
            &cast.coordinator,
            Action::DecideExtraApproval {
                approve: true,
                reason: None,
            },
        )?;
        s.act(
            dest_staff,
            Action::RecordExamCourses {
                continues: crate::domain::approvals::ExamCourses::Yes,
                note: None,
            },
        )?;
    }
    if agreeing_stop == Some(1) {
        return Ok(s);
    }
    let max = p.policy.max_weeks.max(1);
    let weeks = if target == S::Active {
        max
    } else {
        (6 + rng.below(7) as u8).min(max)
    };
    let start = p
        .calendar
        .on_or_after(meeting_day + Days::new(3 + rng.below(5)));
    s.act(
        home,
        Action::RecordAgreement {
            terms: AgreementTerms {
                start,
                weeks,
                targets: say(&mut rng, &TARGETS),
                pupil_champion: say(&mut rng, &STAFF),
                if_it_fails: text("Returns to the home school with a reintegration plan"),
            },
        },
    )?;
    if agreeing_stop == Some(2) {
        return Ok(s);
    }
    s.act(dest, Action::SignAgreement)?;
    if agreeing_stop.is_some() {
        return Ok(s);
    }
    // Active: dual registration, check-ins, reviews.
    s.at(start, hm(8, 30));
    s.act(
        dest,
        Action::ConfirmRegistration {
            school: None,
            from: start,
            la_notified: start,
        },
    )?;
    s.act(
        home,
        Action::RecordParentCopy {
            on: start,
            how: text("Given by hand at the home school"),
        },
    )?;
    s.act(dest, Action::StartMove { on: None })?;
    // The home school's code D, the same day (due within one school day of the start).
    s.act(
        home,
        Action::ConfirmRegistration {
            school: None,
            from: start,
            la_notified: start,
        },
    )?;
    let (midpoint, final_day) = {
        let a = s.case.as_ref().and_then(|c| c.agreement.as_ref());
        a.map(|a| (a.midpoint_review, a.final_review))
            .unwrap_or((start, start))
    };
    // A holiday can push both reviews onto the same first day of term: the final review
    // then follows on the next school day, after the midpoint.
    let final_day = if final_day <= midpoint {
        p.calendar.add_school_days(midpoint, 1)
    } else {
        final_day
    };
    let terminate_at = (target == S::Terminated).then(|| {
        let span = (final_day - start).num_days().max(14) as u64;
        start + Days::new(7 + rng.below(span - 7))
    });
    // A case left returning is ended early within its first weeks, so it has by today.
    let terminate_at = terminate_at
        .or_else(|| (target == S::Returning).then(|| start + Days::new(7 + rng.below(7))));
    let home_staff = &cast.staff[home_i];
    let mut day = start;
    let mut midpoint_done = false;
    loop {
        day = p.calendar.on_or_after(day + Days::new(7 + rng.below(8)));
        if day >= final_day {
            break;
        }
        if !midpoint_done && day >= midpoint {
            s.at(midpoint, hm(14, 0));
            s.act(
                dest_staff_or_head(rng.chance(50), dest_staff, dest),
                Action::RecordReview {
                    review: ReviewKind::Midpoint,
                    held_on: midpoint,
                    notes: say(&mut rng, &REVIEWS),
                },
            )?;
            midpoint_done = true;
        }
        if let Some(t) = terminate_at.filter(|t| *t <= day) {
            s.at(t, hm(13, 0));
            s.act(
                dest,
                Action::Terminate {
                    reason: text("Persistent failure to meet the agreed targets"),
                },
            )?;
            reintegrate(&mut s, target, [home, home_staff, dest_staff])?;
            return Ok(s);
        }
        s.at(day, hm(15, 30));
        if !s.act(
            dest_staff,
            Action::LogCheckIn {
                on: day,
                note: say(&mut rng, &CHECK_INS),
            },
        )? {
            return Ok(s);
        }
        if !report_week(&mut s, dest_staff, day, &mut attendance)? {
            return Ok(s);
        }
    }
    if target == S::Active || s.state() != S::Active {
        return Ok(s);
    }
    if let Some(t) = terminate_at {
        s.at(t.min(final_day), hm(13, 0));
        s.act(
            dest,
            Action::Terminate {
                reason: text("Serious breach of the behaviour policy"),
            },
        )?;
        reintegrate(&mut s, target, [home, home_staff, dest_staff])?;
        return Ok(s);
    }
    if !midpoint_done {
        // The final review needs the midpoint review first (policy.midpoint_required).
        s.at(midpoint, hm(14, 0));
        if !s.act(
            dest,
            Action::RecordReview {
                review: ReviewKind::Midpoint,
                held_on: midpoint,
                notes: text("Reviewed against the targets with the family"),
            },
        )? {
            return Ok(s);
        }
    }
    s.at(final_day, hm(14, 0));
    s.act(
        dest,
        Action::RecordReview {
            review: ReviewKind::Final,
            held_on: final_day,
            notes: say(&mut rng, &REVIEWS),
        },
    )?;
    let outcome = if transfer || target == S::Transferring || rng.chance(60) {
        Outcome::Permanent
    } else {
        Outcome::Returned
    };
    let note = text("Agreed at the final review");
    s.act(
        dest,
        Action::RecordOutcome {
            outcome,
            note: note.clone(),
        },
    )?;
    if outcome == Outcome::Permanent {
        s.act(home, Action::RecordOutcome { outcome, note })?;
        if target != S::Transferring {
            let home_staff = &cast.staff[home_i];
            transfer_steps(&mut s, home, dest, home_staff, dest_staff, &mut rng)?;
        }
    }
    reintegrate(&mut s, target, [home, home_staff, dest_staff])?;
    Ok(s)
}

/// The transferring stage, from the day both heads confirmed: the roll change that day,
/// the records within the school days the law gives.
fn transfer_steps(
    s: &mut Script,
    home: &Actor,
    dest: &Actor,
    home_staff: &Actor,
    dest_staff: &Actor,
    rng: &mut Rng,
) -> Result<(), SeedError> {
    let (ehcp, looked_after) = s
        .case
        .as_ref()
        .map_or((false, false), |c| (c.ehcp, c.looked_after));
    let on = s.today();
    if ehcp {
        s.act(home, Action::RecordNamedSchoolAmended { on, note: None })?;
    }
    if looked_after {
        s.act(
            home_staff,
            Action::RecordVirtualSchoolTold {
                on,
                contact: text("Virtual School head, by email"),
            },
        )?;
    }
    let la_notified = on;
    s.act(dest, Action::RecordMainRegistration { on, la_notified })?;
    s.act(home, Action::RecordRemovalFromRoll { on, la_notified })?;
    let sent = s.later(1 + rng.below(3), hm(11, 0));
    let cp_file = rng.chance(20);
    s.act(
        home_staff,
        Action::RecordChildProtectionFile {
            sent_on: cp_file.then_some(sent),
        },
    )?;
    if cp_file {
        s.act(
            dest_staff,
            Action::ConfirmChildProtectionReceipt {
                on: sent,
                lead: say(rng, &STAFF),
            },
        )?;
    }
    let records = s.later(2 + rng.below(8), hm(12, 0));
    s.act(
        home_staff,
        Action::RecordTransferRecordsSent { on: records },
    )?;
    Ok(())
}

/// The returning stage of a managed move's return, over the next school days: the
/// reintegration meeting, the plan and both register changes, so the case closes. A case
/// meant to stay returning is left there.
fn reintegrate(
    s: &mut Script,
    target: CaseState,
    [home, home_staff, dest_staff]: [&Actor; 3],
) -> Result<(), SeedError> {
    let Some(begun) = s.case.as_ref().and_then(|c| c.returning.as_ref()) else {
        return Ok(());
    };
    if target == CaseState::Returning {
        return Ok(());
    }
    let returned = s.p.today(begun.begun.at);
    let calendar = &s.p.calendar;
    let (registers, meeting) = (
        calendar.add_school_days(returned, 1),
        calendar.add_school_days(returned, 3),
    );
    s.at(registers, hm(9, 0));
    for (by, la) in [(dest_staff, registers), (home_staff, registers)] {
        let end = Action::EndRegistration {
            school: None,
            on: registers,
            la_notified: la,
        };
        if !s.act(by, end)? {
            return Ok(());
        }
    }
    s.at(meeting, hm(10, 0));
    let attendance = crate::domain::meetings::Attendance::parse("parent,home-staff", "whole")
        .map_err(|r| refused("RecordReintegrationMeeting", None, &r))?;
    if !s.act(
        home_staff,
        Action::RecordReintegrationMeeting {
            on: meeting,
            attendance,
        },
    )? {
        return Ok(());
    }
    s.act(
        home,
        Action::RecordReintegrationPlan {
            support: text("Daily check-in with the learning mentor for the first half-term"),
            targets: text("Attend every lesson; no removals from class"),
            contact: text("Head of year"),
        },
    )?;
    Ok(())
}

/// The destination's attendance report for the school week containing `day`, when that
/// week is one of the placement's and not yet reported: mostly full weeks, some absence.
fn report_week(
    s: &mut Script,
    by: &Actor,
    day: NaiveDate,
    rng: &mut Rng,
) -> Result<bool, SeedError> {
    let Some(case) = s.case.as_ref() else {
        return Ok(false);
    };
    let monday = week_of(day);
    let Some(week) = placement_weeks(case, s.p)
        .into_iter()
        .find(|w| w.monday == monday && w.first_day <= day)
    else {
        return Ok(true);
    };
    if case.attendance.contains_key(&monday) {
        return Ok(true);
    }
    let before = week.first_day.pred_opt().unwrap_or(week.first_day);
    let days = s.p.calendar.school_days_between(before, week.due).max(1);
    let possible = (2 * days).min(10) as u16;
    let absent = [0, 0, 0, 0, 0, 1, 1, 2, 3, 4][rng.below(10) as usize].min(possible);
    let authorised = absent.div_ceil(2);
    let attended = possible - absent;
    s.act(
        by,
        Action::RecordAttendance {
            week: day,
            report: AttendanceReport {
                possible,
                attended,
                authorised,
                unauthorised: absent - authorised,
                late: (rng.below(2) as u16).min(attended),
                incidents: 0,
                suspensions: 0,
                note: None,
            },
        },
    )
}

fn dest_staff_or_head<'a>(staff: bool, dest_staff: &'a Actor, dest: &'a Actor) -> &'a Actor {
    if staff {
        dest_staff
    } else {
        dest
    }
}

/// SplitMix64: small, fast and good enough to make varied, reproducible data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in lo..hi.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo))
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Who came to a seeded initial meeting: the usual group, the pupil there throughout.
fn seed_attendance() -> crate::domain::meetings::Attendance {
    use crate::domain::meetings::{Attendance, Attendee, PupilPresence};
    let who = vec![
        Attendee::ParentCarer,
        Attendee::HomeStaff,
        Attendee::DestinationStaff,
        Attendee::PupilChampion,
    ];
    Attendance::new(who, PupilPresence::Whole).expect("not empty")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partnership() -> Partnership {
        let text = include_str!("../../config/example.toml");
        crate::config::Config::parse(text, Path::new("config"))
            .expect("example config")
            .partnership
    }

    #[test]
    fn every_planned_case_follows_the_rules_and_reaches_its_state() {
        let p = seed_partnership(&partnership(), SeedOptions::new(1).today);
        let cast = Cast::new(&p);
        let options = SeedOptions::new(600);
        let limit = p.instant(options.today, hm(16, 0));
        let mut reached: BTreeMap<&str, u64> = BTreeMap::new();
        for plan in plan(&options) {
            let s = script(&p, &cast, &plan, limit).expect("the rules accept every step");
            let case = s.case.expect("proposed");
            assert_eq!(case.version as usize, s.events.len());
            assert!(case.updated_at <= limit, "no event after today");
            if case.state == plan.target {
                *reached.entry(case.state.as_str()).or_default() += 1;
            }
        }
        for state in CaseState::ALL {
            assert!(
                reached.get(state.as_str()).copied().unwrap_or(0) > 0,
                "no case reached {state}: {reached:?}"
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let p = seed_partnership(&partnership(), SeedOptions::new(1).today);
        let cast = Cast::new(&p);
        let options = SeedOptions::new(50);
        let limit = p.instant(options.today, hm(16, 0));
        let run = || {
            plan(&options)
                .iter()
                .map(|plan| script(&p, &cast, plan, limit).unwrap().events)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(), run());
    }
}
