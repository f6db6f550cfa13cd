//! Server-rendered pages from compile-time-checked templates (askama). They
//! work without JavaScript; a little script adds results as you type.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use zige_catalog::{Catalog, CatalogDiff, Entry};
use zige_search::{Facets, Filters, SearchResult};

use crate::i18n::{negotiate, Tr, COOKIE};
use crate::state::Shared;

/// What every page's layout needs.
pub struct Page {
    pub t: Tr,
    pub title: String,
    pub nav: &'static str,
    /// Path and query of this page, for the language switch.
    pub here: String,
    pub source: String,
}

impl Page {
    fn new(
        t: Tr,
        s: &Shared,
        title: String,
        nav: &'static str,
        req_path: &str,
        query: &HashMap<String, String>,
    ) -> Page {
        let c = s.current().catalog;
        let mut q: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| *k != "lang")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        q.sort();
        q.push(("lang".into(), t.other().into()));
        let here = format!(
            "{req_path}?{}",
            q.iter()
                .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
                .collect::<Vec<_>>()
                .join("&")
        );
        let source = t.with(
            "footer-source",
            &[("title", t.b(&c.title)), ("published", c.published.clone())],
        );
        Page {
            t,
            title,
            nav,
            here,
            source,
        }
    }
}

/// Percent-encodes a query component.
pub fn enc(s: &str) -> String {
    let mut o = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

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

/// Renders a template, remembering a language chosen with `?lang=`.
fn render(tpl: &impl Template, remember: Option<&Tr>, status: StatusCode) -> Response {
    match tpl.render() {
        Ok(html) => {
            let mut r = (status, Html(html)).into_response();
            if let Some(t) = remember {
                if let Ok(v) = HeaderValue::from_str(&format!(
                    "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    t.lang.code()
                )) {
                    r.headers_mut().insert(header::SET_COOKIE, v);
                }
            }
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            r.headers_mut().insert(
                header::VARY,
                HeaderValue::from_static("Accept-Language, Cookie"),
            );
            r
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("template error: {e}"),
        )
            .into_response(),
    }
}

fn lang(q: &HashMap<String, String>, h: &HeaderMap) -> (Tr, bool) {
    let (l, chosen) = negotiate(q.get("lang").map(String::as_str), h);
    (Tr { lang: l }, chosen)
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

async fn home(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
    let ed = s.current();
    let c = ed.catalog;
    let query = q.get("q").cloned().unwrap_or_default();
    let result =
        (!query.trim().is_empty()).then(|| ed.searcher.search(&query, &Filters::default(), 20));
    let facets = zige_search::facets(c, &Filters::default());
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
        p: Page::new(t, &s, title, "home", "/", &q),
        q: query,
        result,
        urgent: rows(&t, c.entries_of("urgent")),
        fields,
        total: c.entries.len(),
    };
    render(&page, chosen.then_some(&t), StatusCode::OK)
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

async fn browse(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
    let c = s.current().catalog;
    let (filters, error) = match crate::api::filters(&q) {
        Ok(f) => (f, None),
        Err(e) => (
            Filters::default(),
            Some(if t.is_zh() { e.message.zh } else { e.detail }),
        ),
    };
    let active: Vec<(String, String)> = ["list", "field", "region", "title", "experience"]
        .iter()
        .filter_map(|k| {
            q.get(*k)
                .filter(|v| !v.is_empty())
                .map(|v| (k.to_string(), v.clone()))
        })
        .collect();
    let page = Browse {
        p: Page::new(t, &s, t.s("browse-title"), "browse", "/browse", &q),
        facets: zige_search::facets(c, &filters),
        rows: rows(&t, c.entries.iter().filter(|e| filters.accepts(c, e))),
        active: if error.is_some() { Vec::new() } else { active },
        error,
    };
    let status = if page.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(&page, chosen.then_some(&t), status)
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

async fn entry(
    State(s): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
    let c = s.current().catalog;
    let Some(e) = c.find(&id) else {
        return not_found_page(&s, &t, &format!("/entries/{id}"));
    };
    let benefits = s
        .policy
        .benefits
        .iter()
        .map(|b| (t.b(&b.name), t.b(&b.description)))
        .collect();
    let list_name = c.list(&e.list).map(|l| t.b(&l.name)).unwrap_or_default();
    let title = format!(
        "{} · {}",
        t.b(&zige_catalog::Bilingual::new(
            e.name.zh.clone(),
            e.name.en.clone()
        )),
        e.code
    );
    let page = EntryPage {
        p: Page::new(t, &s, title, "browse", &format!("/entries/{}", e.id), &q),
        e,
        c,
        list_name,
        benefits,
    };
    render(&page, chosen.then_some(&t), StatusCode::OK)
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

async fn check(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
    let c = s.current().catalog;
    let f: HashMap<String, String> = q
        .iter()
        .filter(|(k, v)| *k != "lang" && !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.trim().to_string()))
        .collect();
    let mut page = CheckPage {
        p: Page::new(t, &s, t.s("check-title"), "check", "/check", &q),
        f: f.clone(),
        decision: None,
        recognized: None,
        error: None,
        share: String::new(),
        entries: c
            .entries
            .iter()
            .map(|e| {
                (
                    e.code.clone(),
                    format!(
                        "{} {}",
                        e.code,
                        t.b(&zige_catalog::Bilingual::new(
                            e.name.zh.clone(),
                            e.name.en.clone()
                        ))
                    ),
                )
            })
            .collect(),
    };
    let mut status = StatusCode::OK;
    if f.contains_key("entry") {
        match profile_from_form(&f).and_then(|p| zige_rules::decide(c, s.policy, &p)) {
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
    render(&page, chosen.then_some(&t), status)
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
fn previous_and_current(s: &Shared) -> Option<(&'static crate::state::Edition, &'static crate::state::Edition)> {
    let cur = s.current();
    let before = s
        .published()
        .into_iter()
        .filter(|e| e.catalog.id.jurisdiction == cur.catalog.id.jurisdiction && e.effective_from < cur.effective_from)
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from))?;
    Some((before, cur))
}

async fn changes(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
    let editions = s.catalog_ids();
    let diff = match (
        q.get("from").map(|x| s.edition(Some(x))),
        q.get("to").map(|x| s.edition(Some(x))),
    ) {
        (Some(Ok(a)), Some(Ok(b))) => Some(zige_catalog::diff(a.catalog, b.catalog)),
        _ => previous_and_current(&s).map(|(a, b)| zige_catalog::diff(a.catalog, b.catalog)),
    };
    let page = Changes {
        p: Page::new(t, &s, t.s("changes-title"), "changes", "/changes", &q),
        c: s.current().catalog,
        editions,
        diff,
    };
    render(&page, chosen.then_some(&t), StatusCode::OK)
}

#[derive(Template)]
#[template(path = "data.html")]
struct Data {
    p: Page,
    endpoints: Vec<(String, String, String)>,
}

async fn data(
    State(s): State<Shared>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (t, chosen) = lang(&q, &headers);
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
        p: Page::new(t, &s, t.s("data-title"), "data", "/data", &q),
        endpoints,
    };
    render(&page, chosen.then_some(&t), StatusCode::OK)
}

#[derive(Template)]
#[template(path = "notfound.html")]
struct NotFound {
    p: Page,
}

fn not_found_page(s: &Shared, t: &Tr, path: &str) -> Response {
    render(
        &NotFound {
            p: Page::new(*t, s, t.s("notfound-title"), "", path, &HashMap::new()),
        },
        None,
        StatusCode::NOT_FOUND,
    )
}

pub async fn not_found(State(s): State<Shared>, req: Request) -> Response {
    let (l, _) = negotiate(None, req.headers());
    not_found_page(&s, &Tr { lang: l }, req.uri().path())
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
