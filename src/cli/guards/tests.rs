use super::*;
use crate::store::Store;

#[test]
fn the_demo_marker_is_written_as_declared() {
    assert_eq!(DEMO_APPLICATION_ID, 1_296_909_389);
}

#[test]
fn as_must_be_a_real_discord_id() {
    assert_eq!(
        discord_id("1200000000000000501"),
        Ok(1_200_000_000_000_000_501)
    );
    for bad in ["0", "-1", "abc", "", "18446744073709551615"] {
        assert!(discord_id(bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn the_cli_refuses_user_zero() {
    use clap::Parser;
    let parsed = crate::cli::Cli::try_parse_from(["managed-moves", "list", "--as", "0"]);
    let e = parsed.expect_err("--as 0 is refused");
    assert!(e.to_string().contains("not a Discord ID"), "{e}");
    assert!(crate::cli::Cli::try_parse_from(["managed-moves", "list", "--as", "42"]).is_ok());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn written_files_are_private_and_never_silently_overwritten() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("MM-2026-0001-agreement.pdf");
    write_private(&path, b"first", false).unwrap();
    assert_eq!(mode(&path), 0o600);
    let again = write_private(&path, b"second", false).unwrap_err();
    assert!(again.to_string().contains("--force"), "{again}");
    assert_eq!(std::fs::read(&path).unwrap(), b"first");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    write_private(&path, b"second", true).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"second");
    assert_eq!(mode(&path), 0o600, "a replaced file is made private too");
}

#[tokio::test]
async fn the_demo_refuses_a_database_it_did_not_make() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("new.db");
    assert!(may_be_demo_database(&missing).await.is_ok());
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(may_be_demo_database(&empty).await.is_ok());
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, b"not a database at all, but precious").unwrap();
    assert!(may_be_demo_database(&text).await.is_err());

    let live = dir.path().join("live.db");
    let store = Store::open(&live).await.unwrap();
    let refused = may_be_demo_database(&live).await.unwrap_err();
    assert!(refused.contains("is not a demo database"), "{refused}");
    store.pool().close().await;

    let demo = dir.path().join("demo.db");
    let store = Store::open(&demo).await.unwrap();
    mark_demo_database(store.pool()).await.unwrap();
    assert!(may_be_demo_database(&demo).await.is_ok());
    store.pool().close().await;
    assert!(
        may_be_demo_database(&demo).await.is_ok(),
        "also once closed"
    );
}
