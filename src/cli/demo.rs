//! `managed-moves demo`: a sample partnership walks one managed move from proposal to
//! permanent transfer, and starts a managed transfer that waits for the SEIP panel, so a
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
    match walk(&demo, &schools).await {
        Ok(reference) => {
            sayln!(
                "\nThe demo database is {}. Look around, or carry on by hand:",
                database.display()
            );
            let db = database.display();
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
                event.kind.summary(),
                outcome.case.reference
            );
        }
        Ok(outcome.case.reference)
    }

    /// Shows a refusal the way a person would see it.
    async fn refused(&self, who: (&str, &Actor), args: &[&str]) {
        match self.step(who, args).await {
            Ok(_) => sayln!("  (unexpectedly allowed)"),
            Err(e) => sayln!("  ✖ {} tried `{}` — the bot says: {e}", who.0, args[0]),
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

    let done = demo.service.show(&coordinator, r).await?;
    sayln!(
        "\nWhat the coordinator sees:\n{}",
        view::case_card(&done, p).to_text()
    );

    Ok(r)
}

fn refs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}
