//! Setting a new password with a mailed link: asked for with an address
//! (the same answer whether or not it has an account), then set with the
//! link's token, which works once, for an hour. Every session of the
//! account ends.

pub mod api;
pub mod pages;

use serde::Deserialize;
use zige_cases::{Email, Password};
use zige_store::{TokenPurpose, User};

use super::links::{hash_of, link_error, mailed, new_link};
use super::passwords;
use crate::cases::{now_ms, Res};
use crate::error::ApiError;
use crate::state::Shared;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResetRequest {
    /// The address of the account.
    #[schema(max_length = 254, format = Email)]
    pub email: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewPassword {
    /// 10–128 characters, not the e-mail address, not one character repeated.
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
}

/// Mails a reset link if the address has an account; says nothing either way.
pub async fn request(state: &Shared, email: &str) -> Res<()> {
    let email = Email::parse(email).map_err(ApiError::from_input)?;
    let (token, hash) = new_link();
    let sent = state
        .store()?
        .request_password_reset(email.as_str(), &mailed(&token, &hash), now_ms())
        .await
        .map_err(ApiError::from)?;
    tracing::debug!(sent, "password reset asked for");
    Ok(())
}

/// The account a reset link is for, while it works.
pub async fn account(state: &Shared, token: &str) -> Res<User> {
    let hash = hash_of(token)?;
    Ok(state
        .store()?
        .token_owner(&hash, TokenPurpose::Reset, now_ms())
        .await
        .map_err(link_error)?)
}

/// Sets the new password the link allows.
pub async fn reset(state: &Shared, token: &str, password: &str) -> Res<User> {
    let user = account(state, token).await?;
    let email = Email::parse(&user.email).map_err(ApiError::from_input)?;
    Password::parse(password, &email).map_err(ApiError::from_input)?;
    let password_hash = passwords::hash_password(password.to_string()).await?;
    let hash = hash_of(token)?;
    Ok(state
        .store()?
        .reset_password(&hash, &password_hash, now_ms())
        .await
        .map_err(link_error)?)
}
