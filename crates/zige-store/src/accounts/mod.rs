//! Accounts: users, their roles and whether they are disabled; and, in
//! the submodules, sessions, the sign-in throttle and the second factor.

mod addresses;
mod login_throttle;
mod second_factor;
mod sessions;

pub use addresses::{Registered, TokenMail, MAILS_PER_HOUR};
pub use second_factor::{SecondFactor, PENDING_MS};
pub use sessions::Session;

use zige_cases::Role;

use crate::audit::audit;
use crate::sql::{corrupt, in_tx, is_unique_violation, on_read, read_all, read_opt, Get};
use crate::{Store, StoreError};

/// Locks an account's row until the transaction ends (PostgreSQL; SQLite
/// runs one write transaction at a time), so that counting what it has and
/// adding to it are one step for concurrent requests.
macro_rules! lock_user {
    ($tx:ident, $id:expr) => {
        sqlx::query("UPDATE users SET disabled = disabled WHERE id = $1")
            .bind($id)
            .execute(&mut *$tx)
            .await?
    };
}
pub(crate) use lock_user;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    pub disabled: bool,
    /// When the address was last shown to be the holder's (a followed
    /// verification or reset link); `None` until then.
    pub email_verified_at: Option<i64>,
    /// The language the holder chose for mail (`zh` or `en`); `None`:
    /// both, the service's first language on top.
    pub language: Option<String>,
    /// Whether a reviewer gets the daily digest of the queue.
    pub digest: bool,
}

pub(crate) const USER_COLS: &str =
    "id, email, name, role, created_at, disabled, email_verified_at, language, digest";

pub(crate) fn user_from(r: &impl Get) -> Result<User, sqlx::Error> {
    let role = r.text("role")?;
    Ok(User {
        id: r.int("id")?,
        email: r.text("email")?,
        name: r.text("name")?,
        role: Role::parse(&role).map_err(|_| corrupt("role", &role))?,
        created_at: r.int("created_at")?,
        disabled: r.int("disabled")? != 0,
        email_verified_at: r.opt_int("email_verified_at")?,
        language: r.opt_text("language")?,
        digest: r.int("digest")? != 0,
    })
}

impl Store {
    /// Creates an account an admin vouches for (its address counts as
    /// verified); `Duplicate("email")` when the address is taken.
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: i64,
        actor: Option<i64>,
    ) -> Result<User, StoreError> {
        let res: Result<User, StoreError> = async {
            Ok(in_tx!(self, |tx| {
                let row = sqlx::query(&format!("INSERT INTO users (email, name, role, password_hash, created_at, email_verified_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING {USER_COLS}"))
                    .bind(email)
                    .bind(name)
                    .bind(role.code())
                    .bind(password_hash)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let user = user_from(&row)?;
                audit!(tx, now, actor.or(Some(user.id)), "user.create", &format!("user:{}", user.id), &format!("role={}", role.code()));
                user
            }))
        }
        .await;
        match res {
            Err(StoreError::Sql(e)) if is_unique_violation(&e) => {
                Err(StoreError::Duplicate("email"))
            }
            other => other,
        }
    }

    /// The account and its password hash.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<(User, String)>, StoreError> {
        let q = format!("SELECT {USER_COLS}, password_hash FROM users WHERE email = $1");
        Ok(on_read!(
            self,
            |p| match sqlx::query(&q).bind(email).fetch_optional(p).await? {
                Some(r) => Some((user_from(&r)?, r.text("password_hash")?)),
                None => None,
            }
        ))
    }

    pub async fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        let q = format!("SELECT {USER_COLS} FROM users WHERE id = $1");
        read_opt!(self, &q, user_from, id)
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let q = format!("SELECT {USER_COLS} FROM users ORDER BY id");
        read_all!(self, &q, user_from)
    }

    /// The enabled reviewers and admins: who a case can be assigned to.
    pub async fn reviewers(&self) -> Result<Vec<User>, StoreError> {
        let q = format!("SELECT {USER_COLS} FROM users WHERE role IN ('reviewer', 'admin') AND disabled = 0 ORDER BY email");
        read_all!(self, &q, user_from)
    }

    /// Changes a role or disables an account; disabling ends its sessions.
    pub async fn update_user(
        &self,
        id: i64,
        role: Role,
        disabled: bool,
        actor: i64,
        now: i64,
    ) -> Result<User, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE users SET role = $1, disabled = $2 WHERE id = $3 RETURNING {USER_COLS}"
            ))
            .bind(role.code())
            .bind(i64::from(disabled))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            audit!(
                tx,
                now,
                Some(actor),
                "user.update",
                &format!("user:{id}"),
                &format!("role={} disabled={disabled}", role.code())
            );
            Ok(user_from(&row)?)
        })
    }
}
