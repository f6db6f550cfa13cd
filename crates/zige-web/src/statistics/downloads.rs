//! The figures as CSV (with a BOM, so that Excel reads the Chinese): the
//! public figures at `/statistics.csv`, the officials' report under its
//! filters at `/reports/statistics.csv`; the same report as a workbook at
//! `/reports/statistics.xlsx`. In the page's language.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use zige_cases::statistics::{Month, PublicStatistics, Query, Report};

use super::tables::{csv_rows, report_tables};
use super::workbook::workbook;
use crate::i18n::Tr;
use crate::render::{fail, Ctx, Public};
use crate::state::Shared;

fn cell(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// `body` as a file named `name` to save.
fn download(media_type: &str, name: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Response {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        if writer.write_record(&row).is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let body = writer.into_inner().unwrap_or_default();
    download("text/csv; charset=utf-8", name, body)
}

/// The public figures: one line per entry, then one per month.
fn public_rows(tr: &Tr, f: &PublicStatistics) -> Vec<Vec<String>> {
    let head = [
        "stats-csv-table",
        "stats-csv-key",
        "stats-csv-name",
        "stats-applications",
        "stats-approved",
        "stats-rejected",
        "stats-in-progress",
    ];
    let mut rows = vec![head.iter().map(|k| tr.msg(k)).collect()];
    for e in &f.by_entry {
        rows.push(vec![
            "entry".into(),
            e.entry.clone(),
            tr.pick(&e.name),
            cell(e.applications),
            cell(e.approved),
            cell(e.rejected),
            cell(e.in_progress),
        ]);
    }
    for m in &f.by_month {
        rows.push(vec![
            "month".into(),
            m.month.clone(),
            String::new(),
            cell(m.applications),
            cell(m.approved),
            cell(m.rejected),
            String::new(),
        ]);
    }
    rows
}

/// Handles `GET /statistics.csv`.
pub async fn public_csv(State(state): State<Shared>, Public(ctx): Public) -> Response {
    match super::public(&state).await {
        Ok(f) => csv_response("zige-statistics.csv", public_rows(&ctx.tr, &f)),
        Err(e) => fail(&state, &ctx, e),
    }
}

/// The report under the filters given, or the page saying why not
/// (signing in, a refusal, a bad filter).
async fn filtered_report(state: &Shared, ctx: &Ctx) -> Result<Report, Response> {
    let Some(viewer) = ctx.viewer.clone() else {
        return Err(ctx.login());
    };
    let report = match super::filters(state, &ctx.query) {
        Ok(query) => super::report(state, &viewer, &query).await,
        Err(e) => Err(e),
    };
    report.map_err(|e| fail(state, ctx, e))
}

/// Handles `GET /reports/statistics.csv`: the report under the filters given.
pub async fn report_csv(State(state): State<Shared>, ctx: Ctx) -> Response {
    match filtered_report(&state, &ctx).await {
        Ok(r) => csv_response(
            "zige-report.csv",
            csv_rows(&ctx.tr, &report_tables(&ctx.tr, &r)),
        ),
        Err(page) => page,
    }
}

/// Handles `GET /reports/statistics.xlsx`: the same as a workbook, a
/// sheet for each table after one naming the filters.
pub async fn report_xlsx(State(state): State<Shared>, ctx: Ctx) -> Response {
    let report = match filtered_report(&state, &ctx).await {
        Ok(r) => r,
        Err(page) => return page,
    };
    let tr = ctx.tr;
    let about = about(&state, &ctx, &report.query);
    match workbook(&tr, &about, &report_tables(&tr, &report)) {
        Ok(body) => download(XLSX, "zige-report.xlsx", body),
        Err(e) => {
            tracing::error!(error = %e, "could not write the workbook");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The key of the list `given` by its key or its letter (`U`: `urgent`).
fn list_key(state: &Shared, given: &str) -> String {
    super::catalogs(state)
        .iter()
        .flat_map(|c| &c.lists)
        .find(|l| l.letter.eq_ignore_ascii_case(given))
        .map(|l| l.key.clone())
        .unwrap_or_else(|| given.to_string())
}

/// What the workbook's first sheet says: when it was made and under
/// which filters.
fn about(state: &Shared, ctx: &Ctx, query: &Query) -> Vec<(String, String)> {
    let tr = ctx.tr;
    let any = || tr.msg("stats-any");
    let (_, lists, fields) = super::pages::choices(state, &tr);
    let named = |given: &Option<String>, names: &[(String, String)]| match given {
        Some(code) => match names.iter().find(|(k, _)| k.eq_ignore_ascii_case(code)) {
            Some((k, name)) => format!("{name} ({k})"),
            None => code.clone(),
        },
        None => any(),
    };
    let month = |m: Option<Month>| m.map(|m| m.to_string()).unwrap_or_else(any);
    vec![
        (tr.msg("stats-made"), ctx.clock.at(crate::cases::now_ms())),
        (tr.msg("stats-filter-from"), month(query.from)),
        (tr.msg("stats-filter-to"), month(query.to)),
        (
            tr.msg("stats-filter-edition"),
            query.edition.clone().unwrap_or_else(any),
        ),
        (
            tr.msg("stats-filter-list"),
            named(&query.list.as_deref().map(|l| list_key(state, l)), &lists),
        ),
        (tr.msg("stats-filter-field"), named(&query.field, &fields)),
        (tr.msg("stats-counting"), tr.msg("stats-counting-note")),
    ]
}
