//! Zige's mail adapter: the only crate that knows SMTP.
//!
//! The store queues a message in the same transaction as the change it
//! tells of (the transactional outbox). Here, [`Sender`] claims due
//! messages, [`Words`] words them in the recipient's language (or both),
//! and lettre delivers them to the configured server; every outcome is
//! recorded: sent, to retry with backoff, or failed for an admin to see.

mod compose;
mod schedule;
mod sender;
mod settings;

pub use compose::{Composed, Words};
pub use lettre::message::Mailbox;
pub use schedule::Schedule;
pub use sender::{retry_at, Sender, LEASE_MS, MAX_ATTEMPTS};
pub use settings::{parse_from, redact, SettingError, SmtpSettings, TlsMode, SMTP_TIMEOUT};

#[cfg(feature = "sink")]
pub mod sink;
