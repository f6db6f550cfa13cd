//! Zige's storage: SQLite in the data directory by default, PostgreSQL for
//! deployments with several server processes. Both sit behind [`Store`];
//! each has its own versioned migrations, applied at start-up.
//!
//! Invariant: this is the only crate that knows SQL.

mod backup;
mod blobs;
mod cases;

pub use blobs::Blobs;
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
}

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
                    .acquire_timeout(Duration::from_secs(5))
                    .connect(url)
                    .await?;
                Ok(Store {
                    backend: Backend::Postgres(pool),
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
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        Ok(Store {
            backend: Backend::Sqlite { read, write },
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
