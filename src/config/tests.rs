use std::path::Path;

use super::*;

const EXAMPLE: &str = include_str!("../../config/example.toml");

#[test]
fn the_example_config_loads() {
    let config = Config::parse(EXAMPLE, Path::new("config")).expect("example config is valid");
    assert_eq!(config.partnership.schools.len(), 3);
    assert_eq!(config.partnership.checklist.items.len(), 16);
    assert_eq!(config.partnership.policy.max_weeks, 12);
    assert_eq!(config.partnership.checklist.groups().len(), 4);
}

#[test]
fn every_problem_is_reported_by_its_key() {
    let broken = EXAMPLE
        .replace(
            "timezone = \"Europe/London\"",
            "timezone = \"Mars/Olympus\"",
        )
        .replace("max_weeks = 12", "max_weeks = 0")
        .replace("key = \"oakfield\"", "key = \"riverside\"")
        .replace("guild_id = 900000000000000001", "guild_id = 12");
    let problems = Config::parse(&broken, Path::new("config")).unwrap_err();
    let joined = problems.join("\n");
    for key in [
        "partnership.timezone",
        "policy.max_weeks",
        "schools[2].key",
        "discord.guild_id",
    ] {
        assert!(joined.contains(key), "missing {key} in:\n{joined}");
    }
}

#[test]
fn unknown_keys_are_refused() {
    let typo = EXAMPLE.replace("max_weeks = 12", "max_week = 12");
    let problems = Config::parse(&typo, Path::new("config")).unwrap_err();
    assert!(problems[0].contains("max_week"), "{problems:?}");
}

#[test]
fn secret_never_shows_itself() {
    let s = Secret::new("abc.def.ghi");
    assert_eq!(format!("{s:?} {s}"), "Secret(***) ***");
}

fn problems_of(text: &str) -> Vec<String> {
    Config::parse(text, Path::new("config")).unwrap_err()
}

/// The example's line holding `needle`, from 1.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect(needle) + 1
}

#[test]
fn a_value_of_the_wrong_type_hides_nothing_after_it_and_each_is_told_by_key_and_line() {
    let broken = EXAMPLE
        .replace("max_weeks = 12", "max_weeks = -3")
        .replace(
            "week_counting = \"calendar\"",
            "week_counting = \"fortnightly\"",
        )
        .replace(
            "timezone = \"Europe/London\"",
            "timezone = \"Europe/Lodnon\"",
        )
        .replace("guild_id = 900000000000000001", "guild_id = \"my server\"");
    let problems = problems_of(&broken);
    let expect = [
        ("partnership.timezone", "timezone = "),
        ("discord.guild_id", "guild_id = "),
        ("policy.max_weeks", "max_weeks = "),
        ("policy.week_counting", "week_counting = "),
    ];
    assert_eq!(problems.len(), expect.len(), "{problems:#?}");
    for (problem, (key, needle)) in problems.iter().zip(expect) {
        let line = line_of(&broken, needle);
        assert!(
            problem.starts_with(&format!("{key} (line {line}): ")),
            "{problem} should name {key} at line {line}"
        );
    }
    assert!(
        problems[2].contains("-3") && problems[2].contains("0 to 255"),
        "{}",
        problems[2]
    );
    assert!(!problems.join("\n").contains("byte"), "{problems:?}");
}

#[test]
fn unknown_and_missing_keys_are_told_with_the_rest() {
    let broken = EXAMPLE
        .replace("max_weeks = 12", "max_week = 12")
        .replace("name = \"Hillcrest School\"\n", "")
        .replace("head_role = 900000000000000221", "head_role = -1");
    let problems = problems_of(&broken);
    let joined = problems.join("\n");
    assert_eq!(problems.len(), 3, "{joined}");
    assert!(
        joined.contains(&format!(
            "schools[1].name (line {}): missing",
            line_of(&broken, "key = \"hillcrest\"") - 1
        )),
        "{joined}"
    );
    assert!(
        joined.contains(&format!(
            "policy.max_week (line {}): unknown key `max_week`",
            line_of(&broken, "max_week = ")
        )),
        "{joined}"
    );
    assert!(
        joined.contains(&format!(
            "schools[2].head_role (line {})",
            line_of(&broken, "head_role = -1")
        )),
        "{joined}"
    );
}

#[test]
fn a_file_that_is_not_toml_is_told_by_line() {
    let broken = EXAMPLE.replace("[policy]", "[policy");
    let problems = problems_of(&broken);
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with(&format!(
            "line {}: not valid TOML",
            line_of(&broken, "[policy")
        )),
        "{problems:?}"
    );
}

#[test]
fn a_coordinator_role_pasted_as_a_staff_role_is_refused() {
    let broken = EXAMPLE.replace(
        "staff_role = 900000000000000202",
        "staff_role = 900000000000000100",
    );
    let problems = problems_of(&broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(&format!(
            "roles.coordinator (line {}): role `900000000000000100` is also schools[0].staff_role",
            line_of(&broken, "coordinator = [")
        )),
        "{problems:?}"
    );
}

#[test]
fn two_channels_with_the_same_id_are_refused() {
    let broken = EXAMPLE.replace(
        "seip_channel_id = 900000000000000012",
        "seip_channel_id = 900000000000000011",
    );
    let problems = problems_of(&broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("discord.seip_channel_id (line "),
        "{problems:?}"
    );
    assert!(
        problems[0].contains("is also discord.board_channel_id"),
        "{problems:?}"
    );
}

#[test]
fn plain_http_to_another_machine_is_refused() {
    let broken = EXAMPLE.replace(
        "api_base = \"https://discord.com\"",
        "api_base = \"http://discord.com\"",
    );
    let problems = problems_of(&broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("discord.api_base (line "),
        "{problems:?}"
    );
    let local = EXAMPLE.replace(
        "api_base = \"https://discord.com\"",
        "api_base = \"http://127.0.0.1:8080\"",
    );
    assert!(Config::parse(&local, Path::new("config")).is_ok());
}

#[test]
fn a_missing_section_is_one_problem_and_the_rest_are_still_found() {
    let start = EXAMPLE.find("[discord]").unwrap();
    let end = EXAMPLE.find("[roles]").unwrap();
    let broken = format!("{}{}", &EXAMPLE[..start], &EXAMPLE[end..]).replace(
        "timezone = \"Europe/London\"",
        "timezone = \"Europe/Lodnon\"",
    );
    let problems = problems_of(&broken);
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(
        problems[0].starts_with("partnership.timezone (line "),
        "{problems:?}"
    );
    assert_eq!(problems[1], "discord: missing; add it");
}

/// Every value in the example, swapped for each kind of wrong value in turn: the reader
/// never panics, and whatever it refuses it names at that line.
#[test]
fn any_value_of_the_wrong_kind_is_told_at_its_line() {
    let values = ["-3", "\"x\"", "true", "[1, 2]", "{ a = 1 }", "3.5"];
    let lines: Vec<&str> = EXAMPLE.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((key, old)) = line.split_once(" = ").filter(|_| !line.starts_with('#')) else {
            continue;
        };
        if old.starts_with('[') && !old.contains(']') {
            continue; // the first line of a multi-line array: the rest would not parse
        }
        for value in values {
            let mut changed = lines.clone();
            let swapped = format!("{key} = {value}");
            changed[i] = &swapped;
            let text = changed.join("\n");
            if let Err(problems) = Config::parse(&text, Path::new("config")) {
                let here = format!("line {})", i + 1);
                let syntax = format!("line {}: ", i + 1);
                assert!(
                    problems
                        .iter()
                        .any(|p| p.contains(&here) || p.starts_with(&syntax)),
                    "`{swapped}` at line {}: {problems:#?}",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn privacy_and_people_load_and_a_person_without_an_id_is_refused_by_key() {
    let config = Config::parse(EXAMPLE, Path::new("config")).unwrap();
    assert!(config.partnership.privacy.discord_sees_all());
    assert!(config
        .partnership
        .privacy
        .lawful_basis_or_unset()
        .starts_with("Public task"));
    assert_eq!(
        config.people.get(&1001).map(String::as_str),
        Some("Ms R. Patel")
    );
    let off = EXAMPLE.replace("notes_in_discord = true", "notes_in_discord = false");
    let config = Config::parse(&off, Path::new("config")).unwrap();
    assert!(!config.partnership.privacy.notes_in_discord);
    let bad = EXAMPLE.replace("\"1011\" = \"Mr T. Obi\"", "\"Mr Obi\" = \"Mr T. Obi\"");
    let problems = problems_of(&bad).join("\n");
    assert!(problems.contains("people.Mr Obi"), "{problems}");
}
