//! Test builders that read like the domain:
//! `CaseBuilder::proposed().accepted().agreed().active()`.
//!
//! Every case is made by the real `propose` / `decide` + `apply`, never by setting fields, so
//! a builder step that the rules refuse fails the test with the refusal's own words.

use std::path::Path;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use super::case::AgreementTerms;
use super::checklist::Rag;
use super::policy::Policy;
use super::suitability::{Answer, Suitability, SuitabilityAnswer};
use super::{
    decide, propose, Action, ActionKind, Actor, Capacity, Case, CaseRef, Context, Event, EventKind,
    Initials, MoveKind, MoveReason, Outcome, Partnership, Proposal, Pupil, Refusal, ReviewKind,
    SchoolKey, Text, UserId, YearGroup,
};
use crate::config::Config;

/// The home school of the default case.
pub const HOME: &str = "riverside";
/// The destination school of the default case.
pub const DESTINATION: &str = "hillcrest";
/// A school of the partnership that the default case does not involve.
pub const UNINVOLVED: &str = "oakfield";

/// Tuesday 24 November 2026, 10:00 UTC (10:00 in London): a school day in the autumn term.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 10, 0, 0).unwrap()
}

pub fn today() -> NaiveDate {
    now().date_naive()
}

pub fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
}

/// The shipped example config, parsed once.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            include_str!("../../config/example.toml"),
            Path::new("config"),
        )
        .expect("config/example.toml is valid")
    })
}

/// The example partnership: riverside, hillcrest and oakfield, seed policy, 2026-27 terms.
pub fn partnership() -> &'static Partnership {
    &config().partnership
}

/// The example partnership with a different policy.
pub fn partnership_with(change: impl FnOnce(&mut Policy)) -> Partnership {
    let mut p = partnership().clone();
    change(&mut p.policy);
    p
}

pub fn ctx(now: DateTime<Utc>) -> Context<'static> {
    Context {
        partnership: partnership(),
        now,
    }
}

/// A school key that the example partnership knows (panics on a typo in a test).
pub fn school(key: &str) -> SchoolKey {
    let key = SchoolKey::parse(key).expect("a well-formed school key");
    partnership()
        .school(&key)
        .expect("a school of the example partnership");
    key
}

pub fn text(raw: &str) -> Text {
    Text::parse("text", raw).expect("non-empty text")
}

fn school_index(key: &str) -> u64 {
    let key = school(key);
    partnership()
        .schools
        .iter()
        .position(|s| s.key == key)
        .unwrap() as u64
}

fn actor(user: u64, capacities: Vec<Capacity>) -> Actor {
    Actor {
        user: UserId(user),
        capacities,
    }
}

pub fn head_of(key: &str) -> Actor {
    actor(
        100 + 10 * school_index(key),
        vec![Capacity::Head(school(key))],
    )
}

pub fn staff_of(key: &str) -> Actor {
    actor(
        101 + 10 * school_index(key),
        vec![Capacity::Staff(school(key))],
    )
}

pub fn coordinator() -> Actor {
    actor(900, vec![Capacity::Coordinator])
}

pub fn seip() -> Actor {
    actor(901, vec![Capacity::Seip])
}

pub fn admin() -> Actor {
    actor(902, vec![Capacity::Admin])
}

/// Someone on the server with no partnership role.
pub fn nobody() -> Actor {
    actor(903, vec![])
}

/// Eight suitability answers, all yes except "can the pupil return".
pub fn suitability(can_return: Answer) -> Suitability {
    let mut answers = vec![
        SuitabilityAnswer {
            answer: Answer::Yes,
            note: None
        };
        8
    ];
    answers[super::suitability::CAN_RETURN].answer = can_return;
    Suitability::new(answers).expect("eight answers")
}

/// J.S., Y9, a managed move from riverside to hillcrest for risk of exclusion.
pub fn proposal() -> Proposal {
    Proposal {
        home: school(HOME),
        destination: school(DESTINATION),
        pupil: Pupil {
            initials: Initials::parse("J.S.").unwrap(),
            year: YearGroup::new(9).unwrap(),
        },
        kind: MoveKind::ManagedMove,
        reason: MoveReason::RiskOfExclusion,
        strategies_tried: text("Pastoral support plan, mentoring, reduced timetable."),
        ehcp: false,
        looked_after: false,
        suitability: suitability(Answer::Yes),
        baseline_attendance: None,
    }
}

pub fn terms(start: NaiveDate, weeks: u8) -> AgreementTerms {
    AgreementTerms {
        start,
        weeks,
        targets: text("Attend every lesson on time; no removals from class."),
        pupil_champion: text("Head of year 9 at the destination school"),
        if_it_fails: text("The pupil returns to the home school the next school day."),
    }
}

/// 14:00 London time on the first school day on or after `on`.
pub fn meeting_time(p: &Partnership, on: NaiveDate) -> DateTime<Utc> {
    p.instant(
        p.calendar.on_or_after(on),
        NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
    )
}

/// One well-formed action of each kind, dated `today` (`View` has no action: `None`).
pub fn sample_action(kind: ActionKind, today: NaiveDate) -> Option<Action> {
    use ActionKind as K;
    let note = || text("Noted at the meeting.");
    Some(match kind {
        K::View => return None,
        K::Accept => Action::Accept,
        K::Decline => Action::Decline {
            reason: text("No places in year 9."),
        },
        K::Withdraw => Action::Withdraw {
            reason: text("Needs met at home after all."),
        },
        K::PanelDecide => Action::PanelDecide {
            approve: true,
            reason: text("Panel agreed."),
        },
        K::ScheduleMeeting => Action::ScheduleMeeting {
            at: meeting_time(partnership(), today),
            place: Some(text("Hillcrest meeting room 2")),
        },
        K::RecordParentConsent => Action::RecordParentConsent {
            witnessed_by: text("Ms Patel, inclusion lead"),
            on: today,
            freely_given: true,
        },
        K::RecordPupilConsent => Action::RecordPupilConsent {
            on: today,
            note: None,
        },
        K::RecordEhcpAmendment => Action::RecordEhcpAmendment {
            on: today,
            note: Some(note()),
        },
        K::RecordVirtualSchool => Action::RecordVirtualSchool {
            on: today,
            contact: text("Virtual School head"),
        },
        K::RecordAgreement => Action::RecordAgreement {
            terms: terms(today, 6),
        },
        K::SignAgreement => Action::SignAgreement,
        K::RescheduleReview => Action::RescheduleReview {
            review: ReviewKind::Midpoint,
            on: today + chrono::Days::new(21),
            reason: text("Parent unavailable that week."),
        },
        K::StartMove => Action::StartMove { on: None },
        K::ConfirmRegistration => Action::ConfirmRegistration {
            school: None,
            from: today,
            la_notified: today,
        },
        K::UpdateNeeds => Action::UpdateNeeds {
            ehcp: true,
            looked_after: false,
            reason: text("The plan was issued last month."),
        },
        K::RateChecklist => Action::RateChecklist {
            item: partnership().checklist.items[0].key.clone(),
            rag: Rag::Green,
            comment: Some(note()),
        },
        K::LogCheckIn => Action::LogCheckIn {
            on: today,
            note: text("Settling well."),
        },
        K::RecordReview => Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: today,
            notes: text("Targets mostly met."),
        },
        K::RecordOutcome => Action::RecordOutcome {
            outcome: Outcome::Returned,
            note: note(),
        },
        K::Terminate => Action::Terminate {
            reason: text("Persistent failure to meet targets."),
        },
        K::RecordAttendance => Action::RecordAttendance {
            week: today,
            report: super::attendance::AttendanceReport {
                possible: 10,
                attended: 9,
                authorised: 1,
                unauthorised: 0,
                late: 1,
                incidents: 0,
                suspensions: 0,
                note: None,
            },
        },
        K::SnoozeReminder => Action::SnoozeReminder {
            key: "checklist_at_start".into(),
            until: today + chrono::Days::new(7),
            reason: text("Checklist meeting booked for next week."),
        },
        K::Extend => Action::Extend {
            weeks: 2,
            reason: text("Settling well; two more weeks to secure the gains."),
        },
        K::RecordReviewRequest => Action::RecordReviewRequest { on: today },
        K::RecordMeetingHeld => Action::RecordMeetingHeld {
            on: today,
            positives: Some(text("Keen to start; good rapport with the champion.")),
            concerns: Some(text("Bus journey is long.")),
            attendance: None,
        },
        K::RecordMeetingAttendees => Action::RecordMeetingAttendees {
            attendance: sample_attendance(),
        },
        K::RecordReviewDetails => Action::RecordReviewDetails {
            review: ReviewKind::Midpoint,
            details: sample_review_details(),
        },
        K::RecordReviewAttendees => Action::RecordReviewAttendees {
            review: ReviewKind::Midpoint,
            attendance: sample_attendance(),
        },
        K::BringFinalReviewForward => Action::BringFinalReviewForward {
            on: today,
            reason: text("Targets met early; both families agree."),
        },
        K::RecordNamedSchoolAmended => Action::RecordNamedSchoolAmended {
            on: today,
            note: None,
        },
        K::RecordVirtualSchoolTold => Action::RecordVirtualSchoolTold {
            on: today,
            contact: text("Virtual School head"),
        },
        K::RecordMainRegistration => Action::RecordMainRegistration {
            on: today,
            la_notified: today,
        },
        K::RecordRemovalFromRoll => Action::RecordRemovalFromRoll {
            on: today,
            la_notified: today,
        },
        K::RecordChildProtectionFile => Action::RecordChildProtectionFile {
            sent_on: Some(today),
        },
        K::ConfirmChildProtectionReceipt => Action::ConfirmChildProtectionReceipt {
            on: today,
            lead: text("Mr Shah, designated safeguarding lead"),
        },
        K::RecordTransferRecordsSent => Action::RecordTransferRecordsSent { on: today },
        K::DecideExtraApproval => Action::DecideExtraApproval {
            approve: true,
            reason: None,
        },
        K::RecordExamCourses => Action::RecordExamCourses {
            continues: super::approvals::ExamCourses::Yes,
            note: None,
        },
        K::RecordSafeguarding => Action::RecordSafeguarding {
            dsl: text("Mrs Reid, designated safeguarding lead"),
            on: today,
            nothing_to_share: false,
        },
        K::ConfirmSafeguarding => Action::ConfirmSafeguarding,
        K::RecordLocalAuthorityConsent => Action::RecordLocalAuthorityConsent {
            social_worker: text("The pupil's social worker"),
            on: today,
            parents_share: true,
        },
        K::RecordConsentWithdrawn => Action::RecordConsentWithdrawn {
            on: today,
            reason: text("The family want the pupil back at the home school."),
        },
        K::RecordReintegrationMeeting => Action::RecordReintegrationMeeting {
            on: today,
            attendance: sample_attendance(),
        },
        K::RecordReintegrationPlan => Action::RecordReintegrationPlan {
            support: text("Daily check-in with the learning mentor."),
            targets: text("Attend every lesson; no removals."),
            contact: text("Mr Shah, head of year"),
        },
        K::EndRegistration => Action::EndRegistration {
            school: None,
            on: today,
            la_notified: today,
        },
        K::RecordFollowUp => Action::RecordFollowUp {
            on_roll: true,
            attendance: super::attendance::Percent::from_tenths(925),
            suspensions: 0,
            note: None,
        },
        K::RecordParentCopy => Action::RecordParentCopy {
            on: today,
            how: text("By hand at the initial meeting"),
        },
        K::RecordNotice => Action::RecordNotice {
            on: today,
            how: text("By hand to the parent at the home school"),
            la_notified: Some(today),
        },
        K::TakeLead => Action::TakeLead { to: None },
        K::AskReopen => Action::AskReopen {
            reason: text("Declined by mistake: the school has a place after all."),
        },
        K::ConfirmReopen => Action::ConfirmReopen,
        K::PingOwner => Action::PingOwner {
            step: "answer_proposal".into(),
        },
    })
}

/// Progress on the two sample targets, with both views.
pub fn sample_review_details() -> crate::domain::review_record::ReviewDetails {
    use crate::domain::review_record::{Progress, ReviewDetails};
    ReviewDetails {
        attendance: Some(sample_attendance()),
        progress: vec![Progress::Met, Progress::Partly],
        parent_view: Some(text("Much happier going to school.")),
        pupil_view: Some(text("I like my new form.")),
        invited: Vec::new(),
    }
}

/// Parent, both schools' staff and the champion; the pupil there throughout.
pub fn sample_attendance() -> crate::domain::meetings::Attendance {
    use crate::domain::meetings::{Attendance, Attendee, PupilPresence};
    Attendance::new(
        vec![
            Attendee::ParentCarer,
            Attendee::HomeStaff,
            Attendee::DestinationStaff,
            Attendee::PupilChampion,
        ],
        PupilPresence::Whole,
    )
    .expect("not empty")
}

/// Builds a case one real step at a time. Proposal options (`transfer`, `ehcp`, ...) may be
/// set before or right after `proposed()`; later they would rewrite history, so they panic.
#[derive(Clone)]
pub struct CaseBuilder {
    partnership: Partnership,
    now: DateTime<Utc>,
    proposal: Proposal,
    weeks: u8,
    events: Vec<Event>,
    case: Option<Case>,
}

impl Default for CaseBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl CaseBuilder {
    /// Nothing proposed yet; the example partnership at [`now`].
    pub fn new() -> Self {
        Self {
            partnership: partnership().clone(),
            now: now(),
            proposal: proposal(),
            weeks: 6,
            events: Vec::new(),
            case: None,
        }
    }

    /// The default case, proposed by the head of riverside.
    pub fn proposed() -> Self {
        Self::new().propose()
    }

    // Options -------------------------------------------------------------------------

    pub fn transfer(self) -> Self {
        self.change_proposal(|p| {
            p.kind = MoveKind::ManagedTransfer;
            p.suitability = suitability(Answer::No);
        })
    }

    pub fn ehcp(self) -> Self {
        self.change_proposal(|p| p.ehcp = true)
    }

    pub fn looked_after(self) -> Self {
        self.change_proposal(|p| p.looked_after = true)
    }

    /// The pupil's year group (the default is Year 9, outside the exam years).
    pub fn year(self, year: u8) -> Self {
        self.change_proposal(|p| p.pupil.year = YearGroup::try_from(year).expect("7 to 13"))
    }

    pub fn with_policy(mut self, change: impl FnOnce(&mut Policy)) -> Self {
        change(&mut self.partnership.policy);
        self
    }

    /// The placement length `agreed()` records.
    pub fn weeks(mut self, weeks: u8) -> Self {
        self.weeks = weeks;
        self
    }

    /// Moves the builder's clock; later steps happen at this instant.
    pub fn at(mut self, now: DateTime<Utc>) -> Self {
        self.now = now;
        self
    }

    fn change_proposal(mut self, change: impl FnOnce(&mut Proposal)) -> Self {
        assert!(
            self.events.len() <= 1,
            "proposal options must be set before the case moves on"
        );
        change(&mut self.proposal);
        if self.case.is_some() {
            self.events.clear();
            self.case = None;
            self = self.propose();
        }
        self
    }

    // Reading -----------------------------------------------------------------------------

    pub fn case(&self) -> &Case {
        self.case.as_ref().expect("propose first")
    }

    pub fn build(self) -> Case {
        self.case.expect("propose first")
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    pub fn partnership(&self) -> &Partnership {
        &self.partnership
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn today(&self) -> NaiveDate {
        self.partnership.today(self.now)
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            partnership: &self.partnership,
            now: self.now,
        }
    }

    fn home(&self) -> Actor {
        head_of(self.proposal.home.as_str())
    }

    fn destination(&self) -> Actor {
        head_of(self.proposal.destination.as_str())
    }

    // Acting --------------------------------------------------------------------------

    pub fn propose(mut self) -> Self {
        assert!(self.case.is_none(), "already proposed");
        let kind = propose(&self.home(), &self.proposal, &self.context())
            .unwrap_or_else(|r| panic!("proposal refused: {r}"));
        let event = Event {
            by: self.home().user,
            at: self.now,
            kind,
        };
        self.case = Case::from_events(CaseRef::new(2026, 1), [&event]);
        self.events.push(event);
        self
    }

    /// What `decide` says, without changing the case.
    pub fn try_act(&self, actor: &Actor, action: &Action) -> Result<Vec<EventKind>, Refusal> {
        decide(self.case(), actor, action, &self.context())
    }

    /// Decides and applies; panics with the refusal if the rules say no.
    pub fn act(mut self, actor: &Actor, action: Action) -> Self {
        let kinds = self.try_act(actor, &action).unwrap_or_else(|r| {
            panic!("{:?} by {:?} refused: {r}", action.kind(), actor.capacities)
        });
        let case = self.case.as_mut().expect("propose first");
        for kind in kinds {
            let event = Event {
                by: actor.user,
                at: self.now,
                kind,
            };
            case.apply(&event);
            self.events.push(event);
        }
        self
    }

    fn sample(&self, kind: ActionKind) -> Action {
        sample_action(kind, self.today()).expect("an action")
    }

    /// The sample action of `kind`, by the actor `who` picks for this case.
    fn step(self, kind: ActionKind, who: impl FnOnce(&Self) -> Actor) -> Self {
        let (actor, action) = (who(&self), self.sample(kind));
        self.act(&actor, action)
    }

    pub fn accepted(self) -> Self {
        self.step(ActionKind::Accept, Self::destination)
    }

    pub fn declined(self) -> Self {
        self.step(ActionKind::Decline, Self::destination)
    }

    pub fn withdrawn(self) -> Self {
        self.step(ActionKind::Withdraw, Self::home)
    }

    /// The SEIP panel approves the transfer.
    pub fn approved(self) -> Self {
        self.act(
            &seip(),
            Action::PanelDecide {
                approve: true,
                reason: text("Panel agreed unanimously."),
            },
        )
    }

    /// The SEIP panel rejects the transfer (which closes it).
    pub fn rejected(self) -> Self {
        self.act(
            &seip(),
            Action::PanelDecide {
                approve: false,
                reason: text("A managed move should be tried first."),
            },
        )
    }

    pub fn meeting_scheduled(self) -> Self {
        self.step(ActionKind::ScheduleMeeting, |_| coordinator())
    }

    /// The initial meeting recorded as held, with who came (by destination staff).
    pub fn meeting_held(self) -> Self {
        self.step(ActionKind::RecordMeetingHeld, |_| staff_of(DESTINATION))
            .step(ActionKind::RecordMeetingAttendees, |_| {
                staff_of(DESTINATION)
            })
    }

    /// Meeting, parent and pupil agreement, EHCP / Virtual School when they apply, the
    /// agreement signed by both heads, and the parent's copy of it given. The SEIP panel is
    /// not included: see `approved()`.
    pub fn agreed(self) -> Self {
        self.agreed_without_copy().copy_given()
    }

    /// [`CaseBuilder::agreed`] up to the registration, before the parent's copy is given.
    pub fn agreed_without_copy(self) -> Self {
        let (home, destination) = (self.home(), self.destination());
        let today = self.today();
        let b = self.meeting_scheduled();
        let (ehcp, looked_after) = (b.case().ehcp, b.case().looked_after);
        let mut b = b.meeting_held();
        let gates = [
            (ActionKind::RecordParentConsent, true),
            (ActionKind::RecordPupilConsent, true),
            (ActionKind::RecordEhcpAmendment, ehcp),
            (ActionKind::RecordVirtualSchool, looked_after),
            (ActionKind::RecordLocalAuthorityConsent, looked_after),
        ];
        for (kind, applies) in gates {
            if applies {
                b = b.step(kind, Self::home);
            }
        }
        b = b
            .step(ActionKind::RecordSafeguarding, |_| staff_of(HOME))
            .step(ActionKind::ConfirmSafeguarding, |_| staff_of(DESTINATION));
        if b.case().approval_asked.is_some() {
            let approver = match b.case().approval_asked {
                Some(super::approvals::Approver::Seip) => seip(),
                _ => coordinator(),
            };
            b = b
                .step(ActionKind::DecideExtraApproval, |_| approver)
                .step(ActionKind::RecordExamCourses, |_| staff_of(DESTINATION));
        }
        let weeks = b.weeks;
        b.act(
            &home,
            Action::RecordAgreement {
                terms: terms(today, weeks),
            },
        )
        .act(&destination, Action::SignAgreement)
        .act(
            &destination,
            Action::ConfirmRegistration {
                school: None,
                from: today,
                la_notified: today,
            },
        )
    }

    /// The home head records the parent's copy of the agreement as given today.
    pub fn copy_given(self) -> Self {
        let home = self.home();
        self.step(ActionKind::RecordParentCopy, |_| home)
    }

    pub fn active(self) -> Self {
        let home = self.home();
        self.act(&home, Action::StartMove { on: None })
    }

    /// Records a review on the day the agreement set for it, moving the clock there (10:00
    /// in London) if it is later; the final review records the midpoint first when the
    /// policy requires it.
    pub fn reviewed(self, review: ReviewKind) -> Self {
        let mut b = self;
        if review == ReviewKind::Final
            && b.partnership.policy.midpoint_required
            && b.case().review(ReviewKind::Midpoint).is_none()
        {
            b = b.reviewed(ReviewKind::Midpoint);
        }
        let due = b.case().agreement.as_ref().map(|a| match review {
            ReviewKind::Midpoint => a.midpoint_review,
            ReviewKind::Final => a.final_review,
        });
        if let Some(due) = due.filter(|d| *d > b.today()) {
            let at = b
                .partnership
                .instant(due, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
            b = b.at(at);
        }
        // The final review comes after the midpoint: when a holiday (or a late clock) puts
        // both on one day, the final is held the next school day, as a partnership would.
        let midpoint_on = b.case().review(ReviewKind::Midpoint).map(|r| r.held_on);
        if review == ReviewKind::Final && midpoint_on.is_some_and(|m| m >= b.today()) {
            let next = b.partnership.calendar.add_school_days(b.today(), 1);
            let at = b
                .partnership
                .instant(next, NaiveTime::from_hms_opt(10, 0, 0).unwrap());
            b = b.at(at);
        }
        let home = b.home();
        let held_on = b.today();
        b.act(
            &home,
            Action::RecordReview {
                review,
                held_on,
                notes: text("Good progress against targets."),
            },
        )
    }

    fn final_review_held(self) -> Self {
        if self.case().review(ReviewKind::Final).is_some() {
            self
        } else {
            self.reviewed(ReviewKind::Final)
        }
    }

    /// Final review (unless held), the outcome "returned", and the whole returning stage:
    /// the case is closed, completed with the outcome "returned".
    pub fn returned(self) -> Self {
        self.returning().reintegrated()
    }

    /// Final review (unless held), then the destination head records that the pupil
    /// returns home: the case enters the returning stage.
    pub fn returning(self) -> Self {
        let destination = self.destination();
        self.final_review_held().act(
            &destination,
            Action::RecordOutcome {
                outcome: Outcome::Returned,
                note: text("Targets not met."),
            },
        )
    }

    /// Final review (unless held), then both heads confirm a permanent transfer.
    pub fn permanent(self) -> Self {
        let (home, destination) = (self.home(), self.destination());
        let confirm = || Action::RecordOutcome {
            outcome: Outcome::Permanent,
            note: text("Settled well."),
        };
        self.final_review_held()
            .act(&home, confirm())
            .act(&destination, confirm())
    }

    /// Ended early by the destination head, and (for a managed move) the whole returning
    /// stage: the case is closed, terminated.
    pub fn terminated(self) -> Self {
        let ended = self.terminating();
        if ended.case().state == crate::domain::CaseState::Returning {
            ended.reintegrated()
        } else {
            ended
        }
    }

    /// Ended early by the destination head: a managed move enters the returning stage.
    pub fn terminating(self) -> Self {
        self.step(ActionKind::Terminate, Self::destination)
    }

    /// After `permanent()`: the EHCP amendment and the Virtual School when they apply, and
    /// the destination's main registration, today.
    pub fn main_registered(self) -> Self {
        let (ehcp, looked_after) = (self.case().ehcp, self.case().looked_after);
        let mut b = self;
        if ehcp {
            b = b.step(ActionKind::RecordNamedSchoolAmended, Self::home);
        }
        if looked_after {
            b = b.step(ActionKind::RecordVirtualSchoolTold, |_| staff_of(HOME));
        }
        b.step(ActionKind::RecordMainRegistration, Self::destination)
    }

    /// ... and the home school's removal from roll on the same day.
    pub fn removed_from_roll(self) -> Self {
        self.main_registered()
            .step(ActionKind::RecordRemovalFromRoll, Self::home)
    }

    /// The sample action of `kind` by the home school's staff.
    pub fn step_as_home_staff(self, kind: ActionKind) -> Self {
        self.step(kind, |_| staff_of(HOME))
    }

    /// The whole transferring stage, with a child-protection file sent and received: the
    /// case closes, outcome permanent.
    pub fn transferred(self) -> Self {
        self.permanent()
            .removed_from_roll()
            .step(ActionKind::RecordChildProtectionFile, |_| staff_of(HOME))
            .step(ActionKind::ConfirmChildProtectionReceipt, |_| {
                staff_of(DESTINATION)
            })
            .step(ActionKind::RecordTransferRecordsSent, |_| staff_of(HOME))
    }

    /// The returning stage's three steps, by the schools that own them: the case closes.
    pub fn reintegrated(self) -> Self {
        let (home, destination) = (self.home(), self.destination());
        self.step(ActionKind::RecordReintegrationMeeting, |_| home.clone())
            .step(ActionKind::RecordReintegrationPlan, |_| home.clone())
            .step(ActionKind::EndRegistration, |_| destination)
            .step(ActionKind::EndRegistration, |_| home)
    }
}
