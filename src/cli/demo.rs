//! `managed-moves demo`: a sample partnership walks one managed move from proposal to
//! permanent transfer (the roll change and the records, to the case's close), and starts a managed transfer that waits for the SEIP panel, so a
//! newcomer sees the whole process work in a few seconds, without Discord.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};

use super::output::{sayln, Output};
use super::ActCommand;
use crate::config::Config;
use crate::domain::{Actor, Capacity, CaseRef, Command, SchoolKey, UserId};
use crate::service::{ManualClock, NoopNotifier, Service, ServiceError};
use crate::store::Store;
use crate::view;

struct Demo<'a> {
    service: Service,
    clock: Arc<ManualClock>,
    config: &'a Config,
}

/// The demo's people: (label, user ID, capacity).
fn person(demo: &Demo, user: u64, capacity: Capacity) -> Actor {
    let roles = demo.service.roles().roles_for(&capacity);
    demo.service.actor(UserId(user), &roles)
}

pub async fn run(config: &Config, database: &Path, out: &Output) -> ExitCode {
    // The demo always starts from an empty database of its own, never the real one: a
    // file it did not make is refused before anything is removed.
    if let Err(refusal) = super::guards::may_be_demo_database(database).await {
        return out.fatal(&refusal);
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    let store = match Store::open(database).await {
        Ok(s) => s,
        Err(e) => return out.fatal(&format!("cannot create the demo database: {e}")),
    };
    if let Err(e) = super::guards::mark_demo_database(store.pool()).await {
        return out.fatal(&format!("cannot create the demo database: {e}"));
    }
    let schools: Vec<SchoolKey> = config
        .partnership
        .schools
        .iter()
        .map(|s| s.key.clone())
        .collect();
    let start = config.partnership.instant(date(2026, 11, 2), time(9, 15));
    let clock = Arc::new(ManualClock::new(start));
    let service = Service::new(store, config, clock.clone(), Arc::new(NoopNotifier));
    let demo = Demo {
        service,
        clock,
        config,
    };
    let walked = match walk(&demo, &schools).await {
        Ok(reference) => walk_return(&demo, &schools).await.map(|_| reference),
        Err(e) => Err(e),
    };
    match walked {
        Ok(reference) => {
            sayln!(
                "\nThe demo database is {}. Look around, or carry on by hand:",
                database.display()
            );
            let db = database.display();
            sayln!("  cargo run -- --database {db} board --as 1 --role coordinator");
            sayln!("  cargo run -- --database {db} list --as 1 --role coordinator --all");
            sayln!("  cargo run -- --database {db} history {reference} --as 1 --role coordinator");
            sayln!("  cargo run -- --database {db} act --as 5 --role seip panel MM-2026-0002 --decision approve --reason \"Panel met; transfer supported\"");
            ExitCode::SUCCESS
        }
        Err(e) => out.error(&e),
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid demo date")
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid demo time")
}

impl Demo<'_> {
    fn at(&self, day: NaiveDate, t: NaiveTime) {
        self.clock.set(self.config.partnership.instant(day, t));
        sayln!("\n— {} —", day.format("%A %-d %B %Y"));
    }

    /// Runs one CLI-style command as `who`, printing what happened.
    async fn step(&self, who: (&str, &Actor), args: &[&str]) -> Result<CaseRef, ServiceError> {
        use clap::Parser;
        #[derive(Parser)]
        struct One {
            #[command(subcommand)]
            action: ActCommand,
        }
        let parsed = One::try_parse_from(std::iter::once("act").chain(args.iter().copied()))
            .expect("demo commands are well-formed");
        let command: Command = parsed.action.into_command(&self.config.partnership)?;
        let outcome = self.service.execute(who.1, command).await?;
        for event in &outcome.events {
            sayln!(
                "  ✔ {}: {} [{}]",
                who.0,
                event.kind.summary(&self.config.partnership),
                outcome.case.reference
            );
        }
        Ok(outcome.case.reference)
    }

    /// Shows a refusal the way a person would see it.
    async fn refused(&self, who: (&str, &Actor), args: &[&str]) {
        match self.step(who, args).await {
            Ok(_) => sayln!("  (unexpectedly allowed)"),
            Err(e) => {
                // A group's verb is its first two words (`transfer registered`).
                let verb = if args[0] == "transfer" {
                    args[..2].join(" ")
                } else {
                    args[0].to_string()
                };
                sayln!("  ✖ {} tried `{verb}` — the bot says: {e}", who.0)
            }
        }
    }
}

async fn walk(demo: &Demo<'_>, schools: &[SchoolKey]) -> Result<CaseRef, ServiceError> {
    let p = &demo.config.partnership;
    let (home, dest, third) = (&schools[0], &schools[1], &schools[2]);
    let home_head = person(demo, 1001, Capacity::Head(home.clone()));
    let dest_head = person(demo, 1011, Capacity::Head(dest.clone()));
    let dest_staff = person(demo, 1012, Capacity::Staff(dest.clone()));
    let third_head = person(demo, 1021, Capacity::Head(third.clone()));
    let coordinator = person(demo, 1, Capacity::Coordinator);
    let hh = ("Head of ".to_string() + &p.school_name(home), &home_head);
    let dh = ("Head of ".to_string() + &p.school_name(dest), &dest_head);
    let (hh, dh) = ((hh.0.as_str(), hh.1), (dh.0.as_str(), dh.1));
    let ds = (
        "Inclusion lead at ".to_string() + &p.school_name(dest),
        &dest_staff,
    );
    let ds = (ds.0.as_str(), ds.1);

    let name = p.policy.name();
    let article = crate::domain::family::article(name);
    sayln!("{} — {article} {name}, start to finish.", p.name);
    demo.at(date(2026, 11, 2), time(9, 15));
    let r = demo
        .step(
            hh,
            &[
                "propose",
                "--from",
                home.as_str(),
                "--to",
                dest.as_str(),
                "--initials",
                "J.S.",
                "--year",
                "9",
                "--reason",
                "exclusion",
                "--tried",
                "Pastoral support plan, mentoring, two fixed-term suspensions",
                "--answers",
                "yes,yes,yes,unsure,yes,yes,yes,yes",
                "--note",
                "3=Bus route checked; 25 minutes",
                "--baseline",
                "78.5",
            ],
        )
        .await?;
    let case = r.to_string();
    let c = case.as_str();
    demo.refused(ds, &["accept", c]).await;
    let th = ("Head of ".to_string() + &p.school_name(third), &third_head);
    let th = (th.0.as_str(), th.1);
    demo.refused(th, &["accept", c]).await;
    demo.step(dh, &["accept", c]).await?;

    sayln!("\nMeanwhile, a managed transfer (no return) that needs the SEIP panel:");
    let t = demo
        .step(
            th,
            &[
                "propose",
                "--from",
                third.as_str(),
                "--to",
                home.as_str(),
                "--initials",
                "A.B.",
                "--year",
                "10",
                "--reason",
                "attendance",
                "--tried",
                "Attendance panel, family support worker",
                "--return-possible",
                "no",
                "--answers",
                "yes,yes,yes,yes,yes,yes,yes,no",
            ],
        )
        .await?;
    let transfer = t.to_string();
    demo.step(hh, &["accept", &transfer]).await?;
    sayln!("  → the SEIP panel is asked to decide on {t}; the transfer cannot start until it approves.");
    demo.refused(hh, &["start", &transfer]).await;
    let co = ("Coordinator", &coordinator);
    sayln!("  → a Year 10 pupil: the coordinators' extra approval is asked too (exam courses), never by a head on the case.");
    demo.refused(hh, &["approval", &transfer, "--decision", "approve"])
        .await;
    demo.step(co, &["approval", &transfer, "--decision", "approve"])
        .await?;
    demo.step(
        hh,
        &[
            "exam-courses",
            &transfer,
            "--continues",
            "partly",
            "--note",
            "GCSE triple science continues as combined science",
        ],
    )
    .await?;

    sayln!("\nBack to {c}:");
    demo.step(
        dh,
        &[
            "meeting",
            c,
            "--at",
            "2026-11-09 10:00",
            "--place",
            "Hillcrest, meeting room 2",
        ],
    )
    .await?;
    demo.refused(hh, &["start", c]).await;

    demo.at(date(2026, 11, 9), time(11, 30));
    demo.step(
        hh,
        &[
            "parent-consent",
            c,
            "--witnessed-by",
            "Ms A. Khan, inclusion lead",
            "--on",
            "2026-11-09",
            "--freely-given",
        ],
    )
    .await?;
    demo.step(hh, &["pupil-consent", c, "--on", "2026-11-09"])
        .await?;
    demo.step(
        ds,
        &[
            "meeting-held",
            c,
            "--on",
            "2026-11-09",
            "--attendees",
            "parent,home-staff,destination-staff,champion",
            "--pupil",
            "whole",
            "--positives",
            "Keen to make a fresh start; good rapport with the learning mentor",
            "--concerns",
            "The bus journey is long",
        ],
    )
    .await?;
    for (item, rating) in [
        ("parents.transition-advice", "green"),
        ("parents.attended-meeting", "green"),
        ("staff.frank-exchange", "green"),
        ("staff.senco", "amber"),
        ("pupil.pen-portrait", "amber"),
        ("pupil.logistics", "red"),
    ] {
        demo.step(ds, &["rate", c, "--item", item, "--rating", rating])
            .await?;
    }
    demo.step(hh, &["agreement", c, "--start", "2026-11-16", "--weeks", "12",
        "--targets", "Attend every lesson; use the agreed time-out card; no more than 2 behaviour points a week",
        "--champion", "Mr D. Okafor (Hillcrest learning mentor)", "--if-fails", "J.S. returns to the home school with a reintegration plan"]).await?;
    demo.step(dh, &["sign", c]).await?;
    // The family's copy of the agreement, in plain English (`document CASE parent-copy`).
    demo.step(
        hh,
        &[
            "copy-given",
            c,
            "--on",
            "2026-11-09",
            "--how",
            "By hand at the initial meeting",
        ],
    )
    .await?;
    // Under an off-site direction, the written notice too, at least two school days before
    // the start (`document CASE notice`).
    if p.policy.legal_basis == crate::domain::family::LegalBasis::OffSiteDirection {
        demo.step(
            hh,
            &[
                "notice-given",
                c,
                "--on",
                "2026-11-09",
                "--how",
                "By hand at the initial meeting",
            ],
        )
        .await?;
    }
    demo.refused(dh, &["start", c]).await;
    demo.step(
        ds,
        &[
            "registered",
            c,
            "--from",
            "2026-11-16",
            "--la-notified",
            "2026-11-09",
        ],
    )
    .await?;

    demo.refused(dh, &["start", c]).await;
    demo.step(
        hh,
        &[
            "safeguarding-shared",
            c,
            "--dsl",
            "Mrs J. Reid, designated safeguarding lead",
            "--on",
            "2026-11-09",
        ],
    )
    .await?;
    demo.step(ds, &["safeguarding-confirmed", c]).await?;

    demo.at(date(2026, 11, 16), time(8, 30));
    demo.step(dh, &["start", c]).await?;
    demo.step(
        hh,
        &[
            "registered",
            c,
            "--from",
            "2026-11-16",
            "--la-notified",
            "2026-11-16",
        ],
    )
    .await?;
    let week = |monday: &str, figures: &[&'static str]| -> Vec<String> {
        let mut args = vec![
            "attendance".to_string(),
            c.to_string(),
            "--week".into(),
            monday.into(),
        ];
        args.extend(figures.iter().map(|s| s.to_string()));
        args
    };
    demo.at(date(2026, 11, 20), time(15, 30));
    let first = week("2026-11-16", &["--possible", "10", "--attended", "10"]);
    demo.step(ds, &refs(&first)).await?;
    demo.at(date(2026, 11, 27), time(15, 30));
    let over = week(
        "2026-11-23",
        &["--possible", "10", "--attended", "9", "--unauthorised", "2"],
    );
    demo.refused(ds, &refs(&over)).await;
    let second = week(
        "2026-11-23",
        &[
            "--possible",
            "10",
            "--attended",
            "8",
            "--authorised",
            "2",
            "--late",
            "1",
            "--note",
            "Two days ill",
        ],
    );
    demo.step(ds, &refs(&second)).await?;
    sayln!("  → 80% is at or below the 90% threshold: the week is flagged on the board and in the digest.");
    let corrected = week(
        "2026-11-27",
        &[
            "--possible",
            "10",
            "--attended",
            "9",
            "--authorised",
            "1",
            "--late",
            "1",
            "--note",
            "One day ill; register corrected",
        ],
    );
    demo.step(dh, &refs(&corrected)).await?;
    demo.at(date(2026, 11, 30), time(15, 0));
    demo.step(
        ds,
        &[
            "check-in",
            c,
            "--on",
            "2026-11-30",
            "--note",
            "Settling well; one late arrival",
        ],
    )
    .await?;

    demo.at(date(2026, 12, 4), time(15, 30));
    let third_week = week("2026-11-30", &["--possible", "10", "--attended", "10"]);
    demo.step(ds, &refs(&third_week)).await?;
    let shown = demo.service.show(&coordinator, r).await?;
    sayln!(
        "\nWeekly attendance so far (`/attendance show {c}`):\n{}",
        view::attendance_table(&shown, p, date(2026, 12, 4))
            .replace("```\n", "")
            .replace("\n```", "")
    );
    let agreement = shown.agreement.as_ref().expect("agreement recorded above");
    let (mid, fin) = (agreement.midpoint_review, agreement.final_review);
    sayln!(
        "  (midpoint review falls on {}, final review on {}: both moved onto school days)",
        mid,
        fin
    );
    demo.at(mid, time(14, 0));
    demo.step(
        ds,
        &[
            "review",
            c,
            "--review",
            "midpoint",
            "--on",
            &mid.to_string(),
            "--notes",
            "Targets mostly met; attendance 96%",
        ],
    )
    .await?;
    demo.at(fin, time(14, 0));
    demo.step(
        dh,
        &[
            "review",
            c,
            "--review",
            "final",
            "--on",
            &fin.to_string(),
            "--notes",
            "All targets met; family and pupil want to stay",
        ],
    )
    .await?;
    demo.step(
        dh,
        &[
            "review-details",
            c,
            "--review",
            "final",
            "--attendees",
            "parent,home-staff,destination-staff,champion",
            "--pupil",
            "whole",
            "--targets",
            "met,met,met",
            "--parent-view",
            "J.S. is happier and wants to stay",
            "--pupil-view",
            "I have made friends and I like my teachers",
        ],
    )
    .await?;
    demo.step(
        dh,
        &[
            "outcome",
            c,
            "--outcome",
            "permanent",
            "--note",
            "Agreed at the final review",
        ],
    )
    .await?;
    demo.step(
        hh,
        &[
            "outcome",
            c,
            "--outcome",
            "permanent",
            "--note",
            "Agreed at the final review",
        ],
    )
    .await?;

    walk_transfer(demo, c, fin, hh, dh, ds).await?;

    let done = demo.service.show(&coordinator, r).await?;
    sayln!(
        "\nWhat the coordinator sees:\n{}",
        view::case_card(&done, p).to_text()
    );

    Ok(r)
}

/// The transferring stage after both heads' "permanent": a backdated roll change and a
/// removal by the destination refused, the roll change on one date, the records sent.
async fn walk_transfer(
    demo: &Demo<'_>,
    c: &str,
    confirmed: NaiveDate,
    hh: (&str, &Actor),
    dh: (&str, &Actor),
    ds: (&str, &Actor),
) -> Result<(), ServiceError> {
    let p = &demo.config.partnership;
    let home_staff = person(demo, 1002, Capacity::Staff(p.schools[0].key.clone()));
    let hs = format!("Inclusion lead at {}", p.school_name(&p.schools[0].key));
    let hs = (hs.as_str(), &home_staff);
    sayln!("\nBoth heads confirmed: the case is transferring until the rolls change and the records follow.");
    let next = p.calendar.add_school_days(confirmed, 1);
    demo.at(next, time(9, 30));
    let (day, before) = (
        next.to_string(),
        (confirmed - chrono::Days::new(1)).to_string(),
    );
    let roll = |verb: &'static str, on: &str| -> Vec<String> {
        ["transfer", verb, c, "--on", on, "--la-notified", &day]
            .map(String::from)
            .to_vec()
    };
    demo.refused(dh, &refs(&roll("registered", &before))).await;
    demo.refused(dh, &refs(&roll("removed", &day))).await;
    demo.step(dh, &refs(&roll("registered", &day))).await?;
    demo.step(hh, &refs(&roll("removed", &day))).await?;
    demo.step(hs, &["transfer", "cp-file", c, "--sent", &day])
        .await?;
    demo.step(
        ds,
        &[
            "transfer",
            "cp-received",
            c,
            "--on",
            &day,
            "--lead",
            "Mrs L. Evans (Hillcrest designated safeguarding lead)",
        ],
    )
    .await?;
    let records = p.calendar.add_school_days(next, 3);
    demo.at(records, time(11, 0));
    let on = records.to_string();
    demo.step(hs, &["transfer", "records", c, "--on", &on])
        .await?;
    Ok(())
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

/// A second managed move, ended early by the destination head: the pupil returns home
/// through the returning stage (meeting, plan, both registers) before the case closes, and
/// one term on the home school records the follow-up.
async fn walk_return(demo: &Demo<'_>, schools: &[SchoolKey]) -> Result<CaseRef, ServiceError> {
    let p = &demo.config.partnership;
    let (home, dest) = (&schools[0], &schools[2]);
    let home_head = person(demo, 1001, Capacity::Head(home.clone()));
    let home_staff = person(demo, 1002, Capacity::Staff(home.clone()));
    let dest_head = person(demo, 1021, Capacity::Head(dest.clone()));
    let coordinator = person(demo, 1, Capacity::Coordinator);
    let named = |role: &str, school: &SchoolKey| format!("{role} {}", p.school_name(school));
    let (hh, hs, dh) = (
        named("Head of", home),
        named("Head of year at", home),
        named("Head of", dest),
    );
    let (hh, hs, dh) = (
        (hh.as_str(), &home_head),
        (hs.as_str(), &home_staff),
        (dh.as_str(), &dest_head),
    );
    let school_day = |from: NaiveDate, n: u32| p.calendar.add_school_days(from, n);
    let day0 = school_day(p.today(demo.service.now()), 1);
    // Two school days on: an off-site direction's notice, given on day 0, allows no sooner.
    let start = school_day(day0, 2);
    let (d0, st) = (day0.to_string(), start.to_string());

    sayln!("\nA second managed move, ended early: the pupil returns home.");
    demo.at(day0, time(9, 0));
    let r = demo
        .step(
            hh,
            &[
                "propose",
                "--from",
                home.as_str(),
                "--to",
                dest.as_str(),
                "--initials",
                "K.M.",
                "--year",
                "8",
                "--reason",
                "exclusion",
                "--tried",
                "Report card, mentoring",
                "--answers",
                "yes,yes,yes,yes,yes,yes,yes,yes",
            ],
        )
        .await?;
    let case = r.to_string();
    let c = case.as_str();
    demo.step(dh, &["accept", c]).await?;
    demo.step(dh, &["meeting", c, "--at", &format!("{d0} 10:00")])
        .await?;
    demo.at(day0, time(11, 0));
    demo.step(
        hh,
        &[
            "parent-consent",
            c,
            "--witnessed-by",
            "Mr P. Lee, head of year",
            "--on",
            &d0,
            "--freely-given",
        ],
    )
    .await?;
    demo.step(hh, &["pupil-consent", c, "--on", &d0]).await?;
    demo.step(
        dh,
        &[
            "meeting-held",
            c,
            "--on",
            &d0,
            "--attendees",
            "parent,home-staff,destination-staff",
            "--pupil",
            "whole",
        ],
    )
    .await?;
    demo.step(
        hh,
        &[
            "agreement",
            c,
            "--start",
            &st,
            "--weeks",
            "6",
            "--targets",
            "Attend every lesson; no removals",
            "--champion",
            "Ms R. Patel",
            "--if-fails",
            "K.M. returns to the home school with a reintegration plan",
        ],
    )
    .await?;
    demo.step(dh, &["sign", c]).await?;
    let given = [
        "--on",
        d0.as_str(),
        "--how",
        "By hand at the initial meeting",
    ];
    demo.step(hh, &[&["copy-given", c][..], &given].concat())
        .await?;
    if p.policy.legal_basis == crate::domain::family::LegalBasis::OffSiteDirection {
        demo.step(hh, &[&["notice-given", c][..], &given].concat())
            .await?;
    }
    let dsl = "Mrs J. Reid, designated safeguarding lead";
    demo.step(
        hs,
        &[
            "safeguarding-shared",
            c,
            "--dsl",
            dsl,
            "--on",
            &d0,
            "--nothing-to-share",
        ],
    )
    .await?;
    demo.step(dh, &["safeguarding-confirmed", c]).await?;
    demo.step(dh, &["registered", c, "--from", &st, "--la-notified", &d0])
        .await?;
    demo.at(start, time(8, 30));
    demo.step(dh, &["start", c]).await?;

    let ended = school_day(start, 10);
    demo.at(ended, time(13, 0));
    demo.step(
        dh,
        &[
            "terminate",
            c,
            "--reason",
            "Serious breach of the behaviour policy",
        ],
    )
    .await?;
    sayln!("  → the case is open in the returning stage; each step is due five school days on.");
    demo.refused(
        dh,
        &[
            "return-plan",
            c,
            "--support",
            "x",
            "--targets",
            "y",
            "--contact",
            "z",
        ],
    )
    .await;
    let registers = school_day(ended, 1).to_string();
    demo.at(school_day(ended, 1), time(9, 0));
    demo.step(
        dh,
        &[
            "return-registered",
            c,
            "--on",
            &registers,
            "--la-notified",
            &registers,
        ],
    )
    .await?;
    demo.step(
        hs,
        &[
            "return-registered",
            c,
            "--on",
            &registers,
            "--la-notified",
            &registers,
        ],
    )
    .await?;
    let met = school_day(ended, 3);
    demo.at(met, time(15, 30));
    demo.step(
        hs,
        &[
            "return-meeting",
            c,
            "--on",
            &met.to_string(),
            "--attendees",
            "parent,home-staff,champion",
            "--pupil",
            "whole",
        ],
    )
    .await?;
    demo.step(
        hh,
        &[
            "return-plan",
            c,
            "--support",
            "Daily check-in with the learning mentor",
            "--targets",
            "Attend every lesson; no removals",
            "--contact",
            "Mr P. Lee, head of year",
        ],
    )
    .await?;

    sayln!("  → all three steps recorded: the case closes as terminated, the pupil back at home.");
    let closed = demo.service.show(&coordinator, r).await?;
    let due = crate::domain::returning::follow_up_due(&closed, p).unwrap_or(met);
    demo.refused(
        hs,
        &["follow-up", c, "--on-roll", "yes", "--attendance", "95"],
    )
    .await;
    demo.at(due, time(10, 0));
    demo.step(
        hs,
        &[
            "follow-up",
            c,
            "--on-roll",
            "yes",
            "--attendance",
            "94.5",
            "--suspensions",
            "0",
            "--note",
            "Settled back in",
        ],
    )
    .await?;
    let done = demo.service.show(&coordinator, r).await?;
    sayln!(
        "\nThe returned case, closed and followed up:\n{}",
        view::case_card(&done, p).to_text()
    );
    Ok(r)
}
