//! Sealing: moving committed audit records from `audit_pending` into the
//! hash chain, in batches, after the transactions that wrote them.
//!
//! Why it is still one chain and still tamper-evident: a batch is sealed
//! in one transaction that first locks the chain's one-row head, so two
//! sealers (in one process or several) run one after the other and each
//! continues from the hash the other left; every sealed record names the
//! hash before it and its own hash covers its contents, exactly as when
//! records were chained inside the writing transaction. The chain's order
//! is the order of sealing, which keeps cause before effect: a record can
//! only be sealed once its transaction committed, and a change that
//! depends on an earlier one commits after it, so it is never visible to
//! a sealer that cannot see the earlier one. Between its commit and its
//! sealing (milliseconds while the server runs; at the next start after a
//! crash) a record is not yet covered by the chain; readers of the log
//! and `verify_audit` seal what is pending first.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use zige_cases::AuditRecord;

use crate::sql::{on_read, write_tx, Get};
use crate::{Store, StoreError};

/// Records sealed per transaction.
const BATCH: i64 = 1024;
/// Rows per INSERT or DELETE statement (8 parameters a row).
const ROWS_PER_STATEMENT: usize = 256;
/// How often a background sealer looks for records other processes wrote.
const TICK: Duration = Duration::from_millis(500);
/// How long a background sealer lets records gather after sealing some:
/// under load one transaction seals the records of many requests.
const GATHER: Duration = Duration::from_millis(20);

/// When this process seals: right after each write (the default, so a
/// command or a test sees a sealed chain when its call returns), or in a
/// background task woken by each write (`zige serve`).
#[derive(Clone, Default)]
pub(crate) struct Sealing(Arc<SealingState>);

#[derive(Default)]
struct SealingState {
    background: AtomicBool,
    wake: tokio::sync::Notify,
}

impl std::fmt::Debug for Sealing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let background = self.0.background.load(Ordering::Relaxed);
        f.debug_struct("Sealing")
            .field("background", &background)
            .finish()
    }
}

impl Store {
    /// Called after every committed write transaction: seals what it
    /// appended now, or wakes the background sealer. A failure to seal
    /// leaves the records pending for the next attempt; the write itself
    /// committed and stands.
    pub(crate) async fn after_commit(&self) {
        if self.sealing.0.background.load(Ordering::Relaxed) {
            self.sealing.0.wake.notify_one();
        } else if let Err(e) = self.seal_audit().await {
            tracing::warn!(error = %e, "audit records not sealed yet; the next write or read seals them");
        }
    }

    /// Seals in a background task from now on (for a long-running server):
    /// a write returns after its own commit, and records are sealed in
    /// batches as they come (at most every 20 ms), or every half second for
    /// other processes'.
    pub fn seal_in_background(&self) -> tokio::task::JoinHandle<()> {
        self.sealing.0.background.store(true, Ordering::Relaxed);
        let store = self.clone();
        tokio::spawn(async move {
            loop {
                match store.seal_audit().await {
                    Ok(0) => {}
                    Ok(_) => tokio::time::sleep(GATHER).await,
                    Err(e) => {
                        tracing::warn!(error = %e, "sealing audit records failed; trying again");
                        tokio::time::sleep(TICK).await;
                    }
                }
                tokio::select! {
                    _ = store.sealing.0.wake.notified() => {}
                    _ = tokio::time::sleep(TICK) => {}
                }
            }
        })
    }

    /// Seals every committed pending record into the chain; returns how
    /// many it sealed.
    pub async fn seal_audit(&self) -> Result<usize, StoreError> {
        let mut sealed = 0;
        while self.anything_pending().await? {
            let n = self.seal_batch().await?;
            sealed += n;
            if (n as i64) < BATCH {
                break;
            }
        }
        Ok(sealed)
    }

    async fn anything_pending(&self) -> Result<bool, StoreError> {
        let q = "SELECT id FROM audit_pending LIMIT 1";
        Ok(on_read!(self, |p| sqlx::query(q)
            .fetch_optional(p)
            .await?
            .is_some()))
    }

    /// One batch: the head locked, the oldest pending records chained on
    /// from it, inserted, removed from the pending table by id, the head
    /// moved, in one transaction.
    async fn seal_batch(&self) -> Result<usize, StoreError> {
        Ok(write_tx!(self, |tx| {
            let head =
                sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                    .fetch_one(&mut *tx)
                    .await?;
            let rows = sqlx::query("SELECT id, at, actor_id, action, subject, detail FROM audit_pending ORDER BY id LIMIT $1")
                .bind(BATCH)
                .fetch_all(&mut *tx)
                .await?;
            let (ids, records) = chained(head.int("seq")?, head.text("hash")?, &rows)?;
            for part in records.chunks(ROWS_PER_STATEMENT) {
                let sql = insert_sql(part.len());
                let mut q = sqlx::query(&sql).persistent(false);
                for r in part {
                    q = q
                        .bind(r.seq)
                        .bind(r.at)
                        .bind(r.actor)
                        .bind(&r.action)
                        .bind(&r.subject)
                        .bind(&r.detail)
                        .bind(&r.prev_hash)
                        .bind(&r.hash);
                }
                q.execute(&mut *tx).await?;
            }
            for part in ids.chunks(ROWS_PER_STATEMENT) {
                let sql = delete_sql(part.len());
                let mut q = sqlx::query(&sql).persistent(false);
                for id in part {
                    q = q.bind(*id);
                }
                q.execute(&mut *tx).await?;
            }
            if let Some(last) = records.last() {
                sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                    .bind(last.seq)
                    .bind(&last.hash)
                    .execute(&mut *tx)
                    .await?;
            }
            records.len()
        }))
    }
}

/// The pending rows' ids, and their records chained on from the head.
fn chained(
    mut seq: i64,
    mut prev: String,
    rows: &[impl Get],
) -> Result<(Vec<i64>, Vec<AuditRecord>), sqlx::Error> {
    let mut ids = Vec::with_capacity(rows.len());
    let mut records = Vec::with_capacity(rows.len());
    for r in rows {
        seq += 1;
        let record = AuditRecord::new(
            seq,
            r.int("at")?,
            r.opt_int("actor_id")?,
            &r.text("action")?,
            &r.text("subject")?,
            &r.text("detail")?,
            &prev,
        );
        prev.clone_from(&record.hash);
        ids.push(r.int("id")?);
        records.push(record);
    }
    Ok((ids, records))
}

/// `INSERT INTO audit … VALUES ($1, …, $8), ($9, …)` for `rows` records.
fn insert_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|i| {
            let p: Vec<String> = (1..=8).map(|c| format!("${}", i * 8 + c)).collect();
            format!("({})", p.join(", "))
        })
        .collect();
    format!(
        "INSERT INTO audit (seq, at, actor_id, action, subject, detail, prev_hash, hash) VALUES {}",
        values.join(", ")
    )
}

/// `DELETE FROM audit_pending WHERE id IN ($1, …)` for `rows` ids: by id,
/// never by range, since a record committed meanwhile may sit between.
fn delete_sql(rows: usize) -> String {
    let p: Vec<String> = (1..=rows).map(|i| format!("${i}")).collect();
    format!("DELETE FROM audit_pending WHERE id IN ({})", p.join(", "))
}
