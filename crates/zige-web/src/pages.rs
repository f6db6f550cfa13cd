//! Server-rendered pages from compile-time-checked templates (askama). They
//! work without JavaScript; a little script adds results as you type.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use zige_catalog::{Catalog, Entry};
use zige_search::{Facets, Filters, SearchResult};

use crate::editions_pages::{diff_view, field_label, DiffView};
use crate::i18n::Tr;
use crate::layout::{enc, fail, not_found, render, Ctx, Page, Public};
use crate::state::{today, Edition, Shared};

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

/// Whether a published edition answers today, will from its date, or
/// did: its words and its badge's class.
pub fn edition_state(t: &Tr, s: &Shared, ed: &Edition) -> (String, &'static str) {
    let j = &ed.catalog.id.jurisdiction;
    if s.in_force(j, &today()).is_some_and(|f| std::ptr::eq(f, ed)) {
        (t.s("ed-in-force"), "s-approved")
    } else if ed.effective_from > today() {
        (
            t.with("ed-from", &[("date", ed.effective_from.clone())]),
            "s-more_information",
        )
    } else {
        (t.s("ed-replaced"), "")
    }
}

/// Which edition a catalogue page says it shows, and the way back to the
/// one in force.
pub struct EditionNote {
    pub text: String,
    pub back: String,
}

/// The edition a catalogue page shows: the one named by `?catalog=`, or
/// the one in force. `cq` and `ca` carry the choice into links (`?…`, `&…`).
struct Shown {
    ed: &'static Edition,
    note: Option<EditionNote>,
    id: String,
    cq: String,
    ca: String,
}

fn shown(s: &Shared, c: &Ctx) -> Result<Shown, Response> {
    let Some(id) =
        c.q.get("catalog")
            .map(|x| x.trim())
            .filter(|x| !x.is_empty())
    else {
        return Ok(Shown {
            ed: s.current(),
            note: None,
            id: String::new(),
            cq: String::new(),
            ca: String::new(),
        });
    };
    let ed = s.edition(Some(id)).map_err(|e| fail(s, c, e.into()))?;
    let t = c.t;
    let id = ed.catalog.id.to_string();
    let current = s
        .in_force(&ed.catalog.id.jurisdiction, &today())
        .map(|f| f.catalog.id.to_string())
        .unwrap_or_default();
    let args = [
        ("id", id.clone()),
        ("date", ed.effective_from.clone()),
        ("current", current.clone()),
    ];
    let key = if current == id {
        "edition-shown-in-force"
    } else if ed.effective_from > today() {
        "edition-shown-upcoming"
    } else {
        "edition-shown-past"
    };
    let mut q: Vec<(&String, &String)> =
        c.q.iter()
            .filter(|(k, _)| !matches!(k.as_str(), "catalog" | "lang"))
            .collect();
    q.sort();
    let query: Vec<String> = q
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    let back = match (query.is_empty(), c.path.starts_with("/entries/")) {
        // An entry of another edition may not be in the one in force.
        (_, true) => "/browse".to_string(),
        (true, false) => c.path.clone(),
        (false, false) => format!("{}?{}", c.path, query.join("&")),
    };
    Ok(Shown {
        ed,
        note: Some(EditionNote {
            text: t.with(key, &args),
            back,
        }),
        cq: format!("?catalog={}", enc(&id)),
        ca: format!("&catalog={}", enc(&id)),
        id,
    })
}

/// 400 when a page says what was asked is wrong, else 200.
fn asked_well(error: &Option<String>) -> StatusCode {
    match error {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    }
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
    edition: Option<EditionNote>,
    catalog: String,
    cq: String,
    ca: String,
    q: String,
    result: Option<SearchResult>,
    urgent: Vec<Row<'a>>,
    fields: Vec<(String, String, usize)>,
    total: usize,
}

async fn home(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let sh = match shown(&s, &c) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let ed = sh.ed;
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
        p: c.page(&s, title, "home").showing(cat),
        edition: sh.note,
        catalog: sh.id,
        cq: sh.cq,
        ca: sh.ca,
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
    edition: Option<EditionNote>,
    catalog: String,
    cq: String,
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
        if !self.catalog.is_empty() {
            params.push(("catalog".into(), self.catalog.clone()));
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
    let sh = match shown(&s, &c) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cat = sh.ed.catalog;
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
        p: c.page(&s, t.s("browse-title"), "browse").showing(cat),
        edition: sh.note,
        catalog: sh.id,
        cq: sh.cq,
        facets: zige_search::facets(cat, &filters),
        rows: rows(&t, cat.entries.iter().filter(|e| filters.accepts(cat, e))),
        active: if error.is_some() { Vec::new() } else { active },
        error,
    };
    render(&page, &c, asked_well(&page.error))
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage<'a> {
    p: Page,
    edition: Option<EditionNote>,
    /// The edition shown is the one in force (the check answers from it).
    in_force: bool,
    cq: String,
    ca: String,
    e: &'a Entry,
    c: &'a Catalog,
    list_name: String,
    benefits: Vec<(String, String)>,
    history: Vec<HistoryRow>,
}

/// One edition's word on an entry.
pub struct HistoryRow {
    pub edition: String,
    pub href: Option<String>,
    pub effective: String,
    pub in_force: bool,
    pub code: String,
    pub what: String,
}

fn history(t: &Tr, s: &Shared, entry_id: &str) -> Vec<HistoryRow> {
    crate::editions_web::history(s, entry_id)
        .into_iter()
        .map(|h| {
            let what = match h.what.as_str() {
                "listed" => t.s("hist-listed"),
                "added" => t.s("hist-added"),
                "unchanged" => t.s("hist-unchanged"),
                "renumbered" => t.s("hist-renumbered"),
                "removed" => t.s("hist-removed"),
                "changed" => {
                    let sep = if t.is_zh() { "、" } else { ", " };
                    let fields: Vec<String> = h.fields.iter().map(|f| field_label(t, f)).collect();
                    t.with("hist-changed", &[("fields", fields.join(sep))])
                }
                other => other.to_string(),
            };
            HistoryRow {
                href: h
                    .code
                    .as_ref()
                    .map(|_| format!("/entries/{entry_id}?catalog={}", enc(&h.catalog))),
                edition: h.catalog,
                effective: h.effective_from,
                in_force: h.in_force,
                code: h.code.unwrap_or_else(|| "—".into()),
                what,
            }
        })
        .collect()
}

async fn entry(State(s): State<Shared>, Path(id): Path<String>, Public(c): Public) -> Response {
    let t = c.t;
    let sh = match shown(&s, &c) {
        Ok(x) => x,
        Err(r) => return r,
    };
    let cat = sh.ed.catalog;
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
        p: c.page(&s, title, "browse").showing(cat),
        edition: sh.note,
        cq: sh.cq,
        ca: sh.ca,
        history: history(&t, &s, &e.id),
        in_force: std::ptr::eq(sh.ed, s.current()),
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

/// A published edition as the changes and data pages list it.
pub struct EditionRow {
    pub id: String,
    pub title: String,
    pub effective: String,
    pub state: String,
    pub state_class: &'static str,
}

fn edition_rows(t: &Tr, s: &Shared) -> Vec<EditionRow> {
    let mut eds = s.published();
    eds.sort_by(|a, b| {
        (&a.catalog.id.jurisdiction, &a.effective_from)
            .cmp(&(&b.catalog.id.jurisdiction, &b.effective_from))
    });
    eds.into_iter()
        .map(|ed| {
            let (state, state_class) = edition_state(t, s, ed);
            EditionRow {
                id: ed.catalog.id.to_string(),
                title: t.b(&ed.catalog.title),
                effective: ed.effective_from.clone(),
                state,
                state_class,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "changes.html")]
struct Changes {
    p: Page,
    editions: Vec<EditionRow>,
    from: String,
    to: String,
    heading: String,
    diff: Option<DiffView>,
    error: Option<String>,
}

/// What the changes page compares unless told: the edition in force with
/// the one announced to replace it, or else with the one it replaced.
fn default_pair(s: &Shared) -> Option<(&'static Edition, &'static Edition)> {
    let cur = s.current();
    let same: Vec<&'static Edition> = s
        .published()
        .into_iter()
        .filter(|e| e.catalog.id.jurisdiction == cur.catalog.id.jurisdiction)
        .collect();
    let upcoming = same
        .iter()
        .filter(|e| e.effective_from > today())
        .min_by(|a, b| a.effective_from.cmp(&b.effective_from));
    if let Some(next) = upcoming {
        return Some((cur, next));
    }
    let before = same
        .iter()
        .filter(|e| e.effective_from < cur.effective_from)
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from))?;
    Some((before, cur))
}

async fn changes(State(s): State<Shared>, Public(c): Public) -> Response {
    let t = c.t;
    let pick = |k: &str| c.q.get(k).map(|x| x.trim()).filter(|x| !x.is_empty());
    let mut error = None;
    let pair = match (pick("from"), pick("to")) {
        (Some(a), Some(b)) => match (s.edition(Some(a)), s.edition(Some(b))) {
            (Ok(a), Ok(b)) => Some((a, b)),
            (Err(e), _) | (_, Err(e)) => {
                error = Some(crate::layout::said(&t, &e));
                default_pair(&s)
            }
        },
        _ => default_pair(&s),
    };
    let (from, to) = pair
        .map(|(a, b)| (a.catalog.id.to_string(), b.catalog.id.to_string()))
        .unwrap_or_default();
    let page = Changes {
        p: c.page(&s, t.s("changes-title"), "changes"),
        editions: edition_rows(&t, &s),
        heading: t.with(
            "changes-heading",
            &[("from", from.clone()), ("to", to.clone())],
        ),
        diff: pair.map(|(a, b)| diff_view(&t, &s.diff(a, b), true)),
        from,
        to,
        error,
    };
    render(&page, &c, asked_well(&page.error))
}

#[derive(Template)]
#[template(path = "data.html")]
struct Data {
    p: Page,
    editions: Vec<EditionRow>,
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
        editions: edition_rows(&t, &s),
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
