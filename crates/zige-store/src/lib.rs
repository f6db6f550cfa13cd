//! Zige's storage: SQLite in the data directory by default, PostgreSQL for
//! deployments with several server processes. Both sit behind [`Store`];
//! each has its own versioned migrations, applied at start-up.
//!
//! Invariant: this is the only crate that knows SQL.
//!
//! The modules follow the aggregates: `accounts` (users, sessions, the
//! sign-in throttle, the second factor), `applications` (drafts, evidence
//! records, state changes, the review queue), `decisions` (with their
//! signing keys), `audit`, `editions`, `mail`, `statistics` (counted
//! cells kept with every state change, demo data); `sql` holds the helpers they share
//! (backend dispatch, the write transaction, row reading).

mod sql;

mod accounts;
mod applications;
mod audit;
mod backup;
mod blobs;
mod decisions;
mod editions;
mod error;
mod limits;
mod mail;
mod reason_templates;
mod statistics;
mod store;

pub use accounts::{
    Registered, SecondFactor, Session, TokenMail, User, MAILS_PER_HOUR, PENDING_MS,
};
pub use applications::{
    Application, Change, Event, Evidence, Holding, Note, QueueFilter, QueueItem, SameCertificate,
};
pub use audit::AuditFilter;
pub use blobs::{Blobs, SweepReport};
pub use decisions::{DecisionRecord, NewDecision, SigningKeys};
pub use editions::{OverlayChange, StoredEdition};
pub use error::StoreError;
pub use limits::{LimitKind, Limits};
pub use mail::{
    kind as mail_kind, MailFilter, MailStatus, NewMail, OpenRequest, OutboxMessage, QueueDigest,
    TokenPurpose, RESET_MS, VERIFY_MS,
};
pub use reason_templates::SavedTemplate;
pub use statistics::{DemoPlan, DemoReport, RealApplications};
pub use store::Store;
