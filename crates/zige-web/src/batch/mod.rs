//! Batch checks for employers: a CSV or XLSX of people in, the same file
//! back with each person's answers (`zige-batch` does the work). Both
//! faces share what is here: running the check off the request threads,
//! a few at a time, and the answered file as a download.

pub mod api;
pub mod pages;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use zige_batch::{Checked, Format, Refusal};
use zige_catalog::Lang;

use crate::error::{ApiError, ApiErrors};
use crate::state::{AppState, Edition};
use crate::work_queue::{NotRun, WorkQueue};

/// The largest batch file: ten thousand people fit in far less.
pub const MAX_BATCH_BODY: usize = 8 << 20;

/// Batch checks: two at once, eight waiting.
static QUEUE: WorkQueue = WorkQueue::new(2, 8);

/// A refused file: its problems (the first [`zige_batch::MOST_LISTED`])
/// and how many more there were.
pub struct Refused {
    pub errors: Vec<ApiError>,
    pub more: usize,
}

impl Refused {
    fn of(errors: Vec<ApiError>) -> Refused {
        Refused { errors, more: 0 }
    }

    /// The problems as the API lists them, the count of the rest last.
    pub fn into_api(self) -> ApiErrors {
        let mut errors = self.errors;
        if self.more > 0 {
            errors.push(ApiError::localized(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "batch-more-problems",
                &[("count", self.more.to_string())],
            ));
        }
        ApiErrors(errors)
    }
}

/// Checks every person of `file` in `format` under `edition`, answering
/// in `lang`, in the batch [`QUEUE`].
pub async fn run(
    state: &AppState,
    edition: &'static Edition,
    file: bytes::Bytes,
    format: Format,
    lang: Lang,
) -> Result<Checked, Refused> {
    let (catalog, policy) = (edition.catalog, state.policy);
    let work = move || zige_batch::check(&file, format, catalog, policy, lang);
    match QUEUE.run(work).await {
        Ok(Ok(checked)) => Ok(checked),
        Ok(Err(refusal)) => Err(refused(refusal)),
        Err(NotRun::Full) => Err(Refused::of(vec![
            ApiError::unavailable().with_retry_after(5)
        ])),
        Err(NotRun::Failed(e)) => Err(Refused::of(vec![ApiError::internal(format!(
            "batch check failed: {e}"
        ))])),
    }
}

/// Every problem of a refused file as an API error naming its row and
/// column, a file too large first.
fn refused(refusal: Refusal) -> Refused {
    let mut errors: Vec<ApiError> = refusal.problems.into_iter().map(error_of).collect();
    errors.sort_by_key(|e| std::cmp::Reverse(e.status == 413));
    Refused {
        errors,
        more: refusal.more,
    }
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
