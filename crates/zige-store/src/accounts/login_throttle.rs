//! The sign-in throttle: attempts counted per key (account and address)
//! before the password is checked, with a wait that doubles after the
//! free failures are spent.

use crate::sql::in_tx;
use crate::{Store, StoreError};

/// The wait once a sign-in key's free failures are spent; it doubles with
/// every further failure.
const FIRST_DELAY_MS: i64 = 2000;

impl Store {
    /// Reserves one sign-in attempt under every key before the password is
    /// checked: each key's counter is incremented as if the attempt failed,
    /// in one statement per key, so concurrent attempts cannot all pass.
    /// `keys` are `(key, free)`: after `free` failures under a key, each
    /// further attempt must wait twice as long as the one before (2 s, 4 s,
    /// 8 s, … up to `max_delay_ms`). A key quiet since `forget_before` (and
    /// not blocked) starts again from zero. Returns `Err(until)` — nothing
    /// counted — when a key is blocked until that instant.
    pub async fn reserve_login_attempt(
        &self,
        keys: &[(&str, i64)],
        now: i64,
        forget_before: i64,
        max_delay_ms: i64,
    ) -> Result<Result<(), i64>, StoreError> {
        let next_delay = format!(
            "CASE WHEN login_throttle.failures + 1 < $3 THEN 0 \
             WHEN login_throttle.failures + 1 = $3 THEN {FIRST_DELAY_MS} \
             WHEN login_throttle.delay_ms * 2 > $5 THEN $5 \
             ELSE login_throttle.delay_ms * 2 END"
        );
        let upsert = format!(
            "INSERT INTO login_throttle (key, failures, delay_ms, blocked_until, updated_at) \
             VALUES ($1, 1, $4, $2 + $4, $2) \
             ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, \
             delay_ms = {next_delay}, blocked_until = $2 + {next_delay}, updated_at = $2 \
             WHERE login_throttle.blocked_until <= $2 RETURNING failures"
        );
        Ok(in_tx!(self, |tx| {
            for (key, free) in keys {
                sqlx::query(
                    "DELETE FROM login_throttle WHERE key = $1 AND updated_at < $2 AND blocked_until <= $3",
                )
                .bind(*key)
                .bind(forget_before)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let first_delay: i64 = if *free <= 1 { FIRST_DELAY_MS } else { 0 };
                let counted: Option<i64> = sqlx::query_scalar(&upsert)
                    .bind(*key)
                    .bind(now)
                    .bind(*free)
                    .bind(first_delay)
                    .bind(max_delay_ms)
                    .fetch_optional(&mut *tx)
                    .await?;
                if counted.is_none() {
                    let until: i64 = sqlx::query_scalar(
                        "SELECT blocked_until FROM login_throttle WHERE key = $1",
                    )
                    .bind(*key)
                    .fetch_one(&mut *tx)
                    .await?;
                    // Dropping the transaction undoes the other keys' counts.
                    return Ok(Err(until));
                }
            }
            Ok::<(), i64>(())
        }))
    }

    /// After the password was checked (or could not be): gives back the
    /// attempt reserved under `give_back` (`(key, free)`) and forgets
    /// `clear` entirely (the account and address of a successful sign-in).
    pub async fn release_login_attempt(
        &self,
        give_back: &[(&str, i64)],
        clear: &[&str],
        now: i64,
        forget_before: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            for key in clear {
                sqlx::query("DELETE FROM login_throttle WHERE key = $1")
                    .bind(*key)
                    .execute(&mut *tx)
                    .await?;
            }
            for (key, free) in give_back {
                sqlx::query(&format!(
                    "UPDATE login_throttle SET failures = failures - 1, \
                     delay_ms = CASE WHEN failures - 1 < $2 THEN 0 WHEN failures - 1 = $2 THEN {FIRST_DELAY_MS} ELSE delay_ms / 2 END, \
                     blocked_until = CASE WHEN failures - 1 < $2 THEN 0 ELSE blocked_until END \
                     WHERE key = $1 AND failures > 0"
                ))
                .bind(*key)
                .bind(*free)
                .execute(&mut *tx)
                .await?;
            }
            // Keys quiet for long and not blocked no longer count; keep the table small.
            sqlx::query("DELETE FROM login_throttle WHERE updated_at < $1 AND blocked_until <= $2")
                .bind(forget_before)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }
}
