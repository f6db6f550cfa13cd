//! `POST /api/v1/search/text`: a text in (plain UTF-8, or JSON with its
//! `text`), every recognised qualification it names out, each with the
//! address of its check.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

use super::{allowed, body_too_large, find, refusal, TextSearchAnswer, MAX_TEXT_CHARS};
use crate::error::{ApiError, ErrorBody};
use crate::protect::NO_STORE;
use crate::state::Shared;

/// A text with at least one character that is not space: the complement
/// of [`super::blank`], written out so that every regular-expression
/// engine reads it alike.
pub const NOT_ONLY_SPACE: &str = "[^\\t-\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";

/// The text to read: a CV, a profile, a certificate's wording.
pub struct PastedText;

impl utoipa::PartialSchema for PastedText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "The text to read: a CV, a profile, a certificate's wording; \
                 1 to {MAX_TEXT_CHARS} characters (Unicode scalar values), not all spaces"
            )))
            .min_length(Some(1))
            .max_length(Some(MAX_TEXT_CHARS))
            .pattern(Some(NOT_ONLY_SPACE))
            .into()
    }
}

impl ToSchema for PastedText {}

/// The text, as a JSON object.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TextQuery {
    #[schema(value_type = PastedText)]
    text: String,
}

/// How the body is sent.
enum Media {
    Plain,
    Json,
}

// Handles `POST /api/v1/search/text`.
/// Find every recognised qualification a text names.
#[utoipa::path(post, path = "/api/v1/search/text", tag = "search",
    request_body(description = "The text: plain UTF-8, or a JSON object with the member `text`", content(
        (PastedText = "text/plain"),
        (TextQuery = "application/json"))),
    responses(
        (status = 200, body = TextSearchAnswer, description = "every entry the text names, in the order it first names them; none: `hits` is empty"),
        (status = 400, body = ErrorBody, description = "the text is empty or only spaces, has more than 20,000 characters (its length and the limit named), is not UTF-8, or the JSON has no string `text`"),
        (status = 413, body = ErrorBody, description = "the body is larger than 256 KB"),
        (status = 415, body = ErrorBody, description = "the body is neither text/plain (UTF-8) nor application/json"),
        (status = 503, body = ErrorBody, description = "too many texts are being read at once; try again after `Retry-After` seconds")))]
pub async fn search_text(
    State(state): State<Shared>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let media = media(&headers)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            body_too_large()
        } else {
            ApiError::invalid("text", "(unreadable body)", &allowed())
        }
    })?;
    let text = match media {
        Media::Plain => plain(body)?,
        Media::Json => member(&body)?,
    };
    if let Some(refused) = refusal(&text) {
        return Err(refused.api_error(&text));
    }
    let answer = find(state.current(), text).await?;
    // The text may be a person's CV: what is found in it is theirs.
    Ok((
        [(header::CACHE_CONTROL, HeaderValue::from_static(NO_STORE))],
        Json(answer),
    )
        .into_response())
}

/// The body's media type: plain text in UTF-8 (or ASCII), or JSON; 415
/// for anything else, naming what was sent.
fn media(headers: &HeaderMap) -> Result<Media, ApiError> {
    let given = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_string();
    let mut parts = given.split(';');
    let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches('"').to_ascii_lowercase())
    });
    let utf8 = charset
        .as_deref()
        .is_none_or(|c| matches!(c, "utf-8" | "utf8" | "us-ascii"));
    match essence.as_str() {
        "text/plain" if utf8 => Ok(Media::Plain),
        "application/json" => Ok(Media::Json),
        _ => Err(ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-text-media-type",
            &[],
        )
        .with_field("content-type")
        .with_value(given)
        .with_allowed("text/plain; charset=utf-8, application/json")),
    }
}

/// A plain-text body as text: 400 at the first byte that is not UTF-8.
fn plain(body: Bytes) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ApiError::localized(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "api-text-not-utf8",
            &[("at", at.to_string())],
        )
        .with_field("text")
        .with_value(format!("a byte that is not UTF-8 at offset {at}"))
        .with_allowed("UTF-8 text")
    })
}

/// The string `text` of a JSON object: 400 naming `body` when it is no
/// object, `text` when the member is missing or not a string.
fn member(body: &[u8]) -> Result<String, ApiError> {
    let shape = "a JSON object with the member text";
    let value: Value = serde_json::from_slice(if body.is_empty() { b"null" } else { body })
        .map_err(|e| ApiError::invalid("body", &e.to_string(), shape))?;
    let Value::Object(mut object) = value else {
        return Err(ApiError::invalid("body", &short(&value), shape));
    };
    match object.remove("text") {
        Some(Value::String(text)) => Ok(text),
        None => Err(ApiError::invalid("text", "(missing)", &allowed())),
        Some(other) => Err(ApiError::invalid("text", &short(&other), &allowed())),
    }
}

/// A JSON value as the error quotes it: at most 40 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}
