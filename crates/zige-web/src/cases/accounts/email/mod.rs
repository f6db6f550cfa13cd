//! The account's address and mail: verifying an address with a mailed
//! link, changing it (the new one verified before it replaces the old),
//! and the language and notices an account wants.

pub mod api;
pub mod pages;

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zige_cases::Email;
use zige_store::User;

use super::links::{hash_of, link_error, mailed, new_link};
use super::sessions::Viewer;
use crate::cases::{now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewAddress {
    /// The address to use from now on; a link to verify it is mailed
    /// there (the current address: the link is sent again). At most 64
    /// characters before the @, a domain with a dot.
    #[schema(
        max_length = 254,
        pattern = "^[!#-'*+\\-./0-9=?A-Z^-~]{1,64}@[!#-'*+\\-0-9=?A-Z^-~]+(\\.[!#-'*+\\-0-9=?A-Z^-~]+)+$"
    )]
    pub email: String,
}

/// The language mail is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailLanguage {
    Zh,
    En,
    /// Chinese, with English below.
    Both,
}

impl MailLanguage {
    pub fn of(user: &User) -> MailLanguage {
        match user.language.as_deref() {
            Some("zh") => MailLanguage::Zh,
            Some("en") => MailLanguage::En,
            _ => MailLanguage::Both,
        }
    }

    fn stored(self) -> Option<&'static str> {
        match self {
            MailLanguage::Zh => Some("zh"),
            MailLanguage::En => Some("en"),
            MailLanguage::Both => None,
        }
    }
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct MailPreferences {
    pub language: MailLanguage,
    /// Reviewers and admins: the daily digest of the review queue.
    pub digest: bool,
}

/// Follows a verification link: the address it was sent to is the account's, verified.
pub async fn verify(state: &Shared, token: &str) -> Res<User> {
    let hash = hash_of(token)?;
    Ok(state
        .store()?
        .verify_address(&hash, now_ms())
        .await
        .map_err(link_error)?)
}

/// Mails a verification link to a new address (or again to the current one).
pub async fn change_address(state: &Shared, viewer: &Viewer, email: &str) -> Res<()> {
    let email = Email::parse(email).map_err(ApiError::from_input)?;
    let (token, hash) = new_link();
    state
        .store()?
        .request_address_change(
            viewer.user.id,
            email.as_str(),
            &mailed(&token, &hash),
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?;
    Ok(())
}

/// Sets the language of mail and the digest.
pub async fn set_preferences(
    state: &Shared,
    viewer: &Viewer,
    preferences: &MailPreferences,
) -> Res<User> {
    Ok(state
        .store()?
        .set_mail_preferences(
            viewer.user.id,
            preferences.language.stored(),
            preferences.digest,
            now_ms(),
        )
        .await
        .map_err(ApiError::from)?)
}

/// Submitting needs a verified address when mail can reach it.
pub fn check_verified(state: &Shared, user: &User) -> Result<(), ApiError> {
    if !state.settings.verify_before_submit || user.email_verified_at.is_some() {
        return Ok(());
    }
    Err(ApiError::localized(
        StatusCode::FORBIDDEN,
        "email_unverified",
        "api-email-unverified",
        &[("email", user.email.clone())],
    ))
}
