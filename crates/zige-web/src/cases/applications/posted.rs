//! The application form as posted: one form, sent either as
//! `application/x-www-form-urlencoded` or, when it carries a file, as
//! `multipart/form-data`; its fields, the file chosen and which button
//! was pressed. Reading it never loses a field: a file over the limit
//! stops the reading, and the fields read before it are kept.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::Form;

use crate::cases::accounts::sessions::Viewer;
use crate::cases::applications;
use crate::error::ApiError;
use crate::render::{fail, Ctx, Params};
use crate::state::Shared;

/// What the person asked for with the button they pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    Save,
    Upload,
    Remove(i64),
    /// On to checking the answers (`continue`, or `submit` of older forms).
    Continue,
}

impl Act {
    /// The button's `action` value; `fallback` when none was sent.
    pub fn of(value: Option<&str>, fallback: Act) -> Act {
        match value.map(str::trim) {
            Some("save") => Act::Save,
            Some("upload") => Act::Upload,
            Some("continue" | "submit") => Act::Continue,
            Some(other) => other
                .strip_prefix("remove:")
                .and_then(|id| id.parse().ok())
                .map(Act::Remove)
                .unwrap_or(fallback),
            None => fallback,
        }
    }
}

/// The posted form: its fields, the file (its name and bytes) and what
/// went wrong reading it.
pub struct PostedForm {
    pub fields: Params,
    pub file: Option<(String, bytes::Bytes)>,
    pub file_error: Option<ApiError>,
    /// The CSRF token was checked (not when the body was too large to read it).
    pub verified: bool,
}

/// Longest text field read from a multipart form: beyond the form's own
/// limits, so that an over-long value is refused with its field named
/// rather than silently cut.
const MAX_FIELD: usize = 4000;

/// Reads the request: signed in (or to the sign-in page), the form in
/// either encoding, and its CSRF token checked unless the body was
/// refused as too large before the token could be read.
pub async fn read(state: &Shared, req: Request) -> Result<(Ctx, Viewer, PostedForm), Response> {
    let (mut parts, body) = req.into_parts();
    let ctx = Ctx::from_request_parts(&mut parts, state).await?;
    let Some(viewer) = ctx.viewer.clone() else {
        return Err(ctx.login());
    };
    let multipart = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/form-data"));
    let req = Request::from_parts(parts, body);
    let mut posted = if multipart {
        match Multipart::from_request(req, state).await {
            Ok(multipart) => read_multipart(multipart).await,
            Err(e) => return Err(fail(state, &ctx, bad_form(e.body_text()).into())),
        }
    } else {
        match Form::<Params>::from_request(req, state).await {
            Ok(Form(fields)) => PostedForm {
                fields,
                file: None,
                file_error: None,
                verified: false,
            },
            Err(e) => return Err(fail(state, &ctx, bad_form(e.body_text()).into())),
        }
    };
    let too_large = posted
        .file_error
        .as_ref()
        .is_some_and(|error| error.status == 413);
    if !too_large {
        viewer
            .check_csrf(posted.fields.get("csrf").map(String::as_str))
            .map_err(|e| fail(state, &ctx, e.into()))?;
        posted.verified = true;
    }
    Ok((ctx, viewer, posted))
}

fn bad_form(text: String) -> ApiError {
    ApiError::invalid("form", &text, "an HTML form")
}

/// Reads a multipart form as it streams, refusing a file over 10 MiB.
async fn read_multipart(mut multipart: Multipart) -> PostedForm {
    let mut out = PostedForm {
        fields: Params::new(),
        file: None,
        file_error: None,
        verified: false,
    };
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return out,
            Err(e) => {
                out.file_error = Some(broken(e.status(), e.body_text()));
                return out;
            }
        };
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            if let Ok(text) = field.text().await {
                out.fields
                    .insert(name, text.chars().take(MAX_FIELD).collect());
            }
            continue;
        }
        let given = field.file_name().unwrap_or("").to_string();
        let mut buffer = bytes::BytesMut::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if buffer.len() + chunk.len() > zige_cases::MAX_EVIDENCE_BYTES => {
                    out.file_error = Some(applications::too_large(buffer.len() + chunk.len()));
                    return out;
                }
                Ok(Some(chunk)) => buffer.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => {
                    out.file_error = Some(broken(e.status(), e.body_text()));
                    return out;
                }
            }
        }
        // A file input left empty sends no name and no bytes.
        if !(given.is_empty() && buffer.is_empty()) {
            out.file = Some((given, buffer.freeze()));
        }
    }
}

/// A body that broke off: over the route's limit (413), or malformed.
fn broken(status: StatusCode, text: String) -> ApiError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        applications::too_large(zige_cases::MAX_EVIDENCE_BYTES + 1)
    } else {
        ApiError::invalid("file", &text, "a file chosen in the upload form")
    }
}

/// The file to store, or why there is none to store.
pub fn file_to_store(posted: &mut PostedForm) -> Result<(String, bytes::Bytes), ApiError> {
    if let Some(error) = posted.file_error.take() {
        return Err(error);
    }
    match posted.file.take() {
        Some((name, bytes)) if bytes.is_empty() => Err(ApiError::invalid(
            "file",
            &name,
            "a non-empty PDF, JPEG or PNG",
        )),
        Some((name, bytes)) if name.is_empty() => Ok(("evidence".into(), bytes)),
        Some(file) => Ok(file),
        None => Err(ApiError::invalid("file", "", "a PDF, JPEG or PNG file")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_pressed_says_what_to_do() {
        assert_eq!(Act::of(Some("save"), Act::Upload), Act::Save);
        assert_eq!(Act::of(Some("remove:12"), Act::Save), Act::Remove(12));
        assert_eq!(Act::of(Some("remove:x"), Act::Save), Act::Save);
        assert_eq!(Act::of(Some("submit"), Act::Save), Act::Continue);
        assert_eq!(Act::of(None, Act::Upload), Act::Upload);
    }
}
