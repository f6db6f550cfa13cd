//! The store itself: opening either backend (SQLite in the data
//! directory, or PostgreSQL), its migrations, and the probes operations
//! use (ping, write probe, integrity check, schema version).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::sql::{in_tx, Backend};
use crate::{Limits, StoreError};

/// A connection pool to one of the two backends.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) backend: Backend,
    pub(crate) limits: Limits,
    /// Tests only: SQLite's `max_page_count` on every writer connection
    /// (0: unlimited), to simulate a full disk without root.
    max_pages: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The service's time zone: statistics count by its calendar months.
    pub(crate) zone: jiff::tz::TimeZone,
    /// The statistics' counted cells, while no change has been audited.
    pub(crate) counted: crate::statistics::CountedCache,
    /// When audit records are sealed into the chain: after each write, or
    /// by a background task.
    pub(crate) sealing: crate::audit::Sealing,
}

/// How long a PostgreSQL connection may sit idle in the pool before it is
/// pinged on its way out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// Bytes the write probe writes (twice) per call.
const PROBE_BYTES: usize = 32 * 1024;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The users table of SQLite as migration 0008 wants it (with the
/// `official` role): rebuilt by SQLite's documented procedure, foreign keys
/// off, in one transaction, once; afterwards its text names the role.
async fn allow_official_role(write: &SqlitePool) -> Result<(), StoreError> {
    let mut conn = write.acquire().await?;
    let table: String =
        sqlx::query_scalar("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'users'")
            .fetch_one(&mut *conn)
            .await?;
    if table.contains("'official'") {
        return Ok(());
    }
    let rebuilt = sqlx::raw_sql(include_str!(
        "../migrations/sqlite-rebuilds/users_roles.sql"
    ))
    .execute(&mut *conn)
    .await;
    // Foreign keys on again, whatever happened.
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    if rebuilt.is_err() {
        let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    }
    rebuilt?;
    Ok(())
}

/// Beijing's zone, until the service names its own.
fn default_zone() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC)
}

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
                    // sqlx pings every connection it hands out, a round trip
                    // per use (and again when it comes back). Under load a
                    // connection is idle for microseconds: only one idle for
                    // a second or more is pinged, so one left broken by a
                    // database restart is still found before it is used.
                    .test_before_acquire(false)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= IDLE_BEFORE_PING {
                                sqlx::Connection::ping(conn).await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect(url)
                    .await?;
                Ok(Store {
                    backend: Backend::Postgres(pool),
                    limits: Limits::default(),
                    max_pages: Default::default(),
                    zone: default_zone(),
                    counted: Default::default(),
                    sealing: Default::default(),
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
            zone: default_zone(),
            counted: Default::default(),
            sealing: Default::default(),
        })
    }

    /// The same store counting statistics by the months of `zone`.
    pub fn with_zone(mut self, zone: jiff::tz::TimeZone) -> Store {
        self.zone = zone;
        self
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
            Backend::Sqlite { write, .. } => {
                SQLITE_MIGRATIONS.run(write).await?;
                allow_official_role(write).await?;
            }
            Backend::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.fill_certificate_keys_if_asked().await?;
        self.rebuild_statistics_if_asked().await
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

    /// `ok` when the database finds nothing wrong with itself.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite { read, .. } => {
                sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(read)
                    .await?
            }
            Backend::Postgres(p) => sqlx::query_scalar::<_, i32>("SELECT 1")
                .fetch_one(p)
                .await
                .map(|_| "ok".to_string())?,
        })
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
