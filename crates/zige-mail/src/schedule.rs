//! What the sender queues on its own, once per round: a reminder before
//! a request for more information lapses, and each reviewer's daily
//! digest of the queue (after 08:00 in the service's zone). Each is
//! queued at most once (by its key), however many processes run.

use serde_json::json;
use zige_store::{mail_kind as kind, NewMail, Store, StoreError};

use crate::compose::Words;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// When reminders and digests go out.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// How often a round runs.
    pub every_ms: i64,
    /// A reminder goes this long before a request lapses.
    pub remind_before_ms: i64,
    /// The digest counts cases waiting longer than this many days.
    pub waiting_days: i64,
    /// The local hour from which the day's digest goes out.
    pub digest_hour: i8,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            every_ms: 60_000,
            remind_before_ms: 7 * DAY_MS,
            waiting_days: 14,
            digest_hour: 8,
        }
    }
}

impl Schedule {
    /// Queues the reminders and digests that are due.
    pub async fn round(&self, store: &Store, words: &Words, now: i64) -> Result<(), StoreError> {
        self.reminders(store, words, now).await?;
        self.digests(store, words, now).await
    }

    async fn reminders(&self, store: &Store, words: &Words, now: i64) -> Result<(), StoreError> {
        let lead = (words.lapse_ms - self.remind_before_ms).max(0);
        for request in store.open_requests(now - lead).await? {
            let (application, requested_at) = (request.application, request.requested_at);
            let params = json!({"application": application, "requested_at": requested_at});
            let reminder = NewMail::new(kind::MORE_INFO_REMINDER, request.applicant, params, now)
                .once(format!("application:{application}:{requested_at}"));
            store.queue_mail(&reminder).await?;
        }
        Ok(())
    }

    async fn digests(&self, store: &Store, words: &Words, now: i64) -> Result<(), StoreError> {
        let Ok(local) =
            jiff::Timestamp::from_millisecond(now).map(|t| t.to_zoned_datetime(words.zone.clone()))
        else {
            return Ok(());
        };
        if local.hour() < self.digest_hour {
            return Ok(());
        }
        let digest = store
            .queue_digest(now - DAY_MS, now - self.waiting_days * DAY_MS)
            .await?;
        if digest.open == 0 {
            return Ok(());
        }
        let day = local.date();
        for reader in store.digest_readers().await? {
            let params = json!({"open": digest.open, "new_cases": digest.new_cases, "waiting": digest.waiting, "days": self.waiting_days});
            store
                .queue_mail(
                    &NewMail::new(kind::DIGEST, reader, params, now)
                        .once(format!("user:{reader}:{day}")),
                )
                .await?;
        }
        Ok(())
    }
}
