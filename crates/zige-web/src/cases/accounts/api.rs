//! The JSON API of accounts: registering, sessions, who am I, and the
//! export of one's own data.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::sessions::Viewer;
use super::{Credentials, NewAccount, Registration, SessionView, UserView};
use crate::cases::{accounts, created};
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::{ClientAddress, JsonBody};
use crate::state::Shared;

// Handles `POST /api/v1/accounts`.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 202, body = Registration, description = "a message is on its way to the address: a link to verify it, or, when it already has an account, a note to its owner (the same answer either way)"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn create_account(
    State(state): State<Shared>,
    JsonBody(account): JsonBody<NewAccount>,
) -> Result<Response, ApiErrors> {
    let registration = accounts::register(&state, &account).await?;
    Ok((StatusCode::ACCEPTED, Json(registration)).into_response())
}

// Handles `POST /api/v1/session`.
#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = Credentials,
    responses((status = 201, body = SessionView, description = "a bearer token: send `Authorization: Bearer TOKEN`"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "`bad_credentials`: wrong e-mail address or password; or, after a correct password, `second_factor_required` (no `code`) or `second_factor_wrong`"), (status = 403, body = ErrorBody, description = "`second_factor_enrolment_required`: a reviewer or admin without a second factor sets it up in the browser first"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json"), (status = 429, body = ErrorBody, description = "too many failed attempts for this account or address"), (status = 503, body = ErrorBody, description = "too many sign-ins at once: try again after `Retry-After` seconds")))]
pub async fn create_session(
    State(state): State<Shared>,
    ClientAddress(address): ClientAddress,
    JsonBody(credentials): JsonBody<Credentials>,
) -> Result<Response, ApiErrors> {
    let session: SessionView = accounts::login(&state, &credentials, &address).await?;
    Ok(created(session))
}

// Handles `DELETE /api/v1/session`.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "signed out: the token no longer works"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token")))]
pub async fn delete_session(
    State(state): State<Shared>,
    viewer: Viewer,
) -> Result<Response, ApiErrors> {
    accounts::logout(&state, &viewer).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// Handles `GET /api/v1/me`.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = UserView), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn me(viewer: Viewer) -> Json<UserView> {
    Json(UserView::from(&viewer.user))
}

// Handles `GET /api/v1/me/export`.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = crate::schemas::PersonalData, description = "everything stored about you: account, applications with timelines and evidence lists, signed decisions"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn export_mine(
    State(state): State<Shared>,
    viewer: Viewer,
) -> Result<Response, ApiErrors> {
    let document = accounts::export_mine(&state, &viewer).await?;
    let mut response = Json(document).into_response();
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"zige-my-data.json\""),
    );
    Ok(response)
}
