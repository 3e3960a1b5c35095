//! What keeps the CLI from doing damage by mistake: user IDs that are real Discord IDs,
//! files written private and never over another by surprise, and databases that are what
//! the command expects.

use std::io::Write;
use std::path::Path;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// Written into the demo's database (`PRAGMA application_id`, "MMDM"), so that
/// `demo --demo-database FILE` can tell its own scratch file from a live database.
pub const DEMO_APPLICATION_ID: i32 = 0x4D4D_444D;

/// `--as`: a Discord user ID is a snowflake, a positive number that fits Discord's 63 bits.
/// 0 used to be accepted and then panicked the bot's sender on its way to Discord.
pub fn discord_id(raw: &str) -> Result<u64, String> {
    match raw.trim().parse::<u64>() {
        Ok(id) if id > 0 && id <= i64::MAX as u64 => Ok(id),
        _ => Err(format!(
            "`{raw}` is not a Discord ID; copy one with Developer Mode (right-click a user, Copy User ID)"
        )),
    }
}

/// Writes `bytes` to a new file only its owner can read (0600). An existing file is kept
/// unless `force`, in which case it is replaced and made private too.
pub fn write_private(path: &Path, bytes: &[u8], force: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path).map_err(|e| explain_exists(e, path))?;
        // `mode` applies only to a file this call created; a replaced one keeps its old
        // permissions unless told.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path).map_err(|e| explain_exists(e, path))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
}

fn explain_exists(e: std::io::Error, path: &Path) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        std::io::Error::new(
            e.kind(),
            format!(
                "{} already exists; add --force to replace it",
                path.display()
            ),
        )
    } else {
        e
    }
}

/// May the demo use (and wipe) this file? Only if it does not exist, is empty, or is a
/// database the demo made. Anything else might be someone's live database.
pub async fn may_be_demo_database(path: &Path) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "{} {why}, so the demo will not replace it; give --demo-database a new file name",
            path.display()
        ))
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return refuse(&format!("cannot be read ({e})")),
        Ok(m) if !m.is_file() => return refuse("is not a file"),
        Ok(m) if m.len() == 0 => return Ok(()),
        Ok(_) => {}
    }
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let id: Result<i32, sqlx::Error> = async {
        let mut conn = options.connect().await?;
        let id = sqlx::query_scalar("PRAGMA application_id")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        Ok(id)
    }
    .await;
    match id {
        Ok(DEMO_APPLICATION_ID) => Ok(()),
        Ok(_) => refuse("is not a demo database"),
        Err(_) => refuse("is not a database the demo made"),
    }
}

/// Marks a freshly created demo database as the demo's.
pub async fn mark_demo_database(pool: &sqlx::SqlitePool) -> Result<(), sqlx::Error> {
    // DEMO_APPLICATION_ID in decimal (sqlx takes only fixed SQL; a test checks they agree).
    sqlx::query("PRAGMA application_id = 1296909389")
        .execute(pool)
        .await
        .map(|_| ())
}

/// How many cases a database holds (`seed` adds only to an empty one).
pub async fn case_count(pool: &sqlx::SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests;
