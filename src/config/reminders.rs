//! `[reminders]`: validated into the domain's settings, with the defaults for anything left
//! out, and every problem named by its key.

use chrono::{Duration, NaiveTime, Weekday};

use super::raw::RawReminders;
use crate::domain::reminders::ReminderSettings;

impl RawReminders {
    pub fn validate(&self, problems: &mut Vec<String>) -> ReminderSettings {
        let d = ReminderSettings::default();
        let send_at = time_or(problems, "send_at", &self.send_at, d.send_at);
        let digest_at = match self.digest_at.as_deref().map(str::trim) {
            Some("off") => None,
            _ => {
                let default = d.digest_at.unwrap_or(d.send_at);
                Some(time_or(problems, "digest_at", &self.digest_at, default))
            }
        };
        let (default_day, default_at) = d.weekly_summary.unwrap_or((Weekday::Fri, d.send_at));
        let at = time_or(
            problems,
            "weekly_summary_at",
            &self.weekly_summary_at,
            default_at,
        );
        let weekly_summary =
            weekly(problems, self.weekly_summary_day.as_deref(), default_day).map(|day| (day, at));
        let mut days = |key: &str, raw: Option<u8>, default: u8| {
            let value = raw.unwrap_or(default);
            if value > 60 {
                problems.push(format!(
                    "reminders.{key}: {value} is more than a term; use 0 (off) to 60 school days"
                ));
            }
            value
        };
        let check_in_every_school_days = days(
            "check_in_every_school_days",
            self.check_in_every_school_days,
            d.check_in_every_school_days,
        );
        let review_notice_school_days = days(
            "review_notice_school_days",
            self.review_notice_school_days,
            d.review_notice_school_days,
        );
        let panel_nudge_school_days = days(
            "panel_nudge_school_days",
            self.panel_nudge_school_days,
            d.panel_nudge_school_days,
        );
        let late_minutes = self.late_after_minutes.unwrap_or(60);
        if !(5..=24 * 60).contains(&late_minutes) {
            problems.push("reminders.late_after_minutes: use 5 to 1440 minutes".into());
        }
        ReminderSettings {
            send_at,
            check_in_every_school_days,
            review_notice_school_days,
            panel_nudge_school_days,
            late_after: Duration::minutes(late_minutes.into()),
            digest_at,
            weekly_summary,
        }
    }
}

fn time_or(
    problems: &mut Vec<String>,
    key: &str,
    raw: &Option<String>,
    default: NaiveTime,
) -> NaiveTime {
    match raw {
        None => default,
        Some(raw) => parse_time(raw).unwrap_or_else(|| {
            problems.push(format!(
                "reminders.{key}: `{raw}` is not a time; use 24-hour HH:MM, e.g. 08:00"
            ));
            default
        }),
    }
}

/// The weekly summary's day: a weekday, or None for "off" (or a mistake, reported).
fn weekly(problems: &mut Vec<String>, raw: Option<&str>, default: Weekday) -> Option<Weekday> {
    match raw.map(str::trim) {
        None => Some(default),
        Some("off") => None,
        Some(day) => match day.parse::<Weekday>() {
            Ok(Weekday::Sat | Weekday::Sun) | Err(_) => {
                problems.push(format!(
                    "reminders.weekly_summary_day: `{day}` is not a school weekday; use monday to friday, or \"off\""
                ));
                None
            }
            Ok(weekday) => Some(weekday),
        },
    }
}

fn parse_time(raw: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(raw.trim(), "%H:%M").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_text: &str) -> (ReminderSettings, Vec<String>) {
        let raw: RawReminders = toml::from_str(toml_text).unwrap();
        let mut problems = Vec::new();
        (raw.validate(&mut problems), problems)
    }

    #[test]
    fn an_empty_section_gives_the_defaults() {
        let (settings, problems) = parse("");
        assert!(problems.is_empty());
        assert_eq!(settings, ReminderSettings::default());
    }

    #[test]
    fn the_example_config_spells_out_the_defaults() {
        let example = include_str!("../../config/example.toml");
        let config = crate::config::Config::parse(example, std::path::Path::new("config")).unwrap();
        assert_eq!(config.reminders, ReminderSettings::default());
    }

    #[test]
    fn times_days_and_off_are_read() {
        let (s, problems) = parse(
            "send_at = \"07:30\"\ndigest_at = \"off\"\nweekly_summary_day = \"monday\"\nweekly_summary_at = \"16:00\"\ncheck_in_every_school_days = 0",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.send_at, NaiveTime::from_hms_opt(7, 30, 0).unwrap());
        assert_eq!(s.digest_at, None);
        assert_eq!(
            s.weekly_summary,
            Some((Weekday::Mon, NaiveTime::from_hms_opt(16, 0, 0).unwrap()))
        );
        assert_eq!(s.check_in_every_school_days, 0);
    }

    #[test]
    fn bad_values_are_reported_by_key() {
        let (_, problems) = parse(
            "send_at = \"8am\"\nweekly_summary_day = \"sunday\"\nlate_after_minutes = 0\nreview_notice_school_days = 90",
        );
        let joined = problems.join("\n");
        for key in [
            "reminders.send_at",
            "reminders.weekly_summary_day",
            "reminders.late_after_minutes",
            "reminders.review_notice_school_days",
        ] {
            assert!(joined.contains(key), "missing {key} in {joined}");
        }
    }
}
