//! `/reports/monthly?month=YYYY-MM`: one month's report for officials and
//! admins, laid out to be printed or saved as a PDF (the print stylesheet
//! in `zige.css` leaves out the menus, the form and the links).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zige_cases::statistics::{Month, Query};

use super::pages::{view, ReviewerLine, Section};
use crate::cases::accounts::sessions::Viewer;
use crate::i18n::Tr;
use crate::render::{fail, forbidden, render, Ctx, Page, Problem};
use crate::state::Shared;

/// The breakdowns the monthly report shows, in order.
const SECTIONS: [&str; 2] = ["entry", "backlog"];

#[derive(Template)]
#[template(path = "statistics/monthly.html")]
struct MonthlyPage {
    page: Page,
    problems: Vec<Problem>,
    /// What is wrong with the month given.
    error: Option<String>,
    /// The month as typed.
    given: String,
    report: Option<MonthlyView>,
}

/// One month's report as the page shows it.
pub struct MonthlyView {
    pub headline: Vec<(String, String)>,
    pub sections: Vec<Section>,
    pub reviewers: Vec<ReviewerLine>,
    /// When the report was made, the zone named.
    pub made: String,
    /// This report's public address, printed; none on a local server.
    pub online: Option<String>,
    /// The downloads' filters: this month alone.
    pub downloads: String,
}

/// `March 2026`, `2026年3月`.
pub fn month_name(tr: &Tr, month: Month) -> String {
    tr.with(
        "stats-month-long",
        &[
            ("name", tr.msg(&format!("month-{}", month.month))),
            ("year", month.year.to_string()),
        ],
    )
}

/// The month asked for: last month when none is given. Else the message
/// saying what is wrong: not a month, or one after this month.
fn chosen(given: &str, this_month: Month) -> Result<Month, &'static str> {
    if given.is_empty() {
        return Ok(this_month.previous());
    }
    match Month::parse("month", given) {
        Ok(m) if m <= this_month => Ok(m),
        Ok(_) => Err("monthly-too-late"),
        Err(_) => Err("monthly-not-month"),
    }
}

/// Handles `GET /reports/monthly`.
pub async fn monthly(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = ctx.viewer.clone() else {
        return ctx.login();
    };
    if !viewer.user.role.reads_statistics() {
        return forbidden(&state, &ctx);
    }
    let given = ctx
        .query
        .get("month")
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    let this_month = super::this_month(&state);
    match chosen(&given, this_month) {
        Ok(month) => shown(&state, &ctx, &viewer, given, month).await,
        Err(key) => refused(&state, &ctx, key, given, this_month),
    }
}

/// The month's report.
async fn shown(
    state: &Shared,
    ctx: &Ctx,
    viewer: &Viewer,
    given: String,
    month: Month,
) -> Response {
    let query = Query {
        from: Some(month),
        to: Some(month),
        ..Query::default()
    };
    let report = match super::report(state, viewer, &query).await {
        Ok(r) => r,
        Err(e) => return fail(state, ctx, e),
    };
    let tr = ctx.tr;
    let mut all = view(&tr, &report);
    // The decisions made, before the time they took (the last two).
    let decided = super::charts::thousands(report.decisions.decided);
    let at = all.headline.len().saturating_sub(2);
    all.headline
        .insert(at, (tr.msg("monthly-decided"), decided));
    let mut sections = all.sections;
    sections.retain(|s| SECTIONS.contains(&s.id));
    sections.sort_by_key(|s| SECTIONS.iter().position(|id| *id == s.id));
    let base = crate::cases::decisions::public_url(state);
    let local = base.is_empty() || crate::config::is_local_url(base);
    let page = MonthlyPage {
        page: ctx.page(
            state,
            tr.with("monthly-title", &[("month", month_name(&tr, month))]),
            "reports",
        ),
        problems: Vec::new(),
        error: None,
        given,
        report: Some(MonthlyView {
            headline: all.headline,
            sections,
            reviewers: all.reviewers,
            made: ctx.clock.at(crate::cases::now_ms()),
            online: (!local).then(|| format!("{base}/reports/monthly?month={month}")),
            downloads: format!("from={month}&to={month}"),
        }),
    };
    render(&page, ctx, StatusCode::OK)
}

/// The form again with what is wrong with the month (`key`) said at the
/// field and in the summary (400).
fn refused(state: &Shared, ctx: &Ctx, key: &str, given: String, this_month: Month) -> Response {
    let tr = ctx.tr;
    let shown: String = given.chars().take(40).collect();
    let args = [("given", shown), ("latest", this_month.to_string())];
    let message = tr.with(key, &args);
    let page = MonthlyPage {
        page: ctx.page(state, tr.msg("monthly-heading"), "reports"),
        problems: vec![Problem {
            href: "#month".into(),
            text: format!("{}{message}", tr.label("monthly-month")),
        }],
        error: Some(message),
        given,
        report: None,
    };
    render(&page, ctx, StatusCode::BAD_REQUEST)
}
