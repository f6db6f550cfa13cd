//! The keys that sign decisions: the oldest one not retired is the one
//! every process signs with; rotation retires it and stores a new one;
//! every public key ever used stays published, for verification.

use crate::audit::audit;
use crate::sql::{in_tx, on_read, table_lock, Get};
use crate::{Store, StoreError};

/// The key that signs: the oldest not retired (so processes racing to
/// store one, at first start or in two rotations, all pick the same).
const CURRENT: &str =
    "SELECT secret FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at, id LIMIT 1";

/// The keys as a process signs and verifies with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKeys {
    /// The secret of the key that signs now.
    pub current: Vec<u8>,
    /// Every public key ever used, oldest first.
    pub published: Vec<Vec<u8>>,
}

impl Store {
    /// The key that signs now and every published key, read together, so
    /// a rotation by any process shows in every other at once.
    pub async fn signing_keys(&self) -> Result<Option<SigningKeys>, StoreError> {
        let current: Option<Vec<u8>> = on_read!(self, |p| sqlx::query_scalar(CURRENT)
            .fetch_optional(p)
            .await?);
        let Some(current) = current else {
            return Ok(None);
        };
        Ok(Some(SigningKeys {
            current,
            published: self.public_keys().await?,
        }))
    }

    /// Retires the key that signs and stores `secret` (with its `public`
    /// half and `id`) as the one that signs from now on; audited. A
    /// retired key's secret is erased: only its public half stays, to
    /// verify what it signed. Rotations wait for each other, so two at
    /// once leave one key signing, not two.
    pub async fn rotate_signing_key(
        &self,
        secret: &[u8; 32],
        public: &[u8],
        id: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            if let Some(lock) = table_lock(&*tx, "signing_keys") {
                sqlx::query(&lock).execute(&mut *tx).await?;
            }
            sqlx::query(
                "UPDATE signing_keys SET retired_at = $1, secret = $2 WHERE retired_at IS NULL",
            )
            .bind(now)
            .bind(Vec::<u8>::new())
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO signing_keys (id, secret, public, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(secret.as_slice())
            .bind(public)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            audit!(tx, now, None, "key.rotate", &format!("key:{id}"), "");
        });
        Ok(())
    }

    /// The signing key's secret: the oldest one not retired, or `candidate`
    /// stored now when there is none. Processes racing at first start
    /// all end up with the same key.
    pub async fn signing_key(
        &self,
        candidate: &[u8; 32],
        candidate_public: &[u8],
        id: &str,
        now: i64,
    ) -> Result<Vec<u8>, StoreError> {
        let first = CURRENT;
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
