//! Old paths of the sign-in machinery, kept while other modules, the
//! tests and the CLI still use them; the code is in
//! [`crate::cases::accounts`] (sessions, passwords, throttling).

pub use crate::cases::accounts::passwords::{
    busy, hash_password, verify_password, HASH_RETRY_AFTER_S,
};
pub use crate::cases::accounts::sessions::{
    check_pre_session, cookie_value, pre_session_cookie, pre_session_token, session_cookie, token,
    viewer, MaybeViewer, Via, Viewer, COOKIE, PRE_COOKIE, SESSION_MS,
};
pub use crate::cases::accounts::throttle::{
    client_address, parse_proxy, throttle_keys, FORGET_MS, FREE_FAILURES_ACCOUNT,
    FREE_FAILURES_ADDRESS, MAX_DELAY_MS,
};
pub use crate::cases::{now_ms, random};
