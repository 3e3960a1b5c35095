//! The file's shape, as serde reads it. Validation happens in `Config::parse`.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::policy::Policy;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub partnership: RawPartnership,
    #[serde(default)]
    pub database: RawDatabase,
    pub discord: RawDiscord,
    pub roles: RawRoles,
    #[serde(default)]
    pub schools: Vec<RawSchool>,
    #[serde(default)]
    pub policy: Policy,
    #[serde(default)]
    pub calendar: RawCalendar,
    #[serde(default)]
    pub reminders: RawReminders,
    #[serde(default)]
    pub retention: super::Retention,
    #[serde(default)]
    pub delivery: super::Delivery,
    pub checklist_file: Option<PathBuf>,
    /// The partnership's wording and each school's details for the family's documents.
    #[serde(default)]
    pub documents: crate::domain::family::DocumentWording,
    #[serde(default)]
    pub privacy: crate::domain::privacy::Privacy,
    /// `[people]`: the names CLI users go by in documents, by Discord user ID.
    #[serde(default)]
    pub people: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPartnership {
    pub name: String,
    #[serde(default = "london")]
    pub timezone: String,
}

fn london() -> String {
    "Europe/London".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    pub path: PathBuf,
}

impl Default for RawDatabase {
    fn default() -> Self {
        Self {
            path: PathBuf::from("data/managed-moves.db"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDiscord {
    pub guild_id: u64,
    pub case_threads_channel_id: u64,
    pub board_channel_id: u64,
    pub seip_channel_id: u64,
    #[serde(default = "discord_api")]
    pub api_base: String,
}

fn discord_api() -> String {
    "https://discord.com".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoles {
    #[serde(default)]
    pub coordinator: Vec<u64>,
    #[serde(default)]
    pub seip: Vec<u64>,
    #[serde(default)]
    pub admin: Vec<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSchool {
    pub key: String,
    pub name: String,
    pub head_role: u64,
    pub staff_role: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCalendar {
    #[serde(default)]
    pub terms: Vec<RawTerm>,
    #[serde(default)]
    pub closures: Vec<NaiveDate>,
    #[serde(default)]
    pub extra_bank_holidays: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// `[reminders]`: every key optional, so configs written before reminders still load.
/// Times are local ("08:00"); "off" turns the digest or the weekly summary off.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReminders {
    pub send_at: Option<String>,
    pub check_in_every_school_days: Option<u8>,
    pub review_notice_school_days: Option<u8>,
    pub panel_nudge_school_days: Option<u8>,
    pub late_after_minutes: Option<u32>,
    pub digest_at: Option<String>,
    pub weekly_summary_day: Option<String>,
    pub weekly_summary_at: Option<String>,
}
