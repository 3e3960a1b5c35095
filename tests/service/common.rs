//! Set-up shared by the service tests: the example config, a clock standing on a school day
//! in term, a recording notifier, and people holding the config's Discord roles.
#![allow(dead_code)] // each test binary uses its own part of this

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use managed_moves::config::Config;
use managed_moves::domain::case::AgreementTerms;
use managed_moves::domain::suitability::{Answer, Suitability, SuitabilityAnswer};
use managed_moves::domain::{
    Action, Actor, Capacity, CaseRef, Command, Initials, MoveKind, MoveReason, Proposal, Pupil,
    Refusal, SchoolKey, Text, UserId, YearGroup,
};
use managed_moves::service::{ManualClock, RecordingNotifier, Service, ServiceError};
use managed_moves::store::Store;
use sqlx::SqlitePool;

pub const HOME: &str = "riverside";
pub const DESTINATION: &str = "hillcrest";
pub const UNINVOLVED: &str = "oakfield";

/// Tuesday 24 November 2026, 10:00 in London: a school day in the autumn term.
pub fn start_time() -> DateTime<Utc> {
    at(2026, 11, 24)
}

/// 10:00 UTC on a day.
pub fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 10, 0, 0).unwrap()
}

pub fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub fn config() -> Config {
    Config::parse(
        include_str!("../../config/example.toml"),
        Path::new("config"),
    )
    .expect("config/example.toml is valid")
}

pub fn school(key: &str) -> SchoolKey {
    SchoolKey::parse(key).unwrap()
}

pub fn text(raw: &str) -> Text {
    Text::parse("text", raw).unwrap()
}

pub struct World {
    pub service: Service,
    pub clock: Arc<ManualClock>,
    pub notifier: Arc<RecordingNotifier>,
}

pub async fn world(pool: SqlitePool) -> World {
    world_with(pool, |_| {}).await
}

/// [`world`] on the example config changed by `edit` (another policy, say).
pub async fn world_with(pool: SqlitePool, edit: impl FnOnce(&mut Config)) -> World {
    let store = Store::from_pool(pool)
        .await
        .expect("store over the test pool");
    let clock = Arc::new(ManualClock::new(start_time()));
    let notifier = Arc::new(RecordingNotifier::default());
    let mut config = config();
    edit(&mut config);
    let service = Service::new(store, &config, clock.clone(), notifier.clone());
    World {
        service,
        clock,
        notifier,
    }
}

impl World {
    /// Someone holding the Discord role(s) that config maps to `capacity`.
    pub fn person(&self, user: u64, capacity: Capacity) -> Actor {
        let roles = self.service.roles().roles_for(&capacity);
        assert!(
            !roles.is_empty(),
            "config grants {capacity:?} through no role"
        );
        let actor = self.service.actor(UserId(user), &roles);
        assert_eq!(actor.capacities, vec![capacity]);
        actor
    }

    pub fn head_of(&self, key: &str) -> Actor {
        let n = self
            .service
            .partnership()
            .schools
            .iter()
            .position(|s| s.key.as_str() == key);
        self.person(
            100 + 10 * n.expect("a known school") as u64,
            Capacity::Head(school(key)),
        )
    }

    pub fn staff_of(&self, key: &str) -> Actor {
        let n = self
            .service
            .partnership()
            .schools
            .iter()
            .position(|s| s.key.as_str() == key);
        self.person(
            101 + 10 * n.expect("a known school") as u64,
            Capacity::Staff(school(key)),
        )
    }

    pub fn coordinator(&self) -> Actor {
        self.person(900, Capacity::Coordinator)
    }

    pub fn seip(&self) -> Actor {
        self.person(901, Capacity::Seip)
    }

    pub fn admin(&self) -> Actor {
        self.person(902, Capacity::Admin)
    }

    /// A member of the server with only roles the partnership does not map.
    pub fn nobody(&self) -> Actor {
        let actor = self
            .service
            .actor(UserId(903), &[managed_moves::domain::RoleId(42)]);
        assert!(actor.capacities.is_empty());
        actor
    }

    pub async fn propose(&self, home: &str, destination: &str, kind: MoveKind) -> CaseRef {
        let command = Command::Propose(proposal(home, destination, kind));
        let outcome = self
            .service
            .execute(&self.head_of(home), command)
            .await
            .expect("proposal accepted");
        outcome.case.reference
    }

    /// Runs an action that the test expects to succeed.
    pub async fn act(&self, actor: &Actor, reference: CaseRef, action: Action) {
        let kind = action.kind();
        if let Err(e) = self.service.act(actor, reference, action).await {
            panic!("{kind:?} by {:?} failed: {e}", actor.capacities);
        }
    }

    /// Runs an action that the test expects to be refused, and returns the refusal.
    pub async fn refused(&self, actor: &Actor, reference: CaseRef, action: Action) -> Refusal {
        match self.service.act(actor, reference, action).await {
            Ok(outcome) => panic!("expected a refusal, got {:?}", outcome.events),
            Err(e) => refusal(e),
        }
    }

    pub async fn count(&self, table: &str) -> i64 {
        // `table` is always a literal in these tests.
        let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(self.service.store().pool())
            .await
            .unwrap()
    }

    /// The destination accepts `r`; the coordinator schedules the initial meeting for the
    /// first school day from `on`; the home head records both agreements given on `on` and
    /// the agreement (`weeks` from `start`), the destination signs it, and the home head gives
    /// the parent their copy. What is left before the start: the meeting held, the
    /// registration, the start itself.
    pub async fn agree(&self, r: CaseRef, on: NaiveDate, start: NaiveDate, weeks: u8) {
        let (home, destination) = (self.head_of(HOME), self.head_of(DESTINATION));
        self.act(&destination, r, Action::Accept).await;
        let meeting_day = self.service.partnership().calendar.on_or_after(on);
        let at = self.meeting_at(meeting_day);
        let schedule = Action::ScheduleMeeting { at, place: None };
        self.act(&self.coordinator(), r, schedule).await;
        let parent = Action::RecordParentConsent {
            witnessed_by: text("Mr Jones, head of year"),
            on,
            freely_given: true,
        };
        self.act(&home, r, parent).await;
        let pupil = Action::RecordPupilConsent { on, note: None };
        self.act(&home, r, pupil).await;
        let terms = terms(start, weeks);
        self.act(&home, r, Action::RecordAgreement { terms }).await;
        self.act(&destination, r, Action::SignAgreement).await;
        self.before_start(r, on).await;
        self.copy_given(r).await;
    }

    /// Issue 14's gates before the start: the safeguarding information shared by the home
    /// school and confirmed by the destination, a looked-after child's local-authority
    /// consent, and in an exam year (Year 10 here) the coordinators' extra approval and the
    /// destination's word on the exam courses.
    pub async fn before_start(&self, r: CaseRef, on: NaiveDate) {
        let (home, destination) = (self.head_of(HOME), self.head_of(DESTINATION));
        let shared = Action::RecordSafeguarding {
            dsl: text("Mrs Reid, designated safeguarding lead"),
            on,
            nothing_to_share: false,
        };
        self.act(&home, r, shared).await;
        self.act(&destination, r, Action::ConfirmSafeguarding).await;
        let case = self.service.show(&self.coordinator(), r).await.unwrap();
        if case.looked_after && case.la_consent.is_none() {
            let la = Action::RecordLocalAuthorityConsent {
                social_worker: text("The pupil's social worker"),
                on,
                parents_share: true,
            };
            self.act(&home, r, la).await;
        }
        if case.approval_asked.is_some() && case.extra_approval.is_none() {
            let approve = Action::DecideExtraApproval {
                approve: true,
                reason: None,
            };
            self.act(&self.coordinator(), r, approve).await;
            let courses = Action::RecordExamCourses {
                continues: managed_moves::domain::approvals::ExamCourses::Yes,
                note: None,
            };
            self.act(&destination, r, courses).await;
        }
    }

    /// The returning stage's three steps on `on`, each by the school that owns it: the
    /// reintegration meeting and plan (home head), both registers (each school's head).
    pub async fn reintegrate(&self, r: CaseRef, on: NaiveDate) {
        use managed_moves::domain::meetings::Attendance;
        let (home, destination) = (self.head_of(HOME), self.head_of(DESTINATION));
        let attendance = Attendance::parse("parent,home-staff", "whole").unwrap();
        let meeting = Action::RecordReintegrationMeeting { on, attendance };
        self.act(&home, r, meeting).await;
        let plan = Action::RecordReintegrationPlan {
            support: text("Daily check-in with the learning mentor."),
            targets: text("Attend every lesson."),
            contact: text("Head of year 9"),
        };
        self.act(&home, r, plan).await;
        for who in [&destination, &home] {
            let end = Action::EndRegistration {
                school: None,
                on,
                la_notified: on,
            };
            self.act(who, r, end).await;
        }
    }

    /// The home head records the parent's copy of the agreement as given today.
    pub async fn copy_given(&self, r: CaseRef) {
        let p = self.service.partnership();
        let copy = Action::RecordParentCopy {
            on: p.today(self.service.now()),
            how: text("By hand at the initial meeting"),
        };
        self.act(&self.head_of(HOME), r, copy).await;
    }

    pub fn meeting_at(&self, on: NaiveDate) -> DateTime<Utc> {
        self.service
            .partnership()
            .instant(on, NaiveTime::from_hms_opt(14, 0, 0).unwrap())
    }
}

pub fn refusal(error: ServiceError) -> Refusal {
    match error {
        ServiceError::Refused(r) => r,
        other => panic!("expected a refusal, got an internal error: {other}"),
    }
}

pub fn proposal(home: &str, destination: &str, kind: MoveKind) -> Proposal {
    let mut answers = vec![
        SuitabilityAnswer {
            answer: Answer::Yes,
            note: None
        };
        8
    ];
    if kind == MoveKind::ManagedTransfer {
        answers[7].answer = Answer::No;
    }
    Proposal {
        home: school(home),
        destination: school(destination),
        pupil: Pupil {
            initials: Initials::parse("A.B.").unwrap(),
            year: YearGroup::new(10).unwrap(),
        },
        kind,
        reason: MoveReason::Attendance,
        strategies_tried: text("Attendance panel, part-time timetable, family support worker."),
        ehcp: false,
        looked_after: false,
        suitability: Suitability::new(answers).unwrap(),
        baseline_attendance: None,
    }
}

pub fn terms(start: NaiveDate, weeks: u8) -> AgreementTerms {
    AgreementTerms {
        start,
        weeks,
        targets: text("Attendance above 90%."),
        pupil_champion: text("Learning mentor"),
        if_it_fails: text("Return to the home school."),
    }
}

/// The initial meeting recorded as held on `on`, with the usual people there (the CLI's
/// one-step form); the move cannot start without it.
pub fn meeting_held(on: NaiveDate) -> Action {
    use managed_moves::domain::meetings::Attendance;
    Action::RecordMeetingHeld {
        on,
        positives: Some(text("Keen to start.")),
        concerns: None,
        attendance: Some(
            Attendance::parse("parent,home-staff,destination-staff", "whole").unwrap(),
        ),
    }
}
