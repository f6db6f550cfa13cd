//! The keys that sign decisions: the first one stored is the one every
//! process uses; every public key ever used stays, for verification.

use crate::audit::audit;
use crate::sql::{in_tx, on_read, Get};
use crate::{Store, StoreError};

impl Store {
    /// The signing key's secret: the oldest stored one, or `candidate`
    /// stored now when there is none. Processes racing at first start
    /// all end up with the same key.
    pub async fn signing_key(
        &self,
        candidate: &[u8; 32],
        candidate_public: &[u8],
        id: &str,
        now: i64,
    ) -> Result<Vec<u8>, StoreError> {
        let first = "SELECT secret FROM signing_keys ORDER BY created_at, id LIMIT 1";
        let found: Option<Vec<u8>> = on_read!(self, |p| sqlx::query_scalar(first)
            .fetch_optional(p)
            .await?);
        if let Some(s) = found {
            return Ok(s);
        }
        in_tx!(self, |tx| {
            sqlx::query("INSERT INTO signing_keys (id, secret, public, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING")
                .bind(id)
                .bind(candidate.as_slice())
                .bind(candidate_public)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit!(tx, now, None, "key.create", &format!("key:{id}"), "");
        });
        Ok(on_read!(self, |p| sqlx::query_scalar(first)
            .fetch_one(p)
            .await?))
    }

    /// Every public key ever used to sign, oldest first.
    pub async fn public_keys(&self) -> Result<Vec<Vec<u8>>, StoreError> {
        let q = "SELECT public FROM signing_keys ORDER BY created_at, id";
        Ok(on_read!(self, |p| sqlx::query(q)
            .fetch_all(p)
            .await?
            .iter()
            .map(|r| r.bytes("public"))
            .collect::<Result<Vec<_>, _>>()?))
    }
}
