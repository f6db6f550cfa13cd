//! The JSON API of decisions: deciding a case, the signed decision,
//! public verification, the signing keys, and revoking.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{DecisionOutcome, DecisionRequest, Verification};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications::api::ReasonBody;
use crate::cases::{created, decisions};
use crate::error::{ApiErrors, ErrorBody};
use crate::extract::{ApplicationId, JsonBody};
use crate::state::Shared;

// Handles `POST /api/v1/applications/{id}/decision`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/decision", tag = "review", params(("id" = i64, Path)), request_body = DecisionRequest, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = DecisionOutcome, description = "rejected or more information requested (a case not yet under review has its review started first, as its own step)"), (status = 201, body = DecisionOutcome, description = "approved: the signed decision and its verification code"),
        (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer, the application is your own, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 409, body = ErrorBody, description = "another reviewer decided first, or the rules engine finds the conditions unmet"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn decide(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    JsonBody(request): JsonBody<DecisionRequest>,
) -> Result<Response, ApiErrors> {
    let outcome: DecisionOutcome = decisions::decide(&state, &viewer, id, &request).await?;
    Ok(if outcome.decision.is_some() {
        created(outcome)
    } else {
        Json(outcome).into_response()
    })
}

// Handles `GET /api/v1/applications/{id}/decision.json`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/decision.json", tag = "review", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = crate::schemas::SignedDecision, description = "the signed decision: {decision, signature}; check it offline with `zige verify FILE`"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application or decision, or not yours")))]
pub async fn decision_json(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
) -> Result<Response, ApiErrors> {
    let decision = decisions::signed_decision(&state, &viewer, id).await?;
    let pretty = serde_json::from_str::<Value>(&decision.signed)
        .and_then(|signed| serde_json::to_string_pretty(&signed))
        .unwrap_or(decision.signed);
    let disposition = format!(
        "attachment; filename=\"zige-decision-{}.json\"",
        decision.number
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or(HeaderValue::from_static("attachment")),
            ),
        ],
        pretty,
    )
        .into_response())
}

// Handles `GET /api/v1/verify/{code}`.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "verification", params(("code" = String, Path, description = "the 26-character verification code; case, dashes and spaces do not matter")),
    responses((status = 200, body = Verification, description = "valid or revoked; the holder's name is the only personal data shown"), (status = 404, body = ErrorBody, description = "unknown code")))]
pub async fn verify(
    State(state): State<Shared>,
    Path(code): Path<String>,
) -> Result<Response, ApiErrors> {
    let verification = decisions::verify(&state, &code).await?;
    let mut response = Json(verification).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

// Handles `GET /api/v1/keys`.
#[utoipa::path(get, path = "/api/v1/keys", tag = "verification", responses((status = 200, body = crate::schemas::KeysView, description = "the keys decisions are signed with")))]
pub async fn keys(State(state): State<Shared>) -> Result<Json<Value>, ApiErrors> {
    let keys: Vec<zige_cases::PublicKey> = crate::cases::signing::keys(&state)
        .await?
        .published
        .iter()
        .map(zige_cases::PublicKey::of)
        .collect();
    Ok(Json(json!({
        "keys": keys,
        "canonicalization": "RFC 8785 (JCS) of the `decision` member",
        "signature": "Ed25519 over those bytes, base64 in signature.value",
    })))
}

// Handles `POST /api/v1/decisions/{code}/revoke`.
#[utoipa::path(post, path = "/api/v1/decisions/{code}/revoke", tag = "admin", params(("code" = String, Path)), request_body = crate::schemas::RevokeBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = Verification), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "unknown code"), (status = 409, body = ErrorBody, description = "already revoked"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn revoke(
    State(state): State<Shared>,
    viewer: Viewer,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<ReasonBody>,
) -> Result<Json<Verification>, ApiErrors> {
    Ok(Json(
        decisions::revoke(&state, &viewer, &code, &body.reason).await?,
    ))
}
