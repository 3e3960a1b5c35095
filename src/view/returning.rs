//! The returning stage and the follow-up on the case card, and the board's line for a
//! case in the returning stage.

use chrono::NaiveDate;

use crate::domain::returning::{follow_up_due, open_steps, Reintegration, ReturnHow, Step};
use crate::domain::{Case, CaseState, Partnership};

use super::{defuse, Card};

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// "Return" (when, each step), "Why the pupil returns", "Reintegration plan" and
/// "Follow-up" fields, when they apply. Free text has fields of its own, so a long reason
/// or plan is shortened to fit Discord without pushing the steps off the card.
pub fn fields(card: &mut Card, case: &Case, p: &Partnership) {
    if let Some(r) = &case.returning {
        card.field("Return", return_lines(case, r, p), false);
        if case.state == CaseState::Returning {
            card.field("Why the pupil returns", why(r), false);
        }
        if let Some(plan) = &r.plan {
            card.field(
                "Reintegration plan",
                format!(
                    "Support: {}\nTargets: {}\nContact: {}",
                    defuse(plan.support.as_str()),
                    defuse(plan.targets.as_str()),
                    defuse(plan.contact.as_str())
                ),
                false,
            );
        }
    }
    if let Some(f) = &case.follow_up {
        let mut text = format!(
            "{}: {}, attendance {}, {} suspension{} since; recorded {}",
            p.school_name(&f.school),
            if f.on_roll {
                "still on roll"
            } else {
                "no longer on roll"
            },
            f.attendance,
            f.suspensions,
            if f.suspensions == 1 { "" } else { "s" },
            day(p.today(f.recorded.at))
        );
        if let Some(note) = &f.note {
            text.push_str(&format!("\n{}", defuse(note.as_str())));
        }
        card.field("Follow-up", text, false);
    } else if let Some(due) = follow_up_due(case, p) {
        card.field(
            "Follow-up",
            format!("due from {} (`/case follow-up`)", day(due)),
            false,
        );
    }
}

/// How the pupil came to return, with the reason as typed (the close shows it as the
/// closing note).
fn why(r: &Reintegration) -> String {
    match &r.how {
        ReturnHow::Returned { note } => format!("{}: {}", r.how.label(), defuse(note.as_str())),
        ReturnHow::Terminated { reason } => {
            format!("{}: {}", r.how.label(), defuse(reason.as_str()))
        }
        ReturnHow::ConsentWithdrawn { on, reason } => format!(
            "{} on {}: {}",
            r.how.label(),
            day(*on),
            defuse(reason.as_str())
        ),
    }
}

fn return_lines(case: &Case, r: &Reintegration, p: &Partnership) -> String {
    let mut lines = vec![format!(
        "{}; returned {}; each step due by {}",
        r.how.label(),
        day(r.returned_on(p)),
        day(r.meeting_due(p))
    )];
    for step in Step::ALL {
        let mark = if step.done(case, r) { "✓" } else { "…" };
        let detail = match step {
            Step::Meeting => r
                .meeting
                .as_ref()
                .map(|m| format!("held {}: {}", day(m.on), m.attendance.describe())),
            Step::Plan => r
                .plan
                .as_ref()
                .map(|plan| format!("recorded {}", day(p.today(plan.recorded.at)))),
            Step::Registration(_) => r
                .registration_ended
                .get(step.school(case))
                .map(|e| format!("from {}, LA told {}", day(e.on), day(e.la_notified))),
        };
        let label = step.label();
        match detail {
            Some(d) => lines.push(format!("{mark} {label}: {d}")),
            None => lines.push(format!("{mark} {label}")),
        }
    }
    lines.join("\n")
}

/// For the board: the earliest day a step of the returning stage is due, and how many of
/// its four steps are done. `None` outside the stage.
pub fn board_status(case: &Case, p: &Partnership) -> Option<(NaiveDate, String)> {
    if case.state != CaseState::Returning {
        return None;
    }
    let open = open_steps(case, p);
    let due = open.iter().map(|(_, d)| *d).min()?;
    let done = Step::ALL.len() - open.len();
    Some((
        due,
        format!("return: {done} of {} steps done", Step::ALL.len()),
    ))
}

#[cfg(test)]
mod tests {
    use crate::domain::testkit::*;
    use crate::domain::{Action, ActionKind};
    use crate::view::{board, case_card};

    fn field(card: &crate::view::Card, name: &str) -> String {
        card.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.clone())
            .unwrap_or_else(|| panic!("no field {name}"))
    }

    #[test]
    fn the_card_shows_how_the_pupil_returned_and_each_step_done_or_not() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminating();
        let today = b.today();
        let plan = sample_action(ActionKind::RecordReintegrationPlan, today).unwrap();
        let b = b.act(&head_of(HOME), plan);
        let card = case_card(b.case(), b.partnership());
        let why = field(&card, "Why the pupil returns");
        assert!(
            why.contains("ended early by the destination school: Persistent failure"),
            "{why}"
        );
        assert!(field(&card, "Reintegration plan").contains("Contact: Mr Shah, head of year"));
        let text = field(&card, "Return");
        assert!(text.contains("each step due by Tue 1 Dec 2026"), "{text}");
        assert!(text.contains("… reintegration meeting"), "{text}");
        assert!(text.contains("✓ reintegration plan"), "{text}");
        assert!(text.contains("… home school stops code D"), "{text}");
    }

    #[test]
    fn the_board_shows_a_returning_case_by_its_steps_and_their_due_day() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminating();
        let lines = board(
            std::slice::from_ref(b.case()),
            b.partnership(),
            day(2026, 12, 2),
        );
        assert_eq!(lines.len(), 1);
        let line = &lines[0].text;
        assert!(line.contains("returning"), "{line}");
        assert!(line.contains("overdue since Tue 1 Dec"), "{line}");
        assert!(line.contains("return: 0 of 4 steps done"), "{line}");
    }

    #[test]
    fn the_card_says_when_the_follow_up_is_due_and_then_what_was_recorded() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminated();
        let card = case_card(b.case(), b.partnership());
        assert!(field(&card, "Follow-up").starts_with("due from "));
        let due = crate::domain::returning::follow_up_due(b.case(), b.partnership()).unwrap();
        let at = b
            .partnership()
            .instant(due, chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        let b = b.at(at).act(
            &staff_of(HOME),
            Action::RecordFollowUp {
                on_roll: false,
                attendance: crate::domain::attendance::Percent::from_tenths(612),
                suspensions: 2,
                note: None,
            },
        );
        let text = field(&case_card(b.case(), b.partnership()), "Follow-up");
        assert!(
            text.contains("no longer on roll, attendance 61.2%, 2 suspensions since"),
            "{text}"
        );
    }
}
