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
