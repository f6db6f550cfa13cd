//! Decisions: issued with the state change that decides an application
//! (numbered from a counter), found by their verification code, and
//! revoked; and, in a submodule, the keys that sign them.

mod signing_keys;

pub use signing_keys::SigningKeys;

use crate::audit::audit;
use crate::mail::{enqueue, kind, NewMail};
use crate::sql::{in_tx, read_all, read_opt, why_unchanged, Get};
use crate::{Store, StoreError};

/// An issued decision as stored: the signed JSON and its revocation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecisionRecord {
    pub application_id: i64,
    pub number: String,
    pub code: String,
    pub holder_name: String,
    pub signed: String,
    pub issued_at: i64,
    pub revoked_at: Option<i64>,
    pub revoked_reason: Option<String>,
}

pub(crate) const DECISION_COLS: &str =
    "application_id, number, code, holder_name, signed, issued_at, revoked_at, revoked_reason";

pub(crate) fn decision_from(r: &impl Get) -> Result<DecisionRecord, sqlx::Error> {
    Ok(DecisionRecord {
        application_id: r.int("application_id")?,
        number: r.text("number")?,
        code: r.text("code")?,
        holder_name: r.text("holder_name")?,
        signed: r.text("signed")?,
        issued_at: r.int("issued_at")?,
        revoked_at: r.opt_int("revoked_at")?,
        revoked_reason: r.opt_text("revoked_reason")?,
    })
}

/// A decision made by a reviewer, ready to store with the state change.
pub struct NewDecision {
    pub number: String,
    pub code: String,
    pub holder_name: String,
    pub signed: String,
}

/// Issues a decision inside the transaction `$tx` that decides
/// `$application`: takes the next number from the decision counter, has
/// `$make` write the decision under it, stores and audits it. Evaluates to
/// the stored [`DecisionRecord`].
macro_rules! issue_decision {
    ($tx:ident, $application:expr, $actor:expr, $now:expr, $make:expr) => {{
        use $crate::decisions::DECISION_COLS;
        let n: i64 = sqlx::query_scalar(
            "UPDATE counters SET value = value + 1 WHERE name = 'decision' RETURNING value",
        )
        .fetch_one(&mut *$tx)
        .await?;
        let d = ($make)(n);
        let row = sqlx::query(&format!("INSERT INTO decisions (application_id, number, code, holder_name, signed, issued_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {DECISION_COLS}"))
            .bind($application)
            .bind(&d.number)
            .bind(&d.code)
            .bind(&d.holder_name)
            .bind(&d.signed)
            .bind($now)
            .fetch_one(&mut *$tx)
            .await?;
        let issued = $crate::decisions::decision_from(&row)?;
        $crate::audit::audit!(
            $tx,
            $now,
            $actor,
            "decision.issue",
            &format!("application:{}", $application),
            &d.number
        );
        issued
    }};
}
pub(crate) use issue_decision;

impl Store {
    pub async fn decision_by_code(&self, code: &str) -> Result<Option<DecisionRecord>, StoreError> {
        let q = format!("SELECT {DECISION_COLS} FROM decisions WHERE code = $1");
        read_opt!(self, &q, decision_from, code)
    }

    /// The application ids of revoked decisions from `from` up to (not
    /// including) `until`: the bits set in a credential status list.
    pub async fn revoked_between(&self, from: i64, until: i64) -> Result<Vec<i64>, StoreError> {
        let q = "SELECT application_id FROM decisions WHERE revoked_at IS NOT NULL AND application_id >= $1 AND application_id < $2";
        read_all!(self, q, |r| r.int("application_id"), from, until)
    }

    pub async fn decision_of(
        &self,
        application: i64,
    ) -> Result<Option<DecisionRecord>, StoreError> {
        let q = format!("SELECT {DECISION_COLS} FROM decisions WHERE application_id = $1");
        read_opt!(self, &q, decision_from, application)
    }

    /// Every decision, newest first.
    pub async fn decisions(&self) -> Result<Vec<DecisionRecord>, StoreError> {
        let q = format!("SELECT {DECISION_COLS} FROM decisions ORDER BY id DESC");
        read_all!(self, &q, decision_from)
    }

    /// Revokes a decision; `Conflict` when already revoked, `NotFound` when unknown.
    pub async fn revoke(
        &self,
        code: &str,
        reason: &str,
        actor: i64,
        now: i64,
    ) -> Result<DecisionRecord, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!("UPDATE decisions SET revoked_at = $1, revoked_by = $2, revoked_reason = $3 WHERE code = $4 AND revoked_at IS NULL RETURNING {DECISION_COLS}"))
                .bind(now)
                .bind(actor)
                .bind(reason)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM decisions WHERE code = $1",
                    code
                ));
            };
            let d = decision_from(&row)?;
            let applicant: i64 =
                sqlx::query_scalar("SELECT applicant_id FROM applications WHERE id = $1")
                    .bind(d.application_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let params = serde_json::json!({"application": d.application_id, "decision": d.code, "number": d.number, "reason": reason});
            enqueue!(tx, &NewMail::new(kind::REVOKED, applicant, params, now));
            audit!(
                tx,
                now,
                Some(actor),
                "decision.revoke",
                &format!("application:{}", d.application_id),
                &format!("{}: {reason}", d.number)
            );
            Ok(d)
        })
    }
}
