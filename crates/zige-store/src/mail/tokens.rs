//! Single-use tokens carried by mailed links, stored as SHA-256 hashes.

/// How long an address verification link works: seven days.
pub const VERIFY_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a password reset link works: one hour.
pub const RESET_MS: i64 = 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Verifies an address (of a new account, or a new address).
    Verify,
    /// Sets a new password.
    Reset,
}

impl TokenPurpose {
    pub fn code(self) -> &'static str {
        match self {
            TokenPurpose::Verify => "verify",
            TokenPurpose::Reset => "reset",
        }
    }

    /// How long a link of this purpose works.
    pub fn lifetime_ms(self) -> i64 {
        match self {
            TokenPurpose::Verify => VERIFY_MS,
            TokenPurpose::Reset => RESET_MS,
        }
    }
}

/// Inserts a token inside the transaction `$tx`.
macro_rules! insert_token {
    ($tx:ident, $hash:expr, $user:expr, $purpose:expr, $email:expr, $now:expr, $expires:expr) => {
        sqlx::query("INSERT INTO email_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind($hash)
            .bind($user)
            .bind($purpose.code())
            .bind($email)
            .bind($now)
            .bind($expires)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use insert_token;

/// Inside `$tx`: stores the token of `$link` for account `$user` and
/// queues the message of `$kind` that carries it to `$email`.
macro_rules! mail_link {
    ($tx:ident, $link:expr, $purpose:expr, $kind:expr, $user:expr, $email:expr, $now:expr) => {{
        let link: &$crate::accounts::TokenMail<'_> = $link;
        let purpose: $crate::mail::TokenPurpose = $purpose;
        $crate::mail::insert_token!(
            $tx,
            link.token_hash,
            $user,
            purpose,
            $email,
            $now,
            $now + purpose.lifetime_ms()
        );
        let mail =
            $crate::mail::NewMail::new($kind, $user, link.params.clone(), $now).to_address($email);
        $crate::mail::enqueue!($tx, &mail);
    }};
}
pub(crate) use mail_link;

/// Takes the token with this hash and purpose inside `$tx`: its user and
/// address. `NotFound` for a token never issued (or forged), `Gone` for
/// one used or expired. Marks it used.
macro_rules! take_token {
    ($tx:ident, $hash:expr, $purpose:expr, $now:expr) => {{
        let row = sqlx::query("SELECT user_id, email, expires_at, used_at FROM email_tokens WHERE token_hash = $1 AND purpose = $2")
            .bind($hash)
            .bind($purpose.code())
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or($crate::StoreError::NotFound)?;
        use $crate::sql::Get;
        if row.opt_int("used_at")?.is_some() || row.int("expires_at")? <= $now {
            return Err($crate::StoreError::Gone);
        }
        let taken = sqlx::query("UPDATE email_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
            .bind($hash)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        if taken.rows_affected() == 0 {
            return Err($crate::StoreError::Gone);
        }
        (row.int("user_id")?, row.text("email")?)
    }};
}
pub(crate) use take_token;
