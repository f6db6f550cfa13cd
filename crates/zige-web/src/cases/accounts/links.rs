//! The single-use links mail carries (address verification, password
//! reset): a random token in the link, only its hash stored.

use axum::http::StatusCode;
use serde_json::json;
use zige_store::{StoreError, TokenMail};

use super::sessions;
use crate::error::ApiError;

/// A fresh token and what the store keeps of it: its hash, and the
/// message's parameters, which carry the token until the mail is sent.
pub fn new_link() -> (String, String) {
    let token = sessions::token();
    let hash = zige_cases::sha256_hex(token.as_bytes());
    (token, hash)
}

/// The store's record of a link to mail.
pub fn mailed<'a>(token: &str, hash: &'a str) -> TokenMail<'a> {
    TokenMail {
        token_hash: hash,
        params: json!({ "token": token }),
    }
}

/// The stored hash of a token from a link, or a 400 when it cannot be
/// one (tokens are 43 URL-safe characters).
pub fn hash_of(token: &str) -> Result<String, ApiError> {
    let plausible = token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plausible {
        Ok(zige_cases::sha256_hex(token.as_bytes()))
    } else {
        Err(unknown())
    }
}

/// A link never issued (or mistyped): 400, naming the token.
pub fn unknown() -> ApiError {
    ApiError::localized(
        StatusCode::BAD_REQUEST,
        "link_unknown",
        "api-link-unknown",
        &[],
    )
    .with_field("token")
}

/// What a failed link means to the person following it: unknown (400),
/// used or expired (410), or anything else.
pub fn link_error(error: StoreError) -> ApiError {
    match error {
        // Well formed but never issued: not found.
        StoreError::NotFound => unknown().with_status(StatusCode::NOT_FOUND),
        StoreError::Gone => {
            ApiError::localized(StatusCode::GONE, "link_used", "api-link-used", &[])
                .with_field("token")
        }
        other => other.into(),
    }
}
