//! Batch checks for employers: a CSV or XLSX of people in, the same file
//! back with each person's answers (`zige-batch` does the work). Both
//! faces share what is here: running the check off the request threads,
//! a few at a time, and the answered file as a download.

pub mod api;
pub mod pages;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;
use zige_batch::{Checked, Format, Refusal};
use zige_catalog::Lang;

use crate::error::ApiError;
use crate::state::{AppState, Edition};

/// The largest batch file: ten thousand people fit in far less.
pub const MAX_BATCH_BODY: usize = 8 << 20;

/// Batch checks running at once; the next wait for a slot, so that a
/// burst of large files cannot take every core from the pages.
static SLOTS: Semaphore = Semaphore::const_new(2);

/// Checks every person of `file` in `format` under `edition`, answering
/// in `lang`.
pub async fn run(
    state: &AppState,
    edition: &'static Edition,
    file: bytes::Bytes,
    format: Format,
    lang: Lang,
) -> Result<Checked, Vec<ApiError>> {
    let _slot = SLOTS
        .acquire()
        .await
        .map_err(|_| vec![ApiError::unavailable()])?;
    let policy = state.policy;
    let catalog = edition.catalog;
    let work = move || zige_batch::check(&file, format, catalog, policy, lang);
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(checked)) => Ok(checked),
        Ok(Err(refusal)) => Err(errors_of(refusal)),
        Err(e) => Err(vec![ApiError::internal(format!("batch check failed: {e}"))]),
    }
}

/// Every problem of a refused file as an API error naming its row and
/// column, the most serious status first.
pub fn errors_of(refusal: Refusal) -> Vec<ApiError> {
    let more = refusal.more;
    let mut out: Vec<ApiError> = refusal.problems.into_iter().map(error_of).collect();
    if more > 0 {
        out.push(ApiError::localized(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "batch-more-problems",
            &[("count", more.to_string())],
        ));
    }
    out.sort_by_key(|e| std::cmp::Reverse(e.status == 413));
    out
}

fn error_of(p: zige_batch::Problem) -> ApiError {
    let (status, code) = match p.kind {
        zige_batch::Kind::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
        _ => (StatusCode::BAD_REQUEST, "bad_request"),
    };
    let mut e = ApiError::new(status, code, p.message.en, p.message.zh)
        .with_field(p.field)
        .with_value(p.value)
        .with_allowed(p.allowed);
    e.row = p.row;
    e.column = p.column;
    e
}

/// The file is over [`MAX_BATCH_BODY`].
pub fn too_large() -> ApiError {
    ApiError::localized(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "batch-too-large",
        &[],
    )
    .with_field("file")
    .with_allowed("at most 8 MB")
}

/// The answered file as a download named after the format.
pub fn download(checked: Checked) -> Response {
    let name = format!("zige-batch-check.{}", checked.format.extension());
    let mut response = (
        [(header::CONTENT_TYPE, checked.format.media_type())],
        checked.bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    if let Ok(v) = HeaderValue::from_str(&checked.people.to_string()) {
        response.headers_mut().insert("x-zige-people", v);
    }
    response
}
