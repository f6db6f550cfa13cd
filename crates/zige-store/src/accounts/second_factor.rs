//! The second factor of signing in: TOTP secrets, the last step used,
//! single-use recovery codes (stored as hashes), and sessions that wait
//! for their second factor. Enrolment, use of a recovery code and removal
//! are audited in the same transaction.

use crate::audit::audit;
use crate::sql::{in_tx, read_opt, why_unchanged, Get};
use crate::{Store, StoreError};

use super::Session;

/// A pending session lasts ten minutes.
pub const PENDING_MS: i64 = 10 * 60 * 1000;

/// An account's TOTP secret, enabled once confirmed with a code.
#[derive(Clone, PartialEq, Eq)]
pub struct SecondFactor {
    pub user_id: i64,
    pub secret: Vec<u8>,
    pub enabled: bool,
    pub last_step: i64,
    /// Unused recovery codes.
    pub recovery_left: i64,
}

impl std::fmt::Debug for SecondFactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondFactor")
            .field("user_id", &self.user_id)
            .field("secret", &"***")
            .field("enabled", &self.enabled)
            .field("last_step", &self.last_step)
            .field("recovery_left", &self.recovery_left)
            .finish()
    }
}

const SF_QUERY: &str = "SELECT f.user_id, f.secret, f.enabled, f.last_step, (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = f.user_id AND r.used_at IS NULL) AS recovery_left FROM second_factors f WHERE f.user_id = $1";

fn sf_from(r: &impl Get) -> Result<SecondFactor, sqlx::Error> {
    Ok(SecondFactor {
        user_id: r.int("user_id")?,
        secret: r.bytes("secret")?,
        enabled: r.int("enabled")? != 0,
        last_step: r.int("last_step")?,
        recovery_left: r.int("recovery_left")?,
    })
}

impl Store {
    /// The account's second factor, enabled or being enrolled.
    pub async fn second_factor(&self, user_id: i64) -> Result<Option<SecondFactor>, StoreError> {
        read_opt!(self, SF_QUERY, sf_from, user_id)
    }

    /// Starts enrolling `secret` unless an enrolment is already under way
    /// (then its secret is kept, so reloading the page shows the same QR
    /// code). `Conflict` when a factor is already enabled.
    pub async fn start_enrolment(
        &self,
        user_id: i64,
        secret: &[u8],
        now: i64,
    ) -> Result<SecondFactor, StoreError> {
        Ok(in_tx!(self, |tx| {
            sqlx::query("INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING")
                .bind(user_id)
                .bind(secret)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            let f = sf_from(
                &sqlx::query(SF_QUERY)
                    .bind(user_id)
                    .fetch_one(&mut *tx)
                    .await?,
            )?;
            if f.enabled {
                return Err(StoreError::Conflict);
            }
            f
        }))
    }

    /// Enables the factor being enrolled, `step` being the step of the code
    /// that confirmed it, with these recovery code hashes (the old ones
    /// go). `Conflict` when it is enabled already, `NotFound` when no
    /// enrolment was started.
    pub async fn enable_second_factor(
        &self,
        user_id: i64,
        step: i64,
        recovery_hashes: &[String],
        actor: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let done = sqlx::query("UPDATE second_factors SET enabled = 1, last_step = $1, enabled_at = $2 WHERE user_id = $3 AND enabled = 0")
                .bind(step)
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done == 0 {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM second_factors WHERE user_id = $1",
                    user_id
                ));
            }
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            for h in recovery_hashes {
                sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                    .bind(user_id)
                    .bind(h)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                now,
                actor.or(Some(user_id)),
                "second_factor.enrol",
                &format!("user:{user_id}"),
                &format!("recovery_codes={}", recovery_hashes.len())
            );
        });
        Ok(())
    }

    /// Records that the code of `step` was used: true only if no code of
    /// this or a later step was used before (a code works once, even when
    /// two sign-ins race).
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            sqlx::query("UPDATE second_factors SET last_step = $1 WHERE user_id = $2 AND enabled = 1 AND last_step < $1")
                .bind(step)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1
        }))
    }

    /// Uses up a recovery code (by its hash): true the first time only.
    pub async fn use_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let used = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL AND EXISTS (SELECT 1 FROM second_factors f WHERE f.user_id = $2 AND f.enabled = 1)")
                .bind(now)
                .bind(user_id)
                .bind(code_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            if used {
                let left: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                )
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
                audit!(
                    tx,
                    now,
                    Some(user_id),
                    "second_factor.recovery_use",
                    &format!("user:{user_id}"),
                    &format!("left={left}")
                );
            }
            used
        }))
    }

    /// Removes an account's second factor and its recovery codes:
    /// `second_factor.reset` by an admin (which also ends the account's
    /// sessions, so it must enrol again at its next sign-in) or
    /// `second_factor.remove` by its owner. `NotFound` for no such account.
    pub async fn remove_second_factor(
        &self,
        user_id: i64,
        actor: i64,
        end_sessions: bool,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let had = sqlx::query("DELETE FROM second_factors WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if end_sessions {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let action = if actor == user_id {
                "second_factor.remove"
            } else {
                "second_factor.reset"
            };
            audit!(
                tx,
                now,
                Some(actor),
                action,
                &format!("user:{user_id}"),
                &format!("had_factor={}", had > 0)
            );
        });
        Ok(())
    }

    /// A session that waits for its second factor (or its enrolment): it
    /// opens nothing but the second step and lasts [`PENDING_MS`].
    pub async fn create_pending_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, second_factor_pending) VALUES ($1, $2, $3, $4, $5, 1)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now)
                .bind(now + PENDING_MS)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
                .bind(now)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// The live pending session with this token hash, of an enabled account.
    pub async fn pending_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<Session>, StoreError> {
        self.live_session(token_hash, now, true).await
    }

    /// Turns a pending session into a full one under a new token (the
    /// pending token stops working). `NotFound` when the pending session
    /// is gone (expired, or completed by a racing request).
    pub async fn complete_pending_session(
        &self,
        pending_hash: &str,
        token_hash: &str,
        user_id: i64,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let gone = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2 AND second_factor_pending = 1 AND expires_at > $3")
                .bind(pending_hash)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if gone == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(token_hash)
                .bind(user_id)
                .bind(csrf)
                .bind(now)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                now,
                Some(user_id),
                "session.create",
                &format!("user:{user_id}"),
                "second_factor"
            );
        });
        Ok(())
    }
}
