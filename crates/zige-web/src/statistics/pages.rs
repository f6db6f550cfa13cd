//! The pages: `/statistics` for everyone, `/reports` for officials and
//! admins (filters, headline figures, a chart and a table per breakdown,
//! downloads).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use zige_cases::statistics::{Counts, PublicStatistics, Report, Row};

use super::charts::{thousands, BarChart};
use crate::i18n::Tr;
use crate::render::{fail, render, sorted_pairs, Ctx, Page, Problem, Public};
use crate::state::Shared;

/// One line of a breakdown's table, as shown.
pub struct Line {
    pub label: String,
    pub applications: String,
    pub approved: String,
    pub rejected: String,
    pub awaiting: String,
    pub open: String,
    pub withdrawn: String,
    pub approval: String,
}

/// One breakdown: its chart and its table.
pub struct Section {
    pub id: &'static str,
    pub title: String,
    pub chart: BarChart,
    pub lines: Vec<Line>,
}

/// A month's line of the trend table.
pub struct MonthLine {
    pub month: String,
    pub applications: String,
    pub approved: String,
    pub rejected: String,
    pub decided: String,
    pub median: String,
    pub p90: String,
}

/// A reviewer's line.
pub struct ReviewerLine {
    pub name: String,
    pub approved: String,
    pub rejected: String,
    pub more_information: String,
    pub decided: String,
}

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

fn days(tr: &Tr, d: Option<u32>) -> String {
    d.map(|d| tr.with("stats-days", &[("days", d.to_string())]))
        .unwrap_or_else(|| "—".into())
}

fn line(label: String, c: &Counts) -> Line {
    Line {
        label,
        applications: thousands(c.applications),
        approved: thousands(c.approved),
        rejected: thousands(c.rejected),
        awaiting: thousands(c.awaiting_applicant),
        open: thousands(c.open),
        withdrawn: thousands(c.withdrawn),
        approval: percent(c.approval_rate()),
    }
}

/// A breakdown as a section: the chart shows its `limit` largest groups.
fn section(tr: &Tr, id: &'static str, rows: &[Row], limit: usize) -> Section {
    let title = tr.msg(&format!("stats-by-{id}"));
    let values: Vec<(String, Option<i64>)> = rows
        .iter()
        .take(limit)
        .map(|r| (tr.pick(&r.label), Some(r.counts.applications)))
        .collect();
    let description = tr.with("stats-chart-desc", &[("what", title.clone())]);
    Section {
        id,
        chart: BarChart::new(&format!("chart-{id}"), title.clone(), description, &values),
        title,
        lines: rows
            .iter()
            .map(|r| line(tr.pick(&r.label), &r.counts))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "statistics/public.html")]
struct PublicPage {
    page: Page,
    chart: BarChart,
    months: Vec<MonthLine>,
    entries: Vec<(String, String, String, String, String)>,
    below: i64,
}

fn withheld(tr: &Tr, n: Option<i64>) -> String {
    n.map(thousands).unwrap_or_else(|| {
        tr.with(
            "stats-withheld",
            &[("n", zige_cases::statistics::SUPPRESSED_BELOW.to_string())],
        )
    })
}

/// Handles `GET /statistics`.
pub async fn public(State(state): State<Shared>, Public(ctx): Public) -> Response {
    let figures: PublicStatistics = match super::public(&state).await {
        Ok(f) => f,
        Err(e) => return fail(&state, &ctx, e),
    };
    let tr = ctx.tr;
    let recent: Vec<_> = figures.by_month.iter().rev().take(24).rev().collect();
    let values: Vec<(String, Option<i64>)> = recent
        .iter()
        .map(|m| (m.month.clone(), m.applications))
        .collect();
    let title = tr.msg("stats-by-month");
    let chart = BarChart::new(
        "chart-months",
        title.clone(),
        tr.with("stats-chart-desc", &[("what", title)]),
        &values,
    );
    let months = figures
        .by_month
        .iter()
        .rev()
        .map(|m| MonthLine {
            month: m.month.clone(),
            applications: withheld(&tr, m.applications),
            approved: withheld(&tr, m.approved),
            rejected: withheld(&tr, m.rejected),
            decided: String::new(),
            median: String::new(),
            p90: String::new(),
        })
        .collect();
    let mut by_entry: Vec<_> = figures.by_entry.iter().collect();
    by_entry.sort_by_key(|e| std::cmp::Reverse(e.applications.unwrap_or(0)));
    let entries = by_entry
        .iter()
        .map(|e| {
            (
                format!("{} {}", e.entry, tr.pick(&e.name)),
                withheld(&tr, e.applications),
                withheld(&tr, e.approved),
                withheld(&tr, e.rejected),
                withheld(&tr, e.in_progress),
            )
        })
        .collect();
    let page = PublicPage {
        page: ctx.page(&state, tr.msg("stats-title"), "statistics"),
        chart,
        months,
        entries,
        below: figures.suppressed_below,
    };
    render(&page, &ctx, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "statistics/reports.html")]
struct ReportsPage {
    page: Page,
    problems: Vec<Problem>,
    errors: std::collections::HashMap<String, String>,
    given: std::collections::HashMap<String, String>,
    editions: Vec<String>,
    lists: Choices,
    fields: Choices,
    report: Option<ReportView>,
    downloads: String,
}

impl ReportsPage {
    fn value(&self, key: &str) -> &str {
        self.given.get(key).map(String::as_str).unwrap_or("")
    }

    fn error(&self, key: &str) -> Option<&String> {
        self.errors.get(key)
    }

    fn month_fields(&self) -> Vec<&'static str> {
        vec!["from", "to"]
    }

    /// The list and field choices, each with its filter's name.
    fn selects(&self) -> Vec<(&'static str, &[(String, String)])> {
        vec![("list", &self.lists), ("field", &self.fields)]
    }
}

/// The report as the page shows it.
pub struct ReportView {
    pub headline: Vec<(String, String)>,
    pub months_chart: BarChart,
    pub months: Vec<MonthLine>,
    pub sections: Vec<Section>,
    pub reviewers: Vec<ReviewerLine>,
}

pub(super) fn view(tr: &Tr, report: &Report) -> ReportView {
    let t = &report.totals;
    let headline = vec![
        (tr.msg("stats-applications"), thousands(t.applications)),
        (tr.msg("stats-approved"), thousands(t.approved)),
        (tr.msg("stats-rejected"), thousands(t.rejected)),
        (tr.msg("stats-awaiting"), thousands(t.awaiting_applicant)),
        (tr.msg("stats-open"), thousands(t.open)),
        (tr.msg("stats-approval-rate"), percent(t.approval_rate())),
        (tr.msg("stats-rejection-rate"), percent(t.rejection_rate())),
        (
            tr.msg("stats-more-info-rate"),
            percent(t.more_information_rate()),
        ),
        (
            tr.msg("stats-median"),
            days(tr, report.decisions.median_days),
        ),
        (tr.msg("stats-p90"), days(tr, report.decisions.p90_days)),
    ];
    let title = tr.msg("stats-by-month");
    let values: Vec<(String, Option<i64>)> = report
        .by_month
        .iter()
        .rev()
        .take(24)
        .rev()
        .map(|m| (m.month.clone(), Some(m.counts.applications)))
        .collect();
    let months_chart = BarChart::new(
        "chart-months",
        title.clone(),
        tr.with("stats-chart-desc", &[("what", title)]),
        &values,
    );
    let months = report
        .by_month
        .iter()
        .rev()
        .map(|m| MonthLine {
            month: m.month.clone(),
            applications: thousands(m.counts.applications),
            approved: thousands(m.counts.approved),
            rejected: thousands(m.counts.rejected),
            decided: thousands(m.decisions.decided),
            median: days(tr, m.decisions.median_days),
            p90: days(tr, m.decisions.p90_days),
        })
        .collect();
    let sections = vec![
        section(tr, "state", &report.by_state, 10),
        section(tr, "backlog", &report.backlog, 10),
        section(tr, "entry", &report.by_entry, 15),
        section(tr, "list", &report.by_list, 10),
        section(tr, "field", &report.by_field, 15),
        section(tr, "country", &report.by_country, 15),
        section(tr, "nationality", &report.by_nationality, 10),
    ];
    let reviewers = report
        .reviewers
        .iter()
        .map(|r| ReviewerLine {
            name: r.name.clone(),
            approved: thousands(r.approved),
            rejected: thousands(r.rejected),
            more_information: thousands(r.more_information),
            decided: thousands(r.decided()),
        })
        .collect();
    ReportView {
        headline,
        months_chart,
        months,
        sections,
        reviewers,
    }
}

/// Handles `GET /reports`: the officials' statistics under the filters given.
pub async fn reports(State(state): State<Shared>, ctx: Ctx) -> Response {
    let Some(viewer) = ctx.viewer.clone() else {
        return ctx.login();
    };
    if !viewer.user.role.reads_statistics() {
        return crate::render::forbidden(&state, &ctx);
    }
    let tr = ctx.tr;
    let given: std::collections::HashMap<String, String> = super::FILTERS
        .iter()
        .filter_map(|k| {
            ctx.query
                .get(*k)
                .map(|v| (k.to_string(), v.trim().to_string()))
        })
        .collect();
    let (report, problems, errors) = match super::filters(&state, &ctx.query) {
        Ok(query) => match super::report(&state, &viewer, &query).await {
            Ok(r) => (Some(view(&tr, &r)), Vec::new(), Default::default()),
            Err(e) => return fail(&state, &ctx, e),
        },
        Err(errs) => {
            let errors: std::collections::HashMap<String, String> = errs
                .0
                .iter()
                .map(|e| (e.field.clone().unwrap_or_default(), tr.pick(&e.message)))
                .collect();
            let problems = super::FILTERS
                .iter()
                .filter_map(|f| {
                    errors.get(*f).map(|m| Problem {
                        href: format!("#{f}"),
                        text: format!("{}: {m}", tr.msg(&format!("stats-filter-{f}"))),
                    })
                })
                .collect();
            (None, problems, errors)
        }
    };
    let (editions, lists, fields) = choices(&state, &tr);
    let downloads = sorted_pairs(&ctx.query, &["done"]).join("&");
    let page = ReportsPage {
        page: ctx.page(&state, tr.msg("reports-title"), "reports"),
        problems,
        errors,
        given,
        editions,
        lists,
        fields,
        report,
        downloads,
    };
    render(&page, &ctx, StatusCode::OK)
}

/// The editions, lists and fields a filter may name, with their names.
/// Codes with their names, for a select.
pub(super) type Choices = Vec<(String, String)>;

pub(super) fn choices(state: &Shared, tr: &Tr) -> (Vec<String>, Choices, Choices) {
    let catalogs = super::catalogs(state);
    let editions = catalogs.iter().map(|c| c.id.to_string()).collect();
    let mut lists: Choices = Vec::new();
    let mut fields: Choices = Vec::new();
    for c in &catalogs {
        for l in &c.lists {
            if !lists.iter().any(|(k, _)| *k == l.key) {
                lists.push((l.key.clone(), tr.pick(&l.name)));
            }
        }
        for f in c.entries.iter().flat_map(|e| &e.fields) {
            if !fields.iter().any(|(k, _)| *k == f.key) {
                fields.push((f.key.clone(), tr.pick(&f.name)));
            }
        }
    }
    fields.sort_by(|a, b| a.1.cmp(&b.1));
    (editions, lists, fields)
}
