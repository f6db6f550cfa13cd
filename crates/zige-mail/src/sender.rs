//! The sender task: claims due messages from the outbox, words and
//! delivers them, and records each outcome; between rounds it queues
//! what no request causes (reminders, digests). Without a mail server
//! it only queues: messages wait in the outbox for one.

use std::sync::Arc;
use std::time::Duration;

use lettre::message::{header, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde_json::Value;
use tokio::sync::Notify;
use zige_store::{OutboxMessage, Store};

use crate::compose::{Composed, Words};
use crate::schedule::Schedule;

/// How long a claim holds: longer than an SMTP exchange may take, so a
/// live sender never has its message taken; after a crash the message is
/// sent again once the claim lapses.
pub const LEASE_MS: i64 = 30_000;
/// After this many failed attempts a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// Messages claimed at once; each round sends them concurrently.
const BATCH: i64 = 16;
/// How often the outbox is looked at without being woken (for messages
/// other processes queued, and retries).
const IDLE: Duration = Duration::from_secs(1);

/// Delivers the outbox.
pub struct Sender {
    store: Store,
    transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
    from: Mailbox,
    words: Words,
    schedule: Schedule,
    wake: Arc<Notify>,
}

impl Sender {
    pub fn new(
        store: Store,
        transport: Option<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
        words: Words,
        schedule: Schedule,
        wake: Arc<Notify>,
    ) -> Sender {
        Sender {
            store,
            transport,
            from,
            words,
            schedule,
            wake,
        }
    }

    /// Runs until the process ends.
    pub async fn run(self) {
        let sender = Arc::new(self);
        let mut last_schedule = 0;
        loop {
            let now = now_ms();
            if now - last_schedule >= sender.schedule.every_ms {
                last_schedule = now;
                if let Err(e) = sender
                    .schedule
                    .round(&sender.store, &sender.words, now)
                    .await
                {
                    tracing::warn!(error = %e, "could not queue reminders and digests");
                }
            }
            if sender.transport.is_some() {
                while let Ok(n) = Arc::clone(&sender).deliver_due().await {
                    if n == 0 {
                        break;
                    }
                }
            }
            tokio::select! {
                _ = sender.wake.notified() => {}
                _ = tokio::time::sleep(IDLE) => {}
            }
        }
    }

    /// Claims one batch of due messages and delivers them concurrently:
    /// how many were claimed.
    pub async fn deliver_due(self: Arc<Self>) -> Result<usize, zige_store::StoreError> {
        let claimed = self.store.claim_mail(now_ms(), LEASE_MS, BATCH).await?;
        let n = claimed.len();
        let mut tasks = tokio::task::JoinSet::new();
        for message in claimed {
            let sender = Arc::clone(&self);
            tasks.spawn(async move { sender.deliver(message).await });
        }
        while tasks.join_next().await.is_some() {}
        Ok(n)
    }

    async fn deliver(&self, message: OutboxMessage) {
        let Some(transport) = &self.transport else {
            return;
        };
        let composed = self.words.compose(&message);
        let outcome = match self.envelope(&message, composed) {
            Ok(mail) => transport
                .send(mail)
                .await
                .map_err(|e| (e.to_string(), e.is_permanent())),
            Err(why) => Err((why, true)),
        };
        let recorded = match outcome {
            Ok(_) => {
                tracing::info!(id = message.id, kind = %message.kind, "mail delivered");
                let kept = without_tokens(&message.params);
                self.store.mail_sent(message.id, &kept, now_ms()).await
            }
            Err((why, permanent)) => {
                let retry_at = retry_at(message.attempts, permanent, now_ms());
                tracing::warn!(id = message.id, kind = %message.kind, error = %why, retry = retry_at.is_some(), "mail not delivered");
                self.store
                    .mail_attempt_failed(message.id, &why, retry_at)
                    .await
            }
        };
        if let Err(e) = recorded {
            // The claim lapses and the message is tried again, with the
            // same Message-ID.
            tracing::warn!(id = message.id, error = %e, "could not record a mail's outcome");
        }
    }

    /// The message as sent: headers, and text and HTML alternatives.
    fn envelope(&self, message: &OutboxMessage, composed: Composed) -> Result<Message, String> {
        let to: Mailbox = message
            .recipient
            .parse()
            .map_err(|_| format!("recipient '{}' is not a valid address", message.recipient))?;
        let domain = self.from.email.domain().to_string();
        Message::builder()
            .message_id(Some(format!("<{}@{domain}>", message.message_key())))
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject)
            .header(ContentLanguage(message.language.clone()))
            .multipart(
                MultiPart::alternative()
                    .singlepart(SinglePart::plain(composed.text))
                    .singlepart(SinglePart::html(composed.html)),
            )
            .map_err(|e| e.to_string())
    }
}

/// `Content-Language`: the recipient's language, or both.
#[derive(Clone)]
struct ContentLanguage(Option<String>);

impl header::Header for ContentLanguage {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(Some(s.to_string())))
    }

    fn display(&self) -> header::HeaderValue {
        let value = self.0.clone().unwrap_or_else(|| "zh, en".to_string());
        header::HeaderValue::new(Self::name(), value)
    }
}

/// When to try again after a failed attempt (the `attempts`-th): after
/// 30 s, doubling up to an hour; never after a permanent refusal or the
/// last attempt.
pub fn retry_at(attempts: i64, permanent: bool, now: i64) -> Option<i64> {
    if permanent || attempts >= MAX_ATTEMPTS {
        return None;
    }
    let wait = (30_000_i64 << (attempts.clamp(1, 8) - 1)).min(3_600_000);
    Some(now + wait)
}

/// The parameters kept after sending: a link's token is not.
fn without_tokens(params: &Value) -> Value {
    let mut kept = params.clone();
    if let Value::Object(map) = &mut kept {
        map.remove("token");
    }
    kept
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_then_stop() {
        assert_eq!(retry_at(1, false, 0), Some(30_000));
        assert_eq!(retry_at(2, false, 0), Some(60_000));
        assert_eq!(retry_at(7, false, 0), Some(1_920_000));
        assert_eq!(retry_at(MAX_ATTEMPTS, false, 0), None);
        assert_eq!(
            retry_at(1, true, 0),
            None,
            "a refused recipient is not retried"
        );
    }

    #[test]
    fn a_sent_message_keeps_no_token() {
        let kept = without_tokens(&serde_json::json!({"token": "secret", "application": 3}));
        assert_eq!(kept, serde_json::json!({"application": 3}));
    }
}
