//! What a case should remind people about, and when: a pure function of the case, the
//! partnership's calendar and the reminder settings. The scheduler stores the result and
//! delivers each reminder once; nothing here reads a clock, so "now" never changes a plan.

use super::attendance;
use super::calendar::SchoolCalendar;
use super::case::{Case, CaseState, ReviewKind};
use super::checklist::Rag;
use super::dates::placement_end;
use super::partnership::Partnership;
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};

pub mod escalation;
pub mod family;
mod kind;

pub use kind::{Recipients, ReminderKind};

/// When and how often reminders go out (config `[reminders]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    /// Local time (partnership zone) at which reminders are posted on their day.
    pub send_at: NaiveTime,
    /// Remind the destination school's staff to meet the pupil every N school days (0: off).
    pub check_in_every_school_days: u8,
    /// Remind the case team this many school days before a review, to invite people (0: off).
    pub review_notice_school_days: u8,
    /// Once the SEIP panel's nudge; unused since escalation (issue 15) made the panel's
    /// decision an owed step. Still parsed so older config files load.
    pub panel_nudge_school_days: u8,
    /// A reminder queued more than this after its time is marked late (downtime catch-up).
    pub late_after: Duration,
    /// The coordinators' morning digest, on school days (None: off).
    pub digest_at: Option<NaiveTime>,
    /// The coordinators' weekly summary: which day and when (None: off).
    pub weekly_summary: Option<(Weekday, NaiveTime)>,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        let time = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        Self {
            send_at: time(8, 0),
            check_in_every_school_days: 5,
            review_notice_school_days: 5,
            panel_nudge_school_days: 3,
            late_after: Duration::hours(1),
            digest_at: Some(time(7, 45)),
            weekly_summary: Some((Weekday::Fri, time(14, 0))),
        }
    }
}

/// One thing to remind someone of, at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedReminder {
    /// Unique within the case and stable while the underlying date is, e.g. `final_review`.
    pub key: String,
    pub kind: ReminderKind,
    /// The local date the reminder is about (the review day, the meeting day...).
    pub about: NaiveDate,
    pub due_at: DateTime<Utc>,
    pub recipients: Recipients,
}

/// Snoozing is limited so that a reminder cannot be put off past any sensible review.
pub const MAX_SNOOZE_DAYS: u64 = 42;

/// Every reminder a case should have, whatever the time now: the scheduler decides what
/// is new, changed, already sent or no longer wanted. A closed case has none.
pub fn plan(case: &Case, p: &Partnership, s: &ReminderSettings) -> Vec<PlannedReminder> {
    let mut plan = Plan {
        case,
        p,
        s,
        out: Vec::new(),
    };
    match case.state {
        CaseState::Accepted | CaseState::Agreeing => {
            plan.meeting();
            plan.checklist();
        }
        CaseState::Active => {
            plan.checklist();
            plan.check_ins();
            plan.review(ReviewKind::Midpoint);
            plan.review(ReviewKind::Final);
            plan.end_date();
            plan.attendance_low();
        }
        _ => {}
    }
    // Every step someone owes, in every state (a closed case's follow-up too): one rule.
    escalation::plan(&mut plan);
    let mut out = plan.out;
    for r in &mut out {
        // A snooze only ever delays: a later date (a rescheduled review) wins over it.
        if let Some(until) = case.snoozed.get(&r.key) {
            let snoozed = p.instant(p.calendar.on_or_after(*until), s.send_at);
            r.due_at = r.due_at.max(snoozed);
        }
    }
    out
}

struct Plan<'a> {
    case: &'a Case,
    p: &'a Partnership,
    s: &'a ReminderSettings,
    out: Vec<PlannedReminder>,
}

impl Plan<'_> {
    fn push(&mut self, key: String, kind: ReminderKind, about: NaiveDate, on: NaiveDate) {
        let due_at = self.p.instant(on, self.s.send_at);
        self.push_at(key, kind, about, due_at);
    }

    fn push_at(&mut self, key: String, kind: ReminderKind, about: NaiveDate, at: DateTime<Utc>) {
        let recipients = match kind {
            ReminderKind::Digest | ReminderKind::WeeklySummary => Recipients::Coordinators,
            _ => Recipients::CaseTeam,
        };
        self.out.push(PlannedReminder {
            key,
            kind,
            about,
            due_at: at,
            recipients,
        });
    }

    /// A reminder on `on` (at `send_at`) for the given recipients.
    fn push_to(
        &mut self,
        key: String,
        kind: ReminderKind,
        about: NaiveDate,
        on: NaiveDate,
        recipients: Recipients,
    ) {
        self.out.push(PlannedReminder {
            key,
            kind,
            about,
            due_at: self.p.instant(on, self.s.send_at),
            recipients,
        });
    }

    fn cal(&self) -> &SchoolCalendar {
        &self.p.calendar
    }

    fn meeting(&mut self) {
        let Some(meeting) = &self.case.meeting else {
            return;
        };
        let day = self.p.today(meeting.at);
        let before = school_day_before(self.cal(), day);
        self.push(
            "meeting_day_before".into(),
            ReminderKind::MeetingDayBefore,
            day,
            before,
        );
        // On the morning, but never later than an hour before an early meeting.
        let morning = self.p.instant(day, self.s.send_at);
        let at = morning.min(meeting.at - Duration::hours(1));
        self.push_at("meeting_today".into(), ReminderKind::MeetingToday, day, at);
    }

    fn checklist(&mut self) {
        let Some(agreement) = &self.case.agreement else {
            return;
        };
        let not_ready = self.p.checklist.items.iter().any(|item| {
            self.case
                .checklist
                .get(&item.key)
                .is_none_or(|r| r.rag == Rag::Red)
        });
        if not_ready {
            let day = self.cal().on_or_after(agreement.terms.start);
            self.push(
                "checklist_at_start".into(),
                ReminderKind::ChecklistAtStart,
                day,
                day,
            );
        }
    }

    /// Every N school days from the start up to the final review, skipping any period in
    /// which a check-in has already been logged.
    fn check_ins(&mut self) {
        let (every, case) = (u32::from(self.s.check_in_every_school_days), self.case);
        let Some(agreement) = &case.agreement else {
            return;
        };
        let start = case.started_on.unwrap_or(agreement.terms.start);
        if every == 0 {
            return;
        }
        let mut from = start;
        for n in 1..=100u32 {
            let day = self.cal().add_school_days(start, every * n);
            if day >= agreement.final_review || day <= from {
                break;
            }
            let done = case.check_ins.iter().any(|c| c.on >= from && c.on <= day);
            if !done {
                self.push(format!("check_in_{n}"), ReminderKind::CheckIn, day, day);
            }
            from = day + Days::new(1);
        }
    }

    fn review(&mut self, review: ReviewKind) {
        let Some(agreement) = &self.case.agreement else {
            return;
        };
        if self.case.review(review).is_some() {
            return;
        }
        let (day, notice, today) = match review {
            ReviewKind::Midpoint => (
                agreement.midpoint_review,
                ReminderKind::MidpointReviewNotice,
                ReminderKind::MidpointReview,
            ),
            ReviewKind::Final => (
                agreement.final_review,
                ReminderKind::FinalReviewNotice,
                ReminderKind::FinalReview,
            ),
        };
        let n = self.s.review_notice_school_days;
        if n > 0 {
            let before = school_days_before(self.cal(), day, n.into());
            if before > agreement.terms.start {
                self.push(notice.as_str().into(), notice, day, before);
            }
        }
        self.push(today.as_str().into(), today, day, day);
    }

    fn end_date(&mut self) {
        let Some(agreement) = &self.case.agreement else {
            return;
        };
        let end = placement_end(agreement, self.p);
        let after = self
            .cal()
            .add_school_days(end.max(agreement.final_review), 1);
        self.push("end_date".into(), ReminderKind::EndDate, end, after);
    }
}

impl Plan<'_> {
    /// After two low weeks in a row, the school day after the second was reported, unless
    /// both reviews are already held. (A missing weekly report is an owed step: the
    /// escalation rule reminds it.)
    fn attendance_low(&mut self) {
        let (case, p) = (self.case, self.p);
        let reviews_left = [ReviewKind::Midpoint, ReviewKind::Final]
            .into_iter()
            .any(|r| case.review(r).is_none());
        if !reviews_left {
            return;
        }
        for monday in attendance::low_runs(case, p, p.policy.attendance_threshold()) {
            let Some(reported) = case.attendance.get(&monday) else {
                continue;
            };
            let on = p.today(reported.recorded.at);
            let day = self.cal().add_school_days(on, 1);
            let key = format!("attendance_low_{monday}");
            self.push(key, ReminderKind::AttendanceLow, monday, day);
        }
    }
}

/// The last school day before `day` (or the day before, if none is found in term).
pub fn school_day_before(cal: &SchoolCalendar, day: NaiveDate) -> NaiveDate {
    school_days_before(cal, day, 1)
}

/// The school day `n` school days before `day`.
pub fn school_days_before(cal: &SchoolCalendar, day: NaiveDate, n: u32) -> NaiveDate {
    let mut current = day;
    let mut left = n;
    for _ in 0..400 {
        if left == 0 {
            return current;
        }
        current = current.pred_opt().unwrap_or(current);
        if cal.is_school_day(current) {
            left -= 1;
        }
    }
    day.checked_sub_days(Days::new(n.into())).unwrap_or(day)
}

#[cfg(test)]
mod tests;
