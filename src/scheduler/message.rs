//! What a reminder says, as plain text shared by Discord and the CLI. Only the case
//! reference, the schools and dates appear: never the pupil's initials or any free text,
//! since reminders also reach the SEIP channel and people's notifications.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::next_step::all_steps;
use crate::domain::reminders::escalation::pingable;
use crate::domain::reminders::escalation::step_key;
use crate::domain::reminders::ReminderKind;
use crate::domain::{Case, Partnership};

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// The message for one reminder about `case` (`key` is the reminder's key on the case),
/// which is its current state.
pub fn reminder_text(
    kind: ReminderKind,
    key: &str,
    case: &Case,
    p: &Partnership,
    about: NaiveDate,
) -> String {
    use ReminderKind as K;
    let r = case.reference;
    let (home, dest) = (p.school_name(&case.home), p.school_name(&case.destination));
    let meeting_time = case.meeting.as_ref().map_or(String::new(), |m| {
        m.at.with_timezone(&p.timezone)
            .format(" at %H:%M")
            .to_string()
    });
    match kind {
        K::ProposalNudge => format!(
            "The proposal `{r}` from {home} has had no answer for {} school days. Please accept or decline it.",
            p.policy.proposal_nudge_school_days
        ),
        K::PanelNudge => format!(
            "Managed transfer `{r}` ({home} → {dest}) is still waiting for the SEIP panel's decision. Open it with `/case show {r}`."
        ),
        K::ApprovalNudge => format!(
            "The {} `{r}` ({home} → {dest}, {}) is still waiting for the extra approval before it can start. Open it with `/case show {r}`.",
            case.kind.label(),
            case.pupil.year
        ),
        K::MeetingDayBefore => format!(
            "The initial meeting for `{r}` is on {}{meeting_time}, at {dest}: both schools' senior staff, the parent/carer and the pupil; name the pupil champion there.",
            day(about)
        ),
        K::MeetingToday => format!("The initial meeting for `{r}` is today{meeting_time}, at {dest}."),
        K::ChecklistAtStart => format!(
            "The placement for `{r}` starts on {}, and the checklist is not ready ({}). See `/checklist show {r}`.",
            day(about),
            p.checklist.progress(&case.checklist)
        ),
        K::CheckIn => format!(
            "A check-in with the pupil is due for `{r}`. Log it with `/move checkin`."
        ),
        K::MidpointReviewNotice | K::FinalReviewNotice => format!(
            "The {} for `{r}` is on {}. Invite the key people from the initial meeting, the parent/carer and the pupil{}.",
            review_name(kind),
            day(about),
            also_invite(case)
        ),
        K::MidpointReview => format!(
            "The midpoint review for `{r}` is today. Record it with `/review record`."
        ),
        K::FinalReview => format!(
            "The final review for `{r}` is today. Record it with `/review record`, then the outcome with `/move outcome`."
        ),
        K::EndDate => format!(
            "The placement for `{r}` ended on {}. Record the final review and the outcome (`/review record`, `/move outcome`).",
            day(about)
        ),
        K::Digest | K::WeeklySummary => kind.label().to_string(),
        K::RequestedReview => format!(
            "The review the parent/carer asked for on `{r}` is due by {}. Hold it (or bring the next review forward with `/review reschedule`) and record it with `/review record`.",
            day(about)
        ),
        K::ExtensionConsent => format!(
            "The placement for `{r}` was extended: record the parent/carer's agreement to the new length with `/consent parent`."
        ),
        K::HomeRegistration => format!(
            "The move `{r}` started; {home} should confirm the pupil's main registration with code D (sessions at {dest}) by {}, with the day it told the local authority. Confirm it with `/move registered`.",
            day(about)
        ),
        K::AttendanceDue => format!(
            "{dest}: the weekly attendance report for `{r}` was due on {}. Report it with `/attendance record`.",
            day(about)
        ),
        K::AttendanceLow => format!(
            "Attendance for `{r}` has been at or below {}% for two weeks running (to the week of {}). Heads of {home} and {dest}: please bring a review forward (`/review reschedule`).",
            p.policy.attendance_threshold,
            day(about)
        ),
        K::TransferNamedSchool => format!(
            "Permanent transfer `{r}`: the pupil has an EHCP, so the local authority amends the named school to {dest} before the rolls change. When it has, a head records it with `/transfer ehcp-amended`."
        ),
        K::TransferVirtualSchool => format!(
            "Permanent transfer `{r}`: tell the Virtual School, then record it with `/transfer virtual-school`."
        ),
        K::TransferMainRegistration => format!(
            "Permanent transfer `{r}`: the head of {dest} makes its registration the main one (never earlier than the day both heads confirmed) and records it with `/transfer registered`."
        ),
        K::TransferRemoval => format!(
            "Permanent transfer `{r}`: once {dest} has confirmed its main registration, the head of {home} removes the pupil from roll on the same date and records it with `/transfer removed`."
        ),
        K::TransferCpFile => format!(
            "Permanent transfer `{r}`: {home} sends any child-protection file to {dest}'s safeguarding lead by {}, and records it (or that there is none) with `/transfer cp-file`.",
            day(about)
        ),
        K::TransferCpReceipt => format!(
            "Permanent transfer `{r}`: {dest}'s safeguarding lead confirms the child-protection file arrived with `/transfer cp-received`."
        ),
        K::TransferRecords => format!(
            "Permanent transfer `{r}`: {home} sends the common transfer file and educational record by {}, and records it with `/transfer records`.",
            day(about)
        ),
        K::ReintegrationMeeting => format!(
            "`{r}`: the pupil is back at {home}. Hold the reintegration meeting by {} and record it, with who came, using `/return meeting`.",
            day(about)
        ),
        K::ReintegrationPlan => format!(
            "`{r}`: {home}'s reintegration plan (support, targets, a named contact) is due by {}. Record it with `/return plan`.",
            day(about)
        ),
        K::ReturnRegistrationDestination => format!(
            "`{r}`: {dest} should end the subsidiary registration by {}, with the day it told the local authority. Record it with `/return registered`.",
            day(about)
        ),
        K::ReturnRegistrationHome => format!(
            "`{r}`: {home} should stop code D by {}, with the day it told the local authority. Record it with `/return registered`.",
            day(about)
        ),
        K::FollowUp => format!(
            "`{r}` closed one term ago. Is the pupil still on roll and attending? Record the follow-up with `/case follow-up` by {}.",
            day(about)
        ),
        K::NoticeDue => format!(
            "{home}: to start `{r}` on {}, give the parent/carer the written notice of the off-site direction today at the latest (`/document notice`), then record it with `/consent notice-given`.",
            day(about)
        ),
        K::StepOverdue | K::StepEscalated => step_text(kind, key, case, p, about),
    }
}

/// The escalation rule's one shape: "`MM-2026-0042` ⚠️ overdue since Tue 3 Nov: Hillcrest
/// School head: sign the agreement (`/agreement sign`)." The step is read from the case as
/// it is now; one done since the reminder was queued is named by its key.
fn step_text(
    kind: ReminderKind,
    key: &str,
    case: &Case,
    p: &Partnership,
    due: NaiveDate,
) -> String {
    let r = case.reference;
    let wanted = step_key(key);
    let step = all_steps(case, p).into_iter().find(|s| s.key == wanted);
    let what = step
        .as_ref()
        .map_or_else(|| format!("`{wanted}`"), |s| s.describe(p));
    let chase = match &step {
        Some(s) if s.owner.is_outside_body() => " Coordinators: please chase it.",
        _ => "",
    };
    let pingable = step.as_ref().is_some_and(|s| pingable(&s.owner));
    match kind {
        ReminderKind::StepEscalated if pingable => format!(
            "`{r}` 🔺 escalated, overdue since {}: {what}. Ping the owner with the button or `/case ping`.",
            day(due)
        ),
        ReminderKind::StepEscalated => format!(
            "`{r}` 🔺 escalated, overdue since {}: {what}.{chase}",
            day(due)
        ),
        _ => format!("`{r}` ⚠️ overdue since {}: {what}.{chase}", day(due)),
    }
}

/// Who else every review invites (DOMAIN.md, "Meetings and reviews"): the local
/// authority's SEN team for a pupil with an EHCP; the Virtual School and the social worker
/// for a looked-after child. Review notices go to the case's private thread only, where
/// everyone may see the case's needs.
fn also_invite(case: &Case) -> String {
    let mut who = Vec::new();
    if case.ehcp {
        who.push("the local authority's SEN team (EHCP)");
    }
    if case.looked_after {
        who.push("the Virtual School and the social worker (looked-after child)");
    }
    who.iter().map(|w| format!("; also {w}")).collect()
}

fn review_name(kind: ReminderKind) -> &'static str {
    match kind {
        ReminderKind::MidpointReviewNotice => "midpoint review",
        _ => "final review",
    }
}

/// Said before a reminder queued well after its time.
pub fn late_note(due_at: DateTime<Utc>, p: &Partnership) -> String {
    format!(
        "Late reminder: it was due {}, while the bot was offline.",
        due_at
            .with_timezone(&p.timezone)
            .format("%a %-d %b at %H:%M")
    )
}
