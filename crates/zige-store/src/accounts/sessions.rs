//! Signed-in sessions: created (and audited) at sign-in, found by their
//! token's hash while they live, deleted at sign-out.

use crate::audit::audit;
use crate::sql::{in_tx, on_read, Get};
use crate::{Store, StoreError};

use super::{user_from, User};

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                now,
                Some(user_id),
                "session.create",
                &format!("user:{user_id}"),
                ""
            );
        });
        Ok(())
    }

    /// The live session with this token hash, of an enabled account.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<Session>, StoreError> {
        self.live_session(token_hash, now, false).await
    }

    /// The live session with this token hash, of an enabled account,
    /// waiting for its second factor or not.
    pub(crate) async fn live_session(
        &self,
        token_hash: &str,
        now: i64,
        second_factor_pending: bool,
    ) -> Result<Option<Session>, StoreError> {
        let q = "SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled, u.email_verified_at, u.language, u.digest, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0 AND s.second_factor_pending = $3";
        Ok(on_read!(self, |p| match sqlx::query(q)
            .bind(token_hash)
            .bind(now)
            .bind(i64::from(second_factor_pending))
            .fetch_optional(p)
            .await?
        {
            Some(r) => Some(Session {
                user: user_from(&r)?,
                csrf: r.text("csrf")?,
                expires_at: r.int("expires_at")?,
            }),
            None => None,
        }))
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }
}
