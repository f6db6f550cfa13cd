//! The operations endpoints a supervisor polls: liveness and readiness.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::error::{ApiError, ErrorBody};
use crate::state::Shared;

// Handles `GET /healthz`.
/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "alive")))]
pub async fn healthz() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

// Handles `GET /readyz`.
/// Readiness: the catalogue is loaded and the database answers.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, description = "ready"), (status = 503, body = ErrorBody)))]
pub async fn readyz(State(state): State<Shared>) -> Response {
    let database = match &state.store {
        Some(store) => match database_status(store).await {
            Ok(status) => status,
            Err(e) => return e.into_response(),
        },
        None => json!({"backend": null, "ok": true}),
    };
    let catalog = state.current().catalog;
    Json(json!({"status": "ready", "catalog": catalog.id.to_string(), "entries": catalog.entries.len(), "database": database})).into_response()
}

/// Whether the database answers and takes writes (a 503 when not).
async fn database_status(store: &zige_store::Store) -> Result<Value, ApiError> {
    let unavailable = |code, key: &str, reason: String| {
        ApiError::localized(
            StatusCode::SERVICE_UNAVAILABLE,
            code,
            key,
            &[("reason", reason)],
        )
    };
    match store.write_probe(crate::cases::now_ms()).await {
        Ok(()) => Ok(json!({"backend": store.backend(), "ok": true, "writable": true})),
        Err(e) if store.ping().await.is_ok() => Err(unavailable(
            "not_writable",
            "api-not-writable",
            e.to_string(),
        )),
        Err(e) => Err(unavailable("not_ready", "api-not-ready", e.to_string())),
    }
}
