//! Mail: the transactional outbox (a message is written in the same
//! transaction as the change it tells of, then claimed and delivered by a
//! sender task) and the single-use tokens that mailed links carry.

mod outbox;
mod schedule;
mod tokens;

pub use outbox::MailFilter;
pub(crate) use outbox::{enqueue, recent_mail};
pub use outbox::{MailStatus, NewMail, OutboxMessage};
pub use schedule::{OpenRequest, QueueDigest};
pub(crate) use tokens::{insert_token, mail_link, take_token};
pub use tokens::{TokenPurpose, RESET_MS, VERIFY_MS};

/// What a message tells of; the sender words each kind in both languages.
pub mod kind {
    /// A link that verifies the address of a new account or a new address.
    pub const VERIFY_ADDRESS: &str = "verify_address";
    /// Somebody tried to register an address that already has an account.
    pub const ACCOUNT_EXISTS: &str = "account_exists";
    /// A link that sets a new password.
    pub const PASSWORD_RESET: &str = "password_reset";
    /// The password was changed.
    pub const PASSWORD_CHANGED: &str = "password_changed";
    /// The receipt of a submission.
    pub const SUBMITTED: &str = "submitted";
    /// A reviewer asks for more information.
    pub const MORE_INFO: &str = "more_info";
    /// A request for more information lapses soon.
    pub const MORE_INFO_REMINDER: &str = "more_info_reminder";
    /// The decision: approved or rejected.
    pub const DECIDED: &str = "decided";
    /// A decision was revoked.
    pub const REVOKED: &str = "revoked";
    /// A reviewer's daily digest of the queue.
    pub const DIGEST: &str = "digest";
    /// A new edition of the catalogue was published.
    pub const EDITION_PUBLISHED: &str = "edition_published";
}
