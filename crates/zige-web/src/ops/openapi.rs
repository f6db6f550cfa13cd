//! The OpenAPI document of the whole API (`/api/openapi.json`), gathered
//! from the catalogue's, the editions' and the cases' handlers.

use axum::Json;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation as Op, PathItem};
use utoipa::OpenApi;
use zige_catalog::Lang;

use crate::catalogue::api::{self as catalogue, CatalogSummary, EntriesPage};
use crate::error::{ApiError, ErrorBody};
use crate::i18n::Tr;
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
        crate::catalogue::text_search::api::search_text,
        catalogue::check,
        crate::batch::api::check_batch,
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

/// The whole API: catalogue and cases, each operation described in both
/// languages.
pub fn openapi_doc() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::cases::CasesDoc::openapi());
    doc.merge(crate::editions::api::EditionsDoc::openapi());
    doc.merge(crate::statistics::api::StatisticsDoc::openapi());
    describe(&mut doc);
    doc
}

/// One operation of the API as the reference page lists it.
pub struct Operation {
    pub method: &'static str,
    pub path: String,
    pub description: String,
}

/// The Fluent key describing an operation: `op-get-api-v1-search` for
/// `GET /api/v1/search` (`i18n/*/api_operations.ftl`).
pub fn description_key(method: &str, path: &str) -> String {
    let mut key = format!("op-{}", method.to_ascii_lowercase());
    for part in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !part.is_empty() {
            key.push('-');
            key.push_str(part);
        }
    }
    key
}

/// Every operation of a path item, with its method.
fn methods(item: &mut PathItem) -> [(&'static str, &mut Option<Op>); 5] {
    [
        ("GET", &mut item.get),
        ("POST", &mut item.post),
        ("PUT", &mut item.put),
        ("PATCH", &mut item.patch),
        ("DELETE", &mut item.delete),
    ]
}

/// Fills each operation's summary and description: English in `summary`
/// and `description`, Chinese in `x-summary-zh`.
fn describe(doc: &mut utoipa::openapi::OpenApi) {
    let en = Tr { lang: Lang::En };
    let zh = Tr { lang: Lang::Zh };
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in methods(item) {
            let Some(op) = op else { continue };
            let key = description_key(method, path);
            let (english, chinese) = (en.msg(&key), zh.msg(&key));
            op.description = Some(format!("{english}\n\n{chinese}"));
            op.summary = Some(english);
            let zh_summary = ExtensionsBuilder::new()
                .add("x-summary-zh", chinese)
                .build();
            match &mut op.extensions {
                Some(extensions) => extensions.merge(zh_summary),
                None => op.extensions = Some(zh_summary),
            }
        }
    }
}

/// The operations in `tr`'s language, in the document's order.
pub fn operations(tr: &Tr) -> Vec<Operation> {
    let mut doc = openapi_doc();
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths.iter_mut() {
        for (method, op) in methods(item) {
            if op.is_some() {
                out.push(Operation {
                    method,
                    path: path.clone(),
                    description: tr.msg(&description_key(method, path)),
                });
            }
        }
    }
    out
}

/// Handles `GET /api/openapi.json`.
pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi_doc())
}
