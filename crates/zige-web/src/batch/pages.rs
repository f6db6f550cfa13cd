//! The batch check page for employers: what the file holds (a table of
//! its columns and a ready template), the upload, and every problem of a
//! refused file listed at once, each with its row and column. A file
//! answered comes back as a download; the page stays as it was.

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use zige_batch::{Format, MOST_LISTED, MOST_ROWS, PERSON};
use zige_rules::profile::FIELDS;

use super::{too_large, Refused, MAX_BATCH_BODY};
use crate::catalogue::check::label_key;
use crate::error::ApiError;
use crate::multipart::{read_multipart, MultiError};
use crate::render::{render, said, Page, Problem, Public};
use crate::state::Shared;

/// The most problems the page lists; the rest are counted.
const MOST_SHOWN: usize = 50;

/// A column the file may have: its header, what it holds, what it allows.
pub struct ColumnHelp {
    pub header: &'static str,
    pub label: String,
    pub allowed: String,
}

#[derive(Template)]
#[template(path = "batch/page.html")]
struct BatchPage {
    page: Page,
    columns: Vec<ColumnHelp>,
    problems: Vec<Problem>,
    /// Problems found beyond those listed.
    more: usize,
    most_rows: String,
}

fn columns(tr: &crate::i18n::Tr) -> Vec<ColumnHelp> {
    std::iter::once(PERSON)
        .chain(FIELDS)
        .map(|header| ColumnHelp {
            header,
            label: match header {
                PERSON => tr.msg("batch-person"),
                field => tr.msg(&label_key(field)),
            },
            allowed: tr.msg(&format!("batch-allowed-{header}")),
        })
        .collect()
}

fn page(ctx: &crate::render::Ctx, state: &Shared, refused: Refused) -> BatchPage {
    let tr = ctx.tr;
    let problems = refused.errors;
    let hidden = problems.len().saturating_sub(MOST_SHOWN) + refused.more;
    BatchPage {
        page: ctx.page_at(state, tr.msg("batch-title"), "check", "/check/batch"),
        columns: columns(&tr),
        problems: problems
            .iter()
            .take(MOST_SHOWN)
            .map(|e| Problem {
                href: "#file".into(),
                text: said(&tr, e),
            })
            .collect(),
        more: hidden,
        most_rows: format!("{},{:03}", MOST_ROWS / 1000, MOST_ROWS % 1000),
    }
}

/// Handles `GET /check/batch`.
pub async fn form(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let nothing = Refused {
        errors: Vec::new(),
        more: 0,
    };
    render(&page(&ctx, &state, nothing), &ctx, StatusCode::OK)
}

/// Handles `POST /check/batch`: the answered file, or the page with
/// every problem of the file.
pub async fn check(
    State(state): State<Shared>,
    Public(ctx): Public,
    upload: Result<Multipart, MultipartRejection>,
) -> Response {
    let file = match upload {
        Ok(multipart) => read_file(multipart).await,
        Err(e) => Err(ApiError::invalid(
            "file",
            &e.body_text(),
            "a file chosen in the form",
        )),
    };
    let result = match file {
        Ok(bytes) => {
            let format = Format::of(&bytes);
            super::run(&state, state.current(), bytes, format, ctx.tr.lang).await
        }
        Err(e) => Err(Refused {
            errors: vec![e],
            more: 0,
        }),
    };
    match result {
        Ok(checked) => super::download(checked),
        Err(refused) => {
            let status = crate::render::status_of(&crate::error::ApiErrors(refused.errors.clone()));
            render(&page(&ctx, &state, refused), &ctx, status)
        }
    }
}

/// The file of the form, refused over the limit as it streams.
async fn read_file(multipart: Multipart) -> Result<bytes::Bytes, ApiError> {
    let (form, failed) = read_multipart(multipart, MAX_BATCH_BODY).await;
    match failed {
        Some(MultiError::TooLarge) => Err(too_large()),
        Some(MultiError::Broken(status, _)) if status == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(too_large())
        }
        Some(MultiError::Broken(_, text)) => Err(ApiError::invalid(
            "file",
            &text,
            "a file chosen in the form",
        )),
        None => form
            .file
            .map(|(_, b)| b)
            .filter(|b| !b.is_empty())
            .ok_or_else(|| {
                ApiError::localized(StatusCode::BAD_REQUEST, "bad_request", "batch-no-file", &[])
                    .with_field("file")
            }),
    }
}

/// Handles `GET /check/batch/template.csv`: a file to fill in, with its
/// header and two example people.
pub async fn template() -> Response {
    let head: Vec<&str> = std::iter::once(PERSON).chain(FIELDS).collect();
    let body = format!(
        "\u{feff}{}\nAna Silva,G7,,6,35,foreign,master,true,false,\n王芳,U1,,12,41,chinese,doctorate,true,true,\n",
        head.join(",")
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"zige-batch-template.csv\"",
            ),
        ],
        body,
    )
        .into_response()
}

// Keeps the listing limit of the core and of the page in step.
const _: () = assert!(MOST_SHOWN <= MOST_LISTED);
