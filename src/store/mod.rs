//! SQLite storage: WAL, foreign keys on, a busy timeout, and `BEGIN IMMEDIATE` for every
//! write so that two writers never interleave a read-modify-write.

mod board;
mod cases;
mod checkpoint;
mod delivery;
mod listing;
mod outbox;
mod people;
mod places;
mod receipts;
mod redaction;
mod reminders;
mod reports;
pub mod retention;
mod threads;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use board::{BoardCounts, BoardDay};
pub use cases::{CaseSummary, StoredEvent};
pub use checkpoint::{spawn_checkpoints, CHECKPOINT_EVERY};
pub use delivery::{DeliveryError, DueRow, OutboxState, UndeliveredRow};
pub use listing::{CaseFilter, UrgentCases, DEFAULT_LIMIT};
pub use outbox::{NewOutbox, OutboxRow};
pub use receipts::{Receipt, ReceiptQuery};
pub use reminders::{DueReminder, NewReminder, ReminderState, StoredReminder};
pub use retention::{RetentionCandidate, RetentionLogEntry, RetentionNote};
pub use threads::thread_marks;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The detail is scrubbed of quoted values when shown: a serde message can quote the
    /// stored text, which may hold a pupil's details, and errors are logged.
    #[error("stored data could not be read: {}", scrub_quoted(.0))]
    Corrupt(String),
    #[error("the case changed while this command ran")]
    Conflict,
    #[error("cannot create the database folder: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// The database was locked by another writer (a long transaction elsewhere, the CLI,
    /// `retention --apply`) for longer than we were prepared to wait: nothing was written,
    /// and the same command may well go through a moment later.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Sql(sqlx::Error::PoolTimedOut) => true,
            StoreError::Sql(sqlx::Error::Database(e)) => {
                // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with any extended code.
                let code = e.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
                matches!(code & 0xff, 5 | 6)
            }
            _ => false,
        }
    }
}

/// Replaces anything in quotes or backticks with `…`, keeping the shape of the message.
pub fn scrub_quoted(detail: &str) -> String {
    let mut out = String::with_capacity(detail.len());
    let mut closing: Option<char> = None;
    for c in detail.chars() {
        match closing {
            Some(end) if c == end => {
                out.push('…');
                out.push(c);
                closing = None;
            }
            Some(_) => {}
            None if c == '"' || c == '`' => {
                out.push(c);
                closing = Some(c);
            }
            None => out.push(c),
        }
    }
    out
}

pub type Tx = Transaction<'static, Sqlite>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database file, migrates it, and makes it private to
    /// this user: it holds details of children.
    pub async fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        // Created private before SQLite opens it, so that its -wal and -shm files, which
        // SQLite creates with the database's permissions and which hold the same data, are
        // private from the first write too.
        create_private(path, false)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        let store = Self::with_options(options, 8).await?;
        restrict_permissions(path)?;
        Ok(store)
    }

    /// A private in-memory database (tests, demos).
    pub async fn in_memory() -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?;
        // One connection: each in-memory connection would otherwise be its own database.
        Self::with_options(options, 1).await
    }

    /// Wraps an existing pool (from `#[sqlx::test]`), applying our pragmas' essentials.
    pub async fn from_pool(pool: SqlitePool) -> Result<Store, StoreError> {
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&pool)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store { pool })
    }

    async fn with_options(options: SqliteConnectOptions, max: u32) -> Result<Store, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: every commit is on disk before we answer, so an acknowledged decision
            // survives even a power cut. It costs an fsync per write, well within budget.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // 1 MiB of page cache per connection (SQLite's default is 2 MiB): the pool's
            // eight would otherwise hold 16 MiB once start-up has read every open case,
            // and the OS caches the file as well.
            .pragma("cache_size", "-1024");
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Starts a write transaction that takes the write lock at once, so a concurrent
    /// writer waits (busy timeout) instead of failing half-way with SQLITE_BUSY.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// A consistent copy of the live database, safe while the bot runs.
    pub async fn backup_to(&self, target: &Path) -> Result<(), StoreError> {
        if target.exists() {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!("{} already exists", target.display()),
            )));
        }
        // An empty private file first (VACUUM INTO accepts one), so the copy is never
        // readable by others, not even while it is being written.
        create_private(target, true)?;
        let target = target.to_string_lossy().to_string();
        let copied = sqlx::query("VACUUM INTO ?")
            .bind(&target)
            .execute(&self.pool)
            .await;
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&target);
            return Err(e.into());
        }
        // On disk before we say it is done.
        std::fs::File::open(&target)?.sync_all()?;
        restrict_permissions(Path::new(&target))?;
        Ok(())
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    for suffix in ["", "-wal", "-shm"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// Creates `path` readable and writable by this user only (if `new`, it must not exist).
#[cfg(unix)]
fn create_private(path: &Path, new: bool) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).mode(0o600);
    if new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    options.open(path).map(|_| ())
}

#[cfg(not(unix))]
fn create_private(path: &Path, new: bool) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    options.open(path).map(|_| ())
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::ConnectOptions;

    /// A writer that cannot get the lock is told "busy", which the service answers with
    /// "try again", not an internal error with a reference for the admin.
    #[tokio::test]
    async fn a_write_lock_held_elsewhere_is_reported_as_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let store = super::Store::open(&path).await.unwrap();
        let mut other = SqliteConnectOptions::from_str("sqlite:")
            .unwrap()
            .filename(&path)
            .busy_timeout(std::time::Duration::ZERO)
            .connect()
            .await
            .unwrap();
        let held = store.begin_write().await.unwrap();
        let refused = sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await;
        let error = super::StoreError::from(refused.expect_err("the lock is held"));
        assert!(error.is_busy(), "{error}");
        assert!(!super::StoreError::Conflict.is_busy());
        drop(held);
    }

    #[test]
    fn corrupt_data_errors_never_show_quoted_values() {
        let e = super::StoreError::Corrupt(
            "case snapshot: invalid type: string \"J.S.\", expected u8 at `notes here`".into(),
        );
        let shown = e.to_string();
        assert!(
            !shown.contains("J.S.") && !shown.contains("notes here"),
            "{shown}"
        );
        assert!(shown.contains("invalid type: string"), "{shown}");
    }
}
