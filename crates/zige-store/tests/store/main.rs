//! The store's tests, one binary: the shared harness in `helpers.rs`, and
//! one file per feature. `story.rs` tells one story against SQLite and
//! PostgreSQL, its chapters taken from the feature files (accounts, the
//! sign-in throttle, applications, review, decisions, audit, editions,
//! backup); the other files hold their own tests (second factor, a full
//! database, evidence files and limits, S3, audit records sealed by
//! two stores at once).

mod helpers;

mod accounts;
mod applications;
mod audit;
mod backup;
mod decisions;
mod editions;
mod evidence_files;
mod full_database;
mod limits;
mod login_throttle;
mod outbox;
mod review;
mod s3;
mod sealing;
mod second_factor;
mod statistics;
mod story;
