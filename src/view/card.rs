//! One case as a card, and its history as lines.

use crate::domain::case::review_key;
use chrono::NaiveDate;

use crate::domain::meetings::MeetingHeld;
use crate::domain::next_step::next_steps;
use crate::domain::registration;
use crate::domain::review_record::target_list;
use crate::domain::{Case, CaseState, Partnership, ReviewKind};
use crate::store::StoredEvent;
use crate::view::suitability;

use super::{defuse, state_colour, Card};

/// The card as of the case's last change: what a thread's pinned card shows.
pub fn case_card(case: &Case, p: &Partnership) -> Card {
    case_card_on(case, p, p.today(case.updated_at))
}

/// The card as of `today`, whose "Next steps" say who owes what and whether it is late
/// (`/case show` and the CLI's `show` read it as of now).
pub fn case_card_on(case: &Case, p: &Partnership, today: NaiveDate) -> Card {
    let mut card = Card {
        title: format!(
            "{} · {} · {}",
            case.reference,
            case.state,
            case.pupil.label()
        ),
        colour: state_colour(case.state),
        fields: Vec::new(),
        footer: None,
    };
    card.field(
        "Move",
        format!(
            "{} → {} ({})",
            p.school_name(&case.home),
            p.school_name(&case.destination),
            p.policy.kind_name(case.kind)
        ),
        false,
    );
    super::lead::lead_field(&mut card, case);
    card.field("Why", case.reason.label(), true);
    let mut flags = Vec::new();
    if case.ehcp {
        flags.push("EHCP");
    }
    if case.looked_after {
        flags.push("looked after");
    }
    card.field("Needs", flags.join(", "), true);
    card.field(
        "Tried already",
        defuse(case.strategies_tried.as_str()),
        false,
    );
    suitability_fields(&mut card, case);
    if let Some(meeting) = &case.meeting {
        let local = meeting.at.with_timezone(&p.timezone);
        card.field(
            "Initial meeting",
            local.format("%a %-d %b %Y, %H:%M").to_string(),
            true,
        );
    }
    if let Some(held) = &case.meeting_held {
        meeting_held_fields(&mut card, held);
    }
    if let Some(a) = &case.agreement {
        card.field(
            "Placement",
            format!(
                "from {}, {} weeks",
                a.terms.start.format("%a %-d %b %Y"),
                a.terms.weeks
            ),
            true,
        );
        let done = |k: ReviewKind| {
            if case.reviews.contains_key(review_key(k)) {
                " ✓"
            } else {
                ""
            }
        };
        let mut reviews = format!(
            "midpoint {}{}\nfinal {}{}",
            a.midpoint_review.format("%a %-d %b %Y"),
            done(ReviewKind::Midpoint),
            a.final_review.format("%a %-d %b %Y"),
            done(ReviewKind::Final)
        );
        if case.final_brought_forward.is_some() {
            reviews.push_str(" (brought forward by both heads)");
        }
        // Who came to each review, by role, as for the initial meeting: the record is
        // only complete with it, so the people on the case should see it without the PDF.
        for k in [ReviewKind::Midpoint, ReviewKind::Final] {
            let came = case.review_details.get(review_key(k));
            if let Some(a) = came.and_then(|d| d.attendance.as_ref()) {
                reviews.push_str(&format!("\nAt the {}: {}", k.label(), a.describe()));
            }
        }
        if let Some(asked) = &case.final_forward_asked {
            reviews.push_str(&format!(
                "\n{} asks to bring the final review forward to {}: the other head must agree",
                p.school_name(&asked.school),
                asked.on.format("%a %-d %b %Y")
            ));
        }
        card.field("Reviews", reviews, true);
        card.field(
            "Targets",
            target_lines(case, a.terms.targets.as_str()),
            false,
        );
        card.field(
            "Pupil champion",
            defuse(a.terms.pupil_champion.as_str()),
            true,
        );
        card.field(
            "If it does not work out",
            defuse(a.terms.if_it_fails.as_str()),
            true,
        );
    }
    if !matches!(case.state, CaseState::Proposed) {
        card.field("Dual registration", registration_lines(case, p), false);
    }
    card.field(
        "Checklist",
        p.checklist.progress(&case.checklist).to_string(),
        true,
    );
    if !case.check_ins.is_empty() {
        card.field("Check-ins", case.check_ins.len().to_string(), true);
    }
    card.field(
        "Attendance",
        super::attendance::attendance_summary(case, p),
        false,
    );
    super::approvals::fields(&mut card, case, p);
    next_steps_field(&mut card, case, p, today);
    super::changes::fields(&mut card, case, p);
    super::transfer::fields(&mut card, case);
    super::returning::fields(&mut card, case, p);
    super::family::fields(&mut card, case, p);
    if let Some(outcome) = case.outcome {
        card.field("Outcome", outcome.label(), false);
    }
    if let Some(reason) = &case.closing_reason {
        card.field("Closing note", defuse(reason.as_str()), false);
    }
    super::lead::reopen_fields(&mut card, case, p);
    card.footer = Some(format!(
        "updated {}",
        case.updated_at
            .with_timezone(&p.timezone)
            .format("%-d %b %Y %H:%M")
    ));
    card
}

/// How many owed steps the card lists; the rest are counted.
const NEXT_STEPS_SHOWN: usize = 6;

/// Who owes what, since when and by when, most pressing first (`domain::next_step`).
fn next_steps_field(card: &mut Card, case: &Case, p: &Partnership, today: NaiveDate) {
    let steps = next_steps(case, p, today);
    if steps.is_empty() {
        return;
    }
    let mut lines: Vec<String> = steps
        .iter()
        .take(NEXT_STEPS_SHOWN)
        .map(|s| {
            let late = if s.is_overdue(today) { "⚠️ " } else { "" };
            format!(
                "{late}**{}**: {} · since {}, due {}",
                s.owner.label(p),
                s.what,
                s.since.format("%a %-d %b"),
                s.due.format("%a %-d %b")
            )
        })
        .collect();
    if steps.len() > NEXT_STEPS_SHOWN {
        lines.push(format!("+{} more", steps.len() - NEXT_STEPS_SHOWN));
    }
    let name = match case.state {
        CaseState::Accepted | CaseState::Agreeing => "Next steps (before the start)",
        _ => "Next steps",
    };
    card.field(name, lines.join("\n"), false);
}

/// The eight answers, concerns marked; while the destination head decides, each note in
/// its own field (concerns first), afterwards all notes in one, to leave room on the card.
fn suitability_fields(card: &mut Card, case: &Case) {
    let s = &case.suitability;
    let mut summary = suitability::summary(s);
    if case.state == CaseState::Proposed && !suitability::concerns(s).is_empty() {
        summary = format!("{summary} {}", suitability::BEFORE_ACCEPTING);
    }
    card.field(
        "Suitability",
        format!("{summary}\n{}", suitability::answer_lines(s)),
        false,
    );
    let notes = suitability::notes(s);
    if case.state == CaseState::Proposed {
        for (name, note) in notes {
            card.field(name, defuse(&note), false);
        }
    } else {
        let lines: Vec<String> = notes
            .iter()
            .map(|(name, note)| format!("{name} — {}", defuse(note)))
            .collect();
        card.field("Suitability notes", lines.join("\n"), false);
    }
}

/// Both schools' sides of the dual registration, destination first (it comes first).
fn registration_lines(case: &Case, p: &Partnership) -> String {
    [&case.destination, &case.home]
        .into_iter()
        .map(|school| {
            let mark = if case.registrations.contains_key(school) {
                "✓"
            } else {
                "…"
            };
            format!(
                "{mark} {}: {}",
                p.school_name(school),
                registration::describe(case, school)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The agreement's targets, one a line, with progress at the latest review that has it:
/// "✓ Attend every lesson (met at the midpoint review)".
fn target_lines(case: &Case, targets: &str) -> String {
    let latest = [ReviewKind::Final, ReviewKind::Midpoint]
        .into_iter()
        .find_map(|k| case.review_details.get(review_key(k)).map(|d| (k, d)));
    target_list(targets)
        .into_iter()
        .enumerate()
        .map(|(n, target)| {
            let progress = latest.and_then(|(k, d)| d.progress.get(n).map(|p| (k, *p)));
            match progress {
                Some((k, p)) => {
                    format!("• {} ({} at the {})", defuse(target), p.label(), k.label())
                }
                None => format!("• {}", defuse(target)),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The longest positives or concerns note shown on the card.
const AIRED_MAX: usize = 300;

/// The initial meeting as held: when, who came (roles only), and what was aired.
fn meeting_held_fields(card: &mut Card, held: &MeetingHeld) {
    let who = held
        .attendance
        .as_ref()
        .map_or("who attended: not recorded yet".to_string(), |a| {
            a.describe()
        });
    card.field(
        "Initial meeting held",
        format!("{}\n{who}", held.on.format("%a %-d %b %Y")),
        false,
    );
    // Each note shortened so the card stays well inside Discord's 6,000 characters an
    // embed whatever else it holds; the case's history export keeps them whole.
    let short = |t: &str| {
        let t = defuse(t);
        if t.chars().count() <= AIRED_MAX {
            t
        } else {
            t.chars().take(AIRED_MAX - 1).chain(['…']).collect()
        }
    };
    let mut aired = Vec::new();
    if let Some(p) = &held.positives {
        aired.push(format!("Positives: {}", short(p.as_str())));
    }
    if let Some(c) = &held.concerns {
        aired.push(format!("Concerns: {}", short(c.as_str())));
    }
    card.field("Aired at the meeting", aired.join("\n"), false);
}

/// "3. 24 Nov 2026 10:00 · <@123> · Accepted the proposal"
pub fn history_lines(events: &[StoredEvent], p: &Partnership) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            format!(
                "{}. {} · <@{}> · {}",
                e.seq,
                e.event
                    .at
                    .with_timezone(&p.timezone)
                    .format("%-d %b %Y %H:%M"),
                e.event.by,
                e.event.kind.summary(p)
            )
        })
        .collect()
}

/// The checklist of one case, grouped, with a coloured square per rated item.
pub fn checklist_card(case: &Case, p: &Partnership) -> Card {
    let mut card = Card {
        title: format!(
            "{} · checklist · {}",
            case.reference,
            p.checklist.progress(&case.checklist)
        ),
        colour: state_colour(case.state),
        fields: Vec::new(),
        footer: Some("Rate with /checklist rate".into()),
    };
    for group in p.checklist.groups() {
        let lines: Vec<String> = p
            .checklist
            .items
            .iter()
            .filter(|i| i.group == group)
            .map(|i| {
                let (mark, comment) = match case.checklist.get(&i.key) {
                    Some(r) => (
                        r.rag.square(),
                        r.comment
                            .as_ref()
                            .map(|c| format!(" — {}", defuse(c.as_str())))
                            .unwrap_or_default(),
                    ),
                    None => ("⬜", String::new()),
                };
                format!("{mark} {}{comment} `{}`", i.text, i.key)
            })
            .collect();
        card.field(group, lines.join("\n"), false);
    }
    card
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::{partnership, sample_attendance, text, today, CaseBuilder};
    use crate::domain::Action;

    #[test]
    fn the_card_shows_who_came_to_a_review() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .reviewed(ReviewKind::Midpoint);
        let staff = crate::domain::testkit::staff_of(crate::domain::testkit::DESTINATION);
        let reviews = |b: &CaseBuilder| {
            case_card(b.case(), partnership())
                .fields
                .into_iter()
                .find(|f| f.name == "Reviews")
                .map(|f| f.value)
                .unwrap_or_default()
        };
        let details = crate::domain::review_record::ReviewDetails {
            attendance: None,
            ..crate::domain::testkit::sample_review_details()
        };
        let b = b.act(
            &staff,
            Action::RecordReviewDetails {
                review: ReviewKind::Midpoint,
                details,
            },
        );
        assert!(!reviews(&b).contains("At the midpoint review"));
        let b = b.act(
            &staff,
            Action::RecordReviewAttendees {
                review: ReviewKind::Midpoint,
                attendance: sample_attendance(),
            },
        );
        let shown = reviews(&b);
        assert!(
            shown.contains("At the midpoint review: parent/carer, home school staff"),
            "{shown}"
        );
    }

    #[test]
    fn the_card_shows_the_meeting_held_with_who_came_and_short_notes() {
        let long = "x".repeat(1000);
        let b = CaseBuilder::proposed().accepted().act(
            &crate::domain::testkit::staff_of(crate::domain::testkit::HOME),
            Action::RecordMeetingHeld {
                on: today(),
                positives: Some(text(&long)),
                concerns: Some(text("Transport.")),
                attendance: Some(sample_attendance()),
            },
        );
        let card = case_card(b.case(), partnership());
        let field = |name: &str| {
            card.fields
                .iter()
                .find(|f| f.name == name)
                .map(|f| f.value.clone())
                .unwrap_or_default()
        };
        assert!(field("Initial meeting held").contains("pupil champion"));
        let aired = field("Aired at the meeting");
        assert!(aired.contains("Concerns: Transport."), "{aired}");
        assert!(aired.chars().count() < 700, "{}", aired.chars().count());
    }
}
