//! The test harness: one `TestApp` (the app over a fresh SQLite database
//! in a temporary directory) with its JSON client, sign-in helpers and
//! uploads; one `Reply`; the cookie-keeping `Browser` without JavaScript;
//! and the only references to zige_web's internals.

mod app;
mod browser;
mod hash_pool;
mod reply;

pub use app::*;
pub use browser::*;
pub use hash_pool::alone;
pub use reply::*;

pub use zige_mail::sink::{MailSink, Received};
pub use zige_web::{app, AppState};

// ---------- the internals of zige_web the tests use, named once ----------

pub use zige_web::cases::accounts::passwords::hash_password;
pub use zige_web::cases::accounts::second_factor::recovery_codes;
pub use zige_web::cases::accounts::throttle::parse_proxy;
pub use zige_web::cases::{now_ms, random};
pub use zige_web::protect::CSP;
pub use zige_web::state::Cases;

/// The password of every staff account a [`TestApp`] is made with.
pub const STAFF_PASSWORD: &str = "staff password 1";
/// The password of every applicant [`TestApp::applicant`] registers.
pub const APPLICANT_PASSWORD: &str = "correct horse";
pub const REVIEWER: &str = "rev@example.org";
pub const ADMIN: &str = "admin@example.org";
