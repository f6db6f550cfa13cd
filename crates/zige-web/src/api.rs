//! The JSON API under `/api/v1`, with the same shapes as the CLI's `--json`
//! (entry, search hits, decision) and the same ids (stable id, U1, G31).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::Digest;
use utoipa::{IntoParams, OpenApi, ToSchema};
use zige_catalog::{Catalog, Entry, TitleLevel};
use zige_search::{Facets, Filters, SearchResult};

use crate::error::{ApiError, ErrorBody};
use crate::schemas::Security;
use crate::state::{Edition, Shared};

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

pub fn filters(p: &HashMap<String, String>) -> Result<Filters, ApiError> {
    let get = |k: &str| {
        p.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let title = match get("title") {
        None => None,
        Some(t) => Some(
            TitleLevel::parse(&t)
                .ok_or_else(|| ApiError::invalid("title", &t, "intermediate, deputy_senior"))?,
        ),
    };
    let experience = match get("experience") {
        None => None,
        Some(x) => Some(x.parse::<u8>().map_err(|_| {
            ApiError::invalid("experience", &x, "a whole number of years, 0 for none")
        })?),
    };
    if let Some(l) = get("list") {
        if !["urgent", "general", "u", "g"].contains(&l.to_ascii_lowercase().as_str()) {
            return Err(ApiError::invalid("list", &l, "urgent, general"));
        }
    }
    Ok(Filters {
        list: get("list"),
        field: get("field"),
        region: get("region"),
        title,
        experience,
    })
}

fn number(
    p: &HashMap<String, String>,
    key: &str,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    // Present means a number: `?page=` is not one (the document says integer).
    match p.get(key).map(String::as_str) {
        None => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(key, v, &format!("a whole number from {min} to {max}"))
            }),
    }
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

/// List entries, filtered by facets that combine, with facet counts.
#[utoipa::path(get, path = "/api/v1/entries", tag = "catalogue",
    params(FilterParams, ("page" = Option<usize>, Query, minimum = 1, maximum = 10000, description = "1-based page, default 1"), ("per_page" = Option<usize>, Query, minimum = 1, maximum = 200, description = "entries per page, default 50")),
    responses((status = 200, body = EntriesPage), (status = 400, body = ErrorBody, description = "a parameter out of its range, naming it"), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn entries(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(p): Params,
) -> Result<Response, ApiError> {
    let ed = s.edition(p.get("catalog").map(String::as_str))?;
    let f = filters(&p)?;
    let page = number(&p, "page", 1, 1, 10_000)?;
    let per_page = number(&p, "per_page", 50, 1, 200)?;
    let all: Vec<&Entry> = ed
        .catalog
        .entries
        .iter()
        .filter(|e| f.accepts(ed.catalog, e))
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
        facets: zige_search::facets(ed.catalog, &f),
    };
    Ok(cached_json(&headers, &body))
}

pub fn find_entry<'a>(catalog: &'a Catalog, id: &str) -> Result<&'a Entry, ApiError> {
    catalog.find(id).ok_or_else(|| {
        ApiError::not_found(
            "entry",
            id,
            catalog
                .suggest(id)
                .iter()
                .map(|e| format!("{} {}", e.code, e.name.en))
                .collect(),
        )
    })
}

/// One entry by stable id or list code (U1, G31).
#[utoipa::path(get, path = "/api/v1/entries/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "Stable id or list code such as G31"), ("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Edition, e.g. beijing/3.0")),
    responses((status = 200, body = Entry), (status = 400, body = ErrorBody, description = "not an edition id"), (status = 404, body = ErrorBody, description = "no such entry (with suggestions) or edition")))]
pub async fn entry(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(p): Params,
) -> Result<Response, ApiError> {
    let ed = s.edition(p.get("catalog").map(String::as_str))?;
    Ok(cached_json(&headers, find_entry(ed.catalog, &id)?))
}

/// Search in Chinese or English, best first, with matched spans.
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = Option<String>, Query, description = "The query; cut at 256 characters (none: no hits)"), ("limit" = Option<usize>, Query, minimum = 1, maximum = 100, description = "hits, default 10"), FilterParams),
    responses((status = 200, body = SearchResult), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody, description = "no such edition")))]
pub async fn search(
    State(s): State<Shared>,
    RawQuery(raw): RawQuery,
    Query(p): Params,
) -> Result<Response, ApiError> {
    let ed = s.edition(p.get("catalog").map(String::as_str))?;
    let key = (s.index_of(ed), raw.unwrap_or_default());
    let body = match s.search_cache.get(&key) {
        Some(body) => body,
        None => {
            let limit = number(&p, "limit", 10, 1, 100)?;
            let f = filters(&p)?;
            let q = p.get("q").map(String::as_str).unwrap_or("");
            let result = ed.searcher.search(q, &f, limit);
            let body = axum::body::Bytes::from(serde_json::to_vec(&result).unwrap_or_default());
            s.search_cache.put(key, body.clone());
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

/// Decide what a qualification brings a holder, with the reasons.
#[utoipa::path(post, path = "/api/v1/check", tag = "rules",
    params(("catalog" = Option<String>, Query, pattern = "^([a-z0-9.-]{1,40}/[a-z0-9.-]{1,40})?$", description = "Decide under this edition, e.g. beijing/3.0"), ("on" = Option<String>, Query, format = Date, pattern = "^(19[0-9]{2}|2[01][0-9]{2}|2200)-", description = "Decide under the edition in force on this day, YYYY-MM-DD, years 1900–2200 (default: today; ignored with `catalog`)")),
    request_body(content = zige_rules::Profile, content_type = "application/json"),
    responses((status = 200, body = zige_rules::Decision), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody)))]
pub async fn check(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(p): Params,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Response, ApiError> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json_type {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the profile must be sent as application/json",
            "请以 application/json 格式提交申请人信息",
        ));
    }
    let body = body.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the profile is larger than 64 KB",
            "提交的内容超过 64 KB",
        )
    })?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid("profile", "(bytes)", "a UTF-8 JSON object"))?;
    let profile = zige_rules::Profile::from_json(text).map_err(ApiError::from_input)?;
    // A day given is checked even beside `catalog`, and an empty one is no day.
    if let Some(on) = p
        .get("on")
        .filter(|on| !zige_catalog::edition::valid_date(on))
    {
        return Err(ApiError::invalid("on", on, "a date as YYYY-MM-DD"));
    }
    let ed = match (p.get("catalog").filter(|c| !c.is_empty()), p.get("on")) {
        (None, Some(on)) => {
            let j = s.default_jurisdiction();
            s.in_force(&j, on).ok_or_else(|| {
                ApiError::not_found("catalog", &format!("{j} in force on {on}"), s.catalog_ids())
            })?
        }
        (c, _) => s.edition(c.map(String::as_str))?,
    };
    let decision =
        zige_rules::decide(ed.catalog, s.policy, &profile).map_err(ApiError::from_input)?;
    Ok(Json(decision).into_response())
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

/// The editions Zige holds.
#[utoipa::path(get, path = "/api/v1/catalogs", tag = "catalogue", responses((status = 200, body = Vec<CatalogSummary>)))]
pub async fn catalogs(State(s): State<Shared>, headers: HeaderMap) -> Response {
    let today = crate::state::today();
    let list: Vec<CatalogSummary> = s
        .published()
        .into_iter()
        .map(|e| {
            summary(
                e,
                s.in_force(&e.catalog.id.jurisdiction, &today)
                    .is_some_and(|f| std::ptr::eq(f, e)),
            )
        })
        .collect();
    cached_json(&headers, &list)
}

/// What changed between two editions: `/api/v1/catalogs/beijing/3.0/diff/beijing/3.0`.
#[utoipa::path(get, path = "/api/v1/catalogs/{a}/diff/{b}", tag = "catalogue",
    params(("a" = String, Path, description = "Older edition, e.g. beijing/3.0 (its slash kept)"), ("b" = String, Path, description = "Newer edition")),
    responses((status = 200, body = zige_catalog::CatalogDiff), (status = 404, body = ErrorBody)))]
pub async fn catalog_path(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(rest): Path<String>,
) -> Result<Response, ApiError> {
    let parts: Vec<&str> = rest.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        [j, v] => {
            let ed = s.edition(Some(&format!("{j}/{v}")))?;
            Ok(cached_json(
                &headers,
                &summary(
                    ed,
                    s.in_force(&ed.catalog.id.jurisdiction, &crate::state::today())
                        .is_some_and(|f| std::ptr::eq(f, ed)),
                ),
            ))
        }
        [ja, va, "diff", jb, vb] => {
            let a = s.edition(Some(&format!("{ja}/{va}")))?;
            let b = s.edition(Some(&format!("{jb}/{vb}")))?;
            Ok(cached_json(&headers, &*s.diff(a, b)))
        }
        _ => Err(ApiError::not_found("catalog", &rest, s.catalog_ids())),
    }
}

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
    State(s): State<Shared>,
    headers: HeaderMap,
    format: zige_export::Format,
    Query(p): Params,
) -> Result<Response, ApiError> {
    let ed = s.edition(p.get("catalog").map(String::as_str))?;
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
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "export_failed",
                e,
                "导出失败",
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

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "alive")))]
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

/// Readiness: the catalogue is loaded and the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "ready"), (status = 503, body = ErrorBody)))]
pub async fn readyz(State(s): State<Shared>) -> Response {
    let db = match &s.store {
        Some(store) => match store.write_probe(crate::auth::now_ms()).await {
            Ok(()) => json!({"backend": store.backend(), "ok": true, "writable": true}),
            Err(e) if store.ping().await.is_ok() => {
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not_writable",
                    format!("the database answers but takes no writes (full disk?): {e}"),
                    "数据库可读但无法写入（磁盘已满？）",
                )
                .into_response()
            }
            Err(e) => {
                return ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "not_ready",
                    format!("the database does not answer: {e}"),
                    "数据库无响应",
                )
                .into_response()
            }
        },
        None => json!({"backend": null, "ok": true}),
    };
    Json(json!({"status": "ready", "catalog": s.current().catalog.id.to_string(), "entries": s.current().catalog.entries.len(), "database": db})).into_response()
}

/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format")))]
pub async fn metrics(State(s): State<Shared>) -> Response {
    let text = s
        .metrics
        .render(s.started.elapsed(), s.current().catalog.entries.len());
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zige API",
        version = "1",
        description = "Beijing's catalogue of recognised overseas professional qualifications: entries, bilingual search, eligibility decisions and open data. Every failure answers {\"errors\": [...]} with the field, the value and what is allowed."
    ),
    paths(
        entries,
        entry,
        search,
        check,
        catalogs,
        catalog_path,
        export,
        healthz,
        readyz,
        metrics
    ),
    components(schemas(ErrorBody, ApiError, EntriesPage, CatalogSummary)),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// The whole API: catalogue and cases.
pub fn openapi_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::cases::CasesDoc::openapi());
    doc.merge(crate::editions_web::EditionsDoc::openapi());
    doc
}

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_doc())
}
