//! Server-rendered pages from compile-time-checked templates (askama). They
//! work without JavaScript; a little script adds results as you type.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use zige_catalog::{Catalog, CatalogDiff, Entry};
use zige_search::{Facets, Filters, SearchResult};

use crate::i18n::Tr;
use crate::layout::{enc, not_found, render, Page, Public};
use crate::state::Shared;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(home))
        .route("/browse", get(browse))
        .route("/entries/{id}", get(entry))
        .route("/check", get(check))
        .route("/changes", get(changes))
        .route("/data", get(data))
        .route("/static/{file}", get(asset))
}

/// The entries of a catalogue for a datalist: code, and code with name.
pub fn entry_options(t: &Tr, cat: &Catalog) -> Vec<(String, String)> {
    cat.entries
        .iter()
        .map(|e| {
            let name = if t.is_zh() { &e.name.zh } else { &e.name.en };
            (e.code.clone(), format!("{} {name}", e.code))
        })
        .collect()
}

/// A row of an entry list.
pub struct Row<'a> {
    pub e: &'a Entry,
    pub issuer: String,
    pub region: String,
    pub title: String,
}

fn rows<'a>(t: &Tr, entries: impl Iterator<Item = &'a Entry>) -> Vec<Row<'a>> {
    entries
        .map(|e| Row {
            e,
            issuer: e
                .issuers
                .iter()
                .map(|i| t.b(&i.name))
                .collect::<Vec<_>>()
                .join("; "),
            region: if e.regions.is_empty() {
                t.s("international")
            } else {
                e.regions
                    .iter()
                    .map(|r| t.b(&r.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            title: e
                .title
                .map(|x| t.b(x.name()))
                .unwrap_or_else(|| t.s("title-none")),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home<'a> {
    p: Page,
    q: String,
    result: Option<SearchResult>,
    urgent: Vec<Row<'a>>,
    fields: Vec<(String, String, usize)>,
    total: usize,
}

async fn home(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let ed = s.current();
    let cat = ed.catalog;
    let query = c.q.get("q").cloned().unwrap_or_default();
    let result =
        (!query.trim().is_empty()).then(|| ed.searcher.search(&query, &Filters::default(), 20));
    let facets = zige_search::facets(cat, &Filters::default());
    let fields = facets
        .field
        .iter()
        .map(|f| (f.value.clone(), t.b(&f.label), f.count))
        .collect();
    let title = if query.is_empty() {
        t.s("home-title")
    } else {
        format!("{query} · {}", t.s("nav-home"))
    };
    let page = Home {
        p: c.page(&s, title, "home"),
        q: query,
        result,
        urgent: rows(&t, cat.entries_of("urgent")),
        fields,
        total: cat.entries.len(),
    };
    render(&page, &c, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "browse.html")]
struct Browse<'a> {
    p: Page,
    facets: Facets,
    rows: Vec<Row<'a>>,
    active: Vec<(String, String)>,
    error: Option<String>,
}

impl Browse<'_> {
    /// The browse link with one facet value toggled.
    fn toggle(&self, key: &str, value: &str) -> String {
        let mut params: Vec<(String, String)> = self
            .active
            .iter()
            .filter(|(k, _)| k != key)
            .cloned()
            .collect();
        if !self
            .active
            .iter()
            .any(|(k, v)| k == key && v.eq_ignore_ascii_case(value))
        {
            params.push((key.into(), value.into()));
        }
        params.sort();
        format!(
            "/browse?{}",
            params
                .iter()
                .map(|(k, v)| format!("{k}={}", enc(v)))
                .collect::<Vec<_>>()
                .join("&")
        )
    }
}

async fn browse(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let cat = s.current().catalog;
    let (filters, error) = match crate::api::filters(&c.q) {
        Ok(f) => (f, None),
        Err(e) => (
            Filters::default(),
            Some(if t.is_zh() { e.message.zh } else { e.detail }),
        ),
    };
    let active: Vec<(String, String)> = ["list", "field", "region", "title", "experience"]
        .iter()
        .filter_map(|k| {
            c.q.get(*k)
                .filter(|v| !v.is_empty())
                .map(|v| (k.to_string(), v.clone()))
        })
        .collect();
    let page = Browse {
        p: c.page(&s, t.s("browse-title"), "browse"),
        facets: zige_search::facets(cat, &filters),
        rows: rows(&t, cat.entries.iter().filter(|e| filters.accepts(cat, e))),
        active: if error.is_some() { Vec::new() } else { active },
        error,
    };
    let status = if page.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(&page, &c, status)
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage<'a> {
    p: Page,
    e: &'a Entry,
    c: &'a Catalog,
    list_name: String,
    benefits: Vec<(String, String)>,
}

async fn entry(State(s): State<Shared>, Path(id): Path<String>, Public(c): Public) -> Response {
    let t = c.t;
    let cat = s.current().catalog;
    let Some(e) = cat.find(&id) else {
        return not_found(&s, &c);
    };
    let benefits = s
        .policy
        .benefits
        .iter()
        .map(|b| (t.b(&b.name), t.b(&b.description)))
        .collect();
    let list_name = cat.list(&e.list).map(|l| t.b(&l.name)).unwrap_or_default();
    let title = format!(
        "{} · {}",
        t.b(&zige_catalog::Bilingual::new(
            e.name.zh.clone(),
            e.name.en.clone()
        )),
        e.code
    );
    let page = EntryPage {
        p: c.page(&s, title, "browse"),
        e,
        c: cat,
        list_name,
        benefits,
    };
    render(&page, &c, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    p: Page,
    f: HashMap<String, String>,
    decision: Option<String>,
    recognized: Option<Option<bool>>,
    error: Option<String>,
    share: String,
    entries: Vec<(String, String)>,
}

impl CheckPage {
    fn v(&self, k: &str) -> &str {
        self.f.get(k).map(String::as_str).unwrap_or("")
    }
    fn sel(&self, k: &str, v: &str) -> bool {
        self.v(k) == v
    }
}

async fn check(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let cat = s.current().catalog;
    let f: HashMap<String, String> =
        c.q.iter()
            .filter(|(k, v)| *k != "lang" && !v.trim().is_empty())
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect();
    let mut page = CheckPage {
        p: c.page(&s, t.s("check-title"), "check"),
        f: f.clone(),
        decision: None,
        recognized: None,
        error: None,
        share: String::new(),
        entries: entry_options(&t, cat),
    };
    let mut status = StatusCode::OK;
    if f.contains_key("entry") {
        match profile_from_form(&f).and_then(|p| zige_rules::decide(cat, s.policy, &p)) {
            Ok(d) => {
                page.recognized = Some(d.recognized);
                page.decision = Some(d.render(t.lang));
                let mut keys: Vec<(&String, &String)> = f.iter().collect();
                keys.sort();
                page.share = format!(
                    "/check?{}",
                    keys.iter()
                        .map(|(k, v)| format!("{k}={}", enc(v)))
                        .collect::<Vec<_>>()
                        .join("&")
                );
            }
            Err(e) => {
                page.error = Some(e.message(t.lang));
                status = StatusCode::BAD_REQUEST;
            }
        }
    }
    render(&page, &c, status)
}

fn profile_from_form(
    f: &HashMap<String, String>,
) -> Result<zige_rules::Profile, zige_rules::InputError> {
    let mut p = zige_rules::Profile::new(f.get("entry").cloned().unwrap_or_default());
    p.level = f.get("level").cloned();
    p.experience_years = f
        .get("experience_years")
        .map(|v| zige_rules::parse_experience_years(v))
        .transpose()?;
    p.age = f.get("age").map(|v| zige_rules::parse_age(v)).transpose()?;
    p.nationality = f
        .get("nationality")
        .map(|v| zige_rules::parse_nationality(v))
        .transpose()?;
    p.education = f
        .get("education")
        .map(|v| zige_rules::parse_education(v))
        .transpose()?;
    p.beijing_employer = f
        .get("beijing_employer")
        .map(|v| zige_rules::parse_bool("beijing_employer", v))
        .transpose()?;
    p.high_end_industry = f
        .get("high_end_industry")
        .map(|v| zige_rules::parse_bool("high_end_industry", v))
        .transpose()?
        .unwrap_or(false);
    p.project = f
        .get("project")
        .map(|v| zige_rules::parse_project(v))
        .transpose()?;
    p.validate()?;
    Ok(p)
}

#[derive(Template)]
#[template(path = "changes.html")]
struct Changes<'a> {
    p: Page,
    c: &'a Catalog,
    editions: Vec<String>,
    diff: Option<CatalogDiff>,
}

/// The edition in force and the one of its jurisdiction in force before it.
fn previous_and_current(
    s: &Shared,
) -> Option<(
    &'static crate::state::Edition,
    &'static crate::state::Edition,
)> {
    let cur = s.current();
    let before = s
        .published()
        .into_iter()
        .filter(|e| {
            e.catalog.id.jurisdiction == cur.catalog.id.jurisdiction
                && e.effective_from < cur.effective_from
        })
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from))?;
    Some((before, cur))
}

async fn changes(State(s): State<Shared>, Public(c): Public) -> Response {
    let (t, q) = (c.t, &c.q);
    let editions = s.catalog_ids();
    let diff = match (
        q.get("from").map(|x| s.edition(Some(x))),
        q.get("to").map(|x| s.edition(Some(x))),
    ) {
        (Some(Ok(a)), Some(Ok(b))) => Some(zige_catalog::diff(a.catalog, b.catalog)),
        _ => previous_and_current(&s).map(|(a, b)| zige_catalog::diff(a.catalog, b.catalog)),
    };
    let page = Changes {
        p: c.page(&s, t.s("changes-title"), "changes"),
        c: s.current().catalog,
        editions,
        diff,
    };
    render(&page, &c, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "data.html")]
struct Data {
    p: Page,
    endpoints: Vec<(String, String, String)>,
}

async fn data(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let doc = crate::api::openapi_doc();
    let mut endpoints = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        for (method, op) in [("GET", &item.get), ("POST", &item.post)] {
            if let Some(op) = op {
                let text = op
                    .summary
                    .clone()
                    .or(op.description.clone())
                    .unwrap_or_default()
                    .replace('`', "");
                endpoints.push((method.to_string(), path.clone(), text));
            }
        }
    }
    let page = Data {
        p: c.page(&s, t.s("data-title"), "data"),
        endpoints,
    };
    render(&page, &c, StatusCode::OK)
}

/// Any address without a page.
pub async fn unknown(State(s): State<Shared>, Public(c): Public) -> Response {
    not_found(&s, &c)
}

const CSS: &str = include_str!("../static/zige.css");
const JS: &str = include_str!("../static/zige.js");

async fn asset(Path(file): Path<String>) -> Response {
    let (body, ct) = match file.as_str() {
        "zige.css" => (CSS, "text/css; charset=utf-8"),
        "zige.js" => (JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}
