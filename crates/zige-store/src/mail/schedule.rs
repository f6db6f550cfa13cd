//! What the sender's periodic round mails without a change to cause it:
//! reminders before a request for more information lapses, and the
//! reviewers' daily digest of the queue.

use crate::sql::{on_read, Get};
use crate::{Store, StoreError};

/// An application waiting for its applicant's answer since `requested_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenRequest {
    pub application: i64,
    pub applicant: i64,
    pub requested_at: i64,
}

/// The review queue at a glance, for the digest.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct QueueDigest {
    /// Cases submitted (or resubmitted) since the last digest.
    pub new_cases: i64,
    /// Cases waiting for a reviewer longer than the waiting threshold.
    pub waiting: i64,
    /// Every case waiting for a reviewer.
    pub open: i64,
}

impl Store {
    /// Applications asked for more information at or before `before` and
    /// still waiting for their applicant.
    pub async fn open_requests(&self, before: i64) -> Result<Vec<OpenRequest>, StoreError> {
        let q = "SELECT a.id, a.applicant_id, MAX(e.at) AS requested_at FROM applications a JOIN events e ON e.application_id = a.id \
                 WHERE a.state = 'more_information' AND e.to_state = 'more_information' GROUP BY a.id, a.applicant_id HAVING MAX(e.at) <= $1 ORDER BY a.id";
        Ok(on_read!(self, |p| sqlx::query(q)
            .bind(before)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| Ok::<_, sqlx::Error>(OpenRequest {
                application: r.int("id")?,
                applicant: r.int("applicant_id")?,
                requested_at: r.int("requested_at")?,
            }))
            .collect::<Result<Vec<_>, _>>()?))
    }

    /// Counts of the queue: new since `new_since`, waiting since before
    /// `waiting_before`, and all open.
    pub async fn queue_digest(
        &self,
        new_since: i64,
        waiting_before: i64,
    ) -> Result<QueueDigest, StoreError> {
        let q = "SELECT COALESCE(SUM(CASE WHEN submitted_at >= $1 THEN 1 ELSE 0 END), 0) AS new_cases, \
                 COALESCE(SUM(CASE WHEN submitted_at < $2 THEN 1 ELSE 0 END), 0) AS waiting, COUNT(*) AS open \
                 FROM applications WHERE state IN ('submitted', 'resubmitted', 'under_review')";
        Ok(on_read!(self, |p| {
            let r = sqlx::query(q)
                .bind(new_since)
                .bind(waiting_before)
                .fetch_one(p)
                .await?;
            QueueDigest {
                new_cases: r.int("new_cases")?,
                waiting: r.int("waiting")?,
                open: r.int("open")?,
            }
        }))
    }

    /// Reviewers (and admins) who want the daily digest.
    pub async fn digest_readers(&self) -> Result<Vec<i64>, StoreError> {
        let q = "SELECT id FROM users WHERE role IN ('reviewer', 'admin') AND digest = 1 AND disabled = 0 ORDER BY id";
        Ok(on_read!(self, |p| sqlx::query(q)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| r.int("id"))
            .collect::<Result<Vec<_>, _>>()?))
    }
}
