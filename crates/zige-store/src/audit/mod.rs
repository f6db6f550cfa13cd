//! The audit log: appending a record inside a write transaction, reading
//! it back, and checking that the hash chain and its head hold.
//!
//! A change appends its record to `audit_pending` in its own transaction,
//! taking no lock; `seal` moves committed records into the chain in
//! batches afterwards, under the one-row head's lock, so the chain never
//! forks and writers never wait for each other's commits. The chain's
//! table takes appends only (triggers refuse UPDATE and DELETE).

mod seal;

pub(crate) use seal::Sealing;

use zige_cases::AuditRecord;

use crate::sql::{on_read, read_all, Get};
use crate::{Store, StoreError};

/// Appends one audit record inside the transaction `$tx`: it commits (or
/// not) with the change it tells of, and is sealed into the chain after.
macro_rules! audit {
    ($tx:ident, $now:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {{
        let (at, actor): (i64, Option<i64>) = ($now, $actor);
        sqlx::query("INSERT INTO audit_pending (at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(at)
            .bind(actor)
            .bind($action)
            .bind($subject)
            .bind($detail)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use audit;

/// Which audit records to read: each filter unset matches every record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// The account that acted.
    pub actor: Option<i64>,
    /// The action's code, `decision.revoke`.
    pub action: Option<String>,
    /// From this instant on (milliseconds, inclusive).
    pub from: Option<i64>,
    /// Before this instant (milliseconds, exclusive).
    pub until: Option<i64>,
    /// Records per page (1–500) and how many to skip.
    pub limit: i64,
    pub offset: i64,
}

fn audit_from(r: &impl Get) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        seq: r.int("seq")?,
        at: r.int("at")?,
        actor: r.opt_int("actor_id")?,
        action: r.text("action")?,
        subject: r.text("subject")?,
        detail: r.text("detail")?,
        prev_hash: r.text("prev_hash")?,
        hash: r.text("hash")?,
    })
}

impl Store {
    /// Audit records with `seq` greater than `after`, oldest first.
    pub async fn audit(&self, after: i64, limit: i64) -> Result<Vec<AuditRecord>, StoreError> {
        let q = "SELECT seq, at, actor_id, action, subject, detail, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2";
        read_all!(self, q, audit_from, after, limit)
    }

    /// The newest audit records first, for reading (pending ones sealed first).
    pub async fn audit_recent(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        self.seal_audit().await?;
        let q = "SELECT seq, at, actor_id, action, subject, detail, prev_hash, hash FROM audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2";
        Ok(on_read!(self, |p| sqlx::query(q)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(p)
            .await?
            .iter()
            .map(audit_from)
            .collect::<Result<Vec<_>, _>>()?))
    }

    /// The records `filter` matches, newest first, one page of them, and
    /// how many match in all (pending ones sealed first). Filtered in SQL (the same text on SQLite and
    /// PostgreSQL); an unset filter is a sentinel that matches everything.
    pub async fn audit_search(
        &self,
        filter: &AuditFilter,
    ) -> Result<(i64, Vec<AuditRecord>), StoreError> {
        self.seal_audit().await?;
        // Account ids start at 1: -1 means any actor.
        let where_ =
            "($1 < 0 OR actor_id = $1) AND ($2 = '' OR action = $2) AND at >= $3 AND at < $4";
        let count_q = format!("SELECT COUNT(*) FROM audit WHERE {where_}");
        let q = format!("SELECT seq, at, actor_id, action, subject, detail, prev_hash, hash FROM audit WHERE {where_} ORDER BY seq DESC LIMIT $5 OFFSET $6");
        let actor = filter.actor.unwrap_or(-1);
        let action = filter.action.as_deref().unwrap_or("");
        let from = filter.from.unwrap_or(i64::MIN);
        let until = filter.until.unwrap_or(i64::MAX);
        Ok(on_read!(self, |p| {
            let total: i64 = sqlx::query_scalar(&count_q)
                .bind(actor)
                .bind(action)
                .bind(from)
                .bind(until)
                .fetch_one(p)
                .await?;
            let records = sqlx::query(&q)
                .bind(actor)
                .bind(action)
                .bind(from)
                .bind(until)
                .bind(filter.limit.clamp(1, 500))
                .bind(filter.offset.max(0))
                .fetch_all(p)
                .await?
                .iter()
                .map(audit_from)
                .collect::<Result<Vec<_>, _>>()?;
            (total, records)
        }))
    }

    /// Checks the whole chain, page by page, and that the head names its
    /// last record (so records cut off the end show too).
    /// Records still waiting to be sealed are sealed first.
    pub async fn verify_audit(&self) -> Result<usize, StoreError> {
        self.seal_audit().await?;
        let mut prev = zige_cases::GENESIS.to_string();
        let mut seq = 0;
        loop {
            let page = self.audit(seq, 1000).await?;
            if page.is_empty() {
                break;
            }
            for r in &page {
                if r.seq != seq + 1 || r.prev_hash != prev {
                    return Err(StoreError::Chain(zige_cases::ChainError::Broken {
                        seq: r.seq,
                    }));
                }
                if r.compute_hash() != r.hash {
                    return Err(StoreError::Chain(zige_cases::ChainError::Altered {
                        seq: r.seq,
                    }));
                }
                prev = r.hash.clone();
                seq = r.seq;
            }
        }
        let head: (i64, String) = on_read!(self, |p| {
            let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await?;
            (r.int("seq")?, r.text("hash")?)
        });
        if head != (seq, prev) {
            return Err(StoreError::Chain(zige_cases::ChainError::Broken {
                seq: head.0,
            }));
        }
        Ok(seq as usize)
    }
}
