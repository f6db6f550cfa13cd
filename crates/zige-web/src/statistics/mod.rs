//! Statistics: the public figures (`/statistics`, `GET /api/v1/statistics`),
//! counts under five withheld; and the officials' report (`/reports`,
//! `GET /api/v1/reports/statistics`, CSV and XLSX downloads) with its
//! filters, and its printable monthly form (`/reports/monthly`), for
//! officials and admins only.

pub mod api;
pub mod charts;
pub mod downloads;
pub mod monthly;
pub mod pages;
pub mod tables;
pub mod workbook;

use std::collections::HashMap;

use zige_cases::statistics::{self as stats, Month, PublicStatistics, Query, Report};
use zige_catalog::Catalog;

use crate::cases::accounts::sessions::Viewer;
use crate::cases::{now_ms, Res};
use crate::error::{ApiError, ApiErrors};
use crate::state::Shared;

/// The filters a report takes, in form order.
pub const FILTERS: [&str; 5] = ["from", "to", "edition", "list", "field"];

/// Every published edition, oldest first.
fn catalogs(state: &Shared) -> Vec<&'static Catalog> {
    state.published().iter().map(|e| e.catalog).collect()
}

/// This month in the service's time zone.
fn this_month(state: &Shared) -> Month {
    let date = jiff::Timestamp::now()
        .to_zoned_datetime(state.settings.clock.zone())
        .date();
    Month {
        year: i32::from(date.year()),
        month: date.month() as u8,
    }
}

/// The filters of `params`, every problem at once (400, each naming its
/// field, the value and what is allowed).
pub fn filters(state: &Shared, params: &HashMap<String, String>) -> Res<Query> {
    let given = |k: &str| {
        params
            .get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let mut errors = Vec::new();
    let mut month =
        |k: &str| given(k).and_then(|text| Month::parse(k, &text).map_err(|e| errors.push(e)).ok());
    let mut query = Query {
        from: month("from"),
        to: month("to"),
        ..Query::default()
    };
    query.edition = given("edition");
    query.list = given("list");
    query.field = given("field");
    errors.extend(query.check(&catalogs(state), this_month(state)));
    if errors.is_empty() {
        Ok(query)
    } else {
        Err(ApiErrors(ApiError::from_inputs(errors)))
    }
}

/// The public figures.
pub async fn public(state: &Shared) -> Res<PublicStatistics> {
    let cells = state
        .store()?
        .statistics_cells(now_ms())
        .await
        .map_err(ApiError::from)?;
    Ok(stats::public::public(
        &cells,
        state.current().catalog,
        &catalogs(state),
    ))
}

/// The officials' report under `query`, with the reviewers named.
pub async fn report(state: &Shared, viewer: &Viewer, query: &Query) -> Res<Report> {
    viewer.require(viewer.user.role.reads_statistics())?;
    let store = state.store()?;
    let cells = store
        .statistics_cells(now_ms())
        .await
        .map_err(ApiError::from)?;
    let mut report = stats::report::report(&cells, &catalogs(state), query);
    for row in &mut report.reviewers {
        row.name = match store.user(row.reviewer).await.map_err(ApiError::from)? {
            Some(user) => user.name,
            None => format!("#{}", row.reviewer),
        };
    }
    Ok(report)
}
