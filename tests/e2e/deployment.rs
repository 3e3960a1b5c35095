//! A deployment that cannot expose a case: the real binary reads the server's roles and
//! channel overwrites before it goes live, and refuses a server where someone who may not
//! see the board, the SEIP channel or every case thread could.

use crate::support;

use support::fake_discord::{perms, FakeOverwrite};
use support::harness::guild::{
    self, BOARD, CASES, HILLCREST_HEAD, RIVERSIDE_HEAD, RIVERSIDE_STAFF,
};
use support::harness::refused::{run_binary_against, run_to_exit};
use support::harness::TOKEN;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refused_for_a_board_channel_that_heads_can_see() {
    let mut server = guild::fake_config();
    let board = server.channels.iter_mut().find(|c| c.id == BOARD).unwrap();
    board
        .overwrites
        .push(FakeOverwrite::role(HILLCREST_HEAD, perms::VIEW_CHANNEL, 0));
    let ran = run_binary_against(server).await;
    assert_eq!(
        ran.code,
        Some(2),
        "refused with a failure code:\n{}",
        ran.output
    );
    assert!(
        ran.output.contains("discord.board_channel_id")
            && ran.output.contains("\"Head: Hillcrest\"")
            && ran.output.contains("#coordinators"),
        "names the channel and the role:\n{}",
        ran.output
    );
    let requests = ran.fake.recorder().requests();
    assert!(
        requests.iter().any(|r| r.path.ends_with("/roles"))
            && requests.iter().any(|r| r.path.ends_with("/channels")),
        "it read the roles and the channels from Discord"
    );
    assert!(
        !requests.iter().any(|r| r.path.contains("/commands")),
        "it never went live: no commands registered"
    );
    assert!(
        ran.fake.gateway_connections().is_empty(),
        "nor connected to the gateway"
    );
    assert!(!ran.output.contains(support::harness::TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_refused_when_staff_may_manage_the_case_threads() {
    let mut server = guild::fake_config();
    let cases = server.channels.iter_mut().find(|c| c.id == CASES).unwrap();
    cases.overwrites.push(FakeOverwrite::role(
        RIVERSIDE_STAFF,
        perms::MANAGE_THREADS,
        0,
    ));
    let ran = run_binary_against(server).await;
    assert_eq!(ran.code, Some(2), "{}", ran.output);
    assert!(
        ran.output.contains("discord.case_threads_channel_id")
            && ran.output.contains("\"Staff: Riverside\"")
            && ran.output.contains("Manage Threads"),
        "{}",
        ran.output
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_config_discord_runs_the_same_check_on_demand() {
    let ran = run_to_exit(
        guild::fake_config(),
        &["check-config", "--discord"],
        Some(TOKEN),
    )
    .await;
    assert_eq!(
        ran.code,
        Some(0),
        "the default server passes:\n{}",
        ran.output
    );
    assert!(ran.output.contains("keep cases private"), "{}", ran.output);

    let mut server = guild::fake_config();
    let head = server
        .roles
        .iter_mut()
        .find(|r| r.id == RIVERSIDE_HEAD)
        .unwrap();
    head.permissions |= perms::ADMINISTRATOR;
    let ran = run_to_exit(server, &["check-config", "--discord"], Some(TOKEN)).await;
    assert_eq!(ran.code, Some(2), "{}", ran.output);
    for channel in [
        "discord.board_channel_id",
        "discord.seip_channel_id",
        "discord.case_threads_channel_id",
    ] {
        assert!(
            ran.output
                .contains(&format!("{channel}: the role \"Head: Riverside\"")),
            "an Administrator head sees everything: {channel}\n{}",
            ran.output
        );
    }

    let ran = run_to_exit(guild::fake_config(), &["check-config", "--discord"], None).await;
    assert_eq!(ran.code, Some(2), "{}", ran.output);
    assert!(
        ran.output.contains("DISCORD_TOKEN is not set"),
        "{}",
        ran.output
    );
    assert!(
        ran.fake.recorder().requests().is_empty(),
        "nothing was asked of Discord"
    );
}
