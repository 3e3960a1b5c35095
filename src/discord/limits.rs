//! Every message and card the bot posts about a case stays within Discord's limits (25
//! fields, 1,024 characters a field, 6,000 an embed, 2,000 a message) when every free-text
//! field is at its maximum length and made of the characters that grow most when shown
//! (Markdown and mentions are escaped, emoji count twice). A post over a limit is refused
//! by Discord, so the case would go silent: this renders a whole case, stage by stage.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use serde_json::Value;

use super::render::{
    embed, units, EMBED_TOTAL_MAX, FIELDS_MAX, FIELD_MAX, FOOTER_MAX, MESSAGE_MAX, NAME_MAX,
};
use super::sender::proposal_call;
use crate::domain::case::{AgreementTerms, Outcome, ReviewKind};
use crate::domain::checklist::Rag;
use crate::domain::reminders::ReminderKind;
use crate::domain::suitability::{Answer, Suitability, SuitabilityAnswer};
use crate::domain::testkit::{partnership, proposal, school, DESTINATION, HOME};
use crate::domain::{Case, CaseRef, Event, EventKind, Initials, RoleId, Text, UserId};
use crate::scheduler::{late_note, reminder_text};
use crate::view;

/// `max` characters of the worst kind: each `*`, `_`, `<` and `@` doubles when shown, and
/// the emoji counts two towards Discord's limits.
fn longest(max: usize) -> Text {
    let pattern = ['*', '@', '_', '<', '😀', 'a', '\n', 'b'];
    let raw: String = (0..max).map(|i| pattern[i % pattern.len()]).collect();
    let raw = format!("x{}", &raw[..]);
    let raw: String = raw.chars().take(max - 1).chain(['z']).collect();
    Text::parse_max("note", &raw, max).expect("a valid text at its maximum")
}

fn long() -> Text {
    longest(Text::MAX_CHARS)
}

fn at(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(10, 0, 0).unwrap())
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A transfer-shaped case with an EHCP and looked after (every gate), every answer a
/// concern or not, and every note, reason and comment at its maximum length: its events.
fn whole_case() -> Vec<Event> {
    let p = partnership();
    let mut proposed = proposal();
    proposed.pupil.initials = Initials::parse("ABCD").unwrap();
    proposed.strategies_tried = long();
    proposed.ehcp = true;
    proposed.looked_after = true;
    let answers = [Answer::No, Answer::Unsure, Answer::Yes, Answer::No];
    proposed.suitability = Suitability::new(
        (0..8)
            .map(|i| SuitabilityAnswer {
                answer: answers[i % 4],
                note: Some(long()),
            })
            .collect(),
    )
    .unwrap();
    let start = d(2026, 11, 30);
    let terms = AgreementTerms {
        start,
        weeks: 12,
        targets: long(),
        pupil_champion: longest(100),
        if_it_fails: long(),
    };
    let (midpoint_review, final_review) = p.review_dates(start, 12);
    let on = d(2026, 11, 24);
    let mut kinds = vec![
        EventKind::Proposed(proposed),
        EventKind::Accepted,
        EventKind::MeetingScheduled {
            at: at(d(2026, 11, 25)),
            place: Some(long()),
        },
        EventKind::ParentConsentRecorded {
            witnessed_by: long(),
            on,
        },
        EventKind::PupilConsentRecorded {
            on,
            note: Some(long()),
        },
        EventKind::EhcpAmendmentRecorded {
            on,
            note: Some(long()),
        },
        EventKind::VirtualSchoolConsulted {
            on,
            contact: long(),
        },
        EventKind::AgreementRecorded {
            terms,
            midpoint_review,
            final_review,
            signed_for: school(HOME),
        },
        EventKind::AgreementSigned {
            school: school(DESTINATION),
        },
        EventKind::RegistrationConfirmed {
            school: school(DESTINATION),
            from: start,
            la_notified: on,
        },
    ];
    for item in &p.checklist.items {
        kinds.push(EventKind::ChecklistRated {
            item: item.key.clone(),
            rag: Rag::Amber,
            comment: Some(long()),
        });
    }
    kinds.extend([
        EventKind::MoveStarted { on: start },
        EventKind::RegistrationConfirmed {
            school: school(HOME),
            from: start,
            la_notified: start,
        },
        EventKind::CheckInLogged {
            on: start + Days::new(7),
            note: long(),
        },
        EventKind::ReviewRescheduled {
            review: ReviewKind::Midpoint,
            on: midpoint_review + Days::new(1),
            reason: long(),
        },
        EventKind::ReminderSnoozed {
            key: "check_in_2".into(),
            until: start + Days::new(14),
            reason: long(),
        },
        EventKind::ReviewRecorded {
            review: ReviewKind::Midpoint,
            held_on: midpoint_review + Days::new(1),
            notes: long(),
        },
        EventKind::ReviewRecorded {
            review: ReviewKind::Final,
            held_on: final_review,
            notes: long(),
        },
        EventKind::PermanentConfirmed {
            school: school(HOME),
        },
        EventKind::Completed {
            outcome: Outcome::Permanent,
            note: long(),
        },
    ]);
    kinds
        .into_iter()
        .map(|kind| Event {
            by: UserId(u64::MAX),
            at: at(d(2026, 11, 24)),
            kind,
        })
        .collect()
}

/// Every embed limit, checked on the JSON serenity would send.
fn check_embed(embed: &Value, what: &str) -> Vec<String> {
    let mut wrong = Vec::new();
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let fields = embed["fields"].as_array().cloned().unwrap_or_default();
    if fields.len() > FIELDS_MAX {
        wrong.push(format!("{what}: {} fields", fields.len()));
    }
    let mut total = units(&text(&embed["title"])) + units(&text(&embed["footer"]["text"]));
    if units(&text(&embed["title"])) > NAME_MAX {
        wrong.push(format!("{what}: title too long"));
    }
    if units(&text(&embed["footer"]["text"])) > FOOTER_MAX {
        wrong.push(format!("{what}: footer too long"));
    }
    for f in &fields {
        let (name, value) = (text(&f["name"]), text(&f["value"]));
        if units(&name) > NAME_MAX || name.is_empty() {
            wrong.push(format!("{what}: field name {name:?}"));
        }
        if units(&value) > FIELD_MAX || value.is_empty() {
            wrong.push(format!("{what}: field {name:?} is {} long", units(&value)));
        }
        total += units(&name) + units(&value);
    }
    if total > EMBED_TOTAL_MAX {
        wrong.push(format!("{what}: {total} in all"));
    }
    wrong
}

fn json(e: serenity::all::CreateEmbed) -> Value {
    serde_json::to_value(e).unwrap()
}

use poise::serenity_prelude as serenity;

#[test]
fn every_post_about_a_case_at_its_longest_stays_within_discords_limits() {
    let p = partnership();
    let events = whole_case();
    let roles: Vec<RoleId> = (0..3).map(|i| RoleId(u64::MAX - i)).collect();
    let mut wrong = Vec::new();
    for n in 1..=events.len() {
        let case = Case::from_events(CaseRef::new(2026, 9999), &events[..n]).unwrap();
        let stage = format!("after {}", events[n - 1].kind.name());
        // The case card (thread posts, /case show, the proposal) and the checklist card.
        wrong.extend(check_embed(
            &json(embed(&view::case_card(&case, p))),
            &stage,
        ));
        wrong.extend(check_embed(
            &json(embed(&view::checklist_card(&case, p))),
            &format!("checklist {stage}"),
        ));
        // The event's own post in the thread.
        let post = format!("**{}** · <@{}>", events[n - 1].kind.summary(p), u64::MAX);
        if units(&post) > MESSAGE_MAX {
            wrong.push(format!("{stage}: event post {}", units(&post)));
        }
        // Every reminder, called on three roles and late.
        for kind in ReminderKind::CASE_KINDS {
            let text = format!(
                "⏰ {} {}\n_{}_",
                super::render::mentions(&roles),
                reminder_text(kind, "overdue_final_review", &case, p, d(2026, 12, 1)),
                late_note(at(d(2026, 12, 1)), p)
            );
            if units(&text) > MESSAGE_MAX {
                wrong.push(format!("{stage}: reminder {kind:?} {}", units(&text)));
            }
        }
    }
    let proposed = Case::from_events(CaseRef::new(2026, 9999), &events[..1]).unwrap();
    let call = proposal_call(&proposed, p, &roles);
    if units(&call) > MESSAGE_MAX {
        wrong.push(format!("the call to decide is {}", units(&call)));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_destination_head_sees_all_eight_answers_and_every_concern_before_accepting() {
    let p = partnership();
    let events = whole_case();
    let proposed = Case::from_events(CaseRef::new(2026, 9999), &events[..1]).unwrap();
    let call = proposal_call(&proposed, p, &[]);
    assert!(
        call.contains("6 of 8 answered no or unsure (question 1, 2, 4, 5, 6, 8)"),
        "{call}"
    );
    let card = json(embed(&view::case_card(&proposed, p)));
    let fields = card["fields"].as_array().unwrap();
    let value = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["value"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no field {name}"))
    };
    // The answers stay whole even when every note is at its longest.
    let answers = value("Suitability");
    for line in view::suitability::answer_lines(&proposed.suitability).lines() {
        assert!(answers.contains(line), "{line} missing from {answers}");
    }
    assert!(
        answers.contains("⚠️ 8. Pupil can return: **no**"),
        "{answers}"
    );
    // Each note has its own field, concerns first, cut only as the embed's limit needs.
    let notes: Vec<&Value> = fields
        .iter()
        .filter(|f| f["name"].as_str().unwrap().contains(". "))
        .collect();
    assert_eq!(notes.len(), 8);
    assert!(notes[0]["name"].as_str().unwrap().starts_with("⚠️ 1."));
    assert!(notes[6]["name"].as_str().unwrap().starts_with("✅ 3."));
    for note in notes {
        let shown = note["value"].as_str().unwrap();
        assert!(shown.starts_with('x') && units(shown) > 200, "{shown}");
    }
}
