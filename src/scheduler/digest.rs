//! The coordinators' morning digest and weekly summary, worked out when they are sent from
//! the cases as they are then (so a review recorded at 07:44 is not listed at 07:45).
//! Coordinators see every case; still, only references, schools and dates are shown.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};

use crate::domain::attendance;
use crate::domain::next_step::{all_steps, Step};
use crate::domain::reminders::escalation::{escalated_steps, is_snoozed};
use crate::domain::reminders::{plan, ReminderKind, ReminderSettings};
use crate::domain::{Case, CaseState, Partnership};

/// For each open case, the earliest day of each kind of thing still to be done (reviews,
/// check-ins, the meeting): owed steps are listed from `next_step` by [`step_items`],
/// except those these already list (a review is both), and an escalated review is listed
/// as escalated only.
fn outstanding<'a>(
    cases: &'a [Case],
    p: &Partnership,
    s: &ReminderSettings,
) -> Vec<(&'a Case, ReminderKind, NaiveDate)> {
    let mut out = Vec::new();
    for case in cases.iter().filter(|c| !c.state.is_closed()) {
        let mut earliest: BTreeMap<&str, (ReminderKind, NaiveDate)> = BTreeMap::new();
        for r in plan(case, p, s)
            .into_iter()
            .filter(|r| r.kind.marks_the_day())
        {
            let entry = earliest.entry(r.kind.as_str()).or_insert((r.kind, r.about));
            entry.1 = entry.1.min(r.about);
        }
        out.extend(earliest.into_values().map(|(kind, day)| (case, kind, day)));
    }
    out.sort_by_key(|(c, _, day)| (*day, c.reference));
    out
}

fn overdue_label(kind: ReminderKind) -> &'static str {
    use ReminderKind as K;
    match kind {
        K::ProposalNudge => "proposal unanswered",
        K::PanelNudge => "SEIP decision pending",
        K::ApprovalNudge => "extra approval pending",
        K::ChecklistAtStart => "checklist not ready",
        K::CheckIn => "check-in overdue",
        K::MidpointReview => "midpoint review not recorded",
        K::FinalReview => "final review not recorded",
        K::EndDate => "outcome not recorded",
        K::RequestedReview => "review asked for by the parent not held",
        K::ExtensionConsent => "parent's agreement to the extension not recorded",
        K::HomeRegistration => "home school's code D registration not confirmed",
        K::AttendanceDue => "weekly attendance report missing",
        K::TransferNamedSchool => "EHCP's named school not amended",
        K::TransferVirtualSchool => "Virtual School not told of the transfer",
        K::TransferMainRegistration => "destination's main registration not recorded",
        K::TransferRemoval => "home school's removal from roll not recorded",
        K::TransferCpFile => "child-protection file not sent",
        K::TransferCpReceipt => "receipt of the child-protection file not confirmed",
        K::TransferRecords => "common transfer file and educational record not sent",
        K::ReintegrationMeeting => "reintegration meeting not recorded",
        K::ReintegrationPlan => "reintegration plan not recorded",
        K::ReturnRegistrationDestination => {
            "destination's register change for the return not recorded"
        }
        K::ReturnRegistrationHome => "home school's register change for the return not recorded",
        K::NoticeDue => "written notice of the off-site direction not recorded",
        _ => kind.label(),
    }
}

/// What an open case owes, step by step: escalated (with the school days overdue), or
/// else owed with its due day. A step snoozed past today is not escalated.
struct StepItems<'a> {
    escalated: Vec<(&'a Case, Step, u32)>,
    owed: Vec<(&'a Case, Step)>,
}

fn step_items<'a>(
    cases: &'a [Case],
    p: &Partnership,
    s: &ReminderSettings,
    today: NaiveDate,
) -> StepItems<'a> {
    let mut items = StepItems {
        escalated: Vec::new(),
        owed: Vec::new(),
    };
    for case in cases.iter().filter(|c| !c.state.is_closed()) {
        let escalated = escalated_steps(case, p, today);
        let planned: Vec<String> = plan(case, p, s)
            .into_iter()
            .filter(|r| r.kind.marks_the_day())
            .map(|r| r.key)
            .collect();
        for step in all_steps(case, p) {
            match escalated.iter().find(|(s, _)| s.key == step.key) {
                Some((_, days)) => items.escalated.push((case, step, *days)),
                None if planned.contains(&step.key) => {}
                None => items.owed.push((case, step)),
            }
        }
    }
    // The longest overdue first: the coordinators chase those before the rest.
    items
        .escalated
        .sort_by_key(|(c, s, days)| (std::cmp::Reverse(*days), c.reference, s.due));
    items.owed.sort_by_key(|(c, s)| (s.due, c.reference));
    items
}

/// "Hillcrest School head: sign the agreement (`/agreement sign`) · 4 school days overdue".
fn escalated_line(case: &Case, p: &Partnership, step: &Step, days: u32) -> String {
    let plural = if days == 1 { "" } else { "s" };
    let what = format!("{} · {days} school day{plural} overdue", step.describe(p));
    line(case, p, &what)
}

/// Whether the step is overdue today and its reminder is not snoozed past today.
fn overdue_now(case: &Case, step: &Step, today: NaiveDate) -> bool {
    step.is_overdue(today) && step.since <= today && !is_snoozed(step, case, today)
}

fn line(case: &Case, p: &Partnership, what: &str) -> String {
    format!(
        "`{}` {} → {} · {what}",
        case.reference,
        p.school_name(&case.home),
        p.school_name(&case.destination)
    )
}

/// What is due today and what is overdue, as lines with headings; split by lead ("Led
/// by A. Khan", "No lead") when the open cases have more than one (`super::by_lead`).
pub fn digest_lines(
    cases: &[Case],
    p: &Partnership,
    s: &ReminderSettings,
    today: NaiveDate,
) -> Vec<String> {
    super::by_lead::split(cases, |part| digest_section(part, p, s, today))
}

/// [`digest_lines`] for one set of cases.
fn digest_section(
    cases: &[Case],
    p: &Partnership,
    s: &ReminderSettings,
    today: NaiveDate,
) -> Vec<String> {
    let steps = step_items(cases, p, s, today);
    // An escalated review is listed as escalated, not again as overdue.
    let items: Vec<_> = outstanding(cases, p, s)
        .into_iter()
        .filter(|(c, kind, _)| {
            !steps
                .escalated
                .iter()
                .any(|(e, step, _)| e.reference == c.reference && step.key == kind.as_str())
        })
        .collect();
    let escalated: Vec<String> = steps
        .escalated
        .iter()
        .map(|(c, step, days)| escalated_line(c, p, step, *days))
        .collect();
    let mut due: Vec<String> = items
        .iter()
        .filter(|(_, _, day)| *day == today)
        .map(|(c, kind, _)| line(c, p, kind.label()))
        .collect();
    due.extend(
        steps
            .owed
            .iter()
            .filter(|(_, step)| step.due == today && step.since <= today)
            .map(|(c, step)| line(c, p, &step.describe(p))),
    );
    let mut overdue: Vec<String> = items
        .iter()
        .filter(|(_, kind, day)| *day < today && *kind != ReminderKind::MeetingToday)
        .map(|(c, kind, day)| {
            let what = format!("{} since {}", overdue_label(*kind), day.format("%a %-d %b"));
            line(c, p, &what)
        })
        .collect();
    overdue.extend(
        steps
            .owed
            .iter()
            .filter(|(c, step)| overdue_now(c, step, today))
            .map(|(c, step)| {
                let since = step.due.format("%a %-d %b");
                line(
                    c,
                    p,
                    &format!("{} · overdue since {since}", step.describe(p)),
                )
            }),
    );
    let disputed = super::disputes::dispute_lines(cases, p);
    let low = low_attendance_lines(cases, p);
    if [&escalated, &due, &overdue, &disputed, &low]
        .iter()
        .all(|lines| lines.is_empty())
    {
        return vec![super::by_lead::NOTHING.into()];
    }
    let mut out = Vec::new();
    let low_heading = format!(
        "**Attendance at or below {}%**",
        p.policy.attendance_threshold
    );
    for (heading, lines) in [
        ("**Escalated: overdue, chase the owner**", escalated),
        ("**Due today**", due),
        ("**Overdue**", overdue),
        ("**Outcome disputed: the heads disagree**", disputed),
        (low_heading.as_str(), low),
    ] {
        if !lines.is_empty() {
            out.push(heading.to_string());
            out.extend(lines);
        }
    }
    out
}

/// Active cases whose latest reported week is at or below the attendance threshold. The
/// figure itself stays on the case: the digest names the week only.
fn low_attendance_lines(cases: &[Case], p: &Partnership) -> Vec<String> {
    let threshold = p.policy.attendance_threshold();
    cases
        .iter()
        .filter(|c| c.state == CaseState::Active)
        .filter_map(|c| {
            let latest = attendance::latest_low(c, threshold)?;
            // Only when the latest low week itself ends a run, not for a run long past.
            let runs = attendance::low_runs(c, p, threshold).last() == Some(&latest);
            let what = format!(
                "week of {} at or below the threshold{}",
                latest.format("%a %-d %b"),
                if runs { "; two weeks running" } else { "" }
            );
            Some(line(c, p, &what))
        })
        .collect()
}

/// Open cases by state, what falls in the coming week, and how much is overdue.
pub fn weekly_lines(
    cases: &[Case],
    p: &Partnership,
    s: &ReminderSettings,
    today: NaiveDate,
) -> Vec<String> {
    let open: Vec<&Case> = cases.iter().filter(|c| !c.state.is_closed()).collect();
    let counts: Vec<String> = CaseState::ALL
        .iter()
        .filter(|s| !s.is_closed())
        .map(|state| {
            let n = open.iter().filter(|c| c.state == *state).count();
            format!("{n} {state}")
        })
        .collect();
    let mut out = vec![format!(
        "**Open cases:** {} ({})",
        open.len(),
        counts.join(", ")
    )];
    let items = outstanding(cases, p, s);
    let steps = step_items(cases, p, s, today);
    let week_end = today + Days::new(7);
    let mut coming: Vec<(NaiveDate, String)> = items
        .iter()
        .filter(|(_, _, day)| *day > today && *day <= week_end)
        .map(|(c, kind, day)| {
            let what = format!("{} {}", day.format("%a %-d %b"), kind.label());
            (*day, line(c, p, &what))
        })
        .collect();
    coming.extend(
        steps
            .owed
            .iter()
            .filter(|(_, step)| step.due > today && step.due <= week_end)
            .map(|(c, step)| {
                let what = format!("{} {}", step.due.format("%a %-d %b"), step.describe(p));
                (step.due, line(c, p, &what))
            }),
    );
    coming.sort_by_key(|(day, _)| *day);
    let coming: Vec<String> = coming.into_iter().map(|(_, l)| l).collect();
    let overdue_steps = steps.escalated.len()
        + steps
            .owed
            .iter()
            .filter(|(c, step)| overdue_now(c, step, today))
            .count();
    let overdue = items
        .iter()
        .filter(|(_, kind, day)| *day < today && *kind != ReminderKind::MeetingToday)
        .count()
        + overdue_steps;
    out.push(format!("**Overdue:** {overdue}"));
    out.push("**Coming up in the next seven days**".into());
    if coming.is_empty() {
        out.push("Nothing scheduled.".into());
    }
    out.extend(coming);
    out
}
