//! Who was at a meeting (DOMAIN.md, "Meetings and reviews: who was there"), the initial
//! meeting as held, and the school hours meetings are held in "wherever possible".

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::case::Stamp;
use super::ids::Text;
use super::refusal::Refusal;

/// Someone at a meeting, by role: never a name (the pupil's family are not named anywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendee {
    ParentCarer,
    HomeStaff,
    DestinationStaff,
    PupilChampion,
    LaSenOfficer,
    VirtualSchool,
    SocialWorker,
    Other,
}

impl Attendee {
    pub const ALL: [Attendee; 8] = [
        Attendee::ParentCarer,
        Attendee::HomeStaff,
        Attendee::DestinationStaff,
        Attendee::PupilChampion,
        Attendee::LaSenOfficer,
        Attendee::VirtualSchool,
        Attendee::SocialWorker,
        Attendee::Other,
    ];

    /// The key used on the command line and in a select menu's values.
    pub fn key(self) -> &'static str {
        match self {
            Attendee::ParentCarer => "parent",
            Attendee::HomeStaff => "home-staff",
            Attendee::DestinationStaff => "destination-staff",
            Attendee::PupilChampion => "champion",
            Attendee::LaSenOfficer => "la-sen",
            Attendee::VirtualSchool => "virtual-school",
            Attendee::SocialWorker => "social-worker",
            Attendee::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Attendee::ParentCarer => "parent/carer",
            Attendee::HomeStaff => "home school staff",
            Attendee::DestinationStaff => "destination school staff",
            Attendee::PupilChampion => "pupil champion",
            Attendee::LaSenOfficer => "LA SEN officer",
            Attendee::VirtualSchool => "Virtual School",
            Attendee::SocialWorker => "social worker",
            Attendee::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|a| a.key() == raw)
    }
}

/// Whether the pupil was at the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PupilPresence {
    Whole,
    Part,
    Absent,
}

impl PupilPresence {
    pub const ALL: [PupilPresence; 3] = [
        PupilPresence::Whole,
        PupilPresence::Part,
        PupilPresence::Absent,
    ];

    pub fn key(self) -> &'static str {
        match self {
            PupilPresence::Whole => "whole",
            PupilPresence::Part => "part",
            PupilPresence::Absent => "none",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PupilPresence::Whole => "the pupil was there for the whole meeting",
            PupilPresence::Part => "the pupil was there for part of the meeting",
            PupilPresence::Absent => "the pupil was not there",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Refusal> {
        let raw = raw.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|p| p.key() == raw)
            .ok_or_else(|| {
                Refusal::invalid(
                    "pupil",
                    "Say whether the pupil was there: whole, part or none.",
                )
            })
    }
}

/// Who came to a meeting: at least one attendee, each once, and whether the pupil was there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    attendees: Vec<Attendee>,
    pub pupil: PupilPresence,
}

impl Attendance {
    /// Refuses an empty list: a meeting nobody attended was not held.
    pub fn new(mut attendees: Vec<Attendee>, pupil: PupilPresence) -> Result<Self, Refusal> {
        attendees.sort();
        attendees.dedup();
        if attendees.is_empty() {
            return Err(Refusal::invalid(
                "attendees",
                "Choose at least one person who attended the meeting.",
            ));
        }
        Ok(Self { attendees, pupil })
    }

    /// From a comma-separated list of attendee keys, e.g. `parent,home-staff,champion`.
    pub fn parse(list: &str, pupil: &str) -> Result<Self, Refusal> {
        let attendees = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Attendee::parse(s).ok_or_else(unknown_attendee))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(attendees, PupilPresence::parse(pupil)?)
    }

    /// From a select menu's values: attendee keys and at most one `pupil:<presence>`;
    /// no pupil value means the pupil was not there.
    pub fn from_menu(values: &[String]) -> Result<Self, Refusal> {
        let mut attendees = Vec::new();
        let mut pupil = None;
        for value in values {
            if let Some(presence) = value.strip_prefix(PUPIL_PREFIX) {
                if pupil.replace(PupilPresence::parse(presence)?).is_some() {
                    return Err(Refusal::invalid(
                        "pupil",
                        "Choose one answer for whether the pupil was there.",
                    ));
                }
            } else {
                attendees.push(Attendee::parse(value).ok_or_else(unknown_attendee)?);
            }
        }
        Self::new(attendees, pupil.unwrap_or(PupilPresence::Absent))
    }

    pub fn attendees(&self) -> &[Attendee] {
        &self.attendees
    }

    pub fn came(&self, who: Attendee) -> bool {
        self.attendees.contains(&who)
    }

    /// "parent/carer, pupil champion; the pupil was there for part of the meeting"
    pub fn describe(&self) -> String {
        let who: Vec<&str> = self.attendees.iter().map(|a| a.label()).collect();
        format!("{}; {}", who.join(", "), self.pupil.label())
    }
}

/// The value a select menu uses for whether the pupil was there, e.g. `pupil:part`.
pub const PUPIL_PREFIX: &str = "pupil:";

fn unknown_attendee() -> Refusal {
    Refusal::invalid(
        "attendees",
        "Attendees are: parent, home-staff, destination-staff, champion, la-sen, virtual-school, social-worker, other.",
    )
}

/// The initial meeting, recorded as held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingHeld {
    pub on: NaiveDate,
    pub positives: Option<Text>,
    pub concerns: Option<Text>,
    /// Chosen after the meeting is recorded (Discord's menu) or with it (the CLI).
    pub attendance: Option<Attendance>,
    pub recorded: Stamp,
}

/// The school hours meetings are held in "wherever possible" (`[policy] meeting_hours`,
/// e.g. `"08:00-17:00"`). A meeting outside them is allowed, with a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SchoolHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for SchoolHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(8, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        }
    }
}

impl SchoolHours {
    pub fn contains(self, time: NaiveTime) -> bool {
        self.start <= time && time <= self.end
    }
}

impl std::fmt::Display for SchoolHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

impl TryFrom<String> for SchoolHours {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        let bad = || format!("`{raw}` is not a range of times like \"08:00-17:00\"");
        let (start, end) = raw.split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let (start, end) = (time(start)?, time(end)?);
        if start >= end {
            return Err(format!("`{raw}`: the start must be before the end"));
        }
        Ok(Self { start, end })
    }
}

impl From<SchoolHours> for String {
    fn from(hours: SchoolHours) -> String {
        hours.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendees_left_empty_are_refused() {
        assert!(Attendance::parse("", "whole").is_err());
        assert!(Attendance::parse(" , ", "whole").is_err());
        assert!(Attendance::from_menu(&["pupil:whole".into()]).is_err());
    }

    #[test]
    fn attendees_parse_once_each_in_a_fixed_order() {
        let a = Attendance::parse("champion, parent,parent", "part").unwrap();
        assert_eq!(
            a.attendees(),
            &[Attendee::ParentCarer, Attendee::PupilChampion]
        );
        assert_eq!(a.pupil, PupilPresence::Part);
        assert!(Attendance::parse("parent,uncle", "part").is_err());
        assert!(Attendance::parse("parent", "sometimes").is_err());
    }

    #[test]
    fn the_menu_takes_one_pupil_answer_and_none_means_absent() {
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let a = Attendance::from_menu(&values(&["parent", "la-sen"])).unwrap();
        assert_eq!(a.pupil, PupilPresence::Absent);
        assert!(a.came(Attendee::LaSenOfficer));
        let a = Attendance::from_menu(&values(&["parent", "pupil:whole"])).unwrap();
        assert_eq!(a.pupil, PupilPresence::Whole);
        assert!(Attendance::from_menu(&values(&["parent", "pupil:whole", "pupil:part"])).is_err());
    }

    #[test]
    fn school_hours_read_from_config_and_refuse_nonsense() {
        let h = SchoolHours::try_from("08:30-16:00".to_string()).unwrap();
        assert!(h.contains(NaiveTime::from_hms_opt(8, 30, 0).unwrap()));
        assert!(!h.contains(NaiveTime::from_hms_opt(16, 1, 0).unwrap()));
        assert!(SchoolHours::try_from("17:00-08:00".to_string()).is_err());
        assert!(SchoolHours::try_from("morning".to_string()).is_err());
        assert_eq!(SchoolHours::default().to_string(), "08:00-17:00");
    }
}
