//! What mailed links prove: registering (the address verified by a
//! link, and the same answer whether or not it already has an account),
//! changing the address, resetting a forgotten password, and the mail
//! preferences of an account.

use serde_json::Value;

use crate::audit::audit;
use crate::mail::{enqueue, kind, mail_link, recent_mail, take_token, NewMail, TokenPurpose};
use crate::sql::{in_tx, on_read, Get};
use crate::{Store, StoreError};

use super::{user_from, User, USER_COLS};

/// At most this many mails of one kind anybody can cause go to one
/// address per hour (password reset links, "you already have an account").
pub const MAILS_PER_HOUR: i64 = 3;
const HOUR_MS: i64 = 3600 * 1000;

/// Tells the owner of `$email` (account `$owner`) that somebody tried to
/// register it, at most [`MAILS_PER_HOUR`] times an hour.
macro_rules! tell_owner {
    ($tx:ident, $owner:expr, $email:expr, $now:expr) => {
        if recent_mail!($tx, kind::ACCOUNT_EXISTS, $email, $now - HOUR_MS) < MAILS_PER_HOUR {
            let mail = NewMail::new(kind::ACCOUNT_EXISTS, $owner, Value::Null, $now);
            enqueue!($tx, &mail);
        }
    };
}

/// What registering did; the caller answers the same either way.
#[derive(Debug, Clone)]
pub enum Registered {
    /// A new account, its verification link queued.
    New(User),
    /// The address already had an account; its owner was told.
    Existing,
}

/// A mailed link's token (as its hash) and what the message names.
#[derive(Debug, Clone)]
pub struct TokenMail<'a> {
    pub token_hash: &'a str,
    pub params: Value,
}

impl Store {
    /// Registers an applicant whose address is still to be verified, or,
    /// when the address has an account, tells its owner so.
    pub async fn register_applicant(
        &self,
        email: &str,
        name: &str,
        password_hash: &str,
        verify: &TokenMail<'_>,
        now: i64,
    ) -> Result<Registered, StoreError> {
        let registered: Result<Registered, StoreError> = async { Ok(in_tx!(self, |tx| {
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?;
            // (No early `return Ok` in a transaction: it would skip the commit.)
                if let Some(id) = existing {
                    tell_owner!(tx, id, email, now);
                    Registered::Existing
                } else {
                let row = sqlx::query(&format!("INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, 'applicant', $3, $4) RETURNING {USER_COLS}"))
                    .bind(email)
                    .bind(name)
                    .bind(password_hash)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let user = user_from(&row)?;
                mail_link!(tx, verify, TokenPurpose::Verify, kind::VERIFY_ADDRESS, user.id, email, now);
                audit!(tx, now, Some(user.id), "user.create", &format!("user:{}", user.id), "role=applicant");
                Registered::New(user)
            }
        })) }.await;
        match registered {
            // Registered at the same instant by another request.
            Err(StoreError::Sql(e)) if crate::sql::is_unique_violation(&e) => {
                Ok(Registered::Existing)
            }
            other => other,
        }
    }

    /// The account a live token of this purpose belongs to: `NotFound`
    /// for a token never issued, `Gone` for one used or expired.
    pub async fn token_owner(
        &self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: i64,
    ) -> Result<User, StoreError> {
        let q = format!("SELECT u.{}, t.expires_at, t.used_at FROM email_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.purpose = $2", USER_COLS.replace(", ", ", u."));
        let found = on_read!(self, |p| match sqlx::query(&q)
            .bind(token_hash)
            .bind(purpose.code())
            .fetch_optional(p)
            .await?
        {
            Some(row) => Some((
                user_from(&row)?,
                row.opt_int("used_at")?.is_some() || row.int("expires_at")? <= now,
            )),
            None => None,
        });
        let (user, lapsed) = found.ok_or(StoreError::NotFound)?;
        if lapsed || user.disabled {
            return Err(StoreError::Gone);
        }
        Ok(user)
    }

    /// Follows a verification link: the account's address becomes the one
    /// the link was sent to, verified now.
    pub async fn verify_address(&self, token_hash: &str, now: i64) -> Result<User, StoreError> {
        let verified: Result<User, StoreError> = async { in_tx!(self, |tx| {
            let (user_id, email) = take_token!(tx, token_hash, TokenPurpose::Verify, now);
            let row = sqlx::query(&format!("UPDATE users SET email = $2, email_verified_at = $3 WHERE id = $1 AND disabled = 0 RETURNING {USER_COLS}"))
                .bind(user_id)
                .bind(&email)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Gone)?;
            audit!(tx, now, Some(user_id), "user.verify_email", &format!("user:{user_id}"), "");
            Ok(user_from(&row)?)
        }) }.await;
        match verified {
            Err(StoreError::Sql(e)) if crate::sql::is_unique_violation(&e) => {
                Err(StoreError::Duplicate("email"))
            }
            other => other,
        }
    }

    /// Asks to change an account's address: a verification link goes to
    /// the new address, which replaces the old one once followed. An
    /// address that has an account gets told so instead.
    pub async fn request_address_change(
        &self,
        user_id: i64,
        email: &str,
        verify: &TokenMail<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
                .bind(email)
                .fetch_optional(&mut *tx)
                .await?;
            match existing {
                Some(owner) if owner != user_id => {
                    tell_owner!(tx, owner, email, now);
                }
                _ if recent_mail!(tx, kind::VERIFY_ADDRESS, email, now - HOUR_MS)
                    >= MAILS_PER_HOUR => {}
                _ => {
                    mail_link!(
                        tx,
                        verify,
                        TokenPurpose::Verify,
                        kind::VERIFY_ADDRESS,
                        user_id,
                        email,
                        now
                    );
                    audit!(
                        tx,
                        now,
                        Some(user_id),
                        "user.change_email",
                        &format!("user:{user_id}"),
                        ""
                    );
                }
            }
        });
        Ok(())
    }

    /// Mails a password reset link to the account with this address, if
    /// there is one (enabled) and it has not had too many this hour.
    /// Whether a link went out is for tests and logs, never for the asker.
    pub async fn request_password_reset(
        &self,
        email: &str,
        reset: &TokenMail<'_>,
        now: i64,
    ) -> Result<bool, StoreError> {
        Ok(in_tx!(self, |tx| {
            let user: Option<i64> =
                sqlx::query_scalar("SELECT id FROM users WHERE email = $1 AND disabled = 0")
                    .bind(email)
                    .fetch_optional(&mut *tx)
                    .await?;
            let throttled =
                recent_mail!(tx, kind::PASSWORD_RESET, email, now - HOUR_MS) >= MAILS_PER_HOUR;
            match user {
                Some(user_id) if !throttled => {
                    mail_link!(
                        tx,
                        reset,
                        TokenPurpose::Reset,
                        kind::PASSWORD_RESET,
                        user_id,
                        email,
                        now
                    );
                    audit!(
                        tx,
                        now,
                        Some(user_id),
                        "user.password_reset_request",
                        &format!("user:{user_id}"),
                        ""
                    );
                    true
                }
                _ => false,
            }
        }))
    }

    /// Follows a reset link: the new password replaces the old, every
    /// session of the account ends, every other reset link stops working,
    /// and the owner is told by mail.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<User, StoreError> {
        in_tx!(self, |tx| {
            let (user_id, email) = take_token!(tx, token_hash, TokenPurpose::Reset, now);
            let row = sqlx::query(&format!("UPDATE users SET password_hash = $2, email_verified_at = COALESCE(email_verified_at, CASE WHEN email = $3 THEN $4 END) WHERE id = $1 AND disabled = 0 RETURNING {USER_COLS}"))
                .bind(user_id)
                .bind(password_hash)
                .bind(&email)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Gone)?;
            sqlx::query("UPDATE email_tokens SET used_at = $2 WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL")
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            enqueue!(
                tx,
                &NewMail::new(kind::PASSWORD_CHANGED, user_id, Value::Null, now)
            );
            audit!(
                tx,
                now,
                Some(user_id),
                "user.password_reset",
                &format!("user:{user_id}"),
                ""
            );
            Ok(user_from(&row)?)
        })
    }

    /// The language an account reads mail in (`None`: both) and whether
    /// it wants the reviewers' daily digest.
    pub async fn set_mail_preferences(
        &self,
        user_id: i64,
        language: Option<&str>,
        digest: bool,
        now: i64,
    ) -> Result<User, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE users SET language = $2, digest = $3 WHERE id = $1 RETURNING {USER_COLS}"
            ))
            .bind(user_id)
            .bind(language)
            .bind(i64::from(digest))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            audit!(
                tx,
                now,
                Some(user_id),
                "user.preferences",
                &format!("user:{user_id}"),
                &format!("language={} digest={digest}", language.unwrap_or("both"))
            );
            Ok(user_from(&row)?)
        })
    }

    /// Queues one message in its own transaction (reminders, digests):
    /// with a `once_key`, a second call queues nothing.
    pub async fn queue_mail(&self, mail: &NewMail<'_>) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            enqueue!(tx, mail);
        });
        Ok(())
    }
}
