//! SQLite storage: WAL, foreign keys on, a busy timeout, and `BEGIN IMMEDIATE` for every
//! write so that two writers never interleave a read-modify-write.

mod cases;
mod outbox;
mod places;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

pub use cases::{CaseFilter, CaseSummary, StoredEvent};
pub use outbox::OutboxRow;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data could not be read: {0}")]
    Corrupt(String),
    #[error("the case changed while this command ran")]
    Conflict,
    #[error("cannot create the database folder: {0}")]
    Io(#[from] std::io::Error),
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
            .busy_timeout(Duration::from_secs(10));
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
        let target = target.to_string_lossy().to_string();
        sqlx::query("VACUUM INTO ?")
            .bind(&target)
            .execute(&self.pool)
            .await?;
        restrict_permissions(Path::new(&target))?;
        Ok(())
    }
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    if path.exists() {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}
