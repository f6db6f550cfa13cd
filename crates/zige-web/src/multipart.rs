//! Forms posted as `multipart/form-data` (an evidence upload, an official
//! text), read as they stream so that a file over its limit is refused
//! without being held.

use axum::extract::Multipart;
use axum::http::StatusCode;

use crate::render::Params;

/// A form posted as `multipart/form-data`: its text fields (200 characters
/// at most each) and its field `file` (the name given, and the bytes).
#[derive(Default)]
pub struct Multi {
    pub fields: Params,
    pub file: Option<(Option<String>, bytes::Bytes)>,
}

/// Why a multipart form could not be read to its end.
pub enum MultiError {
    /// The file passed the limit.
    TooLarge,
    /// The body is broken (or over the route's limit): its status and why.
    Broken(StatusCode, String),
}

/// Reads a multipart form as it streams, refusing a file over `max` bytes;
/// what was read before a failure is kept (to show the form again).
pub async fn read_multipart(mut multipart: Multipart, max: usize) -> (Multi, Option<MultiError>) {
    let mut out = Multi::default();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(MultiError::Broken(e.status(), e.body_text()))),
        };
        let name = field.name().unwrap_or("").to_string();
        if name != "file" {
            if let Ok(text) = field.text().await {
                out.fields.insert(name, text.chars().take(200).collect());
            }
            continue;
        }
        let file_name = field.file_name().map(str::to_string);
        let mut buf = bytes::BytesMut::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if buf.len() + chunk.len() > max => {
                    return (out, Some(MultiError::TooLarge));
                }
                Ok(Some(chunk)) => buf.extend_from_slice(&chunk),
                Ok(None) => break,
                Err(e) => return (out, Some(MultiError::Broken(e.status(), e.body_text()))),
            }
        }
        out.file = Some((file_name, buf.freeze()));
    }
}
