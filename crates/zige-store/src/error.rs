//! What can go wrong in the store, and how a caller tells a full disk
//! from any other failure.

use crate::LimitKind;

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
    /// It existed but no longer works: a link used or expired.
    #[error("used or expired")]
    Gone,
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
