//! Extractors of the cases' handlers, so that each handler states only
//! its own work: a JSON body answering 415/400 in the error envelope,
//! record numbers from the path (404 when they are not numbers), the
//! signed-in roles, and the client's address.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use crate::cases::accounts::sessions::Viewer;
use crate::cases::accounts::throttle::client_address;
use crate::error::ApiError;
use crate::render::{not_found, Ctx};
use crate::state::Shared;

// ---------- JSON bodies ----------

/// Parses a JSON body: 415 unless it is JSON, 400 naming what is wrong.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> Result<T, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("application/json") {
        return Err(ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-json-body",
            &[],
        )
        .with_field("content-type")
        .with_value(content_type)
        .with_allowed("application/json"));
    }
    let body: &[u8] = if body.is_empty() { b"null" } else { body };
    let invalid = |reason: String| {
        ApiError::invalid(
            "body",
            &reason,
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

/// The request body, as [`json_body`] reads it. A body over the size
/// limit is refused as the body extractor refuses it.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Shared> for JsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Shared) -> Result<Self, Response> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        json_body(&headers, &body)
            .map(JsonBody)
            .map_err(IntoResponse::into_response)
    }
}

/// An optional JSON body: `None` when the body is empty (whatever its
/// content type), otherwise as [`JsonBody`].
pub struct OptionalJsonBody<T>(pub Option<T>);

impl<T: DeserializeOwned> FromRequest<Shared> for OptionalJsonBody<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &Shared) -> Result<Self, Response> {
        let headers = request.headers().clone();
        let body = Bytes::from_request(request, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if body.is_empty() {
            return Ok(OptionalJsonBody(None));
        }
        json_body(&headers, &body)
            .map(|value| OptionalJsonBody(Some(value)))
            .map_err(IntoResponse::into_response)
    }
}

/// A whole number, also when written as a float (`3.0`): JSON Schema's
/// `integer` takes both.
pub fn whole<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(deserializer)?;
    number
        .as_i64()
        .or_else(|| {
            number
                .as_f64()
                .filter(|float| float.fract() == 0.0 && float.abs() < 9.0e15)
                .map(|float| float as i64)
        })
        .ok_or_else(|| {
            serde::de::Error::custom(format!("invalid value {number}: expected a whole number"))
        })
}

/// [`whole`], for an optional number.
pub fn opt_whole<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Whole(#[serde(deserialize_with = "whole")] i64);
    Ok(Option::<Whole>::deserialize(deserializer)?.map(|number| number.0))
}

// ---------- record numbers in the path ----------

/// The number in the path parameter `name`; anything but a number is
/// simply not found, as a `what` named by the text given.
async fn number_in_path(
    parts: &mut Parts,
    state: &Shared,
    name: &str,
    what: &str,
) -> Result<i64, Response> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let text = params.get(name).map(String::as_str).unwrap_or("");
    text.parse::<i64>()
        .map_err(|_| ApiError::not_found(what, text, Vec::new()).into_response())
}

/// The application number in an API path's `{id}`.
pub struct ApplicationId(pub i64);

impl FromRequestParts<Shared> for ApplicationId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        number_in_path(parts, state, "id", "application")
            .await
            .map(ApplicationId)
    }
}

/// The message number in an API path's `{id}` (the mail log).
pub struct MailId(pub i64);

impl FromRequestParts<Shared> for MailId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        number_in_path(parts, state, "id", "message")
            .await
            .map(MailId)
    }
}

/// The reason template's number in an API path's `{id}`.
pub struct TemplateId(pub i64);

impl FromRequestParts<Shared> for TemplateId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        number_in_path(parts, state, "id", "reason template")
            .await
            .map(TemplateId)
    }
}

/// The evidence number in an API path's `{evidence}`.
pub struct EvidenceId(pub i64);

impl FromRequestParts<Shared> for EvidenceId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        number_in_path(parts, state, "evidence", "evidence")
            .await
            .map(EvidenceId)
    }
}

/// The account number in an API path's `{id}`.
pub struct UserId(pub i64);

impl FromRequestParts<Shared> for UserId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Response> {
        number_in_path(parts, state, "id", "user").await.map(UserId)
    }
}

/// A positive record number, as pages take them.
pub fn page_number(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|number| *number > 0)
}

/// The record number in a page's path `{id}`; anything else is the 404
/// page of this address.
pub struct PageId(pub i64);

impl FromRequestParts<Shared> for PageId {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<PageId, Response> {
        let id = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Path(params)| params.get("id").and_then(|text| page_number(text)));
        match id {
            Some(number) => Ok(PageId(number)),
            None => Err(not_found(
                state,
                &Ctx::from_request_parts(parts, state).await?,
            )),
        }
    }
}

// ---------- who asks ----------

/// A signed-in reviewer or admin (403 for anyone else signed in).
pub struct Reviewer(pub Viewer);

impl FromRequestParts<Shared> for Reviewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        viewer.require(viewer.user.role.reviews())?;
        Ok(Reviewer(viewer))
    }
}

/// A signed-in admin (403 for anyone else signed in).
pub struct Administrator(pub Viewer);

impl FromRequestParts<Shared> for Administrator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        viewer.require(viewer.is(zige_cases::Role::Admin))?;
        Ok(Administrator(viewer))
    }
}

/// The client's address for throttling, as
/// [`client_address`] reads it from the connection and the trusted
/// proxies' `X-Forwarded-For`.
pub struct ClientAddress(pub String);

impl FromRequestParts<Shared> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| *address);
        Ok(ClientAddress(client_address(
            &parts.headers,
            peer,
            &state.trusted_proxies,
        )))
    }
}
