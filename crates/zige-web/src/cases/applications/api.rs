//! The JSON API of applications: the applicant's drafts, their evidence,
//! submitting and withdrawing.

use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::Value;

use super::{ApplicationView, EvidenceView};
use crate::cases::accounts::sessions::Viewer;
use crate::cases::{applications, created};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::extract::{whole, ApplicationId, EvidenceId, JsonBody, OptionalJsonBody};
use crate::state::Shared;

// Handles `GET /api/v1/applications`.
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<ApplicationView>, description = "your applications, newest first"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn my_applications(
    State(state): State<Shared>,
    viewer: Viewer,
) -> Result<Json<Vec<ApplicationView>>, ApiErrors> {
    Ok(Json(applications::mine(&state, &viewer).await?))
}

// Handles `POST /api/v1/applications`.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    request_body(content = Option<crate::schemas::ApplicationFormSchema>, description = "optional: a partial form (an empty body starts an empty draft)"),
    responses((status = 201, body = ApplicationView, description = "a draft"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 409, body = ErrorBody, description = "`too_many_drafts`: the account has as many open drafts as allowed (submit or delete one)"), (status = 403, body = ErrorBody, description = "only applicants apply, or a cookie session without its X-CSRF-Token"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn create_application(
    State(state): State<Shared>,
    viewer: Viewer,
    // No body, or `null`, is no form.
    OptionalJsonBody(form): OptionalJsonBody<Value>,
) -> Result<Response, ApiErrors> {
    let draft = applications::create(&state, &viewer, form.unwrap_or(Value::Null)).await?;
    // A new draft has no evidence yet.
    let view = applications::view_with_evidence(&state, &viewer, &draft, Vec::new()).await?;
    Ok(created(view))
}

// Handles `GET /api/v1/applications/{id}`.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ApplicationView, description = "the application; reading it changes nothing (a reviewer's reading is audited)"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application, or not yours")))]
pub async fn application(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let application = applications::read_case(&state, &viewer, id).await?;
    Ok(Json(
        applications::view(&state, &viewer, &application).await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveRequest {
    /// The version read; a stale one gets 409 and nothing is overwritten.
    #[serde(deserialize_with = "whole")]
    pub version: i64,
    #[schema(value_type = crate::schemas::ApplicationFormSchema)]
    pub form: Value,
}

// Handles `PUT /api/v1/applications/{id}`.
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = SaveRequest, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "a stale version, or the application can no longer be edited"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn save_application(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    JsonBody(request): JsonBody<SaveRequest>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let application =
        applications::save(&state, &viewer, id, request.version, request.form).await?;
    Ok(Json(
        applications::view(&state, &viewer, &application).await?,
    ))
}

// Handles `DELETE /api/v1/applications/{id}`.
#[utoipa::path(delete, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "the draft and its evidence are deleted"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "only drafts can be deleted")))]
pub async fn delete_application(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
) -> Result<Response, ApiErrors> {
    applications::delete_draft(&state, &viewer, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Reads the multipart field `file`, refusing more than 10 MiB as it streams.
pub async fn read_upload(mut multipart: Multipart) -> Result<(String, Bytes), ApiError> {
    let no_file = |reason: String| {
        ApiError::invalid(
            "file",
            &reason,
            "a multipart/form-data body with one file field named 'file'",
        )
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e.status(), e.body_text()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("evidence").to_string();
        let mut buffer = bytes::BytesMut::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| multipart_error(e.status(), e.body_text()))?
        {
            if buffer.len() + chunk.len() > zige_cases::MAX_EVIDENCE_BYTES {
                return Err(applications::too_large(buffer.len() + chunk.len()));
            }
            buffer.extend_from_slice(&chunk);
        }
        if buffer.is_empty() {
            return Err(ApiError::invalid(
                "file",
                &name,
                "a non-empty PDF, JPEG or PNG",
            ));
        }
        return Ok((name, buffer.freeze()));
    }
    Err(no_file("no field named 'file'".into()))
}

fn multipart_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        applications::too_large(zige_cases::MAX_EVIDENCE_BYTES + 1)
    } else {
        ApiError::invalid(
            "file",
            &text,
            "a multipart/form-data body with one file field named 'file'",
        )
    }
}

// Handles `POST /api/v1/applications/{id}/evidence`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/evidence", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    request_body(content_type = "multipart/form-data", content = crate::schemas::EvidenceUpload, description = "one field `file`: PDF, JPEG or PNG (by content), at most 10 MB"),
    responses((status = 201, body = EvidenceView), (status = 400, body = ErrorBody, description = "no non-empty `file` field, or the application has 20 files already"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application can no longer be changed, or it has as many files as allowed (`too_many_files`)"), (status = 413, body = ErrorBody, description = "the file is larger than 10 MB, or the account's evidence would exceed its storage limit (`storage_limit`)"), (status = 415, body = ErrorBody, description = "not multipart/form-data, or the file is not a PDF, JPEG or PNG")))]
pub async fn upload_evidence(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiErrors> {
    let multipart = multipart.map_err(|e| {
        ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-multipart",
            &[("reason", e.body_text())],
        )
        .with_field("content-type")
        .with_allowed("multipart/form-data")
    })?;
    // Check access before reading the body: a stranger learns nothing.
    applications::load(&state, &viewer, id).await?;
    let (name, bytes) = read_upload(multipart).await?;
    Ok(created(
        applications::add_evidence(&state, &viewer, id, &name, bytes).await?,
    ))
}

// Handles `GET /api/v1/applications/{id}/evidence/{evidence}`.
#[utoipa::path(get, path = "/api/v1/applications/{id}/evidence/{evidence}", tag = "applications", params(("id" = i64, Path), ("evidence" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "the file, with its content type", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application or evidence, or not yours")))]
pub async fn evidence_file(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    EvidenceId(evidence): EvidenceId,
) -> Result<Response, ApiErrors> {
    let (media_type, name, bytes) =
        applications::evidence_file(&state, &viewer, id, evidence).await?;
    Ok(evidence_response(
        media_type,
        &name,
        bytes,
        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'",
    ))
}

// Handles `DELETE /api/v1/applications/{id}/evidence/{evidence}`.
#[utoipa::path(delete, path = "/api/v1/applications/{id}/evidence/{evidence}", tag = "applications", params(("id" = i64, Path), ("evidence" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "the file is removed from the application and no longer counts against your storage"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application or evidence, or not yours"), (status = 409, body = ErrorBody, description = "the application can no longer be changed")))]
pub async fn remove_evidence(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    EvidenceId(evidence): EvidenceId,
) -> Result<Response, ApiErrors> {
    applications::remove_evidence(&state, &viewer, id, evidence).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An evidence file, inline, never cached, under the content security
/// policy `csp`.
pub fn evidence_response(
    media_type: zige_cases::MediaType,
    name: &str,
    bytes: bytes::Bytes,
    csp: &'static str,
) -> Response {
    let disposition = format!("inline; filename*=UTF-8''{}", urlencoding::encode(name));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(media_type.mime()),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(csp),
            ),
        ],
        bytes,
    )
        .into_response()
}

// Handles `POST /api/v1/applications/{id}/submit`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "every missing or invalid field"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, a cookie session without its X-CSRF-Token, or `email_unverified`: the applicant confirms their e-mail address first (when the service sends mail)"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application cannot be submitted in its state")))]
pub async fn submit(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let (application, evidence) = applications::submit(&state, &viewer, id).await?;
    Ok(Json(
        applications::view_with_evidence(&state, &viewer, &application, evidence).await?,
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct ReasonBody {
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u0600-\\u0605\\u061c\\u06dd\\u070f\\u0890\\u0891\\u08e2\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb\u{110BD}\u{110CD}\u{13430}-\u{1343F}\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]*$"
    )]
    pub reason: String,
}

// Handles `POST /api/v1/applications/{id}/withdraw`.
#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", params(("id" = i64, Path)), request_body(content = Option<ReasonBody>, description = "optional: the reason"), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application cannot be withdrawn in its state"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn withdraw(
    State(state): State<Shared>,
    viewer: Viewer,
    ApplicationId(id): ApplicationId,
    // No body, or `null`, is no reason.
    OptionalJsonBody(body): OptionalJsonBody<Option<ReasonBody>>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let reason = body.flatten().unwrap_or_default().reason;
    let application = applications::withdraw(&state, &viewer, id, &reason).await?;
    Ok(Json(
        applications::view(&state, &viewer, &application).await?,
    ))
}
