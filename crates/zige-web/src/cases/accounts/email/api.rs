//! The API of the account's address and mail preferences.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::{MailPreferences, NewAddress};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::accounts::UserView;
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::JsonBody;
use crate::state::Shared;

// Handles `POST /api/v1/email-verification/{token}`.
#[utoipa::path(post, path = "/api/v1/email-verification/{token}", tag = "accounts",
    params(("token" = String, Path, pattern = "^[A-Za-z0-9_-]{43}$", description = "the token from the mailed link: 43 letters, digits, - and _")),
    responses((status = 204, description = "the address the link was sent to is the account's, verified"), (status = 400, body = ErrorBody, description = "`link_unknown`: not a link's token"), (status = 404, body = ErrorBody, description = "`link_unknown`: no such link was sent"), (status = 409, body = ErrorBody, description = "the address got an account of its own meanwhile"), (status = 410, body = ErrorBody, description = "`link_used`: the link was used already or has expired (after 7 days)")))]
pub async fn verify_email(
    State(state): State<Shared>,
    Path(token): Path<String>,
) -> Result<Response, ApiErrors> {
    super::verify(&state, &token).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// Handles `POST /api/v1/me/email`.
#[utoipa::path(post, path = "/api/v1/me/email", tag = "accounts", request_body = NewAddress, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 202, description = "a link to verify the address is on its way there; the address changes once it is followed"), (status = 400, body = ErrorBody, description = "the body or the address is invalid"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "a cookie session without its X-CSRF-Token"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn change_email(
    State(state): State<Shared>,
    viewer: Viewer,
    JsonBody(body): JsonBody<NewAddress>,
) -> Result<Response, ApiErrors> {
    super::change_address(&state, &viewer, &body.email).await?;
    Ok(StatusCode::ACCEPTED.into_response())
}

// Handles `PUT /api/v1/me/mail-preferences`.
#[utoipa::path(put, path = "/api/v1/me/mail-preferences", tag = "accounts", request_body = MailPreferences, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = UserView, description = "the account with its new preferences"), (status = 400, body = ErrorBody, description = "the body or a field is invalid"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "a cookie session without its X-CSRF-Token"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn set_mail_preferences(
    State(state): State<Shared>,
    viewer: Viewer,
    JsonBody(body): JsonBody<MailPreferences>,
) -> Result<Json<UserView>, ApiErrors> {
    let user = super::set_preferences(&state, &viewer, &body).await?;
    Ok(Json(UserView::from(&user)))
}
