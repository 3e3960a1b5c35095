use super::*;

const GUILD: u64 = 1000;
const COORD: u64 = 1;
const HEAD: u64 = 2;
const BOT_ROLE: u64 = 3;
const BOT_USER: u64 = 99;
const BOARD: u64 = 50;
const THREADS: u64 = 51;
/// What Discord gives @everyone and most roles: seeing and talking.
const DEFAULT: u64 = VIEW_CHANNEL | (1 << 11);

fn role(id: u64, name: &str, permissions: u64) -> Role {
    Role {
        id,
        name: name.into(),
        permissions,
    }
}

fn overwrite(target: Target, allow: u64, deny: u64) -> Overwrite {
    Overwrite {
        target,
        allow,
        deny,
    }
}

/// A server set up as the README says: @everyone may not see the board; coordinators and
/// the bot may.
fn guild() -> Guild {
    Guild {
        id: GUILD,
        roles: vec![
            role(GUILD, "@everyone", DEFAULT),
            role(COORD, "Coordinator", DEFAULT),
            role(HEAD, "Head: Riverside", DEFAULT),
            role(BOT_ROLE, "managed-moves", DEFAULT | MANAGE_THREADS),
        ],
        channels: vec![
            Channel {
                id: BOARD,
                name: "coordinators".into(),
                overwrites: vec![
                    overwrite(Target::Role(GUILD), 0, VIEW_CHANNEL),
                    overwrite(Target::Role(COORD), VIEW_CHANNEL, 0),
                    overwrite(Target::Role(BOT_ROLE), VIEW_CHANNEL, 0),
                ],
            },
            Channel {
                id: THREADS,
                name: "case-threads".into(),
                overwrites: vec![],
            },
        ],
        bot_user: BOT_USER,
    }
}

fn rules() -> Vec<Rule> {
    vec![
        Rule {
            key: "discord.board_channel_id",
            channel_id: BOARD,
            permission: Permission::View,
            allowed: vec![COORD, BOT_ROLE],
            allowed_label: "coordinators, admins and the bot",
        },
        Rule {
            key: "discord.case_threads_channel_id",
            channel_id: THREADS,
            permission: Permission::ManageThreads,
            allowed: vec![COORD, BOT_ROLE],
            allowed_label: "coordinators, admins and the bot",
        },
    ]
}

fn channel(g: &Guild, id: u64) -> &Channel {
    g.channels.iter().find(|c| c.id == id).unwrap()
}

#[test]
fn a_server_set_up_as_the_readme_says_passes() {
    assert_eq!(check(&guild(), &rules()), Vec::<String>::new());
}

#[test]
fn everyone_seeing_the_board_is_refused_by_channel_and_role() {
    let mut g = guild();
    g.channels[0].overwrites.remove(0);
    let problems = check(&g, &rules());
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0]
        .starts_with("discord.board_channel_id: everyone (@everyone) can see #coordinators"));
    assert!(problems[1].contains("the role \"Head: Riverside\""));
}

#[test]
fn a_role_overwrite_allowing_a_head_to_see_the_board_is_refused() {
    let mut g = guild();
    g.channels[0]
        .overwrites
        .push(overwrite(Target::Role(HEAD), VIEW_CHANNEL, 0));
    let problems = check(&g, &rules());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("\"Head: Riverside\" (2) can see #coordinators"));
}

#[test]
fn a_head_role_with_administrator_sees_everything_whatever_the_overwrites() {
    let mut g = guild();
    g.roles[2].permissions |= ADMINISTRATOR;
    g.channels[0]
        .overwrites
        .push(overwrite(Target::Role(HEAD), 0, VIEW_CHANNEL));
    assert_eq!(
        g.role_permissions(&g.roles[2], channel(&g, BOARD)),
        u64::MAX
    );
    let problems = check(&g, &rules());
    assert!(
        problems[0].contains("can see #coordinators because it has Administrator"),
        "{problems:?}"
    );
    assert!(problems[1].contains("can manage the threads of #case-threads"));
}

#[test]
fn a_role_allow_beats_the_everyone_deny_and_a_role_deny_beats_its_base() {
    let g = guild();
    let board = channel(&g, BOARD);
    assert_ne!(g.role_permissions(&g.roles[1], board) & VIEW_CHANNEL, 0);
    assert_eq!(g.role_permissions(&g.roles[0], board), 0);
    let mut g = guild();
    g.channels[0].overwrites = vec![overwrite(Target::Role(HEAD), 0, VIEW_CHANNEL)];
    assert_eq!(g.role_permissions(&g.roles[2], channel(&g, BOARD)), 0);
}

#[test]
fn manage_threads_for_staff_on_the_case_threads_channel_is_refused() {
    let mut g = guild();
    g.channels[1]
        .overwrites
        .push(overwrite(Target::Role(HEAD), MANAGE_THREADS, 0));
    let problems = check(&g, &rules());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with("discord.case_threads_channel_id: the role \"Head: Riverside\"")
    );
    assert!(problems[0].contains("Manage Threads"));
}

#[test]
fn manage_threads_without_view_channel_is_no_permission() {
    let mut g = guild();
    g.roles[2].permissions |= MANAGE_THREADS;
    g.channels[1]
        .overwrites
        .push(overwrite(Target::Role(HEAD), 0, VIEW_CHANNEL));
    assert_eq!(check(&g, &rules()), Vec::<String>::new());
}

#[test]
fn a_member_overwrite_letting_someone_see_the_board_is_refused_but_not_the_bots() {
    let mut g = guild();
    g.channels[0]
        .overwrites
        .push(overwrite(Target::Member(BOT_USER), VIEW_CHANNEL, 0));
    assert!(check(&g, &rules()).is_empty());
    g.channels[0]
        .overwrites
        .push(overwrite(Target::Member(7), VIEW_CHANNEL, 0));
    let problems = check(&g, &rules());
    assert_eq!(problems.len(), 1);
    assert!(problems[0].contains("member 7 is given View Channel on #coordinators"));
}

#[test]
fn a_configured_channel_missing_from_the_server_is_named() {
    let mut g = guild();
    g.channels.remove(0);
    let problems = check(&g, &rules());
    assert_eq!(
        problems,
        vec!["discord.board_channel_id: there is no channel 50 in the server"]
    );
}
