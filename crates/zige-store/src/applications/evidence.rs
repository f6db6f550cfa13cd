//! Evidence records of an application: added within the per-application
//! and per-account limits, with the file stored before its record; and
//! the sweep that removes files no record refers to.

use zige_cases::MediaType;

use crate::audit::audit;
use crate::sql::{corrupt, in_tx, read_all, Get};
use crate::{Blobs, Limits, Store, StoreError, SweepReport};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub id: i64,
    pub application_id: i64,
    pub sha256: String,
    pub media_type: MediaType,
    pub size: i64,
    pub name: String,
    pub uploaded_at: i64,
}

fn evidence_from(r: &impl Get) -> Result<Evidence, sqlx::Error> {
    let mt = r.text("media_type")?;
    Ok(Evidence {
        id: r.int("id")?,
        application_id: r.int("application_id")?,
        sha256: r.text("sha256")?,
        media_type: MediaType::from_mime(&mt).ok_or_else(|| corrupt("media type", &mt))?,
        size: r.int("size")?,
        name: r.text("name")?,
        uploaded_at: r.int("uploaded_at")?,
    })
}

/// Locks the gate row of evidence file `$sha` (made on first use): an
/// upload checking that its file is there and a sweep removing it take
/// this lock, so they run one after the other.
macro_rules! lock_blob_gate {
    ($tx:ident, $sha:expr) => {
        sqlx::query("INSERT INTO blob_gate (sha256) VALUES ($1) ON CONFLICT (sha256) DO UPDATE SET sha256 = excluded.sha256")
            .bind($sha)
            .execute(&mut *$tx)
            .await?;
    };
}

/// Refuses one more evidence file of `size` bytes when it would exceed
/// the files per application or the bytes per account of `limits`, given
/// the `files` the application holds and the `bytes` the account stores.
fn within_evidence_limits(
    limits: &Limits,
    files: i64,
    bytes: i64,
    size: i64,
) -> Result<(), StoreError> {
    if files >= limits.evidence_per_application {
        return Err(StoreError::Limit {
            what: crate::LimitKind::EvidencePerApplication,
            max: limits.evidence_per_application,
        });
    }
    if bytes + size > limits.storage_bytes_per_account {
        return Err(StoreError::Limit {
            what: crate::LimitKind::StoragePerAccount,
            max: limits.storage_bytes_per_account,
        });
    }
    Ok(())
}

/// After the account's lock, in one statement: whether the application is
/// still editable, the record of the same content if there is one, the
/// application's files and the account's stored bytes.
const EVIDENCE_CHECKS: &str = "SELECT \
    (SELECT state FROM applications WHERE id = $1 AND state IN ('draft', 'more_information')) AS state, \
    (SELECT id FROM evidence WHERE application_id = $1 AND sha256 = $2) AS existing, \
    (SELECT COUNT(*) FROM evidence WHERE application_id = $1) AS files, \
    (SELECT CAST(COALESCE(SUM(e.size), 0) AS BIGINT) FROM evidence e JOIN applications a ON a.id = e.application_id WHERE a.applicant_id = $3) AS bytes";

impl Store {
    /// Records an evidence file of an editable application. The same
    /// content uploaded twice is one record. Refused with `Limit` when the
    /// application has its most files or the account its most bytes.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_evidence(
        &self,
        application: i64,
        sha256: &str,
        media_type: MediaType,
        size: i64,
        name: &str,
        actor: i64,
        now: i64,
    ) -> Result<Evidence, StoreError> {
        self.evidence_tx(
            application,
            sha256,
            media_type,
            size,
            name,
            actor,
            now,
            None,
        )
        .await
    }

    /// Stores an evidence file and its record: the bytes go to `blobs`
    /// first (durable before the record is written); inside the record's
    /// transaction, after the file's gate row is locked (which a sweep of
    /// the same file locks too), the file is checked to be there and
    /// written again if a sweep removed it in between. So an acknowledged
    /// upload always has its file.
    #[allow(clippy::too_many_arguments)]
    pub async fn store_evidence(
        &self,
        blobs: &Blobs,
        bytes: bytes::Bytes,
        media_type: MediaType,
        name: &str,
        application: i64,
        actor: i64,
        now: i64,
    ) -> Result<Evidence, StoreError> {
        let sha = zige_cases::sha256_hex(&bytes);
        let size = bytes.len() as i64;
        blobs.put(&sha, bytes.clone()).await?;
        self.evidence_tx(
            application,
            &sha,
            media_type,
            size,
            name,
            actor,
            now,
            Some((blobs, bytes)),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn evidence_tx(
        &self,
        application: i64,
        sha256: &str,
        media_type: MediaType,
        size: i64,
        name: &str,
        actor: i64,
        now: i64,
        file: Option<(&Blobs, bytes::Bytes)>,
    ) -> Result<Evidence, StoreError> {
        let limits = self.limits;
        in_tx!(self, |tx| {
            // The account's row lock, found from the application: concurrent
            // uploads to any of its applications count and insert one after
            // the other. Whether the application may still change is read
            // again after the lock.
            let applicant: Option<i64> = sqlx::query_scalar("UPDATE users SET disabled = disabled WHERE id = (SELECT applicant_id FROM applications WHERE id = $1 AND state IN ('draft', 'more_information')) RETURNING id")
                .bind(application)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(applicant) = applicant else {
                return Err(StoreError::Conflict);
            };
            let checks = sqlx::query(EVIDENCE_CHECKS)
                .bind(application)
                .bind(sha256)
                .bind(applicant)
                .fetch_one(&mut *tx)
                .await?;
            if checks.opt_text("state")?.is_none() {
                return Err(StoreError::Conflict);
            }
            let existing = match checks.opt_int("existing")? {
                Some(id) => Some(
                    sqlx::query("SELECT id, application_id, sha256, media_type, size, name, uploaded_at FROM evidence WHERE id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?,
                ),
                None => None,
            };
            // The same content again is the record already there.
            let row = match existing {
                Some(r) => r,
                None => {
                    within_evidence_limits(
                        &limits,
                        checks.int("files")?,
                        checks.int("bytes")?,
                        size,
                    )?;
                    let row = sqlx::query("INSERT INTO evidence (application_id, sha256, media_type, size, name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, application_id, sha256, media_type, size, name, uploaded_at")
                    .bind(application)
                    .bind(sha256)
                    .bind(media_type.mime())
                    .bind(size)
                    .bind(name)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        now,
                        Some(actor),
                        "evidence.add",
                        &format!("application:{application}"),
                        sha256
                    );
                    if let Some((blobs, bytes)) = file {
                        lock_blob_gate!(tx, sha256);
                        if !blobs.exists(sha256).await? {
                            blobs.put(sha256, bytes).await?;
                        }
                    }
                    row
                }
            };
            Ok(evidence_from(&row)?)
        })
    }

    /// Removes evidence files no record refers to and that were last
    /// written longer than `grace_ms` ago. Each file is judged in its own
    /// transaction that first locks the file's gate row, as every upload's
    /// transaction does before it checks its file: a file is removed only
    /// while no upload of it can commit, and an upload that committed
    /// after a removal wrote its file again.
    pub async fn sweep_blobs(
        &self,
        blobs: &Blobs,
        grace_ms: i64,
        now: i64,
    ) -> Result<SweepReport, StoreError> {
        let mut report = SweepReport::default();
        for (sha, modified) in blobs.list().await? {
            report.seen += 1;
            if modified > now - grace_ms {
                report.young += 1;
                continue;
            }
            let removed = in_tx!(self, |tx| {
                lock_blob_gate!(tx, &sha);
                let used: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM evidence WHERE sha256 = $1 LIMIT 1")
                        .bind(&sha)
                        .fetch_optional(&mut *tx)
                        .await?;
                if used.is_some() {
                    false
                } else {
                    blobs.delete(&sha).await?;
                    sqlx::query("DELETE FROM blob_gate WHERE sha256 = $1")
                        .bind(&sha)
                        .execute(&mut *tx)
                        .await?;
                    audit!(tx, now, None, "evidence.sweep", &format!("blob:{sha}"), "");
                    true
                }
            });
            if removed {
                report.removed += 1;
            } else {
                report.referenced += 1;
            }
        }
        Ok(report)
    }

    /// Removes evidence record `evidence` of an editable application
    /// (draft or more information): its bytes no longer count against the
    /// account, and the file goes with the sweep once no record refers to
    /// it. Audited (`evidence.remove`). `NotFound` when the application
    /// has no such record; `Conflict` when it can no longer be changed.
    pub async fn remove_evidence(
        &self,
        application: i64,
        evidence: i64,
        actor: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let editable: Option<String> = sqlx::query_scalar("SELECT state FROM applications WHERE id = $1 AND state IN ('draft', 'more_information')").bind(application).fetch_optional(&mut *tx).await?;
            if editable.is_none() {
                return Err(StoreError::Conflict);
            }
            let sha: Option<String> = sqlx::query_scalar(
                "DELETE FROM evidence WHERE id = $1 AND application_id = $2 RETURNING sha256",
            )
            .bind(evidence)
            .bind(application)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(sha) = sha else {
                return Err(StoreError::NotFound);
            };
            audit!(
                tx,
                now,
                Some(actor),
                "evidence.remove",
                &format!("application:{application}"),
                &sha
            );
        });
        Ok(())
    }

    pub async fn evidence(&self, application: i64) -> Result<Vec<Evidence>, StoreError> {
        let q = "SELECT id, application_id, sha256, media_type, size, name, uploaded_at FROM evidence WHERE application_id = $1 ORDER BY id";
        read_all!(self, q, evidence_from, application)
    }
}
