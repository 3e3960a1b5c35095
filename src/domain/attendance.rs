//! Weekly attendance during the placement (DOMAIN.md, "Weekly attendance and progress"):
//! the destination reports each school week's sessions; a week at or below the policy's
//! threshold is flagged, and two in a row ask the heads to bring a review forward.
//! Pure: school weeks, due days and percentages from the case and the calendar.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::SchoolCalendar;
use super::case::{Case, Stamp};
use super::dates::placement_end;
use super::ids::Text;
use super::partnership::Partnership;
use super::refusal::Refusal;

/// A percentage to one decimal place, held as tenths so cases stay `Eq` and exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Percent(u16);

impl Percent {
    /// From what people type: 0 to 100, at most one decimal place counts.
    pub fn parse(field: &'static str, raw: f64) -> Result<Self, Refusal> {
        if !raw.is_finite() || !(0.0..=100.0).contains(&raw) {
            return Err(Refusal::invalid_owned(
                field,
                format!("The {field} is a percentage from 0 to 100."),
            ));
        }
        Ok(Self((raw * 10.0).round() as u16))
    }

    pub fn from_tenths(tenths: u16) -> Self {
        Self(tenths.min(1000))
    }

    /// `part` of `whole` (whole > 0), rounded to the nearest tenth.
    pub fn of(part: u32, whole: u32) -> Self {
        if whole == 0 {
            return Self(0);
        }
        Self::from_tenths(((part * 2000 + whole) / (2 * whole)) as u16)
    }

    pub fn tenths(self) -> u16 {
        self.0
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 10.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}%", self.0 / 10, self.0 % 10)
    }
}

/// One school week's figures, as the destination reports them (sessions: two a day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceReport {
    pub possible: u16,
    pub attended: u16,
    pub authorised: u16,
    pub unauthorised: u16,
    pub late: u16,
    pub incidents: u16,
    pub suspensions: u16,
    pub note: Option<Text>,
}

/// The most sessions a school week can have: five days, two sessions each.
pub const MAX_SESSIONS: u16 = 10;

impl AttendanceReport {
    /// The figures agree with each other: something possible, no more attended or absent
    /// than possible, and no more late marks than sessions attended.
    pub fn check(&self) -> Result<(), Refusal> {
        if self.possible == 0 || self.possible > MAX_SESSIONS {
            return Err(Refusal::invalid(
                "possible",
                "Possible sessions are between 1 and 10 a week (two a school day).",
            ));
        }
        let accounted =
            u32::from(self.attended) + u32::from(self.authorised) + u32::from(self.unauthorised);
        if accounted > u32::from(self.possible) {
            return Err(Refusal::invalid_owned(
                "attended",
                format!(
                    "Attended plus absences ({accounted}) can't be more than the possible sessions ({}).",
                    self.possible
                ),
            ));
        }
        if self.late > self.attended {
            return Err(Refusal::invalid(
                "late",
                "Late marks can't be more than the sessions attended.",
            ));
        }
        Ok(())
    }

    pub fn percent(&self) -> Percent {
        Percent::of(self.attended.into(), self.possible.into())
    }
}

/// The figures as typed: whole numbers, possibly negative, parsed in one place.
#[derive(Debug, Clone, Default)]
pub struct AttendanceInput {
    pub possible: i64,
    pub attended: i64,
    pub authorised: Option<i64>,
    pub unauthorised: Option<i64>,
    pub late: Option<i64>,
    pub incidents: Option<i64>,
    pub suspensions: Option<i64>,
    pub note: Option<String>,
}

impl AttendanceInput {
    pub fn parse(&self) -> Result<AttendanceReport, Refusal> {
        let count = |field: &'static str, raw: i64| {
            u16::try_from(raw)
                .ok()
                .filter(|n| *n <= 1000)
                .ok_or_else(|| {
                    Refusal::invalid_owned(
                        field,
                        format!("The number of {field} sessions or marks can't be negative."),
                    )
                })
        };
        let optional = |field, raw: Option<i64>| raw.map_or(Ok(0), |n| count(field, n));
        let report = AttendanceReport {
            possible: count("possible", self.possible)?,
            attended: count("attended", self.attended)?,
            authorised: optional("authorised", self.authorised)?,
            unauthorised: optional("unauthorised", self.unauthorised)?,
            late: optional("late", self.late)?,
            incidents: optional("incidents", self.incidents)?,
            suspensions: optional("suspensions", self.suspensions)?,
            note: super::input::optional_text("note", self.note.as_deref())?,
        };
        report.check()?;
        Ok(report)
    }
}

/// A week's report as the case holds it: the latest figures, who first reported them,
/// and the last correction (each correction is its own event in the history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekAttendance {
    pub report: AttendanceReport,
    pub recorded: Stamp,
    pub corrected: Option<Stamp>,
}

/// The Monday of the week `day` falls in: weeks are named by their Monday.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(day.weekday().num_days_from_monday().into())
}

/// A school week of the placement, and the day its report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchoolWeek {
    /// The week's Monday (its name, even when Monday is a bank holiday).
    pub monday: NaiveDate,
    /// The week's first school day within the placement.
    pub first_day: NaiveDate,
    /// The week's last school day within the placement: the report is due on it.
    pub due: NaiveDate,
}

/// The placement's school weeks: every week from the start's to the end's with at least
/// one school day between them. None before the move starts.
pub fn placement_weeks(case: &Case, p: &Partnership) -> Vec<SchoolWeek> {
    let (Some(start), Some(agreement)) = (case.started_on, &case.agreement) else {
        return Vec::new();
    };
    let end = placement_end(agreement, p).max(agreement.final_review);
    let mut weeks = Vec::new();
    let mut monday = week_of(start);
    while monday <= end {
        if let Some(week) = school_week(&p.calendar, monday, start, end) {
            weeks.push(week);
        }
        monday = monday + Days::new(7);
    }
    weeks
}

fn school_week(
    cal: &SchoolCalendar,
    monday: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
) -> Option<SchoolWeek> {
    let days: Vec<NaiveDate> = (0..5)
        .map(|n| monday + Days::new(n))
        .filter(|d| *d >= start && *d <= end && cal.is_school_day(*d))
        .collect();
    Some(SchoolWeek {
        monday,
        first_day: *days.first()?,
        due: *days.last()?,
    })
}

/// The school week of the placement containing `day`, or why there is none.
pub fn week_for_report(
    case: &Case,
    p: &Partnership,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<SchoolWeek, Refusal> {
    let monday = week_of(day);
    let week = placement_weeks(case, p)
        .into_iter()
        .find(|w| w.monday == monday)
        .ok_or_else(|| {
            Refusal::invalid_owned(
                "week",
                format!(
                    "The week of {} is not a school week of this placement.",
                    monday.format("%a %-d %b %Y")
                ),
            )
        })?;
    if week.first_day > today {
        return Err(Refusal::invalid(
            "week",
            "That week hasn't started yet; report it once it has.",
        ));
    }
    Ok(week)
}

/// Whether a week's attendance counts against the threshold: at or below it, since
/// persistent absence means missing 10% or more.
pub fn is_low(report: &AttendanceReport, threshold: Percent) -> bool {
    report.percent() <= threshold
}

/// The latest reported week, when it is at or below the threshold: what the board and
/// the digest flag.
pub fn latest_low(case: &Case, threshold: Percent) -> Option<NaiveDate> {
    let (monday, latest) = case.attendance.iter().next_back()?;
    is_low(&latest.report, threshold).then_some(*monday)
}

/// The second of two reported school weeks in a row both at or below the threshold, for
/// each such pair (weeks with no school day between them, such as a half term, do not
/// break a run; an unreported week does).
pub fn low_runs(case: &Case, p: &Partnership, threshold: Percent) -> Vec<NaiveDate> {
    let weeks = placement_weeks(case, p);
    weeks
        .windows(2)
        .filter(|pair| {
            pair.iter().all(|w| {
                case.attendance
                    .get(&w.monday)
                    .is_some_and(|a| is_low(&a.report, threshold))
            })
        })
        .map(|pair| pair[1].monday)
        .collect()
}

/// Weeks whose report was due before `today` and is still missing.
pub fn missing_reports(case: &Case, p: &Partnership, today: NaiveDate) -> Vec<SchoolWeek> {
    placement_weeks(case, p)
        .into_iter()
        .filter(|w| w.due < today && !case.attendance.contains_key(&w.monday))
        .collect()
}

/// (sessions attended, sessions possible), across every reported week.
pub fn sessions(attendance: &BTreeMap<NaiveDate, WeekAttendance>) -> (u32, u32) {
    attendance.values().fold((0, 0), |(a, p), w| {
        (
            a + u32::from(w.report.attended),
            p + u32::from(w.report.possible),
        )
    })
}

/// Sessions attended over sessions possible, across every reported week.
pub fn overall(attendance: &BTreeMap<NaiveDate, WeekAttendance>) -> Option<Percent> {
    let (attended, possible) = sessions(attendance);
    (possible > 0).then(|| Percent::of(attended, possible))
}

#[cfg(test)]
impl AttendanceReport {
    /// A week of ten sessions with `attended` of them attended and the rest authorised
    /// absences: what most tests need.
    pub fn of_ten(attended: u16) -> Self {
        Self {
            possible: 10,
            attended,
            authorised: 10 - attended,
            unauthorised: 0,
            late: 0,
            incidents: 0,
            suspensions: 0,
            note: None,
        }
    }
}

#[cfg(test)]
mod tests;
