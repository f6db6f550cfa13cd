//! The JSON face: the public figures and the officials' report.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use zige_cases::statistics::{PublicStatistics, Report};

use crate::cases::accounts::sessions::Viewer;
use crate::error::{ApiErrors, ErrorBody};
use crate::state::Shared;

/// The OpenAPI document of the statistics.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(public, report),
    components(schemas(
        PublicStatistics,
        zige_cases::statistics::PublicEntry,
        zige_cases::statistics::PublicMonth,
        Report,
        zige_cases::statistics::Query,
        zige_cases::statistics::Counts,
        zige_cases::statistics::Row,
        zige_cases::statistics::Spread,
        zige_cases::statistics::MonthRow,
        zige_cases::statistics::ReviewerRow
    ))
)]
pub struct StatisticsDoc;

// Handles `GET /api/v1/statistics`.
#[utoipa::path(get, path = "/api/v1/statistics", tag = "statistics",
    responses((status = 200, body = PublicStatistics, description = "applications and outcomes per entry and per month; counts under `suppressed_below` are null"), (status = 503, body = ErrorBody, description = "no database is configured")))]
pub async fn public(State(state): State<Shared>) -> Result<Json<PublicStatistics>, ApiErrors> {
    Ok(Json(super::public(&state).await?))
}

// Handles `GET /api/v1/reports/statistics`.
#[utoipa::path(get, path = "/api/v1/reports/statistics", tag = "statistics", security(("bearer" = []), ("cookie" = [])),
    params(
        ("from" = Option<String>, Query, description = "the first month, YYYY-MM (from 2000-01, not after this month)"),
        ("to" = Option<String>, Query, description = "the last month, YYYY-MM, not before `from`"),
        ("edition" = Option<String>, Query, description = "a published edition, e.g. beijing/3.0"),
        ("list" = Option<String>, Query, description = "a list key (general, urgent) or letter (G, U)"),
        ("field" = Option<String>, Query, description = "a field key"),
    ),
    responses((status = 200, body = Report, description = "the report under the filters"), (status = 400, body = ErrorBody, description = "a filter is invalid: every one named with its value and what is allowed"), (status = 401, body = ErrorBody, description = "not signed in: no, an unknown or an expired session"), (status = 403, body = ErrorBody, description = "only officials and admins")))]
pub async fn report(
    State(state): State<Shared>,
    viewer: Viewer,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Report>, ApiErrors> {
    viewer.require(viewer.user.role.reads_statistics())?;
    let query = super::filters(&state, &params)?;
    Ok(Json(super::report(&state, &viewer, &query).await?))
}
