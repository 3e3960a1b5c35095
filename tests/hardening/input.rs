//! Hostile input: property tests over everything people type (the parsers in
//! domain::input and domain::ids, and every `act` command through the CLI's own parser and
//! `ActCommand::into_command`): over-long text, control characters, Markdown and mention
//! injection, invalid dates, unknown IDs. Nothing panics; a refusal is a short sentence
//! that never pings; a refused command writes nothing; and free text, however hostile, is
//! rendered so that it never pings anyone.

use crate::kit;

use std::sync::Arc;

use clap::Parser;
use kit::{pings, People, Stage};
use managed_moves::cli::ActCommand;
use managed_moves::domain::input::{self, AgreementTermsInput, ProposalInput};
use managed_moves::domain::{CaseRef, Initials, Refusal, SchoolKey, Text, YearGroup};
use managed_moves::service::{ManualClock, NoopNotifier, Service};
use managed_moves::store::Store;
use managed_moves::view;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};

/// What people (or someone testing the bot) might paste into a field.
const HOSTILE: &[&str] = &[
    "@everyone",
    "@here",
    "<@&900000000000000201>",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<#900000000000000010>",
    "\\@everyone",
    "**bold** __under__ ~~strike~~ ||spoiler||",
    "```rust\nfn main() {}\n```",
    "> quoted\n# Heading",
    "[click](https://example.invalid)",
    "\u{202E}reversed",
    "zero\u{200B}width",
    "nul\0byte",
    "bell\u{7}",
    "crlf\r\nline",
    "tab\there",
    "\u{1F600}",
    "' OR 1=1; DROP TABLE cases; --",
    "%s%n%x",
    "MM-2026-0001",
    "MM-9999-999999",
    "mm-2026-00000001",
    "2026-02-30",
    "31/12/1969",
    "9999-12-31 25:61",
    "riverside",
    "oakfield",
    "no-such-school",
    "staff.senco",
    "green",
    "yes,yes,yes,yes,yes,yes,yes,yes",
    "-1",
    "18446744073709551616",
    "",
    " ",
];

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::sample::select(HOSTILE).prop_map(str::to_string),
        2 => (proptest::sample::select(HOSTILE), proptest::sample::select(HOSTILE), ".{0,20}")
            .prop_map(|(a, b, c)| format!("{a} {c} {b}")),
        2 => any::<String>(),
        1 => (proptest::sample::select(HOSTILE), 900usize..1200)
            .prop_map(|(a, n)| a.repeat(n / a.len().max(1) + 1)),
        1 => "[ -~]{0,40}",
    ]
}

/// A refusal someone would understand: one or two short sentences, never a ping.
fn assert_clear(r: &Refusal) {
    let m = r.message();
    assert!(!m.trim().is_empty(), "an empty refusal");
    assert!(m.chars().count() <= 400, "a long refusal: {m}");
    // A refusal may name who decided (`<@1011>`, written by the bot, not typed); it must
    // never carry a mass or role mention.
    assert!(
        !m.contains("@everyone") && !m.contains("@here") && !m.contains("<@&"),
        "a refusal that pings: {m}"
    );
    assert!(
        !m.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in a refusal: {m:?}"
    );
}

proptest! {
    // No regression files beside the sources (the top level is fixed): a failure prints
    // its minimal input instead.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn free_text_is_clean_bounded_and_never_pings_when_rendered(raw in hostile_text()) {
        match Text::parse("note", &raw) {
            Ok(t) => {
                let s = t.as_str();
                prop_assert!(!s.is_empty() && s.trim() == s);
                prop_assert!(s.chars().count() <= Text::MAX_CHARS);
                prop_assert!(!s.chars().any(|c| c.is_control() && c != '\n'));
                prop_assert!(!pings(&view::defuse(s)), "defused text pings: {:?}", view::defuse(s));
            }
            Err(r) => assert_clear(&r),
        }
        prop_assert!(!pings(&view::defuse(&raw)));
    }

    #[test]
    fn ids_parse_to_valid_values_or_refuse(raw in hostile_text()) {
        match SchoolKey::parse(&raw) {
            Ok(k) => prop_assert!(
                !k.as_str().is_empty() && k.as_str().len() <= 32
                    && k.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            ),
            Err(r) => assert_clear(&r),
        }
        match Initials::parse(&raw) {
            Ok(i) => {
                let letters: Vec<char> = i.as_str().chars().filter(|c| *c != '.').collect();
                prop_assert!((1..=Initials::MAX_LETTERS).contains(&letters.len()));
                // Letters, upper-cased where the letter has a capital (some, like `𝓪`, have none).
                prop_assert!(letters.iter().all(|c| c.is_alphabetic() && c.to_uppercase().eq([*c])));
            }
            Err(r) => assert_clear(&r),
        }
        match CaseRef::parse(&raw) {
            Ok(r) => prop_assert_eq!(CaseRef::parse(&r.to_string()).unwrap(), r),
            Err(r) => assert_clear(&r),
        }
    }

    #[test]
    fn dates_choices_and_numbers_parse_or_refuse(raw in hostile_text(), n in any::<i64>()) {
        for result in [
            input::date("on", &raw).map(|_| ()),
            input::local_datetime("at", &raw).map(|_| ()),
            input::yes_no("ehcp", &raw).map(|_| ()),
            input::optional_text("note", Some(&raw)).map(|_| ()),
            input::review_kind(&raw).map(|_| ()),
            input::outcome(&raw).map(|_| ()),
            input::weeks(n).map(|_| ()),
            YearGroup::new(n).map(|_| ()),
        ] {
            if let Err(r) = result {
                assert_clear(&r);
            }
        }
        if let Ok(w) = input::weeks(n) {
            prop_assert!((1..=52).contains(&w));
        }
    }

    #[test]
    fn whole_proposals_and_agreements_parse_or_refuse(
        fields in proptest::collection::vec(hostile_text(), 8),
        year in any::<i64>(),
        weeks in -5i64..60,
    ) {
        let proposal = ProposalInput {
            home: fields[0].clone(),
            destination: fields[1].clone(),
            initials: fields[2].clone(),
            year,
            reason: fields[3].clone(),
            strategies_tried: fields[4].clone(),
            return_possible: year % 2 == 0,
            ehcp: false,
            looked_after: false,
            answers: fields[5].clone(),
            notes: vec![((year as usize) % 10, fields[6].clone())],
            baseline_attendance: None,
        };
        if let Err(r) = proposal.parse() {
            assert_clear(&r);
        }
        let terms = AgreementTermsInput {
            start: fields[7].clone(),
            weeks,
            targets: fields[4].clone(),
            pupil_champion: fields[6].clone(),
            if_it_fails: fields[0].clone(),
        };
        if let Err(r) = terms.parse() {
            assert_clear(&r);
        }
    }
}

/// The `act` subcommands and their options: (name, positional case?, options, flags).
const ACTS: &[(&str, bool, &[&str], &[&str])] = &[
    (
        "propose",
        false,
        &[
            "from",
            "to",
            "initials",
            "year",
            "reason",
            "tried",
            "return-possible",
            "ehcp",
            "lac",
            "answers",
            "note",
        ],
        &[],
    ),
    ("accept", true, &[], &[]),
    ("decline", true, &["reason"], &[]),
    ("withdraw", true, &["reason"], &[]),
    ("needs", true, &["ehcp", "lac", "reason"], &[]),
    ("panel", true, &["decision", "reason"], &[]),
    ("meeting", true, &["at", "place"], &[]),
    (
        "parent-consent",
        true,
        &["witnessed-by", "on"],
        &["freely-given"],
    ),
    ("pupil-consent", true, &["on", "note"], &[]),
    ("ehcp-amendment", true, &["on", "note"], &[]),
    ("virtual-school", true, &["on", "contact"], &[]),
    (
        "agreement",
        true,
        &["start", "weeks", "targets", "champion", "if-fails"],
        &[],
    ),
    ("sign", true, &[], &[]),
    ("reschedule", true, &["review", "on", "reason"], &[]),
    ("start", true, &["on"], &[]),
    ("rate", true, &["item", "rating", "comment"], &[]),
    ("check-in", true, &["on", "note"], &[]),
    ("review", true, &["review", "on", "notes"], &[]),
    ("outcome", true, &["outcome", "note"], &[]),
    ("terminate", true, &["reason"], &[]),
    ("registered", true, &["school", "from", "la-notified"], &[]),
    ("forward-final", true, &["on", "reason"], &[]),
    ("approval", true, &["decision", "reason"], &[]),
    ("exam-courses", true, &["continues", "note"], &[]),
    (
        "safeguarding-shared",
        true,
        &["dsl", "on"],
        &["nothing-to-share"],
    ),
    ("safeguarding-confirmed", true, &[], &[]),
    (
        "la-consent",
        true,
        &["social-worker", "on", "parents-share"],
        &[],
    ),
    ("copy-given", true, &["on", "how"], &[]),
    ("notice-given", true, &["on", "how", "la-notified"], &[]),
    (
        "meeting-held",
        true,
        &["on", "attendees", "pupil", "positives", "concerns"],
        &[],
    ),
    (
        "review-details",
        true,
        &[
            "review",
            "attendees",
            "pupil",
            "targets",
            "parent-view",
            "pupil-view",
            "invited",
        ],
        &[],
    ),
    ("consent-withdrawn", true, &["on", "reason"], &[]),
    ("return-meeting", true, &["on", "attendees", "pupil"], &[]),
    ("return-plan", true, &["support", "targets", "contact"], &[]),
    (
        "return-registered",
        true,
        &["school", "on", "la-notified"],
        &[],
    ),
    (
        "follow-up",
        true,
        &["on-roll", "attendance", "suspensions", "note"],
        &[],
    ),
    ("ping", true, &["step"], &[]),
];

/// A well-formed value for a structured option (None: free text, always hostile).
fn plausible(option: &str) -> Option<&'static str> {
    Some(match option {
        "from" => "riverside",
        "to" => "hillcrest",
        "initials" => "J.S.",
        "year" => "9",
        "reason" => "exclusion",
        "return-possible" | "ehcp" | "lac" => "no",
        "answers" => "yes,yes,yes,unsure,yes,yes,yes,yes",
        "note" => "3=bus pass",
        "decision" => "approve",
        "at" => "2026-11-04 10:00",
        "on" => "2026-11-02",
        "start" => "2026-11-16",
        "weeks" => "8",
        "review" => "final",
        "item" => "staff.senco",
        "rating" => "amber",
        "outcome" => "returned",
        "school" => "hillcrest",
        "la-notified" => "2026-11-02",
        "attendees" => "parent,home-staff",
        "pupil" => "whole",
        "continues" => "partly",
        "parents-share" => "yes",
        "on-roll" => "yes",
        "attendance" => "93.5",
        "suspensions" => "0",
        _ => return None,
    })
}

#[derive(Debug, Parser)]
struct One {
    #[command(subcommand)]
    action: ActCommand,
}

/// A command line for one `act` subcommand, every value hostile or plausible.
fn act_argv() -> impl Strategy<Value = (Vec<String>, usize, usize)> {
    (
        0..ACTS.len(),
        proptest::collection::vec(hostile_text(), 12),
        any::<bool>(),
        0usize..7,
        0usize..4,
    )
        .prop_map(|(which, values, flag, actor, stage)| {
            let (name, case, options, flags) = ACTS[which];
            let mut argv = vec!["act".to_string(), name.to_string()];
            let mut values = values.into_iter();
            if case {
                // Usually the real case, so the command reaches the rules.
                let v = values.next().unwrap_or_default();
                argv.push(if actor % 3 == 0 {
                    v
                } else {
                    "MM-2026-0001".into()
                });
            }
            for (i, option) in options.iter().enumerate() {
                let hostile = values.next().unwrap_or_default();
                // Structured options are mostly well-formed, so that the free text beside
                // them reaches the rules (and the database, and the rendered card).
                let value = match plausible(option) {
                    Some(good) if (actor + i + stage) % 4 != 0 => good.to_string(),
                    _ => hostile,
                };
                argv.push(format!("--{option}={value}"));
            }
            if flag {
                argv.extend(flags.iter().map(|f| format!("--{f}")));
            }
            (argv, actor, stage)
        })
}

#[test]
fn every_act_command_with_hostile_options_refuses_clearly_and_writes_nothing() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = kit::config();
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 300,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    let stages = [
        Stage::Proposed,
        Stage::Accepted,
        Stage::Active,
        Stage::FinalReviewed,
    ];
    // clap refused, our parser refused, the service saw it
    let reached = std::cell::RefCell::new([0usize; 3]);
    runner
        .run(&act_argv(), |(argv, actor, stage)| {
            let Ok(one) = One::try_parse_from(&argv) else {
                reached.borrow_mut()[0] += 1;
                return Ok(());
            };
            let command = match one.action.into_command(&config.partnership) {
                Ok(c) => c,
                Err(r) => {
                    assert_clear(&r);
                    reached.borrow_mut()[1] += 1;
                    return Ok(());
                }
            };
            reached.borrow_mut()[2] += 1;
            runtime.block_on(async {
                let store = Store::in_memory().await.unwrap();
                let clock = Arc::new(ManualClock::new(kit::local(
                    &config,
                    kit::day(2026, 11, 2),
                    9,
                    0,
                )));
                let service = Service::new(store, &config, clock.clone(), Arc::new(NoopNotifier));
                kit::walk(&service, &clock, &config, stages[stage], "Mentoring").await;
                let people = People::new(&service);
                let who = [
                    &people.home_head,
                    &people.dest_head,
                    &people.dest_staff,
                    &people.coordinator,
                    &people.seip,
                    &people.admin,
                    &people.nobody,
                ][actor];
                let before = kit::footprint(service.store()).await;
                match service.execute(who, command).await {
                    Err(e) => {
                        let r = e
                            .refusal()
                            .unwrap_or_else(|| panic!("{argv:?}: an internal error: {e}"));
                        assert_clear(r);
                        assert_eq!(
                            kit::footprint(service.store()).await,
                            before,
                            "{argv:?}: a refusal wrote something"
                        );
                    }
                    Ok(done) => {
                        let p = service.partnership();
                        for card in [
                            view::case_card(&done.case, p),
                            view::checklist_card(&done.case, p),
                        ] {
                            let shown = format!("{}\n{:?}", card.to_text(), card.footer);
                            assert!(!pings(&shown), "{argv:?}: a rendered card pings:\n{shown}");
                        }
                    }
                }
                kit::assert_consistent(service.store()).await;
            });
            Ok(())
        })
        .unwrap();
    let reached = reached.into_inner();
    eprintln!(
        "clap refused {}, parsing refused {}, reached the service {}",
        reached[0], reached[1], reached[2]
    );
    assert!(
        reached[2] > 10,
        "too few commands reached the service: {reached:?}"
    );
}

#[test]
fn defuse_neutralises_every_mention_form() {
    for raw in HOSTILE {
        let shown = view::defuse(raw);
        assert!(!pings(&shown), "{raw:?} -> {shown:?}");
    }
    assert!(
        pings("<@&1>") && pings("@here") && pings("<@!42>"),
        "the detector works"
    );
    assert!(!pings(&view::defuse(
        "ping <@&900000000000000201> and @everyone"
    )));
}
