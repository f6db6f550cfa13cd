//! The JSON API of credentials: a decision's credential, the status
//! lists, and the issuer's DID document. All public, as verification is.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use zige_cases::credential::MEDIA_TYPE;

use crate::cases::credentials;
use crate::error::{ApiErrors, ErrorBody};
use crate::state::Shared;

/// `value` as `application/vc`, not to be cached (a revocation shows at once).
fn credential_response(value: &Value) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        serde_json::to_string_pretty(value).unwrap_or_default(),
    )
        .into_response()
}

// Handles `GET /api/v1/decisions/{code}/credential`.
#[utoipa::path(get, path = "/api/v1/decisions/{code}/credential", tag = "verification", params(("code" = String, Path, description = "the 26-character verification code; case, dashes and spaces do not matter")),
    responses((status = 200, content_type = "application/vc", body = crate::schemas::VerifiableCredential, description = "the approved decision as a W3C Verifiable Credential (VC Data Model 2.0) with an eddsa-jcs-2022 Data Integrity proof; the holder's name is its only personal data"), (status = 404, body = ErrorBody, description = "unknown code")))]
pub async fn decision_credential(
    State(state): State<Shared>,
    Path(code): Path<String>,
) -> Result<Response, ApiErrors> {
    Ok(credential_response(
        &credentials::decision_credential(&state, &code).await?,
    ))
}

// Handles `GET /api/v1/status-lists/{n}`.
#[utoipa::path(get, path = "/api/v1/status-lists/{n}", tag = "verification", params(("n" = i64, Path, description = "the list's number, from 1", minimum = 1)),
    responses((status = 200, content_type = "application/vc", body = crate::schemas::VerifiableCredential, description = "a BitstringStatusListCredential: bit i set when the decision of credential index i is revoked"), (status = 404, body = ErrorBody, description = "no such list")))]
pub async fn status_list(
    State(state): State<Shared>,
    Path(n): Path<String>,
) -> Result<Response, ApiErrors> {
    let n: i64 = n.parse().unwrap_or(0);
    Ok(credential_response(
        &credentials::status_list(&state, n).await?,
    ))
}

// Handles `GET /.well-known/did.json`.
pub async fn did_document(State(state): State<Shared>) -> Result<Response, ApiErrors> {
    let document = credentials::did_document(&state).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/did+json"),
        )],
        serde_json::to_string_pretty(&document).unwrap_or_default(),
    )
        .into_response())
}

// Handles `GET /contexts/{file}`: a shipped JSON-LD context.
pub async fn context(Path(file): Path<String>) -> Response {
    match credentials::CONTEXTS
        .iter()
        .find(|(_, name, _)| *name == file)
    {
        Some((_, _, text)) => (
            [
                (header::CONTENT_TYPE, "application/ld+json"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *text,
        )
            .into_response(),
        None => (axum::http::StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
