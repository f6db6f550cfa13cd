//! The JSON API of recognition cases: accounts, sessions, applications,
//! evidence, review, decisions and their verification. Thin: every
//! handler parses its input and calls [`crate::cases`].

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::OpenApi;

use crate::auth::{self, Viewer};
use crate::cases::{self, *};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::state::Shared;

/// Parses a JSON body: 415 unless it is JSON, 400 naming what is wrong.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiError> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("application/json") {
        let mut e = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as application/json",
            "请求体须为 application/json",
        );
        e.field = Some("content-type".into());
        e.value = Some(ct.into());
        e.allowed = Some("application/json".into());
        return Err(e);
    }
    let body: &[u8] = if body.is_empty() { b"null" } else { body };
    let invalid = |e: String| {
        ApiError::invalid(
            "body",
            &e,
            "a JSON document of the shape in the API reference",
        )
    };
    let value: Value = serde_json::from_slice(body).map_err(|e| invalid(e.to_string()))?;
    // serde would read a list as a struct's fields in order; every body
    // of the API is an object.
    if value.is_array() {
        return Err(invalid("a list where an object belongs".into()));
    }
    serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// A whole number, also when written as a float (`3.0`): JSON Schema's
/// `integer` takes both.
pub fn whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let n = serde_json::Number::deserialize(d)?;
    n.as_i64()
        .or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        })
        .ok_or_else(|| {
            serde::de::Error::custom(format!("invalid value {n}: expected a whole number"))
        })
}

/// [`whole`], for an optional number.
pub fn opt_whole<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "whole")] i64);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

/// A numeric id from the path; anything else is simply not found.
fn num_id(what: &str, s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .map_err(|_| ApiError::not_found(what, s, Vec::new()))
}

fn created<T: serde::Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}

fn peer(ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>) -> Option<SocketAddr> {
    ci.map(|c| c.0 .0)
}

#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = UserView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 409, body = ErrorBody, description = "e-mail already registered"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn create_account(
    State(s): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let a: NewAccount = json_body(&headers, &body)?;
    let u = cases::register(&s, &a).await?;
    Ok(created(UserView::from(&u)))
}

#[utoipa::path(post, path = "/api/v1/session", tag = "accounts", request_body = Credentials,
    responses((status = 201, body = SessionView, description = "a bearer token: send `Authorization: Bearer TOKEN`"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "`bad_credentials`: wrong e-mail address or password; or, after a correct password, `second_factor_required` (no `code`) or `second_factor_wrong`"), (status = 403, body = ErrorBody, description = "`second_factor_enrolment_required`: a reviewer or admin without a second factor sets it up in the browser first"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json"), (status = 429, body = ErrorBody, description = "too many failed attempts for this account or address"), (status = 503, body = ErrorBody, description = "too many sign-ins at once: try again after `Retry-After` seconds")))]
pub async fn create_session(
    State(s): State<Shared>,
    ci: Option<axum::Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let c: Credentials = json_body(&headers, &body)?;
    let v = cases::login(
        &s,
        &c,
        &auth::client_address(&headers, peer(ci), &s.trusted_proxies),
    )
    .await?;
    Ok(created(v))
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "signed out: the token no longer works"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token")))]
pub async fn delete_session(State(s): State<Shared>, v: Viewer) -> Result<Response, ApiErrors> {
    cases::logout(&s, &v).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = UserView), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn me(v: Viewer) -> Json<UserView> {
    Json(UserView::from(&v.user))
}

#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = crate::schemas::PersonalData, description = "everything stored about you: account, applications with timelines and evidence lists, signed decisions"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn export_mine(State(s): State<Shared>, v: Viewer) -> Result<Response, ApiErrors> {
    let doc = cases::export_mine(&s, &v).await?;
    let mut r = Json(doc).into_response();
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"zige-my-data.json\""),
    );
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = Vec<ApplicationView>, description = "your applications, newest first"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session")))]
pub async fn my_applications(
    State(s): State<Shared>,
    v: Viewer,
) -> Result<Json<Vec<ApplicationView>>, ApiErrors> {
    Ok(Json(cases::mine(&s, &v).await?))
}

#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    request_body(content = Option<crate::schemas::ApplicationFormSchema>, description = "optional: a partial form (an empty body starts an empty draft)"),
    responses((status = 201, body = ApplicationView, description = "a draft"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 409, body = ErrorBody, description = "`too_many_drafts`: the account has as many open drafts as allowed (submit or delete one)"), (status = 403, body = ErrorBody, description = "only applicants apply, or a cookie session without its X-CSRF-Token"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn create_application(
    State(s): State<Shared>,
    v: Viewer,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let form: Value = if body.is_empty() {
        Value::Null
    } else {
        // `null` is no form, as an empty body.
        json_body(&headers, &body)?
    };
    let app = cases::create(&s, &v, form).await?;
    Ok(created(cases::view(&s, &v, &app).await?))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = ApplicationView, description = "the application; reading it changes nothing (a reviewer's reading is audited)"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application, or not yours")))]
pub async fn application(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let id = num_id("application", &id)?;
    let app = cases::read_case(&s, &v, id).await?;
    Ok(Json(cases::view(&s, &v, &app).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
pub struct StartReview {
    /// The version read; a stale one gets 409 (default: whatever is current).
    #[serde(default, deserialize_with = "opt_whole")]
    pub version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/review", tag = "review", params(("id" = i64, Path)), request_body(content = StartReview, description = "optional"), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView, description = "the case is now under review (submitted or resubmitted before)"), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer, the application is your own, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 409, body = ErrorBody, description = "already under review or decided, or changed since `version`"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn start_review(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let id = num_id("application", &id)?;
    let r: StartReview = if body.is_empty() {
        StartReview::default()
    } else {
        json_body(&headers, &body)?
    };
    let app = cases::start_review(&s, &v, id, r.version).await?;
    Ok(Json(cases::view(&s, &v, &app).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SaveRequest {
    /// The version read; a stale one gets 409 and nothing is overwritten.
    #[serde(deserialize_with = "whole")]
    pub version: i64,
    #[schema(value_type = crate::schemas::ApplicationFormSchema)]
    pub form: Value,
}

#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), request_body = SaveRequest, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "a stale version, or the application can no longer be edited"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn save_application(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let id = num_id("application", &id)?;
    let r: SaveRequest = json_body(&headers, &body)?;
    let app = cases::save(&s, &v, id, r.version, r.form).await?;
    Ok(Json(cases::view(&s, &v, &app).await?))
}

#[utoipa::path(delete, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 204, description = "the draft and its evidence are deleted"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "only drafts can be deleted")))]
pub async fn delete_application(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiErrors> {
    let id = num_id("application", &id)?;
    cases::delete_draft(&s, &v, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Reads the multipart field `file`, refusing more than 10 MiB as it streams.
pub async fn read_upload(mut m: Multipart) -> Result<(String, Bytes), ApiError> {
    let bad = |e: String| {
        ApiError::invalid(
            "file",
            &e,
            "a multipart/form-data body with one file field named 'file'",
        )
    };
    while let Some(mut field) = m
        .next_field()
        .await
        .map_err(|e| multipart_error(e.status(), e.body_text()))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("evidence").to_string();
        let mut buf = bytes::BytesMut::new();
        while let Some(chunk) = field
            .chunk()
            .await
            .map_err(|e| multipart_error(e.status(), e.body_text()))?
        {
            if buf.len() + chunk.len() > zige_cases::MAX_EVIDENCE_BYTES {
                return Err(cases::too_large(buf.len() + chunk.len()));
            }
            buf.extend_from_slice(&chunk);
        }
        if buf.is_empty() {
            return Err(ApiError::invalid(
                "file",
                &name,
                "a non-empty PDF, JPEG or PNG",
            ));
        }
        return Ok((name, buf.freeze()));
    }
    Err(bad("no field named 'file'".into()))
}

fn multipart_error(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        cases::too_large(zige_cases::MAX_EVIDENCE_BYTES + 1)
    } else {
        ApiError::invalid(
            "file",
            &text,
            "a multipart/form-data body with one file field named 'file'",
        )
    }
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/evidence", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    request_body(content_type = "multipart/form-data", content = crate::schemas::EvidenceUpload, description = "one field `file`: PDF, JPEG or PNG (by content), at most 10 MB"),
    responses((status = 201, body = EvidenceView), (status = 400, body = ErrorBody, description = "no non-empty `file` field, or the application has 20 files already"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application can no longer be changed, or it has as many files as allowed (`too_many_files`)"), (status = 413, body = ErrorBody, description = "the file is larger than 10 MB, or the account's evidence would exceed its storage limit (`storage_limit`)"), (status = 415, body = ErrorBody, description = "not multipart/form-data, or the file is not a PDF, JPEG or PNG")))]
pub async fn upload_evidence(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    m: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, ApiErrors> {
    let id = num_id("application", &id)?;
    let m = m.map_err(|e| {
        let mut err = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("send the file as multipart/form-data: {}", e.body_text()),
            "请以 multipart/form-data 上传文件",
        );
        err.field = Some("content-type".into());
        err.allowed = Some("multipart/form-data".into());
        err
    })?;
    // Check access before reading the body: a stranger learns nothing.
    cases::load(&s, &v, id).await?;
    let (name, bytes) = read_upload(m).await?;
    Ok(created(
        cases::add_evidence(&s, &v, id, &name, bytes).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/evidence/{evidence}", tag = "applications", params(("id" = i64, Path), ("evidence" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, description = "the file, with its content type", content(
        (Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"))), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application or evidence, or not yours")))]
pub async fn evidence_file(
    State(s): State<Shared>,
    v: Viewer,
    Path((id, evidence)): Path<(String, String)>,
) -> Result<Response, ApiErrors> {
    let (id, evidence) = (num_id("application", &id)?, num_id("evidence", &evidence)?);
    let (mt, name, bytes) = cases::evidence_file(&s, &v, id, evidence).await?;
    Ok(evidence_response(
        mt,
        &name,
        bytes,
        "sandbox; default-src 'none'; img-src 'self'; object-src 'self'",
    ))
}

/// An evidence file, inline, never cached, under the content security
/// policy `csp`.
pub fn evidence_response(
    mt: zige_cases::MediaType,
    name: &str,
    bytes: bytes::Bytes,
    csp: &'static str,
) -> Response {
    let disposition = format!("inline; filename*=UTF-8''{}", urlencoding::encode(name));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mt.mime())),
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

#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "every missing or invalid field"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application cannot be submitted in its state")))]
pub async fn submit(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let id = num_id("application", &id)?;
    let app = cases::submit(&s, &v, id).await?;
    Ok(Json(cases::view(&s, &v, &app).await?))
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

#[utoipa::path(post, path = "/api/v1/applications/{id}/withdraw", tag = "applications", params(("id" = i64, Path)), request_body(content = Option<ReasonBody>, description = "optional: the reason"), security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not allowed for your role, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not yours"), (status = 409, body = ErrorBody, description = "the application cannot be withdrawn in its state"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn withdraw(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<ApplicationView>, ApiErrors> {
    let id = num_id("application", &id)?;
    // No body, or `null`, is no reason.
    let r: ReasonBody = if body.is_empty() {
        ReasonBody::default()
    } else {
        json_body::<Option<ReasonBody>>(&headers, &body)?.unwrap_or_default()
    };
    let app = cases::withdraw(&s, &v, id, &r.reason).await?;
    Ok(Json(cases::view(&s, &v, &app).await?))
}

#[utoipa::path(get, path = "/api/v1/review/queue", tag = "review", security(("bearer" = []), ("cookie" = [])),
    params(("state" = Option<String>, Query, pattern = "^\\s*(submitted|under_review|resubmitted)?\\s*$", description = "submitted, under_review, resubmitted (default: all three)"), ("entry" = Option<String>, Query, description = "entry code or id"), ("list" = Option<String>, Query, pattern = "^\\s*([uU][rR][gG][eE][nN][tT]|[gG][eE][nN][eE][rR][aA][lL]|[uUgG])?\\s*$", description = "urgent or general"), ("waiting_days" = Option<i64>, Query, minimum = 0, maximum = 3650, description = "waiting at least this many days"), ("page" = Option<i64>, Query, minimum = 0, maximum = 100000, description = "from 1 (0 is the first page too), 50 per page")),
    responses((status = 200, body = QueueView, description = "oldest submission first"), (status = 400, body = ErrorBody, description = "a parameter is invalid, naming it"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only reviewers and admins"), (status = 404, body = ErrorBody, description = "no such entry")))]
pub async fn review_queue(
    State(s): State<Shared>,
    v: Viewer,
    Query(p): Query<HashMap<String, String>>,
) -> Result<Json<QueueView>, ApiErrors> {
    Ok(Json(cases::queue(&s, &v, &p).await?))
}

#[utoipa::path(post, path = "/api/v1/applications/{id}/decision", tag = "review", params(("id" = i64, Path)), request_body = DecisionRequest, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = DecisionOutcome, description = "rejected or more information requested (a case not yet under review has its review started first, as its own step)"), (status = 201, body = DecisionOutcome, description = "approved: the signed decision and its verification code"),
        (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "not a reviewer, the application is your own, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such application, or not visible to you"), (status = 409, body = ErrorBody, description = "another reviewer decided first, or the rules engine finds the conditions unmet"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn decide(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiErrors> {
    let id = num_id("application", &id)?;
    let r: DecisionRequest = json_body(&headers, &body)?;
    let out = cases::decide(&s, &v, id, &r).await?;
    Ok(if out.decision.is_some() {
        created(out)
    } else {
        Json(out).into_response()
    })
}

#[utoipa::path(get, path = "/api/v1/applications/{id}/decision.json", tag = "review", params(("id" = i64, Path)), security(("bearer" = []), ("cookie" = [])),
    responses((status = 200, body = crate::schemas::SignedDecision, description = "the signed decision: {decision, signature}; check it offline with `zige verify FILE`"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 404, body = ErrorBody, description = "no such application or decision, or not yours")))]
pub async fn decision_json(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiErrors> {
    let id = num_id("application", &id)?;
    let d = cases::signed_decision(&s, &v, id).await?;
    let pretty = serde_json::from_str::<Value>(&d.signed)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(d.signed);
    let disposition = format!("attachment; filename=\"zige-decision-{}.json\"", d.number);
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

#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "verification", params(("code" = String, Path, description = "the 26-character verification code; case, dashes and spaces do not matter")),
    responses((status = 200, body = Verification, description = "valid or revoked; the holder's name is the only personal data shown"), (status = 404, body = ErrorBody, description = "unknown code")))]
pub async fn verify(
    State(s): State<Shared>,
    Path(code): Path<String>,
) -> Result<Response, ApiErrors> {
    let v = cases::verify(&s, &code).await?;
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/keys", tag = "verification", responses((status = 200, body = crate::schemas::KeysView, description = "the keys decisions are signed with")))]
pub async fn keys(State(s): State<Shared>) -> Result<Json<Value>, ApiErrors> {
    let keys: Vec<zige_cases::PublicKey> = s
        .cases()?
        .keys
        .iter()
        .map(zige_cases::PublicKey::of)
        .collect();
    Ok(Json(
        json!({"keys": keys, "canonicalization": "RFC 8785 (JCS) of the `decision` member", "signature": "Ed25519 over those bytes, base64 in signature.value"}),
    ))
}

#[utoipa::path(post, path = "/api/v1/decisions/{code}/revoke", tag = "admin", params(("code" = String, Path)), request_body = crate::schemas::RevokeBody, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = Verification), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "unknown code"), (status = 409, body = ErrorBody, description = "already revoked"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn revoke(
    State(s): State<Shared>,
    v: Viewer,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Verification>, ApiErrors> {
    let r: ReasonBody = json_body(&headers, &body)?;
    Ok(Json(cases::revoke(&s, &v, &code, &r.reason).await?))
}

#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = []), ("cookie" = [])), responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn users(State(s): State<Shared>, v: Viewer) -> Result<Json<Vec<UserView>>, ApiErrors> {
    Ok(Json(
        cases::users(&s, &v)
            .await?
            .iter()
            .map(UserView::from)
            .collect(),
    ))
}

#[utoipa::path(patch, path = "/api/v1/admin/users/{id}", tag = "admin", params(("id" = i64, Path)), request_body = UserUpdate, security(("bearer" = []), ("cookie" = [], "csrf" = [])),
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody, description = "the body or a field is invalid, naming the field, the value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins, or a cookie session without its X-CSRF-Token"), (status = 404, body = ErrorBody, description = "no such user"), (status = 409, body = ErrorBody, description = "you cannot remove your own admin role or disable yourself"), (status = 413, body = ErrorBody, description = "the body is larger than 64 KB"), (status = 415, body = ErrorBody, description = "the body is not application/json")))]
pub async fn update_user(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<UserView>, ApiErrors> {
    let id = num_id("user", &id)?;
    let u: UserUpdate = json_body(&headers, &body)?;
    Ok(Json(UserView::from(
        &cases::update_user(&s, &v, id, &u).await?,
    )))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{id}/second-factor/reset", tag = "admin", security(("bearer" = []), ("cookie" = [], "csrf" = [])), params(("id" = i64, Path, description = "the account's number")),
    responses((status = 204, description = "the factor and recovery codes are removed, the account's sessions end; it enrols again at its next sign-in (audited)"), (status = 400, body = ErrorBody, description = "the id is not a number"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins; or a missing CSRF token on a cookie session"), (status = 404, body = ErrorBody, description = "no such account")))]
pub async fn reset_second_factor(
    State(s): State<Shared>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, ApiErrors> {
    let id = num_id("user", &id)?;
    crate::second_factor::reset(&s, &v, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = []), ("cookie" = [])), params(("before" = Option<i64>, Query, description = "records before this sequence number"), ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "default 100")),
    responses((status = 200, body = crate::schemas::AuditPage, description = "audit records, newest first"), (status = 400, body = ErrorBody, description = "a parameter is invalid, naming it"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only admins")))]
pub async fn audit(
    State(s): State<Shared>,
    v: Viewer,
    Query(p): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiErrors> {
    let num = |k: &str| -> Result<Option<i64>, ApiError> {
        p.get(k)
            .filter(|x| !x.is_empty())
            .map(|x| {
                x.parse::<i64>()
                    .map_err(|_| ApiError::invalid(k, x, "a whole number"))
            })
            .transpose()
    };
    let limit = num("limit")?.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(
            ApiError::invalid("limit", &limit.to_string(), "a whole number from 1 to 500").into(),
        );
    }
    let records = cases::audit(&s, &v, num("before")?, limit).await?;
    Ok(Json(json!({"records": records})))
}

#[derive(OpenApi)]
#[openapi(
    paths(
        create_account,
        create_session,
        delete_session,
        me,
        export_mine,
        my_applications,
        create_application,
        application,
        save_application,
        delete_application,
        upload_evidence,
        evidence_file,
        submit,
        withdraw,
        start_review,
        review_queue,
        decide,
        decision_json,
        verify,
        keys,
        revoke,
        users,
        update_user,
        reset_second_factor,
        audit
    ),
    components(schemas(
        NewAccount,
        Credentials,
        SessionView,
        UserView,
        ApplicationView,
        EvidenceView,
        EventView,
        DecisionSummary,
        SaveRequest,
        DecisionRequest,
        DecisionOutcome,
        Verification,
        QueueView,
        QueueRow,
        UserUpdate,
        ReasonBody,
        StartReview
    ))
)]
pub struct CasesDoc;
