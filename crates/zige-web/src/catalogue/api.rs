//! The catalogue's JSON API under `/api/v1`, with the same shapes as the
//! CLI's `--json` (entry, search hits, decision) and the same ids (stable
//! id, U1, G31). A handler's doc comment is its summary in the OpenAPI
//! document, so the route it handles is named in a plain comment above it.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::Value;
use sha2::Digest;
use utoipa::{IntoParams, ToSchema};
use zige_catalog::Entry;
use zige_search::{Facets, SearchResult};

use crate::catalogue::{filters, find_entry, number};
use crate::error::{ApiError, ApiErrors, ErrorBody};
use crate::state::{AppState, Edition, Shared};

/// Query parameters are taken as text and checked here, so that a bad one
/// is answered with the field, the value and what is allowed.
pub type Params = Query<HashMap<String, String>>;

/// The filters of `/entries` and `/search` (all in the query string; an
/// empty value is no filter).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FilterParams {
    /// `urgent` or `general` (or the letters U, G), any case.
    #[param(pattern = "^\\s*([uU][rR][gG][eE][nN][tT]|[gG][eE][nN][eE][rR][aA][lL]|[uUgG])?\\s*$")]
    list: Option<String>,
    /// Field key (e.g. `finance`), Chinese or English name.
    field: Option<String>,
    /// ISO 3166 code (e.g. `GB`), Chinese or English name, or `international`.
    region: Option<String>,
    /// `intermediate` or `deputy_senior` (also `deputy-senior`, 中级, 副高级).
    #[param(pattern = "^\\s*(intermediate|deputy_senior|deputy-senior|中级|副高级)?\\s*$")]
    title: Option<String>,
    /// Years of experience the entry requires (0 = none).
    #[param(minimum = 0, maximum = 255)]
    experience: Option<u8>,
    /// Edition, e.g. `beijing/3.0` (default: the edition in force).
    #[param(pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$")]
    catalog: Option<String>,
}

/// A JSON answer with an ETag (304 when the client has it) and caching.
pub fn cached_json<T: Serialize>(headers: &HeaderMap, value: &T) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let etag = etag_of(&body);
    cached_bytes(headers, Bytes::from(body), &etag, "application/json")
}

/// A strong ETag: the first 12 bytes of the body's SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let hash = sha2::Sha256::digest(body);
    format!(
        "\"{}\"",
        hash.iter()
            .take(12)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

pub fn cached_bytes(headers: &HeaderMap, body: Bytes, etag: &str, content_type: &str) -> Response {
    let cache = (
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    let tag = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"0\""));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag), cache]).into_response();
    }
    let ct = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        StatusCode::OK,
        [(header::ETAG, tag), cache, (header::CONTENT_TYPE, ct)],
        body,
    )
        .into_response()
}

#[derive(Serialize, ToSchema)]
pub struct EntriesPage {
    /// The edition: id, jurisdiction, version, published, title, lists.
    #[schema(value_type = crate::schemas::CatalogMeta)]
    pub catalog: Value,
    pub entries: Vec<Entry>,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub facets: Facets,
}

// Handles `GET /api/v1/entries`.
/// List entries, filtered by facets that combine, with facet counts.
#[utoipa::path(get, path = "/api/v1/entries", tag = "catalogue",
    params(FilterParams, ("page" = Option<usize>, Query, minimum = 1, maximum = 10000, description = "1-based page, default 1"), ("per_page" = Option<usize>, Query, minimum = 1, maximum = 200, description = "entries per page, default 50")),
    responses((status = 200, body = EntriesPage), (status = 400, body = ErrorBody, description = "a parameter out of its range, naming it"), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn entries(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Params,
) -> Result<Response, ApiError> {
    let ed = state.edition(query.get("catalog").map(String::as_str))?;
    let filters = filters(&query)?;
    let page = number(&query, "page", 1, 1, 10_000)?;
    let per_page = number(&query, "per_page", 50, 1, 200)?;
    let all: Vec<&Entry> = ed
        .catalog
        .entries
        .iter()
        .filter(|e| filters.accepts(ed.catalog, e))
        .collect();
    let body = EntriesPage {
        catalog: zige_export::catalog_meta(ed.catalog),
        total: all.len(),
        entries: all
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .cloned()
            .collect(),
        page,
        per_page,
        facets: zige_search::facets(ed.catalog, &filters),
    };
    Ok(cached_json(&headers, &body))
}

// Handles `GET /api/v1/entries/{id}`.
/// One entry by stable id or list code (U1, G31).
#[utoipa::path(get, path = "/api/v1/entries/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "Stable id or list code such as G31"), ("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Edition, e.g. beijing/3.0")),
    responses((status = 200, body = Entry), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 404, body = ErrorBody, description = "no such entry (with suggestions) or edition")))]
pub async fn entry(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Params,
) -> Result<Response, ApiError> {
    let ed = state.edition(query.get("catalog").map(String::as_str))?;
    let entry = find_entry(ed.catalog, &id)?;
    Ok(match ed.entry_json(entry) {
        Some((body, etag)) => cached_bytes(&headers, body.clone(), etag, "application/json"),
        None => cached_json(&headers, entry),
    })
}

// Handles `GET /api/v1/search`: the entries matching the whole query, best
// first, then related ones (`related: true`), `limit` of them from `offset`.
/// Search in Chinese or English, best first, with matched spans.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = Option<String>, Query, description = "The query; cut at 256 characters (none: no hits)"), ("limit" = Option<usize>, Query, minimum = 1, maximum = 100, description = "hits, default 10"), ("offset" = Option<usize>, Query, minimum = 0, maximum = 10000, description = "hits to skip, default 0; `total` counts them all"), FilterParams),
    responses((status = 200, body = SearchResult), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn search(
    State(state): State<Shared>,
    RawQuery(raw): RawQuery,
    Query(query): Params,
) -> Result<Response, ApiError> {
    let ed = state.edition(query.get("catalog").map(String::as_str))?;
    let key = (state.index_of(ed), raw.unwrap_or_default());
    let body = match state.search_cache.get(&key) {
        Some(body) => body,
        None => {
            let limit = number(&query, "limit", 10, 1, 100)?;
            let offset = number(&query, "offset", 0, 0, 10_000)?;
            let filters = filters(&query)?;
            let q = query.get("q").map(String::as_str).unwrap_or("");
            let result = ed.searcher.search_page(q, &filters, offset, limit);
            let body = json_bytes(|out| ed.searcher.write_json(&result, out));
            state.search_cache.put(key, body.clone());
            body
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=60"),
        ],
        body,
    )
        .into_response())
}

/// JSON written by `write` into a buffer each worker thread keeps (so a
/// large answer does not grow a new one step by step), then copied out at
/// its exact size.
fn json_bytes(write: impl FnOnce(&mut Vec<u8>) -> serde_json::Result<()>) -> Bytes {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        match write(buffer) {
            Ok(()) => Bytes::copy_from_slice(buffer),
            Err(_) => Bytes::new(),
        }
    })
}

// Handles `POST /api/v1/check`.
/// Decide what a qualification brings a holder, with the reasons.
#[utoipa::path(post, path = "/api/v1/check", tag = "rules",
    params(("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Decide under this edition, e.g. beijing/3.0"), ("on" = Option<String>, Query, format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-", description = "Decide under the edition in force on this day, YYYY-MM-DD, years 1900–2200 (default: today; ignored with `catalog`)")),
    request_body(content = zige_rules::Profile, content_type = "application/json"),
    responses((status = 200, body = zige_rules::Decision), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn check(
    State(state): State<Shared>,
    headers: HeaderMap,
    Query(query): Params,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiErrors> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json_type {
        return Err(ApiError::localized(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "api-profile-not-json",
            &[],
        )
        .into());
    }
    let body = body.map_err(|_| {
        ApiError::localized(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "api-profile-too-large",
            &[],
        )
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("profile", "(bytes)", "a UTF-8 JSON object"))?;
    // Every bad field is named at once, one error each.
    let reading = zige_rules::Reading::json(text).map_err(ApiError::from_input)?;
    let ed = edition_to_decide(&state, &query)?;
    match zige_rules::decide_all(ed.catalog, state.policy, &reading) {
        Ok(decision) => Ok(Json(decision).into_response()),
        Err(errors) => Err(field_errors(errors)),
    }
}

/// The edition a check decides under: `catalog` if given, else the one
/// in force `on` a day, else the one in force today.
pub(crate) fn edition_to_decide(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<&'static Edition, ApiError> {
    // A day given is checked even beside `catalog`, and an empty one is no day.
    if let Some(on) = query
        .get("on")
        .filter(|on| !zige_catalog::edition::valid_date(on))
    {
        return Err(ApiError::invalid("on", on, "a date as YYYY-MM-DD"));
    }
    match (
        query.get("catalog").filter(|c| !c.is_empty()),
        query.get("on"),
    ) {
        (None, Some(on)) => {
            let j = state.default_jurisdiction();
            state.in_force(&j, on).ok_or_else(|| {
                ApiError::not_found(
                    "catalog",
                    &format!("{j} in force on {on}"),
                    state.catalog_ids(),
                )
            })
        }
        (c, _) => state.edition(c.map(String::as_str)),
    }
}

/// One error per field; a bad request as a whole when any field is
/// malformed, not found when the only problem is an unknown entry.
fn field_errors(errors: Vec<zige_rules::InputError>) -> ApiErrors {
    let mut errors = ApiError::from_inputs(errors);
    if let Some(bad) = errors.iter().position(|e| e.status == 400) {
        let first = errors.remove(bad);
        errors.insert(0, first);
    }
    ApiErrors(errors)
}

#[derive(Serialize, ToSchema)]
pub struct CatalogSummary {
    pub id: String,
    pub jurisdiction: String,
    pub version: String,
    pub published: String,
    /// The first day the edition is in force (`YYYY-MM-DD`).
    pub effective_from: String,
    pub title: zige_catalog::Bilingual,
    pub entries: usize,
    /// In force today for its jurisdiction.
    pub in_force: bool,
    pub links: HashMap<String, String>,
}

fn summary(ed: &Edition, in_force: bool) -> CatalogSummary {
    let c = ed.catalog;
    let links = [
        ("entries", format!("/api/v1/entries?catalog={}", c.id)),
        ("csv", format!("/api/v1/export.csv?catalog={}", c.id)),
        ("xlsx", format!("/api/v1/export.xlsx?catalog={}", c.id)),
        ("json", format!("/api/v1/export.json?catalog={}", c.id)),
        ("jsonld", format!("/api/v1/export.jsonld?catalog={}", c.id)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    CatalogSummary {
        id: c.id.to_string(),
        jurisdiction: c.id.jurisdiction.clone(),
        version: c.id.version.clone(),
        published: c.published.clone(),
        effective_from: ed.effective_from.clone(),
        title: c.title.clone(),
        entries: c.entries.len(),
        in_force,
        links,
    }
}

// Handles `GET /api/v1/catalogs`.
/// The editions Zige holds.
#[utoipa::path(get, path = "/api/v1/catalogs", tag = "catalogue", responses((status = 200, body = Vec<CatalogSummary>)))]
pub async fn catalogs(State(state): State<Shared>, headers: HeaderMap) -> Response {
    let today = crate::state::today();
    let list: Vec<CatalogSummary> = state
        .published()
        .into_iter()
        .map(|e| {
            summary(
                e,
                state
                    .in_force(&e.catalog.id.jurisdiction, &today)
                    .is_some_and(|filters| std::ptr::eq(filters, e)),
            )
        })
        .collect();
    cached_json(&headers, &list)
}

// Handles `GET /api/v1/catalogs/{*rest}`: one edition
// (`{jurisdiction}/{version}`) or a diff (`{a}/diff/{b}`).
/// What changed between two editions: `/api/v1/catalogs/beijing/3.0/diff/beijing/3.0`.
#[utoipa::path(get, path = "/api/v1/catalogs/{a}/diff/{b}", tag = "catalogue",
    params(("a" = String, Path, description = "Older edition, e.g. beijing/3.0 (its slash kept)"), ("b" = String, Path, description = "Newer edition")),
    responses((status = 200, body = zige_catalog::CatalogDiff), (status = 404, body = ErrorBody)))]
pub async fn catalog_path(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(rest): Path<String>,
) -> Result<Response, ApiError> {
    let parts: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [j, v] => {
            let ed = state.edition(Some(&format!("{j}/{v}")))?;
            Ok(cached_json(
                &headers,
                &summary(
                    ed,
                    state
                        .in_force(&ed.catalog.id.jurisdiction, &crate::state::today())
                        .is_some_and(|filters| std::ptr::eq(filters, ed)),
                ),
            ))
        }
        [ja, va, "diff", jb, vb] => {
            let a = state.edition(Some(&format!("{ja}/{va}")))?;
            let b = state.edition(Some(&format!("{jb}/{vb}")))?;
            Ok(cached_json(&headers, &*state.diff(a, b)))
        }
        _ => Err(ApiError::not_found("catalog", &rest, state.catalog_ids())),
    }
}

// Handles `GET /api/v1/export.{csv,xlsx,json,jsonld}` (the router fixes the format).
/// The whole edition as open data.
#[utoipa::path(get, path = "/api/v1/export.{format}", tag = "open data",
    params(("format" = String, Path, pattern = "^(csv|xlsx|json|jsonld)$", description = "csv, xlsx, json or jsonld"), ("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Edition")),
    responses((status = 200, description = "The file, with a download name", content(
        (String = "text/csv; charset=utf-8"),
        (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Object = "application/json"),
        (Object = "application/ld+json"))),
        (status = 400, body = ErrorBody, description = "not an edition id"), (status = 404, body = ErrorBody, description = "no such format or edition")))]
pub async fn export(
    State(state): State<Shared>,
    headers: HeaderMap,
    format: zige_export::Format,
    Query(query): Params,
) -> Result<Response, ApiError> {
    let ed = state.edition(query.get("catalog").map(String::as_str))?;
    let slot = match format {
        zige_export::Format::Json => 0,
        zige_export::Format::Csv => 1,
        zige_export::Format::Xlsx => 2,
        zige_export::Format::JsonLd => 3,
    };
    let (bytes, etag) = ed.exports[slot]
        .get_or_init(|| {
            zige_export::export(ed.catalog, format)
                .map(|b| {
                    let tag = etag_of(&b);
                    (Bytes::from(b), tag)
                })
                .map_err(|e| e.to_string())
        })
        .clone()
        .map_err(|reason| {
            ApiError::localized(
                StatusCode::INTERNAL_SERVER_ERROR,
                "export_failed",
                "api-export-failed",
                &[("reason", reason)],
            )
        })?;
    let mut resp = cached_bytes(&headers, bytes, &etag, format.media_type());
    let name = format!(
        "zige-{}-{}.{}",
        ed.catalog.id.jurisdiction,
        ed.catalog.id.version,
        format.extension()
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
