//! `POST /api/v1/check/batch`: a file of people in, the same file back
//! with each person's answers.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use zige_batch::{Format, CSV_TYPE, XLSX_TYPE};
use zige_catalog::Lang;

use crate::catalogue::api::edition_to_decide;
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::state::Shared;

// Handles `POST /api/v1/check/batch`.
/// Check many people at once: the file back with each person's verdict, title, benefits and unmet conditions.
///
/// The body is a CSV (UTF-8 or GB18030) or an XLSX workbook (its first sheet) with a header row
/// naming profile fields (`entry`, `level`, `experience_years`, `age`, `nationality`, `education`,
/// `beijing_employer`, `high_end_industry`, `project`; or their Chinese names) and optionally `person`,
/// a name the check leaves alone; one person per row, at most 10,000. The answer is the same file in the
/// same format with seven columns added in the language asked for. All or nothing: when any cell is wrong,
/// every wrong cell is named by `row` (as a spreadsheet numbers rows, the header is row 1) and `column`
/// (its letter), and nothing is answered.
#[utoipa::path(post, path = "/api/v1/check/batch", tag = "rules",
    params(
        ("lang" = Option<String>, Query, pattern = "^(zh|en)$", description = "The language of the added columns: zh (default) or en"),
        ("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Decide under this edition, e.g. beijing/3.0"),
        ("on" = Option<String>, Query, format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-", description = "Decide under the edition in force on this day, YYYY-MM-DD (default: today; ignored with `catalog`)")),
    request_body(description = "the people, one per row below a header row", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses(
        (status = 200, description = "the same file with the answers added", headers(("X-Zige-People" = String, description = "how many people were checked")), content(
            (String = "text/csv; charset=utf-8"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = ErrorBody, description = "the file is not readable, a column is unknown or repeated, or cells are wrong: each named by row and column"),
        (status = 404, body = ErrorBody, description = "no such edition"),
        (status = 413, body = ErrorBody, description = "more than 10,000 people or 8 MB"),
        (status = 415, body = ErrorBody, description = "the body is neither text/csv nor an XLSX workbook"),
        (status = 503, body = ErrorBody, description = "too many batch checks are waiting; try again after `Retry-After` seconds")))]
pub async fn check_batch(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiErrors> {
    let format = declared_format(&headers)?;
    let lang = lang_of(&query)?;
    let edition = edition_to_decide(&state, &query)?;
    let body = body.map_err(|_| super::too_large())?;
    let checked = super::run(&state, edition, body, format, lang)
        .await
        .map_err(super::Refused::into_api)?;
    Ok(super::download(checked))
}

/// The format the `Content-Type` names.
fn declared_format(headers: &HeaderMap) -> Result<Format, ApiError> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match media.as_str() {
        CSV_TYPE => Ok(Format::Csv),
        XLSX_TYPE => Ok(Format::Xlsx),
        _ => Err(ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "batch-not-a-spreadsheet",
            &[("given", media.clone())],
        )
        .with_field("Content-Type")
        .with_value(media)
        .with_allowed(format!("{CSV_TYPE}, {XLSX_TYPE}"))),
    }
}

/// `lang`: `zh` unless `en` is asked for.
fn lang_of(query: &HashMap<String, String>) -> Result<Lang, ApiError> {
    match query.get("lang").map(String::as_str) {
        None | Some("zh") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(other) => Err(ApiError::invalid("lang", other, "zh, en")),
    }
}
