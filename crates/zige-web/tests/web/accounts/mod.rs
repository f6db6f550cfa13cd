//! Accounts: registering, signing in (and its limits against guessing),
//! the second factor, and the account pages.

use axum::http::{header, StatusCode};

use crate::helpers::Reply;

mod mail;
mod pages;
mod second_factor;
mod sign_in;
mod sign_in_races;

/// A 429 says how long to wait, in the header and in the envelope.
fn assert_wait(r: &Reply) {
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let secs: u64 = r.header(header::RETRY_AFTER).parse().expect("Retry-After");
    assert!(secs >= 1);
    assert_eq!(r.error()["retry_after"].as_u64(), Some(secs));
    assert_eq!(r.error()["code"], "too_many_attempts");
    assert!(r.error()["message"]["zh"]
        .as_str()
        .unwrap()
        .contains("秒后再试"));
}
