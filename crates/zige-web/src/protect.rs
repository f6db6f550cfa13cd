//! Response hardening shared by every route: security headers on pages,
//! `Cache-Control: private, no-store` on personal data, and the API's
//! non-JSON errors (413, 414, extractor rejections) put in the envelope.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::state::Shared;

/// Pages load only their own script, styles and images (the QR code is
/// inline SVG with presentation attributes, no `style`); no inline script,
/// no plug-ins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
pub const HSTS: &str = "max-age=31536000; includeSubDomains";
pub const NO_STORE: &str = "private, no-store";

/// The longest query string the API reads. (A request line over 64 KiB is
/// refused by hyper itself, before any of this runs, with a bare 414.)
pub const MAX_QUERY: usize = 8 * 1024;

/// HTML gets a CSP and `X-Frame-Options: DENY`; everything gets HSTS when
/// the public address is https.
pub async fn security_headers(State(state): State<Shared>, req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let html = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = r.headers_mut();
    if html {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if state
        .cases
        .as_ref()
        .is_some_and(|c| c.public_url.starts_with("https://"))
    {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    r
}

/// API paths whose answers are about a person (their account, their
/// applications, the review queue, administration).
fn personal(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("/api/v1/") else {
        return false;
    };
    [
        "me",
        "session",
        "accounts",
        "applications",
        "review",
        "admin",
        "decisions",
    ]
    .iter()
    .any(|p| rest == *p || rest.starts_with(&format!("{p}/")))
}

/// `Cache-Control: private, no-store` on personal API answers, on every
/// page for a signed-in viewer (any request with a session), on anything
/// else asked with credentials that is not already marked, and on any
/// answer that sets a cookie.
pub async fn no_store(req: Request, next: Next) -> Response {
    let personal = personal(req.uri().path());
    let credentials = req.headers().contains_key(header::AUTHORIZATION)
        || crate::cases::accounts::sessions::cookie_value(
            req.headers(),
            crate::cases::accounts::sessions::COOKIE,
        )
        .is_some();
    let mut r = next.run(req).await;
    let sets_cookie = r.headers().contains_key(header::SET_COOKIE);
    let page = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = r.headers_mut();
    let unmarked = !h.contains_key(header::CACHE_CONTROL);
    if personal || sets_cookie || (credentials && (page || unmarked)) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    }
    r
}

/// Every API error in the envelope: a query longer than [`MAX_QUERY`] is
/// 414; a 413 from the body limit, and any other error that is not JSON
/// (an extractor's plain-text rejection), is rewritten as one.
pub async fn api_errors(req: Request, next: Next) -> Response {
    let query = req.uri().query().map_or(0, str::len);
    if query > MAX_QUERY {
        return query_too_long(query).into_response();
    }
    let response = next.run(req).await;
    let status = response.status();
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return response;
    }
    let retry = response.headers().get(header::RETRY_AFTER).cloned();
    let text = match axum::body::to_bytes(response.into_body(), 4096).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_string(),
        Err(_) => String::new(),
    };
    let mut out = enveloped(status, &text).into_response();
    if let Some(v) = retry {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    *out.status_mut() = status;
    out
}

/// The 414 of a query string of `length` bytes.
fn query_too_long(length: usize) -> ApiError {
    ApiError::localized(
        StatusCode::URI_TOO_LONG,
        "uri_too_long",
        "api-uri-too-long",
        &[
            ("length", length.to_string()),
            ("max", MAX_QUERY.to_string()),
        ],
    )
    .with_field("query")
    .with_value(length.to_string())
    .with_allowed(format!("at most {MAX_QUERY} bytes"))
}

/// A plain-text error answer (its status and body text) as an [`ApiError`].
fn enveloped(status: StatusCode, text: &str) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        let mut e = ApiError::localized(status, "payload_too_large", "api-body-too-large", &[]);
        if !text.is_empty() {
            e.detail = format!("{}: {text}", e.detail);
        }
        return e;
    }
    let reason = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text.to_string()
    };
    ApiError::localized(
        status,
        error_code(status),
        "api-not-processed",
        &[("reason", reason)],
    )
}

/// The envelope's `code` of an error status.
fn error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        404 => "not_found",
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "timeout",
        411 => "length_required",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        _ if status.is_server_error() => "internal",
        _ => "error",
    }
}
