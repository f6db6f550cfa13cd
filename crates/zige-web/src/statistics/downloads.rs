//! The figures as CSV (with a BOM, so that Excel reads the Chinese): the
//! public figures at `/statistics.csv`, the officials' report under its
//! filters at `/reports/statistics.csv`, in the page's language.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use zige_cases::statistics::{PublicStatistics, Report};

use crate::i18n::Tr;
use crate::render::{fail, Ctx, Public};
use crate::state::Shared;

fn cell(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn csv_response(name: &str, rows: Vec<Vec<String>>) -> Response {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        if writer.write_record(&row).is_err() {
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let body = writer.into_inner().unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
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

/// The report: every breakdown's groups, then the months, then the reviewers.
fn report_rows(tr: &Tr, r: &Report) -> Vec<Vec<String>> {
    let head = [
        "stats-csv-table",
        "stats-csv-key",
        "stats-csv-name",
        "stats-applications",
        "stats-approved",
        "stats-rejected",
        "stats-awaiting",
        "stats-open",
        "stats-withdrawn",
        "stats-csv-asked",
        "stats-decided",
        "stats-median",
        "stats-p90",
    ];
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|k| tr.msg(k)).collect()];
    let breakdowns = [
        ("state", &r.by_state),
        ("backlog", &r.backlog),
        ("entry", &r.by_entry),
        ("list", &r.by_list),
        ("field", &r.by_field),
        ("country", &r.by_country),
        ("nationality", &r.by_nationality),
    ];
    for (table, groups) in breakdowns {
        for g in groups {
            let c = &g.counts;
            rows.push(vec![
                table.into(),
                g.key.clone(),
                tr.pick(&g.label),
                c.applications.to_string(),
                c.approved.to_string(),
                c.rejected.to_string(),
                c.awaiting_applicant.to_string(),
                c.open.to_string(),
                c.withdrawn.to_string(),
                c.asked_more.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    for m in &r.by_month {
        let (c, d) = (&m.counts, &m.decisions);
        rows.push(vec![
            "month".into(),
            m.month.clone(),
            String::new(),
            c.applications.to_string(),
            c.approved.to_string(),
            c.rejected.to_string(),
            c.awaiting_applicant.to_string(),
            c.open.to_string(),
            c.withdrawn.to_string(),
            c.asked_more.to_string(),
            d.decided.to_string(),
            d.median_days.map(|x| x.to_string()).unwrap_or_default(),
            d.p90_days.map(|x| x.to_string()).unwrap_or_default(),
        ]);
    }
    for v in &r.reviewers {
        rows.push(vec![
            "reviewer".into(),
            v.reviewer.to_string(),
            v.name.clone(),
            String::new(),
            v.approved.to_string(),
            v.rejected.to_string(),
            String::new(),
            String::new(),
            String::new(),
            v.more_information.to_string(),
            v.decided().to_string(),
            String::new(),
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

/// Handles `GET /reports/statistics.csv`: the report under the filters given.
pub async fn report_csv(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = ctx.viewer.clone() else {
        return ctx.login();
    };
    let report = match super::filters(&state, &ctx.query) {
        Ok(query) => super::report(&state, &viewer, &query).await,
        Err(e) => Err(e),
    };
    match report {
        Ok(r) => csv_response("zige-report.csv", report_rows(&ctx.tr, &r)),
        Err(e) => fail(&state, &ctx, e),
    }
}
