//! Who is holding a case up, and since when: for any case, the steps the protocol needs
//! next, who owes each, since when and by when. The board, the card, `/case show`, the
//! CLI, the digest and escalation all read this one function, so they never disagree.
//!
//! Pure: the case, the partnership (its calendar and policy) and today's local date in,
//! steps out. A step appears once it is owed (its `since` is today or earlier); a step
//! whose day has not come (next week's attendance report) is not yet anyone's to do.

use chrono::NaiveDate;

use super::approvals::Approver;
use super::attendance;
use super::case::{Case, CaseState, MoveKind, Outcome, ReviewKind};
use super::decide;
use super::family::LegalBasis;
use super::ids::SchoolKey;
use super::partnership::Partnership;
use super::returning;
use super::transfer;

/// School days the protocol allows for a step it sets no deadline of its own for (a school
/// week): scheduling the meeting, exam courses, a decision by the panel or an approver.
pub const PACE_SCHOOL_DAYS: u32 = 5;

/// Who owes a step.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A head of this school (signatures, agreements only a head gives).
    Head(SchoolKey),
    /// Both schools' heads, together (the outcome after the final review).
    BothHeads,
    /// This school: its head or staff.
    School(SchoolKey),
    Coordinators,
    /// The SEIP panel (a managed transfer's decision).
    Panel,
    /// Whoever gives the extra approval for an exam year.
    Approver(Approver),
    /// An outside body: chased by the coordinators.
    LocalAuthority,
}

impl Owner {
    /// "Hillcrest head", "Riverside", "the SEIP panel": schools always by name.
    pub fn label(&self, p: &Partnership) -> String {
        match self {
            Owner::Head(school) => format!("{} head", p.school_name(school)),
            Owner::BothHeads => "both heads".to_string(),
            Owner::School(school) => p.school_name(school),
            Owner::Coordinators => "coordinators".to_string(),
            Owner::Panel => "SEIP panel".to_string(),
            Owner::Approver(Approver::Seip) => "SEIP panel (approval)".to_string(),
            Owner::Approver(_) => "coordinators (approval)".to_string(),
            Owner::LocalAuthority => "local authority".to_string(),
        }
    }

    /// Outside bodies cannot be reminded in Discord: their steps go to the coordinators,
    /// who chase them.
    pub fn is_outside_body(&self) -> bool {
        matches!(self, Owner::LocalAuthority)
    }

    /// The school whose people owe the step, if one school does.
    pub fn school(&self) -> Option<&SchoolKey> {
        match self {
            Owner::Head(school) | Owner::School(school) => Some(school),
            _ => None,
        }
    }

    /// A decision that waits on the SEIP panel or the extra approval: its own board section.
    pub fn is_panel_or_approval(&self) -> bool {
        matches!(self, Owner::Panel | Owner::Approver(_))
    }
}

/// One step someone owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Stable while the step is owed, unique within the case: escalation and snoozes key
    /// on it (`sign_agreement_hillcrest`, `attendance_2026-11-02`).
    pub key: String,
    /// What to do, in the imperative, with the command: "sign the agreement".
    pub what: String,
    pub owner: Owner,
    /// The local day the step became owed.
    pub since: NaiveDate,
    /// The local day the protocol wants it done by.
    pub due: NaiveDate,
}

impl Step {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        today > self.due
    }

    /// What to do without its command hint in brackets: "sign the agreement".
    pub fn short_what(&self) -> &str {
        self.what.split(" (").next().unwrap_or(&self.what)
    }

    /// "Hillcrest head: sign the agreement".
    pub fn describe(&self, p: &Partnership) -> String {
        format!("{}: {}", self.owner.label(p), self.what)
    }

    /// School days the step has waited, not counting the day it became owed.
    pub fn waiting_school_days(&self, p: &Partnership, today: NaiveDate) -> u32 {
        p.calendar.school_days_between(self.since, today)
    }

    /// "waiting 3 school days", or "⚠️ overdue since Tue 3 Nov" once its day has passed.
    pub fn waiting(&self, p: &Partnership, today: NaiveDate) -> String {
        if self.is_overdue(today) {
            return format!("⚠️ overdue since {}", self.due.format("%a %-d %b"));
        }
        match self.waiting_school_days(p, today) {
            0 if self.due == today => "due today".to_string(),
            0 => format!("due {}", self.due.format("%a %-d %b")),
            1 => "waiting 1 school day".to_string(),
            n => format!("waiting {n} school days"),
        }
    }
}

/// Every step owed on the case today, the most pressing (earliest due) first. Empty for a
/// closed case that owes nothing (a follow-up is owed once its day comes).
pub fn next_steps(case: &Case, p: &Partnership, today: NaiveDate) -> Vec<Step> {
    let mut steps = all_steps(case, p);
    steps.retain(|s| s.since <= today);
    steps
}

/// Every step the case will owe as it stands, today's and those whose day is still to
/// come (next week's attendance report, the follow-up), earliest due first. Reminders
/// and escalation are planned from this, whatever the day.
pub fn all_steps(case: &Case, p: &Partnership) -> Vec<Step> {
    let mut out = Owed {
        case,
        p,
        steps: Vec::new(),
    };
    match case.state {
        CaseState::Proposed => out.proposal(),
        CaseState::Accepted | CaseState::Agreeing => out.before_start(),
        CaseState::Active => out.placement(),
        CaseState::Transferring => out.transferring(),
        CaseState::Returning => out.returning(),
        CaseState::Completed | CaseState::Terminated => out.follow_up(),
        CaseState::Declined | CaseState::Withdrawn | CaseState::Rejected => {}
    }
    let mut steps = out.steps;
    steps.sort_by_key(|s| s.due);
    steps
}

/// The first owed step as the board and digest say it, without its command: "**Hillcrest
/// School head: sign the agreement** · waiting 3 school days", with "(+2 more)" when
/// others are owed too.
pub fn headline(case: &Case, p: &Partnership, today: NaiveDate) -> Option<String> {
    let steps = next_steps(case, p, today);
    let first = steps.first()?;
    let more = match steps.len() - 1 {
        0 => String::new(),
        n => format!(" (+{n} more)"),
    };
    Some(format!(
        "**{}: {}**{more} · {}",
        first.owner.label(p),
        first.short_what(),
        first.waiting(p, today)
    ))
}

/// The day the most pressing step is due by, owed now or later: what the board sorts and
/// files a case by (stored as `next_due_on`), so its section and its line agree.
pub fn next_due(case: &Case, p: &Partnership) -> Option<NaiveDate> {
    all_steps(case, p).first().map(|s| s.due)
}

struct Owed<'a> {
    case: &'a Case,
    p: &'a Partnership,
    steps: Vec<Step>,
}

impl Owed<'_> {
    fn push(
        &mut self,
        key: impl Into<String>,
        what: impl Into<String>,
        owner: Owner,
        since: NaiveDate,
        due: NaiveDate,
    ) {
        self.steps.push(Step {
            key: key.into(),
            what: what.into(),
            owner,
            since,
            due: due.max(since),
        });
    }

    fn day(&self, at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
        self.p.today(at)
    }

    fn after(&self, day: NaiveDate, school_days: u32) -> NaiveDate {
        self.p.calendar.add_school_days(day, school_days)
    }

    fn proposal(&mut self) {
        let case = self.case;
        let since = self.day(case.proposed.at);
        let days = match self.p.policy.proposal_nudge_school_days {
            0 => PACE_SCHOOL_DAYS,
            n => u32::from(n),
        };
        self.push(
            "answer_proposal",
            "accept or decline the proposal (`/proposal accept`)",
            Owner::Head(case.destination.clone()),
            since,
            self.after(since, days),
        );
    }

    /// Everything the start waits for, as `decide::gates::missing_gates` checks it, each
    /// with its owner; then the start itself.
    fn before_start(&mut self) {
        let case = self.case;
        let (home, dest) = (case.home.clone(), case.destination.clone());
        let accepted = self.day(case.decided.as_ref().map_or(case.proposed.at, |s| s.at));
        let pace = self.after(accepted, PACE_SCHOOL_DAYS);
        // Everything before the start is due by the agreed start, or, before there is
        // one, within a school week of the acceptance.
        let start = case.agreement.as_ref().map(|a| a.terms.start);
        let by_start = start.unwrap_or(pace);
        let before = self.steps.len();

        if case.kind == MoveKind::ManagedTransfer
            && self.p.policy.transfer_needs_panel
            && case.panel.is_none()
        {
            let due = self.after(accepted, 3);
            self.push(
                "panel_decision",
                "decide the managed transfer (`/panel approve` or `/panel reject`)",
                Owner::Panel,
                accepted,
                due,
            );
        }
        if let Some(approver) = case.approval_asked {
            if case.extra_approval.is_none() {
                let due = self.after(accepted, 3);
                self.push(
                    "extra_approval",
                    "approve the move (`/approval decide`)",
                    Owner::Approver(approver),
                    accepted,
                    due,
                );
            }
            if case.exam_courses.is_none() {
                self.push(
                    "exam_courses",
                    "say if the exam courses continue (`/approval exam-courses`)",
                    Owner::School(dest.clone()),
                    accepted,
                    pace,
                );
            }
        }
        let meeting_day = case.meeting.as_ref().map(|m| self.day(m.at));
        match meeting_day {
            None => self.push(
                "schedule_meeting",
                "schedule the initial meeting (`/meeting schedule`)",
                Owner::Head(home.clone()),
                accepted,
                pace,
            ),
            Some(day)
                if case
                    .meeting_held
                    .as_ref()
                    .is_none_or(|h| h.attendance.is_none()) =>
            {
                let what = format!(
                    "hold the initial meeting on {} and record who came (`/meeting held`)",
                    day.format("%a %-d %b")
                );
                // Recorded on the day it is held: late from the next day.
                self.push(
                    "meeting_held",
                    what,
                    Owner::School(dest.clone()),
                    accepted,
                    day,
                );
            }
            Some(_) => {}
        }
        let agreed_at = meeting_day.unwrap_or(accepted).max(accepted);
        match &case.agreement {
            None => {
                let due = meeting_day.map_or(pace, |d| self.after(d, 1));
                self.push(
                    "record_agreement",
                    "record the agreement (`/agreement record`)",
                    Owner::Head(home.clone()),
                    agreed_at,
                    due,
                );
            }
            Some(agreement) => {
                for school in [&home, &dest] {
                    if !agreement.signatures.contains_key(school) {
                        let since = case
                            .terms_changed
                            .as_ref()
                            .map_or(agreed_at, |s| self.day(s.at));
                        let key = format!("sign_agreement_{}", school.as_str());
                        self.push(
                            key,
                            "sign the agreement (`/agreement sign`)",
                            Owner::Head(school.clone()),
                            since,
                            by_start,
                        );
                    }
                }
            }
        }
        self.consents(accepted, by_start);
        if case.ehcp && case.ehcp_amendment.is_none() {
            self.push(
                "ehcp_amendment",
                "amend the EHCP (record it with `/consent ehcp`)",
                Owner::LocalAuthority,
                accepted,
                by_start,
            );
        }
        if case.looked_after && case.virtual_school.is_none() {
            self.push(
                "virtual_school",
                "consult the Virtual School (`/consent virtual-school`)",
                Owner::Head(home.clone()),
                accepted,
                by_start,
            );
        }
        if !case.registrations.contains_key(&dest) {
            self.push(
                "subsidiary_registration",
                "register the pupil as a subsidiary (`/move registered`)",
                Owner::School(dest.clone()),
                agreed_at,
                by_start,
            );
        }
        match &case.safeguarding {
            None => self.push(
                "safeguarding_shared",
                "share what the destination needs to know (`/safeguarding shared`)",
                Owner::School(home.clone()),
                accepted,
                by_start,
            ),
            Some(shared) if shared.confirmed.is_none() => {
                let since = self.day(shared.recorded.at);
                self.push(
                    "safeguarding_confirmed",
                    "confirm the safeguarding information arrived (`/safeguarding confirm`)",
                    Owner::School(dest.clone()),
                    since,
                    by_start,
                );
            }
            Some(_) => {}
        }
        self.family(agreed_at, start);
        if self.steps.len() == before {
            // Nothing else is owed: the move can start on the agreed day.
            let ready = self.day(case.updated_at);
            let what = format!(
                "start the move on {} (`/move start`)",
                by_start.format("%a %-d %b")
            );
            self.push(
                "start_move",
                what,
                Owner::Head(home),
                ready.min(by_start),
                by_start,
            );
        }
    }

    fn consents(&mut self, accepted: NaiveDate, due: NaiveDate) {
        let case = self.case;
        let home = Owner::Head(case.home.clone());
        for missing in decide::missing_consents(case, self.p) {
            let (key, owner, what) = if missing.contains("local authority") {
                ("la_consent", Owner::LocalAuthority, "agree the move for the looked-after child (record it with `/consent local-authority`)".to_string())
            } else if missing.contains("pupil") {
                ("pupil_consent", home.clone(), strip_record(&missing))
            } else {
                ("parent_consent", home.clone(), strip_record(&missing))
            };
            self.push(key, what, owner, accepted, due);
        }
    }

    fn family(&mut self, since: NaiveDate, start: Option<NaiveDate>) {
        let (case, p) = (self.case, self.p);
        let home = Owner::School(case.home.clone());
        let Some(start) = start else { return };
        if p.policy.parent_copy_required && !decide::copy_is_current(case) {
            self.push(
                "parent_copy",
                "give the parent/carer their copy of the agreement (`/consent copy-given`)",
                home.clone(),
                since,
                start,
            );
        }
        if p.policy.legal_basis == LegalBasis::OffSiteDirection {
            let last = super::reminders::family::last_notice_day(&p.calendar, start);
            match &case.notice {
                None => self.push(
                    "notice",
                    "give the parent/carer written notice (`/consent notice-given`)",
                    home,
                    since,
                    last,
                ),
                Some(n) if case.ehcp && n.la_notified.is_none() => self.push(
                    "notice_la",
                    "give the local authority notice too (`/consent notice-given`)",
                    home,
                    since,
                    last,
                ),
                Some(_) => {}
            }
        }
    }

    fn placement(&mut self) {
        let (case, p) = (self.case, self.p);
        let (home, dest) = (case.home.clone(), case.destination.clone());
        let Some(agreement) = &case.agreement else {
            return;
        };
        let started = case.started_on.unwrap_or(agreement.terms.start);
        if !case.registrations.contains_key(&home) {
            let due = self.after(started, 1);
            self.push(
                "home_registration",
                "record code D on the home register (`/move registered`)",
                Owner::School(home.clone()),
                started,
                due,
            );
        }
        for week in attendance::placement_weeks(case, p) {
            if !case.attendance.contains_key(&week.monday) {
                let what = format!(
                    "report attendance for the week of {} (`/attendance record`)",
                    week.monday.format("%-d %b")
                );
                let due = self.after(week.due, 1);
                self.push(
                    format!("attendance_{}", week.monday),
                    what,
                    Owner::School(dest.clone()),
                    week.due,
                    due,
                );
            }
        }
        if let Some(request) = case.open_review_request() {
            if let Some(due) = request.due {
                self.push(
                    "requested_review",
                    "hold the review the parent asked for (`/review record`)",
                    Owner::School(dest.clone()),
                    request.on,
                    due,
                );
            }
        }
        if let Some(ext) = case.pending_extension() {
            let other = if ext.asked_for == home {
                dest.clone()
            } else {
                home.clone()
            };
            let since = self.day(ext.asked.at);
            let due = self.after(since, PACE_SCHOOL_DAYS);
            self.push(
                "extension_agreed",
                "agree or refuse the extension (`/move extend`)",
                Owner::Head(other),
                since,
                due,
            );
        } else if case.awaits_parent_for_extension() {
            let since = case
                .extension
                .as_ref()
                .and_then(|e| e.agreed.as_ref())
                .map_or(started, |(_, s)| self.day(s.at));
            let due = self.after(since, PACE_SCHOOL_DAYS);
            self.push(
                "extension_consent",
                "record the parent/carer's agreement to the extension (`/consent parent`)",
                Owner::Head(home.clone()),
                since,
                due,
            );
        }
        if let Some(asked) = &case.final_forward_asked {
            let other = if asked.school == home {
                dest.clone()
            } else {
                home.clone()
            };
            let due = self.after(asked.on, PACE_SCHOOL_DAYS);
            self.push(
                "final_forward",
                "agree to bring the final review forward (`/review forward`)",
                Owner::Head(other),
                asked.on,
                due,
            );
        }
        let midpoint_due =
            p.policy.midpoint_required && case.review(ReviewKind::Midpoint).is_none();
        if midpoint_due {
            self.push(
                "midpoint_review",
                "hold the midpoint review (`/review record`)",
                Owner::School(dest.clone()),
                started,
                agreement.midpoint_review,
            );
        } else if case.review(ReviewKind::Final).is_none() {
            self.push(
                "final_review",
                "hold the final review (`/review record`)",
                Owner::School(dest.clone()),
                started,
                agreement.final_review,
            );
        } else if case.open_disputes().is_empty() {
            self.outcome(agreement.final_review);
        }
        if let Some(dispute) = case.open_disputes().first() {
            let since = self.day(dispute.recorded.at);
            let due = self.after(since, PACE_SCHOOL_DAYS);
            self.push(
                "outcome_dispute",
                "settle the heads' different outcomes with both heads",
                Owner::Coordinators,
                since,
                due,
            );
        }
    }

    /// After the final review the heads choose the outcome; a permanent transfer needs
    /// both to confirm it.
    fn outcome(&mut self, final_review: NaiveDate) {
        let case = self.case;
        let held = case
            .review(ReviewKind::Final)
            .map_or(final_review, |r| r.held_on);
        let due = self.after(held, PACE_SCHOOL_DAYS);
        match case.permanent_confirmed_by.keys().next() {
            None => self.push(
                "outcome",
                "record the outcome (`/move outcome`)",
                Owner::BothHeads,
                held,
                due,
            ),
            Some(confirmed) => {
                let other = if *confirmed == case.home {
                    case.destination.clone()
                } else {
                    case.home.clone()
                };
                let what = format!(
                    "confirm the {} (`/move outcome`)",
                    Outcome::Permanent.label()
                );
                self.push("outcome_confirm", what, Owner::Head(other), held, due);
            }
        }
    }

    fn transferring(&mut self) {
        let case = self.case;
        let Some(t) = &case.transfer else { return };
        let (home, dest) = (case.home.clone(), case.destination.clone());
        for step in transfer::steps(case) {
            if step.done.is_some() {
                continue;
            }
            let owner = match step.key {
                "transfer_named_school" => Owner::LocalAuthority,
                "transfer_main_registration" | "transfer_cp_receipt" => Owner::School(dest.clone()),
                _ => Owner::School(home.clone()),
            };
            let due = step.due.unwrap_or(t.roll_due);
            let what = transfer_action(step.key).to_string();
            self.push(step.key, what, owner, t.begun_on, due);
        }
    }

    fn returning(&mut self) {
        let (case, p) = (self.case, self.p);
        let Some(r) = &case.returning else { return };
        let since = r.returned_on(p);
        for (step, due) in returning::open_steps(case, p) {
            let command = match step {
                returning::Step::Meeting => "/return meeting",
                returning::Step::Plan => "/return plan",
                returning::Step::Registration(_) => "/return registered",
            };
            let what = format!("{} (`{command}`)", step_action(step));
            self.push(
                step.key(),
                what,
                Owner::School(step.school(case).clone()),
                since,
                due,
            );
        }
    }

    fn follow_up(&mut self) {
        let (case, p) = (self.case, self.p);
        if case.follow_up.is_some() {
            return;
        }
        let (Some(due), Some(school)) = (
            returning::follow_up_due(case, p),
            returning::responsible_school(case),
        ) else {
            return;
        };
        let due_by = self.after(due, PACE_SCHOOL_DAYS);
        self.push(
            "follow_up",
            "record the follow-up one term on (`/case follow-up`)",
            Owner::School(school.clone()),
            due,
            due_by,
        );
    }
}

fn step_action(step: returning::Step) -> &'static str {
    use returning::{Side, Step as S};
    match step {
        S::Meeting => "hold the reintegration meeting",
        S::Plan => "record the reintegration plan",
        S::Registration(Side::Destination) => "end the subsidiary registration",
        S::Registration(Side::Home) => "stop code D",
    }
}

fn transfer_action(key: &str) -> &'static str {
    match key {
        "transfer_named_school" => {
            "amend the EHCP's named school (record it with `/transfer ehcp-amended`)"
        }
        "transfer_virtual_school" => "tell the Virtual School (`/transfer virtual-school`)",
        "transfer_main_registration" => {
            "register the pupil on the main roll (`/transfer registered`)"
        }
        "transfer_removal" => "remove the pupil from roll, the same day (`/transfer removed`)",
        "transfer_cp_file" => "send any child-protection file (`/transfer cp-file`)",
        "transfer_cp_receipt" => {
            "confirm the child-protection file arrived (`/transfer cp-received`)"
        }
        _ => "send the common transfer file and educational record (`/transfer records`)",
    }
}

/// "record the parent/carer's agreement" from the gate's sentence, without its command.
fn strip_record(sentence: &str) -> String {
    sentence.split(" (`").next().unwrap_or(sentence).to_string()
}
