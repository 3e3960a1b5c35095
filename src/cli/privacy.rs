//! `managed-moves privacy`: the data map a school's data protection officer signs off,
//! printed from the running config, so it says what this partnership's settings do rather
//! than what a default would.

use std::process::ExitCode;

use serde::Serialize;

use super::output::Output;
use crate::config::{Config, RetentionAction};

/// One kind of data: what it is, where it is kept, who sees it, when it goes.
#[derive(Debug, Serialize)]
pub struct DataKind {
    pub data: &'static str,
    pub database: bool,
    pub discord: String,
    pub local_files: &'static str,
    pub who: &'static str,
    pub removed: String,
}

/// The map as a list of kinds, from the config.
pub fn data_kinds(config: &Config) -> Vec<DataKind> {
    let privacy = &config.partnership.privacy;
    let r = &config.retention;
    let years = r.closed_case_years;
    let case_removal = match r.action {
        RetentionAction::Anonymise => format!("{years} years after the case closes, when an admin applies retention: removed (the case keeps dates, schools and outcome for statistics)"),
        RetentionAction::Purge => format!("{years} years after the case closes, when an admin applies retention: the case and its history are deleted"),
    };
    let thread_note = "the case's private thread is deleted at the same time";
    let initials_discord = if privacy.pupil_initials_in_discord {
        format!("yes: case threads, cards, replies and PDFs posted there ({thread_note})")
    } else {
        "no ([privacy] pupil_initials_in_discord = false): Discord reads \"Y9 pupil, MM-2026-0042\""
            .to_string()
    };
    let notes_discord = if privacy.notes_in_discord {
        format!("yes: case cards, replies and PDFs posted in the case thread ({thread_note})")
    } else {
        "no ([privacy] notes_in_discord = false): Discord shows \"(kept locally)\"".to_string()
    };
    let on_case = "people with a role on the case: both schools' heads and staff, coordinators, the SEIP panel for managed transfers; admins for exports and retention";
    vec![
        DataKind {
            data: "Pupil's initials and year group (never a full name, date of birth or address)",
            database: true,
            discord: initials_discord,
            local_files: "the CLI's output, PDFs and exports it writes (mode 0600), backups",
            who: on_case,
            removed: case_removal.clone(),
        },
        DataKind {
            data: "Case facts: schools, dates, state, EHCP and looked-after flags, reason for the move, suitability answers, checklist ratings, attendance figures, outcome",
            database: true,
            discord: format!("yes: case threads and cards; the board and digest show only reference, schools, state and dates ({thread_note})"),
            local_files: "the CLI's output, PDFs, exports, calendar files (reference and schools only), backups",
            who: on_case,
            removed: match r.action {
                RetentionAction::Anonymise => format!("kept without the pupil's details for statistics; {years} years after closing only the anonymised shape remains"),
                RetentionAction::Purge => case_removal.clone(),
            },
        },
        DataKind {
            data: "Free-text notes: strategies tried, suitability notes, reasons, meeting, check-in and review notes, parents' and pupils' views, closing notes",
            database: true,
            discord: notes_discord,
            local_files: "the CLI's output, PDFs and exports it writes, backups",
            who: on_case,
            removed: format!("{case_removal}; an admin may redact one sooner (audited)"),
        },
        DataKind {
            data: "Staff: Discord user IDs of who did what and when, their display name and role as shown in the server at the time",
            database: true,
            discord: "user mentions in case threads (Discord holds the accounts themselves)".to_string(),
            local_files: "PDFs and exports (names of staff who signed or recorded, never a pupil's)",
            who: on_case,
            removed: "user IDs stay with each case's history as long as the case is kept; the names and roles seen (staff only) are kept with the database, not removed by retention".to_string(),
        },
        DataKind {
            data: "Operational records: the outbox of posts (no free text), interaction receipts, admin and retention audit logs",
            database: true,
            discord: "no".to_string(),
            local_files: "backups",
            who: "admins",
            removed: "sent posts and receipts are pruned by the bot; audit logs are kept".to_string(),
        },
        DataKind {
            data: "Logs (standard error / the service journal)",
            database: false,
            discord: "no".to_string(),
            local_files: "the host's journal: case references and event names only, never initials, notes or the token",
            who: "whoever runs the server",
            removed: "as the host's log rotation says".to_string(),
        },
    ]
}

/// The map as text: the controllers and processor, the lawful basis, then each kind.
pub fn data_map(config: &Config) -> String {
    let p = &config.partnership;
    let schools: Vec<&str> = p.schools.iter().map(|s| s.name.as_str()).collect();
    let mut out = format!(
        "Data map: {}\n\nControllers: the partnership's schools ({}), each for its own pupils.\nProcessor: Discord Inc. (a US service) hosts the server, its channels, case threads and files posted there; posts and files the bot sends are kept on Discord's servers until deleted.\nLawful basis: {}\nWhere the bot's database is: {}\n\n",
        p.name,
        schools.join(", "),
        p.privacy.lawful_basis_or_unset(),
        config.database_path.display()
    );
    for kind in data_kinds(config) {
        out.push_str(&format!(
            "* {}\n  bot's database: {}\n  on Discord: {}\n  local files: {}\n  who can see it: {}\n  removed: {}\n\n",
            kind.data,
            if kind.database { "yes" } else { "no" },
            kind.discord,
            kind.local_files,
            kind.who,
            kind.removed
        ));
    }
    out.push_str("Admins can redact a note that should never have been written (`/admin redact`, `managed-moves redact`): the text is overwritten, the redaction is audited, and the bot edits its Discord posts that showed it.\n");
    out
}

pub fn run(config: &Config, out: &Output) -> ExitCode {
    if out.is_json() {
        let p = &config.partnership;
        return out.json(&serde_json::json!({
            "partnership": p.name,
            "processor": "Discord Inc. (US)",
            "lawful_basis": p.privacy.lawful_basis_or_unset(),
            "pupil_initials_in_discord": p.privacy.pupil_initials_in_discord,
            "notes_in_discord": p.privacy.notes_in_discord,
            "kinds": data_kinds(config),
        }));
    }
    out.line(data_map(config).trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(open: bool) -> Config {
        let text = std::fs::read_to_string(crate::config::DEFAULT_CONFIG_PATH).unwrap();
        let text = text
            .replace(
                "pupil_initials_in_discord = true",
                &format!("pupil_initials_in_discord = {open}"),
            )
            .replace(
                "notes_in_discord = true",
                &format!("notes_in_discord = {open}"),
            );
        Config::parse(&text, std::path::Path::new("config")).unwrap()
    }

    #[test]
    fn the_map_follows_the_privacy_options_and_the_retention_policy() {
        let open = data_map(&config(true));
        assert!(open.contains("Discord Inc. (a US service)"));
        assert!(open.contains("Lawful basis: Public task"));
        assert!(open.contains("6 years after the case closes"));
        assert!(open.contains("yes: case threads, cards"));
        let closed = data_map(&config(false));
        assert!(closed.contains("Discord reads \"Y9 pupil, MM-2026-0042\""));
        assert!(closed.contains("Discord shows \"(kept locally)\""));
        assert!(!closed.contains("yes: case threads, cards, replies and PDFs"));
    }
}
