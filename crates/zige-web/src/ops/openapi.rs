//! The OpenAPI document of the whole API (`/api/openapi.json`), gathered
//! from the catalogue's, the editions' and the cases' handlers.

use axum::Json;
use utoipa::OpenApi;

use crate::catalogue::api::{self as catalogue, CatalogSummary, EntriesPage};
use crate::error::{ApiError, ErrorBody};
use crate::ops::{health, metrics};
use crate::schemas::Security;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Zige API",
        version = "1",
        description = "Beijing's catalogue of recognised overseas professional qualifications: entries, bilingual search, eligibility decisions and open data. Every failure answers {\"errors\": [...]} with the field, the value and what is allowed."
    ),
    paths(
        catalogue::entries,
        catalogue::entry,
        catalogue::search,
        catalogue::check,
        catalogue::catalogs,
        catalogue::catalog_path,
        catalogue::export,
        health::healthz,
        health::readyz,
        metrics::metrics
    ),
    components(schemas(ErrorBody, ApiError, EntriesPage, CatalogSummary)),
    modifiers(&Security)
)]
pub struct ApiDoc;

/// The whole API: catalogue and cases.
pub fn openapi_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::cases::CasesDoc::openapi());
    doc.merge(crate::editions::api::EditionsDoc::openapi());
    doc
}

/// Handles `GET /api/openapi.json`.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_doc())
}
