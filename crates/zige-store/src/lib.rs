//! Zige's storage: SQLite in the data directory by default, PostgreSQL for
//! deployments with several server processes. Both sit behind [`Store`];
//! each has its own versioned migrations, applied at start-up.
//!
//! Invariant: this is the only crate that knows SQL.

#[macro_use]
mod cases;
mod backup;
mod blobs;

pub use blobs::{Blobs, SweepReport};
pub use cases::*;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL '{0}' is not supported: allowed postgres://… or sqlite://…")]
    Url(String),
    #[error("could not create the data directory '{path}': {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A unique value (named) is already taken.
    #[error("{0} is already taken")]
    Duplicate(&'static str),
    #[error("not found")]
    NotFound,
    /// Someone else changed the record first, or its state no longer allows the change.
    #[error("the record was changed by someone else or no longer allows this change")]
    Conflict,
    #[error("the audit log is broken: {0}")]
    Chain(zige_cases::ChainError),
    #[error("blob store: {0}")]
    Blob(#[from] object_store::Error),
    #[error("backup file: {0}")]
    Backup(String),
    /// A per-application or per-account limit is reached; nothing was stored.
    #[error("limit reached: {what} (at most {max})")]
    Limit { what: LimitKind, max: i64 },
}

impl StoreError {
    /// The database or the file store is out of space (SQLite's
    /// SQLITE_FULL, PostgreSQL's disk_full, or ENOSPC from a file).
    pub fn is_storage_full(&self) -> bool {
        match self {
            StoreError::Sql(sqlx::Error::Database(d)) => {
                matches!(d.code().as_deref(), Some("13") | Some("53100"))
            }
            StoreError::DataDir { source, .. } => source.kind() == std::io::ErrorKind::StorageFull,
            StoreError::Blob(e) => {
                let text = e.to_string();
                text.contains("No space left") || text.contains("os error 28")
            }
            _ => false,
        }
    }
}

/// Which limit a refused write ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// Evidence files of one application.
    EvidencePerApplication,
    /// Drafts one account has open at once.
    OpenDrafts,
    /// Bytes of evidence one account has stored, over all its applications.
    StoragePerAccount,
}

impl std::fmt::Display for LimitKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LimitKind::EvidencePerApplication => "evidence files per application",
            LimitKind::OpenDrafts => "open drafts per account",
            LimitKind::StoragePerAccount => "evidence bytes per account",
        })
    }
}

/// Per-application and per-account limits, checked in the same
/// transaction as the write they limit (so concurrent requests cannot
/// overshoot them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub evidence_per_application: i64,
    pub open_drafts_per_account: i64,
    pub storage_bytes_per_account: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            evidence_per_application: 20,
            open_drafts_per_account: 20,
            storage_bytes_per_account: 200 * 1024 * 1024,
        }
    }
}

/// After a write transaction failed: its connection goes back to the pool
/// only when the failure was a refusal (conflict, not found, a constraint)
/// and the connection is verifiably outside any transaction. Anything else
/// (a full disk, a failed COMMIT, an I/O error) closes the connection, so
/// no half-open transaction survives to swallow later writes.
pub(crate) async fn after_failed_tx<DB: sqlx::Database>(
    conn: &mut sqlx::pool::PoolConnection<DB>,
    e: &StoreError,
) {
    use sqlx::error::ErrorKind;
    let refusal = match e {
        StoreError::Conflict
        | StoreError::NotFound
        | StoreError::Duplicate(_)
        | StoreError::Limit { .. } => true,
        StoreError::Sql(sqlx::Error::Database(d)) => matches!(
            d.kind(),
            ErrorKind::UniqueViolation
                | ErrorKind::ForeignKeyViolation
                | ErrorKind::NotNullViolation
                | ErrorKind::CheckViolation
        ),
        _ => false,
    };
    // The dropped transaction queued its ROLLBACK; a ping runs it.
    let clean = refusal
        && sqlx::Connection::ping(&mut **conn).await.is_ok()
        && !sqlx::Connection::is_in_transaction(&**conn);
    if !clean {
        tracing::warn!(error = %e, "a write failed; its database connection is closed, not reused");
        conn.close_on_drop();
    }
}

/// Which database answers.
#[derive(Clone, Debug)]
enum Backend {
    /// Readers share a pool; writes go through one connection, so
    /// transactions queue in the process instead of failing busy.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// A connection pool to one of the two backends.
#[derive(Clone, Debug)]
pub struct Store {
    backend: Backend,
    limits: Limits,
    /// Tests only: SQLite's `max_page_count` on every writer connection
    /// (0: unlimited), to simulate a full disk without root.
    max_pages: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Bytes the write probe writes (twice) per call.
const PROBE_BYTES: usize = 32 * 1024;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens the database: `database_url` (postgres://… or sqlite://…) when
    /// given, else `zige.sqlite` in `data_dir`, created with its directory.
    /// WAL journal and synchronous=FULL: every acknowledged write is durable.
    pub async fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Store, StoreError> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    // A burst of writes to one account queues on its row lock; waiting
                    // beats failing (as the SQLite writer queue does).
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                Ok(Store {
                    backend: Backend::Postgres(pool),
                    limits: Limits::default(),
                    max_pages: Default::default(),
                })
            }
            Some(url) if url.starts_with("sqlite:") => {
                Self::sqlite(SqliteConnectOptions::from_str(url)?.create_if_missing(true)).await
            }
            Some(url) => Err(StoreError::Url(url.to_string())),
            None => {
                std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
                    path: data_dir.display().to_string(),
                    source,
                })?;
                Self::sqlite(
                    SqliteConnectOptions::new()
                        .filename(data_dir.join("zige.sqlite"))
                        .create_if_missing(true),
                )
                .await
            }
        }
    }

    async fn sqlite(options: SqliteConnectOptions) -> Result<Store, StoreError> {
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let max_pages: std::sync::Arc<std::sync::atomic::AtomicU64> = Default::default();
        let pages = max_pages.clone();
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(move |conn, _| {
                let pages = pages.load(std::sync::atomic::Ordering::SeqCst);
                Box::pin(async move {
                    if pages > 0 {
                        sqlx::query(&format!("PRAGMA max_page_count = {pages}"))
                            .execute(conn)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Store {
            backend: Backend::Sqlite { read, write },
            limits: Limits::default(),
            max_pages,
        })
    }

    /// The same store with these limits.
    pub fn with_limits(mut self, limits: Limits) -> Store {
        self.limits = limits;
        self
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Tests only (SQLite): caps the database at `pages` pages (None:
    /// lifts the cap), as a full disk would, on the writer connection and
    /// on any connection the pool opens later. A no-op on PostgreSQL.
    pub async fn set_max_pages_for_tests(&self, pages: Option<u64>) -> Result<(), StoreError> {
        if let Backend::Sqlite { write, .. } = &self.backend {
            // 4294967294 is SQLite's largest page count: no cap.
            let n = pages.unwrap_or(4_294_967_294);
            self.max_pages
                .store(pages.unwrap_or(0), std::sync::atomic::Ordering::SeqCst);
            sqlx::query(&format!("PRAGMA max_page_count = {n}"))
                .execute(write)
                .await?;
        }
        Ok(())
    }

    /// Tests only (SQLite): the database's size in pages.
    pub async fn page_count_for_tests(&self) -> Result<i64, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite { write, .. } => {
                sqlx::query_scalar("PRAGMA page_count")
                    .fetch_one(write)
                    .await?
            }
            Backend::Postgres(_) => 0,
        })
    }

    /// Applies the pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite { write, .. } => SQLITE_MIGRATIONS.run(write).await?,
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    /// `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match &self.backend {
            Backend::Sqlite { .. } => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Answers when the database does.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite { read, .. } => {
                sqlx::query("SELECT 1").execute(read).await.map(|_| ())?
            }
            Backend::Postgres(p) => sqlx::query("SELECT 1").execute(p).await.map(|_| ())?,
        }
        Ok(())
    }

    /// Whether the database takes a write now: replaces the probe row's
    /// padding and writes (then removes) a second padded row, and commits.
    /// A full disk, a database at its size limit or a read-only database
    /// fails here, so `/readyz` can say so.
    pub async fn write_probe(&self, now: i64) -> Result<(), StoreError> {
        // Random, so neither backend can compress it away.
        let mut x = (now as u64) | 1;
        let pad: Vec<u8> = (0..PROBE_BYTES)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        in_tx!(self, |tx| {
            sqlx::query("UPDATE write_probe SET at = $1, pad = $2 WHERE id = 1")
                .bind(now)
                .bind(&pad)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO write_probe (id, at, pad) VALUES (2, $1, $2)")
                .bind(now)
                .bind(&pad)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM write_probe WHERE id = 2")
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The latest applied migration version.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let q = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
        let v: i64 = match &self.backend {
            Backend::Sqlite { read, .. } => sqlx::query_scalar(q).fetch_one(read).await?,
            Backend::Postgres(p) => sqlx::query_scalar(q).fetch_one(p).await?,
        };
        Ok(v)
    }

    /// Runs one statement outside any transaction: for operations and
    /// tests (creating a database), never with user input.
    pub async fn execute_admin(&self, sql: &str) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite { write, .. } => sqlx::raw_sql(sql).execute(write).await.map(|_| ())?,
            Backend::Postgres(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ())?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(p) => p.close().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_in_a_fresh_data_dir_is_created_and_migrated() {
        let dir = std::env::temp_dir().join(format!("zige-store-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("nested"), None).await.unwrap();
        store.migrate().await.unwrap();
        store.migrate().await.unwrap();
        assert_eq!(store.backend(), "sqlite");
        assert!(store.schema_version().await.unwrap() >= 6);
        store.ping().await.unwrap();
        assert!(dir.join("nested/zige.sqlite").exists());
        // The audit log takes appends only.
        store.record_view(1, 1, 1).await.unwrap();
        for sql in ["UPDATE audit SET detail = 'x'", "DELETE FROM audit"] {
            let e = store.execute_admin(sql).await.unwrap_err();
            assert!(e.to_string().contains("append-only"), "{e}");
        }
        store.verify_audit().await.unwrap();
        store.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn an_unknown_url_scheme_is_refused_with_what_is_allowed() {
        let err = Store::open(Path::new("."), Some("mysql://x"))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("allowed postgres://"));
    }

    /// Runs where the development and CI machines' PostgreSQL answers.
    #[tokio::test]
    async fn postgres_is_migrated_when_available() {
        let url = std::env::var("ZIGE_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
        let Ok(store) = Store::open(Path::new("."), Some(&url)).await else {
            eprintln!("note: no PostgreSQL at {url}; skipped");
            return;
        };
        store.migrate().await.unwrap();
        assert_eq!(store.backend(), "postgres");
        assert!(store.schema_version().await.unwrap() >= 1);
    }
}
