//! The partnership's server as the fake presents it: fixed IDs for channels, roles and
//! people, and the bot's config file written to point at the fake.

use std::path::Path;

use crate::support::fake_discord::{
    perms, FakeChannel, FakeConfig, FakeMember, FakeOverwrite, FakeRole,
};

/// The fake's default guild (the partnership's server).
pub const GUILD: u64 = 1_200_000_000_000_000_001;
/// A server the bot is not configured for.
pub const OTHER_GUILD: u64 = 1_200_000_000_000_000_002;

pub const CATEGORY: u64 = 1_200_000_000_000_000_099;
/// First text channel: where people type commands unless told otherwise.
pub const GENERAL: u64 = 1_200_000_000_000_000_100;
pub const CASES: u64 = 1_200_000_000_000_000_110;
pub const BOARD: u64 = 1_200_000_000_000_000_111;
pub const SEIP_CHANNEL: u64 = 1_200_000_000_000_000_112;
/// A second channel private to coordinators, for moving the board to.
pub const COORDINATORS_ARCHIVE: u64 = 1_200_000_000_000_000_113;

pub const COORDINATOR_ROLE: u64 = 1_200_000_000_000_000_200;
pub const SEIP_ROLE: u64 = 1_200_000_000_000_000_201;
pub const ADMIN_ROLE: u64 = 1_200_000_000_000_000_202;
pub const RIVERSIDE_HEAD: u64 = 1_200_000_000_000_000_211;
pub const RIVERSIDE_STAFF: u64 = 1_200_000_000_000_000_212;
pub const HILLCREST_HEAD: u64 = 1_200_000_000_000_000_221;
pub const HILLCREST_STAFF: u64 = 1_200_000_000_000_000_222;
pub const OAKFIELD_HEAD: u64 = 1_200_000_000_000_000_231;

/// Someone in the server: a user ID and the roles they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person {
    pub id: u64,
    pub name: &'static str,
    pub roles: &'static [u64],
}

/// Head of Riverside, the home school in most scenarios.
pub const HOME_HEAD: Person = Person {
    id: 1_200_000_000_000_000_501,
    name: "home-head",
    roles: &[RIVERSIDE_HEAD],
};
pub const HOME_STAFF: Person = Person {
    id: 1_200_000_000_000_000_502,
    name: "home-staff",
    roles: &[RIVERSIDE_STAFF],
};
/// Head of Hillcrest, the destination school in most scenarios.
pub const DEST_HEAD: Person = Person {
    id: 1_200_000_000_000_000_511,
    name: "dest-head",
    roles: &[HILLCREST_HEAD],
};
pub const DEST_STAFF: Person = Person {
    id: 1_200_000_000_000_000_512,
    name: "dest-staff",
    roles: &[HILLCREST_STAFF],
};
/// Head of Oakfield, a school not involved in the scenarios' cases.
pub const OTHER_HEAD: Person = Person {
    id: 1_200_000_000_000_000_521,
    name: "other-head",
    roles: &[OAKFIELD_HEAD],
};
pub const COORDINATOR: Person = Person {
    id: 1_200_000_000_000_000_531,
    name: "coordinator",
    roles: &[COORDINATOR_ROLE],
};
pub const SEIP_MEMBER: Person = Person {
    id: 1_200_000_000_000_000_532,
    name: "seip-member",
    roles: &[SEIP_ROLE],
};
pub const ADMIN: Person = Person {
    id: 1_200_000_000_000_000_533,
    name: "admin",
    roles: &[ADMIN_ROLE],
};
/// In the server with no partnership role at all.
pub const NOBODY: Person = Person {
    id: 1_200_000_000_000_000_599,
    name: "nobody",
    roles: &[],
};

pub const PEOPLE: [Person; 9] = [
    HOME_HEAD,
    HOME_STAFF,
    DEST_HEAD,
    DEST_STAFF,
    OTHER_HEAD,
    COORDINATOR,
    SEIP_MEMBER,
    ADMIN,
    NOBODY,
];

/// A channel only `roles` (and the bot) may see, as the README tells a partnership to set
/// up the coordinators' and the SEIP panel's channels.
fn private_to(channel: FakeChannel, roles: &[u64]) -> FakeChannel {
    let bot_role = FakeConfig::default().bot_role_id();
    let mut c = channel.overwrite(FakeOverwrite::role(GUILD, 0, perms::VIEW_CHANNEL));
    for role in roles.iter().chain([&bot_role]) {
        c = c.overwrite(FakeOverwrite::role(*role, perms::VIEW_CHANNEL, 0));
    }
    c
}

/// The fake's guild: the channels and roles the config names, and everyone in `PEOPLE`.
/// It passes the bot's start-up check of who can see what.
pub fn fake_config() -> FakeConfig {
    let roles = [
        (COORDINATOR_ROLE, "Coordinator"),
        (SEIP_ROLE, "SEIP panel"),
        (ADMIN_ROLE, "Admin"),
        (RIVERSIDE_HEAD, "Head: Riverside"),
        (RIVERSIDE_STAFF, "Staff: Riverside"),
        (HILLCREST_HEAD, "Head: Hillcrest"),
        (HILLCREST_STAFF, "Staff: Hillcrest"),
        (OAKFIELD_HEAD, "Head: Oakfield"),
    ];
    FakeConfig {
        guild_id: GUILD,
        roles: roles
            .iter()
            .map(|(id, name)| FakeRole::new(*id, name))
            .collect(),
        channels: vec![
            FakeChannel::text(GENERAL, "general"),
            FakeChannel::category(CATEGORY, "Managed moves"),
            FakeChannel::text(CASES, "case-threads").under(CATEGORY),
            private_to(
                FakeChannel::text(BOARD, "coordinators").under(CATEGORY),
                &[COORDINATOR_ROLE, ADMIN_ROLE],
            ),
            private_to(
                FakeChannel::text(SEIP_CHANNEL, "seip-panel").under(CATEGORY),
                &[SEIP_ROLE, ADMIN_ROLE],
            ),
            private_to(
                FakeChannel::text(COORDINATORS_ARCHIVE, "coordinators-2").under(CATEGORY),
                &[COORDINATOR_ROLE, ADMIN_ROLE],
            ),
        ],
        members: PEOPLE
            .iter()
            .map(|p| FakeMember::new(p.id, p.name).roles(p.roles.iter().copied()))
            .collect(),
        ..FakeConfig::default()
    }
}

/// The bot's config for the fake at `api_base`, with its database at `database`. The
/// calendar is the example config's, so dates in scenarios fall on real school days.
pub fn config_toml(api_base: &str, database: &Path) -> String {
    format!(
        r#"[partnership]
name = "Fake Partnership"
timezone = "Europe/London"

[database]
path = "{database}"

[discord]
guild_id = {GUILD}
case_threads_channel_id = {CASES}
board_channel_id = {BOARD}
seip_channel_id = {SEIP_CHANNEL}
api_base = "{api_base}"

[roles]
coordinator = [{COORDINATOR_ROLE}]
seip = [{SEIP_ROLE}]
admin = [{ADMIN_ROLE}]

[[schools]]
key = "riverside"
name = "Riverside Academy"
head_role = {RIVERSIDE_HEAD}
staff_role = {RIVERSIDE_STAFF}

[[schools]]
key = "hillcrest"
name = "Hillcrest School"
head_role = {HILLCREST_HEAD}
staff_role = {HILLCREST_STAFF}

[[schools]]
key = "oakfield"
name = "Oakfield High School"
head_role = {OAKFIELD_HEAD}

[calendar]
terms = [
  {{ start = "2026-09-03", end = "2026-10-23" }},
  {{ start = "2026-11-02", end = "2026-12-18" }},
  {{ start = "2027-01-05", end = "2027-02-12" }},
  {{ start = "2027-02-22", end = "2027-03-26" }},
  {{ start = "2027-04-12", end = "2027-05-28" }},
  {{ start = "2027-06-07", end = "2027-07-21" }},
]
closures = ["2027-01-04"]
"#,
        database = database.display(),
    )
}
