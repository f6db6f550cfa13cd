//! The SQL helpers every aggregate shares: which backend answers, reading
//! through either pool, the write transaction, and reading a column the
//! same way from either backend's rows.
//!
//! The same SQL text runs on both backends: `$1` placeholders work on
//! SQLite and PostgreSQL alike. Every write is one transaction; every
//! state change and the audit record that tells of it commit together or
//! not at all.

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

use crate::StoreError;

/// Which database answers.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// Readers share a pool; writes go through one connection, so
    /// transactions queue in the process instead of failing busy.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// Runs `$body` with `$p` bound to a pool that reads.
macro_rules! on_read {
    ($s:expr, |$p:ident| $body:expr) => {
        match &$s.backend {
            $crate::sql::Backend::Sqlite { read: $p, .. } => $body,
            $crate::sql::Backend::Postgres($p) => $body,
        }
    };
}
pub(crate) use on_read;

/// At most one row of `$q` (with its binds), read through `$from`.
macro_rules! read_opt {
    ($s:expr, $q:expr, $from:expr $(, $b:expr)*) => {
        Ok($crate::sql::on_read!($s, |p| sqlx::query($q)$(.bind($b))*.fetch_optional(p).await?.map(|r| ($from)(&r)).transpose()?))
    };
}
pub(crate) use read_opt;

/// Every row of `$q` (with its binds), read through `$from`.
macro_rules! read_all {
    ($s:expr, $q:expr, $from:expr $(, $b:expr)*) => {
        Ok($crate::sql::on_read!($s, |p| sqlx::query($q)$(.bind($b))*.fetch_all(p).await?.iter().map($from).collect::<Result<Vec<_>, _>>()?))
    };
}
pub(crate) use read_all;

/// Runs `$body` in a write transaction bound to `$tx`; commits when the
/// body finishes, rolls back when it returns early with an error.
///
/// The connection is taken from the pool for this one transaction. When
/// anything but a refusal of the code's own (conflict, not found, a
/// constraint) goes wrong — a full disk, a failed COMMIT, an I/O error —
/// the connection is closed instead of going back to the pool, so no
/// half-open transaction can swallow the next writes: the pool opens a
/// fresh one. Nothing is acknowledged unless its COMMIT succeeded.
/// SQLite writes begin IMMEDIATE, taking the write lock up front.
///
/// An early `return Err(…)` in the body rolls back; never `return Ok(…)`
/// from it: that skips the COMMIT too. Let the body end in its value.
///
/// After the COMMIT, the audit records the body appended are sealed into
/// the chain ([`crate::Store::after_commit`]).
macro_rules! in_tx {
    ($s:expr, |$tx:ident| $body:expr) => {{
        let out = $crate::sql::write_tx!($s, |$tx| $body);
        $s.after_commit().await;
        out
    }};
}
pub(crate) use in_tx;

/// [`in_tx`] without sealing afterwards: for the sealing itself.
macro_rules! write_tx {
    ($s:expr, |$tx:ident| $body:expr) => {
        match &$s.backend {
            $crate::sql::Backend::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                let res = async {
                    let mut $tx =
                        sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
                    #[allow(unused_braces)]
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, $crate::StoreError>(out)
                }
                .await;
                match res {
                    Ok(out) => out,
                    Err(e) => {
                        $crate::sql::after_failed_tx(&mut conn, &e).await;
                        return Err(e.into());
                    }
                }
            }
            $crate::sql::Backend::Postgres(p) => {
                let mut conn = p.acquire().await?;
                let res = async {
                    let mut $tx = sqlx::Connection::begin(&mut *conn).await?;
                    #[allow(unused_braces)]
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, $crate::StoreError>(out)
                }
                .await;
                match res {
                    Ok(out) => out,
                    Err(e) => {
                        $crate::sql::after_failed_tx(&mut conn, &e).await;
                        return Err(e.into());
                    }
                }
            }
        }
    };
}
pub(crate) use write_tx;

/// Why a guarded UPDATE touched nothing: `Conflict` when the row exists
/// (its state forbids the change), `NotFound` when it does not.
macro_rules! why_unchanged {
    ($tx:ident, $q:expr, $key:expr) => {{
        let exists: Option<i32> = sqlx::query_scalar($q)
            .bind($key)
            .fetch_optional(&mut *$tx)
            .await?;
        if exists.is_some() {
            $crate::StoreError::Conflict
        } else {
            $crate::StoreError::NotFound
        }
    }};
}
pub(crate) use why_unchanged;

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
        | StoreError::Gone
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

/// Reading a column the same way from either backend's rows.
pub(crate) trait Get {
    fn int(&self, column: &str) -> Result<i64, sqlx::Error>;
    fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn text(&self, column: &str) -> Result<String, sqlx::Error>;
    fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn bytes(&self, column: &str) -> Result<Vec<u8>, sqlx::Error>;
}

macro_rules! impl_get {
    ($row:ty) => {
        impl Get for $row {
            fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_int(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
                self.try_get(column)
            }
            fn text(&self, column: &str) -> Result<String, sqlx::Error> {
                self.try_get(column)
            }
            fn opt_text(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
                self.try_get(column)
            }
            fn bytes(&self, column: &str) -> Result<Vec<u8>, sqlx::Error> {
                self.try_get(column)
            }
        }
    };
}
impl_get!(sqlx::sqlite::SqliteRow);
impl_get!(sqlx::postgres::PgRow);

/// A stored value that does not parse back into its type.
pub(crate) fn corrupt(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} '{value}' is not valid").into())
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// What differs between the two databases inside a transaction.
pub(crate) trait Dialect {
    /// Whether one statement may insert into several tables
    /// (PostgreSQL's data-modifying `WITH`; SQLite has none).
    const MULTI_TABLE_INSERT: bool;
    /// Whether a transaction must lock a table to keep other writers of
    /// it waiting (PostgreSQL); SQLite's write transactions (`BEGIN
    /// IMMEDIATE`) already exclude each other.
    const LOCKS_TABLES: bool;
}

impl Dialect for sqlx::SqliteConnection {
    const MULTI_TABLE_INSERT: bool = false;
    const LOCKS_TABLES: bool = false;
}

impl Dialect for sqlx::PgConnection {
    const MULTI_TABLE_INSERT: bool = true;
    const LOCKS_TABLES: bool = true;
}

/// The statement that keeps other writers of `table` waiting until this
/// transaction ends, where the database needs one ([`Dialect::LOCKS_TABLES`]).
pub(crate) fn table_lock<C: Dialect>(_: &C, table: &str) -> Option<String> {
    C::LOCKS_TABLES.then(|| format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
}

/// [`Dialect::MULTI_TABLE_INSERT`] of the connection under a transaction.
pub(crate) fn multi_table_insert<C: Dialect>(_: &C) -> bool {
    C::MULTI_TABLE_INSERT
}
