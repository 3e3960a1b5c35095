//! Documents and statistics against cases run through the real service, with known answers.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use managed_moves::config::Config;
use managed_moves::domain::input::ProposalInput;
use managed_moves::domain::meetings::Attendance;
use managed_moves::domain::review_record::{Progress, ReviewDetails};
use managed_moves::domain::{
    Action, AgreementTermsInput, Capacity, CaseRef, Command, Outcome, ReviewKind, SchoolKey, Text,
    UserId,
};
use managed_moves::service::reports::DocumentKind;
use managed_moves::service::{ManualClock, RecordingNotifier, Service};
use managed_moves::stats::Period;
use managed_moves::store::Store;

struct World {
    service: Service,
    clock: Arc<ManualClock>,
}

fn config() -> Config {
    Config::parse(
        include_str!("../../config/example.toml"),
        Path::new("config"),
    )
    .expect("example config")
}

impl World {
    async fn new() -> Self {
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 2, 9, 30, 0).unwrap(),
        ));
        let store = Store::in_memory().await.expect("store");
        let service = Service::new(
            store,
            &config(),
            clock.clone(),
            Arc::new(RecordingNotifier::default()),
        );
        Self { service, clock }
    }

    fn person(&self, user: u64, capacity: Capacity) -> managed_moves::domain::Actor {
        let roles = self.service.roles().roles_for(&capacity);
        self.service.actor(UserId(user), &roles)
    }

    fn head(&self, school: &str) -> managed_moves::domain::Actor {
        let user = match school {
            "riverside" => 1001,
            "hillcrest" => 1011,
            _ => 1021,
        };
        self.person(user, Capacity::Head(SchoolKey::parse(school).unwrap()))
    }

    async fn propose(&self, from: &str, to: &str, initials: &str) -> CaseRef {
        let input = ProposalInput {
            home: from.into(),
            destination: to.into(),
            initials: initials.into(),
            year: 9,
            reason: "exclusion".into(),
            strategies_tried: "Mentoring".into(),
            return_possible: true,
            answers: "yes,yes,yes,yes,yes,yes,yes,yes".into(),
            ..Default::default()
        };
        let outcome = self
            .service
            .execute(&self.head(from), Command::Propose(input.parse().unwrap()))
            .await
            .expect("proposal accepted");
        outcome.case.reference
    }

    async fn act(&self, who: &managed_moves::domain::Actor, case: CaseRef, action: Action) {
        self.service
            .act(who, case, action)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn at(&self, y: i32, m: u32, d: u32, h: u32) {
        let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let p = self.service.partnership();
        self.clock
            .set(p.instant(day, NaiveTime::from_hms_opt(h, 0, 0).unwrap()));
    }

    /// A managed move from riverside to hillcrest, all the way to a permanent transfer.
    async fn completed_move(&self) -> CaseRef {
        let (home, dest) = (self.head("riverside"), self.head("hillcrest"));
        let case = self.propose("riverside", "hillcrest", "J.S.").await;
        self.act(&dest, case, Action::Accept).await;
        let meeting = self.service.partnership().instant(
            NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        );
        self.act(
            &dest,
            case,
            Action::ScheduleMeeting {
                at: meeting,
                place: None,
            },
        )
        .await;
        self.at(2026, 11, 9, 12);
        let today = NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
        let text = |s: &str| Text::parse("note", s).unwrap();
        self.act(
            &home,
            case,
            Action::RecordParentConsent {
                witnessed_by: text("Ms A. Khan"),
                on: today,
                freely_given: true,
            },
        )
        .await;
        self.act(
            &home,
            case,
            Action::RecordPupilConsent {
                on: today,
                note: None,
            },
        )
        .await;
        let terms = AgreementTermsInput {
            start: "2026-11-16".into(),
            weeks: 12,
            targets: "Attend every lesson; use the time-out card".into(),
            pupil_champion: "Mr D. Okafor".into(),
            if_it_fails: "Returns to the home school with a reintegration plan".into(),
        }
        .parse()
        .unwrap();
        self.act(&home, case, Action::RecordAgreement { terms })
            .await;
        self.clock.advance(Duration::days(2));
        self.act(&dest, case, Action::SignAgreement).await;
        self.at(2026, 11, 16, 9);
        self.act(&dest, case, crate::common::meeting_held(today))
            .await;
        let first_day = NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
        let registered = Action::ConfirmRegistration {
            school: None,
            from: first_day,
            la_notified: first_day,
        };
        self.act(&dest, case, registered).await;
        // Issue 14: the safeguarding information, shared and received (Year 9: no extra
        // approval).
        let shared = Action::RecordSafeguarding {
            dsl: text("Mrs Reid, DSL"),
            on: today,
            nothing_to_share: true,
        };
        self.act(&home, case, shared).await;
        self.act(&dest, case, Action::ConfirmSafeguarding).await;
        let copy = Action::RecordParentCopy {
            on: first_day,
            how: text("By hand at the home school"),
        };
        self.act(&home, case, copy).await;
        self.act(&dest, case, Action::StartMove { on: None }).await;
        self.at(2027, 2, 8, 15);
        let held = NaiveDate::from_ymd_opt(2027, 2, 8).unwrap();
        let midpoint = Action::RecordReview {
            review: ReviewKind::Midpoint,
            held_on: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
            notes: text("Good progress"),
        };
        self.act(&dest, case, midpoint).await;
        self.act(
            &dest,
            case,
            Action::RecordReview {
                review: ReviewKind::Final,
                held_on: held,
                notes: text("All targets met"),
            },
        )
        .await;
        let details = ReviewDetails {
            attendance: Some(Attendance::parse("parent,home-staff,champion", "part").unwrap()),
            progress: vec![Progress::Met, Progress::Partly],
            parent_view: Some(text("Much happier, capybara-view")),
            pupil_view: Some(text("I have friends here")),
            invited: Vec::new(),
        };
        let review = ReviewKind::Final;
        self.act(&dest, case, Action::RecordReviewDetails { review, details })
            .await;
        for who in [&dest, &home] {
            self.act(
                who,
                case,
                Action::RecordOutcome {
                    outcome: Outcome::Permanent,
                    note: text("Agreed"),
                },
            )
            .await;
        }
        // The transferring stage, the same day: the case closes, outcome permanent.
        let (on, la_notified) = (held, held);
        self.act(
            &dest,
            case,
            Action::RecordMainRegistration { on, la_notified },
        )
        .await;
        self.act(
            &home,
            case,
            Action::RecordRemovalFromRoll { on, la_notified },
        )
        .await;
        self.act(
            &home,
            case,
            Action::RecordChildProtectionFile { sent_on: None },
        )
        .await;
        self.act(&home, case, Action::RecordTransferRecordsSent { on })
            .await;
        case
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[tokio::test]
async fn the_agreement_pdf_holds_everything_that_was_agreed_and_who_signed() {
    let world = World::new().await;
    let case = world.completed_move().await;
    let coordinator = world.person(1, Capacity::Coordinator);
    let doc = world
        .service
        .document(&coordinator, case, DocumentKind::Agreement)
        .await
        .unwrap();
    assert_eq!(doc.filename, "MM-2026-0001-agreement.pdf");
    let text = pdf_text(&doc.bytes);
    for expected in [
        "Riverside Secondary Inclusion Partnership",
        "MM-2026-0001",
        "J.S. (Y9)",
        "Riverside Academy",
        "Hillcrest School",
        "Monday 16 November 2026",
        "12 weeks",
        "Attend every lesson",
        "Mr D. Okafor",
        "reintegration plan",
        "home school and the parent/carer",
        "agreed freely on Monday 9 November 2026, as heard by Ms A. Khan",
        "signed by Discord user 1001 on 9 November 2026",
        "signed by Discord user 1011 on 11 November 2026",
    ] {
        assert!(
            text.contains(expected),
            "agreement PDF lacks {expected:?}:\n{text}"
        );
    }
}

#[tokio::test]
async fn the_final_review_record_shows_the_notes_checklist_and_outcome() {
    let world = World::new().await;
    let case = world.completed_move().await;
    let doc = world
        .service
        .document(
            &world.head("hillcrest"),
            case,
            DocumentKind::Review(ReviewKind::Final),
        )
        .await
        .unwrap();
    let text = pdf_text(&doc.bytes);
    for expected in [
        "Final review record",
        "All targets met",
        "NOT RATED",
        "Who came",
        "Parent/carer, home school staff, pupil champion; the pupil was there for part of the meeting",
        "Met",
        "Attend every lesson",
        "Partly met",
        "use the time-out card",
        "Attendance so far",
        "capybara-view",
        "I have friends here",
        "permanent transfer to the destination school",
    ] {
        assert!(
            text.contains(expected),
            "review PDF lacks {expected:?}:\n{text}"
        );
    }
}

#[tokio::test]
async fn documents_are_refused_before_they_exist_and_to_people_outside_the_case() {
    let world = World::new().await;
    let case = world.propose("riverside", "hillcrest", "A.B.").await;
    let refusal = world
        .service
        .document(&world.head("riverside"), case, DocumentKind::Agreement)
        .await
        .unwrap_err();
    assert!(
        refusal.to_string().contains("no agreement yet"),
        "{refusal}"
    );
    let outsider = world
        .service
        .document(&world.head("oakfield"), case, DocumentKind::Agreement)
        .await
        .unwrap_err();
    assert!(
        outsider
            .to_string()
            .contains("no case MM-2026-0001 that you can see"),
        "{outsider}"
    );
}

#[tokio::test]
async fn a_case_record_is_exported_only_to_coordinators() {
    let world = World::new().await;
    let case = world.completed_move().await;
    // Not a head of the case, nor an admin (whose role is configuration and backups).
    for outsider in [world.head("riverside"), world.person(7, Capacity::Admin)] {
        let refused = world.service.export(&outsider, case).await.unwrap_err();
        assert!(
            refused.to_string().contains("Only coordinators can export"),
            "{refused}"
        );
    }
    let (text, json) = world
        .service
        .export(&world.person(8, Capacity::Coordinator), case)
        .await
        .unwrap();
    let text = String::from_utf8(text.bytes).unwrap();
    assert!(
        text.contains("Proposed a managed move") && text.contains("Completed: permanent transfer"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_slice(&json.bytes).unwrap();
    // proposed, accepted, meeting, two consents, agreement, signature, meeting held and who
    // came, the destination's registration, the safeguarding information shared and
    // received, the parent's copy, start, midpoint and final reviews, the final review's
    // details, two confirmations, the transfer begun, its four steps (the roll change on both
    // sides, no child-protection file, the records sent) and completion.
    assert_eq!(json["events"].as_array().unwrap().len(), 25);
    assert_eq!(json["case"]["state"], "completed");
}

#[tokio::test]
async fn statistics_count_moves_endings_and_times_per_school() {
    let world = World::new().await;
    world.completed_move().await;
    world.at(2026, 11, 3, 10);
    let declined = world.propose("hillcrest", "oakfield", "C.D.").await;
    world
        .act(
            &world.head("oakfield"),
            declined,
            Action::Decline {
                reason: Text::parse("reason", "No places in Y9").unwrap(),
            },
        )
        .await;
    world.propose("oakfield", "riverside", "E.F.").await;

    let period = Period {
        from: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 8, 31).unwrap(),
    };
    let all = world
        .service
        .stats(&world.person(1, Capacity::Coordinator), period)
        .await
        .unwrap();
    assert_eq!(all.cases, 3);
    let riverside = &all.schools[&SchoolKey::parse("riverside").unwrap()];
    assert_eq!(
        (
            riverside.sent,
            riverside.received,
            riverside.permanent,
            riverside.open
        ),
        (1, 1, 1, 1)
    );
    let oakfield = &all.schools[&SchoolKey::parse("oakfield").unwrap()];
    assert_eq!(
        (oakfield.sent, oakfield.received, oakfield.declined),
        (1, 1, 1)
    );
    assert_eq!(
        (all.totals.permanent, all.totals.declined, all.totals.open),
        (1, 1, 1)
    );
    assert_eq!(all.open_by_state.get("proposed"), Some(&1));
    // Proposed 2 Nov 09:30; fully signed 11 Nov 12:00 (9.1 days); completed 8 Feb 15:00.
    let to_agreement = all.mean_days_to_agreement.unwrap();
    assert!((to_agreement - 9.1).abs() < 0.05, "{to_agreement}");
    assert!((all.mean_days_to_outcome.unwrap() - 98.23).abs() < 0.05);
    assert_eq!(all.flows.len(), 3);

    // A head sees only their own school's figures.
    let mine = world
        .service
        .stats(&world.head("hillcrest"), period)
        .await
        .unwrap();
    assert_eq!(
        mine.schools.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
        vec!["hillcrest"]
    );
    assert_eq!(mine.cases, 2);

    // SEIP members and staff get a clear refusal; an outside period counts nothing.
    let seip = world
        .service
        .stats(&world.person(5, Capacity::Seip), period)
        .await
        .unwrap_err();
    assert!(seip.to_string().contains("Statistics are for coordinators"));
    let empty = Period {
        from: NaiveDate::from_ymd_opt(2025, 9, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 8, 31).unwrap(),
    };
    assert_eq!(
        world
            .service
            .stats(&world.person(1, Capacity::Coordinator), empty)
            .await
            .unwrap()
            .cases,
        0
    );
}

#[tokio::test]
async fn the_statistics_chart_is_a_png_of_the_expected_size() {
    let world = World::new().await;
    world.completed_move().await;
    let period = Period {
        from: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2027, 8, 31).unwrap(),
    };
    let figures = world
        .service
        .stats(&world.person(1, Capacity::Coordinator), period)
        .await
        .unwrap();
    let png = managed_moves::stats::render_png(&figures, world.service.partnership()).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let reader = decoder.read_info().expect("a valid PNG");
    assert_eq!((reader.info().width, reader.info().height), (1000, 720));
    // Not blank: the chart drew more than the white background.
    let mut reader = reader;
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).unwrap();
    let coloured = pixels.chunks(3).filter(|p| p != &[255, 255, 255]).count();
    assert!(coloured > 5_000, "only {coloured} non-white pixels");
}

#[tokio::test]
async fn the_agreement_pdf_lists_the_eight_suitability_answers() {
    let world = World::new().await;
    let case = world.completed_move().await;
    let coordinator = world.person(1, Capacity::Coordinator);
    let doc = world
        .service
        .document(&coordinator, case, DocumentKind::Agreement)
        .await
        .unwrap();
    let text = pdf_text(&doc.bytes);
    assert!(
        text.contains("Suitability, as answered at the proposal"),
        "{text}"
    );
    for n in 1..=8 {
        assert!(text.contains(&format!("{n}. ")), "question {n}:\n{text}");
    }
    assert!(text.contains("Can the pupil return if the move does not work out?"));
    assert_eq!(text.matches("YES").count(), 8, "{text}");
}
