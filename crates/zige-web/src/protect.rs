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
pub async fn security_headers(State(s): State<Shared>, req: Request, next: Next) -> Response {
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
    if s.cases
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
        || crate::auth::cookie_value(req.headers(), crate::auth::COOKIE).is_some();
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
        let mut e = ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the query string has {query} bytes: at most {MAX_QUERY} are read"),
            format!("查询字符串长 {query} 字节，最多 {MAX_QUERY} 字节"),
        );
        e.field = Some("query".into());
        e.value = Some(query.to_string());
        e.allowed = Some(format!("at most {MAX_QUERY} bytes"));
        return e.into_response();
    }
    let r = next.run(req).await;
    let status = r.status();
    let json = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    if !(status.is_client_error() || status.is_server_error()) || json {
        return r;
    }
    let retry = r.headers().get(header::RETRY_AFTER).cloned();
    let text = match axum::body::to_bytes(r.into_body(), 4096).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_string(),
        Err(_) => String::new(),
    };
    let mut e = if status == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            status,
            "payload_too_large",
            "the request body is larger than this endpoint accepts",
            "请求内容超过此接口允许的大小",
        )
    } else {
        let code = match status.as_u16() {
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
        };
        let en = if text.is_empty() {
            status.canonical_reason().unwrap_or("error").to_string()
        } else {
            text.clone()
        };
        ApiError::new(status, code, en.clone(), format!("请求无法处理：{en}"))
    };
    if !text.is_empty() && status == StatusCode::PAYLOAD_TOO_LARGE {
        e.detail = format!("{}: {text}", e.detail);
    }
    let mut out = e.into_response();
    if let Some(v) = retry {
        out.headers_mut().insert(header::RETRY_AFTER, v);
    }
    *out.status_mut() = status;
    out
}
