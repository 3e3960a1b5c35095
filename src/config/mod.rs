//! Configuration: one TOML file, validated as a whole, every problem reported by its key.
//!
//! The Discord token never lives here: it comes only from `DISCORD_TOKEN` and is wrapped in
//! [`Secret`], whose `Debug` and `Display` never show it.

mod checks;
mod delivery;
mod located;
mod raw;
mod reminders;
mod retention;
mod secret;

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use crate::domain::calendar::{SchoolCalendar, Term};
use crate::domain::checklist::{Checklist, ChecklistItem};
use crate::domain::partnership::{Partnership, School};
use crate::domain::permissions::{Capacity, RoleMap};
use crate::domain::reminders::ReminderSettings;
use crate::domain::{RoleId, SchoolKey};

pub use delivery::Delivery;
pub use raw::RawConfig;
pub use retention::{Retention, RetentionAction};
pub use secret::Secret;

/// The checklist shipped with the bot (config/checklist.toml), used unless config names another.
pub const DEFAULT_CHECKLIST: &str = include_str!("../../config/checklist.toml");
pub const DEFAULT_CONFIG_PATH: &str = "config/example.toml";

#[derive(Debug, Clone)]
pub struct DiscordConfig {
    pub guild_id: u64,
    pub case_threads_channel_id: u64,
    pub board_channel_id: u64,
    pub seip_channel_id: u64,
    pub api_base: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub partnership: Partnership,
    pub roles: RoleMap,
    pub discord: DiscordConfig,
    pub database_path: PathBuf,
    /// When reminders, digests and the weekly summary go out (`[reminders]`).
    pub reminders: ReminderSettings,
    /// How long closed cases are kept (`[retention]`), applied by `managed-moves retention`.
    pub retention: Retention,
    /// How the outbox sender paces itself (`[delivery]`).
    pub delivery: Delivery,
    /// `[people]`: the name a CLI user (`--as ID`) goes by in documents; absent, the ID.
    pub people: std::collections::BTreeMap<u64, String>,
}

/// Every problem found, one line each, prefixed by the key it concerns.
#[derive(Debug, thiserror::Error)]
#[error("config {path} has problems:\n  - {}", .problems.join("\n  - "))]
pub struct ConfigError {
    pub path: String,
    pub problems: Vec<String>,
}

impl Config {
    /// Reads and validates the file; `MANAGED_MOVES_DATABASE` overrides the database path.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let fail = |problems: Vec<String>| ConfigError {
            path: path.display().to_string(),
            problems,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| fail(vec![format!("cannot read the file: {e}")]))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let mut config = Self::parse(&text, base).map_err(fail)?;
        if let Ok(db) = std::env::var("MANAGED_MOVES_DATABASE") {
            config.database_path = PathBuf::from(db);
        }
        Ok(config)
    }

    /// Parses TOML text; `base` resolves a relative `checklist_file`. Every problem is named
    /// by its key and line, all of them at once whenever the text is TOML at all.
    pub fn parse(text: &str, base: &Path) -> Result<Config, Vec<String>> {
        let doc = toml_edit::ImDocument::parse(text)
            .map_err(|e| vec![located::syntax_problem(text, &e)])?;
        let read = located::deserialize::<RawConfig>(text);
        let mut problems = read.problems;
        let config = match read.value.map(|raw| raw.validate(base)) {
            Some(Ok(config)) => Some(config),
            Some(Err(found)) => {
                // A key that got a stand-in was reported already; what the checks say about
                // the stand-in is noise.
                let stood_in =
                    |key: &str| read.stand_ins.iter().any(|s| located::is_within(key, s));
                for problem in found {
                    let (key, message) = match problem.split_once(": ") {
                        Some((k, m)) if !k.contains(' ') => (k.to_string(), m.to_string()),
                        _ => (String::new(), problem),
                    };
                    if !stood_in(&key) {
                        problems.push((key, message));
                    }
                }
                None
            }
            None => None,
        };
        match config {
            Some(config) if problems.is_empty() => Ok(config),
            _ => Err(located::with_lines(&doc, text, problems)),
        }
    }
}

impl RawConfig {
    fn validate(self, base: &Path) -> Result<Config, Vec<String>> {
        let mut problems = Vec::new();
        let timezone: Tz = self.partnership.timezone.parse().unwrap_or_else(|_| {
            problems.push(format!(
                "partnership.timezone: unknown time zone `{}` (use e.g. Europe/London)",
                self.partnership.timezone
            ));
            chrono_tz::Europe::London
        });
        if self.partnership.name.trim().is_empty() {
            problems.push("partnership.name: must not be empty".into());
        }
        let mut roles = RoleMap::default();
        let mut role_keys: Vec<(String, u64)> = Vec::new();
        let mut schools = Vec::new();
        if self.schools.len() < 2 {
            problems.push("schools: a partnership needs at least two schools".into());
        }
        for (i, s) in self.schools.iter().enumerate() {
            let at = format!("schools[{i}]");
            let key = match SchoolKey::parse(&s.key) {
                Ok(k) => k,
                Err(e) => {
                    problems.push(format!("{at}.key: {e}"));
                    continue;
                }
            };
            if schools.iter().any(|x: &School| x.key == key) {
                problems.push(format!("{at}.key: `{key}` is used by another school"));
            }
            if s.name.trim().is_empty() {
                problems.push(format!("{at}.name: must not be empty"));
            }
            check_id(&mut problems, &format!("{at}.head_role"), s.head_role);
            role_keys.push((format!("{at}.head_role"), s.head_role));
            if let Some(staff) = s.staff_role {
                role_keys.push((format!("{at}.staff_role"), staff));
            }
            roles.grant(RoleId(s.head_role), Capacity::Head(key.clone()));
            if let Some(staff) = s.staff_role {
                check_id(&mut problems, &format!("{at}.staff_role"), staff);
                roles.grant(RoleId(staff), Capacity::Staff(key.clone()));
            }
            schools.push(School {
                key,
                name: s.name.trim().to_string(),
            });
        }
        for (name, ids, capacity) in [
            (
                "roles.coordinator",
                &self.roles.coordinator,
                Capacity::Coordinator,
            ),
            ("roles.seip", &self.roles.seip, Capacity::Seip),
            ("roles.admin", &self.roles.admin, Capacity::Admin),
        ] {
            if ids.is_empty() {
                problems.push(format!("{name}: list at least one role ID"));
            }
            for id in ids {
                check_id(&mut problems, name, *id);
                role_keys.push((name.to_string(), *id));
                roles.grant(RoleId(*id), capacity.clone());
            }
        }
        problems.extend(checks::one_capacity_per_role(&role_keys));
        let d = &self.discord;
        let channels = [
            ("discord.case_threads_channel_id", d.case_threads_channel_id),
            ("discord.board_channel_id", d.board_channel_id),
            ("discord.seip_channel_id", d.seip_channel_id),
        ];
        check_id(&mut problems, "discord.guild_id", d.guild_id);
        for (name, id) in channels {
            check_id(&mut problems, name, id);
        }
        problems.extend(checks::distinct_channels(&channels));
        problems.extend(checks::api_base(&d.api_base));
        problems.extend(self.policy.problems());
        problems.extend(self.documents.problems());
        for (i, t) in self.calendar.terms.iter().enumerate() {
            if t.end < t.start {
                problems.push(format!("calendar.terms[{i}]: ends before it starts"));
            }
        }
        let reminders = self.reminders.validate(&mut problems);
        let mut people = std::collections::BTreeMap::new();
        for (id, name) in &self.people {
            match id.parse::<u64>() {
                Ok(n) if n > 0 && !name.trim().is_empty() => {
                    people.insert(n, name.trim().to_string());
                }
                _ => problems.push(format!(
                    "people.{id}: give a Discord user ID and the name they go by, e.g. \"1001\" = \"Ms R. Patel\""
                )),
            }
        }
        problems.extend(self.retention.problems());
        problems.extend(self.delivery.problems());
        let checklist = self.checklist(base).unwrap_or_else(|p| {
            problems.extend(p);
            Checklist::default()
        });
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Config {
            partnership: Partnership {
                name: self.partnership.name.trim().to_string(),
                schools,
                policy: self.policy,
                checklist,
                calendar: SchoolCalendar {
                    terms: self
                        .calendar
                        .terms
                        .iter()
                        .map(|t| Term {
                            start: t.start,
                            end: t.end,
                        })
                        .collect(),
                    closures: self.calendar.closures,
                    extra_holidays: self.calendar.extra_bank_holidays,
                },
                timezone,
                documents: self.documents,
                privacy: self.privacy,
            },
            roles,
            discord: DiscordConfig {
                guild_id: d.guild_id,
                case_threads_channel_id: d.case_threads_channel_id,
                board_channel_id: d.board_channel_id,
                seip_channel_id: d.seip_channel_id,
                api_base: d.api_base.trim_end_matches('/').to_string(),
            },
            database_path: self.database.path,
            reminders,
            retention: self.retention,
            delivery: self.delivery,
            people,
        })
    }

    fn checklist(&self, base: &Path) -> Result<Checklist, Vec<String>> {
        let text = match &self.checklist_file {
            None => DEFAULT_CHECKLIST.to_string(),
            Some(file) => std::fs::read_to_string(base.join(file)).map_err(|e| {
                vec![format!(
                    "checklist_file: cannot read {}: {e}",
                    file.display()
                )]
            })?,
        };
        parse_checklist(&text)
    }
}

/// Parses a checklist file of `[[items]]` with key, group and text.
pub fn parse_checklist(text: &str) -> Result<Checklist, Vec<String>> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        items: Vec<ChecklistItem>,
    }
    let file: File = toml::from_str(text)
        .map_err(|e| vec![format!("checklist: {}", located::toml_problem(text, &e))])?;
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (i, item) in file.items.iter().enumerate() {
        let key_ok = !item.key.is_empty()
            && item.key.len() <= 64
            && item
                .key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.');
        if !key_ok {
            problems.push(format!(
                "checklist.items[{i}].key: use lower-case letters, digits, dots and dashes"
            ));
        }
        if seen.contains(&&item.key) {
            problems.push(format!(
                "checklist.items[{i}].key: `{}` appears twice",
                item.key
            ));
        }
        seen.push(&item.key);
        if item.text.trim().is_empty() || item.group.trim().is_empty() {
            problems.push(format!(
                "checklist.items[{i}]: group and text must not be empty"
            ));
        }
    }
    if file.items.is_empty() {
        problems.push("checklist: needs at least one item".into());
    }
    if problems.is_empty() {
        Ok(Checklist { items: file.items })
    } else {
        Err(problems)
    }
}

fn check_id(problems: &mut Vec<String>, key: &str, id: u64) {
    // Discord snowflakes are large; a small number is almost certainly a typo.
    if id < 1_000_000 || id > i64::MAX as u64 {
        problems.push(format!(
            "{key}: `{id}` is not a Discord ID (copy it with Developer Mode)"
        ));
    }
}

#[cfg(test)]
mod tests;
