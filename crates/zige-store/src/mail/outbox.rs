//! The outbox: messages queued with the change they tell of, claimed by
//! one sender at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the one
//! writer on SQLite), then recorded as sent, to retry, or failed.

use serde_json::Value;

use crate::sql::{in_tx, on_read, Backend, Get};
use crate::{Store, StoreError};

/// A message to queue for an account.
#[derive(Debug, Clone)]
pub struct NewMail<'a> {
    pub kind: &'static str,
    pub user_id: i64,
    /// Another address than the account's (a new address to verify).
    pub to: Option<&'a str>,
    /// What the message names: the application, the decision, a link.
    pub params: Value,
    /// Queued at most once per kind and key (a reminder, a digest).
    pub once_key: Option<String>,
    pub now: i64,
}

impl<'a> NewMail<'a> {
    /// A message of `kind` to the account's own address, naming `params`.
    pub fn new(kind: &'static str, user_id: i64, params: Value, now: i64) -> NewMail<'a> {
        NewMail {
            kind,
            user_id,
            to: None,
            params,
            once_key: None,
            now,
        }
    }

    /// The same, to another address (a new address to verify).
    pub fn to_address(self, to: &'a str) -> NewMail<'a> {
        NewMail {
            to: Some(to),
            ..self
        }
    }

    /// The same, queued at most once under `key`.
    pub fn once(self, key: String) -> NewMail<'a> {
        NewMail {
            once_key: Some(key),
            ..self
        }
    }
}

/// Queues a message inside the transaction `$tx`, addressed from the
/// account's row (its address and language as they are now).
macro_rules! enqueue {
    ($tx:ident, $mail:expr) => {{
        let mail: &$crate::mail::NewMail<'_> = $mail;
        sqlx::query(
            "INSERT INTO outbox (kind, user_id, recipient, language, params, once_key, created_at, next_attempt_at) \
             SELECT $1, u.id, COALESCE($2, u.email), u.language, $3, $4, $5, $5 FROM users u WHERE u.id = $6 \
             ON CONFLICT DO NOTHING",
        )
        .bind(mail.kind)
        .bind(mail.to)
        .bind(mail.params.to_string())
        .bind(mail.once_key.as_deref())
        .bind(mail.now)
        .bind(mail.user_id)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use enqueue;

/// How many messages of `$kind` went to `$recipient` since `$since`
/// (inside `$tx`): the throttle of mail anyone can cause.
macro_rules! recent_mail {
    ($tx:ident, $kind:expr, $recipient:expr, $since:expr) => {{
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND kind = $2 AND created_at >= $3",
        )
        .bind($recipient)
        .bind($kind)
        .bind($since)
        .fetch_one(&mut *$tx)
        .await?;
        n
    }};
}
pub(crate) use recent_mail;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailStatus {
    /// Waiting for its first or next attempt.
    Queued,
    /// Accepted by the mail server.
    Sent,
    /// Given up on after repeated or permanent failures.
    Failed,
}

impl MailStatus {
    pub fn code(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<MailStatus> {
        [MailStatus::Queued, MailStatus::Sent, MailStatus::Failed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A message in the outbox.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub user_id: Option<i64>,
    pub recipient: String,
    pub language: Option<String>,
    pub params: Value,
    pub created_at: i64,
    pub status: MailStatus,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: String,
    pub sent_at: Option<i64>,
}

impl OutboxMessage {
    /// The Message-ID's local part: the same for every attempt, so a
    /// message delivered twice is recognisably one message.
    pub fn message_key(&self) -> String {
        format!("{}.{}.zige", self.created_at, self.id)
    }
}

const MAIL_COLS: &str = "id, kind, user_id, recipient, language, params, created_at, status, attempts, next_attempt_at, last_error, sent_at";

fn mail_from(r: &impl Get) -> Result<OutboxMessage, sqlx::Error> {
    let status = r.text("status")?;
    Ok(OutboxMessage {
        id: r.int("id")?,
        kind: r.text("kind")?,
        user_id: r.opt_int("user_id")?,
        recipient: r.text("recipient")?,
        language: r.opt_text("language")?,
        params: serde_json::from_str(&r.text("params")?).unwrap_or(Value::Null),
        created_at: r.int("created_at")?,
        status: MailStatus::parse(&status).ok_or_else(|| crate::sql::corrupt("status", &status))?,
        attempts: r.int("attempts")?,
        next_attempt_at: r.int("next_attempt_at")?,
        last_error: r.text("last_error")?,
        sent_at: r.opt_int("sent_at")?,
    })
}

/// Which messages the mail log shows.
#[derive(Debug, Clone, Default)]
pub struct MailFilter {
    pub status: Option<MailStatus>,
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    /// Claims up to `limit` messages that are due and unclaimed, for
    /// `lease_ms`: no other sender takes them meanwhile. A sender that
    /// dies with a claim lets it lapse, and the message is sent again
    /// (with the same Message-ID).
    pub async fn claim_mail(
        &self,
        now: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let pick = match &self.backend {
            Backend::Postgres(_) => "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 AND claimed_until <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED",
            Backend::Sqlite { .. } => "SELECT id FROM outbox WHERE status = 'queued' AND next_attempt_at <= $1 AND claimed_until <= $1 ORDER BY id LIMIT $3",
        };
        let q = format!("UPDATE outbox SET claimed_until = $2, attempts = attempts + 1 WHERE id IN ({pick}) RETURNING {MAIL_COLS}");
        in_tx!(self, |tx| {
            let rows = sqlx::query(&q)
                .bind(now)
                .bind(now + lease_ms)
                .bind(limit)
                .fetch_all(&mut *tx)
                .await?;
            let mut claimed = rows.iter().map(mail_from).collect::<Result<Vec<_>, _>>()?;
            claimed.sort_by_key(|m| m.id);
            Ok(claimed)
        })
    }

    /// The mail server accepted the message. Links that carry a token
    /// are no longer kept: `params` is replaced by what the log needs.
    pub async fn mail_sent(&self, id: i64, params: &Value, now: i64) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $2, claimed_until = 0, last_error = '', params = $3 WHERE id = $1")
                .bind(id)
                .bind(now)
                .bind(params.to_string())
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// An attempt failed: the message waits until `retry_at`, or, when
    /// `None`, is marked failed for an admin to see.
    pub async fn mail_attempt_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> Result<(), StoreError> {
        let (status, next) = match retry_at {
            Some(at) => ("queued", at),
            None => ("failed", 0),
        };
        in_tx!(self, |tx| {
            sqlx::query("UPDATE outbox SET status = $2, next_attempt_at = CASE WHEN $2 = 'queued' THEN $3 ELSE next_attempt_at END, claimed_until = 0, last_error = $4 WHERE id = $1")
                .bind(id)
                .bind(status)
                .bind(next)
                .bind(error)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Puts a failed message back in the queue (an admin's retry).
    pub async fn retry_mail(&self, id: i64, actor: i64, now: i64) -> Result<(), StoreError> {
        in_tx!(self, |tx| {
            let done = sqlx::query("UPDATE outbox SET status = 'queued', next_attempt_at = $2, attempts = 0 WHERE id = $1 AND status = 'failed'")
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(crate::sql::why_unchanged!(
                    tx,
                    "SELECT 1 FROM outbox WHERE id = $1",
                    id
                ));
            }
            crate::audit::audit!(
                tx,
                now,
                Some(actor),
                "mail.retry",
                &format!("mail:{id}"),
                ""
            );
        });
        Ok(())
    }

    /// The mail log, newest first.
    pub async fn mail_log(&self, filter: &MailFilter) -> Result<Vec<OutboxMessage>, StoreError> {
        let q = format!("SELECT {MAIL_COLS} FROM outbox WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2 OFFSET $3");
        let status = filter.status.map(MailStatus::code).unwrap_or("");
        Ok(on_read!(self, |p| sqlx::query(&q)
            .bind(status)
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(p)
            .await?
            .iter()
            .map(mail_from)
            .collect::<Result<Vec<_>, _>>()?))
    }

    /// How many messages are queued, sent and failed.
    pub async fn mail_counts(&self) -> Result<[(MailStatus, i64); 3], StoreError> {
        let mut counts = [
            (MailStatus::Queued, 0),
            (MailStatus::Sent, 0),
            (MailStatus::Failed, 0),
        ];
        let rows = on_read!(self, |p| sqlx::query(
            "SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"
        )
        .fetch_all(p)
        .await?
        .iter()
        .map(|r| Ok::<_, sqlx::Error>((r.text("status")?, r.int("n")?)))
        .collect::<Result<Vec<_>, _>>()?);
        for (status, n) in rows {
            if let Some(slot) = counts.iter_mut().find(|(s, _)| s.code() == status) {
                slot.1 = n;
            }
        }
        Ok(counts)
    }
}
