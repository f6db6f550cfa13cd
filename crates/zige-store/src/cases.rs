//! Accounts, sessions, applications, evidence records, decisions, signing
//! keys and the audit log, with the same SQL on both backends
//! (`$1` placeholders work on SQLite and PostgreSQL alike).
//!
//! Every write is one transaction; every state change and the audit
//! record that tells of it commit together or not at all.

use sqlx::Row;
use zige_cases::{AuditRecord, MediaType, Role, State};

use crate::{Backend, Blobs, Store, StoreError, SweepReport};

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

/// Runs `$body` with `$p` bound to a pool that reads.
macro_rules! on_read {
    ($s:expr, |$p:ident| $body:expr) => {
        match &$s.backend {
            Backend::Sqlite { read: $p, .. } => $body,
            Backend::Postgres($p) => $body,
        }
    };
}

/// At most one row of `$q` (with its binds), read through `$from`.
macro_rules! read_opt {
    ($s:expr, $q:expr, $from:expr $(, $b:expr)*) => {
        Ok(on_read!($s, |p| sqlx::query($q)$(.bind($b))*.fetch_optional(p).await?.map(|r| ($from)(&r)).transpose()?))
    };
}

/// Every row of `$q` (with its binds), read through `$from`.
macro_rules! read_all {
    ($s:expr, $q:expr, $from:expr $(, $b:expr)*) => {
        Ok(on_read!($s, |p| sqlx::query($q)$(.bind($b))*.fetch_all(p).await?.iter().map($from).collect::<Result<Vec<_>, _>>()?))
    };
}

/// Runs `$body` in a write transaction bound to `$tx`; commits when the
/// body finishes, rolls back when it returns early with an error.
///
/// The connection is taken from the pool for this one transaction. When
/// anything but a refusal of the code's own (conflict, not found, a
/// constraint) goes wrong — a full disk, a failed COMMIT, an I/O error —
/// the connection is closed instead of going back to the pool, so no
/// half-open transaction can swallow the next writes: the pool opens a
/// fresh one. Nothing is acknowledged unless its COMMIT succeeded.
/// SQLite writes begin IMMEDIATE, taking the write lock up front.
macro_rules! in_tx {
    ($s:expr, |$tx:ident| $body:expr) => {
        match &$s.backend {
            Backend::Sqlite { write, .. } => {
                let mut conn = write.acquire().await?;
                let res = async {
                    let mut $tx =
                        sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
                    #[allow(unused_braces)]
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, StoreError>(out)
                }
                .await;
                match res {
                    Ok(out) => out,
                    Err(e) => {
                        crate::after_failed_tx(&mut conn, &e).await;
                        return Err(e.into());
                    }
                }
            }
            Backend::Postgres(p) => {
                let mut conn = p.acquire().await?;
                let res = async {
                    let mut $tx = sqlx::Connection::begin(&mut *conn).await?;
                    #[allow(unused_braces)]
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, StoreError>(out)
                }
                .await;
                match res {
                    Ok(out) => out,
                    Err(e) => {
                        crate::after_failed_tx(&mut conn, &e).await;
                        return Err(e.into());
                    }
                }
            }
        }
    };
}

/// Appends one audit record inside the transaction `$tx`. The head row's
/// lock makes appends serial, so the chain never forks.
macro_rules! audit {
    ($tx:ident, $now:expr, $actor:expr, $action:expr, $subject:expr, $detail:expr) => {{
        let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(&mut *$tx).await?;
        let (seq, prev): (i64, String) = (head.try_get("seq")?, head.try_get("hash")?);
        let rec = AuditRecord::new(seq, $now, $actor, $action, $subject, $detail, &prev);
        sqlx::query("INSERT INTO audit (seq, at, actor_id, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(rec.seq)
            .bind(rec.at)
            .bind(rec.actor)
            .bind(&rec.action)
            .bind(&rec.subject)
            .bind(&rec.detail)
            .bind(&rec.prev_hash)
            .bind(&rec.hash)
            .execute(&mut *$tx)
            .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&rec.hash).execute(&mut *$tx).await?;
    }};
}

/// Why a guarded UPDATE touched nothing: `Conflict` when the row exists
/// (its state forbids the change), `NotFound` when it does not.
macro_rules! why_unchanged {
    ($tx:ident, $q:expr, $key:expr) => {{
        let exists: Option<i32> = sqlx::query_scalar($q)
            .bind($key)
            .fetch_optional(&mut *$tx)
            .await?;
        if exists.is_some() {
            StoreError::Conflict
        } else {
            StoreError::NotFound
        }
    }};
}

/// Reading a column the same way from either backend's rows.
pub(crate) trait Get {
    fn i(&self, c: &str) -> Result<i64, sqlx::Error>;
    fn oi(&self, c: &str) -> Result<Option<i64>, sqlx::Error>;
    fn s(&self, c: &str) -> Result<String, sqlx::Error>;
    fn os(&self, c: &str) -> Result<Option<String>, sqlx::Error>;
    fn b(&self, c: &str) -> Result<Vec<u8>, sqlx::Error>;
}

macro_rules! impl_get {
    ($row:ty) => {
        impl Get for $row {
            fn i(&self, c: &str) -> Result<i64, sqlx::Error> {
                self.try_get(c)
            }
            fn oi(&self, c: &str) -> Result<Option<i64>, sqlx::Error> {
                self.try_get(c)
            }
            fn s(&self, c: &str) -> Result<String, sqlx::Error> {
                self.try_get(c)
            }
            fn os(&self, c: &str) -> Result<Option<String>, sqlx::Error> {
                self.try_get(c)
            }
            fn b(&self, c: &str) -> Result<Vec<u8>, sqlx::Error> {
                self.try_get(c)
            }
        }
    };
}
impl_get!(sqlx::sqlite::SqliteRow);
impl_get!(sqlx::postgres::PgRow);

fn corrupt(what: &str, value: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("stored {what} '{value}' is not valid").into())
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: i64,
    pub disabled: bool,
}

/// The wait once a sign-in key's free failures are spent; it doubles with
/// every further failure.
const FIRST_DELAY_MS: i64 = 2000;

const USER_COLS: &str = "id, email, name, role, created_at, disabled";

fn user_from(r: &impl Get) -> Result<User, sqlx::Error> {
    let role = r.s("role")?;
    Ok(User {
        id: r.i("id")?,
        email: r.s("email")?,
        name: r.s("name")?,
        role: Role::parse(&role).map_err(|_| corrupt("role", &role))?,
        created_at: r.i("created_at")?,
        disabled: r.i("disabled")? != 0,
    })
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub expires_at: i64,
}

/// An application as stored. `form` is the applicant's form as JSON.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Application {
    pub id: i64,
    pub applicant_id: i64,
    pub state: State,
    pub entry_code: Option<String>,
    pub entry_list: Option<String>,
    pub catalog: String,
    pub form: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
}

const APP_COLS: &str = "id, applicant_id, state, entry_code, entry_list, catalog, form, version, created_at, updated_at, submitted_at";

fn state_of(s: &str) -> Result<State, sqlx::Error> {
    State::parse(s).map_err(|_| corrupt("state", s))
}

fn app_from(r: &impl Get) -> Result<Application, sqlx::Error> {
    Ok(Application {
        id: r.i("id")?,
        applicant_id: r.i("applicant_id")?,
        state: state_of(&r.s("state")?)?,
        entry_code: r.os("entry_code")?,
        entry_list: r.os("entry_list")?,
        catalog: r.s("catalog")?,
        form: r.s("form")?,
        version: r.i("version")?,
        created_at: r.i("created_at")?,
        updated_at: r.i("updated_at")?,
        submitted_at: r.oi("submitted_at")?,
    })
}

/// One step of an application's timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Event {
    pub at: i64,
    pub actor_id: Option<i64>,
    /// The actor's role at the time of reading, for display.
    pub actor_role: Option<Role>,
    pub action: String,
    pub from_state: Option<State>,
    pub to_state: State,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Evidence {
    pub id: i64,
    pub application_id: i64,
    pub sha256: String,
    pub media_type: MediaType,
    pub size: i64,
    pub name: String,
    pub uploaded_at: i64,
}

fn evidence_from(r: &impl Get) -> Result<Evidence, sqlx::Error> {
    let mt = r.s("media_type")?;
    Ok(Evidence {
        id: r.i("id")?,
        application_id: r.i("application_id")?,
        sha256: r.s("sha256")?,
        media_type: MediaType::from_mime(&mt).ok_or_else(|| corrupt("media type", &mt))?,
        size: r.i("size")?,
        name: r.s("name")?,
        uploaded_at: r.i("uploaded_at")?,
    })
}

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

const DECISION_COLS: &str =
    "application_id, number, code, holder_name, signed, issued_at, revoked_at, revoked_reason";

fn decision_from(r: &impl Get) -> Result<DecisionRecord, sqlx::Error> {
    Ok(DecisionRecord {
        application_id: r.i("application_id")?,
        number: r.s("number")?,
        code: r.s("code")?,
        holder_name: r.s("holder_name")?,
        signed: r.s("signed")?,
        issued_at: r.i("issued_at")?,
        revoked_at: r.oi("revoked_at")?,
        revoked_reason: r.os("revoked_reason")?,
    })
}

fn audit_from(r: &impl Get) -> Result<AuditRecord, sqlx::Error> {
    Ok(AuditRecord {
        seq: r.i("seq")?,
        at: r.i("at")?,
        actor: r.oi("actor_id")?,
        action: r.s("action")?,
        subject: r.s("subject")?,
        detail: r.s("detail")?,
        prev_hash: r.s("prev_hash")?,
        hash: r.s("hash")?,
    })
}

/// The review queue's filters.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Default: every state waiting for a reviewer.
    pub state: Option<State>,
    pub entry_code: Option<String>,
    pub list: Option<String>,
    /// Only cases submitted before this instant (waiting at least so long).
    pub submitted_before: Option<i64>,
    /// The reviewer asking: their own applications are never in their queue.
    pub viewer: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueItem {
    pub application: Application,
    pub applicant_email: String,
}

/// A decision made by a reviewer, ready to store with the state change.
pub struct NewDecision {
    pub number: String,
    pub code: String,
    pub holder_name: String,
    pub signed: String,
}

/// A new state and who caused it, for [`Store::transition`].
pub struct Change<'a> {
    pub id: i64,
    pub from: State,
    pub to: State,
    /// When given, the change only applies if nobody changed the
    /// application since this version was read.
    pub version: Option<i64>,
    pub action: &'a str,
    pub actor: Option<i64>,
    pub reason: &'a str,
    pub now: i64,
    /// The edition the application is from now on decided under (set on submission).
    pub catalog: Option<&'a str>,
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

impl Store {
    // ---- accounts ----

    /// Creates an account; `Duplicate("email")` when the address is taken.
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
                let row = sqlx::query(&format!("INSERT INTO users (email, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {USER_COLS}"))
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
                Some(r) => Some((user_from(&r)?, r.s("password_hash")?)),
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

    // ---- sessions ----

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
        let q = "SELECT u.id, u.email, u.name, u.role, u.created_at, u.disabled, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0 AND s.second_factor_pending = 0";
        Ok(on_read!(self, |p| match sqlx::query(q)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(p)
            .await?
        {
            Some(r) => Some(Session {
                user: user_from(&r)?,
                csrf: r.s("csrf")?,
                expires_at: r.i("expires_at")?
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

    // ---- applications ----

    pub async fn create_application(
        &self,
        applicant: i64,
        catalog: &str,
        form: &str,
        entry: (Option<&str>, Option<&str>),
        now: i64,
    ) -> Result<Application, StoreError> {
        let max = self.limits.open_drafts_per_account;
        in_tx!(self, |tx| {
            // The account's row lock (PostgreSQL; SQLite writes one at a
            // time anyway) makes the count and the insert one step.
            lock_user!(tx, applicant);
            let drafts: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM applications WHERE applicant_id = $1 AND state = 'draft'",
            )
            .bind(applicant)
            .fetch_one(&mut *tx)
            .await?;
            if drafts >= max {
                return Err(StoreError::Limit {
                    what: crate::LimitKind::OpenDrafts,
                    max,
                });
            }
            let row = sqlx::query(&format!(
                "INSERT INTO applications (applicant_id, state, entry_code, entry_list, catalog, form, created_at, updated_at) VALUES ($1, 'draft', $2, $3, $4, $5, $6, $6) RETURNING {APP_COLS}"
            ))
            .bind(applicant)
            .bind(entry.0)
            .bind(entry.1)
            .bind(catalog)
            .bind(form)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let app = app_from(&row)?;
            sqlx::query("INSERT INTO events (application_id, at, actor_id, action, from_state, to_state) VALUES ($1, $2, $3, 'create', NULL, 'draft')")
                .bind(app.id)
                .bind(now)
                .bind(applicant)
                .execute(&mut *tx)
                .await?;
            audit!(
                tx,
                now,
                Some(applicant),
                "application.create",
                &format!("application:{}", app.id),
                ""
            );
            Ok(app)
        })
    }

    pub async fn application(&self, id: i64) -> Result<Option<Application>, StoreError> {
        let q = format!("SELECT {APP_COLS} FROM applications WHERE id = $1");
        read_opt!(self, &q, app_from, id)
    }

    pub async fn applications_of(&self, applicant: i64) -> Result<Vec<Application>, StoreError> {
        let q =
            format!("SELECT {APP_COLS} FROM applications WHERE applicant_id = $1 ORDER BY id DESC");
        read_all!(self, &q, app_from, applicant)
    }

    /// Saves the form of an editable application read at `version`;
    /// `Conflict` when it changed since or is no longer editable.
    pub async fn update_form(
        &self,
        id: i64,
        version: i64,
        form: &str,
        entry: (Option<&str>, Option<&str>),
        actor: i64,
        now: i64,
    ) -> Result<Application, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE applications SET form = $1, entry_code = $2, entry_list = $3, version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6 AND state IN ('draft', 'more_information') RETURNING {APP_COLS}"
            ))
            .bind(form)
            .bind(entry.0)
            .bind(entry.1)
            .bind(now)
            .bind(id)
            .bind(version)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            audit!(
                tx,
                now,
                Some(actor),
                "application.edit",
                &format!("application:{id}"),
                ""
            );
            Ok(app_from(&row)?)
        })
    }

    /// Moves an application from one state to the next, if it is still in
    /// `from` (and at `version` when given): of two people acting at
    /// once, exactly one wins; the other gets `Conflict`.
    pub async fn transition(
        &self,
        c: &Change<'_>,
        decision: Option<&(dyn Fn(i64) -> NewDecision + Sync)>,
    ) -> Result<(Application, Option<DecisionRecord>), StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!(
                "UPDATE applications SET state = $1, version = version + 1, updated_at = $2, submitted_at = CASE WHEN $1 IN ('submitted', 'resubmitted') THEN $2 ELSE submitted_at END, \
                 catalog = COALESCE($6, catalog) WHERE id = $3 AND state = $4 AND ($5 < 0 OR version = $5) RETURNING {APP_COLS}"
            ))
            .bind(c.to.code())
            .bind(c.now)
            .bind(c.id)
            .bind(c.from.code())
            .bind(c.version.unwrap_or(-1))
            .bind(c.catalog)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            let app = app_from(&row)?;
            sqlx::query("INSERT INTO events (application_id, at, actor_id, action, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(c.id)
                .bind(c.now)
                .bind(c.actor)
                .bind(c.action)
                .bind(c.from.code())
                .bind(c.to.code())
                .bind(c.reason)
                .execute(&mut *tx)
                .await?;
            let mut issued = None;
            if let Some(make) = decision {
                let n: i64 = sqlx::query_scalar(
                    "UPDATE counters SET value = value + 1 WHERE name = 'decision' RETURNING value",
                )
                .fetch_one(&mut *tx)
                .await?;
                let d = make(n);
                let row = sqlx::query(&format!("INSERT INTO decisions (application_id, number, code, holder_name, signed, issued_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING {DECISION_COLS}"))
                    .bind(c.id)
                    .bind(&d.number)
                    .bind(&d.code)
                    .bind(&d.holder_name)
                    .bind(&d.signed)
                    .bind(c.now)
                    .fetch_one(&mut *tx)
                    .await?;
                issued = Some(decision_from(&row)?);
                audit!(
                    tx,
                    c.now,
                    c.actor,
                    "decision.issue",
                    &format!("application:{}", c.id),
                    &d.number
                );
            }
            audit!(
                tx,
                c.now,
                c.actor,
                &format!("application.{}", c.action),
                &format!("application:{}", c.id),
                &format!("{} -> {}", c.from.code(), c.to.code())
            );
            Ok((app, issued))
        })
    }

    /// Deletes a draft with its evidence records. The files stay: the
    /// same content may belong to another application, or be on its way
    /// into one; [`Store::sweep_blobs`] removes files no record refers to.
    pub async fn delete_draft(&self, id: i64, actor: i64, now: i64) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let gone = sqlx::query("DELETE FROM applications WHERE id = $1 AND state = 'draft'")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::Conflict);
            }
            audit!(
                tx,
                now,
                Some(actor),
                "application.delete",
                &format!("application:{id}"),
                ""
            );
        });
        Ok(())
    }

    pub async fn events(&self, application: i64) -> Result<Vec<Event>, StoreError> {
        let q = "SELECT e.at, e.actor_id, u.role, e.action, e.from_state, e.to_state, e.reason FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.id";
        Ok(on_read!(self, |p| {
            let mut out = Vec::new();
            for r in sqlx::query(q).bind(application).fetch_all(p).await? {
                out.push(Event {
                    at: r.i("at")?,
                    actor_id: r.oi("actor_id")?,
                    actor_role: r.os("role")?.and_then(|s| Role::parse(&s).ok()),
                    action: r.s("action")?,
                    from_state: r.os("from_state")?.map(|s| state_of(&s)).transpose()?,
                    to_state: state_of(&r.s("to_state")?)?,
                    reason: r.s("reason")?,
                });
            }
            out
        }))
    }

    /// Records that a reviewer looked at a case.
    pub async fn record_view(
        &self,
        application: i64,
        actor: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            audit!(
                tx,
                now,
                Some(actor),
                "case.view",
                &format!("application:{application}"),
                ""
            );
        });
        Ok(())
    }

    /// Waiting cases, oldest submission first, none of them the viewer's own.
    pub async fn queue(&self, f: &QueueFilter) -> Result<(i64, Vec<QueueItem>), StoreError> {
        let states: Vec<&str> = match f.state {
            Some(s) => vec![s.code()],
            None => State::ALL
                .iter()
                .filter(|s| s.in_queue())
                .map(|s| s.code())
                .collect(),
        };
        let where_ = "a.state IN ($1, $2, $3) AND ($4 = '' OR a.entry_code = $4) AND ($5 = '' OR a.entry_list = $5) AND ($6 < 0 OR a.submitted_at <= $6) AND a.applicant_id <> $7";
        let count_q = format!("SELECT COUNT(*) FROM applications a WHERE {where_}");
        let q = format!(
            "SELECT a.id, a.applicant_id, a.state, a.entry_code, a.entry_list, a.catalog, a.form, a.version, a.created_at, a.updated_at, a.submitted_at, u.email \
             FROM applications a JOIN users u ON u.id = a.applicant_id WHERE {where_} ORDER BY a.submitted_at, a.id LIMIT $8 OFFSET $9"
        );
        let st = |i: usize| {
            states
                .get(i)
                .or(states.first())
                .copied()
                .unwrap_or("submitted")
        };
        let entry = f.entry_code.as_deref().unwrap_or("");
        let list = f.list.as_deref().unwrap_or("");
        let before = f.submitted_before.unwrap_or(-1);
        // Ids start at 1: -1 excludes no one.
        let viewer = f.viewer.unwrap_or(-1);
        Ok(on_read!(self, |p| {
            let total: i64 = sqlx::query_scalar(&count_q)
                .bind(st(0))
                .bind(st(1))
                .bind(st(2))
                .bind(entry)
                .bind(list)
                .bind(before)
                .bind(viewer)
                .fetch_one(p)
                .await?;
            let rows = sqlx::query(&q)
                .bind(st(0))
                .bind(st(1))
                .bind(st(2))
                .bind(entry)
                .bind(list)
                .bind(before)
                .bind(viewer)
                .bind(f.limit.clamp(1, 500))
                .bind(f.offset.max(0))
                .fetch_all(p)
                .await?;
            let mut items = Vec::new();
            for r in rows {
                items.push(QueueItem {
                    application: app_from(&r)?,
                    applicant_email: r.s("email")?,
                });
            }
            (total, items)
        }))
    }

    // ---- evidence ----

    /// Records an evidence file of an editable application. The same
    /// content uploaded twice is one record. Refused with `Limit` when the
    /// application has its most files or the account its most bytes.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_evidence(
        &self,
        application: i64,
        sha256: &str,
        media_type: MediaType,
        size: i64,
        name: &str,
        actor: i64,
        now: i64,
    ) -> Result<Evidence, StoreError> {
        self.evidence_tx(
            application,
            sha256,
            media_type,
            size,
            name,
            actor,
            now,
            None,
        )
        .await
    }

    /// Stores an evidence file and its record: the bytes go to `blobs`
    /// first (durable before the record is written); inside the record's
    /// transaction, after the audit head is locked (which a sweep locks
    /// too), the file is checked to be there and written again if a sweep
    /// removed it in between. So an acknowledged upload always has its file.
    #[allow(clippy::too_many_arguments)]
    pub async fn store_evidence(
        &self,
        blobs: &Blobs,
        bytes: bytes::Bytes,
        media_type: MediaType,
        name: &str,
        application: i64,
        actor: i64,
        now: i64,
    ) -> Result<Evidence, StoreError> {
        let sha = zige_cases::sha256_hex(&bytes);
        let size = bytes.len() as i64;
        blobs.put(&sha, bytes.clone()).await?;
        self.evidence_tx(
            application,
            &sha,
            media_type,
            size,
            name,
            actor,
            now,
            Some((blobs, bytes)),
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn evidence_tx(
        &self,
        application: i64,
        sha256: &str,
        media_type: MediaType,
        size: i64,
        name: &str,
        actor: i64,
        now: i64,
        file: Option<(&Blobs, bytes::Bytes)>,
    ) -> Result<Evidence, StoreError> {
        let limits = self.limits;
        in_tx!(self, |tx| {
            let applicant: Option<i64> = sqlx::query_scalar("SELECT applicant_id FROM applications WHERE id = $1 AND state IN ('draft', 'more_information')").bind(application).fetch_optional(&mut *tx).await?;
            let Some(applicant) = applicant else {
                return Err(StoreError::Conflict);
            };
            // The account's row lock: concurrent uploads to any of its
            // applications count and insert one after the other.
            lock_user!(tx, applicant);
            let editable: Option<String> = sqlx::query_scalar("SELECT state FROM applications WHERE id = $1 AND state IN ('draft', 'more_information')").bind(application).fetch_optional(&mut *tx).await?;
            if editable.is_none() {
                return Err(StoreError::Conflict);
            }
            let existing = sqlx::query("SELECT id, application_id, sha256, media_type, size, name, uploaded_at FROM evidence WHERE application_id = $1 AND sha256 = $2")
                .bind(application)
                .bind(sha256)
                .fetch_optional(&mut *tx)
                .await?;
            // The same content again is the record already there.
            let row = match existing {
                Some(r) => r,
                None => {
                    let files: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM evidence WHERE application_id = $1",
                    )
                    .bind(application)
                    .fetch_one(&mut *tx)
                    .await?;
                    if files >= limits.evidence_per_application {
                        return Err(StoreError::Limit {
                            what: crate::LimitKind::EvidencePerApplication,
                            max: limits.evidence_per_application,
                        });
                    }
                    let bytes_stored: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(SUM(e.size), 0) AS BIGINT) FROM evidence e JOIN applications a ON a.id = e.application_id WHERE a.applicant_id = $1")
                    .bind(applicant)
                    .fetch_one(&mut *tx)
                    .await?;
                    if bytes_stored + size > limits.storage_bytes_per_account {
                        return Err(StoreError::Limit {
                            what: crate::LimitKind::StoragePerAccount,
                            max: limits.storage_bytes_per_account,
                        });
                    }
                    let row = sqlx::query("INSERT INTO evidence (application_id, sha256, media_type, size, name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, application_id, sha256, media_type, size, name, uploaded_at")
                    .bind(application)
                    .bind(sha256)
                    .bind(media_type.mime())
                    .bind(size)
                    .bind(name)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    audit!(
                        tx,
                        now,
                        Some(actor),
                        "evidence.add",
                        &format!("application:{application}"),
                        sha256
                    );
                    if let Some((blobs, bytes)) = file {
                        if !blobs.exists(sha256).await? {
                            blobs.put(sha256, bytes).await?;
                        }
                    }
                    row
                }
            };
            Ok(evidence_from(&row)?)
        })
    }

    /// Removes evidence files no record refers to and that were last
    /// written longer than `grace_ms` ago. Each file is judged in its own
    /// transaction that first locks the audit head, as every upload's
    /// transaction does before it checks its file: a file is removed only
    /// while no upload of it can commit, and an upload that committed
    /// after a removal wrote its file again.
    pub async fn sweep_blobs(
        &self,
        blobs: &Blobs,
        grace_ms: i64,
        now: i64,
    ) -> Result<SweepReport, StoreError> {
        let mut report = SweepReport::default();
        for (sha, modified) in blobs.list().await? {
            report.seen += 1;
            if modified > now - grace_ms {
                report.young += 1;
                continue;
            }
            let removed = in_tx!(self, |tx| {
                sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
                    .execute(&mut *tx)
                    .await?;
                let used: Option<i32> =
                    sqlx::query_scalar("SELECT 1 FROM evidence WHERE sha256 = $1 LIMIT 1")
                        .bind(&sha)
                        .fetch_optional(&mut *tx)
                        .await?;
                if used.is_some() {
                    false
                } else {
                    blobs.delete(&sha).await?;
                    audit!(tx, now, None, "evidence.sweep", &format!("blob:{sha}"), "");
                    true
                }
            });
            if removed {
                report.removed += 1;
            } else {
                report.referenced += 1;
            }
        }
        Ok(report)
    }

    pub async fn evidence(&self, application: i64) -> Result<Vec<Evidence>, StoreError> {
        let q = "SELECT id, application_id, sha256, media_type, size, name, uploaded_at FROM evidence WHERE application_id = $1 ORDER BY id";
        read_all!(self, q, evidence_from, application)
    }

    // ---- decisions ----

    pub async fn decision_by_code(&self, code: &str) -> Result<Option<DecisionRecord>, StoreError> {
        let q = format!("SELECT {DECISION_COLS} FROM decisions WHERE code = $1");
        read_opt!(self, &q, decision_from, code)
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

    // ---- signing keys ----

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
            .map(|r| r.b("public"))
            .collect::<Result<Vec<_>, _>>()?))
    }

    // ---- audit ----

    /// Audit records with `seq` greater than `after`, oldest first.
    pub async fn audit(&self, after: i64, limit: i64) -> Result<Vec<AuditRecord>, StoreError> {
        let q = "SELECT seq, at, actor_id, action, subject, detail, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2";
        read_all!(self, q, audit_from, after, limit)
    }

    /// The newest audit records first, for reading.
    pub async fn audit_recent(
        &self,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let q = "SELECT seq, at, actor_id, action, subject, detail, prev_hash, hash FROM audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2";
        Ok(on_read!(self, |p| sqlx::query(q)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit)
            .fetch_all(p)
            .await?
            .iter()
            .map(audit_from)
            .collect::<Result<Vec<_>, _>>()?))
    }

    /// Checks the whole chain, page by page, and that the head names its
    /// last record (so records cut off the end show too).
    pub async fn verify_audit(&self) -> Result<usize, StoreError> {
        let mut prev = zige_cases::GENESIS.to_string();
        let mut seq = 0;
        loop {
            let page = self.audit(seq, 1000).await?;
            if page.is_empty() {
                break;
            }
            for r in &page {
                if r.seq != seq + 1 || r.prev_hash != prev {
                    return Err(StoreError::Chain(zige_cases::ChainError::Broken {
                        seq: r.seq,
                    }));
                }
                if r.compute_hash() != r.hash {
                    return Err(StoreError::Chain(zige_cases::ChainError::Altered {
                        seq: r.seq,
                    }));
                }
                prev = r.hash.clone();
                seq = r.seq;
            }
        }
        let head: (i64, String) = on_read!(self, |p| {
            let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await?;
            (r.i("seq")?, r.s("hash")?)
        });
        if head != (seq, prev) {
            return Err(StoreError::Chain(zige_cases::ChainError::Broken {
                seq: head.0,
            }));
        }
        Ok(seq as usize)
    }

    /// `ok` when the database finds nothing wrong with itself.
    pub async fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(match &self.backend {
            Backend::Sqlite { read, .. } => {
                sqlx::query_scalar("PRAGMA integrity_check")
                    .fetch_one(read)
                    .await?
            }
            Backend::Postgres(p) => sqlx::query_scalar::<_, i32>("SELECT 1")
                .fetch_one(p)
                .await
                .map(|_| "ok".to_string())?,
        })
    }
}

/// A stored catalogue edition.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredEdition {
    /// `beijing/3.1`.
    pub id: String,
    pub jurisdiction: String,
    pub version: String,
    /// `draft`, `published` or `discarded`.
    pub status: String,
    pub text: String,
    pub overlay: String,
    pub effective_from: Option<String>,
    pub imported_at: i64,
    pub imported_by: Option<i64>,
    pub published_at: Option<i64>,
    pub published_by: Option<i64>,
}

const EDITION_COLS: &str = "id, jurisdiction, version, status, text, overlay, effective_from, imported_at, imported_by, published_at, published_by";

fn edition_from(r: &impl Get) -> Result<StoredEdition, sqlx::Error> {
    Ok(StoredEdition {
        id: r.s("id")?,
        jurisdiction: r.s("jurisdiction")?,
        version: r.s("version")?,
        status: r.s("status")?,
        text: r.s("text")?,
        overlay: r.s("overlay")?,
        effective_from: r.os("effective_from")?,
        imported_at: r.i("imported_at")?,
        imported_by: r.oi("imported_by")?,
        published_at: r.oi("published_at")?,
        published_by: r.oi("published_by")?,
    })
}

/// One overlay a draft has had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverlayChange {
    pub at: i64,
    pub author: Option<i64>,
    pub note: String,
}

impl Store {
    /// Stores an imported text as a draft. A discarded draft of the same
    /// id is replaced; a live draft or published edition is `Duplicate`.
    pub async fn import_edition(
        &self,
        id: &str,
        jurisdiction: &str,
        version: &str,
        text: &str,
        overlay: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let existing: Option<String> =
                sqlx::query_scalar("SELECT status FROM editions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            match existing.as_deref() {
                Some("discarded") => {
                    sqlx::query("DELETE FROM editions WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                Some(_) => return Err(StoreError::Duplicate("edition")),
                None => {}
            }
            let row = sqlx::query(&format!("INSERT INTO editions (id, jurisdiction, version, status, text, overlay, imported_at, imported_by) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7) RETURNING {EDITION_COLS}"))
                .bind(id)
                .bind(jurisdiction)
                .bind(version)
                .bind(text)
                .bind(overlay)
                .bind(now)
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO edition_overlays (edition, overlay, author, at, note) VALUES ($1, $2, $3, $4, 'imported')").bind(id).bind(overlay).bind(actor).bind(now).execute(&mut *tx).await?;
            audit!(
                tx,
                now,
                actor,
                "edition.import",
                &format!("edition:{id}"),
                ""
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Replaces a draft's overlay, keeping the old one in its history.
    pub async fn set_edition_overlay(
        &self,
        id: &str,
        overlay: &str,
        note: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!("UPDATE editions SET overlay = $1 WHERE id = $2 AND status = 'draft' RETURNING {EDITION_COLS}"))
                .bind(overlay)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::Conflict)?;
            sqlx::query("INSERT INTO edition_overlays (edition, overlay, author, at, note) VALUES ($1, $2, $3, $4, $5)").bind(id).bind(overlay).bind(actor).bind(now).bind(note).execute(&mut *tx).await?;
            audit!(
                tx,
                now,
                actor,
                "edition.overlay",
                &format!("edition:{id}"),
                note
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Publishes a draft from `effective` (YYYY-MM-DD), in one transaction.
    pub async fn publish_edition(
        &self,
        id: &str,
        effective: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<StoredEdition, StoreError> {
        in_tx!(self, |tx| {
            let row = sqlx::query(&format!("UPDATE editions SET status = 'published', effective_from = $1, published_at = $2, published_by = $3 WHERE id = $4 AND status = 'draft' RETURNING {EDITION_COLS}"))
                .bind(effective)
                .bind(now)
                .bind(actor)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM editions WHERE id = $1",
                    id
                ));
            };
            audit!(
                tx,
                now,
                actor,
                "edition.publish",
                &format!("edition:{id}"),
                &format!("effective {effective}")
            );
            Ok(edition_from(&row)?)
        })
    }

    /// Discards a draft (it stays on record, marked discarded).
    pub async fn discard_edition(
        &self,
        id: &str,
        actor: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let done = sqlx::query(
                "UPDATE editions SET status = 'discarded' WHERE id = $1 AND status = 'draft'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(why_unchanged!(
                    tx,
                    "SELECT 1 FROM editions WHERE id = $1",
                    id
                ));
            }
            audit!(
                tx,
                now,
                actor,
                "edition.discard",
                &format!("edition:{id}"),
                ""
            );
        });
        Ok(())
    }

    /// Every stored edition, in import order.
    pub async fn editions(&self) -> Result<Vec<StoredEdition>, StoreError> {
        let q = format!("SELECT {EDITION_COLS} FROM editions ORDER BY imported_at, id");
        read_all!(self, &q, edition_from)
    }

    pub async fn overlay_history(&self, id: &str) -> Result<Vec<OverlayChange>, StoreError> {
        let q = "SELECT at, author, note FROM edition_overlays WHERE edition = $1 ORDER BY id";
        Ok(on_read!(self, |p| {
            let mut out = Vec::new();
            for r in sqlx::query(q).bind(id).fetch_all(p).await? {
                out.push(OverlayChange {
                    at: r.i("at")?,
                    author: r.oi("author")?,
                    note: r.s("note")?,
                });
            }
            out
        }))
    }
}

mod second_factor;
pub use second_factor::*;
